import { Between, In } from 'typeorm';
import {
  Assignment,
  Guide,
  Organisation,
  Registration,
  Senior,
  Session,
  SubstituteOffer,
  Vacancy,
  Venue,
} from '../db/entities';
import { NotFoundError } from '../domain/errors';
import { isoWeekRange } from '../domain/time';
import type { ServiceDeps } from './support';
import { auditShown } from './audit';
import { type SeatedPair, sessionPairs } from './pairs';

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
  registrations: { registration: Registration; displayName: string }[];
  /** Who helps whom: each senior with a seat and the guide paired with them; only with `withSeniors`. */
  pairs: SeatedPair[];
  guides: { assignment: Assignment; name: string }[];
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

  /** The week; `withSeniors` adds who has signed up, by name, and logs that they were shown. */
  async week(municipalityId: string, week: string, { withSeniors = false } = {}): Promise<WeekView> {
    const m = this.deps.store.manager;
    if (!(await m.existsBy(Organisation, { id: municipalityId, kind: 'municipality' })))
      throw new NotFoundError('municipality', municipalityId);
    const { monday, sunday } = isoWeekRange(week);
    const sessions = await m.find(Session, {
      where: { municipalityId, localDate: Between(monday, sunday) },
      order: { startsAt: 'ASC', id: 'ASC' },
    });
    const ids = sessions.map((s) => s.id);
    const venues = ids.length
      ? await m.find(Venue, { where: { id: In([...new Set(sessions.map((s) => s.venueId))]) } })
      : [];
    const registrations = ids.length
      ? await m.find(Registration, {
          where: { sessionId: In(ids), status: In(['confirmed', 'waitlisted']) },
          order: { sessionId: 'ASC', queueNumber: 'ASC' },
        })
      : [];
    const seniors = registrations.length
      ? await m.find(Senior, {
          where: { id: In([...new Set(registrations.map((r) => r.seniorId))]) },
          select: { id: true, displayName: true, preferredLanguage: true, municipalityId: true },
        })
      : [];
    if (withSeniors) await auditShown(this.deps, 'week', seniors);
    const seniorById = new Map(seniors.map((s) => [s.id, s]));
    const assignments = ids.length
      ? await m.find(Assignment, { where: { sessionId: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } })
      : [];
    const vacancies = ids.length
      ? await m.find(Vacancy, { where: { sessionId: In(ids), status: 'open' }, order: { createdAt: 'ASC', id: 'ASC' } })
      : [];
    const offers = vacancies.length
      ? await m.find(SubstituteOffer, {
          where: { vacancyId: In(vacancies.map((v) => v.id)) },
          order: { createdAt: 'ASC', id: 'ASC' },
        })
      : [];
    const named = [
      ...assignments.map((a) => a.guideId),
      ...vacancies.map((v) => v.declinedGuideId),
      ...offers.map((o) => o.guideId),
    ];
    const guides = named.length
      ? await m.find(Guide, { where: { id: In([...new Set(named)]) }, select: { id: true, name: true } })
      : [];
    const guideName = new Map(guides.map((g) => [g.id, g.name]));
    const venueById = new Map(venues.map((v) => [v.id, v]));

    const totals = {
      sessions: sessions.length,
      scheduled: 0,
      cancelled: 0,
      confirmed: 0,
      waitlisted: 0,
      platformDemand: {} as Counts,
    };
    const views = sessions.map((session): WeekSession => {
      const regs = registrations.filter((r) => r.sessionId === session.id);
      const seated = regs.filter((r) => r.status === 'confirmed');
      const platformDemand: Counts = {};
      const languageDemand: Counts = {};
      const topicDemand: Counts = {};
      for (const r of seated) {
        for (const platform of new Set(r.devices.map((d) => d.platform))) bump(platformDemand, platform);
        const language = seniorById.get(r.seniorId)?.preferredLanguage;
        if (language && language !== 'sv') bump(languageDemand, language);
        if (r.topic) bump(topicDemand, r.topic);
      }
      totals[session.status]++;
      if (session.status === 'scheduled') {
        totals.confirmed += seated.length;
        totals.waitlisted += regs.length - seated.length;
        for (const [p, n] of Object.entries(platformDemand))
          totals.platformDemand[p] = (totals.platformDemand[p] ?? 0) + n;
      }
      const venue = venueById.get(session.venueId)!;
      return {
        session,
        venue: { id: venue.id, name: venue.name, address: venue.address },
        confirmed: seated.length,
        waitlisted: regs.length - seated.length,
        platformDemand,
        languageDemand,
        topicDemand,
        registrations: withSeniors
          ? regs.map((registration) => ({
              registration,
              displayName: seniorById.get(registration.seniorId)?.displayName ?? '',
            }))
          : [],
        pairs: [] as SeatedPair[],
        guides: assignments
          .filter((a) => a.sessionId === session.id)
          .map((assignment) => ({ assignment, name: guideName.get(assignment.guideId) ?? '' })),
        openPlaces: vacancies
          .filter((v) => v.sessionId === session.id)
          .map((v) => ({
            guide: guideName.get(v.declinedGuideId) ?? '',
            asked: offers.filter((o) => o.vacancyId === v.id).map((o) => guideName.get(o.guideId) ?? ''),
            since: v.createdAt,
          })),
      };
    });
    if (withSeniors) {
      const pairs = await sessionPairs(m, this.deps.clock.now(), sessions, { publishedOnly: false });
      for (const v of views) v.pairs = pairs.get(v.session.id) ?? [];
    }
    return { municipalityId, week, from: monday, to: sunday, sessions: views, totals };
  }
}

function bump(counts: Counts, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
