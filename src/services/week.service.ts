import type { Assignment, Registration, Session, Venue } from '../db/entities';
import type { Reason } from '../domain/matching/reasons';
import { isoWeekRange } from '../domain/time';
import type { ServiceDeps } from './support';
import { auditShown } from './audit';
import { type SeatedPair, seatedOf, type SeatedRow, SEATED_COLUMNS, sessionPairs } from './pairs';
import { boolOf, groupBy, instantOf, jsonOf, rawRows, SESSION_COLUMNS, sessionOf, type SessionRow } from './raw';

export type Counts = Record<string, number>;

export interface WeekSession {
  session: Session;
  venue: Pick<Venue, 'id' | 'name' | 'address'>;
  confirmed: number;
  waitlisted: number;
  /** Seniors with a seat per platform they bring (a senior with two iPhones counts once). */
  platformDemand: Counts;
  /** Preferred languages other than Swedish among seniors with a seat. */
  languageDemand: Counts;
  topicDemand: Counts;
  /** Only for those who may see the seniors (`withSeniors`); empty otherwise. */
  registrations: {
    registration: Pick<Registration, 'id' | 'seniorId' | 'status' | 'devices' | 'topic'>;
    displayName: string;
  }[];
  /** Who helps whom: each senior with a seat and the guide paired with them; only with `withSeniors`. */
  pairs: SeatedPair[];
  guides: {
    assignment: Pick<Assignment, 'id' | 'guideId' | 'status' | 'pinned' | 'response' | 'conflict'>;
    name: string;
  }[];
  /** Places given up and not yet taken: who gave it up, and the guides asked to take it. */
  openPlaces: { guide: string; asked: string[]; since: Date }[];
}

export interface WeekView {
  municipalityId: string;
  week: string;
  from: string;
  to: string;
  sessions: WeekSession[];
  totals: {
    sessions: number;
    scheduled: number;
    cancelled: number;
    confirmed: number;
    waitlisted: number;
    platformDemand: Counts;
  };
}

