import { plan } from '../../src/domain/matching';
import type { EngineGuide, EngineSession } from '../../src/domain/matching';
import { explainIn } from '../../src/contract/explain';

const MIN = 60_000;
const BASE = Date.UTC(2027, 0, 4, 0, 0); // Monday 4 January 2027
const session = (o: Partial<EngineSession> & { id: string; day: number; startMinute: number }): EngineSession => {
  const { day, startMinute, ...rest } = o;
  const start = BASE + (day * 24 * 60 + startMinute - 60) * MIN;
  return {
    venueId: 'library',
    date: `2027-01-${String(4 + day).padStart(2, '0')}`,
    week: '2027-W01',
    weekday: (day % 7) + 1,
    startMinute,
    endMinute: startMinute + 120,
    start,
    end: start + 120 * MIN,
    minGuides: 2,
    maxGuides: 3,
    demand: {},
    languages: {},
    seniors: 6,
    ...rest,
  };
};
const guide = (o: Partial<EngineGuide> & { id: string }): EngineGuide => ({
  platforms: ['ios'],
  languages: [],
  maxMinutesPerWeek: 8 * 60,
  unavailableDates: [],
  experienced: true,
  venueHistory: {},
  availability: [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 13 * 60, endMinute: 19 * 60 })),
  ...o,
});
/** English words of the engine's sentences: none may be left in the Swedish. */
const ENGLISH =
  /\b(available|busy|guides|session|alone|would|unavailable|elsewhere|only|needed|free|full|knows|weekly|least)\b/;

/**
 * The pages show the engine's explanations in Swedish. Every sentence the engine writes for
 * shortfalls, uncovered platforms and blocked guides is run through the translation here, so a
 * change of wording in the engine fails this test instead of showing English on the page.
 */
describe('the engine’s explanations in Swedish', () => {
  it('translates every sentence of a short week: shortfalls, uncovered platforms and each blocked guide', () => {
    const tue = session({ id: 'tue', day: 1, startMinute: 15 * 60, demand: { android: 3 } });
    const wed = session({ id: 'wed', day: 2, startMinute: 15 * 60, minGuides: 2, maxGuides: 2 });
    const wedLate = session({ id: 'wed-late', day: 2, startMinute: 16 * 60, venueId: 'vivalla' });
    const guides = [
      guide({ id: 'only-one', platforms: ['android'] }),
      guide({ id: 'mornings', availability: [{ weekday: 2, startMinute: 9 * 60, endMinute: 12 * 60 }] }),
      guide({ id: 'away', unavailableDates: ['2027-01-05'] }),
      guide({ id: 'tired', maxMinutesPerWeek: 60 }),
    ];
    const out = plan({
      sessions: [tue, wed, wedLate],
      guides,
      travel: { library: { vivalla: 20 } },
      fixed: [{ sessionId: 'wed-late', guideId: 'only-one' }],
      seed: 7,
      maxIterations: 5000,
      timeLimitMs: 5000,
    });
    const sentences = [
      ...out.shortfalls.flatMap((s) => [...s.reasons, ...s.candidates.flatMap((c) => c.blockedBy)]),
      ...out.uncovered.map((u) => u.reason),
    ];
    expect(sentences.length).toBeGreaterThan(5);
    for (const sentence of new Set(sentences)) {
      const sv = explainIn(sentence, 'sv');
      expect({ sentence, sv }).toEqual({ sentence, sv: expect.not.stringMatching(ENGLISH) });
      expect(explainIn(sentence, 'en')).toBe(sentence);
    }
  });

  it('says each of the engine’s sentences in plain Swedish', () => {
    const cases: [string, string][] = [
      ['not available Tue 15:00–17:00', 'kan inte jobba tis 15:00–17:00'],
      ['unavailable on 2027-01-05', 'har förhinder 2027-01-05'],
      ['would pass max 6 h in 2026-W49 (has 4.5 h)', 'skulle gå över max 6 h vecka 49 (har 4.5 h)'],
      [
        'busy 2026-12-01 15:00–17:00 elsewhere (20 min away)',
        'upptagen 2026-12-01 15:00–17:00 på annan plats (20 min bort)',
      ],
      ['busy 2026-12-01 15:00–17:00 elsewhere', 'upptagen 2026-12-01 15:00–17:00 på annan plats'],
      ['the session is full', 'passet har redan så många guider som får plats'],
      [
        'free, but no second guide is free then (a guide never works alone)',
        'ledig, men ingen annan guide är ledig då (en guide jobbar aldrig ensam)',
      ],
      ['0 of at least 2 guides on Tue 2027-01-05 15:00', '0 av minst 2 guider tis 2027-01-05 15:00'],
      ['only 1 guide(s) are available then at all', 'bara 1 guide(r) kan jobba då över huvud taget'],
      ['a guide never works alone: one more is needed', 'en guide jobbar aldrig ensam: en till behövs'],
      [
        'the 1 available android guide(s) are busy elsewhere or at their weekly hours on Tue 2027-01-05 15:00',
        'de 1 guider som kan Android är upptagna på annan plats eller vid sin veckogräns tis 2027-01-05 15:00',
      ],
      [
        'no guide who knows macos is available on Thu 2027-01-07 15:00',
        'ingen guide som kan Mac kan jobba tor 2027-01-07 15:00',
      ],
    ];
    for (const [en, sv] of cases) expect(explainIn(en, 'sv')).toBe(sv);
    expect(explainIn('something new from the engine', 'sv')).toBe('something new from the engine');
  });
});
