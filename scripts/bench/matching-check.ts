/**
 * The matching engine's hard rules, checked from the raw input alone (no `Problem`, no `State`),
 * so that a bug shared by the engine and its bookkeeping cannot hide itself:
 *
 * - every pair names a known session and guide, at most once;
 * - a guide works a session only if one of their windows covers it on its weekday, the date is
 *   not one of their dates off and the venue is one they work at (if they name any), unless the pair is fixed;
 * - every fixed pair is in the plan;
 * - a session has at most maxGuides guides (more only if that many are fixed);
 * - never one guide alone, unless that guide is fixed there;
 * - a guide's minutes in an ISO week stay within their weekly maximum;
 * - no guide has two sessions that overlap or leave too little time to travel between them.
 */
import type { EngineInput, Pair } from '../../src/domain/matching/types';

export interface Violation {
  rule: 'unknown' | 'duplicate' | 'ineligible' | 'fixed-missing' | 'too-many' | 'alone' | 'weekly-hours' | 'overlap';
  detail: string;
}

export function checkHardRules(input: EngineInput, plan: readonly Pair[]): Violation[] {
  const out: Violation[] = [];
  const sessions = new Map(input.sessions.map((s) => [s.id, s]));
  const guides = new Map(input.guides.map((g) => [g.id, g]));
  const fixed = new Set(input.fixed.map((p) => `${p.sessionId}|${p.guideId}`));
  const seen = new Set<string>();
  const perSession = new Map<string, string[]>();
  const perGuide = new Map<string, string[]>();

  for (const pair of plan) {
    const key = `${pair.sessionId}|${pair.guideId}`;
    const s = sessions.get(pair.sessionId);
    const g = guides.get(pair.guideId);
    if (!s || !g) {
      out.push({ rule: 'unknown', detail: key });
      continue;
    }
    if (seen.has(key)) {
      out.push({ rule: 'duplicate', detail: key });
      continue;
    }
    seen.add(key);
    perSession.set(s.id, [...(perSession.get(s.id) ?? []), g.id]);
    perGuide.set(g.id, [...(perGuide.get(g.id) ?? []), s.id]);
    if (fixed.has(key)) continue;
    const window = g.availability.some(
      (w) => w.weekday === s.weekday && w.startMinute <= s.startMinute && w.endMinute >= s.endMinute,
    );
    if (!window)
      out.push({
        rule: 'ineligible',
        detail: `${key}: no window covers weekday ${s.weekday} ${s.startMinute}–${s.endMinute}`,
      });
    if (g.unavailableDates.includes(s.date)) out.push({ rule: 'ineligible', detail: `${key}: off on ${s.date}` });
    if (g.venues && !g.venues.includes(s.venueId))
      out.push({ rule: 'ineligible', detail: `${key}: does not work at ${s.venueId}` });
  }

  for (const key of fixed) if (!seen.has(key)) out.push({ rule: 'fixed-missing', detail: key });

  for (const [sid, members] of perSession) {
    const s = sessions.get(sid)!;
    const pinned = members.filter((g) => fixed.has(`${sid}|${g}`)).length;
    if (members.length > Math.max(s.maxGuides, pinned))
      out.push({ rule: 'too-many', detail: `${sid}: ${members.length} > ${s.maxGuides}` });
    if (members.length === 1 && !pinned) out.push({ rule: 'alone', detail: `${sid}: only ${members[0]}` });
  }

  const travel = (a: string, b: string) =>
    a === b ? 0 : (input.travel[a]?.[b] ?? input.travel[b]?.[a] ?? input.defaultTravelMinutes ?? 30);
  for (const [gid, sids] of perGuide) {
    const g = guides.get(gid)!;
    const weeks = new Map<string, number>();
    for (const sid of sids) {
      const s = sessions.get(sid)!;
      weeks.set(s.week, (weeks.get(s.week) ?? 0) + (s.end - s.start) / 60_000);
    }
    for (const [week, minutes] of weeks) {
      if (minutes > g.maxMinutesPerWeek + 1e-9)
        out.push({ rule: 'weekly-hours', detail: `${gid} ${week}: ${minutes} > ${g.maxMinutesPerWeek} min` });
    }
    const list = sids.map((id) => sessions.get(id)!).sort((a, b) => a.start - b.start);
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i];
        const b = list[j];
        if (b.start >= a.end + 24 * 3600_000) break;
        const apart =
          a.end + travel(a.venueId, b.venueId) * 60_000 <= b.start ||
          b.end + travel(b.venueId, a.venueId) * 60_000 <= a.start;
        if (!apart && fixed.has(`${a.id}|${gid}`) && fixed.has(`${b.id}|${gid}`)) continue;
        if (!apart) out.push({ rule: 'overlap', detail: `${gid}: ${a.id} and ${b.id}` });
      }
    }
  }
  return out;
}

/** Sessions below their minimum, counted from the raw plan. */
export function countUnfilled(input: EngineInput, plan: readonly Pair[]): number {
  const count = new Map<string, number>();
  for (const p of plan) count.set(p.sessionId, (count.get(p.sessionId) ?? 0) + 1);
  return input.sessions.filter((s) => (count.get(s.id) ?? 0) < s.minGuides).length;
}
