import { type EntityManager, In } from 'typeorm';
import { Assignment, Guide, Organisation, Session } from '../db/entities';
import { blockers, type Reason } from '../domain/matching';
import { IN_CHUNK, type WeekAssignment, weekChecks, weeksOfDates, weekState, type WeekState } from './matching-input';
import { pace } from './bulk';
import { groupBy, rawRows, instantParam } from './raw';
import { type ReleasePlace } from './support';

/** What keeps guide g from session s now; a full café is not a reason (checked where guides are added). */
const keepsOut = (...args: Parameters<typeof blockers>) => blockers(...args).filter((r) => r.code !== 'session_full');

export interface AssignmentConflict {
  assignmentId: string;
  sessionId: string;
  guideId: string;
  status: 'draft' | 'published';
  /** What keeps the guide from the session now: reason codes with parameters. */
  reasons: Reason[];
  /** Taken off, and substitutes asked, by the municipality's choice (conflictPolicy 'release'). */
  released: boolean;
}

/**
 * After a change that can break a plan (a café moved or lengthened, a guide's times, days off
 * or hours changed), every assignment it touches, draft or published, is checked again against
 * the hard rules, in the change's transaction. What breaks is kept on the assignment (the week
 * page and the digest show it, with substitutes ready) and returned to the one who changed it;
 * what no longer breaks is cleared. Nobody is taken off, and the coordinator chooses, unless the
 * municipality has chosen 'release': then a guide kept from a published café is taken off and
 * substitutes are asked at once, as after a decline (with `release` given).
 *
 * The scope: the assignments of some sessions and, since one guide's sessions depend on each
 * other (hours, overlaps, travel), all of those guides' assignments in the same weeks; or all of
 * one guide's assignments to come.
 */
export async function recheck(
  m: EntityManager,
  now: Date,
  scope:
    | { sessionIds: string[]; guideIds?: string[]; alsoWeekOf?: { municipalityId: string; localDate: string } }
    | { guideId: string },
  release?: ReleasePlace,
): Promise<AssignmentConflict[]> {
  let touched: { sessionId: string; guideId: string }[];
  const extraGuides: string[] = [];
  const anchors: { municipalityId: string; localDate: string }[] = [];
  const anchor = (r: { municipality_id: string; local_date: string }) => ({
    municipalityId: r.municipality_id,
    localDate: r.local_date,
  });
  if ('guideId' in scope) {
    const rows = await rawRows<{ session_id: string; municipality_id: string; local_date: string }>(
      m,
      `SELECT a.session_id, s.municipality_id, CAST(s.local_date AS VARCHAR(10)) AS local_date
       FROM assignments a JOIN sessions s ON s.id = a.session_id
       WHERE a.guide_id = ? AND s.status = 'scheduled' AND s.starts_at > ?`,
      [scope.guideId, instantParam(m, now)],
    );
    touched = rows.map((r) => ({ sessionId: r.session_id, guideId: scope.guideId }));
    anchors.push(...rows.map(anchor));
  } else {
    // Ids and dates only, a few statements for any number of sessions (a county's plan has thousands).
    const at = instantParam(m, now);
    for (let i = 0; i < scope.sessionIds.length; i += IN_CHUNK) {
      const chunk = scope.sessionIds.slice(i, i + IN_CHUNK);
      const sessions = await rawRows<{ id: string; municipality_id: string; local_date: string }>(
        m,
        `SELECT s.id, s.municipality_id, CAST(s.local_date AS VARCHAR(10)) AS local_date FROM sessions s
         WHERE s.id IN (?) AND s.starts_at > ? AND s.status = 'scheduled'`,
        [chunk, at],
      );
      anchors.push(...sessions.map(anchor));
    }
    touched = [];
    const future = anchors.length ? scope.sessionIds : [];
    for (let i = 0; i < future.length; i += IN_CHUNK) {
      const rows = await rawRows<{ session_id: string; guide_id: string }>(
        m,
        `SELECT a.session_id, a.guide_id FROM assignments a JOIN sessions s ON s.id = a.session_id
         WHERE a.session_id IN (?) AND s.starts_at > ? AND s.status = 'scheduled'`,
        [future.slice(i, i + IN_CHUNK), at],
      );
      touched.push(...rows.map((r) => ({ sessionId: r.session_id, guideId: r.guide_id })));
    }
    extraGuides.push(...(scope.guideIds ?? []));
    if (scope.alsoWeekOf) anchors.push(scope.alsoWeekOf);
  }
  // One engine state per week, all of a municipality's weeks read at once; in each, each of the
  // week's assignments of the guides touched.
  const guides = new Set([...touched.map((a) => a.guideId), ...extraGuides]);
  if (!guides.size) return [];
  const byWeek = new Map<string, { municipalityId: string; week: string }>();
  const weekOf = weeksOfDates();
  for (const s of anchors) {
    const week = weekOf(s.localDate);
    byWeek.set(`${s.municipalityId} ${week}`, { municipalityId: s.municipalityId, week });
  }
  const states = new Map<string, Map<string, WeekState[]>>();
  for (const [municipalityId, list] of groupBy([...byWeek.values()], (w) => w.municipalityId))
    states.set(
      municipalityId,
      await weekChecks(
        m,
        municipalityId,
        list.map((w) => w.week),
        now,
      ),
    );
  return storeChecked(m, now, await conflictsIn(m, states, [...byWeek.values()], guides, now), release);
}

