import { randomUUID } from 'node:crypto';
import { OutboxMessage, OutboxSession } from '../../src/db/entities';
import { OutboxSessions1765600000000 } from '../../src/db/migrations/1765600000000-OutboxSessions';
import { coordinatorDigest } from '../../src/mail/templates/coordinator-messages';
import { LinkSigner } from '../../src/lib/tokens';
import { SmtpMailer } from '../../src/mail/mailer';
import { type NewMessage, OutboxService } from '../../src/services/outbox.service';
import { startSmtp } from '../support/smtp';
import { createTestApp, type TestApp } from '../support/app';
import { buildGuide, buildSeries, createWorld } from '../factories';

const signer = new LinkSigner('outbox tests: a secret of no importance');

describe(OutboxService.name, () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let mailer: SmtpMailer;
  let outbox: OutboxService;
  beforeEach(async () => {
    t = await createTestApp('2026-11-27T15:00:00Z');
    smtp = await startSmtp();
    mailer = new SmtpMailer(smtp.url, 'it-cafe@example.org');
    outbox = new OutboxService({ store: t.store, clock: t.clock, signer, mailer });
  });
  afterEach(async () => {
    mailer.close();
    await smtp.close();
    await t.close();
  });

  const message = (n: number): NewMessage => ({
    idempotencyKey: `weekly:2026-W49:guide-${n}`,
    kind: 'weekly_schedule',
    municipalityId: null,
    to: `guide${n}@example.org`,
    fromName: 'Enter Sweden',
    subject: `Ditt schema vecka 49 (${n})`,
    text: 'Hej!',
    html: '<p>Hej!</p>',
  });
  const enqueue = (...msgs: NewMessage[]) =>
    t.store.transaction(async (m) => {
      for (const msg of msgs) await OutboxService.enqueue(m, t.clock.now(), msg);
    });
  const rows = () => t.dataSource.getRepository(OutboxMessage).find({ order: { idempotencyKey: 'ASC' } });

  it('delivers each queued message once, over SMTP, with the association as sender', async () => {
    await enqueue(message(1), message(2), message(3));
    expect(await outbox.deliverDue()).toEqual({ sent: 3, failed: 0 });
    expect(await outbox.deliverDue()).toEqual({ sent: 0, failed: 0 });
    expect(smtp.received.map((r) => r.subject).sort()).toEqual([
      'Ditt schema vecka 49 (1)',
      'Ditt schema vecka 49 (2)',
      'Ditt schema vecka 49 (3)',
    ]);
    expect(smtp.received[0].from?.value[0]).toEqual({ name: 'Enter Sweden', address: 'it-cafe@example.org' });
    expect((await rows()).every((r) => r.status === 'sent' && r.sentAt !== null)).toBe(true);
  });

  it('keeps one message per idempotency key, however often it is written', async () => {
    await enqueue(message(1));
    await enqueue(message(1), message(1));
    expect(await t.dataSource.getRepository(OutboxMessage).count()).toBe(1);
  });

  it('writes nothing when the change that causes the message is rolled back', async () => {
    await expect(
      t.store.transaction(async (m) => {
        await OutboxService.enqueue(m, t.clock.now(), message(1));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await t.dataSource.getRepository(OutboxMessage).count()).toBe(0);
  });

  it('retries with backoff while the server is down, then delivers every message exactly once', async () => {
    await enqueue(message(1), message(2));
    smtp.down();
    expect(await outbox.deliverDue()).toEqual({ sent: 0, failed: 2 });
    const waiting = await rows();
    expect(waiting.map((r) => [r.status, r.attempts, r.nextAttemptAt.toISOString()])).toEqual([
      ['queued', 1, '2026-11-27T15:01:00.000Z'],
      ['queued', 1, '2026-11-27T15:01:00.000Z'],
    ]);
    expect(waiting[0].lastError).toMatch(/451/);
    expect(waiting[0].lastError).not.toContain('guide1@example.org');
    expect(await outbox.deliverDue()).toEqual({ sent: 0, failed: 0 }); // not due yet
    t.clock.advance(60_000);
    expect(await outbox.deliverDue()).toEqual({ sent: 0, failed: 2 }); // still down: wait 5 minutes now
    smtp.up();
    t.clock.advance(5 * 60_000);
    expect(await outbox.deliverDue()).toEqual({ sent: 2, failed: 0 });
    expect(await outbox.deliverDue()).toEqual({ sent: 0, failed: 0 });
    expect(smtp.received).toHaveLength(2);
  });

  it("sends one address's session mail oldest first: a newer one waits while an older one waits for its retry; other mail does not wait", async () => {
    smtp.down();
    await enqueue({ ...message(1), idempotencyKey: 'first', subject: 'Först', about: ['a#0'] });
    expect(await outbox.deliverDue()).toEqual({ sent: 0, failed: 1 });
    smtp.up();
    t.clock.advance(1000);
    await enqueue(
      { ...message(1), idempotencyKey: 'second', subject: 'Sedan', about: ['b#0'] },
      { ...message(1), idempotencyKey: 'reset', subject: 'Nytt lösenord' },
      message(2),
    );
    // The other guide's message goes, and the password link; the second session mail waits behind the first's retry.
    expect(await outbox.deliverDue()).toEqual({ sent: 2, failed: 0 });
    expect(smtp.received.map((r) => r.subject).sort()).toEqual(['Ditt schema vecka 49 (2)', 'Nytt lösenord']);
    t.clock.advance(60_000);
    expect(await outbox.deliverDue()).toEqual({ sent: 2, failed: 0 });
    expect(smtp.received.map((r) => r.subject).slice(2)).toEqual(['Först', 'Sedan']);
  });

  it('withdraws a queued message when a newer one about later revisions of the same events is queued, and only then', async () => {
    const about = (subject: string, ...events: string[]) => ({
      ...message(1),
      idempotencyKey: subject,
      subject,
      about: events,
    });
    // Written a moment apart, as changes are: messages to one address go in the order written.
    for (const msg of [about('Nytt pass', 'a#0'), about('Två pass', 'a#0', 'b#0'), about('Påminnelse b', 'b#1')]) {
      await enqueue(msg);
      t.clock.advance(1000);
    }
    await enqueue(about('Inställt a', 'a#1'));
    const status = async () =>
      Object.fromEntries((await rows()).map((r) => [r.subject, r.status])) as Record<string, string>;
    // Only the message about nothing but older revisions of "a" is withdrawn.
    expect(await status()).toEqual({
      'Nytt pass': 'superseded',
      'Två pass': 'queued',
      'Påminnelse b': 'queued',
      'Inställt a': 'queued',
    });
    await outbox.deliverDue();
    expect(smtp.received.map((r) => r.subject)).toEqual(['Två pass', 'Påminnelse b', 'Inställt a']);
  });

  it('gives up after the last retry and marks the message failed', async () => {
    await enqueue(message(1));
    smtp.down();
    for (let i = 0; i < 6; i++) {
      await outbox.deliverDue();
      t.clock.advance(5 * 3600_000);
    }
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'failed', attempts: 6 });
    smtp.up();
    expect(await outbox.deliverDue()).toEqual({ sent: 0, failed: 0 });
  });

  it('loses nothing and sends nothing twice when a worker dies mid-batch', async () => {
    await enqueue(message(1), message(2), message(3));
    // A worker that sends the first message and then dies: it never comes back from the second.
    let calls = 0;
    const dying = new OutboxService({
      store: t.store,
      signer,
      clock: t.clock,
      mailer: {
        connections: 1,
        send: (mail) => (++calls === 1 ? mailer.send(mail) : new Promise<void>(() => undefined)),
        close: () => undefined,
      },
    });
    void dying.deliverDue();
    await waitFor(async () => (await rows()).some((r) => r.status === 'sent'));
    expect((await rows()).map((r) => r.status).sort()).toEqual(['sending', 'sending', 'sent']);

    expect(await outbox.deliverDue()).toEqual({ sent: 0, failed: 0 }); // the dead worker's lease still holds
    t.clock.advance(6 * 60_000); // past the 5-minute lease
    expect(await outbox.deliverDue()).toEqual({ sent: 2, failed: 0 });
    expect(smtp.received.map((r) => r.subject).sort()).toEqual([
      'Ditt schema vecka 49 (1)',
      'Ditt schema vecka 49 (2)',
      'Ditt schema vecka 49 (3)',
    ]);
  });

  it('counts a worker dying while holding a message as an attempt, and gives up on a message that kills every worker', async () => {
    await enqueue(message(1));
    const hang = new OutboxService({
      store: t.store,
      signer,
      clock: t.clock,
      mailer: { connections: 1, send: () => new Promise<void>(() => undefined), close: () => undefined },
    });
    for (let i = 1; i <= 6; i++) {
      void hang.deliverDue();
      await waitFor(async () => (await rows())[0].status === 'sending' && (await rows())[0].attempts === i - 1);
      t.clock.advance(6 * 60_000); // past the 5-minute lease
    }
    void hang.deliverDue();
    await waitFor(async () => (await rows())[0].status === 'failed');
    expect((await rows())[0]).toMatchObject({
      status: 'failed',
      lastError: 'the worker stopped while sending it, too often',
    });
  });
});

