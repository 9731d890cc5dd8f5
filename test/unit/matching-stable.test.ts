import { randomUUID } from 'node:crypto';
import { plan } from '../../src/domain/matching';
import type { EngineGuide, EngineInput, EngineResult, EngineSession } from '../../src/domain/matching';
import { Rng } from '../../src/domain/random';
import type { Platform } from '../../src/domain/vocabulary';

/**
 * The same term, whatever the rows are called and however busy the machine is, gets the same plan.
 * A term here is described by content only (venue names, dates, times, what each guide can do);
 * `rows` turns it into engine input with fresh random ids, in a shuffled order, as a database would.
 */

const MIN = 60_000;
const MONDAY = Date.UTC(2027, 0, 11); // Monday 11 January 2027 (week 2), winter: Stockholm = UTC + 1 h
const WEEKS = 10;

interface VenueSpec {
  name: string;
  address: string;
}
interface SessionSpec {
  label: string;
  venue: number;
  week: number;
  weekday: number;
  startMinute: number;
  minutes: number;
  demand: Partial<Record<Platform, number>>;
  languages: Record<string, number>;
  /** Guides (by label) who have helped this café's seniors before, with how many. */
  helped?: Record<string, number>;
}
interface GuideSpec {
  label: string;
  platforms: Platform[];
  languages: string[];
  maxMinutesPerWeek: number;
  days: number[];
  from: number;
  to: number;
  away: number[];
  experienced: boolean;
  history: Record<number, number>;
}
interface Term {
  venues: VenueSpec[];
  sessions: SessionSpec[];
  guides: GuideSpec[];
  travel: [number, number, number][];
  fixed: [string, string][];
  previous: [string, string][];
}

const dateOf = (week: number, weekday: number) =>
  new Date(MONDAY + (week * 7 + weekday - 1) * 24 * 60 * MIN).toISOString().slice(0, 10);

/** A municipality's term: three venues, two or three cafés a week each, two at the same hour every week. */
function term(): Term {
  const rng = new Rng(20270111);
  const venues = [
    { name: 'Stadsbiblioteket', address: 'Kungsgatan 1' },
    { name: 'Träffpunkt Vivalla', address: 'Vivallagatan 2' },
    { name: 'Träffpunkt Brickebacken', address: 'Brickebacken 3' },
  ];
  const slots = [
    { venue: 0, weekday: 2, startMinute: 14 * 60 },
    { venue: 1, weekday: 2, startMinute: 14 * 60 }, // the same instant as the library's
    { venue: 2, weekday: 3, startMinute: 15 * 60 },
    { venue: 0, weekday: 4, startMinute: 13 * 60 },
    { venue: 1, weekday: 5, startMinute: 15 * 60 },
    { venue: 2, weekday: 5, startMinute: 13 * 60 },
  ];
  const platforms: Platform[] = ['ios', 'android', 'windows', 'macos', 'ipados'];
  const sessions: SessionSpec[] = [];
  for (let week = 0; week < WEEKS; week++)
    for (const slot of slots) {
      const demand: Partial<Record<Platform, number>> = {};
      for (const p of platforms) if (rng.chance(0.6)) demand[p] = rng.int(1, 4);
      sessions.push({
        label: `${dateOf(week, slot.weekday)} ${slot.startMinute / 60}:00 ${venues[slot.venue].name}`,
        ...slot,
        week,
        minutes: 120,
        demand,
        languages: rng.chance(0.3) ? { ar: rng.int(1, 2) } : {},
      });
    }
  const guides: GuideSpec[] = Array.from({ length: 12 }, (_, i) => ({
    label: `guide ${i + 1}`,
    platforms: rng.shuffle(platforms).slice(0, rng.int(1, 3)),
    languages: i % 4 === 0 ? ['ar'] : [],
    maxMinutesPerWeek: 120 * rng.int(1, 3),
    days: [2, 3, 4, 5].filter(() => rng.chance(0.7)),
    from: 12 * 60 + 60 * rng.int(0, 1),
    to: 18 * 60,
    away: [rng.int(0, WEEKS - 1)],
    experienced: i % 3 !== 2,
    history: i % 2 ? { [i % 3]: rng.int(1, 5) } : {},
  }));
  // Continuity with seniors: some cafés' seniors were helped before by one guide or two.
  sessions.forEach((s, i) => {
    if (i % 4 === 0) s.helped = { [guides[(i * 7) % guides.length].label]: 1 + (i % 3) };
    if (i % 8 === 0) s.helped = { ...s.helped, [guides[(i * 5 + 3) % guides.length].label]: 1 };
  });
  return {
    venues,
    sessions,
    guides,
    travel: [
      [0, 1, 20],
      [0, 2, 15],
      [1, 2, 25],
    ],
    fixed: [[sessions[3].label, guides[0].label]],
    previous: [
      [sessions[0].label, guides[1].label],
      [sessions[0].label, guides[2].label],
      [sessions[7].label, guides[5].label],
      [sessions[8].label, guides[5].label],
    ],
  };
}

