import { type EntityManager } from 'typeorm';
import { AuthToken, User } from '../db/entities';
import { newId } from '../db/columns';
import { type Principal, type Role, ROLE_ORGANISATION } from '../domain/access';
import { ConflictError, NotFoundError, UnauthenticatedError } from '../domain/errors';
import type { PasswordHasher } from '../lib/passwords';
import { newBearerToken, sha256, TOKEN_RE } from '../lib/tokens';
import { assertStrongPassword, checkScope } from './accounts.service';
import { audit } from './audit';
import { type Attempt, LoginGuard } from './login-guard';
import { type KnownPrincipal, type PrincipalCache, readPrincipal, UsageWriter } from './principals';
import type { ServiceDeps } from './support';
import { boolOf, instantOf, instantOrNull, rawRows } from './raw';

const GONE = 'The bearer token is unknown, expired or revoked';

export interface AuthSettings {
  sessionHours: number;
  loginMaxFailures: number;
  authSecret: string;
}

export interface NewUser {
  email: string;
  password: string;
  role: Role;
  organisationId?: string | null;
}

/** Accounts, logins and bearer tokens. */
export class AuthService {
  private readonly guard: LoginGuard;

  private readonly usage: UsageWriter;

  constructor(
    private readonly deps: ServiceDeps & {
      hasher: PasswordHasher;
      settings: AuthSettings;
      principals: PrincipalCache;
      log: (message: string, err: unknown) => void;
    },
  ) {
    this.guard = new LoginGuard(deps, deps.settings.loginMaxFailures, deps.settings.authSecret);
    this.usage = new UsageWriter(deps.store, deps.log);
  }

  /**
   * Checks the password, slowed down by the login guard. `deviceTokens` are the device cookie's
   * tokens; the answer carries a new one when this browser was not yet known for the account.
   */
  async login(
    email: string,
    password: string,
    address: string,
    deviceTokens: string[] = [],
  ): Promise<{ token: string; expiresAt: Date; user: User; deviceToken: string | null }> {
    const user = await this.deps.store.manager.findOneBy(User, { email: email.toLowerCase() });
    const attempt = await this.guard.begin(user, email, address, deviceTokens);
    // An invited account without a password yet costs the same time as an unknown one.
    const ok =
      user && user.active && user.passwordHash
        ? await this.deps.hasher.verify(password, user.passwordHash)
        : await this.deps.hasher.verifyNothing(password);
    if (!ok || !user) {
      await this.loginFailed(user, attempt);
      throw new UnauthenticatedError('invalid_credentials', 'Wrong e-mail or password');
    }
    // Raise an old hash to today's cost while we have the password: login times then tell nothing.
    const rehashed = this.deps.hasher.isOutdated(user.passwordHash) ? await this.deps.hasher.hash(password) : null;
    return this.openSession(user, async (m) => {
      if (rehashed) await m.update(User, { id: user.id }, { passwordHash: rehashed });
      return {
        deviceToken: await this.guard.succeeded(m, attempt, user.id),
        fields: attempt.deviceId ? ['known_device'] : [],
      };
    });
  }

  /**
   * A login right after choosing a password from a one-time link: the link proved the account is
   * the person's, so no earlier failures hold it back, and the browser becomes known.
   */
  loginByLink(user: User, deviceTokens: string[] = []) {
    return this.openSession(user, async (m) => ({
      deviceToken: await this.guard.openedByLink(m, user, deviceTokens),
      fields: ['password_link'],
    }));
  }

  /** A new session token, stored and logged in one transaction with the caller's own bookkeeping. */
  private async openSession(
    user: User,
    bookkeeping: (m: EntityManager) => Promise<{ deviceToken: string | null; fields: string[] }>,
  ): Promise<{ token: string; expiresAt: Date; user: User; deviceToken: string | null }> {
    const now = this.deps.clock.now();
    const expiresAt = new Date(now.getTime() + this.deps.settings.sessionHours * 3600_000);
    const token = newBearerToken('session');
    const deviceToken = await this.deps.store.transaction(async (m) => {
      await m.insert(AuthToken, {
        id: newId(),
        userId: user.id,
        kind: 'session',
        name: null,
        tokenHash: sha256(token),
        expiresAt,
        revokedAt: null,
        lastUsedAt: now,
        createdAt: now,
      });
      await m.update(User, { id: user.id }, { lastLoginAt: now });
      const done = await bookkeeping(m);
      await audit(m, now, {
        ...this.about(user),
        action: 'login',
        fields: done.fields,
        actor: { type: 'user', id: user.id },
      });
      return done.deviceToken;
    });
    return { token, expiresAt, user, deviceToken };
  }

