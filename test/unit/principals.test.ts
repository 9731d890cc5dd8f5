import type { Principal } from '../../src/domain/access';
import { type KnownPrincipal, PrincipalCache, utcDay } from '../../src/services/principals';

const T0 = Date.parse('2026-11-24T09:00:00Z');

function known(userId: string, tokenId: string, readAt = T0): KnownPrincipal {
  const principal: Principal = {
    userId,
    role: 'coordinator',
    organisationId: 'mora',
    municipalityIds: ['mora'],
    associationIds: [],
    tokenId,
  };
  return { principal, userId, tokenId, expiresAt: null, day: utcDay(readAt), readAt, lastUsedAt: null };
}

describe(PrincipalCache.name, () => {
  it('keeps a principal for less than its time to live, and reads it again from then', () => {
    const cache = new PrincipalCache(30_000);
    cache.keep('h1', known('karin', 't1'), cache.reading());
    expect(cache.get('h1', T0 + 29_999)?.userId).toBe('karin');
    expect(cache.get('h1', T0 + 30_000)).toBeUndefined();
    // Gone for good: an earlier time does not bring it back.
    expect(cache.get('h1', T0)).toBeUndefined();
  });

  it('reads a principal again when the clock is set back, or on a new day (contracts end at midnight)', () => {
    const cache = new PrincipalCache(30_000);
    cache.keep('h1', known('karin', 't1'), cache.reading());
    expect(cache.get('h1', T0 - 1)).toBeUndefined();
    const late = Date.parse('2026-11-24T23:59:50Z');
    cache.keep('h2', known('per', 't2', late), cache.reading());
    expect(cache.get('h2', late + 9_999)?.userId).toBe('per');
    expect(cache.get('h2', late + 10_000)).toBeUndefined();
  });

  it('forgets by user, by token, or all; a principal read before a forget is not kept', () => {
    const cache = new PrincipalCache();
    const before = cache.reading();
    cache.keep('a', known('karin', 'ta'), before);
    cache.keep('b', known('karin', 'tb'), before);
    cache.keep('c', known('per', 'tc'), before);
    cache.forgetToken('ta');
    expect([cache.get('a', T0), cache.get('b', T0)?.tokenId]).toEqual([undefined, 'tb']);
    cache.forgetUser('karin');
    expect([cache.get('b', T0), cache.get('c', T0)?.tokenId]).toEqual([undefined, 'tc']);
    // A read that began before the forget (it may hold what was forgotten) is not kept.
    cache.keep('b', known('karin', 'tb'), before);
    expect(cache.get('b', T0)).toBeUndefined();
    cache.forgetAll();
    expect(cache.size).toBe(0);
  });

  it('holds at most its bound, letting go of the least recently used', () => {
    const cache = new PrincipalCache(30_000, 3);
    for (const n of [1, 2, 3]) cache.keep(`h${n}`, known(`u${n}`, `t${n}`), cache.reading());
    expect(cache.get('h1', T0)?.userId).toBe('u1');
    cache.keep('h4', known('u4', 't4'), cache.reading());
    expect(cache.size).toBe(3);
    expect(cache.get('h2', T0)).toBeUndefined();
    expect(['h1', 'h3', 'h4'].map((h) => cache.get(h, T0)?.userId)).toEqual(['u1', 'u3', 'u4']);
  });
});