interface Rows {
  input: EngineInput;
  /** The content each id stands for: its label in the term. */
  label: Map<string, string>;
}

/** The term as a database would hand it over: new random ids every time, rows in any order. */
function rows(t: Term, order: Rng): Rows {
  const label = new Map<string, string>();
  const venueIds = t.venues.map(() => randomUUID());
  const sessionId = new Map(t.sessions.map((s) => [s.label, randomUUID()]));
  const guideId = new Map(t.guides.map((g) => [g.label, randomUUID()]));
  const sessions: EngineSession[] = t.sessions.map((s) => {
    const start = MONDAY + ((s.week * 7 + s.weekday - 1) * 24 * 60 + s.startMinute - 60) * MIN;
    const id = sessionId.get(s.label)!;
    label.set(id, s.label);
    return {
      id,
      venueId: venueIds[s.venue],
      venueKey: `${t.venues[s.venue].name}, ${t.venues[s.venue].address}`,
      start,
      end: start + s.minutes * MIN,
      date: dateOf(s.week, s.weekday),
      week: `2027-W${String(s.week + 2).padStart(2, '0')}`,
      weekday: s.weekday,
      startMinute: s.startMinute,
      endMinute: s.startMinute + s.minutes,
      minGuides: 2,
      maxGuides: 3,
      // Keys in a shuffled order too: nothing may hang on the order they were read in.
      demand: Object.fromEntries(order.shuffle(Object.entries(s.demand))),
      languages: s.languages,
      seniors: Object.values(s.demand).reduce((a, b) => a + b, 0),
      helpedBy: Object.fromEntries(order.shuffle(Object.entries(s.helped ?? {})).map(([g, n]) => [guideId.get(g)!, n])),
    };
  });
  const guides: EngineGuide[] = t.guides.map((g) => {
    const id = guideId.get(g.label)!;
    label.set(id, g.label);
    return {
      id,
      platforms: order.shuffle(g.platforms),
      languages: g.languages,
      maxMinutesPerWeek: g.maxMinutesPerWeek,
      availability: order.shuffle(g.days.map((weekday) => ({ weekday, startMinute: g.from, endMinute: g.to }))),
      unavailableDates: g.away.map((w) => dateOf(w, 3)),
      experienced: g.experienced,
      venueHistory: Object.fromEntries(Object.entries(g.history).map(([v, n]) => [venueIds[Number(v)], n])),
    };
  });
  const travel: EngineInput['travel'] = {};
  for (const [a, b, minutes] of t.travel) (travel[venueIds[a]] ??= {})[venueIds[b]] = minutes;
  const pairs = (list: [string, string][]) =>
    order.shuffle(list.map(([s, g]) => ({ sessionId: sessionId.get(s)!, guideId: guideId.get(g)! })));
  return {
    input: {
      sessions: order.shuffle(sessions),
      guides: order.shuffle(guides),
      travel,
      defaultTravelMinutes: 30,
      fixed: pairs(t.fixed),
      previous: pairs(t.previous),
      seed: 11,
      maxIterations: 30_000,
      timeLimitMs: 10_000,
    },
    label,
  };
}

/** The plan in the term's own words: "session ← guide", sorted. */
const byContent = (out: EngineResult, r: Rows) =>
  out.assignments.map((a) => `${r.label.get(a.sessionId)} ← ${r.label.get(a.guideId)}`).sort();