  /** Counts an hour old are forgotten (run by the nightly retention job). */
  forgetOldLoginFailures(): Promise<number> {
    return this.guard.forgetOld();
  }

  /** A failed login is logged against the account when there is one; a delay it started, too. */
  private async loginFailed(user: User | null, attempt: Attempt): Promise<void> {
    const about = user ? this.about(user) : { entityType: 'login', entityId: 'unknown_account', municipalityId: null };
    await this.deps.store.transaction(async (m) => {
      const now = this.deps.clock.now();
      await audit(m, now, { ...about, action: 'login.failed', actor: { type: 'system', id: null } });
      if (attempt.delays.length)
        await audit(m, now, {
          ...about,
          action: 'login.delayed',
          fields: attempt.delays,
          actor: { type: 'system', id: null },
        });
    });
  }

  private about(user: User) {
    return { entityType: 'user', entityId: user.id, municipalityId: null };
  }

  /** An admin lets a person whose logins wait log in at once. */
  async unlock(userId: string): Promise<User> {
    return this.deps.store.transaction(async (m) => {
      const user = await m.findOneBy(User, { id: userId });
      if (!user) throw new NotFoundError('user', userId);
      await this.guard.unlock(m, user);
      await audit(m, this.deps.clock.now(), { ...this.about(user), action: 'user.unlock' });
      return user;
    });
  }

  /** Until when each account's next login must wait, for the accounts that wait now. */
  loginWaits(users: User[]): Promise<Map<string, Date>> {
    return this.guard.waitingAccounts(users.map((u) => u.email));
  }

  /**
   * The principal behind a bearer token; 401 for anything else. Kept for a short while by the
   * token's hash (see PrincipalCache), read in one statement otherwise; the token's use is noted
   * and stored after the answer, at most once a minute.
   */
  async authenticate(token: string): Promise<{ principal: Principal; tokenId: string }> {
    if (!TOKEN_RE.test(token)) throw new UnauthenticatedError('invalid_token', 'The bearer token is malformed');
    const hash = sha256(token);
    const now = this.deps.clock.now();
    const at = now.getTime();
    const known = this.deps.principals.get(hash, at) ?? (await this.read(hash, now));
    if (known.expiresAt !== null && known.expiresAt <= at) throw new UnauthenticatedError('invalid_token', GONE);
    this.usage.note(known.tokenId, now, known.lastUsedAt);
    return { principal: known.principal, tokenId: known.tokenId };
  }

  private async read(hash: string, now: Date): Promise<KnownPrincipal> {
    const readFrom = this.deps.principals.reading();
    const read = await readPrincipal(this.deps.store.manager, hash, now);
    if (read === 'unknown') throw new UnauthenticatedError('invalid_token', GONE);
    if (read === 'inactive') throw new UnauthenticatedError('invalid_token', 'The account is no longer active');
    const known = { ...read, readAt: now.getTime() };
    this.deps.principals.keep(hash, known, readFrom);
    return known;
  }

  /** Resolves once the tokens' uses noted so far are stored (before the database closes; tests). */
  settled(): Promise<void> {
    return this.usage.settled();
  }

