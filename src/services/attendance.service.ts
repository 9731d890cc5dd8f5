import { type EntityManager, In, IsNull, Not } from 'typeorm';
import {
  Assignment,
  Attendance,
  Guide,
  GuideShift,
  QueueEntry,
  Registration,
  ReportHelp,
  ReportHelpCell,
  Senior,
  Session,
  SessionReport,
  Venue,
} from '../db/entities';
import { newId } from '../db/columns';
import { ConflictError, NotFoundError, UnprocessableError } from '../domain/errors';
import { addDays, instantToLocal, localToInstant } from '../domain/time';
import type { ReportInput } from '../contract/attendance';
import type { Platform, Topic } from '../domain/vocabulary';
import { audit, auditShown } from './audit';
import { insertSenior } from './seniors.service';
import { getOr404, type ServiceDeps } from './support';
import { lockSession } from './waitlist';
import { bumpQueue, mayName, type QueueActor, queueAnswers } from './queue.service';
import { sessionPairs } from './pairs';

export interface ReportForm {
  /** What is recorded so far, to start a correction from; null until reported. */
  current: FullReport | null;
  session: Session;
  venue: string;
  /** displayName null for a senior this reader may not name. */
  seated: { seniorId: string; displayName: string | null }[];
  guides: { guideId: string; name: string }[];
  revision: number | null;
  /** The live queue as the form's answers; null if nobody was in it. */
  fromQueue:
    | (ReturnType<typeof queueAnswers> & {
        help: ReturnType<typeof queueAnswers>['help'] & { topicsByPlatform: HelpCellInput[] | null };
      })
    | null;
  /** Whether this reader may see names at all now (a guide's link: from the day before the café to the day after). */
  namesOpen: boolean;
  /** Through a guide's link: the seat's id that stands for each senior the guide may not name. */
  seniorKeys: Map<string, string>;
}

export interface FullReport {
  report: SessionReport;
  attendances: Attendance[];
  shifts: GuideShift[];
  help: ReportHelp[];
  /** Topics by platform; none for a session reported without the breakdown. */
  cells: ReportHelpCell[];
}

/**
 * Attendance after a café: who came, walk-ins, what was helped with, each guide's hours. One
 * report per session: a second "create" is refused (a double tap on the phone), and a
 * correction must name the revision it corrects, so two people correcting at once cannot
 * overwrite each other unseen. Every write is one transaction with its audit entry.
 */
export class AttendanceService {
  constructor(private readonly deps: ServiceDeps & { workedMarginMinutes: number }) {}

  /** `approver`: the coordinator (or admin) recording, who may approve times outside the margin; a guide may not. */
  create(sessionId: string, input: ReportInput, approver: string | null = null): Promise<FullReport> {
    return this.write(sessionId, input, null, approver);
  }

  correct(
    sessionId: string,
    input: ReportInput,
    revision: number,
    approver: string | null = null,
  ): Promise<FullReport> {
    return this.write(sessionId, input, revision, approver);
  }

  /** From when to when a worked time may reach without approval: the café's time and the margin on each side. */
  limits(session: Session): { earliest: Date; latest: Date } {
    const margin = this.deps.workedMarginMinutes * 60_000;
    return {
      earliest: new Date(session.startsAt.getTime() - margin),
      latest: new Date(session.endsAt.getTime() + margin),
    };
  }

  async get(sessionId: string): Promise<FullReport> {
    const m = this.deps.store.manager;
    await getOr404(m, Session, 'session', sessionId);
    const report = await m.findOneBy(SessionReport, { sessionId });
    if (!report) throw new NotFoundError('attendance report of session', sessionId);
    return this.load(m, report);
  }

