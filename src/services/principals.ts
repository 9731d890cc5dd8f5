import { type EntityManager, In } from 'typeorm';
import { AuthToken, User } from '../db/entities';
import type { Principal, Role } from '../domain/access';
import { StorageUnavailableError } from '../domain/errors';
import type { Store } from '../db/store';

/** A principal as this instance remembers it for a short while, by its token's hash. */
export interface KnownPrincipal {
  principal: Readonly<Principal>;
  userId: string;
  tokenId: string;
  /** When the token expires (ms), null for never. Checked on every request, from the cache too. */
  expiresAt: number | null;
  /** The UTC day the contracts were read for: a contract that ends today opens things until midnight. */
  day: string;
  /** When it was read (ms, by the service's clock). */
  readAt: number;
  /** The token's last use as read from the database (ms). */
  readonly lastUsedAt: number | null;
}

/** How long a principal is kept: a revoked token works at most this long on another instance. */
export const PRINCIPAL_TTL_MS = 30_000;
const MAX_PRINCIPALS = 10_000;

export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Principals by token hash, for PRINCIPAL_TTL_MS at most, so a request asks the database nothing
 * to know who calls. Whatever changes what a principal may do forgets it on this instance at
 * once (logout, a revoked token, a new password, a role or organisation changed, a deactivation,
 * a contract made or changed); other instances forget it when it is older than the TTL.
 * Bounded: past MAX_PRINCIPALS the least recently used is let go.
 */
export class PrincipalCache {
  private readonly known = new Map<string, KnownPrincipal>();
  /** Raised by every forget: a principal read before it is not kept (it may hold what was forgotten). */
  private epoch = 0;

  constructor(
    private readonly ttlMs = PRINCIPAL_TTL_MS,
    private readonly max = MAX_PRINCIPALS,
  ) {}

  get(tokenHash: string, now: number): KnownPrincipal | undefined {
    const known = this.known.get(tokenHash);
    if (!known) return undefined;
    this.known.delete(tokenHash);
    const age = now - known.readAt;
    // A clock set back (tests, CLOCK_START) or a new day reads it again.
    if (age < 0 || age >= this.ttlMs || known.day !== utcDay(now)) return undefined;
    this.known.set(tokenHash, known);
    return known;
  }

  /** Call before reading a principal from the database, and give the answer to `keep`. */
  reading(): number {
    return this.epoch;
  }

  keep(tokenHash: string, known: KnownPrincipal, readFrom: number): void {
    if (readFrom !== this.epoch) return;
    this.known.delete(tokenHash);
    this.known.set(tokenHash, known);
    if (this.known.size > this.max) this.known.delete(this.known.keys().next().value!);
  }

  /** A user's role, organisation, activity or logins changed. */
  forgetUser(userId: string): void {
    this.forget((k) => k.userId === userId);
  }

  /** One token was revoked. */
  forgetToken(tokenId: string): void {
    this.forget((k) => k.tokenId === tokenId);
  }

  /** What many principals may see changed (a contract). */
  forgetAll(): void {
    this.forget(() => true);
  }

  get size(): number {
    return this.known.size;
  }

  private forget(which: (k: KnownPrincipal) => boolean): void {
    this.epoch++;
    for (const [hash, known] of this.known) if (which(known)) this.known.delete(hash);
  }
}

export type Refusal = 'unknown' | 'inactive';

/**
 * The principal behind a token hash, in one statement: the token, its user, and the contracts
 * that open the other party's things (those that have not ended by `day`). A refusal when the
 * token is unknown, revoked or expired, or its account is no longer active.
 */
