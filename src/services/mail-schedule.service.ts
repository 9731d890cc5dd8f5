import { DateTime } from 'luxon';
import { Between, In, IsNull, LessThanOrEqual, Like, MoreThan, Not } from 'typeorm';
import { Assignment, Contract, Organisation, OutboxMessage, Plan, Session, User, Vacancy, Venue } from '../db/entities';
import { coordinatorDigest, type DigestData, reportReminder } from '../mail/templates/coordinator-messages';
import { reminder, weeklySchedule } from '../mail/templates/guide-messages';
import { periodOf, periodRange, previousPeriod } from '../domain/reports';
import { publicReport, reportCsv, reportMail } from '../reports/output';
import { groupBy, type Notifier } from './notices';
import type { ReportService } from './reports.service';
import { OutboxService } from './outbox.service';
import { publishedWithSessions, type ServiceDeps } from './support';
import { type GuideLinkService, guidePageUrl } from './guide-links.service';

export interface MailSchedule {
  /** ISO weekday (1 = Monday … 7 = Sunday) and local time of the weekly schedule. */
  weeklyWeekday: number;
  weeklyTime: string;
  /** Local time the day before a session; null: no reminders. */
  reminderTime: string | null;
  /** Local time of the coordinators' morning digest. */
  digestTime: string;
  zone: string;
}

/** How far ahead the digest looks for sessions short of guides. */
const DIGEST_DAYS_AHEAD = 14;
const GUIDES_PER_TRANSACTION = 100;

const at = (day: DateTime, time: string) => {
  const [hour, minute] = time.split(':').map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 });
};

/**
 * The e-mails that go out at a time of day: each method answers "what is due at this instant",
 * queues it, and returns how many messages it queued. Every message has a key naming what it is
 * (guide and week, assignment and start, coordinator and day), so running a method again, on a
 * second instance, or late after a restart, queues nothing twice, and a tick missed while the
 * service was down is made up by the next run.
 */
export class MailScheduleService {
  constructor(
    private readonly deps: ServiceDeps & {
      notifier: Notifier;
      schedule: MailSchedule;
      reports: ReportService;
      guideLinks: GuideLinkService;
      publicUrl: string;
    },
  ) {}

  /**
   * Each contract's report for the period that closed last, to the municipality's and the
   * association's addresses, from the digest time on the period's first day after. Counts only,
   * small cells hidden: the same report as the API's.
   */
  async reportsDue(now: Date): Promise<number> {
    const { zone, digestTime } = this.deps.schedule;
    const today = DateTime.fromJSDate(now, { zone }).toISODate()!;
    const m = this.deps.store.manager;
    const contracts = await m.find(Contract, { where: { startsOn: LessThanOrEqual(today) }, order: { id: 'ASC' } });
    let queued = 0;
    for (const c of contracts) {
      const period = previousPeriod(periodOf(today, c.reportingPeriod));
      const { from, to } = periodRange(period);
      const sendFrom = at(DateTime.fromISO(to, { zone }).plus({ days: 1 }), digestTime);
      if (now.getTime() < sendFrom.toMillis() || c.startsOn > to || c.endsOn < from) continue;
      const orgs = await m.find(Organisation, { where: { id: In([c.municipalityId, c.associationId]) } });
      const to_ = orgs.filter((o) => o.contactEmail);
      const keys = to_.map((o) => `report:${c.id}:${period}:${o.id}`);
      if (!to_.length || (await m.countBy(OutboxMessage, { idempotencyKey: In(keys) })) === keys.length) continue;
      const report = await publicReport(await this.deps.reports.figures(c.id, period));
      const mail = reportMail(report);
      queued += await this.deps.store.transaction(async (tx) => {
        for (const [i, o] of to_.entries()) {
          await OutboxService.enqueue(tx, now, {
            idempotencyKey: keys[i],
            kind: 'report',
            municipalityId: c.municipalityId,
            to: o.contactEmail!,
            fromName: report.association.name,
            ...mail,
            attachments: [
              {
                filename: `bryggan-rapport-${period}.csv`,
                contentType: 'text/csv; charset=utf-8',
                content: reportCsv(report),
              },
            ],
          });
        }
        return to_.length;
      });
    }
    return queued;
  }