  /**
   * What the phone form needs: the session, its seated seniors by display name (the guides
   * meet them; nothing more is shown), the guides on the schedule, and the revision if reported.
   * `reader`: a guide through their link, who sees the names of their own seniors only (the
   * queue's rule, `mayName`), and only from the day before the café to the day after; the other
   * seated seniors come without a name and under their seat's id instead of their own
   * (`seniorKeys`), which the guide's answers are read back through (`fromSeats`).
   */
  async form(sessionId: string, reader: QueueActor = null): Promise<ReportForm> {
    const m = this.deps.store.manager;
    const session = await getOr404(m, Session, 'session', sessionId);
    // The seated seniors' names are for whoever takes attendance, and only once the café has begun.
    if (session.startsAt > this.deps.clock.now())
      throw new ConflictError('session_not_started', 'Attendance is recorded after the café has started');
    const venue = await m.findOneByOrFail(Venue, { id: session.venueId });
    const seated = await m.find(Registration, {
      where: { sessionId, status: 'confirmed' },
      select: { id: true, seniorId: true },
    });
    const queued = await m.find(QueueEntry, {
      where: { sessionId, status: Not('removed') },
      order: { position: 'ASC' },
    });
    const may = await this.mayName(m, session, queued, reader);
    const seniors = seated.length
      ? await m.find(Senior, {
          where: { id: In(seated.map((r) => r.seniorId)) },
          select: { id: true, displayName: true, municipalityId: true },
        })
      : [];
    await auditShown(
      this.deps,
      'attendance',
      seniors.filter((s) => may(s.id)),
    );
    const scheduled = await m.find(Assignment, {
      where: { sessionId, status: 'published' },
      select: { id: true, guideId: true },
    });
    const guides = scheduled.length
      ? await m.find(Guide, { where: { id: In(scheduled.map((a) => a.guideId)) }, select: { id: true, name: true } })
      : [];
    const report = await m.findOneBy(SessionReport, { sessionId });
    const answers = queued.length ? queueAnswers(queued, new Set(seated.map((r) => r.seniorId))) : null;
    const named = seniors
      .filter((s) => may(s.id))
      .map((s) => ({ seniorId: s.id, displayName: s.displayName }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName, 'sv'));
    // The others by when they signed up (their place says nothing of a name).
    const seatOf = new Map(seated.map((r) => [r.seniorId, r.id]));
    const unnamed = seated.filter((r) => !may(r.seniorId)).map((r) => ({ seniorId: r.seniorId, displayName: null }));
    return {
      fromQueue: answers && { ...answers, help: { ...answers.help, topicsByPlatform: queueCells(queued) } },
      current: report ? await this.load(m, report) : null,
      session,
      venue: venue.name,
      seated: [...named, ...unnamed],
      guides: guides.map((g) => ({ guideId: g.id, name: g.name })).sort((a, b) => a.name.localeCompare(b.name, 'sv')),
      revision: report?.revision ?? null,
      namesOpen: reader === null || this.namesOpen(session),
      seniorKeys: new Map(seated.filter((r) => !may(r.seniorId)).map((r) => [r.seniorId, seatOf.get(r.seniorId)!])),
    };
  }

  /**
   * Whose names a reader of the form may see: staff all; a guide through their link the seniors
   * the café's pairing gives them and those they helped in the queue (as the queue says it), and
   * only from the day before the café to the day after (as on the guide's own page).
   */
  private async mayName(
    m: EntityManager,
    session: Session,
    queued: QueueEntry[],
    reader: QueueActor,
  ): Promise<(seniorId: string) => boolean> {
    if (reader === null) return () => true;
    if (!this.namesOpen(session)) return () => false;
    const pairs = (await sessionPairs(m, this.deps.clock.now(), [session], { publishedOnly: true })).get(session.id);
    return mayName(reader, new Map((pairs ?? []).map((p) => [p.seniorId, p])), queued);
  }

  /** A guide's link names seniors from the day before the café to the day after, as the guide's own page does. */
  private namesOpen(session: Session): boolean {
    const today = instantToLocal(this.deps.clock.now(), session.timeZone).date;
    return today >= addDays(session.localDate, -1) && today <= addDays(session.localDate, 1);
  }

  /**
   * A guide's answers as the service takes them: the seats' ids the form gave for seniors the
   * guide may not name (in came and helpedBy) become those seniors' ids again.
   */
  async fromSeats<T extends Pick<ReportInput, 'came' | 'helpedBy'>>(sessionId: string, input: T): Promise<T> {
    const seats = await this.deps.store.manager.find(Registration, {
      where: { sessionId, status: 'confirmed' },
      select: { id: true, seniorId: true },
    });
    const seniorOf = new Map(seats.map((r) => [r.id, r.seniorId]));
    const back = (id: string) => seniorOf.get(id) ?? id;
    return {
      ...input,
      came: input.came.map(back),
      helpedBy: input.helpedBy.map((h) => ({ ...h, seniorId: back(h.seniorId) })),
    };
  }

