import { assertSame, cpuMs, firstDifference, normaliseLinks, normaliseWrite } from '../../scripts/bench/load.bench';
import { LinkSigner } from '../../src/lib/tokens';

/** The load bench's own checks: what it measures and what it calls the same answer. */
describe('load bench helpers', () => {
  it('reads a process’s CPU time as Node counts it (within the kernel’s tick)', () => {
    const before = cpuMs(process.pid);
    const start = process.cpuUsage();
    let spin = 0;
    while (process.cpuUsage(start).user < 200_000) spin++;
    const used = process.cpuUsage(start);
    expect(spin).toBeGreaterThan(0);
    expect(cpuMs(process.pid) - before).toBeGreaterThanOrEqual((used.user + used.system) / 1000 - 30);
    expect(cpuMs(process.pid) - before).toBeLessThan((used.user + used.system) / 1000 + 100);
  });

  it('names the first place two answers differ, and throws there', () => {
    const a = { sessions: [{ id: 'x', guides: [{ name: 'Amina' }] }], totals: { sessions: 1 } };
    const b = { sessions: [{ id: 'x', guides: [{ name: 'Bilal' }] }], totals: { sessions: 1 } };
    expect(firstDifference(a, b)).toEqual({ where: '$.sessions.0.guides.0.name', a: 'Amina', b: 'Bilal' });
    expect(() => assertSame('week', a, b)).toThrow(/\$\.sessions\.0\.guides\.0\.name/);
    expect(() => assertSame('week', a, JSON.parse(JSON.stringify(a)))).not.toThrow();
    // A key only one side has is a difference too.
    expect(firstDifference({ x: 1 }, { x: 1, y: null }).where).toBe('$.y');
  });

  it('compares answer links by what they answer, and tells a forged one', () => {
    const signer = new LinkSigner('a-secret-of-at-least-thirty-two-characters');
    const until = new Date('2026-12-08T16:00:00Z');
    const link = (ms: number, s = signer) =>
      `http://x/svar/${encodeURIComponent(s.sign(`assignment-1~${ms}`, 'confirm', until))}`;
    expect(normaliseLinks({ confirmUrl: link(1) }, signer)).toEqual(normaliseLinks({ confirmUrl: link(2) }, signer));
    expect(normaliseLinks(link(1), signer)).toBe('http://x/svar/<assignment-1 confirm until 2026-12-08T16:00:00.000Z>');
    const forged = link(1, new LinkSigner('another-secret-of-at-least-thirty-two-chars'));
    expect(normaliseLinks([forged], signer)).toEqual(['http://x/svar/<forged>']);
  });

  it('leaves a write’s times out of the comparison, and nothing else', () => {
    expect(
      normaliseWrite({ id: 'r', status: 'confirmed', createdAt: '2026-12-05T10:00:00Z', updatedAt: 'later' }),
    ).toEqual({ id: 'r', status: 'confirmed' });
  });
});