  /**
   * The day after a café with no report, and a week after if it still has none, from the digest
   * time on: the association's contact address gets every café of the contract still to report,
   * each with a link to its after-café form. One mail a contract a day at most; a day missed
   * (the service was down) is made up the next time, since what is due is read from the last
   * reminder sent, not from the date alone.
   */
  async reportRemindersDue(now: Date): Promise<number> {
    const { zone, digestTime } = this.deps.schedule;
    const local = DateTime.fromJSDate(now, { zone });
    if (local < at(local.startOf('day'), digestTime)) return 0;
    const today = local.toISODate()!;
    const m = this.deps.store.manager;
    const contracts = await m.find(Contract, { where: { startsOn: LessThanOrEqual(today) }, order: { id: 'ASC' } });
    let queued = 0;
    for (const c of contracts) {
      const key = `report-reminder:${c.id}:${today}`;
      if (await m.existsBy(OutboxMessage, { idempotencyKey: key })) continue;
      const cafes = (await this.deps.reports.unreported(c.id)).filter((x) => x.localDate < today);
      if (!cafes.length) continue;
      const last = await m.findOne(OutboxMessage, {
        where: { idempotencyKey: Like(`report-reminder:${c.id}:%`) },
        order: { createdAt: 'DESC' },
        select: { id: true, createdAt: true },
      });
      // Due: a café never reminded of (over after the last reminder), or one a week old that was not reminded of since.
      const weekOld = (x: { localDate: string }) =>
        at(DateTime.fromISO(x.localDate, { zone }).plus({ days: 7 }), digestTime).toMillis();
      const due = cafes.some(
        (x) =>
          !last || x.endsAt > last.createdAt || (weekOld(x) <= now.getTime() && last.createdAt.getTime() < weekOld(x)),
      );
      if (!due) continue;
      const orgs = await m.find(Organisation, { where: { id: In([c.municipalityId, c.associationId]) } });
      const association = orgs.find((o) => o.id === c.associationId)!;
      const municipality = orgs.find((o) => o.id === c.municipalityId)!;
      if (!association.contactEmail) continue;
      const mail = reportReminder({
        association: association.name,
        municipality: municipality.name,
        cafes: cafes.map((x) => ({ ...x, formUrl: `${this.deps.publicUrl}/efter-cafeet/${x.sessionId}` })),
      });
      await this.deps.store.transaction((tx) =>
        OutboxService.enqueue(tx, now, {
          idempotencyKey: key,
          kind: 'report_reminder',
          municipalityId: c.municipalityId,
          to: association.contactEmail!,
          fromName: 'Bryggan',
          ...mail,
          sessionIds: cafes.map((x) => x.sessionId),
        }),
      );
      queued++;
    }
    return queued;
  }