  /** A guide may report a session they are on the schedule of, or worked at by an earlier report. */
  async assertGuideOn(guideId: string, sessionId: string): Promise<void> {
    const m = this.deps.store.manager;
    const session = await getOr404(m, Session, 'session', sessionId);
    const on =
      (await m.existsBy(Assignment, { sessionId, guideId, status: 'published' })) ||
      (await m.existsBy(GuideShift, { sessionId, guideId, status: 'worked' }));
    if (!on) throw new NotFoundError('session', session.id);
  }

  private write(
    sessionId: string,
    input: ReportInput,
    revision: number | null,
    approver: string | null,
  ): Promise<FullReport> {
    const now = this.deps.clock.now();
    const cells = helpCells(input.help);
    return this.deps.store.transaction(async (m) => {
      const session = await lockSession(m, sessionId);
      if (session.status !== 'scheduled')
        throw new ConflictError('session_cancelled', 'A cancelled session has no attendance');
      if (session.startsAt > now)
        throw new ConflictError('session_not_started', 'Attendance is recorded after the café has started');
      const existing = await m.findOneBy(SessionReport, { sessionId });
      if (revision === null && existing) {
        throw new ConflictError(
          'already_reported',
          'This session is already reported; correct it with PUT and its revision',
          [{ field: 'params.id', issue: `reported, revision ${existing.revision}` }],
        );
      }
      if (revision !== null && !existing)
        throw new ConflictError('not_reported', 'There is no report to correct yet; create it with POST');
      if (revision !== null && existing!.revision !== revision) {
        throw new ConflictError('stale_revision', `The report has changed since revision ${revision}; load it again`, [
          { field: 'body.revision', issue: `current revision is ${existing!.revision}` },
        ]);
      }
      const place = {
        sessionId,
        municipalityId: session.municipalityId,
        venueId: session.venueId,
        localDate: session.localDate,
      };
      const report = existing ?? m.create(SessionReport, { id: newId(), ...place, revision: 0, createdAt: now });
      Object.assign(report, { revision: report.revision + 1, dayReport: input.dayReport || null, updatedAt: now });
      // A correction keeps what the first report knew of each senior (an erased senior stays countable).
      const before = existing ? await m.find(Attendance, { where: { reportId: existing.id } }) : [];
      const approvedBefore = existing ? await m.find(GuideShift, { where: { reportId: existing.id } }) : [];
      if (existing) {
        for (const table of [Attendance, GuideShift, ReportHelp, ReportHelpCell])
          await m.delete(table, { reportId: report.id });
        await m.save(report);
      } else {
        await m.insert(SessionReport, report);
      }
      const rows = { reportId: report.id, ...place };
      const seniors = await this.seniorRows(m, now, session, input, before);
      const shifts = await this.shiftRows(m, session, input, approver, approvedBefore);
      const help = [
        ...Object.entries(input.help.topics).map(([key, count]) => ({
          dimension: 'topic' as const,
          key,
          count: count,
        })),
        ...Object.entries(input.help.platforms).map(([key, count]) => ({
          dimension: 'platform' as const,
          key,
          count: count,
        })),
      ].filter((h) => h.count > 0);
      for (let i = 0; i < seniors.length; i += 200)
        await m.insert(
          Attendance,
          seniors.slice(i, i + 200).map((a) => ({ id: newId(), ...rows, ...a })),
        );
      if (shifts.length)
        await m.insert(
          GuideShift,
          shifts.map((g) => ({ id: newId(), ...rows, ...g })),
        );
      if (help.length)
        await m.insert(
          ReportHelp,
          help.map((h) => ({ ...rows, ...h })),
        );
      if (cells.length)
        await m.insert(
          ReportHelpCell,
          cells.map((c) => ({ ...rows, ...c })),
        );
      // The queue's first names served the café; the report keeps no names.
      const named = await m.update(QueueEntry, { sessionId, firstName: Not(IsNull()) }, { firstName: null });
      if (named.affected) await bumpQueue(m, sessionId);
      await audit(m, now, {
        action: existing ? 'report.correct' : 'report.create',
        entityType: 'session',
        entityId: sessionId,
        municipalityId: session.municipalityId,
        fields: existing ? Object.keys(input) : [],
      });
      return this.load(m, report);
    });
  }