/** A municipality's week at a glance: every session with its seats, the platforms in demand and the guides on duty. */
export class WeekService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * The week; `withSeniors` adds who has signed up, by name, and logs that they were shown.
   * The route has checked the municipality (ownership): an unknown one has no sessions here.
   * Hot: plain SQL, each thing read once, the week's cafés joined in every statement.
   */
  async week(municipalityId: string, week: string, { withSeniors = false } = {}): Promise<WeekView> {
    const m = this.deps.store.manager;
    const { monday, sunday } = isoWeekRange(week);
    const inWeek = 's.municipality_id = ? AND s.local_date BETWEEN ? AND ?';
    const params = [municipalityId, monday, sunday];
    const [sessionRows, regRows, assignmentRows, vacancyRows] = await Promise.all([
      rawRows<SessionRow & { venue_name: string; venue_address: string }>(
        m,
        `SELECT ${SESSION_COLUMNS}, v.name AS venue_name, v.address AS venue_address
         FROM sessions s JOIN venues v ON v.id = s.venue_id WHERE ${inWeek} ORDER BY s.starts_at, s.id`,
        params,
      ),
      rawRows<SeatedRow & { id: string; status: 'confirmed' | 'waitlisted'; senior_municipality_id: string }>(
        m,
        `SELECT r.id, r.status, ${SEATED_COLUMNS}, n.municipality_id AS senior_municipality_id
         FROM registrations r JOIN sessions s ON s.id = r.session_id JOIN seniors n ON n.id = r.senior_id
         WHERE ${inWeek} AND r.status IN ('confirmed', 'waitlisted') ORDER BY r.session_id, r.queue_number`,
        params,
      ),
      rawRows<{
        id: string;
        session_id: string;
        guide_id: string;
        status: Assignment['status'];
        pinned: unknown;
        response: Assignment['response'];
        conflict: unknown;
        name: string;
      }>(
        m,
        `SELECT a.id, a.session_id, a.guide_id, a.status, a.pinned, a.response, a.conflict, g.name
         FROM assignments a JOIN sessions s ON s.id = a.session_id JOIN guides g ON g.id = a.guide_id
         WHERE ${inWeek} ORDER BY a.created_at, a.id`,
        params,
      ),
      rawRows<{ id: string; session_id: string; created_at: unknown; declined: string; asked: string | null }>(
        m,
        `SELECT x.id, x.session_id, x.created_at, d.name AS declined, og.name AS asked
         FROM vacancies x JOIN sessions s ON s.id = x.session_id JOIN guides d ON d.id = x.declined_guide_id
         LEFT JOIN substitute_offers o ON o.vacancy_id = x.id LEFT JOIN guides og ON og.id = o.guide_id
         WHERE ${inWeek} AND x.status = 'open' ORDER BY x.created_at, x.id, o.created_at, o.id`,
        params,
      ),
    ]);
    const sessions = sessionRows.map(sessionOf);
    const registrations = regRows.map((r) => ({ ...seatedOf(r), id: r.id, status: r.status }));
    if (withSeniors)
      await auditShown(
        this.deps,
        'week',
        regRows.map((r) => ({ id: r.senior_id, municipalityId: r.senior_municipality_id })),
      );
    const regsBySession = groupBy(registrations, (r) => r.sessionId);
    const guidesBySession = groupBy(
      assignmentRows.map((a) => ({
        sessionId: a.session_id,
        assignment: {
          id: a.id,
          guideId: a.guide_id,
          status: a.status,
          pinned: boolOf(a.pinned),
          response: a.response,
          conflict: jsonOf<Reason[] | null>(a.conflict),
        },
        name: a.name,
      })),
      (a) => a.sessionId,
    );
    const openBySession = new Map<string, WeekSession['openPlaces']>();
    let last: { id: string; place: WeekSession['openPlaces'][number] } | undefined;
    for (const x of vacancyRows) {
      if (last?.id !== x.id) {
        last = { id: x.id, place: { guide: x.declined, asked: [], since: instantOf(x.created_at) } };
        const list = openBySession.get(x.session_id);
        if (list) list.push(last.place);
        else openBySession.set(x.session_id, [last.place]);
      }
      if (x.asked !== null) last.place.asked.push(x.asked);
    }

    const totals = {
      sessions: sessions.length,
      scheduled: 0,
      cancelled: 0,
      confirmed: 0,
      waitlisted: 0,
      platformDemand: {} as Counts,
    };
    const views = sessions.map((session, i): WeekSession => {
      const regs = regsBySession.get(session.id) ?? [];
      const seated = regs.filter((r) => r.status === 'confirmed');
      const platformDemand: Counts = {};
      const languageDemand: Counts = {};
      const topicDemand: Counts = {};
      for (const r of seated) {
        for (const platform of new Set(r.devices.map((d) => d.platform))) bump(platformDemand, platform);
        if (r.language && r.language !== 'sv') bump(languageDemand, r.language);
        if (r.topic) bump(topicDemand, r.topic);
      }
      totals[session.status]++;
      if (session.status === 'scheduled') {
        totals.confirmed += seated.length;
        totals.waitlisted += regs.length - seated.length;
        for (const [p, n] of Object.entries(platformDemand))
          totals.platformDemand[p] = (totals.platformDemand[p] ?? 0) + n;
      }
      const row = sessionRows[i];
      return {
        session,
        venue: { id: session.venueId, name: row.venue_name, address: row.venue_address },
        confirmed: seated.length,
        waitlisted: regs.length - seated.length,
        platformDemand,
        languageDemand,
        topicDemand,
        registrations: withSeniors
          ? regs.map((registration) => ({ registration, displayName: registration.displayName }))
          : [],
        pairs: [] as SeatedPair[],
        guides: (guidesBySession.get(session.id) ?? []).map(({ assignment, name }) => ({ assignment, name })),
        openPlaces: openBySession.get(session.id) ?? [],
      };
    });
    if (withSeniors) {
      const pairs = await sessionPairs(
        m,
        this.deps.clock.now(),
        sessions,
        { publishedOnly: false },
        {
          onDuty: assignmentRows.map((a) => ({ sessionId: a.session_id, guideId: a.guide_id })),
          seated: registrations.filter((r) => r.status === 'confirmed'),
        },
      );
      for (const v of views) v.pairs = pairs.get(v.session.id) ?? [];
    }
    return { municipalityId, week, from: monday, to: sunday, sessions: views, totals };
  }
}

function bump(counts: Counts, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
