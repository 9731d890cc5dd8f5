import { type EntityManager, In, LessThan, MoreThan } from 'typeorm';
import { createHmac, randomBytes } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { LoginDelay, LoginDevice, type User } from '../db/entities';
import { newId } from '../db/columns';
import { RateLimitedError } from '../domain/errors';
import { sha256 } from '../lib/tokens';
import type { Store } from '../db/store';
import type { Clock } from '../lib/clock';

/**
 * Slows a guesser down without locking anyone out. Failed logins are counted per account, per
 * address and per known device (in the database, so every instance counts together and an
 * admin's unlock holds everywhere). The first few failures cost nothing; after that each failure
 * makes the next try wait longer: 30 s, 1, 2, 4, 8, then 15 minutes at most. An hour after the last
 * failure the count starts again.
 *
 * A browser that has logged in to an account before carries a device cookie. From such a device
 * only the device's own failures count: nobody else's guesses at the account or from the same
 * address (a library's shared address) hold back the right password there.
 */
export const FIRST_WAIT_SECONDS = 30;
export const LONGEST_WAIT_SECONDS = 15 * 60;
export const FORGET_AFTER_MS = 3600_000;
/** An address may serve a whole library's desk: it gets a few accounts' worth of failures. */
export const ADDRESS_FACTOR = 4;
/** A known device is the person themselves, mistyping: it gets more room before it waits. */
export const DEVICE_FACTOR = 2;
/** The device cookie: random tokens (one per account logged in from this browser), stored as SHA-256. */
export const DEVICE_COOKIE = 'bryggan_device';
const DEVICE_TOKEN = /^[A-Za-z0-9_-]{32}$/;
const DEVICES_PER_COOKIE = 5;
const DEVICES_PER_ACCOUNT = 20;

/** Seconds to wait after the n-th failure in a row under a key that allows `free` failures. */
export function waitAfter(failures: number, free: number): number {
  if (failures < free) return 0;
  return Math.min(LONGEST_WAIT_SECONDS, FIRST_WAIT_SECONDS * 2 ** Math.min(failures - free, 20));
}

export type LimitKind = 'account' | 'address' | 'device';

interface Limit {
  kind: LimitKind;
  key: string;
  free: number;
}

/** What one login attempt was counted under; settled by `succeeded` (or left counted as a failure). */
export interface Attempt {
  limits: Limit[];
  /** The known device the attempt came from, if any. */
  deviceId: string | null;
  /** The limits this attempt's failure makes wait (to be logged as a delay). */
  delays: LimitKind[];
  /** The wait each key got from this attempt, taken back if the password was right. */
  waits: Map<string, Date | null>;
}

