import fc from 'fast-check';
import { plan, Problem, State } from '../../src/domain/matching';
import type { EngineGuide, EngineInput, EngineResult, EngineSession } from '../../src/domain/matching';
import { PLATFORMS } from '../../src/domain/vocabulary';

const MIN = 60_000;
const BASE = Date.UTC(2027, 0, 4, 0, 0); // Monday 4 January 2027, 00:00 UTC (01:00 in Stockholm)

function session(o: Partial<EngineSession> & { id: string; day: number; startMinute: number }): EngineSession {
  const { day, startMinute, ...rest } = o;
  const duration = 120;
  const start = BASE + (day * 24 * 60 + startMinute - 60) * MIN; // winter: local = UTC + 1 h
  return {
    venueId: 'library',
    date: `2027-01-${String(4 + day).padStart(2, '0')}`,
    week: day < 7 ? '2027-W01' : '2027-W02',
    weekday: (day % 7) + 1,
    startMinute,
    endMinute: startMinute + duration,
    start,
    end: start + duration * MIN,
    minGuides: 2,
    maxGuides: 3,
    demand: {},
    languages: {},
    seniors: 6,
    ...rest,
  };
}

function guide(o: Partial<EngineGuide> & { id: string }): EngineGuide {
  return {
    platforms: ['ios'],
    languages: [],
    maxMinutesPerWeek: 8 * 60,
    unavailableDates: [],
    experienced: true,
    venueHistory: {},
    availability: [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 13 * 60, endMinute: 19 * 60 })),
    ...o,
  };
}

const input = (sessions: EngineSession[], guides: EngineGuide[], o: Partial<EngineInput> = {}): EngineInput => ({
  sessions,
  guides,
  travel: {},
  fixed: [],
  seed: 7,
  maxIterations: 20_000,
  timeLimitMs: 10_000,
  ...o,
});

/** The hard rules, checked from the raw input without the engine's own bookkeeping. */
function hardRuleBreaches(inp: EngineInput, out: EngineResult): string[] {
  const breaches: string[] = [];
  const sessions = new Map(inp.sessions.map((s) => [s.id, s]));
  const guides = new Map(inp.guides.map((g) => [g.id, g]));
  const bySession = new Map<string, string[]>();
  const byGuide = new Map<string, EngineSession[]>();
  for (const a of out.assignments) {
    const s = sessions.get(a.sessionId)!;
    const g = guides.get(a.guideId)!;
    bySession.set(s.id, [...(bySession.get(s.id) ?? []), g.id]);
    byGuide.set(g.id, [...(byGuide.get(g.id) ?? []), s]);
    const fixed = inp.fixed.some((f) => f.sessionId === s.id && f.guideId === g.id);
    if (
      !fixed &&
      !g.availability.some(
        (w) => w.weekday === s.weekday && w.startMinute <= s.startMinute && w.endMinute >= s.endMinute,
      )
    )
      breaches.push(`${g.id} outside availability at ${s.id}`);
    if (!fixed && g.unavailableDates.includes(s.date)) breaches.push(`${g.id} on an unavailable date at ${s.id}`);
  }
  for (const s of inp.sessions) {
    const n = bySession.get(s.id)?.length ?? 0;
    const fixedHere = inp.fixed.filter((f) => f.sessionId === s.id).length;
    if (n > s.maxGuides) breaches.push(`${s.id} has ${n} > max`);
    if (n === 1 && fixedHere === 0) breaches.push(`${s.id} has a guide alone`);
    if (new Set(bySession.get(s.id) ?? []).size !== n) breaches.push(`${s.id} lists a guide twice`);
  }
  for (const [g, list] of byGuide) {
    const travel = (a: string, b: string) =>
      a === b ? 0 : (inp.travel[a]?.[b] ?? inp.travel[b]?.[a] ?? inp.defaultTravelMinutes ?? 30);
    for (const a of list)
      for (const b of list) {
        if (a !== b && a.start <= b.start && a.end + travel(a.venueId, b.venueId) * MIN > b.start)
          breaches.push(`${g} cannot make ${a.id} and ${b.id}`);
      }
    const weeks = new Map<string, number>();
    for (const s of list) weeks.set(s.week, (weeks.get(s.week) ?? 0) + (s.end - s.start) / MIN);
    for (const [week, minutes] of weeks)
      if (minutes > guides.get(g)!.maxMinutesPerWeek) breaches.push(`${g} over max hours in ${week}`);
  }
  for (const f of inp.fixed) {
    if (!out.assignments.some((a) => a.sessionId === f.sessionId && a.guideId === f.guideId))
      breaches.push(`pin ${f.sessionId}/${f.guideId} dropped`);
  }
  return breaches;
}