  async revoke(tokenId: string, userId: string): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.store.transaction(async (m) => {
      const row = await m.findOneBy(AuthToken, { id: tokenId, userId });
      if (!row) throw new NotFoundError('token', tokenId);
      if (row.revokedAt) return;
      await m.update(AuthToken, { id: tokenId }, { revokedAt: now });
      // Ending one's own session is a logout; an API token ended is a revocation.
      await audit(m, now, {
        action: row.kind === 'session' ? 'logout' : 'api_token.revoke',
        entityType: 'user',
        entityId: userId,
        municipalityId: null,
      });
    });
    // After the commit: a principal read before it is not kept either (see PrincipalCache).
    this.deps.principals.forgetToken(tokenId);
  }

  /** An API token for an integration: returned once, stored as a hash. */
  async createApiToken(
    userId: string,
    name: string,
    expiresInDays?: number,
  ): Promise<{ token: string; row: AuthToken }> {
    const now = this.deps.clock.now();
    const token = newBearerToken('api');
    const row = this.deps.store.manager.create(AuthToken, {
      id: newId(),
      userId,
      kind: 'api',
      name,
      tokenHash: sha256(token),
      createdAt: now,
      revokedAt: null,
      lastUsedAt: null,
      expiresAt: expiresInDays ? new Date(now.getTime() + expiresInDays * 86_400_000) : null,
    });
    await this.deps.store.transaction(async (m) => {
      await m.insert(AuthToken, row);
      await audit(m, now, { action: 'api_token.create', entityType: 'user', entityId: userId, municipalityId: null });
    });
    return { token, row };
  }

  listApiTokens(userId: string): Promise<AuthToken[]> {
    return this.deps.store.manager.find(AuthToken, {
      where: { userId, kind: 'api' },
      order: { createdAt: 'DESC', id: 'ASC' },
    });
  }

  async createUser(input: NewUser): Promise<User> {
    const now = this.deps.clock.now();
    assertStrongPassword(input.password, input.email);
    // Hashing is slow on purpose: do it before the transaction, not while holding the writer.
    const passwordHash = await this.deps.hasher.hash(input.password);
    return this.deps.store.transaction(async (m) => {
      const organisationId = await checkScope(m, input.role, input.organisationId);
      const kind = ROLE_ORGANISATION[input.role];
      const email = input.email.toLowerCase();
      if (await m.existsBy(User, { email })) {
        throw new ConflictError('email_taken', 'There is already an account with this e-mail', [
          { field: 'body.email', issue: 'already in use' },
        ]);
      }
      const user = m.create(User, {
        id: newId(),
        email,
        passwordHash,
        role: input.role,
        organisationId,
        active: true,
        lastLoginAt: null,
        createdAt: now,
        updatedAt: now,
      });
      await m.insert(User, user);
      await audit(m, now, {
        action: 'user.create',
        entityType: 'user',
        entityId: user.id,
        municipalityId: kind === 'municipality' ? user.organisationId : null,
        fields: [user.role],
      });
      return user;
    });
  }

  /** Plain SQL: it is `GET /auth/me`'s one statement, asked by every page that opens. */
  async getUser(id: string): Promise<User> {
    const [row] = await rawRows<{
      id: string;
      email: string;
      password_hash: string;
      role: Role;
      organisation_id: string | null;
      active: unknown;
      last_login_at: unknown;
      created_at: unknown;
      updated_at: unknown;
    }>(
      this.deps.store.manager,
      'SELECT u.id, u.email, u.password_hash, u.role, u.organisation_id, u.active, u.last_login_at, u.created_at, u.updated_at FROM users u WHERE u.id = ?',
      [id],
    );
    if (!row) throw new NotFoundError('user', id);
    return {
      id: row.id,
      email: row.email,
      passwordHash: row.password_hash,
      role: row.role,
      organisationId: row.organisation_id,
      active: boolOf(row.active),
      lastLoginAt: instantOrNull(row.last_login_at),
      createdAt: instantOf(row.created_at),
      updatedAt: instantOf(row.updated_at),
    };
  }

  listUsers(): Promise<User[]> {
    return this.deps.store.manager.find(User, { order: { email: 'ASC' } });
  }

  /** First start: an admin from config when there is no user at all. Returns whether one was made. */
  async ensureFirstAdmin(email: string, password: string): Promise<boolean> {
    if ((await this.deps.store.manager.count(User)) > 0) return false;
    await this.createUser({ email, password, role: 'admin' });
    return true;
  }
}
