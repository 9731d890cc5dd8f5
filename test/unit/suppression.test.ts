import { mulberry32 } from '../../src/domain/random';
import { AGE_BANDS, GENDERS, PLATFORMS, TOPICS } from '../../src/domain/vocabulary';
import { publicReport } from '../../src/reports/output';
import type { ReportFigures, ScopeFigures } from '../../src/services/reports.service';
import { attack } from '../support/attacker';

/**
 * Months made up from a seed: venues, named seniors who come once or more (some of them before
 * the month too), anonymous walk-ins, no-shows and what they got help with, counted the way a
 * report counts them. Small numbers on purpose: that is where cells get hidden.
 */
function generatedMonth(seed: number): ReportFigures {
  const rnd = mulberry32(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const venueCount = 1 + int(4);
  const contractStartsThisMonth = rnd() < 0.3;
  /** `again`: helped by a guide who had helped the person at an earlier visit. */
  type Visit = { venue: number; registered: boolean; before: boolean; again?: boolean };
  const persons = Array.from({ length: int(14) }, () => ({
    age: rnd() < 0.15 ? 'unknown' : pick(AGE_BANDS),
    gender: rnd() < 0.2 ? 'unknown' : pick(GENDERS),
    newly: rnd() < 0.3,
    visits: [] as Visit[],
  }));
  for (const p of persons) {
    const home = int(venueCount);
    const n = 1 + (rnd() < 0.35 ? 1 + int(3) : 0);
    for (let i = 0; i < n; i++)
      p.visits.push({ venue: rnd() < 0.8 ? home : int(venueCount), registered: rnd() < 0.5, before: false });
    if (!contractStartsThisMonth && rnd() < 0.4) p.visits.push({ venue: home, registered: true, before: true });
  }
  // Who was helped again by a guide they had, from a second stream: the months above stay as they were.
  const rnd2 = mulberry32(seed + 7919);
  for (const p of persons) {
    const hadBefore = p.visits.some((v) => v.before);
    p.visits.forEach((v, i) => {
      if (!v.before) v.again = (i > 0 || hadBefore) && rnd2() < 0.4;
    });
  }
  const anonymous = Array.from({ length: int(4) }, () => ({
    venue: int(venueCount),
    count: 1 + int(3),
    age: rnd() < 0.3 ? 'unknown' : pick(AGE_BANDS),
    gender: rnd() < 0.5 ? 'unknown' : pick(GENDERS),
    newly: rnd() < 0.3,
  }));
  const help = Array.from({ length: venueCount }, () => ({
    noShows: int(4),
    topics: Object.fromEntries<number>(TOPICS.slice(0, 4).flatMap((k) => (rnd() < 0.5 ? [[k, 1 + int(5)]] : []))),
    platforms: Object.fromEntries<number>(PLATFORMS.slice(0, 3).flatMap((k) => (rnd() < 0.5 ? [[k, 1 + int(5)]] : []))),
    cross: Object.fromEntries<number>([]),
    notBrokenDown: 0,
  }));
  // Topics by platform, from a third stream: a venue's cafés were reported before it was asked
  // (help above, not broken down), after (only cells; their sums are the topics and platforms), or both.
  const rnd3 = mulberry32(seed + 104729);
  for (const h of help) {
    const mode = rnd3();
    const old = Object.keys(h.topics).length + Object.keys(h.platforms).length > 0;
    if (mode >= 0.4) {
      if (mode < 0.8) {
        h.topics = {};
        h.platforms = {};
      }
      for (const p of PLATFORMS.slice(0, 3))
        for (const t of TOPICS.slice(0, 4))
          if (rnd3() < 0.3) {
            const n = 1 + Math.floor(rnd3() * 4);
            h.cross[`${p}:${t}`] = n;
            h.topics[t] = (h.topics[t] ?? 0) + n;
            h.platforms[p] = (h.platforms[p] ?? 0) + n;
          }
    }
    h.notBrokenDown = old && (mode < 0.4 || mode >= 0.8) ? 1 : 0;
  }

  const scope = (venue: number | null): ScopeFigures => {
    const here = (v: Visit) => venue === null || v.venue === venue;
    const zero = (keys: readonly string[]) => Object.fromEntries<number>([...keys, 'unknown'].map((k) => [k, 0]));
    const s: ScopeFigures = {
      sessions: { planned: 4, held: 4, unreported: 0, cancelled: 0, upcoming: 0 },
      visits: 0,
      registeredVisits: 0,
      walkInVisits: 0,
      anonymousVisits: 0,
      uniqueVisitors: 0,
      repeatVisitors: 0,
      helpedAgain: 0,
      sinceContractStart: { uniqueVisitors: 0, repeatVisitors: 0 },
      ageBands: zero(AGE_BANDS),
      gender: zero(GENDERS),
      newlyArrived: 0,
      seniorNoShows: 0,
      topics: {},
      platforms: {},
      topicsByPlatform: {},
      sessionsNotBrokenDown: 0,
      guideShifts: 8,
      guideMinutes: 960,
      guideNoShows: 0,
      seniorsPerGuide: null,
    };
    for (const p of persons) {
      const month = p.visits.filter((v) => here(v) && !v.before);
      const since = p.visits.filter(here);
      if (since.length) s.sinceContractStart.uniqueVisitors++;
      if (since.length >= 2) s.sinceContractStart.repeatVisitors++;
      if (!month.length) continue;
      s.visits += month.length;
      s.registeredVisits += month.filter((v) => v.registered).length;
      s.walkInVisits += month.filter((v) => !v.registered).length;
      s.uniqueVisitors++;
      if (month.length >= 2) s.repeatVisitors++;
      if (month.some((v) => v.again)) s.helpedAgain++;
      s.ageBands[p.age]++;
      s.gender[p.gender]++;
      if (p.newly) s.newlyArrived++;
    }
    for (const a of anonymous.filter((x) => venue === null || x.venue === venue)) {
      s.visits += a.count;
      s.walkInVisits += a.count;
      s.anonymousVisits += a.count;
      s.uniqueVisitors += a.count;
      s.sinceContractStart.uniqueVisitors += a.count;
      s.ageBands[a.age] += a.count;
      s.gender[a.gender] += a.count;
      if (a.newly) s.newlyArrived += a.count;
    }
    help.forEach((h, i) => {
      if (venue !== null && i !== venue) return;
      s.seniorNoShows += h.noShows;
      s.sessionsNotBrokenDown += h.notBrokenDown;
      for (const [dim, counts] of [
        ['topics', h.topics],
        ['platforms', h.platforms],
        ['topicsByPlatform', h.cross],
      ] as const)
        for (const [k, n] of Object.entries(counts)) s[dim][k] = (s[dim][k] ?? 0) + n;
    });
    s.seniorsPerGuide = Math.round((s.visits / s.guideShifts) * 10) / 10;
    return s;
  };
  return {
    period: '2027-03',
    from: '2027-03-01',
    to: '2027-03-31',
    contract: {
      id: 'c',
      reference: null,
      startsOn: contractStartsThisMonth ? '2027-03-01' : '2027-01-01',
      endsOn: '2027-12-31',
    },
    municipality: { id: 'm', name: 'Kommun' },
    association: { id: 'a', name: 'Förening' },
    total: { ...scope(null), cancelReasons: [], unreportedSessions: [] },
    venues: Array.from({ length: venueCount }, (_, i) => ({ venueId: `v${i}`, name: `Plats ${i}`, ...scope(i) })),
    guides: [],
  };
}

/** Every count shown: what the municipality keeps in view. */
const shownFigures = (r: Awaited<ReturnType<typeof publicReport>>) =>
  JSON.stringify([r.total, ...r.venues]).match(/:\d+[,}]/g)?.length ?? 0;