describe('the matching engine', () => {
  it('puts two guides who together cover every platform on a session', () => {
    const s = session({
      id: 's1',
      day: 1,
      startMinute: 15 * 60,
      demand: { ios: 3, android: 2, windows: 1 },
      seniors: 6,
    });
    const guides = [
      guide({ id: 'ios-only', platforms: ['ios'] }),
      guide({ id: 'android-windows', platforms: ['android', 'windows'] }),
      guide({ id: 'mac-only', platforms: ['macos'] }),
    ];
    const out = plan(input([s], guides, { weights: { fairness: 0 } }));
    expect(out.assignments.map((a) => a.guideId).sort()).toEqual(['android-windows', 'ios-only']);
    expect(out.uncovered).toEqual([]);
    expect(out.assignments.find((a) => a.guideId === 'android-windows')!.reasons.slice(0, 2)).toEqual([
      { code: 'knows_platform', params: { platform: 'android', seniors: 2 } },
      { code: 'knows_platform', params: { platform: 'windows', seniors: 1 } },
    ]);
  });

  it('prefers the guides who have helped the seniors signed up before, and says so', () => {
    const s = session({ id: 's1', day: 2, startMinute: 15 * 60, maxGuides: 2, helpedBy: { carl: 2, dana: 1 } });
    const guides = ['anna', 'bo', 'carl', 'dana'].map((id) => guide({ id }));
    const out = plan(input([s], guides, { weights: { fairness: 0 } }));
    expect(out.assignments.map((a) => a.guideId).sort()).toEqual(['carl', 'dana']);
    expect(out.assignments.find((a) => a.guideId === 'carl')!.reasons).toContainEqual({
      code: 'helped_before',
      params: { seniors: 2 },
    });
    // Without the history, the same café gets the first two by the engine's order: not carl and dana.
    const without = plan(input([{ ...s, helpedBy: undefined }], guides, { weights: { fairness: 0 } }));
    expect(without.assignments.map((a) => a.guideId).sort()).not.toEqual(['carl', 'dana']);
  });

  it('pairs a new guide with an experienced one, and speaks the seniors’ language where it can', () => {
    const s = session({
      id: 's1',
      day: 2,
      startMinute: 15 * 60,
      demand: { android: 4 },
      languages: { ar: 2 },
      seniors: 4,
    });
    const guides = [
      guide({ id: 'new-ar', platforms: ['android'], languages: ['ar'], experienced: false }),
      guide({ id: 'new-2', platforms: ['android'], experienced: false }),
      guide({ id: 'old', platforms: ['ios'], experienced: true }),
    ];
    const out = plan(input([s], guides, { sessions: [{ ...s, maxGuides: 2 }] }));
    expect(out.assignments.map((a) => a.guideId).sort()).toEqual(['new-ar', 'old']);
    expect(out.score.experience).toBe(0);
  });

  it('says which session is short, why, and who came nearest', () => {
    const s = session({ id: 'tue', day: 1, startMinute: 15 * 60, demand: { android: 3 } });
    const guides = [
      guide({ id: 'only-one', platforms: ['android'] }),
      guide({ id: 'mornings', availability: [{ weekday: 2, startMinute: 9 * 60, endMinute: 12 * 60 }] }),
      guide({ id: 'away', unavailableDates: ['2027-01-05'] }),
    ];
    const out = plan(input([s], guides));
    expect(out.assignments).toEqual([]);
    expect(out.shortfalls).toHaveLength(1);
    expect(out.shortfalls[0]).toMatchObject({ sessionId: 'tue', assigned: 0, needed: 2 });
    expect(out.shortfalls[0].reasons).toEqual([
      {
        code: 'short_of_guides',
        params: { assigned: 0, needed: 2, weekday: 2, date: '2027-01-05', time: '15:00' },
      },
      { code: 'nobody_available', params: { count: 1 } },
    ]);
    const blocked = Object.fromEntries(out.shortfalls[0].candidates.map((c) => [c.guideId, c.blockedBy]));
    expect(blocked.mornings).toEqual([
      {
        code: 'not_available',
        params: { weekday: 2, from: '15:00', to: '17:00', canWork: [{ from: '09:00', to: '12:00' }] },
      },
    ]);
    expect(blocked.away).toEqual([{ code: 'unavailable_on', params: { date: '2027-01-05' } }]);
    expect(out.uncovered).toEqual([
      {
        sessionId: 'tue',
        platform: 'android',
        seniors: 3,
        reason: { code: 'platform_guides_busy', params: { platform: 'android', seniors: 3, count: 1 } },
      },
    ]);
  });

  it('respects travel time between venues and weekly hours', () => {
    const a = session({ id: 'a', day: 1, startMinute: 13 * 60, venueId: 'library' });
    const b = session({ id: 'b', day: 1, startMinute: 15 * 60 + 10, venueId: 'vivalla' }); // 10 minutes after a ends
    const guides = [
      guide({ id: 'g1' }),
      guide({ id: 'g2' }),
      guide({ id: 'g3', maxMinutesPerWeek: 120 }),
      guide({ id: 'g4', maxMinutesPerWeek: 120 }),
    ];
    const out = plan(input([a, b], guides, { travel: { library: { vivalla: 20 } } }));
    expect(hardRuleBreaches(input([a, b], guides, { travel: { library: { vivalla: 20 } } }), out)).toEqual([]);
    const per = (g: string) => out.assignments.filter((x) => x.guideId === g).length;
    expect(['g1', 'g2', 'g3', 'g4'].every((g) => per(g) <= 1)).toBe(true);
  });

  it('keeps pinned assignments, and reports a pinned guide left alone as short', () => {
    const s = session({ id: 's', day: 3, startMinute: 15 * 60 });
    const guides = [guide({ id: 'pinned', availability: [] }), guide({ id: 'busy', availability: [] })];
    const out = plan(input([s], guides, { fixed: [{ sessionId: 's', guideId: 'pinned' }] }));
    expect(out.assignments).toEqual([expect.objectContaining({ guideId: 'pinned', fixed: true })]);
    expect(out.shortfalls[0].reasons).toContainEqual({ code: 'never_alone', params: {} });
  });

  it('changes only what it must when re-planning after a guide drops out', () => {
    const sessions = [0, 1, 2, 3].map((d) =>
      session({ id: `s${d}`, day: d, startMinute: 15 * 60, demand: { ios: 2, android: 2 } }),
    );
    const guides = ['a', 'b', 'c', 'd', 'e'].map((id, i) => guide({ id, platforms: i % 2 ? ['android'] : ['ios'] }));
    const first = plan(input(sessions, guides));
    const dropped = first.assignments[0].guideId;
    const again = plan(
      input(
        sessions,
        guides.filter((g) => g.id !== dropped),
        { previous: first.assignments },
      ),
    );
    const key = (a: { sessionId: string; guideId: string }) => `${a.sessionId}|${a.guideId}`;
    const before = new Set(first.assignments.filter((a) => a.guideId !== dropped).map(key));
    const after = new Set(again.assignments.map(key));
    expect([...before].filter((k) => !after.has(k))).toEqual([]);
  });

  it('gives the same plan for the same seed', () => {
    const sessions = [0, 1, 2].map((d) =>
      session({ id: `s${d}`, day: d, startMinute: 14 * 60, demand: { ios: 3, windows: 1 } }),
    );
    const guides = ['a', 'b', 'c', 'd'].map((id) => guide({ id, platforms: id === 'd' ? ['windows'] : ['ios'] }));
    expect(plan(input(sessions, guides, { seed: 3 })).assignments).toEqual(
      plan(input(sessions, guides, { seed: 3 })).assignments,
    );
  });
});

