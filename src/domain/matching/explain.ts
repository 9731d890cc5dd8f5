import { formatMinutes } from '../time';
import type { Platform } from '../vocabulary';
import type { State } from './state';
import type { AssignmentResult, Candidate, EngineResult, Shortfall, Uncovered } from './types';

const DAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const hours = (minutes: number) => `${Math.round((minutes / 60) * 10) / 10} h`;

/** The plan in words: why each guide is where they are, and what keeps a session short. */
export function explain(st: State): Omit<EngineResult, 'iterations' | 'elapsedMs'> {
  const p = st.p;
  const assignments: AssignmentResult[] = [];
  const shortfalls: Shortfall[] = [];
  const uncovered: Uncovered[] = [];

  p.sessions.forEach((session, s) => {
    const members = st.members[s];
    const when = `${DAYS[session.weekday]} ${session.date} ${formatMinutes(session.startMinute)}`;
    for (const g of members) {
      const guide = p.guides[g];
      const reasons: string[] = [];
      if (p.fixed[s].has(g)) reasons.push('fixed: pinned by a coordinator or in a published week');
      const covers = (Object.keys(session.demand) as Platform[]).filter((pl) => guide.platforms.includes(pl));
      if (covers.length)
        reasons.push(`covers ${covers.map((pl) => `${pl} (${session.demand[pl]} seniors)`).join(', ')}`);
      const speaks = Object.keys(session.languages).filter((l) => guide.languages.includes(l));
      if (speaks.length)
        reasons.push(`speaks ${speaks.map((l) => `${l} (${session.languages[l]} seniors)`).join(', ')}`);
      if (!guide.experienced) reasons.push('new guide, working beside an experienced one');
      else if (members.some((m) => !p.guides[m].experienced)) reasons.push('experienced, paired with a new guide');
      if ((guide.venueHistory[session.venueId] ?? 0) > 0)
        reasons.push(`has worked at this venue ${guide.venueHistory[session.venueId]} times`);
      if (p.wasPrevious(s, g)) reasons.push('kept from the previous plan');
      const week = st.weekMinutes[g * p.weekCount + p.weekOf[s]];
      reasons.push(
        `${hours(week)} of max ${hours(guide.maxMinutesPerWeek)} that week; ${hours(st.guideMinutes[g])} in the period (fair share ${hours(p.fairMinutes[g])})`,
      );
      assignments.push({ sessionId: session.id, guideId: guide.id, fixed: p.fixed[s].has(g), reasons });
    }

    if (members.length < session.minGuides) {
      const candidates = nearestCandidates(st, s);
      const available = p.eligible[s].length;
      const reasons = [
        `${members.length} of at least ${session.minGuides} guides on ${when}`,
        available < session.minGuides
          ? `only ${available} guide(s) are available then at all`
          : `of the ${available} guides available then, the others are busy elsewhere, at their weekly hours, or too far away`,
      ];
      if (members.length === 1) reasons.push('a guide never works alone: one more is needed');
      shortfalls.push({
        sessionId: session.id,
        assigned: members.length,
        needed: session.minGuides,
        reasons,
        candidates,
      });
    }

    for (const platform of Object.keys(session.demand) as Platform[]) {
      if (!session.demand[platform] || members.some((g) => p.knows[g].has(platform))) continue;
      const knowing = p.eligible[s].filter((g) => p.knows[g].has(platform));
      uncovered.push({
        sessionId: session.id,
        platform,
        seniors: session.demand[platform],
        reason: knowing.length
          ? `the ${knowing.length} available ${platform} guide(s) are busy elsewhere or at their weekly hours on ${when}`
          : `no guide who knows ${platform} is available on ${when}`,
      });
    }
  });
  return { assignments, shortfalls, uncovered, score: st.breakdown() };
}

/** What keeps guide g from session s, in words; empty if nothing does. */
export function blockers(st: State, g: number, s: number): string[] {
  const p = st.p;
  const guide = p.guides[g];
  const session = p.sessions[s];
  const out: string[] = [];
  if (st.members[s].includes(g)) return ['already there'];
  if (!p.windowCovers(guide, session)) {
    out.push(
      `not available ${DAYS[session.weekday]} ${formatMinutes(session.startMinute)}–${formatMinutes(session.endMinute)}`,
    );
  }
  if (guide.unavailableDates.includes(session.date)) out.push(`unavailable on ${session.date}`);
  const week = st.weekMinutes[g * p.weekCount + p.weekOf[s]];
  if (week + p.minutes[s] > guide.maxMinutesPerWeek)
    out.push(`would pass max ${hours(guide.maxMinutesPerWeek)} in ${session.week} (has ${hours(week)})`);
  for (const other of st.guideSessions[g]) {
    if (!p.compatible(s, other)) {
      const o = p.sessions[other];
      const travel = p.travelMinutes(o.venueId, session.venueId);
      out.push(
        `busy ${o.date} ${formatMinutes(o.startMinute)}–${formatMinutes(o.endMinute)} elsewhere${travel ? ` (${travel} min away)` : ''}`,
      );
    }
  }
  if (st.members[s].length >= session.maxGuides) out.push('the session is full');
  return out;
}

function nearestCandidates(st: State, s: number, count = 5): Candidate[] {
  return st.p.guides
    .map((guide, g) => {
      const blockedBy = blockers(st, g, s);
      // Free, but alone: with nobody else free then, one guide cannot take the café.
      return {
        guideId: guide.id,
        blockedBy: blockedBy.length
          ? blockedBy
          : ['free, but no second guide is free then (a guide never works alone)'],
      };
    })
    .filter((c) => c.blockedBy[0] !== 'already there')
    .sort((a, b) => a.blockedBy.length - b.blockedBy.length || a.guideId.localeCompare(b.guideId))
    .slice(0, count);
}
