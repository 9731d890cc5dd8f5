import fc from 'fast-check';
import {
  PAIRING_WEIGHTS,
  pairingCost,
  pairSeniors,
  type PairingGuide,
  type PairingSenior,
  type SeniorPair,
} from '../../src/domain/pairing';
import { Rng } from '../../src/domain/random';
import { PLATFORMS, type Topic } from '../../src/domain/vocabulary';
import { reasonsText } from '../../src/contract/reasons';

const guide = (o: Partial<PairingGuide> & { id: string }): PairingGuide => ({
  platforms: ['ios', 'android'],
  languages: ['sv'],
  topics: [],
  experienced: true,
  ...o,
});
const senior = (o: Partial<PairingSenior> & { id: string }): PairingSenior => ({
  platforms: ['ios'],
  topic: null,
  language: null,
  helpedBefore: [],
  ...o,
});
const guideOf = (pairs: SeniorPair[], seniorId: string) => pairs.find((p) => p.seniorId === seniorId)!.guideId;
const loads = (pairs: SeniorPair[]) => {
  const out: Record<string, number> = {};
  for (const p of pairs) if (p.guideId) out[p.guideId] = (out[p.guideId] ?? 0) + 1;
  return out;
};

describe(pairSeniors.name, () => {
  it('gives a returning senior the guide who helped her before, the most recent one first', () => {
    const guides = [guide({ id: 'amina' }), guide({ id: 'yonas' }), guide({ id: 'elsa' })];
    const seniors = [
      senior({ id: 'birgitta', helpedBefore: ['yonas', 'amina', 'yonas'] }),
      senior({ id: 'karl' }),
      senior({ id: 'maj' }),
    ];
    const pairs = pairSeniors(guides, seniors);
    expect(guideOf(pairs, 'birgitta')).toBe('yonas');
    expect(pairs.find((p) => p.seniorId === 'birgitta')!.reasons).toEqual([
      { code: 'pair_knows_platform', params: { platform: 'ios' } },
      { code: 'pair_helped_before', params: { times: 2 } },
      { code: 'pair_even_load', params: { seniors: 1 } },
    ]);
    expect(reasonsText(pairs.find((p) => p.seniorId === 'birgitta')!.reasons, 'sv')).toBe(
      'Kan iPhone. Har hjälpt seniorn förut (2 gånger). Har 1 senior på caféet.',
    );
    // One senior each: the even load keeps the other two apart.
    expect(Object.values(loads(pairs))).toEqual([1, 1, 1]);
  });

  it('gives the Arabic speaker the Arabic-speaking guide, and says so', () => {
    const guides = [
      guide({ id: 'sara', languages: ['sv', 'en'] }),
      guide({ id: 'omar', languages: ['sv', 'ar'] }),
      guide({ id: 'lisa', languages: ['sv', 'so'] }),
    ];
    const seniors = [
      senior({ id: 'fatima', language: 'ar' }),
      senior({ id: 'anders', language: 'sv' }),
      senior({ id: 'gun' }),
    ];
    const pairs = pairSeniors(guides, seniors);
    expect(guideOf(pairs, 'fatima')).toBe('omar');
    const fatima = pairs.find((p) => p.seniorId === 'fatima')!;
    expect(reasonsText(fatima.reasons, 'sv')).toBe('Kan iPhone. Talar arabiska med seniorn. Har 1 senior på caféet.');
    expect(reasonsText(fatima.reasons, 'en')).toBe(
      'Knows iPhone. Speaks Arabic with the senior. Has 1 senior at this café.',
    );
    // Swedish is never a "shared language": Anders gets no language reason.
    expect(pairs.find((p) => p.seniorId === 'anders')!.reasons.map((r) => r.code)).not.toContain('pair_language');
  });

  it('gives a new guide fewer seniors than the experienced guides', () => {
    const guides = [guide({ id: 'ny', experienced: false }), guide({ id: 'erfaren-1' }), guide({ id: 'erfaren-2' })];
    const seniors = Array.from({ length: 9 }, (_, i) => senior({ id: `s${i}` }));
    const load = loads(pairSeniors(guides, seniors));
    // Σ w·load² is least at 4, 3 and 2 (33 points): the new guide's weight is twice the others'.
    expect(load.ny).toBe(2);
    expect([load['erfaren-1'], load['erfaren-2']].sort()).toEqual([3, 4]);
  });

  it('gives the guide who knows the topic, and spreads the seniors of one topic when it must', () => {
    const guides = [
      guide({ id: 'bank', topics: ['banking_swish', 'bankid'] }),
      guide({ id: 'foto', topics: ['photos_cloud'] }),
    ];
    const two = pairSeniors(guides, [senior({ id: 'a', topic: 'bankid' }), senior({ id: 'b', topic: 'photos_cloud' })]);
    expect(two.map((p) => p.guideId)).toEqual(['bank', 'foto']);
    expect(reasonsText(two[0].reasons, 'sv')).toBe('Kan iPhone. Kan hjälpa med BankID. Har 1 senior på caféet.');
    // Six seniors who all want BankID: the topic (3 points) is worth one senior more, not all six.
    const six = pairSeniors(
      guides,
      Array.from({ length: 6 }, (_, i) => senior({ id: `s${i}`, topic: 'bankid' })),
    );
    expect(loads(six)).toEqual({ bank: 4, foto: 2 });
  });

  it('keeps the hard rule over every preference: the iPhone senior goes to the guide who knows iPhone', () => {
    const guides = [
      guide({ id: 'android-ar', platforms: ['android'], languages: ['ar'], topics: ['bankid'] }),
      guide({ id: 'iphone', platforms: ['ios'] }),
    ];
    const seniors = [
      senior({ id: 'layla', platforms: ['ios'], language: 'ar', topic: 'bankid', helpedBefore: ['android-ar'] }),
      ...Array.from({ length: 4 }, (_, i) => senior({ id: `ios-${i}`, platforms: ['ios'] })),
    ];
    const pairs = pairSeniors(guides, seniors);
    expect(pairs.every((p) => p.guideId === 'iphone')).toBe(true);
    expect(pairs.find((p) => p.seniorId === 'layla')!.reasons).toEqual([
      { code: 'pair_knows_platform', params: { platform: 'ios' } },
      { code: 'pair_even_load', params: { seniors: 5 } },
    ]);
  });

  it('pairs a senior whose platform nobody on duty knows by the rest, and says nobody knows it', () => {
    const guides = [
      guide({ id: 'a', platforms: ['ios'] }),
      guide({ id: 'b', platforms: ['android'], topics: ['email'] }),
    ];
    const pairs = pairSeniors(guides, [
      senior({ id: 'x', platforms: ['chromeos', 'android'], topic: 'email' }),
      senior({ id: 'y', platforms: ['chromeos'], topic: 'email' }),
      senior({ id: 'z', platforms: ['ios'] }),
    ]);
    expect(pairs.map((p) => p.guideId)).toEqual(['b', 'b', 'a']);
    expect(reasonsText(pairs[0].reasons, 'sv')).toBe(
      'Kan Android. Ingen guide på caféet kan Chromebook. Kan hjälpa med e-post. Har 2 seniorer på caféet.',
    );
    expect(reasonsText(pairs[1].reasons, 'sv')).toBe(
      'Ingen guide på caféet kan Chromebook. Kan hjälpa med e-post. Har 2 seniorer på caféet.',
    );
  });

  it('leaves the guide empty only when no guide is on duty', () => {
    expect(pairSeniors([], [senior({ id: 'b' }), senior({ id: 'a' })])).toEqual([
      { seniorId: 'a', guideId: null, reasons: [] },
      { seniorId: 'b', guideId: null, reasons: [] },
    ]);
    expect(pairSeniors([guide({ id: 'g' })], [])).toEqual([]);
  });
});

