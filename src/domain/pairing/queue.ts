import type { Reason } from '../matching/reasons';
import { allowedGuides, bonus, nextSeniorCost, type PairingGuide, type PairingSenior } from './objective';
import { pairReasons } from './pair';

/** A guide on duty at the café's queue, as the pairing sees them, and what they do now. */
export interface QueueGuide extends PairingGuide {
  name: string;
  /** Helping someone now: suggested to nobody. */
  helping: boolean;
  /** Visitors this guide has helped or is helping at this café: their load. */
  helped: number;
}

/** A visitor in the queue, in the order they came. */
export interface QueueVisitor {
  id: string;
  status: 'waiting' | 'helping' | 'done' | 'removed';
  /** What the pairing knows of them; a walk-in brings one device and a topic, nothing more. */
  senior: PairingSenior;
  /** A senior with a seat: the guide the café's pairing gives them, and why. */
  pairedGuideId: string | null;
  pairReasons: Reason[];
}

export interface Suggestion {
  guideId: string;
  reasons: Reason[];
}

/**
 * Whom the queue suggests for each waiting visitor, first come first; each free guide (helping
 * nobody now) once. A senior with a seat gets the guide the pairing gives them (pairSeniors) if
 * that guide is free, with the pairing's reasons. Otherwise, and for a walk-in, the free guide
 * the pairing's objective likes best for one more visitor: the hard rule first (a guide who
 * knows the device, where any free guide does), then the least cost of adding them, that is the
 * load term of the guide's next visitor (nextSeniorCost, by the visitors helped so far) less the
 * bonus (topic, language, helped before); then by name. No guide free: no suggestion.
 */
export function suggestGuides(
  visitors: readonly QueueVisitor[],
  guides: readonly QueueGuide[],
): Map<string, Suggestion> {
  const known = new Set(guides.flatMap((g) => g.platforms));
  const free = guides.filter((g) => !g.helping);
  const out = new Map<string, Suggestion>();
  for (const v of visitors) {
    if (v.status !== 'waiting' || !free.length) continue;
    const paired = v.pairedGuideId ? free.find((g) => g.id === v.pairedGuideId) : undefined;
    let pick: QueueGuide;
    let reasons: Reason[];
    if (paired) {
      pick = paired;
      reasons = v.pairReasons;
    } else {
      const cost = (g: QueueGuide) => nextSeniorCost(g, g.helped + 1) - bonus(g, v.senior);
      pick = allowedGuides(free, v.senior).sort(
        (a, b) => cost(a) - cost(b) || a.name.localeCompare(b.name, 'sv') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      )[0];
      reasons = pairReasons(pick, v.senior, pick.helped + 1, known);
    }
    out.set(v.id, { guideId: pick.id, reasons });
    free.splice(free.indexOf(pick), 1);
  }
  return out;
}
