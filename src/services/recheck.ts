import { type EntityManager, In, MoreThan } from 'typeorm';
import { Assignment, Guide, Organisation, Session } from '../db/entities';
import { blockers, type Reason } from '../domain/matching';
import { isoWeekOf } from '../domain/time';
import { weekState } from './matching-input';
import { rawRows } from './raw';
import { asStoredInstant, type ReleasePlace } from './support';

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
  const future = { startsAt: MoreThan(now), status: 'scheduled' as const };
  let touched: Assignment[];
  const extraGuides: string[] = [];
  const anchors: { municipalityId: string; localDate: string }[] = [];
  if ('guideId' in scope) {
    touched = await m
      .createQueryBuilder(Assignment, 'a')
      .innerJoin(Session, 's', 's.id = a.session_id')
      .where('a.guide_id = :guideId', { guideId: scope.guideId })
      .andWhere("s.status = 'scheduled' AND s.starts_at > :now", { now: asStoredInstant(m, now) })
      .getMany();
  } else {
    const sessions = scope.sessionIds.length
      ? await m.find(Session, { where: { id: In(scope.sessionIds), ...future } })
      : [];
    anchors.push(...sessions);
    touched = sessions.length ? await m.find(Assignment, { where: { sessionId: In(sessions.map((s) => s.id)) } }) : [];
    extraGuides.push(...(scope.guideIds ?? []));
    if (scope.alsoWeekOf) anchors.push(scope.alsoWeekOf);
  }
  if (touched.length) {
    const on = await m.find(Session, { where: { id: In([...new Set(touched.map((a) => a.sessionId))]) } });
    anchors.push(...on);
  }
  // One engine state per week; in it, each of the week's assignments of the guides touched.
  const guides = new Set([...touched.map((a) => a.guideId), ...extraGuides]);
  if (!guides.size) return [];
  const byWeek = new Map<string, { municipalityId: string; localDate: string }>();
  for (const s of anchors) byWeek.set(`${s.municipalityId} ${isoWeekOf(s.localDate)}`, s);
  const out: AssignmentConflict[] = [];
  for (const anchor of byWeek.values()) {
    const { st, assignments } = await weekState(m, anchor, now);
    const p = st.p;
    // The touched guides' assignments on cafés to come: taken out, then put back one at a time,
    // published before drafts, then by start. One that no longer fits is a conflict and stays
    // out, so the next are checked without it: a guide over their hours by one café has one
    // conflict, not one on every café of the week.
    const mine = assignments
      .filter((a) => guides.has(a.guideId))
      .map((a) => ({ a, s: p.sessionIndex.get(a.sessionId) ?? -1, g: p.guideIndex.get(a.guideId) ?? -1 }))
      .filter((x) => x.s >= 0 && x.g >= 0 && p.sessions[x.s].start > now.getTime())
      .sort(
        (x, y) =>
          Number(x.a.status !== 'published') - Number(y.a.status !== 'published') ||
          p.sessions[x.s].start - p.sessions[y.s].start ||
          x.s - y.s,
      );
    for (const x of mine) st.remove(x.g, x.s);
    for (const { a, s, g } of mine) {
      const reasons = keepsOut(st, g, s);
      if (!reasons.length) st.add(g, s);
      const conflict = reasons.length ? reasons : null;
      if (JSON.stringify(conflict) !== JSON.stringify(a.conflict ?? null))
        await m.update(Assignment, { id: a.id }, { conflict });
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
  if (release) await releaseWhereChosen(m, now, out, release);
  return out;
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