export async function readPrincipal(
  m: EntityManager,
  tokenHash: string,
  now: Date,
): Promise<Omit<KnownPrincipal, 'readAt'> | Refusal> {
  const day = utcDay(now.getTime());
  const driver = m.connection.driver;
  const [sql, params] = driver.escapeQueryWithParameters(
    `SELECT t.id AS token_id, t.kind AS kind, t.expires_at AS expires_at, t.revoked_at AS revoked_at,
            t.last_used_at AS last_used_at, u.id AS user_id, u.role AS role,
            u.organisation_id AS organisation_id, u.active AS active,
            c.municipality_id AS contract_municipality, c.association_id AS contract_association
     FROM auth_tokens t
     JOIN users u ON u.id = t.user_id
     LEFT JOIN contracts c ON u.role <> 'admin' AND c.ends_on >= :day AND (
       (u.role = 'association_staff' AND c.association_id = u.organisation_id)
       OR (u.role <> 'association_staff' AND c.municipality_id = u.organisation_id))
     WHERE t.token_hash = :tokenHash`,
    { day, tokenHash },
  );
  const rows = await m.query<PrincipalRow[]>(sql, params);
  if (!rows.length) return 'unknown';
  const tokens = m.connection.getMetadata(AuthToken);
  const users = m.connection.getMetadata(User);
  const instant = (value: unknown): Date | null =>
    value == null
      ? null
      : (driver.prepareHydratedValue(value, tokens.findColumnWithPropertyName('expiresAt')!) as Date);
  const first = rows[0];
  const expiresAt = instant(first.expires_at);
  if (instant(first.revoked_at) || (expiresAt && expiresAt <= now)) return 'unknown';
  if (!driver.prepareHydratedValue(first.active, users.findColumnWithPropertyName('active')!)) return 'inactive';
  const role = first.role;
  const organisationId = first.organisation_id;
  const base = { userId: first.user_id, role, organisationId, via: first.kind, tokenId: first.token_id };
  const distinct = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => v !== null))];
  const principal: Principal =
    role === 'admin'
      ? { ...base, municipalityIds: null, associationIds: null }
      : role === 'association_staff'
        ? {
            ...base,
            associationIds: [organisationId!],
            municipalityIds: distinct(rows.map((r) => r.contract_municipality)),
          }
        : {
            ...base,
            municipalityIds: [organisationId!],
            associationIds: distinct(rows.map((r) => r.contract_association)),
          };
  Object.freeze(principal.municipalityIds);
  Object.freeze(principal.associationIds);
  return {
    principal: Object.freeze(principal),
    userId: first.user_id,
    tokenId: first.token_id,
    expiresAt: expiresAt?.getTime() ?? null,
    day,
    lastUsedAt: instant(first.last_used_at)?.getTime() ?? null,
  };
}

interface PrincipalRow {
  token_id: string;
  kind: 'session' | 'api';
  expires_at: unknown;
  revoked_at: unknown;
  last_used_at: unknown;
  user_id: string;
  role: Role;
  organisation_id: string | null;
  active: unknown;
  contract_municipality: string | null;
  contract_association: string | null;
}

/** A token's use is stored at most this often: a minute's precision is enough to see unused tokens. */
export const LAST_USED_EVERY_MS = 60_000;
const IDS_PER_UPDATE = 500;

/**
 * Stores when tokens were last used, outside the requests, at most once a minute per token on
 * this instance: a request notes its token's use, and the uses noted meanwhile are written together
 * once the request's turn of the event loop is over, in one UPDATE per batch (with the batch's
 * latest time: a minute's precision is the point). Nothing waits for it, and it never fails a
 * request: it is bookkeeping, not the request's own write. Errors are logged; a disk that takes
 * no writes is said by /health.
 */
export class UsageWriter {
  /** The last use noted per token (ms): the next is stored a minute later. */
  private readonly lastNoted = new Map<string, number>();
  private readonly noted = new Map<string, Date>();
  private writing: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly log: (message: string, err: unknown) => void,
  ) {}

  /** A use of a token at `at`; `stored`: its last use as read from the database (ms), if any. */
  note(tokenId: string, at: Date, stored: number | null): void {
    const now = at.getTime();
    const last = Math.max(this.lastNoted.get(tokenId) ?? -Infinity, stored ?? -Infinity);
    if (now >= last && now - last <= LAST_USED_EVERY_MS) return;
    if (this.lastNoted.size >= MAX_PRINCIPALS) this.forgetOld(now);
    this.lastNoted.set(tokenId, now);
    this.noted.set(tokenId, at);
    this.writing ??= this.writeSoon();
  }

  /** Resolves once every use noted so far is written (or its write failed): for shutdown and tests. */
  async settled(): Promise<void> {
    await this.writing;
  }

  /** Uses noted over a minute ago say nothing any more: the next use is stored anyway. */
  private forgetOld(now: number): void {
    for (const [id, at] of this.lastNoted) if (now - at > LAST_USED_EVERY_MS) this.lastNoted.delete(id);
    if (this.lastNoted.size >= MAX_PRINCIPALS) this.lastNoted.clear();
  }

  private async writeSoon(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (this.noted.size) {
        const batch = [...this.noted];
        this.noted.clear();
        for (let i = 0; i < batch.length; i += IDS_PER_UPDATE) await this.write(batch.slice(i, i + IDS_PER_UPDATE));
      }
    } finally {
      this.writing = null;
    }
  }

  private async write(batch: [string, Date][]): Promise<void> {
    const latest = new Date(Math.max(...batch.map(([, at]) => at.getTime())));
    try {
      // Through the store: on sqlite it takes its turn after the requests' transactions.
      await this.store.transaction((m) =>
        m.update(AuthToken, { id: In(batch.map(([id]) => id)) }, { lastUsedAt: latest }),
      );
    } catch (err) {
      if (!(err instanceof StorageUnavailableError)) this.log('could not store when tokens were last used', err);
    }
  }
}