describe('small cells in reports', () => {
  it('the attacker finds a "<3" that primary suppression alone gives away (the test can fail)', async () => {
    // The month of the issue: women <3, men <3, others 0, unknown 3, of 7 visitors: both are 2.
    const f = generatedMonth(1);
    const total = { ...f.total, gender: { woman: 2, man: 2, other: 0, unknown: 3 }, uniqueVisitors: 7, helpedAgain: 0 };
    const naive = await publicReport({ ...f, venues: [], total });
    naive.total.gender = { woman: '<3', man: '<3', other: 0, unknown: 3 };
    const exposed = await attack(naive, { ...f, venues: [], total });
    expect(exposed).toContainEqual(expect.objectContaining({ cell: 'T_gender_woman', lo: 2, hi: 2 }));
  });

  it('hides more only where a small count could be worked out, and keeps the rest in view', async () => {
    const f = generatedMonth(1);
    const total = {
      ...f.total,
      uniqueVisitors: 7,
      helpedAgain: 0,
      gender: { woman: 2, man: 2, other: 0, unknown: 3 },
      ageBands: { under_65: 1, '65_74': 2, '75_plus': 4, unknown: 0 },
    };
    const r = await publicReport({ ...f, venues: [], total });
    // Two "<3" that add up to 3 with the others: each could be 1 or 2, nothing more to hide.
    expect(r.total.ageBands).toEqual({ under_65: '<3', '65_74': '<3', '75_plus': 4, unknown: 0 });
    // Two "<3" that add up to 4 are both 2: one more cell is hidden.
    expect(Object.values(r.total.gender).filter((c) => c === 'x')).toHaveLength(1);
    expect(await attack(r, { ...f, venues: [], total })).toEqual([]);
  });

  it('knows that an anonymous walk-in is one visitor and never a repeat one', async () => {
    // 3 anonymous of 4 visitors: the one repeat visitor can only be 1, so "<3" alone gives it away.
    const f = generatedMonth(1);
    const total = {
      ...f.total,
      visits: 6,
      registeredVisits: 2,
      walkInVisits: 4,
      anonymousVisits: 3,
      uniqueVisitors: 4,
      repeatVisitors: 1,
      helpedAgain: 0,
      sinceContractStart: { uniqueVisitors: 4, repeatVisitors: 1 },
      ageBands: { under_65: 0, '65_74': 0, '75_plus': 4, unknown: 0 },
      gender: { woman: 0, man: 0, other: 0, unknown: 4 },
      newlyArrived: 0,
      seniorNoShows: 0,
      topics: {},
      platforms: {},
      topicsByPlatform: {},
      sessionsNotBrokenDown: 0,
      seniorsPerGuide: Math.round((6 / f.total.guideShifts) * 10) / 10,
    };
    const month = { ...f, venues: [], total };
    const r = await publicReport(month);
    expect(await attack(r, month)).toEqual([]);
    expect(JSON.stringify(r.total)).toContain('"x"');
  });

  /** generatedMonth(1)'s total alone, with what was helped with replaced. */
  const helpedWith = (help: Partial<ScopeFigures>) => {
    const f = generatedMonth(1);
    return { ...f, venues: [], total: { ...f.total, ...help } };
  };

  it('the attacker works a "<3" of topics by platform out from its platform\'s count (the test can fail)', async () => {
    // iPhone 4, all of it broken down into BankID <3 and e-mail <3: both are 2.
    const month = helpedWith({
      topics: { bankid: 2, email: 2 },
      platforms: { ios: 4 },
      topicsByPlatform: { 'ios:bankid': 2, 'ios:email': 2 },
      sessionsNotBrokenDown: 0,
    });
    const naive = await publicReport(month);
    naive.total.topics = { bankid: '<3', email: '<3' };
    naive.total.platforms = { ios: 4 };
    naive.total.topicsByPlatform.cells = { ios: { bankid: '<3', email: '<3' } };
    const exposed = await attack(naive, month);
    expect(exposed).toContainEqual(expect.objectContaining({ cell: 'T_cross_ios_bankid', lo: 2, hi: 2 }));
  });

  it("hides one more cell where a platform's or a topic's count would give a cell of topics by platform away", async () => {
    // BankID 5 = iPhone 3 + Android 2, and Android 2 = BankID 2: the "<3" follows from both sums.
    const month = helpedWith({
      topics: { bankid: 5, email: 4 },
      platforms: { ios: 7, android: 2 },
      topicsByPlatform: { 'ios:bankid': 3, 'android:bankid': 2, 'ios:email': 4 },
      sessionsNotBrokenDown: 0,
    });
    const r = await publicReport(month);
    expect(r.total.topicsByPlatform.cells.android.bankid).toBe('<3');
    expect(await attack(r, month)).toEqual([]);
    const shown = [
      r.total.topics.bankid,
      r.total.platforms.android,
      r.total.topicsByPlatform.cells.ios.bankid,
      r.total.topicsByPlatform.cells.ios.email,
      r.total.platforms.ios,
      r.total.topics.email,
    ];
    expect(shown).toContain('x');
  });

  it('counts cafés not broken down as such: the cells are then at most the counts, and nothing more is hidden', async () => {
    // iPhone 4 and BankID 4, of which a café reported before gave 2: the cell of 2 stays "<3", safely.
    const month = helpedWith({
      topics: { bankid: 4 },
      platforms: { ios: 4 },
      topicsByPlatform: { 'ios:bankid': 2 },
      sessionsNotBrokenDown: 1,
    });
    const r = await publicReport(month);
    expect(r.total.topicsByPlatform).toEqual({ cells: { ios: { bankid: '<3' } }, sessionsNotBrokenDown: 1 });
    expect(r.total.topics).toEqual({ bankid: 4 });
    expect(r.total.platforms).toEqual({ ios: 4 });
    expect(await attack(r, month)).toEqual([]);
  });

  /** BankID 7 = iPhone 3 + Android 3 in the cafés broken down: the cafés not broken down gave 1. */
  const oneNotBrokenDown = () =>
    helpedWith({
      topics: { bankid: 7, email: 4 },
      platforms: { ios: 7, android: 4 },
      topicsByPlatform: { 'ios:bankid': 3, 'android:bankid': 3, 'ios:email': 4 },
      sessionsNotBrokenDown: 1,
    });

  it('the attacker works out what the cafés not broken down gave a topic, from its count less its cells (the test can fail)', async () => {
    const month = oneNotBrokenDown();
    const naive = await publicReport(month);
    naive.total.topics = { bankid: 7, email: 4 };
    naive.total.platforms = { ios: 7, android: 4 };
    naive.total.topicsByPlatform.cells = { ios: { bankid: 3, email: 4 }, android: { bankid: 3 } };
    const exposed = await attack(naive, month);
    expect(exposed).toContainEqual(expect.objectContaining({ cell: 'T_notBrokenDown_topics_bankid', lo: 1, hi: 1 }));
    expect(exposed).toContainEqual(
      expect.objectContaining({ cell: 'T_notBrokenDown_platforms_android', lo: 1, hi: 1 }),
    );
  });

  it('protects what the cafés not broken down gave a topic or a platform as a count of its own', async () => {
    const month = oneNotBrokenDown();
    const r = await publicReport(month);
    expect(await attack(r, month)).toEqual([]);
    const shown = [
      r.total.topics.bankid,
      r.total.platforms.android,
      r.total.topicsByPlatform.cells.ios.bankid,
      r.total.topicsByPlatform.cells.android.bankid,
    ];
    expect(shown).toContain('x');
  });

  it('leaves no count of 1 or 2 persons to be worked out in 150 generated months', async () => {
    let shown = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const f = generatedMonth(seed);
      const r = await publicReport(f);
      const exposed = await attack(r, f);
      if (exposed.length) throw new Error(`month ${seed}: ${JSON.stringify(exposed)}`);
      shown += shownFigures(r);
    }
    expect(shown).toBeGreaterThan(0);
  });
});