  /** Registered seniors who came or did not, known walk-ins (new ones are created), anonymous groups. */
  private async seniorRows(m: EntityManager, now: Date, session: Session, input: ReportInput, before: Attendance[]) {
    const recorded = new Map(before.filter((a) => a.seniorId).map((a) => [a.seniorId!, a]));
    const seated = await m.find(Registration, {
      where: { sessionId: session.id, status: 'confirmed' },
      select: { id: true, seniorId: true },
    });
    const seatedIds = new Set(seated.map((r) => r.seniorId));
    const problems: { field: string; issue: string }[] = [];
    input.came.forEach((id, i) => {
      if (!seatedIds.has(id))
        problems.push({ field: `body.came.${i}`, issue: 'not a senior with a seat at this session' });
      if (input.came.indexOf(id) !== i) problems.push({ field: `body.came.${i}`, issue: 'listed twice' });
    });
    const walkIns = input.walkIns.seniorIds;
    const known = walkIns.length
      ? (await m.find(Senior, { where: { id: In(walkIns), municipalityId: session.municipalityId } })).filter(
          (p) => !p.erasedAt || recorded.has(p.id),
        )
      : [];
    walkIns.forEach((id, i) => {
      if (!known.some((k) => k.id === id))
        problems.push({ field: `body.walkIns.seniorIds.${i}`, issue: 'no senior of this municipality with this id' });
      else if (seatedIds.has(id))
        problems.push({ field: `body.walkIns.seniorIds.${i}`, issue: 'has a seat: list them under came' });
      else if (walkIns.indexOf(id) !== i)
        problems.push({ field: `body.walkIns.seniorIds.${i}`, issue: 'listed twice' });
    });
    // Who helped whom: a senior who came, and a guide on the schedule or in the form.
    const came = new Set(input.came);
    const helpers = new Set([
      ...input.guides.map((g) => g.guideId),
      ...(
        await m.find(Assignment, {
          where: { sessionId: session.id, status: 'published' },
          select: { id: true, guideId: true },
        })
      ).map((a) => a.guideId),
    ]);
    const helpedBy = new Map<string, string>();
    input.helpedBy.forEach((h, i) => {
      if (!came.has(h.seniorId) && !walkIns.includes(h.seniorId))
        problems.push({
          field: `body.helpedBy.${i}.seniorId`,
          issue: 'not a senior who came (came or walkIns.seniorIds)',
        });
      else if (helpedBy.has(h.seniorId)) problems.push({ field: `body.helpedBy.${i}.seniorId`, issue: 'listed twice' });
      if (!helpers.has(h.guideId))
        problems.push({ field: `body.helpedBy.${i}.guideId`, issue: 'not a guide of this café (schedule or guides)' });
      helpedBy.set(h.seniorId, h.guideId);
    });
    input.walkIns.anonymous.forEach((a, i) => {
      if (!a.helpedByGuideId) return;
      if (!helpers.has(a.helpedByGuideId))
        problems.push({
          field: `body.walkIns.anonymous.${i}.helpedByGuideId`,
          issue: 'not a guide of this café (schedule or guides)',
        });
    });
    if (problems.length)
      throw new UnprocessableError('invalid_attendance', 'Some seniors cannot be recorded like this', problems);

    const created = [];
    for (const [i, n] of input.walkIns.newSeniors.entries())
      created.push(
        await insertSenior(
          m,
          now,
          { ...n, municipalityId: session.municipalityId },
          `body.walkIns.newSeniors.${i}.consentGivenAt`,
        ),
      );
    const people = new Map([...known, ...created].map((p) => [p.id, p]));
    const seatedPeople = seated.length ? await m.find(Senior, { where: { id: In([...seatedIds]) } }) : [];
    seatedPeople.forEach((p) => people.set(p.id, p));
    const traits = (id: string) => {
      const was = recorded.get(id);
      if (was) return { ageBand: was.ageBand, gender: was.gender, newlyArrived: was.newlyArrived };
      const p = people.get(id);
      return { ageBand: p?.ageBand ?? null, gender: p?.gender ?? null, newlyArrived: p?.newlyArrived ?? null };
    };
    return [
      ...[...seatedIds].map((id) => ({
        seniorId: id,
        kind: 'registered' as const,
        present: came.has(id),
        count: 1,
        ...traits(id),
        helpedByGuideId: (came.has(id) && helpedBy.get(id)) || null,
      })),
      ...[...walkIns, ...created.map((c) => c.id)].map((id) => ({
        seniorId: id,
        kind: 'walk_in' as const,
        present: true,
        count: 1,
        ...traits(id),
        helpedByGuideId: helpedBy.get(id) ?? null,
      })),
      ...input.walkIns.anonymous.map((a) => ({
        seniorId: null,
        kind: 'walk_in' as const,
        present: true,
        count: a.count,
        ageBand: a.ageBand ?? null,
        gender: a.gender ?? null,
        newlyArrived: a.newlyArrived ?? null,
        helpedByGuideId: a.helpedByGuideId ?? null,
      })),
    ];
  }

