import type { EngineGuide, EngineInput, EngineSession, Pair } from './types';

/**
 * The engine's input in an order of its own, taken from what the rows say and not from the ids
 * the database made up or the order it read them in. The search picks sessions and guides by
 * their place in these lists, so the same term with other ids would otherwise get another plan.
 *
 * - Sessions: by start instant, venue (`venueKey`: its name and address), end, then everything
 *   else the engine knows of them.
 * - Guides: the engine never learns who a guide is (no name, no e-mail), so by content: hours,
 *   experience, platforms, languages, times, days off, the venues they know (by venue key), then
 *   the sessions they are pinned to or had in the plan before.
 * - Pinned and previous pairs: by their session, then their guide, in that order.
 *
 * The id comes last, only between two sessions or two guides the engine cannot tell apart: which
 * of two identical guides gets a session then changes no plan read by content.
 */
export function canonical(input: EngineInput): EngineInput {
  const venueKey = (s: EngineSession) => s.venueKey ?? s.venueId;
  const venues = new Map(input.sessions.map((s) => [s.venueId, venueKey(s)]));
  const guideContent = new Map(input.guides.map((g) => [g.id, contentOf(g, venues)]));
  const pairsOf = (pairs: readonly Pair[], by: 'sessionId' | 'guideId') => {
    const out = new Map<string, string[]>();
    for (const p of pairs) {
      const other = by === 'sessionId' ? p.guideId : p.sessionId;
      const list = out.get(p[by]) ?? [];
      list.push(other);
      out.set(p[by], list);
    }
    return out;
  };
  const fixedBySession = pairsOf(input.fixed, 'sessionId');
  const previousBySession = pairsOf(input.previous ?? [], 'sessionId');
  const guidesText = (ids: string[] | undefined) =>
    (ids ?? [])
      .map((id) => guideContent.get(id) ?? '')
      .sort(byText)
      .join('|');

  const sessionKey = new Map<string, Key>(
    input.sessions.map((s) => [
      s.id,
      [
        s.start,
        venueKey(s),
        s.end,
        JSON.stringify([
          s.minGuides,
          s.maxGuides,
          s.seniors,
          sortedEntries(s.demand),
          sortedEntries(s.languages),
          s.date,
          s.week,
          s.weekday,
          s.startMinute,
          s.endMinute,
        ]),
        guidesText(fixedBySession.get(s.id)),
        guidesText(previousBySession.get(s.id)),
        // Who has helped its seniors before, by what the engine knows of those guides, not their ids.
        Object.entries(s.helpedBy ?? {})
          .map(([id, n]) => `${guideContent.get(id) ?? ''}=${n}`)
          .sort(byText)
          .join('|'),
        s.id,
      ],
    ]),
  );
  const sessions = [...input.sessions]
    .sort((a, b) => compareKeys(sessionKey.get(a.id)!, sessionKey.get(b.id)!))
    .map((s) => ({ ...s, demand: sortedObject(s.demand), languages: sortedObject(s.languages) }));
  const sessionRank = new Map(sessions.map((s, i) => [s.id, i]));

  const fixedByGuide = pairsOf(input.fixed, 'guideId');
  const previousByGuide = pairsOf(input.previous ?? [], 'guideId');
  const ranks = (ids: string[] | undefined) =>
    (ids ?? [])
      .map((id) => sessionRank.get(id) ?? -1)
      .sort((a, b) => a - b)
      .join(',');
  // The sessions whose seniors each guide has helped before, by rank, with how many.
  const helpedOn = new Map<string, string[]>();
  for (const session of input.sessions)
    for (const [id, n] of Object.entries(session.helpedBy ?? {}))
      helpedOn.set(id, [...(helpedOn.get(id) ?? []), `${sessionRank.get(session.id)}=${n}`]);
  const guideKey = new Map<string, Key>(
    input.guides.map((g) => [
      g.id,
      [
        guideContent.get(g.id)!,
        ranks(fixedByGuide.get(g.id)),
        ranks(previousByGuide.get(g.id)),
        (helpedOn.get(g.id) ?? []).sort(byText).join(','),
        g.id,
      ],
    ]),
  );
  const guides = [...input.guides].sort((a, b) => compareKeys(guideKey.get(a.id)!, guideKey.get(b.id)!));
  const guideRank = new Map(guides.map((g, i) => [g.id, i]));

  // Pairs naming a session or guide not in the input are ignored by the engine; they go last.
  const pairKey = (p: Pair): Key => [
    sessionRank.get(p.sessionId) ?? Infinity,
    guideRank.get(p.guideId) ?? Infinity,
    p.sessionId,
    p.guideId,
  ];
  const sortPairs = (pairs: readonly Pair[]) => [...pairs].sort((a, b) => compareKeys(pairKey(a), pairKey(b)));

  return {
    ...input,
    sessions,
    guides,
    fixed: sortPairs(input.fixed),
    previous: input.previous && sortPairs(input.previous),
  };
}

type Key = (string | number)[];

/** Strings by code point, not by locale: the same order on every machine. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function compareKeys(a: Key, b: Key): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : byText(String(x), String(y));
    if (c) return c;
  }
  return 0;
}

function sortedEntries<T>(o: Record<string, T>): [string, T][] {
  return Object.entries(o).sort((a, b) => byText(a[0], b[0]));
}

/** The same object with its keys in order: sums over it then add up in the same order every time. */
function sortedObject<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(sortedEntries(o));
}

/** Everything the engine knows of a guide but their id, as one comparable text. */
function contentOf(g: EngineGuide, venues: Map<string, string>): string {
  const windows = g.availability
    .map((w) => [w.weekday, w.startMinute, w.endMinute, w.from ?? '', w.to ?? ''] as const)
    .sort((a, b) => compareKeys([...a], [...b]));
  // Only venues with a session in this input count for anything; their ids become their keys.
  const history = Object.entries(g.venueHistory)
    .filter(([venueId]) => venues.has(venueId))
    .map(([venueId, n]) => [venues.get(venueId)!, n] as const)
    .sort((a, b) => byText(a[0], b[0]) || a[1] - b[1]);
  return JSON.stringify([
    g.maxMinutesPerWeek,
    g.experienced,
    [...g.platforms].sort(byText),
    [...g.languages].sort(byText),
    windows,
    [...new Set(g.unavailableDates)].sort(byText),
    history,
    // The venues they work at, those with a session here, by key; left out (any venue) is not [] (none).
    g.venues ? [...new Set(g.venues.filter((id) => venues.has(id)).map((id) => venues.get(id)!))].sort(byText) : null,
  ]);
}
