import type {
  Guide,
  GuideAvailability,
  GuideLanguage,
  GuidePlatform,
  GuideUnavailableDate,
  Session,
} from '../db/entities';
import type { LanguageLevel, Platform, SkillLevel } from '../domain/vocabulary';
import { addDays, instantToLocal } from '../domain/time';
import type { Notifier } from './notices';
import { auditShownOnce } from './audit';
import { type SeatedPair, sessionPairs } from './pairs';
import { boolOf, instantParam, rawRows, SESSION_COLUMNS, sessionOf, type SessionRow } from './raw';
import type { ServiceDeps } from './support';

type MySenior = Pick<SeatedPair, 'displayName' | 'devices' | 'topic' | 'language'>;

/** How far back a guide's page offers the after-café form for sessions they worked. */
export const REPORT_DAYS = 14;

/** How many cafés ahead a guide's page lists. */
const AHEAD = 100;

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
 * answer links, the recent ones to report, and their hours this month. Hot: the guide's
 * published cafés are read once, in plain SQL, for all three.
 */
export class GuidePageService {
  constructor(
    private readonly deps: ServiceDeps & {
      notifier: Notifier;
      zone: string;
    },
  ) {}

  /** The page of a guide (as their link resolved it), with the guide's skills, times and days off. */
  async page(guide: Guide) {
    const m = this.deps.store.manager;
    const now = this.deps.clock.now();
    const today = instantToLocal(now, this.deps.zone).date;
    const month = today.slice(0, 7);
    const monthEnd = `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;
    const reportFrom = addDays(today, -REPORT_DAYS);
    const [rows, worked] = await Promise.all([
      // Published cafés ahead, those of the last two weeks, and this month's: one statement.
      rawRows<
        SessionRow & { assignment_id: string; response: 'pending' | 'confirmed'; venue_name: string; reported: unknown }
      >(
        m,
        `SELECT a.id AS assignment_id, a.response, ${SESSION_COLUMNS}, v.name AS venue_name,
           CASE WHEN EXISTS (SELECT 1 FROM session_reports r WHERE r.session_id = s.id) THEN 1 ELSE 0 END AS reported
         FROM assignments a JOIN sessions s ON s.id = a.session_id JOIN venues v ON v.id = s.venue_id
         WHERE a.guide_id = ? AND a.status = 'published' AND s.status = 'scheduled' AND (s.ends_at > ? OR s.local_date >= ?)
         ORDER BY s.starts_at, s.id`,
        [guide.id, instantParam(m, now), `${month}-01` < reportFrom ? `${month}-01` : reportFrom],
      ),
      rawRows<{ minutes: string | number | null }>(
        m,
        `SELECT SUM(w.minutes) AS minutes FROM guide_shifts w
         WHERE w.guide_id = ? AND w.municipality_id = ? AND w.status = 'worked' AND w.local_date BETWEEN ? AND ?`,
        [guide.id, guide.municipalityId, `${month}-01`, monthEnd],
      ),
      this.withChildren(guide),
    ]);
    const cafes = rows.map((r) => ({ row: r, session: sessionOf(r) }));
    const upcoming: GuideSessionItem[] = cafes
      .filter(({ session }) => session.endsAt > now)
      .slice(0, AHEAD)
      .map(({ row, session }) => ({
        assignmentId: row.assignment_id,
        session,
        venue: row.venue_name,
        response: row.response,
        confirmUrl: this.deps.notifier.answerUrl(row.assignment_id, 'confirm', session.endsAt),
        declineUrl: this.deps.notifier.answerUrl(row.assignment_id, 'decline', session.endsAt),
      }));
    // Sessions of the last two weeks the guide was on, that have begun: the after-café form is for these.
    const recent = cafes
      .filter(({ session: s }) => s.localDate >= reportFrom && s.localDate <= today && s.startsAt <= now)
      .sort((a, b) => b.session.localDate.localeCompare(a.session.localDate))
      .map(({ row, session }) => ({ session, venue: row.venue_name, reported: boolOf(row.reported) }));
    // A guide never sees a draft: their hours count what is published.
    const plannedMinutes = cafes
      .filter(({ session: s }) => s.municipalityId === guide.municipalityId && s.localDate.startsWith(month))
      .reduce((sum, { session: s }) => sum + Math.round((s.endsAt.getTime() - s.startsAt.getTime()) / 60_000), 0);
    const seniors = await this.mySeniors(guide.id, today, [
      ...upcoming.map((u) => u.session),
      ...recent.map((r) => r.session),
    ]);
    const theirs = (session: Session) => seniors.get(session.id) ?? [];
    return {
      guide,
      upcoming: upcoming.map((u) => ({ ...u, seniors: theirs(u.session) })),
      recent: recent.map((r) => ({ ...r, seniors: theirs(r.session) })),
      month,
      plannedMinutes,
      workedMinutes: Number(worked[0]?.minutes ?? 0),
    };
  }

  /**
   * The seniors paired with this guide at their cafés from the day before to the day after:
   * name, devices, what they want help with, language. Only published assignments count, and
   * only this guide's own seniors; other days show none.
   */
  private async mySeniors(guideId: string, today: string, sessions: Session[]) {
    const [from, to] = [addDays(today, -1), addDays(today, 1)];
    const near = sessions.filter((s) => s.localDate >= from && s.localDate <= to);
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

  /** The guide's platforms, languages, times and days off, in one statement, in the order the guide API gives them. */
  private async withChildren(guide: Guide): Promise<Guide> {
    const rows = await rawRows<{
      kind: string;
      a: string;
      b: string | null;
      c: string | null;
      d: string | null;
      e: string | null;
    }>(
      this.deps.store.manager,
      `SELECT 'p' AS kind, p.platform AS a, p.level AS b, NULL AS c, NULL AS d, NULL AS e
         FROM guide_platforms p WHERE p.guide_id = ?
       UNION ALL SELECT 'l', l.language, l.level, NULL, NULL, NULL FROM guide_languages l WHERE l.guide_id = ?
       UNION ALL SELECT 'a', CAST(t.weekday AS VARCHAR(2)), t.start_time, t.end_time,
           CAST(t.valid_from AS VARCHAR(10)), CAST(t.valid_to AS VARCHAR(10))
         FROM guide_availability t WHERE t.guide_id = ?
       UNION ALL SELECT 'u', CAST(u.date AS VARCHAR(10)), u.reason, NULL, NULL, NULL
         FROM guide_unavailable_dates u WHERE u.guide_id = ?`,
      [guide.id, guide.id, guide.id, guide.id],
    );
    const of = (kind: string) => rows.filter((r) => r.kind === kind);
    const guideId = guide.id;
    guide.platforms = of('p')
      .map((r) => ({ guideId, platform: r.a as Platform, level: r.b as SkillLevel }) as GuidePlatform)
      .sort((x, y) => x.platform.localeCompare(y.platform));
    guide.languages = of('l')
      .map((r) => ({ guideId, language: r.a, level: r.b as LanguageLevel }) as GuideLanguage)
      .sort((x, y) => x.language.localeCompare(y.language));
    guide.availability = of('a')
      .map(
        (r) =>
          ({
            guideId,
            weekday: Number(r.a),
            startTime: r.b,
            endTime: r.c,
            validFrom: r.d,
            validTo: r.e,
          }) as GuideAvailability,
      )
      .sort(
        (x, y) =>
          (x.validFrom ?? '').localeCompare(y.validFrom ?? '') ||
          x.weekday - y.weekday ||
          x.startTime.localeCompare(y.startTime),
      );
    guide.unavailableDates = of('u')
      .map((r) => ({ guideId, date: r.a, reason: r.b }) as GuideUnavailableDate)
      .sort((x, y) => x.date.localeCompare(y.date));
    return guide;
  }
}

function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}
