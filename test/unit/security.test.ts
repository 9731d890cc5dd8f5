import { addressBlock } from '../../src/services/login-guard';
import { PasswordHasher } from '../../src/lib/passwords';
import { LinkSigner, newBearerToken, sha256, TOKEN_RE } from '../../src/lib/tokens';
import { FailureLimiter } from '../../src/lib/rate-limit';
import { FixedClock } from '../../src/lib/clock';

describe(PasswordHasher.name, () => {
  const hasher = new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 });

  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await hasher.verify('correct horse battery staple', hash)).toBe(true);
    expect(await hasher.verify('correct horse battery stable', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hasher.hash('same')).not.toBe(await hasher.hash('same'));
  });

  it('reads the cost from the stored hash, so the cost can be raised later', async () => {
    const old = await new PasswordHasher({ N: 2 ** 9, r: 8, p: 1 }).hash('lösenord123456');
    expect(await hasher.verify('lösenord123456', old)).toBe(true);
  });

  it('refuses a hash it does not know', async () => {
    expect(await hasher.verify('x', 'bcrypt$2b$10$abc')).toBe(false);
  });

  it('computes one hash at a time by default; the others wait their turn, in order, and all are answered', async () => {
    const queued = new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 });
    const stored = await queued.hash('correct horse battery staple');
    let most = 0;
    const order: number[] = [];
    const all = Array.from({ length: 20 }, (_, i) =>
      queued.verify(i % 2 ? 'wrong' : 'correct horse battery staple', stored).then((ok) => {
        order.push(i);
        return ok;
      }),
    );
    most = Math.max(most, queued.load.running);
    expect(queued.load).toEqual({ running: 1, waiting: 19 });
    const answers = await Promise.all(all);
    expect(answers).toEqual(Array.from({ length: 20 }, (_, i) => i % 2 === 0));
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(most).toBe(1);
    expect(queued.load).toEqual({ running: 0, waiting: 0 });
  });
});

describe(LinkSigner.name, () => {
  const signer = new LinkSigner('a-secret-of-at-least-thirty-two-chars!!');
  const expires = new Date('2027-01-01T00:00:00Z');

  it('signs a link and reads it back', () => {
    const token = signer.sign('7f1c2f0e-2f4e-4a3b-9c1d-2b3c4d5e6f70', 'access', expires);
    expect(signer.verify(token, 'access')).toEqual({
      linkId: '7f1c2f0e-2f4e-4a3b-9c1d-2b3c4d5e6f70',
      expiresAt: expires,
    });
  });

  it('refuses a changed expiry, purpose, signature or secret', () => {
    const token = signer.sign('id-1', 'access', expires);
    const [id, exp, purpose, sig] = token.split('.');
    expect(signer.verify([id, Number(exp) + 1, purpose, sig].join('.'), 'access')).toBeNull();
    expect(signer.verify(token, 'calendar')).toBeNull();
    expect(
      signer.verify([id, exp, purpose, sig.slice(0, -1) + (sig.endsWith('A') ? 'B' : 'A')].join('.'), 'access'),
    ).toBeNull();
    expect(new LinkSigner('another-secret-of-at-least-thirty-two!!').verify(token, 'access')).toBeNull();
    expect(signer.verify('garbage', 'access')).toBeNull();
  });
});

describe('bearer tokens', () => {
  it('are long, random, typed by prefix and kept only as a hash', () => {
    const a = newBearerToken('api');
    expect(a).toMatch(TOKEN_RE);
    expect(a.startsWith('bry_a_')).toBe(true);
    expect(newBearerToken('session').startsWith('bry_s_')).toBe(true);
    expect(newBearerToken('api')).not.toBe(a);
    expect(sha256(a)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe(FailureLimiter.name, () => {
  it('blocks a key after too many failures until its window ends', () => {
    const clock = new FixedClock(new Date('2026-11-24T09:00:00Z'));
    const limiter = new FailureLimiter(clock, 3, 15 * 60_000);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('k')).toBe(0);
      limiter.fail('k');
    }
    expect(limiter.retryAfter('k')).toBe(900);
    expect(limiter.retryAfter('other')).toBe(0);
    clock.advance(10 * 60_000);
    expect(limiter.retryAfter('k')).toBe(300);
    clock.advance(5 * 60_000);
    expect(limiter.retryAfter('k')).toBe(0);
  });
});

describe('password cost', () => {
  it('tells an old hash from one at today’s cost', async () => {
    const today = new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 });
    expect(today.isOutdated(await today.hash('x'))).toBe(false);
    expect(today.isOutdated(await new PasswordHasher({ N: 2 ** 9, r: 8, p: 1 }).hash('x'))).toBe(true);
  });
});

describe(addressBlock.name, () => {
  it('keeps an IPv4 address as it is (also when IPv6-mapped) and counts an IPv6 address by its /64', () => {
    expect(addressBlock('203.0.113.9')).toBe('203.0.113.9');
    expect(addressBlock('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(addressBlock('2001:db8:abcd:12:1:2:3:4')).toBe('2001:db8:abcd:12::/64');
    expect(addressBlock('2001:0db8:abcd:0012::9')).toBe('2001:db8:abcd:12::/64');
    expect(addressBlock('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressBlock('::1')).toBe('0:0:0:0::/64');
    expect(addressBlock('unknown')).toBe('unknown');
  });
});