// ---------------------------------------------------------------------- properties on random instances

const LANGUAGES = ['sv', 'ar', 'so', 'fa', 'uk'];
const FEW_TOPICS: Topic[] = ['bankid', 'e_health', 'banking_swish', 'email', 'video_calls'];

const arbPairing = (o: { maxGuides: number; maxSeniors: number; minGuides?: number }) =>
  fc.integer({ min: o.minGuides ?? 0, max: o.maxGuides }).chain((m) =>
    fc.record({
      guides: fc.tuple(
        ...Array.from({ length: m }, (_, i) =>
          fc.record({
            id: fc.constant(`g${i}`),
            platforms: fc.subarray([...PLATFORMS], { minLength: 1, maxLength: 3 }),
            languages: fc.subarray(LANGUAGES, { maxLength: 3 }),
            topics: fc.subarray(FEW_TOPICS, { maxLength: 3 }),
            experienced: fc.boolean(),
          }),
        ),
      ),
      seniors: fc
        .array(
          fc.record({
            platforms: fc.subarray([...PLATFORMS], { maxLength: 2 }),
            topic: fc.option(fc.constantFrom(...FEW_TOPICS)),
            language: fc.option(fc.constantFrom(...LANGUAGES)),
            // Guides on duty and one who is not ("gone"); most seniors are new.
            helpedBefore: fc.array(fc.constantFrom(...Array.from({ length: m }, (_, i) => `g${i}`), 'gone'), {
              maxLength: 3,
            }),
          }),
          { maxLength: o.maxSeniors },
        )
        .map((ss) => ss.map((s, i): PairingSenior => ({ id: `s${i}`, ...s }))),
    }),
  );

