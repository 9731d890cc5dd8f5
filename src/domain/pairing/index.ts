export { pairSeniors, type SeniorPair } from './pair';
export { allowedGuides, bonus, PAIRING_WEIGHTS, pairingCost, type PairingGuide, type PairingSenior } from './objective';
