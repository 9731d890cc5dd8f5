import { type EntityManager, In, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { Contract, Organisation, Session, SessionReport, Venue } from '../db/entities';
import { periodRange } from '../domain/reports';
import { instantToLocal } from '../domain/time';
import { AGE_BANDS, GENDERS } from '../domain/vocabulary';
import { NotFoundError, UnprocessableError } from '../domain/errors';
import { instantOf, rawNamed, instantParam } from './raw';
import { getOr404, type ServiceDeps } from './support';

export type Counts = Record<string, number>;

export interface ScopeFigures {
  /** planned = held (reported) + unreported (over, no report) + cancelled + upcoming. */
  sessions: { planned: number; held: number; unreported: number; cancelled: number; upcoming: number };
  visits: number;
  registeredVisits: number;
  walkInVisits: number;
  /** Walk-ins who gave no name: each counts as one visitor, never as a repeat. */
  anonymousVisits: number;
  uniqueVisitors: number;
  repeatVisitors: number;
  /** Seniors who in the period were helped by a guide who had helped them at an earlier café. */
  helpedAgain: number;
  sinceContractStart: { uniqueVisitors: number; repeatVisitors: number };
  ageBands: Counts;
  gender: Counts;
  newlyArrived: number;
  seniorNoShows: number;
  topics: Counts;
  platforms: Counts;
  /** Topics by platform, keyed `platform:topic`, from the sessions reported with the breakdown. */
  topicsByPlatform: Counts;
  /** Held sessions with topics or platforms but no topics by platform (reported before it was asked). */
  sessionsNotBrokenDown: number;
  guideShifts: number;
  guideMinutes: number;
  guideNoShows: number;
  /** Visits per guide shift worked. */
  seniorsPerGuide: number | null;
}

export interface ReportFigures {
  period: string;
  from: string;
  to: string;
  contract: { id: string; reference: string | null; startsOn: string; endsOn: string };
  municipality: { id: string; name: string };
  association: { id: string; name: string };
  total: ScopeFigures & {
    cancelReasons: { reason: string; sessions: number }[];
    unreportedSessions: { sessionId: string; localDate: string; startTime: string; venue: string }[];
  };
  venues: (ScopeFigures & { venueId: string; name: string })[];
  guides: {
    guideId: string;
    name: string;
    shifts: number;
    minutes: number;
    noShows: number;
    substituteShifts: number;
  }[];
}

const TOTAL = '*';

/**
 * The cafés a contract's report counts: its association's. A café that names no association is
 * the one's whose contract covers its date, where no other association's does. As SQL conditions
 * on `x`, for sessions, rows of a session, and rows of a session's report.
 */
function contractCafes() {
  const own = (a: string) =>
    `(${a}.association_id = :associationId OR (${a}.association_id IS NULL AND NOT EXISTS (SELECT 1 FROM contracts o WHERE o.municipality_id = ${a}.municipality_id AND o.association_id <> :associationId AND ${a}.local_date BETWEEN o.starts_on AND o.ends_on)))`;
  const ids = `SELECT c.id FROM sessions c WHERE c.municipality_id = :municipalityId AND c.local_date BETWEEN :from AND :to AND ${own('c')}`;
  return {
    session: own('x'),
    bySession: `x.session_id IN (${ids})`,
    byReport: `x.report_id IN (SELECT r.id FROM session_reports r WHERE r.session_id IN (${ids}))`,
    none: '1 = 1',
  };
}
type CafeLink = keyof ReturnType<typeof contractCafes>;
/** A number as a driver returns it from SUM or COUNT: a number on sqlite, a string on PostgreSQL. */
type Num = number | string;
const num = (v: unknown) => Number(v ?? 0);

/** A figure per scope (each venue, and the total under TOTAL). */
class ByScope<T> {
  private readonly map = new Map<string, T>();
  constructor(private readonly make: () => T) {}
  of(scope: string): T {
    let v = this.map.get(scope);
    if (!v) this.map.set(scope, (v = this.make()));
    return v;
  }
}

/**
 * The figures a contractor association reports to its municipality for a contract and period:
 * counts only, per venue and in total. Everything is counted in SQL with GROUP BY over the
 * (municipality, local date) indexes; JavaScript only sees one row per group or per person.
 */
export class ReportService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * The month a report page opens on: the latest month of the contract with a café reported,
   * else with a café held or planned up to today; null when the contract has none yet.
   */
  async latestPeriod(contractId: string): Promise<string | null> {
    const m = this.deps.store.manager;
    const contract = await getOr404(m, Contract, 'contract', contractId);
    const municipality = await m.findOneByOrFail(Organisation, { id: contract.municipalityId });
    const today = instantToLocal(this.deps.clock.now(), municipality.timeZone).date;
    const range = {
      municipalityId: contract.municipalityId,
      associationId: contract.associationId,
      from: contract.startsOn,
      to: contract.endsOn < today ? contract.endsOn : today,
    };
    const cafes = contractCafes();
    // As text on both databases (PostgreSQL's driver would make a date a Date).
    const latest = (qb: SelectQueryBuilder<ObjectLiteral>) =>
      qb
        .select('CAST(MAX(x.local_date) AS VARCHAR(10))', 'last')
        .andWhere('x.municipality_id = :municipalityId AND x.local_date BETWEEN :from AND :to', range)
        .getRawOne<{ last: string | null }>()
        .then((r) => (r?.last ? String(r.last).slice(0, 7) : null));
    return (
      (await latest(m.createQueryBuilder(SessionReport, 'x').where(cafes.bySession))) ??
      // No report yet: the latest café that is over and was not cancelled.
      (await latest(
        m
          .createQueryBuilder(Session, 'x')
          .where("x.status = 'scheduled'")
          .andWhere(cafes.session)
          .andWhere('x.ends_at <= :now', { now: instantParam(m, this.deps.clock.now()) }),
      ))
    );
  }

  /**
   * The contract's cafés that are over, were not cancelled and have no report yet, oldest first:
   * what its association still has to report.
   */
  async unreported(
    contractId: string,
  ): Promise<
    { sessionId: string; localDate: string; startsAt: Date; endsAt: Date; timeZone: string; venue: string }[]
  > {
    const m = this.deps.store.manager;
    const contract = await getOr404(m, Contract, 'contract', contractId);
    const now = this.deps.clock.now();
    const cafes = contractCafes();
    const rows = await m
      .createQueryBuilder(Session, 'x')
      .where('x.municipality_id = :municipalityId AND x.local_date BETWEEN :from AND :to', {
        municipalityId: contract.municipalityId,
        associationId: contract.associationId,
        from: contract.startsOn,
        to: contract.endsOn,
      })
      .andWhere(cafes.session)
      .andWhere("x.status = 'scheduled'")
      .andWhere('x.ends_at <= :now', { now: instantParam(m, now) })
      .andWhere('NOT EXISTS (SELECT 1 FROM session_reports r WHERE r.session_id = x.id)')
      .orderBy('x.startsAt', 'ASC')
      .getMany();
    const venues = rows.length
      ? await m.find(Venue, {
          where: { id: In([...new Set(rows.map((r) => r.venueId))]) },
          select: { id: true, name: true },
        })
      : [];
    return rows.map((x) => ({
      sessionId: x.id,
      localDate: x.localDate,
      startsAt: x.startsAt,
      endsAt: x.endsAt,
      timeZone: x.timeZone,
      venue: venues.find((v) => v.id === x.venueId)?.name ?? '',
    }));
  }

  /**
   * A report's figures. Hot: every statement is plain SQL (no query building), and the contract
   * is read with both its parties in one.
   */
  async figures(contractId: string, period: string): Promise<ReportFigures> {
    const m = this.deps.store.manager;
    const [found] = await rawNamed<{
      id: string;
      reference: string | null;
      starts_on: string;
      ends_on: string;
      municipality_id: string;
      association_id: string;
      municipality_name: string;
      association_name: string;
    }>(
      m,
      `SELECT c.id, c.reference, CAST(c.starts_on AS VARCHAR(10)) AS starts_on, CAST(c.ends_on AS VARCHAR(10)) AS ends_on,
         c.municipality_id, c.association_id, mo.name AS municipality_name, ao.name AS association_name
       FROM contracts c JOIN organisations mo ON mo.id = c.municipality_id JOIN organisations ao ON ao.id = c.association_id
       WHERE c.id = :id`,
      { id: contractId },
    );
    if (!found) throw new NotFoundError('contract', contractId);
    const contract = {
      id: found.id,
      reference: found.reference,
      startsOn: found.starts_on,
      endsOn: found.ends_on,
      municipalityId: found.municipality_id,
      associationId: found.association_id,
    };
    const municipality = { id: found.municipality_id, name: found.municipality_name };
    const association = { id: found.association_id, name: found.association_name };
    // Only what the contract covers: a contract that starts mid-month reports from its first day.
    const range0 = periodRange(period);
    const from = range0.from < contract.startsOn ? contract.startsOn : range0.from;
    const to = range0.to > contract.endsOn ? contract.endsOn : range0.to;
    if (from > to) {
      throw new UnprocessableError(
        'period_outside_contract',
        `The contract runs ${contract.startsOn} – ${contract.endsOn}`,
        [{ field: 'params.period', issue: `outside the contract (${contract.startsOn} – ${contract.endsOn})` }],
      );
    }
    const range = { municipalityId: contract.municipalityId, associationId: contract.associationId, from, to };
    const cafes = contractCafes();
    /** `SELECT <select> FROM <table> x` in the range, of the contract's cafés, then `rest` (GROUP BY …). */
    const select = <T>(select: string, table: string, link: CafeLink, rest = '', extra: Record<string, unknown> = {}) =>
      rawNamed<T>(
        m,
        `SELECT ${select} FROM ${table} WHERE x.municipality_id = :municipalityId AND x.local_date BETWEEN :from AND :to AND ${cafes[link]} ${rest}`,
        { ...range, ...extra },
      );

    const scopes = new ByScope<ScopeFigures>(() => ({
      sessions: { planned: 0, held: 0, unreported: 0, cancelled: 0, upcoming: 0 },
      visits: 0,
      registeredVisits: 0,
      walkInVisits: 0,
      anonymousVisits: 0,
      uniqueVisitors: 0,
      repeatVisitors: 0,
      helpedAgain: 0,
      sinceContractStart: { uniqueVisitors: 0, repeatVisitors: 0 },
      ageBands: zero([...AGE_BANDS, 'unknown']),
      gender: zero([...GENDERS, 'unknown']),
      newlyArrived: 0,
      seniorNoShows: 0,
      topics: {},
      platforms: {},
      topicsByPlatform: {},
      sessionsNotBrokenDown: 0,
      guideShifts: 0,
      guideMinutes: 0,
      guideNoShows: 0,
      seniorsPerGuide: null,
    }));
    const both = (venue: string) => [scopes.of(venue), scopes.of(TOTAL)];

    // Sessions: planned (all but removed), cancelled with reasons, held (reported).
    const reasons = new Map<string, number>();
    for (const r of await select<{ venue: string; status: string; reason: string | null; n: Num }>(
      'x.venue_id AS venue, x.status AS status, x.cancel_reason AS reason, COUNT(*) AS n',
      'sessions x',
      'session',
      'GROUP BY x.venue_id, x.status, x.cancel_reason',
    )) {
      for (const s of both(r.venue)) {
        s.sessions.planned += num(r.n);
        if (r.status === 'cancelled') s.sessions.cancelled += num(r.n);
      }
      if (r.status === 'cancelled') reasons.set(r.reason ?? '', (reasons.get(r.reason ?? '') ?? 0) + num(r.n));
    }
    for (const r of await select<{ venue: string; n: Num }>(
      'x.venue_id AS venue, COUNT(*) AS n',
      'session_reports x',
      'bySession',
      'GROUP BY x.venue_id',
    )) {
      for (const s of both(r.venue)) s.sessions.held += num(r.n);
    }
    // Scheduled sessions without a report: over (the association still has to report them) or to come.
    const open = (
      await select<{
        id: string;
        venue_id: string;
        local_date: string;
        starts_at: unknown;
        ends_at: unknown;
        time_zone: string;
      }>(
        'x.id, x.venue_id, CAST(x.local_date AS VARCHAR(10)) AS local_date, x.starts_at, x.ends_at, x.time_zone',
        'sessions x',
        'session',
        "AND x.status = 'scheduled' AND NOT EXISTS (SELECT 1 FROM session_reports r WHERE r.session_id = x.id) ORDER BY x.starts_at",
      )
    ).map((x) => ({
      id: x.id,
      venueId: x.venue_id,
      localDate: x.local_date,
      startsAt: instantOf(x.starts_at),
      endsAt: instantOf(x.ends_at),
      timeZone: x.time_zone,
    }));
    const now = this.deps.clock.now();
    const unreported = open.filter((x) => x.endsAt <= now);
    for (const x of open) for (const s of both(x.venueId)) s.sessions[x.endsAt <= now ? 'unreported' : 'upcoming']++;

    // Visits by kind; seniors who had a seat and did not come.
    for (const r of await select<{ venue: string; kind: string; present: boolean | number | null; anon: Num; n: Num }>(
      'x.venue_id AS venue, x.kind AS kind, x.present AS present, CASE WHEN x.senior_id IS NULL THEN 1 ELSE 0 END AS anon, SUM(x.count) AS n',
      'attendances x',
      'bySession',
      'GROUP BY x.venue_id, x.kind, x.present, CASE WHEN x.senior_id IS NULL THEN 1 ELSE 0 END',
    )) {
      const present = r.present === true || num(r.present) === 1;
      for (const s of both(r.venue)) {
        if (!present) {
          s.seniorNoShows += num(r.n);
          continue;
        }
        s.visits += num(r.n);
        if (r.kind === 'registered') s.registeredVisits += num(r.n);
        else s.walkInVisits += num(r.n);
        if (num(r.anon) === 1) s.anonymousVisits += num(r.n);
      }
    }

    // Visitors: one row per person (per venue, and overall), then the anonymous groups.
    await this.visitors(m, { ...range }, cafes.bySession, scopes, false);
    await this.visitors(m, { ...range, from: contract.startsOn }, cafes.bySession, scopes, true);
    await this.helpedAgain(m, range, cafes.bySession, scopes);

    // What was helped with.
    for (const r of await select<{ venue: string; dimension: string; key: string; n: Num }>(
      'x.venue_id AS venue, x.dimension AS dimension, x."key" AS "key", SUM(x.count) AS n',
      'report_help x',
      'byReport',
      'GROUP BY x.venue_id, x.dimension, x."key"',
    )) {
      for (const s of both(r.venue)) {
        const counts = r.dimension === 'topic' ? s.topics : s.platforms;
        counts[r.key] = (counts[r.key] ?? 0) + num(r.n);
      }
    }

    // Topics by platform, from the sessions reported with it; the others are counted as not broken down.
    for (const r of await select<{ venue: string; platform: string; topic: string; n: Num }>(
      'x.venue_id AS venue, x.platform AS platform, x.topic AS topic, SUM(x.count) AS n',
      'report_help_cells x',
      'byReport',
      'GROUP BY x.venue_id, x.platform, x.topic',
    )) {
      for (const s of both(r.venue)) {
        const key = `${r.platform}:${r.topic}`;
        s.topicsByPlatform[key] = (s.topicsByPlatform[key] ?? 0) + num(r.n);
      }
    }
    for (const r of await select<{ venue: string; n: Num }>(
      'x.venue_id AS venue, COUNT(*) AS n',
      'session_reports x',
      'bySession',
      'AND EXISTS (SELECT 1 FROM report_help h WHERE h.report_id = x.id) AND NOT EXISTS (SELECT 1 FROM report_help_cells c WHERE c.report_id = x.id) GROUP BY x.venue_id',
    )) {
      for (const s of both(r.venue)) s.sessionsNotBrokenDown += num(r.n);
    }

    // Guides' hours: the contract's association only (the basis for its invoice).
    const guideRows = await select<{
      guide: string;
      name: string;
      venue: string;
      status: string;
      substitute: boolean | number;
      n: Num;
      minutes: Num;
    }>(
      'x.guide_id AS guide, g.name AS name, x.venue_id AS venue, x.status AS status, x.substitute AS substitute, COUNT(*) AS n, SUM(x.minutes) AS minutes',
      'guide_shifts x JOIN guides g ON g.id = x.guide_id',
      'none',
      'AND x.association_id = :associationId GROUP BY x.guide_id, g.name, x.venue_id, x.status, x.substitute',
    );
    const perGuide = new ByScope(() => ({ shifts: 0, minutes: 0, noShows: 0, substituteShifts: 0 }));
    for (const r of guideRows) {
      const g = perGuide.of(r.guide);
      if (r.status === 'worked') {
        g.shifts += num(r.n);
        g.minutes += num(r.minutes);
        if (r.substitute === true || num(r.substitute) === 1) g.substituteShifts += num(r.n);
      } else g.noShows += num(r.n);
      for (const s of both(r.venue)) {
        if (r.status === 'worked') {
          s.guideShifts += num(r.n);
          s.guideMinutes += num(r.minutes);
        } else s.guideNoShows += num(r.n);
      }
    }

    const venues = await rawNamed<{ id: string; name: string }>(
      m,
      `SELECT v.id, v.name FROM venues v WHERE v.id IN (SELECT x.venue_id FROM sessions x
       WHERE x.municipality_id = :municipalityId AND x.local_date BETWEEN :from AND :to AND ${cafes.session})`,
      range,
    );
    const guides = [...new Map(guideRows.map((r) => [r.guide, { id: r.guide, name: r.name }])).values()];
    const finish = (s: ScopeFigures) =>
      Object.assign(s, { seniorsPerGuide: s.guideShifts ? Math.round((s.visits / s.guideShifts) * 10) / 10 : null });
    return {
      period,
      from,
      to,
      contract: {
        id: contract.id,
        reference: contract.reference,
        startsOn: contract.startsOn,
        endsOn: contract.endsOn,
      },
      municipality: { id: municipality.id, name: municipality.name },
      association: { id: association.id, name: association.name },
      total: {
        ...finish(scopes.of(TOTAL)),
        cancelReasons: [...reasons]
          .map(([reason, sessions]) => ({ reason, sessions }))
          .sort((a, b) => b.sessions - a.sessions || a.reason.localeCompare(b.reason)),
        unreportedSessions: unreported.map((x) => ({
          sessionId: x.id,
          localDate: x.localDate,
          startTime: instantToLocal(x.startsAt, x.timeZone).time,
          venue: venues.find((v) => v.id === x.venueId)?.name ?? '',
        })),
      },
      venues: venues
        .map((v) => ({ venueId: v.id, name: v.name, ...finish(scopes.of(v.id)) }))
        .sort((a, b) => a.name.localeCompare(b.name, 'sv')),
      guides: guides
        .map((g) => ({ guideId: g.id, name: g.name, ...perGuide.of(g.id) }))
        .sort((a, b) => a.name.localeCompare(b.name, 'sv')),
    };
  }

  /**
   * Continuity: the seniors who, at a café of the period, were helped by a guide who had helped
   * them at an earlier café (any earlier one the after-café form recorded), per venue and overall.
   */
  private async helpedAgain(
    m: EntityManager,
    range: { municipalityId: string; from: string; to: string },
    ofCafes: string,
    scopes: ByScope<ScopeFigures>,
  ): Promise<void> {
    // Present, named, helped by a guide who had helped them at an earlier present visit.
    const again = <T>(select: string, rest = '') =>
      rawNamed<T>(
        m,
        `SELECT ${select} FROM attendances x
         WHERE x.municipality_id = :municipalityId AND x.local_date BETWEEN :from AND :to AND ${ofCafes}
           AND x.present = :yes AND x.senior_id IS NOT NULL AND x.helped_by_guide_id IS NOT NULL
           AND EXISTS (SELECT 1 FROM attendances b WHERE b.senior_id = x.senior_id AND b.helped_by_guide_id = x.helped_by_guide_id AND b.present = :yes AND b.local_date < x.local_date)
         ${rest}`,
        { ...range, yes: true },
      );
    const rows = await again<{ venue: string; n: Num }>(
      'x.venue_id AS venue, COUNT(DISTINCT x.senior_id) AS n',
      'GROUP BY x.venue_id',
    );
    for (const r of rows) scopes.of(r.venue).helpedAgain += num(r.n);
    // Overall, a senior helped again at two venues counts once.
    const [total] = await again<{ n: Num }>('COUNT(DISTINCT x.senior_id) AS n');
    scopes.of(TOTAL).helpedAgain = num(total?.n ?? 0);
  }

  /** Unique and repeat visitors, with age band, gender and newly arrived, per venue and overall. */
  private async visitors(
    m: EntityManager,
    range: { municipalityId: string; associationId: string; from: string; to: string },
    ofCafes: string,
    scopes: ByScope<ScopeFigures>,
    sinceStart: boolean,
  ): Promise<void> {
    const base = <T>(select: string, rest: string) =>
      rawNamed<T>(
        m,
        `SELECT ${select} FROM attendances x
         WHERE x.municipality_id = :municipalityId AND x.local_date BETWEEN :from AND :to AND ${ofCafes} AND x.present = :yes ${rest}`,
        { ...range, yes: true },
      );
    const perPerson = (byVenue: boolean) =>
      base<{
        venue: string;
        senior: string | null;
        visits: Num;
        age: Num | null;
        gender: string | null;
        newly: Num;
      }>(
        `${byVenue ? 'x.venue_id' : `'${TOTAL}'`} AS venue, x.senior_id AS senior, SUM(x.count) AS visits,
         MAX(CASE x.age_band WHEN 'under_65' THEN 1 WHEN '65_74' THEN 2 WHEN '75_plus' THEN 3 END) AS age,
         MAX(x.gender) AS gender, MAX(CASE WHEN x.newly_arrived THEN 1 ELSE 0 END) AS newly`,
        `AND x.senior_id IS NOT NULL GROUP BY ${byVenue ? 'x.venue_id, x.senior_id' : 'x.senior_id'}`,
      );
    for (const byVenue of [true, false]) {
      for (const r of await perPerson(byVenue)) {
        const s = scopes.of(r.venue);
        const repeat = num(r.visits) >= 2 ? 1 : 0;
        if (sinceStart) {
          s.sinceContractStart.uniqueVisitors++;
          s.sinceContractStart.repeatVisitors += repeat;
          continue;
        }
        s.uniqueVisitors++;
        s.repeatVisitors += repeat;
        // The oldest band seen in the period: someone who turned 65 counts as 65–74.
        s.ageBands[r.age ? AGE_BANDS[num(r.age) - 1] : 'unknown']++;
        s.gender[r.gender ?? 'unknown']++;
        s.newlyArrived += num(r.newly);
      }
    }
    const anonymous = await base<{ venue: string; age: string | null; gender: string | null; newly: Num; n: Num }>(
      'x.venue_id AS venue, x.age_band AS age, x.gender AS gender, CASE WHEN x.newly_arrived THEN 1 ELSE 0 END AS newly, SUM(x.count) AS n',
      'AND x.senior_id IS NULL GROUP BY x.venue_id, x.age_band, x.gender, CASE WHEN x.newly_arrived THEN 1 ELSE 0 END',
    );
    for (const r of anonymous) {
      for (const s of [scopes.of(r.venue), scopes.of(TOTAL)]) {
        if (sinceStart) {
          s.sinceContractStart.uniqueVisitors += num(r.n);
          continue;
        }
        s.uniqueVisitors += num(r.n);
        s.ageBands[r.age ?? 'unknown'] += num(r.n);
        s.gender[r.gender ?? 'unknown'] += num(r.n);
        if (num(r.newly) === 1) s.newlyArrived += num(r.n);
      }
    }
  }
}

function zero(keys: string[]): Counts {
  return Object.fromEntries(keys.map((k) => [k, 0]));
}
