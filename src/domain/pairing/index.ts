export { pairReasons, pairSeniors, type SeniorPair } from './pair';
export { suggestGuides, type QueueGuide, type QueueVisitor, type Suggestion } from './queue';
export { allowedGuides, bonus, PAIRING_WEIGHTS, pairingCost, type PairingGuide, type PairingSenior } from './objective';