// ---------------------------------------------------------------------- properties on random instances

const arbInstance = fc
  .record({
    sessions: fc.array(
      fc.record({
        day: fc.integer({ min: 0, max: 12 }),
        startHour: fc.integer({ min: 13, max: 17 }),
        venue: fc.constantFrom('library', 'vivalla', 'brickebacken'),
        minGuides: fc.constantFrom(2, 2, 3),
        extra: fc.integer({ min: 0, max: 1 }),
        demand: fc.dictionary(fc.constantFrom(...PLATFORMS), fc.integer({ min: 1, max: 4 }), { maxKeys: 3 }),
      }),
      { minLength: 1, maxLength: 10 },
    ),
    guides: fc.array(
      fc.record({
        platforms: fc.subarray([...PLATFORMS], { minLength: 1, maxLength: 3 }),
        days: fc.subarray([1, 2, 3, 4, 5, 6], { minLength: 1 }),
        from: fc.integer({ min: 12, max: 15 }),
        hours: fc.integer({ min: 2, max: 8 }),
        experienced: fc.boolean(),
        away: fc.integer({ min: 0, max: 12 }),
      }),
      { minLength: 0, maxLength: 7 },
    ),
    pin: fc.boolean(),
    seed: fc.integer({ min: 1, max: 1000 }),
  })
  .map(({ sessions, guides, pin, seed }) => {
    const ss = sessions.map((s, i) =>
      session({
        id: `s${i}`,
        day: s.day,
        startMinute: s.startHour * 60,
        venueId: s.venue,
        minGuides: s.minGuides,
        maxGuides: s.minGuides + s.extra,
        demand: s.demand,
        seniors: Object.values(s.demand).reduce((a, b) => a + b, 0),
      }),
    );
    const gs = guides.map((g, i) =>
      guide({
        id: `g${i}`,
        platforms: g.platforms,
        experienced: g.experienced,
        maxMinutesPerWeek: g.hours * 60,
        availability: g.days.map((weekday) => ({ weekday, startMinute: g.from * 60, endMinute: 20 * 60 })),
        unavailableDates: [`2027-01-${String(4 + g.away).padStart(2, '0')}`],
      }),
    );
    const fixed = pin && gs.length ? [{ sessionId: ss[0].id, guideId: gs[0].id }] : [];
    return input(ss, gs, {
      fixed,
      seed,
      travel: { library: { vivalla: 25, brickebacken: 15 }, vivalla: { brickebacken: 10 } },
      maxIterations: 3000,
    });
  });