  /** Each guide's work: those given, and the scheduled ones left out as no-shows. Who came unscheduled is a substitute. */
  /** `earlier`: the shifts of the report corrected; an approved time that is sent again unchanged stays approved. */
  private async shiftRows(
    m: EntityManager,
    session: Session,
    input: ReportInput,
    approver: string | null,
    earlier: GuideShift[],
  ) {
    const scheduled = new Set(
      (
        await m.find(Assignment, {
          where: { sessionId: session.id, status: 'published' },
          select: { id: true, guideId: true },
        })
      ).map((a) => a.guideId),
    );
    const given = input.guides.map((g) => g.guideId);
    const all = [...new Set([...given, ...scheduled])];
    const guides = all.length
      ? await m.find(Guide, {
          where: { id: In(all), municipalityId: session.municipalityId },
          select: { id: true, associationId: true },
        })
      : [];
    const problems: { field: string; issue: string }[] = [];
    given.forEach((id, i) => {
      if (!guides.some((g) => g.id === id))
        problems.push({ field: `body.guides.${i}.guideId`, issue: 'no guide of this municipality with this id' });
      if (given.indexOf(id) !== i) problems.push({ field: `body.guides.${i}.guideId`, issue: 'listed twice' });
    });
    if (problems.length)
      throw new UnprocessableError('invalid_attendance', 'Some guides cannot be recorded like this', problems);
    const association = new Map(guides.map((g) => [g.id, g.associationId]));
    const at = (time: string) => localToInstant(session.localDate, time, session.timeZone);
    // Worked times are the basis of pay: within the café's time and the margin, or approved by a coordinator.
    const { earliest, latest } = this.limits(session);
    const local = (d: Date) => instantToLocal(d, session.timeZone).time;
    const within = `must be within ${local(earliest)}–${local(latest)} (the café's time and ${this.deps.workedMarginMinutes} minutes before and after)`;
    const outside: { field: string; issue: string }[] = [];
    // A time sent again as the corrected report had it stands as it was (approved or from before
    // the limits, or a smaller margin since): a correction of the counts does not reopen it.
    const unchanged = (g: ReportInput['guides'][number]) =>
      g.status === 'worked'
        ? earlier.find(
            (s) =>
              s.guideId === g.guideId &&
              s.status === 'worked' &&
              s.startedAt?.getTime() === at(g.start!).getTime() &&
              s.endedAt?.getTime() === at(g.end!).getTime(),
          )
        : undefined;
    input.guides.forEach((g, i) => {
      if (g.status !== 'worked' || unchanged(g)) return;
      const out = [
        ...(at(g.start!) < earliest ? [{ field: `body.guides.${i}.start`, issue: within }] : []),
        ...(at(g.end!) > latest ? [{ field: `body.guides.${i}.end`, issue: within }] : []),
      ];
      if (!out.length) return;
      if (!g.approved) outside.push(...out);
      else if (!approver)
        outside.push({ field: `body.guides.${i}.approved`, issue: 'only a coordinator may approve a time outside' });
    });
    if (outside.length)
      throw new UnprocessableError(
        'worked_time_outside',
        "A worked time lies outside the café's time and its margin; a coordinator may approve it",
        outside,
      );
    return all.map((guideId) => {
      const g = input.guides.find((x) => x.guideId === guideId);
      const worked = g?.status === 'worked';
      const startedAt = worked ? at(g.start!) : null;
      const endedAt = worked ? at(g.end!) : null;
      const isOutside = !!startedAt && !!endedAt && (startedAt < earliest || endedAt > latest);
      const kept = g && unchanged(g);
      return {
        guideId,
        associationId: association.get(guideId)!,
        status: worked ? ('worked' as const) : ('no_show' as const),
        substitute: !scheduled.has(guideId),
        startedAt,
        endedAt,
        minutes: startedAt && endedAt ? Math.round((endedAt.getTime() - startedAt.getTime()) / 60_000) : 0,
        approvedBy: isOutside ? (kept ? kept.approvedBy : approver) : null,
      };
    });
  }