/** The hard rule, from the raw input: a guide who knows the senior's platform, where anyone on duty does. */
function hardRuleBreaches(guides: PairingGuide[], seniors: PairingSenior[], pairs: SeniorPair[]): string[] {
  const out: string[] = [];
  for (const s of seniors) {
    const g = guides.find((x) => x.id === guideOf(pairs, s.id));
    const someoneKnows = guides.some((x) => x.platforms.some((p) => s.platforms.includes(p)));
    if (someoneKnows && !g?.platforms.some((p) => s.platforms.includes(p))) out.push(`${s.id} with ${g?.id}`);
  }
  return out;
}

/** The objective, written out again from its doc comment (lower is better). */
function objective(guides: PairingGuide[], seniors: PairingSenior[], guideIdOf: (id: string) => string | null) {
  const W = PAIRING_WEIGHTS;
  let cost = 0;
  for (const g of guides) {
    const mine = seniors.filter((s) => guideIdOf(s.id) === g.id);
    cost += (g.experienced ? W.LOAD : W.LOAD_NEW) * mine.length ** 2;
    for (const s of mine) {
      if (s.topic && g.topics.includes(s.topic)) cost -= W.TOPIC;
      if (s.language && s.language !== 'sv' && g.languages.includes(s.language)) cost -= W.LANGUAGE;
      if (s.helpedBefore.includes(g.id)) cost -= W.HELPED;
      if (s.helpedBefore[0] === g.id) cost -= W.LAST;
    }
  }
  return cost;
}

/** The least objective over every pairing that keeps the hard rule (m^n of them). */
function bruteForceOptimum(guides: PairingGuide[], seniors: PairingSenior[]): number {
  let best = Infinity;
  const choice = new Array<number>(seniors.length).fill(0);
  const guideIdOf = (id: string) => guides[choice[seniors.findIndex((s) => s.id === id)]].id;
  for (;;) {
    const pairs = seniors.map((s, i) => ({ seniorId: s.id, guideId: guides[choice[i]].id, reasons: [] }));
    if (!hardRuleBreaches(guides, seniors, pairs).length) best = Math.min(best, objective(guides, seniors, guideIdOf));
    let i = 0;
    while (i < choice.length && ++choice[i] === guides.length) choice[i++] = 0;
    if (i === choice.length) return best;
  }
}