describe('the matching engine on random instances', () => {
  it('never breaks a hard rule, and keeps pins', () => {
    fc.assert(
      fc.property(arbInstance, (inp) => {
        expect(hardRuleBreaches(inp, plan(inp))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('explains every session below its minimum, and only those', () => {
    fc.assert(
      fc.property(arbInstance, (inp) => {
        const out = plan(inp);
        const count = (id: string) => out.assignments.filter((a) => a.sessionId === id).length;
        const short = inp.sessions.filter((s) => count(s.id) < s.minGuides).map((s) => s.id);
        expect(out.shortfalls.map((s) => s.sessionId)).toEqual(short);
        for (const s of out.shortfalls) {
          expect(s.reasons.length).toBeGreaterThanOrEqual(2);
          for (const c of s.candidates) expect(c.blockedBy.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('reports a score that matches the plan it returns', () => {
    fc.assert(
      fc.property(arbInstance, (inp) => {
        const out = plan(inp);
        const st = new State(new Problem(inp));
        for (const a of out.assignments) st.add(st.p.guideIndex.get(a.guideId)!, st.p.sessionIndex.get(a.sessionId)!);
        expect(st.breakdown().total).toBeCloseTo(out.score.total, 6);
      }),
      { numRuns: 60 },
    );
  });

  it('finds the optimum of tiny instances (checked by trying every plan)', () => {
    const tiny = arbInstance.filter(
      (inp) => inp.sessions.length <= 3 && inp.guides.length <= 5 && inp.fixed.length === 0,
    );
    fc.assert(
      fc.property(tiny, (inp) => {
        const out = plan({ ...inp, maxIterations: 20_000 });
        expect(out.score.total).toBeGreaterThanOrEqual(bruteForceOptimum(inp) - 1e-6);
        // A fixed seed: this is a claim about the search's quality, which a heuristic may miss on some
        // rare instance; the hard-rule properties above run on fresh random instances every time.
      }),
      { numRuns: 60, seed: 20261124 },
    );
  });
});

/** Every feasible plan of a tiny instance, scored by the engine's own State: the exact optimum. */
function bruteForceOptimum(inp: EngineInput): number {
  const p = new Problem(inp);
  const st = new State(p);
  let best = -Infinity;
  const subsets = (list: number[], max: number): number[][] => {
    const out: number[][] = [[]];
    const rec = (start: number, acc: number[]) => {
      for (let i = start; i < list.length; i++) {
        const next = [...acc, list[i]];
        if (next.length >= 2) out.push(next);
        if (next.length < max) rec(i + 1, next);
      }
    };
    rec(0, []);
    return out;
  };
  const walk = (s: number) => {
    if (s === p.sessions.length) {
      best = Math.max(best, st.total());
      return;
    }
    for (const team of subsets(p.eligible[s], p.sessions[s].maxGuides)) {
      const added: number[] = [];
      let ok = true;
      for (const g of team) {
        if (!st.canJoin(g, s)) {
          ok = false;
          break;
        }
        st.add(g, s);
        added.push(g);
      }
      if (ok) walk(s + 1);
      for (const g of added) st.remove(g, s);
    }
  };
  walk(0);
  return best;
}
