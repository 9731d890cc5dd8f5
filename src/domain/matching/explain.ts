import { formatMinutes } from '../time';
import type { Platform } from '../vocabulary';
import { type Reason, reason } from './reasons';
import type { State } from './state';
import type { AssignmentResult, Candidate, EngineResult, Shortfall, Uncovered } from './types';

const hours = (minutes: number) => Math.round((minutes / 60) * 10) / 10;

/** The plan explained: why each guide is where they are, and what keeps a session short. */
export function explain(st: State): Omit<EngineResult, 'iterations' | 'elapsedMs' | 'stoppedEarly'> {
  const p = st.p;
  const assignments: AssignmentResult[] = [];
  const shortfalls: Shortfall[] = [];
  const uncovered: Uncovered[] = [];
  const offCounts: OffCounts = new Map();

  p.sessions.forEach((session, s) => {
    const members = st.members[s];
    for (const g of members) {
      const guide = p.guides[g];
      const reasons: Reason[] = [];
      if (p.fixed[s].has(g)) reasons.push(reason('pinned'));
      reasons.push(...strengths(st, g, s));
      if (!guide.experienced) reasons.push(reason('new_guide_with_experienced'));
      else if (members.some((m) => !p.guides[m].experienced)) reasons.push(reason('experienced_with_new_guide'));
      if (p.wasPrevious(s, g)) reasons.push(reason('kept_from_previous_plan'));
      reasons.push(
        reason('hours_so_far', {
          week: session.week,
          weekHours: hours(st.weekMinutes[g * p.weekCount + p.weekOf[s]]),
          maxHours: hours(guide.maxMinutesPerWeek),
          periodHours: hours(st.guideMinutes[g]),
          fairHours: hours(p.fairMinutes[g]),
        }),
      );
      assignments.push({ sessionId: session.id, guideId: guide.id, fixed: p.fixed[s].has(g), reasons });
    }

    if (members.length < session.minGuides) {
      const available = p.eligible[s].length;
      const reasons = [
        reason('short_of_guides', {
          assigned: members.length,
          needed: session.minGuides,
          weekday: session.weekday,
          date: session.date,
          time: formatMinutes(session.startMinute),
        }),
        available < session.minGuides
          ? reason('nobody_available', { count: available })
          : reason('others_busy', { count: available }),
      ];
      if (members.length === 1) reasons.push(reason('never_alone'));
      shortfalls.push({
        sessionId: session.id,
        assigned: members.length,
        needed: session.minGuides,
        reasons,
        candidates: nearestCandidates(st, s, offCounts),
      });
    }

    for (const platform of Object.keys(session.demand) as Platform[]) {
      // Whole seniors: expected walk-ins make the engine's demand fractional.
      const seniors = Math.round(session.demand[platform] ?? 0);
      if (!seniors || members.some((g) => p.knows[g].has(platform))) continue;
      const knowing = p.eligible[s].filter((g) => p.knows[g].has(platform)).length;
      uncovered.push({
        sessionId: session.id,
        platform,
        seniors,
        reason: knowing
          ? reason('platform_guides_busy', { platform, seniors, count: knowing })
          : reason('no_platform_guide', { platform, seniors }),
      });
    }
  });
  return { assignments, shortfalls, uncovered, score: st.breakdown() };
}

/** What guide g brings to session s: the seniors' platforms and languages they know, the venue they know. */
export function strengths(st: State, g: number, s: number): Reason[] {
  const p = st.p;
  const guide = p.guides[g];
  const session = p.sessions[s];
  const out: Reason[] = [];
  for (const platform of Object.keys(session.demand) as Platform[]) {
    const seniors = Math.round(session.demand[platform] ?? 0);
    if (seniors && guide.platforms.includes(platform)) out.push(reason('knows_platform', { platform, seniors }));
  }
  for (const language of Object.keys(session.languages)) {
    const seniors = session.languages[language];
    if (seniors && guide.languages.includes(language)) out.push(reason('speaks_language', { language, seniors }));
  }
  const times = guide.venueHistory[session.venueId] ?? 0;
  if (times > 0) out.push(reason('has_been_here', { times }));
  const seniors = p.helped(s, g);
  if (seniors > 0) out.push(reason('helped_before', { seniors }));
  return out;
}

