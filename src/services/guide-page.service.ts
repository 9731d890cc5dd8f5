import { In } from 'typeorm';
import { type Session, SessionReport, Venue } from '../db/entities';
import { addDays, instantToLocal } from '../domain/time';
import type { GuideService } from './guides.service';
import type { Notifier } from './notices';
import type { PlanningService } from './planning.service';
import { auditShownOnce } from './audit';
import { type SeatedPair, sessionPairs } from './pairs';
import { publishedWithSessions, type ServiceDeps } from './support';

type MySenior = Pick<SeatedPair, 'displayName' | 'devices' | 'topic' | 'language'>;

/** How far back a guide's page offers the after-café form for sessions they worked. */
export const REPORT_DAYS = 14;

export interface GuideSessionItem {
  assignmentId: string;
  session: Session;
  venue: string;
  response: 'pending' | 'confirmed';
  confirmUrl: string;
  declineUrl: string;
}

/**
 * What a guide's own page shows, through their signed link: the sessions ahead with their
 * answer links, the recent ones to report, and their hours this month.
 */
export class GuidePageService {
  constructor(
    private readonly deps: ServiceDeps & {
      notifier: Notifier;
      planning: PlanningService;
      guides: GuideService;
      zone: string;
    },
  ) {}

  async page(guideId: string, municipalityId: string) {
    const now = this.deps.clock.now();
    const upcoming: GuideSessionItem[] = (await this.deps.planning.upcomingFor(guideId)).map(
      ({ assignment: a, session, venueName }) => ({
        assignmentId: a.id,
        session,
        venue: venueName,
        response: a.response,
        confirmUrl: this.deps.notifier.answerUrl(a.id, 'confirm', session.endsAt),
        declineUrl: this.deps.notifier.answerUrl(a.id, 'decline', session.endsAt),
      }),
    );
    const today = instantToLocal(now, this.deps.zone).date;
    const month = today.slice(0, 7);
    const recent = await this.recent(guideId, today, now);
    const seniors = await this.mySeniors(guideId, today, [
      ...upcoming.map((u) => u.session),
      ...recent.map((r) => r.session),
    ]);
    // A guide never sees a draft: their hours count what is published.
    const hours = (await this.deps.guides.monthHours(municipalityId, month, undefined, true)).find(
      (h) => h.guideId === guideId,
    );
    const theirs = (session: Session) => seniors.get(session.id) ?? [];
    return {
      upcoming: upcoming.map((u) => ({ ...u, seniors: theirs(u.session) })),
      recent: recent.map((r) => ({ ...r, seniors: theirs(r.session) })),
      month,
      plannedMinutes: hours?.plannedMinutes ?? 0,
      workedMinutes: hours?.workedMinutes ?? 0,
    };
  }

  /**
   * The seniors paired with this guide at their cafés from the day before to the day after:
   * name, devices, what they want help with, language. Only published assignments count, and
   * only this guide's own seniors; other days show none.
   */
  private async mySeniors(guideId: string, today: string, sessions: Session[]) {
    const near = sessions.filter((s) => s.localDate >= addDays(today, -1) && s.localDate <= addDays(today, 1));
    const out = new Map<string, MySenior[]>();
    if (!near.length) return out;
    const pairs = await sessionPairs(this.deps.store.manager, this.deps.clock.now(), near, { publishedOnly: true });
    for (const [sessionId, list] of pairs)
      out.set(
        sessionId,
        list
          .filter((p) => p.guideId === guideId)
          .map((p) => ({ displayName: p.displayName, devices: p.devices, topic: p.topic, language: p.language })),
      );
    // The names shown, audited once per guide per café (the page is opened often).
    const shown = near.flatMap((s) =>
      (pairs.get(s.id) ?? [])
        .filter((p) => p.guideId === guideId)
        .map((p) => ({ sessionId: s.id, seniorId: p.seniorId, municipalityId: s.municipalityId })),
    );
    await auditShownOnce(this.deps, 'guide_page', shown, { type: 'guide', id: guideId });
    return out;
  }

  /** Sessions of the last two weeks the guide was on, that have begun: the after-café form is for these. */
  private async recent(guideId: string, today: string, now: Date) {
    const m = this.deps.store.manager;
    const rows = await publishedWithSessions(m)
      .andWhere('a.guide_id = :guideId', { guideId })
      .andWhere("s.status = 'scheduled'")
      .andWhere('s.local_date BETWEEN :from AND :today', { from: addDays(today, -REPORT_DAYS), today })
      .orderBy('s.local_date', 'DESC')
      .getMany();
    const begun = rows.map((a) => a.session!).filter((s) => s.startsAt <= now);
    if (!begun.length) return [];
    const ids = begun.map((s) => s.id);
    const reported = new Set(
      (await m.find(SessionReport, { where: { sessionId: In(ids) }, select: { sessionId: true } })).map(
        (r) => r.sessionId,
      ),
    );
    const venues = new Map(
      (
        await m.find(Venue, {
          where: { id: In([...new Set(begun.map((s) => s.venueId))]) },
          select: { id: true, name: true },
        })
      ).map((v) => [v.id, v.name]),
    );
    return begun.map((session) => ({
      session,
      venue: venues.get(session.venueId) ?? '',
      reported: reported.has(session.id),
    }));
  }
}
