import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Passwords hashed with scrypt, node's built-in memory-hard function: no native add-on to
 * build, and the cost parameters travel with each hash so they can be raised later.
 * Format: `scrypt$N$r$p$salt$hash` (base64url).
 */
export interface PasswordCost {
  N: number;
  r: number;
  p: number;
}

/** OWASP's recommended minimum for scrypt: 2^17 × 8 × 128 bytes = 128 MiB, about 0.3 s here. */
export const PRODUCTION_COST: PasswordCost = { N: 2 ** 17, r: 8, p: 1 };

const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, cost: PasswordCost): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFKC'),
      salt,
      KEY_LENGTH,
      { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
}

/**
 * Hashes computed at once. Each takes 128 MiB for about 0.3 s: under a storm of logins (an
 * attack, or a class logging in together) the others wait their turn in a queue, holding a few
 * bytes each, so memory stays bounded and the rest of the service stays fast.
 */
export const HASHES_AT_ONCE = 1;

export class PasswordHasher {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly cost: PasswordCost = PRODUCTION_COST,
    private readonly atOnce = HASHES_AT_ONCE,
  ) {}

  /** `derive` in its turn: at most `atOnce` at a time, the others in the order they came. */
  private async inTurn(password: string, salt: Buffer, cost: PasswordCost): Promise<Buffer> {
    if (this.running >= this.atOnce) await new Promise<void>((go) => this.waiting.push(go));
    else this.running++;
    try {
      return await derive(password, salt, cost);
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Hashes being computed now, and waiting: for tests and the benchmark. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await this.inTurn(password, salt, this.cost);
    const { N, r, p } = this.cost;
    return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, N, r, p, salt, hash] = stored.split('$');
    if (scheme !== 'scrypt' || !hash) return false;
    const expected = Buffer.from(hash, 'base64url');
    const key = await this.inTurn(password, Buffer.from(salt, 'base64url'), {
      N: Number(N),
      r: Number(r),
      p: Number(p),
    });
    return key.length === expected.length && timingSafeEqual(key, expected);
  }

  /** Whether a stored hash was made at another cost than today's (then it is re-hashed at the next login). */
  isOutdated(stored: string): boolean {
    const [, N, r, p] = stored.split('$');
    return Number(N) !== this.cost.N || Number(r) !== this.cost.r || Number(p) !== this.cost.p;
  }

  /** A hash to verify against when the account does not exist, so timing does not tell. */
  private dummy?: Promise<string>;
  async verifyNothing(password: string): Promise<false> {
    this.dummy ??= this.hash('no such account');
    await this.verify(password, await this.dummy);
    return false;
  }
}
