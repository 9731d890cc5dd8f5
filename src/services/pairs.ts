import type { EntityManager } from 'typeorm';
import type { Device, Session } from '../db/entities';
import type { Reason } from '../domain/matching/reasons';
import { pairSeniors, type PairingGuide, type PairingSenior } from '../domain/pairing';
import type { Platform, Topic } from '../domain/vocabulary';
import { EXPERIENCED_AFTER, helpedBeforeDate } from './matching-input';
import { groupBy, jsonOf, rawRows, instantParam } from './raw';
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

/** A guide on duty at a café. */
export interface OnDuty {
  sessionId: string;
  guideId: string;
}

/** A senior with a seat at a café (a confirmed registration), in queue order. */
export type Seated = Omit<SeatedPair, 'guideId' | 'reasons'> & { sessionId: string };

/**
 * Who helps whom at each café: its seated seniors paired with its guides (the pure pairing in
 * src/domain/pairing), worked out when asked, so a sign-up, a cancellation or a swap shows at
 * once. `publishedOnly`: the guides' own view, where drafts do not count. A caller that has
 * already read the cafés' guides and seated seniors (the week) passes them as `known`.
 */
export async function sessionPairs(
  m: EntityManager,
  now: Date,
  sessions: Pick<Session, 'id' | 'localDate'>[],
  { publishedOnly }: { publishedOnly: boolean },
  known?: { onDuty: OnDuty[]; seated: Seated[] },
): Promise<Map<string, SeatedPair[]>> {
  const out = new Map<string, SeatedPair[]>();
  const ids = sessions.map((s) => s.id);
  if (!ids.length) return out;
  const { onDuty, seated } = known ?? (await readCafes(m, ids, publishedOnly));
  const guideIds = [...new Set(onDuty.map((a) => a.guideId))];
  const seniorIds = [...new Set(seated.map((r) => r.seniorId))];
  const [guides, worked, helped] = await Promise.all([
    readPairingGuides(m, guideIds),
    sessionsWorked(m, now, guideIds),
    helpersBefore(m, seniorIds),
  ]);
  const dutyBySession = groupBy(onDuty, (a) => a.sessionId);
  const seatedBySession = groupBy(seated, (r) => r.sessionId);
  for (const session of sessions) {
    const input: PairingGuide[] = [];
    for (const a of dutyBySession.get(session.id) ?? []) {
      const g = guides.get(a.guideId);
      if (g) input.push({ ...g, experienced: (worked.get(g.id) ?? 0) >= EXPERIENCED_AFTER });
    }
    const mine = seatedBySession.get(session.id) ?? [];
    const seniors: PairingSenior[] = mine.map((r) => ({
      id: r.seniorId,
      platforms: [...new Set(r.devices.map((d) => d.platform))],
      topic: r.topic,
      language: r.language,
      helpedBefore: helpedBeforeDate(helped.get(r.seniorId), session.localDate),
    }));
    const pairs = new Map(pairSeniors(input, seniors).map((p) => [p.seniorId, p]));
    out.set(
      session.id,
      mine.map((r) => {
        const pair = pairs.get(r.seniorId);
        return {
          seniorId: r.seniorId,
          displayName: r.displayName,
          devices: r.devices,
          topic: r.topic,
          language: r.language,
          guideId: pair?.guideId ?? null,
          reasons: pair?.reasons ?? [],
        };
      }),
    );
  }
  return out;
}

/** The cafés' guides on duty and their seated seniors. */
async function readCafes(
  m: EntityManager,
  sessionIds: string[],
  publishedOnly: boolean,
): Promise<{ onDuty: OnDuty[]; seated: Seated[] }> {
  const [duty, seats] = await Promise.all([
    rawRows<{ session_id: string; guide_id: string }>(
      m,
      `SELECT a.session_id, a.guide_id FROM assignments a WHERE a.session_id IN (?)${
        publishedOnly ? " AND a.status = 'published'" : ''
      } ORDER BY a.created_at, a.id`,
      [sessionIds],
    ),
    rawRows<SeatedRow>(
      m,
      `SELECT ${SEATED_COLUMNS} FROM registrations r JOIN seniors n ON n.id = r.senior_id
       WHERE r.session_id IN (?) AND r.status = 'confirmed' ORDER BY r.queue_number`,
      [sessionIds],
    ),
  ]);
  return {
    onDuty: duty.map((a) => ({ sessionId: a.session_id, guideId: a.guide_id })),
    seated: seats.map(seatedOf),
  };
}