/** A conflict mark to store: what keeps the guide from the session now, or null where nothing does any more. */
export interface ConflictMark {
  assignmentId: string;
  conflict: Reason[] | null;
}

/** What a check found: the marks that change, and every conflict. */
export interface Checked {
  changes: ConflictMark[];
  conflicts: AssignmentConflict[];
}

/**
 * recheck's work for a plan about to be stored, in its transaction before its writes: the weeks
 * of the plan's sessions as they will be with its assignments (`planned`, by session), read from
 * what is stored now. The marks go in with the plan (`storeChecked`).
 */
export async function recheckAhead(
  m: EntityManager,
  now: Date,
  municipalityId: string,
  sessions: readonly { localDate: string; startsAt: Date }[],
  planned: ReadonlyMap<string, WeekAssignment[]>,
): Promise<Checked> {
  const weekOf = weeksOfDates();
  const weeks = [...new Set(sessions.filter((s) => s.startsAt > now).map((s) => weekOf(s.localDate)))];
  const guides = new Set([...planned.values()].flatMap((list) => list.map((a) => a.guideId)));
  if (!guides.size || !weeks.length) return { changes: [], conflicts: [] };
  const states = new Map([[municipalityId, await weekChecks(m, municipalityId, weeks, now, planned)]]);
  return conflictsIn(
    m,
    states,
    weeks.map((week) => ({ municipalityId, week })),
    guides,
    now,
  );
}

/** Stores the marks a check found, and releases where the municipality chose so. */
export async function storeChecked(
  m: EntityManager,
  now: Date,
  { changes, conflicts }: Checked,
  release?: ReleasePlace,
): Promise<AssignmentConflict[]> {
  for (const c of changes) await m.update(Assignment, { id: c.assignmentId }, { conflict: c.conflict });
  if (release) await releaseWhereChosen(m, now, conflicts, release);
  return conflicts;
}

/**
 * The week by week check: which assignments of the guides touched no longer fit, and which marks
 * change. A week's parts (`weekChecks`) hold different guides; each rule checked is the guide's
 * own, so each assignment is checked in its guide's part, in one order for the whole week.
 */
