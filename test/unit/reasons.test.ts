import { plan } from '../../src/domain/matching';
import type { EngineGuide, EngineSession } from '../../src/domain/matching';
import { REASON_CODES, type Reason, type ReasonCode, type ReasonParams } from '../../src/domain/matching';
import { reasonText } from '../../src/contract/reasons';

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
/** English words: none may be left in the Swedish. */
const ENGLISH =
  /\b(available|busy|guides|session|alone|would|unavailable|elsewhere|only|needed|free|full|knows|weekly|least|the|of)\b/;
/** Words that are not Swedish sentences: "guide(r)", "(s)", "bara 0", a bare code. */
const CLUMSY = /\(r\)|\(s\)|\bbara 0\b|\bonly 0\b|_/;

/** Each code with parameters, and what a reader sees in Swedish and English. */
const SAID: { [C in ReasonCode]: [ReasonParams[C], string, string][] } = {
  pinned: [[{}, 'Låst av en samordnare, eller redan publicerad.', 'Pinned by a coordinator, or in a published week.']],
  put_by_coordinator: [[{}, 'En samordnare valde guiden.', 'Put here by a coordinator.']],
  took_given_up_place: [[{}, 'Tog passet när en annan guide inte kunde.', 'Took a place another guide gave up.']],
  knows_platform: [
    [
      { platform: 'android', seniors: 3 },
      'Kan Android: 3 seniorer har Android.',
      'Knows Android: 3 seniors bring one.',
    ],
    [{ platform: 'ios', seniors: 1 }, 'Kan iPhone: 1 senior har iPhone.', 'Knows iPhone: 1 senior brings one.'],
  ],
  speaks_language: [
    [
      { language: 'ar', seniors: 2 },
      'Talar arabiska: 2 seniorer talar arabiska.',
      'Speaks Arabic: 2 seniors speak it.',
    ],
  ],
  new_guide_with_experienced: [
    [{}, 'Ny guide. Jobbar med en guide som har jobbat länge.', 'A new guide, working beside an experienced one.'],
  ],
  experienced_with_new_guide: [
    [{}, 'Har jobbat länge. Jobbar med en ny guide.', 'Experienced, paired with a new guide.'],
  ],
  has_been_here: [
    [{ times: 1 }, 'Har varit här förut (1 gång).', 'Has worked here before (1 time).'],
    [{ times: 4 }, 'Har varit här förut (4 gånger).', 'Has worked here before (4 times).'],
  ],
  helped_before: [
    [{ seniors: 1 }, 'Har hjälpt en av seniorerna förut.', 'Has helped one of the seniors before.'],
    [{ seniors: 2 }, 'Har hjälpt 2 av seniorerna förut.', 'Has helped 2 of the seniors before.'],
  ],
  kept_from_previous_plan: [[{}, 'Fanns med i förra planen.', 'Kept from the previous plan.']],
  hours_so_far: [
    [
      { week: '2026-W48', weekHours: 6.5, maxHours: 8, periodHours: 1, fairHours: 2.5 },
      '6,5 timmar vecka 48 (högst 8). 1 timme i perioden (rättvist: 2,5).',
      '6.5 hours in week 48 (at most 8). 1 hour in the period (fair share: 2.5).',
    ],
  ],
  fewest_hours: [
    [
      { week: '2026-W49', hours: 2 },
      'Har minst timmar vecka 49 (2 timmar).',
      'Has the fewest hours in week 49 (2 hours).',
    ],
  ],
  already_on_session: [[{}, 'Är redan på passet.', 'Is already on this session.']],
  not_available: [
    [
      { weekday: 4, from: '17:00', to: '19:00', canWork: [{ from: '15:00', to: '18:00' }] },
      'Kan bara jobba 15:00–18:00 på torsdagar. Passet är 17:00–19:00.',
      'Can only work 15:00–18:00 on Thursdays. The session is 17:00–19:00.',
    ],
    [
      {
        weekday: 2,
        from: '12:00',
        to: '14:00',
        canWork: [
          { from: '09:00', to: '11:00' },
          { from: '13:00', to: '17:00' },
        ],
      },
      'Kan bara jobba 09:00–11:00 och 13:00–17:00 på tisdagar. Passet är 12:00–14:00.',
      'Can only work 09:00–11:00 and 13:00–17:00 on Tuesdays. The session is 12:00–14:00.',
    ],
    [{ weekday: 7, from: '11:00', to: '13:00', canWork: [] }, 'Kan inte jobba på söndagar.', 'Cannot work on Sundays.'],
    [
      { weekday: 6, from: '11:00', to: '13:00' },
      'Kan inte jobba på lördagar 11:00–13:00.',
      'Cannot work on Saturdays 11:00–13:00.',
    ],
  ],
  unavailable_on: [
    [{ date: '2026-11-24' }, 'Har förhinder tisdag 24 november.', 'Cannot come on Tuesday 24 November.'],
  ],
  over_weekly_max: [
    [
      { week: '2026-W48', hours: 6.5, maxHours: 7.5 },
      'Har redan 6,5 timmar vecka 48. Får jobba högst 7,5 timmar.',
      'Already has 6.5 hours in week 48, at most 7.5 hours.',
    ],
    [
      { week: '2027-W01', hours: 1, maxHours: 1 },
      'Har redan 1 timme vecka 1. Får jobba högst 1 timme.',
      'Already has 1 hour in week 1, at most 1 hour.',
    ],
  ],
  busy_elsewhere: [
    [
      { date: '2026-12-01', from: '15:00', to: '17:00', travelMinutes: 20 },
      'Har ett annat pass tisdag 1 december 15:00–17:00 (20 minuters resa).',
      'Has another session on Tuesday 1 December 15:00–17:00 (20 minutes away).',
    ],
    [
      { date: '2026-12-01', from: '15:00', to: '17:00', travelMinutes: 0 },
      'Har ett annat pass tisdag 1 december 15:00–17:00.',
      'Has another session on Tuesday 1 December 15:00–17:00.',
    ],
  ],
  session_full: [[{}, 'Passet är fullt.', 'The session is full.']],
  no_second_guide: [
    [
      {},
      'Kan komma, men ingen annan guide kan då. En guide jobbar aldrig ensam.',
      'Free, but no second guide is free then. A guide never works alone.',
    ],
  ],
  short_of_guides: [
    [
      { assigned: 0, needed: 2, weekday: 2, date: '2027-01-05', time: '15:00' },
      'Tisdag 5 januari 15:00: 0 av minst 2 guider.',
      'Tuesday 5 January 15:00: 0 of at least 2 guides.',
    ],
  ],
  nobody_available: [
    [{ count: 0 }, 'Ingen guide kan jobba då.', 'No guide can work then.'],
    [{ count: 1 }, 'Bara 1 guide kan jobba då.', 'Only 1 guide can work then.'],
    [{ count: 3 }, 'Bara 3 guider kan jobba då.', 'Only 3 guides can work then.'],
  ],
  others_busy: [
    [
      { count: 4 },
      '4 guider kan jobba då. De andra har redan ett pass eller har nått sina timmar.',
      '4 guides can work then. The others have another session or have reached their hours.',
    ],
  ],
  never_alone: [
    [{}, 'En guide jobbar aldrig ensam. En till behövs.', 'A guide never works alone: one more is needed.'],
  ],
  platform_guides_busy: [
    [
      { platform: 'ios', seniors: 3, count: 1 },
      '3 seniorer har iPhone. 1 guide kan iPhone men har redan ett pass eller har nått sina timmar.',
      '3 seniors bring iPhone. 1 guide knows it but has another session or no hours left.',
    ],
  ],
  no_platform_guide: [
    [
      { platform: 'ios', seniors: 3 },
      '3 seniorer har iPhone. Ingen guide som kan iPhone kan jobba då.',
      '3 seniors bring iPhone. No guide who knows it can work then.',
    ],
  ],
  pair_knows_platform: [[{ platform: 'android' }, 'Kan Android.', 'Knows Android.']],
  pair_topic: [
    [{ topic: 'banking_swish' }, 'Kan hjälpa med bank och Swish.', 'Can help with banking and Swish.'],
    [{ topic: 'e_health' }, 'Kan hjälpa med 1177 och vård.', 'Can help with health services (1177).'],
  ],
  pair_language: [
    [{ language: 'ar' }, 'Talar arabiska med seniorn.', 'Speaks Arabic with the senior.'],
    [{ language: 'so' }, 'Talar somaliska med seniorn.', 'Speaks Somali with the senior.'],
  ],
  pair_helped_before: [
    [{ times: 1 }, 'Har hjälpt seniorn förut (1 gång).', 'Has helped this senior before (1 time).'],
    [{ times: 3 }, 'Har hjälpt seniorn förut (3 gånger).', 'Has helped this senior before (3 times).'],
    [{}, 'Har hjälpt seniorn förut.', 'Has helped this senior before.'],
  ],
  pair_even_load: [
    [{ seniors: 1 }, 'Har 1 senior på caféet.', 'Has 1 senior at this café.'],
    [{ seniors: 4 }, 'Har 4 seniorer på caféet.', 'Has 4 seniors at this café.'],
  ],
  pair_nobody_knows_platform: [
    [{ platform: 'chromeos' }, 'Ingen guide på caféet kan Chromebook.', 'No guide at this café knows Chromebook.'],
  ],
};