  private async load(m: EntityManager, report: SessionReport): Promise<FullReport> {
    const where = { reportId: report.id };
    return {
      report,
      attendances: await m.find(Attendance, { where, order: { kind: 'ASC', seniorId: 'ASC', id: 'ASC' } }),
      shifts: await m.find(GuideShift, { where, order: { guideId: 'ASC' } }),
      help: await m.find(ReportHelp, { where, order: { dimension: 'ASC', key: 'ASC' } }),
      cells: await m.find(ReportHelpCell, { where, order: { platform: 'ASC', topic: 'ASC' } }),
    };
  }
}

type HelpCellInput = { platform: Platform; topic: Topic; count: number };

/**
 * The session's topics by platform as rows to store (none where the form leaves it out), checked
 * against the counts it breaks down: per platform they add up to help.platforms, per topic to
 * help.topics. A breakdown that does not add up is refused, naming where.
 */
function helpCells(help: ReportInput['help']): HelpCellInput[] {
  const given = help.topicsByPlatform;
  if (!given) return [];
  const field = 'body.help.topicsByPlatform';
  const problems: { field: string; issue: string }[] = [];
  const seen = new Set<string>();
  given.forEach((c, i) => {
    const key = `${c.platform}|${c.topic}`;
    if (seen.has(key)) problems.push({ field: `${field}.${i}`, issue: 'this platform and topic are listed twice' });
    seen.add(key);
  });
  const sums = (pick: (c: HelpCellInput) => string) => {
    const out = new Map<string, number>();
    for (const c of given) out.set(pick(c), (out.get(pick(c)) ?? 0) + c.count);
    return out;
  };
  const compare = (name: 'platforms' | 'topics', counts: Partial<Record<string, number>>, got: Map<string, number>) => {
    for (const key of [...new Set([...Object.keys(counts), ...got.keys()])].sort()) {
      const want = counts[key] ?? 0;
      const have = got.get(key) ?? 0;
      if (want !== have)
        problems.push({ field, issue: `adds up to ${have} for ${key}, but help.${name}.${key} is ${want}` });
    }
  };
  compare(
    'platforms',
    help.platforms,
    sums((c) => c.platform),
  );
  compare(
    'topics',
    help.topics,
    sums((c) => c.topic),
  );
  if (problems.length)
    throw new UnprocessableError(
      'invalid_attendance',
      'Topics by platform must add up to the counts of topics and of platforms',
      problems,
    );
  return given.filter((c) => c.count > 0);
}

/** The queue's helped visitors as topics by platform; null if one lacks a platform or a topic (it cannot be broken down). */
function queueCells(entries: QueueEntry[]): HelpCellInput[] | null {
  const helped = entries.filter((e) => e.status === 'helping' || e.status === 'done');
  const cells = new Map<string, HelpCellInput>();
  for (const e of helped) {
    const topic = e.doneTopic ?? e.topic;
    if (!e.platform || !topic) return null;
    const key = `${e.platform}|${topic}`;
    const c = cells.get(key) ?? { platform: e.platform, topic, count: 0 };
    c.count++;
    cells.set(key, c);
  }
  return [...cells.values()].sort((a, b) => a.platform.localeCompare(b.platform) || a.topic.localeCompare(b.topic));
}