/** A registration `r` joined to its senior `n`: the columns `seatedOf` reads. */
export const SEATED_COLUMNS = 'r.session_id, r.senior_id, r.devices, r.topic, n.display_name, n.preferred_language';

export interface SeatedRow {
  session_id: string;
  senior_id: string;
  devices: unknown;
  topic: Topic | null;
  display_name: string;
  preferred_language: string | null;
}

export const seatedOf = (r: SeatedRow): Seated => ({
  sessionId: r.session_id,
  seniorId: r.senior_id,
  displayName: r.display_name,
  devices: jsonOf<Device[]>(r.devices),
  topic: r.topic,
  language: r.preferred_language ?? null,
});

/** What the pairing knows of each guide: platforms, languages and topics, in one statement. */
async function readPairingGuides(
  m: EntityManager,
  guideIds: string[],
): Promise<Map<string, Omit<PairingGuide, 'experienced'>>> {
  const out = new Map<string, Omit<PairingGuide, 'experienced'>>();
  if (!guideIds.length) return out;
  const rows = await rawRows<{ guide_id: string; kind: string; value: string }>(
    m,
    `SELECT g.id AS guide_id, 't' AS kind, g.topics AS value FROM guides g WHERE g.id IN (?)
     UNION ALL SELECT p.guide_id, 'p', p.platform FROM guide_platforms p WHERE p.guide_id IN (?)
     UNION ALL SELECT l.guide_id, 'l', l.language FROM guide_languages l WHERE l.guide_id IN (?)
     ORDER BY 1, 2, 3`,
    [guideIds, guideIds, guideIds],
  );
  for (const r of rows)
    if (r.kind === 't') out.set(r.guide_id, { id: r.guide_id, platforms: [], languages: [], topics: jsonOf(r.value) });
  for (const r of rows) {
    const g = out.get(r.guide_id);
    if (!g) continue;
    if (r.kind === 'p') g.platforms.push(r.value as Platform);
    else if (r.kind === 'l') g.languages.push(r.value);
  }
  return out;
}

/** Published cafés each guide has worked (begun, not cancelled): past three, a guide is experienced. */
async function sessionsWorked(m: EntityManager, now: Date, guideIds: string[]): Promise<Map<string, number>> {
  if (!guideIds.length) return new Map();
  const rows = await rawRows<{ guide_id: string; n: string | number }>(
    m,
    `SELECT a.guide_id, COUNT(*) AS n FROM assignments a JOIN sessions s ON s.id = a.session_id
     WHERE a.guide_id IN (?) AND a.status = 'published' AND s.status = 'scheduled' AND s.starts_at < ?
     GROUP BY a.guide_id`,
    [guideIds, instantParam(m, now)],
  );
  return new Map(rows.map((r) => [r.guide_id, Number(r.n)]));
}

/** The guides who helped each senior at a café, most recent first (as matching-input's helpersBefore). */
async function helpersBefore(
  m: EntityManager,
  seniorIds: string[],
): Promise<Map<string, { guideId: string; date: string }[]>> {
  const out = new Map<string, { guideId: string; date: string }[]>();
  if (!seniorIds.length) return out;
  const rows = await rawRows<{ senior_id: string; guide_id: string; local_date: string }>(
    m,
    `SELECT a.senior_id, a.helped_by_guide_id AS guide_id, CAST(a.local_date AS VARCHAR(10)) AS local_date
     FROM attendances a WHERE a.senior_id IN (?) AND a.helped_by_guide_id IS NOT NULL AND a.present = TRUE
     ORDER BY a.local_date DESC, a.id`,
    [seniorIds],
  );
  for (const r of rows) {
    const list = out.get(r.senior_id);
    const h = { guideId: r.guide_id, date: r.local_date };
    if (list) list.push(h);
    else out.set(r.senior_id, [h]);
  }
  return out;
}