const shuffled = <T>(rng: Rng, xs: T[]) => rng.shuffle(xs);

describe('pairSeniors on random instances', () => {
  it('pairs every senior exactly once, with a guide on duty, and never breaks the hard rule', () => {
    fc.assert(
      fc.property(arbPairing({ maxGuides: 6, maxSeniors: 30 }), ({ guides, seniors }) => {
        const pairs = pairSeniors(guides, seniors);
        expect(pairs.map((p) => p.seniorId)).toEqual(seniors.map((s) => s.id).sort());
        for (const p of pairs) {
          if (guides.length) expect(guides.map((g) => g.id)).toContain(p.guideId);
          else expect(p.guideId).toBeNull();
        }
        expect(hardRuleBreaches(guides, seniors, pairs)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('explains each pair with what is true of it', () => {
    fc.assert(
      fc.property(arbPairing({ maxGuides: 5, maxSeniors: 20, minGuides: 1 }), ({ guides, seniors }) => {
        const pairs = pairSeniors(guides, seniors);
        const load = loads(pairs);
        const known = new Set(guides.flatMap((g) => g.platforms));
        for (const p of pairs) {
          const g = guides.find((x) => x.id === p.guideId)!;
          const s = seniors.find((x) => x.id === p.seniorId)!;
          const codes = p.reasons.map((r) => r.code);
          expect(p.reasons[p.reasons.length - 1]).toEqual({ code: 'pair_even_load', params: { seniors: load[g.id] } });
          for (const r of p.reasons) {
            if (r.code === 'pair_knows_platform')
              expect(g.platforms.includes(r.params.platform) && s.platforms.includes(r.params.platform)).toBe(true);
            if (r.code === 'pair_nobody_knows_platform') expect(known.has(r.params.platform)).toBe(false);
          }
          expect(codes.includes('pair_topic')).toBe(s.topic !== null && g.topics.includes(s.topic));
          expect(codes.includes('pair_language')).toBe(
            s.language !== null && s.language !== 'sv' && g.languages.includes(s.language),
          );
          expect(codes.includes('pair_helped_before')).toBe(s.helpedBefore.includes(g.id));
          expect(reasonsText(p.reasons, 'sv')).not.toMatch(/_|\bundefined\b/);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same pairs whatever the order of guides, seniors and their lists', () => {
    fc.assert(
      fc.property(
        arbPairing({ maxGuides: 6, maxSeniors: 25 }),
        fc.integer({ min: 1, max: 1e9 }),
        ({ guides, seniors }, seed) => {
          const rng = new Rng(seed);
          const guides2 = shuffled(rng, guides).map((g) => ({
            ...g,
            platforms: shuffled(rng, g.platforms),
            languages: shuffled(rng, g.languages),
            topics: shuffled(rng, g.topics),
          }));
          // helpedBefore keeps its order: most recent first means something.
          const seniors2 = shuffled(rng, seniors).map((s) => ({ ...s, platforms: shuffled(rng, s.platforms) }));
          expect(pairSeniors(guides2, seniors2)).toEqual(pairSeniors(guides, seniors));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('finds the optimum of small cafés (checked by trying every pairing)', () => {
    fc.assert(
      fc.property(arbPairing({ maxGuides: 3, maxSeniors: 6, minGuides: 1 }), ({ guides, seniors }) => {
        const pairs = pairSeniors(guides, seniors);
        const got = objective(guides, seniors, (id) => guideOf(pairs, id));
        expect(pairingCost(guides, seniors, (id) => guideOf(pairs, id))).toBe(got);
        expect(got).toBe(bruteForceOptimum(guides, seniors));
      }),
      { numRuns: 400 },
    );
  });
});