export async function conflictsIn(
  m: EntityManager,
  states: Map<string, Map<string, WeekState[]>>,
  weeks: { municipalityId: string; week: string }[],
  guides: Set<string>,
  now: Date,
): Promise<Checked> {
  const changes: ConflictMark[] = [];
  const out: AssignmentConflict[] = [];
  for (const { municipalityId, week } of weeks) {
    // A county's week is some milliseconds of work: others may go in between weeks.
    await pace(m);
    // The touched guides' assignments on cafés to come: taken out, then put back one at a time,
    // published before drafts, then by start. One that no longer fits is a conflict and stays
    // out, so the next are checked without it: a guide over their hours by one café has one
    // conflict, not one on every café of the week.
    const mine = states
      .get(municipalityId)!
      .get(week)!
      .flatMap(({ st, assignments }) =>
        assignments
          .filter((a) => guides.has(a.guideId))
          .map((a) => ({ a, st, s: st.p.sessionIndex.get(a.sessionId) ?? -1, g: st.p.guideIndex.get(a.guideId) ?? -1 }))
          .filter((x) => x.s >= 0 && x.g >= 0 && x.st.p.sessions[x.s].start > now.getTime()),
      )
      .sort(
        (x, y) =>
          Number(x.a.status !== 'published') - Number(y.a.status !== 'published') ||
          x.st.p.sessions[x.s].start - y.st.p.sessions[y.s].start ||
          x.s - y.s ||
          (x.a.guideId < y.a.guideId ? -1 : x.a.guideId > y.a.guideId ? 1 : 0),
      );
    for (const x of mine) x.st.remove(x.g, x.s);
    for (const { a, st, s, g } of mine) {
      const reasons = keepsOut(st, g, s);
      if (!reasons.length) st.add(g, s);
      const conflict = reasons.length ? reasons : null;
      if (JSON.stringify(conflict) !== JSON.stringify(a.conflict ?? null))
        changes.push({ assignmentId: a.id, conflict });
      if (conflict)
        out.push({
          assignmentId: a.id,
          sessionId: a.sessionId,
          guideId: a.guideId,
          status: a.status,
          reasons,
          released: false,
        });
    }
  }
  return { changes, conflicts: out };
}

/** Published conflicts in a municipality that chose 'release': taken off, substitutes asked. */
async function releaseWhereChosen(m: EntityManager, now: Date, conflicts: AssignmentConflict[], release: ReleasePlace) {
  const published = conflicts.filter((c) => c.status === 'published');
  if (!published.length) return;
  const sessions = new Map(
    (await m.find(Session, { where: { id: In([...new Set(published.map((c) => c.sessionId))]) } })).map((s) => [
      s.id,
      s,
    ]),
  );
  const releasing = new Set(
    (
      await m.find(Organisation, {
        where: { id: In([...new Set([...sessions.values()].map((s) => s.municipalityId))]), conflictPolicy: 'release' },
        select: { id: true },
      })
    ).map((o) => o.id),
  );
  for (const c of published) {
    const session = sessions.get(c.sessionId)!;
    if (!releasing.has(session.municipalityId)) continue;
    const a = await m.findOneBy(Assignment, { id: c.assignmentId });
    if (!a) continue;
    await release(m, now, a, session);
    c.released = true;
  }
}

/**
 * The platforms a senior brings to a session that no guide on it knows, each with the guides who
 * know it and could come (free then, within their hours, not busy elsewhere), best known first.
 */
export async function platformsUncovered(
  m: EntityManager,
  now: Date,
  session: Session,
  platforms: readonly string[],
): Promise<{ platform: string; couldCome: { guideId: string; name: string }[] }[]> {
  if (!platforms.length) return [];
  // Mostly a guide on the session knows them all: a look at its guides settles it, without the week's state.
  const known = await rawRows<{ platform: string }>(
    m,
    `SELECT DISTINCT p.platform FROM assignments a JOIN guides g ON g.id = a.guide_id
     JOIN guide_platforms p ON p.guide_id = a.guide_id
     WHERE a.session_id = ? AND g.municipality_id = ? AND g.active = TRUE`,
    [session.id, session.municipalityId],
  );
  if (platforms.every((pl) => known.some((k) => k.platform === pl))) return [];
  const { st } = await weekState(m, session, now);
  const p = st.p;
  const s = p.sessionIndex.get(session.id);
  if (s === undefined) return [];
  const missing = [...new Set(platforms)].filter((pl) => !st.members[s].some((g) => p.knows[g].has(pl as never)));
  if (!missing.length) return [];
  const out = missing.map((platform) => ({
    platform,
    ids: p.guides
      .map((guide, g) => ({ guide, g }))
      .filter(({ guide, g }) => guide.platforms.includes(platform as never) && !keepsOut(st, g, s).length)
      .map(({ guide }) => guide.id),
  }));
  const ids = [...new Set(out.flatMap((o) => o.ids))];
  const names = ids.length
    ? new Map(
        (await m.find(Guide, { where: { id: In(ids) }, select: { id: true, name: true } })).map((g) => [g.id, g.name]),
      )
    : new Map<string, string>();
  return out.map((o) => ({
    platform: o.platform,
    couldCome: o.ids
      .map((guideId) => ({ guideId, name: names.get(guideId) ?? '' }))
      .sort((a, b) => a.name.localeCompare(b.name, 'sv')),
  }));
}