  /** The coming week's schedule, from the weekly moment (default Friday 16:00) until that week is over. */
  async weeklyDue(now: Date): Promise<number> {
    const { zone, weeklyWeekday, weeklyTime } = this.deps.schedule;
    const local = DateTime.fromJSDate(now, { zone });
    let tick = at(local.set({ weekday: weeklyWeekday as 1 }), weeklyTime);
    if (tick > local) tick = tick.minus({ weeks: 1 });
    const monday = tick.startOf('week').plus({ weeks: 1 });
    const week = monday.toFormat("kkkk-'W'WW");
    const m = this.deps.store.manager;
    const rows = await publishedWithSessions(m)
      .andWhere("s.status = 'scheduled'")
      .andWhere('s.local_date BETWEEN :from AND :to', {
        from: monday.toISODate(),
        to: monday.plus({ days: 6 }).toISODate(),
      })
      .andWhere('s.starts_at > :now', { now })
      // Told of it after the weekly moment: the new-session mail was their schedule.
      .andWhere('a.notified_at <= :tick', { tick: tick.toJSDate() })
      .orderBy('s.starts_at', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .getMany();
    const sent = new Set(
      (
        await m.find(OutboxMessage, {
          where: { idempotencyKey: Like(`weekly:%:${week}`) },
          select: { idempotencyKey: true },
        })
      ).map((o) => o.idempotencyKey),
    );
    const byGuide = [...groupBy(rows, (a) => a.guideId)].filter(([guideId]) => !sent.has(`weekly:${guideId}:${week}`));
    let queued = 0;
    for (let i = 0; i < byGuide.length; i += GUIDES_PER_TRANSACTION) {
      const chunk = byGuide.slice(i, i + GUIDES_PER_TRANSACTION);
      queued += await this.deps.store.transaction(async (tx) => {
        const all = chunk.flatMap(([, list]) => list);
        const items = await this.deps.notifier.items(tx, all);
        const contacts = await this.deps.notifier.contacts(
          tx,
          chunk.map(([g]) => g),
        );
        let n = 0;
        for (const [guideId, list] of chunk) {
          const guide = contacts.get(guideId);
          if (!guide?.active) continue;
          const mine = list.map((a) => {
            const item = items.get(a.id)!;
            this.deps.notifier.addAnswerLinks(item, a);
            return item;
          });
          // Their own page, by the same lasting link every week.
          const page = guidePageUrl(
            this.deps.publicUrl,
            (await this.deps.guideLinks.lasting(tx, guideId, 'access')).token,
          );
          await this.deps.notifier.send(
            tx,
            now,
            guide,
            'weekly',
            mine,
            weeklySchedule({
              guideName: guide.name,
              association: guide.association,
              week: monday.weekNumber,
              items: mine,
              pageUrl: page,
            }),
            'PUBLISH',
            `weekly:${guideId}:${week}`,
          );
          n++;
        }
        return n;
      });
    }
    return queued;
  }

  /** A reminder for each session from the reminder time the day before until it starts. */
  async remindersDue(now: Date): Promise<number> {
    const time = this.deps.schedule.reminderTime;
    if (!time) return 0;
    const m = this.deps.store.manager;
    const rows = await publishedWithSessions(m)
      .andWhere("s.status = 'scheduled'")
      .andWhere('s.starts_at > :now AND s.starts_at <= :until', {
        now,
        until: new Date(now.getTime() + 2 * 86_400_000),
      })
      .getMany();
    const due = rows.filter((a) => {
      const moment = at(
        DateTime.fromJSDate(a.session!.startsAt, { zone: a.session!.timeZone }).minus({ days: 1 }),
        time,
      );
      // Someone told of the session after the reminder moment has fresh news already.
      return moment.toMillis() <= now.getTime() && !(a.notifiedAt && a.notifiedAt.getTime() > moment.toMillis());
    });
    if (!due.length) return 0;
    return this.deps.store.transaction(async (tx) => {
      const items = await this.deps.notifier.items(tx, due);
      const contacts = await this.deps.notifier.contacts(tx, [...new Set(due.map((a) => a.guideId))]);
      let n = 0;
      for (const a of due) {
        const guide = contacts.get(a.guideId);
        if (!guide?.active) continue;
        const item = items.get(a.id)!;
        this.deps.notifier.addAnswerLinks(item, a);
        await OutboxService.enqueue(tx, now, {
          idempotencyKey: `reminder:${a.id}:${a.session!.startsAt.toISOString()}`,
          kind: 'reminder',
          municipalityId: guide.municipalityId,
          to: guide.email,
          guideId: guide.id,
          fromName: guide.association,
          replyTo: guide.replyTo,
          ...reminder({ guideName: guide.name, association: guide.association, item }),
          about: [`${item.uid}#${item.sequence}`],
          sessionIds: [a.sessionId],
        });
        n++;
      }
      return n;
    });
  }

  /** Each morning from the digest time until midnight: one e-mail per coordinator with something to act on. */
  async digestDue(now: Date): Promise<number> {
    const { zone, digestTime } = this.deps.schedule;
    const local = DateTime.fromJSDate(now, { zone });
    const moment = at(local, digestTime);
    if (local < moment) return 0;
    const since = moment.minus({ days: 1 }).toJSDate();
    const m = this.deps.store.manager;
    const coordinators = await m.find(User, {
      where: { role: 'coordinator', active: true, organisationId: Not(IsNull()) },
      select: { id: true, email: true, organisationId: true },
    });
    let queued = 0;
    for (const [municipalityId, users] of groupBy(coordinators, (u) => u.organisationId!)) {
      const data = await this.digestOf(municipalityId, now, since);
      if (!data.declines.length && !data.unfilled.length && !data.conflicts.length && !data.failedMails.length)
        continue;
      const mail = coordinatorDigest(data);
      queued += await this.deps.store.transaction(async (tx) => {
        for (const u of users) {
          await OutboxService.enqueue(tx, now, {
            idempotencyKey: `digest:${u.id}:${local.toISODate()}`,
            kind: 'digest',
            municipalityId,
            to: u.email,
            fromName: 'Bryggan',
            ...mail,
          });
        }
        return users.length;
      });
    }
    return queued;
  }

  /** What a municipality's coordinators need to act on: declines since `since`, sessions short of guides, failed e-mails. */
  async digestOf(municipalityId: string, now: Date, since: Date): Promise<DigestData> {
    const m = this.deps.store.manager;
    const municipality = await m.findOneByOrFail(Organisation, { id: municipalityId });
    const vacancies = await m.find(Vacancy, {
      where: { municipalityId, createdAt: MoreThan(since) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    const until = new Date(now.getTime() + DIGEST_DAYS_AHEAD * 86_400_000);
    const upcoming = await m.find(Session, {
      where: { municipalityId, status: 'scheduled', startsAt: Between(now, until) },
      order: { startsAt: 'ASC', id: 'ASC' },
    });
    // Only what is published counts as short: a week still being planned is the planner's business.
    const plans = await m.find(Plan, {
      where: {
        municipalityId,
        status: 'published',
        startsOn: LessThanOrEqual(upcoming.at(-1)?.localDate ?? '0000-01-01'),
      },
    });
    const published = upcoming.filter(
      (s) =>
        plans.some((p) => p.startsOn <= s.localDate && s.localDate <= p.endsOn) ||
        vacancies.some((v) => v.sessionId === s.id),
    );
    const crew = published.length
      ? await m.find(Assignment, {
          where: { sessionId: In(published.map((s) => s.id)), status: 'published' },
          select: { id: true, sessionId: true },
        })
      : [];
    const unfilled = published.filter((s) => crew.filter((a) => a.sessionId === s.id).length < s.minGuides);
    // Guides a later change keeps from a café they are on (published or a draft): the coordinator acts.
    const broken = upcoming.length
      ? (
          await m.find(Assignment, {
            where: { sessionId: In(upcoming.map((s) => s.id)) },
            select: { id: true, sessionId: true, guideId: true, conflict: true, status: true },
          })
        ).filter((a) => a.conflict?.length)
      : [];
    const sessions = new Map(
      [
        ...upcoming,
        ...(vacancies.length ? await m.find(Session, { where: { id: In(vacancies.map((v) => v.sessionId)) } }) : []),
      ].map((s) => [s.id, s]),
    );
    const venues = new Map(
      (sessions.size
        ? await m.find(Venue, { where: { id: In([...new Set([...sessions.values()].map((s) => s.venueId))]) } })
        : []
      ).map((v) => [v.id, v.name]),
    );
    const names = await this.deps.notifier.contacts(m, [
      ...new Set([
        ...vacancies.flatMap((v) => [v.declinedGuideId, v.filledByGuideId ?? v.declinedGuideId]),
        ...broken.map((a) => a.guideId),
      ]),
    ]);
    const failed = await m.find(OutboxMessage, {
      where: { municipalityId, status: 'failed', nextAttemptAt: MoreThan(since) },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: 50,
    });
    const slot = (s: Session) => ({
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      timeZone: s.timeZone,
      venue: venues.get(s.venueId) ?? '',
    });
    return {
      municipality: municipality.name,
      declines: vacancies.map((v) => ({
        ...slot(sessions.get(v.sessionId)!),
        guideName: names.get(v.declinedGuideId)?.name ?? '',
        filledBy: v.filledByGuideId ? (names.get(v.filledByGuideId)?.name ?? '') : null,
      })),
      unfilled: unfilled.map((s) => ({
        ...slot(s),
        guides: crew.filter((a) => a.sessionId === s.id).length,
        minGuides: s.minGuides,
      })),
      conflicts: broken.map((a) => ({
        ...slot(sessions.get(a.sessionId)!),
        guideName: names.get(a.guideId)?.name ?? '',
        reasons: a.conflict!,
      })),
      failedMails: failed.map((f) => ({ to: f.toAddress, subject: f.subject, error: f.lastError ?? '' })),
      // The outbox page, failed mail first; its municipality is the coordinator's own.
      outboxUrl: `${this.deps.notifier.settings.publicUrl}/mejl?status=failed`,
    };
  }
}
