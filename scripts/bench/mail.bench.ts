/**
 * Issue 5: "1,000 guides' weekly schedules rendered and delivered to a local SMTP server, with
 * pooled connections; print messages per second."
 *
 * A municipality with 1,000 guides, 1,000 sessions in one week at 100 venues, two guides on each
 * (so every guide has two sessions in the mail). On Friday at 16:00 the service's own method
 * renders and queues every schedule (text, HTML, calendar file), then the outbox worker delivers
 * them through nodemailer's pool (3 connections) to an smtp-server on 127.0.0.1 that reads every
 * byte. Baseline, in the same run: the very same 1,000 messages sent through the same pooled
 * transport straight from memory (no database, no rendering, no outbox bookkeeping).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../../src/config';
import { buildContainer, settingsFromConfig } from '../../src/container';
import { newId } from '../../src/db/columns';
import { openDatabase } from '../../src/db/data-source';
import { Assignment, OutboxMessage } from '../../src/db/entities';
import { FixedClock } from '../../src/lib/clock';
import { createLogger } from '../../src/lib/logger';
import { type Bench, type BenchContext, type BenchResult, median, now } from './lib';

const GUIDES = 1000;
const VENUES = 100;
const SESSIONS_PER_VENUE = 10;
const ROUNDS = 3;
const FRIDAY_16 = '2027-03-26T15:00:00Z'; // Friday 16:00 in Stockholm; the coming week is 2027-W13
const WEEK = ['2027-03-29', '2027-03-30', '2027-03-31', '2027-04-01', '2027-04-02'];

export const bench: Bench = { name: 'mail', run };

async function smtpSink() {
  let received = 0;
  let bytes = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 2 ** 20,
    onData(stream, _session, callback) {
      stream.on('data', (c: Buffer) => (bytes += c.length));
      stream.on('end', () => {
        received++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    count: () => received,
    bytes: () => bytes,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function run(ctx: BenchContext): Promise<BenchResult> {
  const smtp = await smtpSink();
  const dir = mkdtempSync(join(tmpdir(), 'bryggan-bench-mail-'));
  const dataSource = await openDatabase({ sqlitePath: join(dir, 'bench.sqlite') });
  const clock = new FixedClock(new Date('2027-03-17T09:00:00Z'));
  const settings = { ...settingsFromConfig(loadConfig({})), smtpUrl: smtp.url, mailFrom: 'it-cafe@example.org' };
  const { services, mailer } = buildContainer({ dataSource, clock, logger: createLogger('silent'), settings });
  try {
    ctx.log(
      `building ${GUIDES} guides, ${VENUES * SESSIONS_PER_VENUE} sessions, ${VENUES * SESSIONS_PER_VENUE * 2} published assignments`,
    );
    const municipality = await services.organisations.create('municipality', {
      name: 'Benchköping',
      contactEmail: null,
    });
    const association = await services.organisations.create('association', {
      name: 'Föreningen Digital vardag',
      contactEmail: null,
    });
    const guides: string[] = [];
    for (let g = 0; g < GUIDES; g++) {
      guides.push(
        (
          await services.guides.create({
            associationId: association.id,
            municipalityId: municipality.id,
            name: `Guide Nummer ${g}`,
            email: `guide${g}@example.org`,
            phone: null,
            school: null,
            programme: null,
            swedishLevel: 'B1',
            languages: [],
            platforms: [{ platform: 'ios', level: 'good' }],
            startDate: '2026-08-20',
            topics: [],
            maxHoursPerWeek: 10,
            availability: [],
            unavailableDates: [],
            active: true,
          })
        ).id,
      );
    }
    const sessions: string[] = [];
    for (let v = 0; v < VENUES; v++) {
      const venue = await services.venues.create({
        municipalityId: municipality.id,
        name: `Träffpunkt ${v}`,
        address: `Storgatan ${v + 1}, Benchköping`,
        kind: 'meeting_point',
        seats: 10,
        equipment: ['wifi'],
        accessibilityNote: null,
        expectedWalkIns: 0,
        active: true,
      });
      for (let s = 0; s < SESSIONS_PER_VENUE; s++) {
        sessions.push(
          (
            await services.sessions.createOneOff({
              venueId: venue.id,
              date: WEEK[s % WEEK.length],
              startTime: s < WEEK.length ? '10:00' : '15:00',
              durationMinutes: 120,
              timeZone: 'Europe/Stockholm',
              seats: 8,
              minGuides: 2,
              maxGuides: 3,
            })
          ).id,
        );
      }
    }
    // Published and already told, as after a publish: the weekly run is what is measured.
    const at = clock.now();
    const rows = sessions.flatMap((sessionId, i) =>
      [guides[i % GUIDES], guides[(i + 500) % GUIDES]].map((guideId) => ({
        id: newId(),
        sessionId,
        guideId,
        status: 'published' as const,
        pinned: false,
        source: 'manual' as const,
        reasons: [],
        planId: null,
        createdAt: at,
        updatedAt: at,
        publishedAt: at,
        notified: null,
        notifiedAt: at,
        sequence: 1,
        response: 'pending' as const,
        respondedAt: null,
      })),
    );
    for (let i = 0; i < rows.length; i += 200)
      await dataSource.getRepository(Assignment).insert(rows.slice(i, i + 200));

    clock.set(FRIDAY_16);
    const queueMs: number[] = [];
    const deliverMs: number[] = [];
    const baselineMs: number[] = [];
    let queued = 0;
    let bytes = 0;
    for (let round = 0; round <= ROUNDS; round++) {
      await dataSource.getRepository(OutboxMessage).clear();
      const before = smtp.count();
      const b0 = smtp.bytes();
      const t0 = now();
      queued = await services.mailSchedule.weeklyDue(clock.now());
      const t1 = now();
      for (;;) {
        const { sent, failed } = await services.outbox.deliverDue(200);
        if (failed) throw new Error(`${failed} messages failed`);
        if (!sent) break;
      }
      const t2 = now();
      if (smtp.count() - before !== queued) throw new Error(`sent ${smtp.count() - before} of ${queued}`);
      bytes = smtp.bytes() - b0;

      // Baseline: the same messages, from memory, through the same kind of pool.
      const messages = await dataSource.getRepository(OutboxMessage).find();
      const transport = nodemailer.createTransport({ url: smtp.url, pool: true, maxConnections: 3 } as object);
      const t3 = now();
      await Promise.all(
        messages.map((m) =>
          transport.sendMail({
            from: { name: m.fromName, address: 'it-cafe@example.org' },
            to: m.toAddress,
            subject: m.subject,
            text: m.text,
            html: m.html,
            attachments: m.attachments.map((a) => ({
              filename: a.filename,
              contentType: a.contentType,
              content: a.content,
            })),
          }),
        ),
      );
      const t4 = now();
      transport.close();
      if (round === 0) continue; // warm-up
      queueMs.push(t1 - t0);
      deliverMs.push(t2 - t1);
      baselineMs.push(t4 - t3);
      ctx.log(
        `round ${round}: queue ${(t1 - t0).toFixed(0)} ms, deliver ${(t2 - t1).toFixed(0)} ms, baseline ${(t4 - t3).toFixed(0)} ms`,
      );
    }
    const total = median(queueMs.map((q, i) => q + deliverMs[i]));
    const perSecond = (ms: number) => (queued / ms) * 1000;
    return {
      title: `Mail: ${GUIDES} guides' weekly schedules to a local SMTP server`,
      baseline:
        'the same messages sent from memory through the same nodemailer pool (3 connections), with no database, rendering or outbox.',
      rows: [
        {
          case: `render and queue ${queued} schedules (one transaction per 100 guides)`,
          kind: 'rate',
          value: perSecond(median(queueMs)),
          unit: 'messages/s',
        },
        {
          case: `deliver ${queued} from the outbox (claim, send, mark sent)`,
          kind: 'rate',
          value: perSecond(median(deliverMs)),
          baseline: perSecond(median(baselineMs)),
          unit: 'messages/s',
        },
        {
          case: 'end to end: queue and deliver',
          kind: 'rate',
          value: perSecond(total),
          baseline: perSecond(median(baselineMs)),
          unit: 'messages/s',
        },
      ],
      notes: [
        `${queued} messages of ${(bytes / queued / 1024).toFixed(1)} KiB on average (text, HTML and a calendar file with VTIMEZONE), ${ROUNDS} rounds after a warm-up, medians.`,
        `End to end ${(total / 1000).toFixed(2)} s for ${queued} guides.`,
      ],
    };
  } finally {
    mailer?.close();
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
    await smtp.close();
  }
}