/** What keeps guide g from session s; empty if nothing does. */
export function blockers(st: State, g: number, s: number): Reason[] {
  const p = st.p;
  const guide = p.guides[g];
  const session = p.sessions[s];
  const out: Reason[] = [];
  if (st.members[s].includes(g)) return [reason('already_on_session')];
  if (!p.windowCovers(guide, session)) {
    out.push(
      reason('not_available', {
        weekday: session.weekday,
        from: formatMinutes(session.startMinute),
        to: formatMinutes(session.endMinute),
        canWork: guide.availability
          .filter(
            (w) =>
              w.weekday === session.weekday && (!w.from || w.from <= session.date) && (!w.to || session.date <= w.to),
          )
          .sort((a, b) => a.startMinute - b.startMinute)
          .map((w) => ({ from: formatMinutes(w.startMinute), to: formatMinutes(w.endMinute) })),
      }),
    );
  }
  if (guide.unavailableDates.includes(session.date)) out.push(reason('unavailable_on', { date: session.date }));
  const week = st.weekMinutes[g * p.weekCount + p.weekOf[s]];
  if (week + p.minutes[s] > guide.maxMinutesPerWeek)
    out.push(
      reason('over_weekly_max', {
        week: session.week,
        hours: hours(week),
        maxHours: hours(guide.maxMinutesPerWeek),
      }),
    );
  for (const other of st.guideSessions[g]) {
    if (!p.compatible(s, other)) {
      const o = p.sessions[other];
      out.push(
        reason('busy_elsewhere', {
          date: o.date,
          from: formatMinutes(o.startMinute),
          to: formatMinutes(o.endMinute),
          travelMinutes: p.travelMinutes(o.venueId, session.venueId),
        }),
      );
    }
  }
  if (st.members[s].length >= session.maxGuides) out.push(reason('session_full'));
  return out;
}

/** Per local date and times: how many of windows and days off keep each guide out (0–2). */
type OffCounts = Map<string, Uint8Array>;

function nearestCandidates(st: State, s: number, offCounts: OffCounts, count = 5): Candidate[] {
  // Counted first for every guide (cheap: no reasons made, windows and days off once per date and
  // times), then explained for the nearest few only: a county's term may have thousands of short
  // sessions and a thousand guides.
  const p = st.p;
  const session = p.sessions[s];
  const key = `${session.date} ${session.weekday} ${session.startMinute} ${session.endMinute}`;
  let off = offCounts.get(key);
  if (!off) {
    off = new Uint8Array(p.guides.length);
    for (let g = 0; g < p.guides.length; g++) {
      const guide = p.guides[g];
      off[g] = (p.windowCovers(guide, session) ? 0 : 1) + (guide.unavailableDates.includes(session.date) ? 1 : 0);
    }
    offCounts.set(key, off);
  }
  const week = p.weekOf[s];
  const full = st.members[s].length >= session.maxGuides ? 1 : 0;
  // The nearest so far, fewest blockers first, ties in the engine's own guide order (by content, not by ids).
  const near: { g: number; n: number }[] = [];
  for (let g = 0; g < p.guides.length; g++) {
    let n = full + off[g];
    if (near.length === count && Math.max(1, n) >= near[count - 1].n) continue;
    if (st.members[s].includes(g) || !p.worksAt(g, s)) continue;
    if (st.weekMinutes[g * p.weekCount + week] + p.minutes[s] > p.guides[g].maxMinutesPerWeek) n++;
    for (const other of st.guideSessions[g]) if (!p.compatible(s, other)) n++;
    // Free, but alone: with nobody else free then, one guide cannot take the café (one reason).
    n = Math.max(1, n);
    if (near.length === count && n >= near[count - 1].n) continue;
    let at = near.length;
    while (at > 0 && near[at - 1].n > n) at--;
    near.splice(at, 0, { g, n });
    if (near.length > count) near.pop();
  }
  return near.map(({ g }) => {
    const blockedBy = blockers(st, g, s);
    return { guideId: p.guides[g].id, blockedBy: blockedBy.length ? blockedBy : [reason('no_second_guide')] };
  });
}
