import { type EntityManager, MoreThanOrEqual } from 'typeorm';
import { AuthToken, Contract, User } from '../db/entities';
import { newId } from '../db/columns';
import { type Principal, type Role, ROLE_ORGANISATION } from '../domain/access';
import { ConflictError, NotFoundError, UnauthenticatedError, StorageUnavailableError } from '../domain/errors';
import type { PasswordHasher } from '../lib/passwords';
import { newBearerToken, sha256, TOKEN_RE } from '../lib/tokens';
import { assertStrongPassword, checkScope } from './accounts.service';
import { audit } from './audit';
import { type Attempt, LoginGuard } from './login-guard';
import type { ServiceDeps } from './support';

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

  constructor(private readonly deps: ServiceDeps & { hasher: PasswordHasher; settings: AuthSettings }) {
    this.guard = new LoginGuard(deps, deps.settings.loginMaxFailures, deps.settings.authSecret);
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

  /** The principal behind a bearer token; 401 for anything else. */
  async authenticate(token: string): Promise<{ principal: Principal; tokenId: string }> {
    if (!TOKEN_RE.test(token)) throw new UnauthenticatedError('invalid_token', 'The bearer token is malformed');
    const m = this.deps.store.manager;
    const row = await m.findOneBy(AuthToken, { tokenHash: sha256(token) });
    const now = this.deps.clock.now();
    if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) {
      throw new UnauthenticatedError('invalid_token', 'The bearer token is unknown, expired or revoked');
    }
    const user = await m.findOneBy(User, { id: row.userId });
    if (!user || !user.active) throw new UnauthenticatedError('invalid_token', 'The account is no longer active');
    // A write per request would be costly; a minute's precision is enough to see unused tokens.
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
      // Bookkeeping only: a disk that takes no writes must not turn every read into a 503.
      await this.deps.store
        .transaction((tx) => tx.update(AuthToken, { id: row.id }, { lastUsedAt: now }))
        .catch((err: unknown) => {
          if (!(err instanceof StorageUnavailableError)) throw err;
        });
    }
    return { principal: { ...(await this.principalFor(user)), via: row.kind, tokenId: row.id }, tokenId: row.id };
  }

  async principalFor(user: User): Promise<Principal> {
    const base = { userId: user.id, role: user.role, organisationId: user.organisationId };
    if (user.role === 'admin') return { ...base, municipalityIds: null, associationIds: null };
    const m = this.deps.store.manager;
    // A contract that has ended no longer opens the other party's things.
    const today = this.deps.clock.now().toISOString().slice(0, 10);
    if (user.role === 'association_staff') {
      const contracts = await m.find(Contract, {
        where: { associationId: user.organisationId!, endsOn: MoreThanOrEqual(today) },
        select: { municipalityId: true },
      });
      return {
        ...base,
        associationIds: [user.organisationId!],
        municipalityIds: [...new Set(contracts.map((c) => c.municipalityId))],
      };
    }
    const contracts = await m.find(Contract, {
      where: { municipalityId: user.organisationId!, endsOn: MoreThanOrEqual(today) },
      select: { associationId: true },
    });
    return {
      ...base,
      municipalityIds: [user.organisationId!],
      associationIds: [...new Set(contracts.map((c) => c.associationId))],
    };
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

  async getUser(id: string): Promise<User> {
    const user = await this.deps.store.manager.findOneBy(User, { id });
    if (!user) throw new NotFoundError('user', id);
    return user;
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
