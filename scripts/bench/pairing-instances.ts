/**
 * Seeded, realistic cafés for the pairing (src/domain/pairing): the same seed and size always give
 * the same guides and seniors. Used by scripts/bench/pairing.bench.ts.
 *
 * Realism, as in matching-instances.ts: seniors bring ≈45 % iPhone, 35 % Android, 10 % Windows,
 * 5 % Mac, 3 % iPad, 2 % Chromebook (one in seven brings a second device; one in twenty is not
 * known); most want help with BankID, 1177, the bank or Swish, one in ten says nothing; about 20 %
 * would like help in Arabic, Dari, Tigrinya, Somali or Ukrainian (some say Swedish); four in ten
 * have come before, helped by one to three guides, some of whom no longer work there. Guides know
 * 2–4 platforms weighted to the same mix, speak Swedish and 0–2 more languages, know 3–8 topics;
 * a quarter are new.
 */
import type { PairingGuide, PairingSenior } from '../../src/domain/pairing';
import { Rng } from '../../src/domain/random';
import { type Platform, type Topic } from '../../src/domain/vocabulary';

export const PAIRING_SIZES = {
  small: { seniors: 8, guides: 2 },
  cafe: { seniors: 30, guides: 5 },
  large: { seniors: 60, guides: 8 },
  huge: { seniors: 120, guides: 12 },
} as const;
export type PairingSize = keyof typeof PAIRING_SIZES;

export interface PairingInstance {
  size: PairingSize;
  seed: number;
  guides: PairingGuide[];
  seniors: PairingSenior[];
}

const PLATFORM_MIX: [Platform, number][] = [
  ['ios', 45],
  ['android', 35],
  ['windows', 10],
  ['macos', 5],
  ['ipados', 3],
  ['chromeos', 2],
];
const TOPIC_MIX: [Topic, number][] = [
  ['bankid', 20],
  ['e_health', 14],
  ['banking_swish', 14],
  ['email', 8],
  ['video_calls', 7],
  ['photos_cloud', 7],
  ['scam_safety', 6],
  ['updates_transfer', 6],
  ['municipal_services', 5],
  ['travel_tickets', 5],
  ['social_media', 3],
  ['web_search', 2],
  ['ebooks', 1],
  ['other', 2],
];
const LANGUAGES = ['ar', 'prs', 'ti', 'so', 'uk'];

function distinct<T>(rng: Rng, mix: [T, number][], count: number): T[] {
  const out: T[] = [];
  while (out.length < count) {
    const x = rng.weighted(mix.filter(([v]) => !out.includes(v)));
    out.push(x);
  }
  return out;
}

export function generatePairing(size: PairingSize, seed: number): PairingInstance {
  const rng = new Rng(seed * 7919 + PAIRING_SIZES[size].seniors);
  const { seniors: n, guides: m } = PAIRING_SIZES[size];
  const guides: PairingGuide[] = Array.from({ length: m }, (_, i) => ({
    id: `guide-${i + 1}`,
    platforms: distinct(rng, PLATFORM_MIX, rng.int(2, 4)),
    languages: [
      'sv',
      ...rng.shuffle(LANGUAGES).slice(
        0,
        rng.weighted([
          [0, 5],
          [1, 4],
          [2, 1],
        ] as const),
      ),
    ],
    topics: distinct(rng, TOPIC_MIX, rng.int(3, 8)),
    experienced: !rng.chance(0.25),
  }));
  const former = ['former-1', 'former-2', 'former-3'];
  const seniors: PairingSenior[] = Array.from({ length: n }, (_, i) => ({
    id: `senior-${i + 1}`,
    platforms: rng.chance(0.05) ? [] : distinct(rng, PLATFORM_MIX, rng.chance(1 / 7) ? 2 : 1),
    topic: rng.chance(0.1) ? null : rng.weighted(TOPIC_MIX),
    language: rng.chance(0.2) ? rng.pick(LANGUAGES) : rng.chance(0.3) ? 'sv' : null,
    helpedBefore: rng.chance(0.4)
      ? Array.from({ length: rng.int(1, 3) }, () => (rng.chance(0.8) ? guides[rng.int(0, m - 1)].id : rng.pick(former)))
      : [],
  }));
  return { size, seed, guides, seniors };
}
