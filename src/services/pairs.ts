import { type EntityManager, In } from 'typeorm';
import { Assignment, type Device, Guide, Registration, Senior, Session } from '../db/entities';
import type { Reason } from '../domain/matching/reasons';
import { pairSeniors, type PairingGuide, type PairingSenior } from '../domain/pairing';
import type { Topic } from '../domain/vocabulary';
import { EXPERIENCED_AFTER, helpedBeforeDate, helpersBefore } from './matching-input';
import { asStoredInstant } from './support';

/** A senior with a seat at a café, and the guide on duty they are paired with. */
export interface SeatedPair {
  seniorId: string;
  displayName: string;
  devices: Device[];
  topic: Topic | null;
  language: string | null;
  /** Null only when the café has no guide. */
  guideId: string | null;
  reasons: Reason[];
}

/**
 * Who helps whom at each café: its seated seniors paired with its guides (the pure pairing in
 * src/domain/pairing), worked out when asked, so a sign-up, a cancellation or a swap shows at
 * once. `publishedOnly`: the guides' own view, where drafts do not count.
 */
export async function sessionPairs(
  m: EntityManager,
  now: Date,
  sessions: Pick<Session, 'id' | 'localDate'>[],
  { publishedOnly }: { publishedOnly: boolean },
): Promise<Map<string, SeatedPair[]>> {
  const out = new Map<string, SeatedPair[]>();
  const ids = sessions.map((s) => s.id);
  if (!ids.length) return out;
  const [assignments, regs] = await Promise.all([
    m.find(Assignment, {
      where: { sessionId: In(ids), ...(publishedOnly ? { status: 'published' as const } : {}) },
      select: { sessionId: true, guideId: true },
    }),
    m.find(Registration, {
      where: { sessionId: In(ids), status: 'confirmed' },
      select: { sessionId: true, seniorId: true, devices: true, topic: true },
      order: { queueNumber: 'ASC' },
    }),
  ]);
  const guideIds = [...new Set(assignments.map((a) => a.guideId))];
  const seniorIds = [...new Set(regs.map((r) => r.seniorId))];
  const [guides, seniors, worked, helped] = await Promise.all([
    guideIds.length
      ? m.find(Guide, { where: { id: In(guideIds) }, relations: { platforms: true, languages: true } })
      : [],
    seniorIds.length
      ? m.find(Senior, {
          where: { id: In(seniorIds) },
          select: { id: true, displayName: true, preferredLanguage: true },
        })
      : [],
    sessionsWorked(m, now, guideIds),
    helpersBefore(m, seniorIds),
  ]);
  const guideById = new Map(guides.map((g) => [g.id, g]));
  const seniorById = new Map(seniors.map((s) => [s.id, s]));
  for (const session of sessions) {
    const onDuty: PairingGuide[] = assignments
      .filter((a) => a.sessionId === session.id && guideById.has(a.guideId))
      .map((a) => {
        const g = guideById.get(a.guideId)!;
        return {
          id: g.id,
          platforms: g.platforms.map((p) => p.platform),
          languages: g.languages.map((l) => l.language),
          topics: g.topics,
          experienced: (worked.get(g.id) ?? 0) >= EXPERIENCED_AFTER,
        };
      });
    const seated = regs.filter((r) => r.sessionId === session.id && seniorById.has(r.seniorId));
    const input: PairingSenior[] = seated.map((r) => ({
      id: r.seniorId,
      platforms: [...new Set(r.devices.map((d) => d.platform))],
      topic: r.topic,
      language: seniorById.get(r.seniorId)!.preferredLanguage ?? null,
      helpedBefore: helpedBeforeDate(helped.get(r.seniorId), session.localDate),
    }));
    const pairs = new Map(pairSeniors(onDuty, input).map((p) => [p.seniorId, p]));
    out.set(
      session.id,
      seated.map((r) => {
        const senior = seniorById.get(r.seniorId)!;
        const pair = pairs.get(r.seniorId);
        return {
          seniorId: r.seniorId,
          displayName: senior.displayName,
          devices: r.devices,
          topic: r.topic,
          language: senior.preferredLanguage ?? null,
          guideId: pair?.guideId ?? null,
          reasons: pair?.reasons ?? [],
        };
      }),
    );
  }
  return out;
}

/** Published cafés each guide has worked (begun, not cancelled): past three, a guide is experienced. */
async function sessionsWorked(m: EntityManager, now: Date, guideIds: string[]): Promise<Map<string, number>> {
  if (!guideIds.length) return new Map();
  const rows = await m
    .createQueryBuilder(Assignment, 'a')
    .innerJoin(Session, 's', 's.id = a.session_id')
    .select('a.guide_id', 'guideId')
    .addSelect('COUNT(*)', 'n')
    .where('a.guide_id IN (:...guideIds)', { guideIds })
    .andWhere("a.status = 'published' AND s.status = 'scheduled' AND s.starts_at < :now", {
      now: asStoredInstant(m, now),
    })
    .groupBy('a.guide_id')
    .getRawMany<{ guideId: string; n: string | number }>();
  return new Map(rows.map((r) => [r.guideId, Number(r.n)]));
}