describe('the engine’s reasons in words', () => {
  it('says every code the engine has in plain Swedish and in English, with real plurals', () => {
    expect(Object.keys(SAID).sort()).toEqual([...REASON_CODES].sort());
    for (const code of REASON_CODES) {
      for (const [params, sv, en] of SAID[code] as [unknown, string, string][]) {
        const r = { code, params } as Reason;
        expect({ code, sv: reasonText(r, 'sv') }).toEqual({ code, sv });
        expect({ code, en: reasonText(r, 'en') }).toEqual({ code, en });
        expect(sv).not.toMatch(ENGLISH);
        expect(sv).not.toMatch(CLUMSY);
      }
    }
  });

  it('words every reason a short week gives: why each guide is there, shortfalls, candidates and platforms nobody covers', () => {
    const tue = session({ id: 'tue', day: 1, startMinute: 15 * 60, demand: { android: 3 }, languages: { ar: 2 } });
    const wed = session({ id: 'wed', day: 2, startMinute: 15 * 60, minGuides: 2, maxGuides: 2, demand: { macos: 1 } });
    const wedLate = session({ id: 'wed-late', day: 2, startMinute: 16 * 60, venueId: 'vivalla' });
    const sun = session({ id: 'sun', day: 6, startMinute: 11 * 60 });
    const guides = [
      guide({ id: 'only-one', platforms: ['android'], languages: ['ar'], venueHistory: { library: 2 } }),
      guide({ id: 'mornings', availability: [{ weekday: 2, startMinute: 9 * 60, endMinute: 12 * 60 }] }),
      guide({ id: 'away', unavailableDates: ['2027-01-10'], experienced: false }),
      guide({ id: 'tired', maxMinutesPerWeek: 60 }),
      guide({ id: 'spare', maxMinutesPerWeek: 120 }),
    ];
    const out = plan({
      sessions: [tue, wed, wedLate, sun],
      guides,
      travel: { library: { vivalla: 20 } },
      fixed: [{ sessionId: 'wed-late', guideId: 'only-one' }],
      seed: 7,
      maxIterations: 5000,
      timeLimitMs: 5000,
    });
    const reasons = [
      ...out.assignments.flatMap((a) => a.reasons),
      ...out.shortfalls.flatMap((s) => [...s.reasons, ...s.candidates.flatMap((c) => c.blockedBy)]),
      ...out.uncovered.map((u) => u.reason),
    ];
    const codes = new Set(reasons.map((r) => r.code));
    for (const code of [
      'pinned',
      'knows_platform',
      'hours_so_far',
      'short_of_guides',
      'nobody_available',
      'not_available',
      'unavailable_on',
      'busy_elsewhere',
      'no_platform_guide',
    ] as const)
      expect({ code, emitted: codes.has(code) }).toEqual({ code, emitted: true });
    for (const r of reasons) {
      const sv = reasonText(r, 'sv');
      expect({ code: r.code, sv }).toEqual({ code: r.code, sv: expect.not.stringMatching(ENGLISH) });
      expect(sv).not.toMatch(CLUMSY);
      expect(reasonText(r, 'en')).toMatch(/^[A-Z0-9].*\.$/);
    }
    // The Sunday café: nobody works Sundays, and it says so without "bara 0".
    const sunday = out.shortfalls.find((f) => f.sessionId === 'sun')!;
    expect(sunday.reasons.map((r) => reasonText(r, 'sv'))).toEqual([
      'Söndag 10 januari 11:00: 0 av minst 2 guider.',
      'Ingen guide kan jobba då.',
    ]);
  });
});
