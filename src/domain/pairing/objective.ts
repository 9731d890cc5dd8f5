import type { Platform, Topic } from '../vocabulary';

/** A guide on duty at the session, as the pairing sees them. */
export interface PairingGuide {
  id: string;
  platforms: Platform[];
  /** Language codes ("ar", "so"); Swedish, if listed, never counts as a shared language. */
  languages: string[];
  topics: Topic[];
  /** false: a new guide, who gets fewer seniors. */
  experienced: boolean;
}

/** A senior with a seat at the session. */
export interface PairingSenior {
  id: string;
  /** The devices the senior brings; empty when not known. */
  platforms: Platform[];
  topic: Topic | null;
  /** The language the senior would like help in, besides Swedish; null or "sv" for none. */
  language: string | null;
  /** Guide ids who helped this senior before, most recent first (an id may come more than once). */
  helpedBefore: string[];
}

/**
 * The weights of the objective, in whole points so the solver compares exactly.
 *
 * The pairing minimises
 *
 *   cost = Σ_guides load(g)² · (experienced(g) ? LOAD : LOAD_NEW)  −  Σ_seniors bonus(s, guide(s))
 *
 *   bonus(s, g) = TOPIC    if g knows the topic s wants help with
 *               + LANGUAGE if g speaks the language s asked for (never Swedish)
 *               + HELPED   if g helped s before
 *               + LAST     if g is the guide who helped s most recently
 *
 * over the pairings that keep the hard rule: a senior goes to a guide who knows one of the
 * senior's platforms whenever any guide on duty knows one of them.
 *
 * The load term is the even load: Σ load²/w is smallest when each guide's load is in proportion
 * to w, here 1 for an experienced guide and ½ for a new one (LOAD_NEW = 2·LOAD), so a new guide
 * gets about half as many seniors. A bonus of b points is worth about b/2 seniors more on one
 * guide than on another (moving one senior from a guide with k seniors to one with j costs
 * 2(j − k + 1) load points), so a shared language may give a guide one or two seniors more than
 * the others, never a whole café.
 */
export const PAIRING_WEIGHTS = { TOPIC: 3, LANGUAGE: 4, HELPED: 4, LAST: 1, LOAD: 1, LOAD_NEW: 2 } as const;

const isSwedish = (code: string) => code.toLowerCase().split('-')[0] === 'sv';

/** The senior's language if it counts for the pairing (not Swedish, not empty), in lower case. */
export function otherLanguage(s: PairingSenior): string | null {
  return s.language && !isSwedish(s.language) ? s.language.toLowerCase() : null;
}

export const speaks = (g: PairingGuide, language: string) => g.languages.some((l) => l.toLowerCase() === language);

export const knowsTopic = (g: PairingGuide, s: PairingSenior) => s.topic !== null && g.topics.includes(s.topic);

/** How many times this guide helped this senior before. */
export const timesHelped = (g: PairingGuide, s: PairingSenior) => s.helpedBefore.filter((id) => id === g.id).length;

/** The bonus of pairing s with g (see PAIRING_WEIGHTS). */
export function bonus(g: PairingGuide, s: PairingSenior): number {
  const W = PAIRING_WEIGHTS;
  const language = otherLanguage(s);
  let points = 0;
  if (knowsTopic(g, s)) points += W.TOPIC;
  if (language && speaks(g, language)) points += W.LANGUAGE;
  if (s.helpedBefore.includes(g.id)) points += W.HELPED;
  if (s.helpedBefore[0] === g.id) points += W.LAST;
  return points;
}

/** The load weight of a guide: the cost of k seniors is loadWeight · k². */
export const loadWeight = (g: PairingGuide) => (g.experienced ? PAIRING_WEIGHTS.LOAD : PAIRING_WEIGHTS.LOAD_NEW);

/** The extra load cost of a guide's k-th senior (k ≥ 1): loadWeight · (k² − (k−1)²). Grows with k. */
export const nextSeniorCost = (g: PairingGuide, k: number) => loadWeight(g) * (2 * k - 1);

/**
 * The guides a senior may have: those who know one of the senior's platforms, or every guide when
 * nobody on duty knows any of them (or the senior's devices are not known).
 */
export function allowedGuides<G extends PairingGuide>(guides: readonly G[], s: PairingSenior): G[] {
  const knowing = guides.filter((g) => s.platforms.some((p) => g.platforms.includes(p)));
  return knowing.length ? knowing : [...guides];
}

/**
 * The objective of a pairing (lower is better; see PAIRING_WEIGHTS), for any assignment of
 * senior ids to guide ids. It does not check the hard rule.
 */
export function pairingCost(
  guides: readonly PairingGuide[],
  seniors: readonly PairingSenior[],
  guideOf: (seniorId: string) => string | null,
): number {
  const byId = new Map(guides.map((g) => [g.id, g]));
  const load = new Map<string, number>();
  let cost = 0;
  for (const s of seniors) {
    const id = guideOf(s.id);
    const g = id === null ? undefined : byId.get(id);
    if (!g) continue;
    cost -= bonus(g, s);
    load.set(g.id, (load.get(g.id) ?? 0) + 1);
  }
  for (const g of guides) cost += loadWeight(g) * (load.get(g.id) ?? 0) ** 2;
  return cost;
}