/** A clock that stands still: no time passes, however long the engine works. */
const stillClock = () => () => 0;

/** A clock on a machine busy elsewhere: the first step took `first` ms, every later reading `step` ms more. */
function busyClock(first: number, step: number): () => number {
  let t = 0;
  let calls = 0;
  return () => {
    const now = t;
    t += calls++ === 0 ? first : step;
    return now;
  };
}

describe('the matching engine, run again on the same term', () => {
  const t = term();

  it('describes twelve guides who differ in what they can do (so a plan by content is one plan)', () => {
    const r = rows(t, new Rng(1));
    const signature = (g: EngineGuide) =>
      JSON.stringify([
        [...g.platforms].sort(),
        g.languages,
        g.maxMinutesPerWeek,
        [...g.availability].sort((a, b) => a.weekday - b.weekday),
        g.unavailableDates,
        g.experienced,
        Object.values(g.venueHistory),
      ]);
    expect(new Set(r.input.guides.map(signature)).size).toBe(12);
  });

  it('gives the same plan when the rows have new ids and come in another order', () => {
    const first = rows(t, new Rng(1));
    const second = rows(t, new Rng(2));
    expect(second.input.sessions.map((s) => first.label.get(s.id))).not.toEqual(
      first.input.sessions.map((s) => first.label.get(s.id)),
    );
    const a = plan({ ...first.input, now: stillClock() });
    const b = plan({ ...second.input, now: stillClock() });
    expect(byContent(a, first).length).toBeGreaterThan(60);
    expect(byContent(b, second)).toEqual(byContent(a, first));
    expect(b.score).toEqual(a.score);
    expect(b.shortfalls.map((f) => second.label.get(f.sessionId)).sort()).toEqual(
      a.shortfalls.map((f) => first.label.get(f.sessionId)).sort(),
    );
    // And a third time, with yet other ids and order, for good measure.
    const third = rows(t, new Rng(3));
    expect(byContent(plan({ ...third.input, now: stillClock() }), third)).toEqual(byContent(a, first));
  });

  it('gives the same plan on a slow machine as on a fast one, when the budget is iterations', () => {
    const r = rows(t, new Rng(1));
    const fast = plan({ ...r.input, now: stillClock() });
    // 9 of the 10 seconds went before the search began, then 20 ms every 1,024 steps: slow, but within the limit.
    const slow = plan({ ...r.input, now: busyClock(9_000, 20) });
    expect(byContent(slow, r)).toEqual(byContent(fast, r));
    expect(slow.score).toEqual(fast.score);
    expect(slow.elapsedMs).toBeGreaterThan(9_000);
    expect(slow.iterations).toBe(30_000);
    expect(fast.iterations).toBe(30_000);
    expect(slow.stoppedEarly).toBe(false);
    expect(fast.stoppedEarly).toBe(false);
  });

  it('says so when the time limit stops it before its iterations are done, and returns the best plan it had', () => {
    const r = rows(t, new Rng(1));
    const greedy = plan({ ...r.input, maxIterations: 0, now: stillClock() });
    expect(greedy.stoppedEarly).toBe(false);
    // 100 ms every 1,024 steps against a 1 s limit: it stops after about ten thousand of a million.
    const cut = plan({ ...r.input, maxIterations: 1_000_000, timeLimitMs: 1_000, now: busyClock(100, 100) });
    expect(cut.stoppedEarly).toBe(true);
    expect(cut.iterations).toBeGreaterThan(0);
    expect(cut.iterations).toBeLessThan(1_000_000);
    expect(cut.elapsedMs).toBeGreaterThanOrEqual(1_000);
    expect(cut.score.total).toBeGreaterThanOrEqual(greedy.score.total);
    // A limit that runs out before the search begins still answers with the greedy plan.
    const none = plan({ ...r.input, timeLimitMs: 1_000, now: busyClock(5_000, 1) });
    expect(none).toMatchObject({ stoppedEarly: true, iterations: 0 });
    expect(byContent(none, r)).toEqual(byContent(greedy, r));
  });
});