async function waitFor(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A coordinator checks that a guide's mail went out: the outbox by guide and by café, over HTTP,
 * after a real publish and real SMTP. Two Tuesday cafés in Örebro; Amina works both, Yonas the
 * first, Hamid the second.
 */
describe('GET /api/v1/outbox by guide and by café', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let coordinator: string;
  let cafes: { id: string }[];
  const guides: Record<string, { id: string; email: string; name: string }> = {};

  beforeEach(async () => {
    smtp = await startSmtp();
    t = await createTestApp('2027-03-17T09:00:00Z', { smtpUrl: smtp.url, mailFrom: 'it-cafe@example.org' });
    world = await createWorld(t.services);
    coordinator = await t.tokenFor('coordinator', world.municipality.id);
    const series = await t
      .http(coordinator)
      .post('/api/v1/series')
      .send(
        buildSeries(world.venue.id, {
          weekday: 'tue',
          startTime: '15:00',
          firstDate: '2027-03-23',
          lastDate: '2027-03-30',
          minGuides: 2,
          maxGuides: 2,
        }),
      )
      .expect(201);
    cafes = (await t.http(coordinator).get('/api/v1/sessions').query({ seriesId: series.body.id }).expect(200)).body
      .items;
    for (const [key, name] of [
      ['amina', 'Amina Yusuf'],
      ['yonas', 'Yonas Tesfay'],
      ['hamid', 'Hamid Karimi'],
    ] as const) {
      const g = await t.services.guides.create(
        buildGuide(world.association.id, world.municipality.id, {
          name,
          email: `${key}@example.org`,
          availability: [{ weekday: 'tue', start: '13:00', end: '18:00' }],
        }),
      );
      guides[key] = { id: g.id, email: g.email, name };
    }
    for (const [cafe, keys] of [
      [0, ['amina', 'yonas']],
      [1, ['amina', 'hamid']],
    ] as const)
      for (const key of keys)
        await t
          .http(coordinator)
          .post(`/api/v1/sessions/${cafes[cafe].id}/assignments`)
          .send({ guideId: guides[key].id })
          .expect(201);
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
  });

  const publish = () =>
    t
      .http(coordinator)
      .post(`/api/v1/municipalities/${world.municipality.id}/plans/publish`)
      .send({ from: '2027-03-22', to: '2027-04-04' })
      .expect(200);
  const list = async (query: Record<string, string>, token = coordinator) =>
    (await t.http(token).get('/api/v1/outbox').query(query).expect(200)).body as {
      items: { id: string; to: string; guideId: string | null; guideName: string | null; sessionIds: string[] }[];
      total: number;
    };

  it('answers the publish with the guides who get mail and how many mails, as queued', async () => {
    const published = await publish();
    expect(published.body).toEqual({
      published: 4,
      guides: ['amina', 'hamid', 'yonas'].map((k) => ({ id: guides[k].id, name: guides[k].name })),
      mails: 3,
    });
    const rows = await t.dataSource.getRepository(OutboxMessage).find();
    expect(rows.map((r) => r.guideId).sort()).toEqual(published.body.guides.map((g: { id: string }) => g.id).sort());
    // Published again: nobody new is told.
    expect((await publish()).body).toEqual({ published: 0, guides: [], mails: 0 });
  });

  it("lists one guide's mail, sent, with the guide's name and the cafés it is about, and no body", async () => {
    await publish();
    await t.services.outbox.deliverDue();
    const amina = await list({ guideId: guides.amina.id });
    expect(amina.total).toBe(1);
    expect(amina.items[0]).toMatchObject({
      to: guides.amina.email,
      guideId: guides.amina.id,
      guideName: 'Amina Yusuf',
      status: 'sent',
      kind: 'schedule_update',
      sessionIds: [cafes[0].id, cafes[1].id].sort(),
    });
    expect(amina.items[0]).not.toHaveProperty('text');
    expect(amina.items[0]).not.toHaveProperty('html');
    expect(
      smtp.received.filter((m) => m.to && 'value' in m.to && m.to.value[0].address === guides.amina.email),
    ).toHaveLength(1);
  });

  it("lists a café's mail: its guides', a cancellation's, and a copy sent again", async () => {
    await publish();
    await t.services.outbox.deliverDue();
    const byCafe = async (i: number) => (await list({ sessionId: cafes[i].id })).items.map((o) => o.guideName).sort();
    expect(await byCafe(0)).toEqual(['Amina Yusuf', 'Yonas Tesfay']);
    expect(await byCafe(1)).toEqual(['Amina Yusuf', 'Hamid Karimi']);
    // The second café is cancelled: Amina and Hamid are told, about that café only.
    await t
      .http(coordinator)
      .post(`/api/v1/sessions/${cafes[1].id}/cancel`)
      .send({ reason: 'Lokalen är stängd' })
      .expect(200);
    const cancelled = (await list({ sessionId: cafes[1].id, kind: 'schedule_cancel' })).items;
    expect(cancelled.map((o) => [o.guideName, o.sessionIds])).toEqual(
      expect.arrayContaining([
        ['Amina Yusuf', [cafes[1].id]],
        ['Hamid Karimi', [cafes[1].id]],
      ]),
    );
    expect(cancelled).toHaveLength(2);
    expect(await byCafe(0)).toEqual(['Amina Yusuf', 'Yonas Tesfay']);
    // Yonas lost his mail: the copy sent again is about the same café.
    const [his] = (await list({ guideId: guides.yonas.id })).items;
    const copy = (await t.http(coordinator).post(`/api/v1/outbox/${his.id}/resend`).expect(200)).body;
    expect(copy).toMatchObject({ guideName: 'Yonas Tesfay', sessionIds: [cafes[0].id], status: 'queued' });
    expect(await byCafe(0)).toEqual(['Amina Yusuf', 'Yonas Tesfay', 'Yonas Tesfay']);
    // Both filters at once: Yonas's mail about the second café is none.
    expect((await list({ guideId: guides.yonas.id, sessionId: cafes[1].id })).total).toBe(0);
  });

  it("finds nothing by another municipality's guide or café, as for an unknown id", async () => {
    await publish();
    const other = await createWorld(t.services);
    const theirs = await t.tokenFor('coordinator', other.municipality.id);
    const empty = { items: [], total: 0, limit: 50, offset: 0 };
    for (const query of [{ guideId: guides.amina.id }, { sessionId: cafes[0].id }, { guideId: randomUUID() }] as Record<
      string,
      string
    >[])
      expect(await list(query, theirs)).toEqual(empty);
    // Naming their municipality's guide, ours finds nothing either.
    const stranger = await t.services.guides.create(buildGuide(other.association.id, other.municipality.id));
    expect(await list({ guideId: stranger.id })).toEqual(empty);
  });

  it('refuses a guide or café id that is not an id: 400, naming the field', async () => {
    for (const [key, value] of [
      ['guideId', 'amina'],
      ['sessionId', '12345'],
    ]) {
      const res = await t
        .http(coordinator)
        .get('/api/v1/outbox')
        .query({ [key]: value })
        .expect(400);
      expect(res.body.error).toMatchObject({ code: 'validation_failed' });
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual([`query.${key}`]);
    }
  });

  it("points the coordinators' digest at the outbox page, not at the API", async () => {
    smtp.down();
    await publish();
    for (let i = 0; i < 6; i++) {
      await t.services.outbox.deliverDue();
      t.clock.advance(5 * 60 * 60_000);
    }
    const digest = await t.services.mailSchedule.digestOf(
      world.municipality.id,
      t.clock.now(),
      new Date('2027-03-17T00:00:00Z'),
    );
    expect(digest.failedMails).toHaveLength(3);
    expect(digest.outboxUrl).toBe(`${t.settings.publicUrl}/mejl?status=failed`);
    expect(coordinatorDigest(digest).text).toContain(`${t.settings.publicUrl}/mejl?status=failed`);
    expect(coordinatorDigest(digest).text).not.toContain('/api/v1/outbox');
  });

  it('links mail queued before the cafés were stored with it to its cafés, when the migration runs', async () => {
    await publish();
    await t.services.outbox.deliverDue();
    // Yonas gives his place up from his mail: Hamid is asked to take it, the coordinator is told.
    const mail = smtp.received.find((m) => m.to && 'value' in m.to && m.to.value[0].address === guides.yonas.email)!;
    const decline = new URL(/Jag kan inte: (\S+)/.exec(mail.text!)![1]).pathname;
    await t.http().post(decline).expect(200);
    const rows = await t.dataSource.getRepository(OutboxMessage).find();
    const kinds = new Map(rows.map((r) => [r.id, r.kind]));
    const yonas = new Set(rows.filter((r) => r.guideId === guides.yonas.id).map((r) => r.id));
    const links = async (but = new Set<string>()) =>
      (await t.dataSource.getRepository(OutboxSession).find())
        .filter((l) => !but.has(l.messageId))
        .map((l) => `${kinds.get(l.messageId)} ${l.sessionId}`)
        .sort();
    const before = await links();
    const notHis = await links(yonas);
    expect(before).toEqual(
      [
        // Amina and Yonas on the first café, Amina and Hamid on the second.
        ...['schedule_update', 'schedule_update', 'declined'].map((k) => `${k} ${cafes[0].id}`),
        ...['schedule_update', 'schedule_update'].map((k) => `${k} ${cafes[1].id}`),
        `substitute_request ${cafes[0].id}`,
        `decline_notice ${cafes[0].id}`,
      ].sort(),
    );
    const runner = t.dataSource.createQueryRunner();
    try {
      const migration = new OutboxSessions1765600000000();
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    // All but Yonas's own: his assignment is gone, and with it the way from his mail to its café.
    expect(await links()).toEqual(notHis);
    expect(notHis).toEqual(
      [
        `schedule_update ${cafes[0].id}`,
        ...['schedule_update', 'schedule_update'].map((k) => `${k} ${cafes[1].id}`),
        `substitute_request ${cafes[0].id}`,
        `decline_notice ${cafes[0].id}`,
      ].sort(),
    );
  });
});