/** The device tokens a request's cookie carries (ignoring anything malformed). */
export function deviceTokens(cookieHeader: string | undefined): string[] {
  const raw = cookieHeader
    ?.split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${DEVICE_COOKIE}=`))
    ?.slice(DEVICE_COOKIE.length + 1);
  return (raw ?? '')
    .split('.')
    .filter((t) => DEVICE_TOKEN.test(t))
    .slice(0, DEVICES_PER_COOKIE);
}

/**
 * The address a count is kept for: an IPv4 address as it is, an IPv6 address by its /64 (one
 * household or office gets a whole /64, and would otherwise have endless addresses to guess from).
 */
export function addressBlock(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head, tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export class LoginGuard {
  constructor(
    private readonly deps: { store: Store; clock: Clock },
    private readonly free: number,
    /** Keys are HMACs with the installation's secret: an address or e-mail cannot be read back by trying them all. */
    private readonly secret: string,
  ) {}

  private keyOf(kind: LimitKind, value: string): string {
    return createHmac('sha256', this.secret).update(`${kind}:${value}`).digest('hex');
  }

  accountKey(email: string): string {
    return this.keyOf('account', email.toLowerCase());
  }

  /**
   * Counts an attempt before the slow password check, so guesses sent all at once are counted
   * (and held back) too. Throws 429 with the seconds to wait when any of its limits is waiting.
   */
  async begin(user: User | null, email: string, address: string, tokens: string[]): Promise<Attempt> {
    const device =
      user && tokens.length
        ? await this.deps.store.manager.findOneBy(LoginDevice, { userId: user.id, tokenHash: In(tokens.map(sha256)) })
        : null;
    const limits: Limit[] = device
      ? [{ kind: 'device', key: this.keyOf('device', device.id), free: this.free * DEVICE_FACTOR }]
      : [
          { kind: 'account', key: this.accountKey(email), free: this.free },
          { kind: 'address', key: this.keyOf('address', addressBlock(address)), free: this.free * ADDRESS_FACTOR },
        ];
    const now = this.deps.clock.now();
    const forgotten = new Date(now.getTime() - FORGET_AFTER_MS);
    const waits = new Map<string, Date | null>();
    const delays = await this.deps.store.transaction(async (m) => {
      const rows = await this.lockRows(m, limits, now);
      // A count an hour old is forgotten (the retention job deletes such rows).
      const fresh = rows.map((r) => (r.lastFailureAt < forgotten ? { ...r, failures: 0, waitUntil: null } : r));
      const wait = Math.max(
        0,
        ...fresh.map((r) => (r.waitUntil ? Math.ceil((r.waitUntil.getTime() - now.getTime()) / 1000) : 0)),
      );
      if (wait > 0) throw new RateLimitedError(wait);
      const delayed: LimitKind[] = [];
      for (const [i, row] of fresh.entries()) {
        const failures = row.failures + 1;
        const seconds = waitAfter(failures, limits[i].free);
        if (seconds) delayed.push(limits[i].kind);
        const waitUntil = seconds ? new Date(now.getTime() + seconds * 1000) : null;
        waits.set(row.key, waitUntil);
        await m.update(LoginDelay, { key: row.key }, { failures, lastFailureAt: now, waitUntil });
      }
      return delayed;
    });
    return { limits, deviceId: device?.id ?? null, delays, waits };
  }

  /**
   * The password was right: the account's and device's counts start again, and the address
   * takes back this one attempt and the wait it set. Returns a new device token when this
   * browser was not known for the account.
   */
  async succeeded(m: EntityManager, attempt: Attempt, userId: string): Promise<string | null> {
    const now = this.deps.clock.now();
    const rows = await this.lockRows(m, attempt.limits, now);
    for (const [i, limit] of attempt.limits.entries()) {
      if (limit.kind !== 'address') {
        await m.delete(LoginDelay, { key: limit.key });
        continue;
      }
      const row = rows[i];
      // A wait another attempt set meanwhile stays; only this attempt's own is taken back.
      const mine = attempt.waits.get(limit.key) ?? null;
      const own = row.waitUntil?.getTime() === mine?.getTime();
      await m.update(
        LoginDelay,
        { key: limit.key },
        { failures: Math.max(0, row.failures - 1), ...(own ? { waitUntil: null } : {}) },
      );
    }
    if (attempt.deviceId) {
      await m.update(LoginDevice, { id: attempt.deviceId }, { lastUsedAt: now });
      return null;
    }
    return this.rememberDevice(m, userId, now);
  }

  /**
   * A login without a password check (the person proved the account is theirs with a one-time
   * link): the account's count starts again, and the browser becomes known.
   */
  async openedByLink(m: EntityManager, user: User, tokens: string[]): Promise<string | null> {
    await m.delete(LoginDelay, { key: this.accountKey(user.email) });
    const known = tokens.length
      ? await m.findOneBy(LoginDevice, { userId: user.id, tokenHash: In(tokens.map(sha256)) })
      : null;
    return known ? null : this.rememberDevice(m, user.id, this.deps.clock.now());
  }

  private async rememberDevice(m: EntityManager, userId: string, now: Date): Promise<string> {
    const token = randomBytes(24).toString('base64url');
    await m.insert(LoginDevice, { id: newId(), userId, tokenHash: sha256(token), createdAt: now, lastUsedAt: now });
    // A person uses a handful of browsers; the oldest beyond that are forgotten.
    const old = await m.find(LoginDevice, {
      where: { userId },
      order: { lastUsedAt: 'DESC', id: 'ASC' },
      skip: DEVICES_PER_ACCOUNT,
      select: { id: true },
    });
    if (old.length) await m.delete(LoginDevice, { id: In(old.map((d) => d.id)) });
    return token;
  }

  /**
   * An admin lets the person in at once: the counts of the account and of its devices are
   * cleared, and every address that waits is let go (addresses are kept as keys only, so the
   * ones holding this person back cannot be told apart). Other accounts keep waiting.
   */
  async unlock(m: EntityManager, user: User): Promise<void> {
    const own = await m.find(LoginDevice, { where: { userId: user.id }, select: { id: true } });
    await m.delete(LoginDelay, {
      key: In([this.accountKey(user.email), ...own.map((d) => this.keyOf('device', d.id))]),
    });
    await m.delete(LoginDelay, { kind: 'address', waitUntil: MoreThan(this.deps.clock.now()) });
  }

  /** Until when each of these accounts must wait (only those that wait now). */
  async waitingAccounts(emails: string[]): Promise<Map<string, Date>> {
    const keys = new Map(emails.map((e) => [this.accountKey(e), e]));
    if (!keys.size) return new Map();
    const rows = await this.deps.store.manager.find(LoginDelay, {
      where: { key: In([...keys.keys()]), waitUntil: MoreThan(this.deps.clock.now()) },
    });
    return new Map(rows.map((r) => [keys.get(r.key)!, r.waitUntil!]));
  }

  /** Counts an hour old are forgotten: the retention job deletes their rows. */
  async forgetOld(): Promise<number> {
    const forgotten = new Date(this.deps.clock.now().getTime() - FORGET_AFTER_MS);
    const result = await this.deps.store.transaction((m) =>
      m.delete(LoginDelay, { lastFailureAt: LessThan(forgotten) }),
    );
    return result.affected ?? 0;
  }

  /** The rows for these keys, made if missing and locked for this transaction (PostgreSQL: row locks). */
  private async lockRows(m: EntityManager, limits: Limit[], now: Date): Promise<LoginDelay[]> {
    // Always in the keys' order: two attempts that share a key never wait on each other in a circle.
    const sorted = [...limits].sort((a, b) => a.key.localeCompare(b.key));
    await m
      .createQueryBuilder()
      .insert()
      .into(LoginDelay)
      .values(sorted.map((l) => ({ key: l.key, kind: l.kind, failures: 0, lastFailureAt: now, waitUntil: null })))
      .orIgnore()
      .execute();
    // An update that changes nothing takes the row's write lock: concurrent attempts queue here.
    for (const { key } of sorted)
      await m
        .createQueryBuilder()
        .update(LoginDelay)
        .set({ failures: () => 'failures' })
        .where({ key })
        .execute();
    const rows = await m.findBy(LoginDelay, { key: In(sorted.map((l) => l.key)) });
    return limits.map((l) => rows.find((r) => r.key === l.key)!);
  }
}
