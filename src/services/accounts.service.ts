import { type EntityManager, IsNull, Not } from 'typeorm';
import { AuthToken, LoginDevice, Organisation, PasswordLink, User } from '../db/entities';
import { newId } from '../db/columns';
import { type Role, ROLE_ORGANISATION } from '../domain/access';
import {
  ConflictError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  UnprocessableError,
} from '../domain/errors';
import { invitation, passwordReset } from '../mail/templates/account-messages';
import type { PasswordHasher } from '../lib/passwords';
import { passwordProblem } from '../lib/password-policy';
import { FailureLimiter } from '../lib/rate-limit';
import { newLinkToken, sha256 } from '../lib/tokens';
import { audit } from './audit';
import { OutboxService } from './outbox.service';
import type { PrincipalCache } from './principals';
import { dropUndefined, type ServiceDeps } from './support';

export interface AccountSettings {
  publicUrl: string;
  /** How long an invitation works (72 hours by default). */
  invitationHours: number;
  /** The zone that e-mails give a link's expiry in. */
  zone: string;
}

export type AccountStatus = 'invited' | 'active' | 'deactivated';
export const statusOf = (u: User): AccountStatus => (!u.active ? 'deactivated' : u.passwordHash ? 'active' : 'invited');

const RESET_MINUTES = 60;
const RESET_WINDOW_MS = 60 * 60_000;
/** Reset requests per address and per account in an hour: enough for a typo or two, too few to flood a mailbox. */
const RESETS_PER_ACCOUNT = 3;
const RESETS_PER_ADDRESS = 10;
/** Wrong current passwords on a change, per account, in 15 minutes. */
const CHANGE_FAILURES = 5;
const CHANGE_WINDOW_MS = 15 * 60_000;

/**
 * The people who log in: invitations (a one-time link to choose a password, through the
 * outbox), password resets and changes, roles and scopes, deactivation. Passwords are chosen
 * by their owners, never sent by mail.
 */
export class AccountService {
  private readonly resetsByAccount: FailureLimiter;
  private readonly resetsByAddress: FailureLimiter;
  private readonly changeFailures: FailureLimiter;

  constructor(
    private readonly deps: ServiceDeps & {
      hasher: PasswordHasher;
      settings: AccountSettings;
      /** Forgotten after each change below: this instance refuses or narrows the next request at once. */
      principals: PrincipalCache;
    },
  ) {
    this.resetsByAccount = new FailureLimiter(deps.clock, RESETS_PER_ACCOUNT, RESET_WINDOW_MS);
    this.resetsByAddress = new FailureLimiter(deps.clock, RESETS_PER_ADDRESS, RESET_WINDOW_MS);
    this.changeFailures = new FailureLimiter(deps.clock, CHANGE_FAILURES, CHANGE_WINDOW_MS);
  }

  /** A new account without a password, and an invitation mail in the same transaction. */
  invite(input: { email: string; role: Role; organisationId?: string | null }): Promise<User> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      const organisationId = await checkScope(m, input.role, input.organisationId);
      const email = input.email.toLowerCase();
      if (await m.existsBy(User, { email })) {
        throw new ConflictError('email_taken', 'There is already an account with this e-mail', [
          { field: 'body.email', issue: 'already in use' },
        ]);
      }
      const user = m.create(User, {
        id: newId(),
        email,
        passwordHash: '',
        role: input.role,
        organisationId,
        active: true,
        lastLoginAt: null,
        createdAt: now,
        updatedAt: now,
      });
      await m.insert(User, user);
      await audit(m, now, {
        action: 'user.invite',
        entityType: 'user',
        entityId: user.id,
        municipalityId: ROLE_ORGANISATION[user.role] === 'municipality' ? organisationId : null,
        fields: [user.role],
      });
      await this.sendInvitation(m, user, now);
      return user;
    });
  }

  /** A new invitation for someone who has not chosen a password yet; earlier links stop working. */
  resendInvitation(userId: string): Promise<User> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      const user = await this.getIn(m, userId);
      if (statusOf(user) !== 'invited') {
        throw new ConflictError('not_invited', 'This account already has a password, or is deactivated');
      }
      await this.sendInvitation(m, user, now);
      await audit(m, now, { action: 'user.reinvite', entityType: 'user', entityId: user.id, municipalityId: null });
      return user;
    });
  }

  /**
   * Asks for a reset link. The answer is the same whether the address has an account or not;
   * only an active account gets mail. Limited per account and per address.
   */
  async requestReset(email: string, address: string): Promise<void> {
    const account = `account:${email.toLowerCase()}`;
    const from = `address:${address}`;
    const wait = Math.max(this.resetsByAccount.retryAfter(account), this.resetsByAddress.retryAfter(from));
    if (wait > 0) throw new RateLimitedError(wait);
    this.resetsByAccount.fail(account);
    this.resetsByAddress.fail(from);
    const now = this.deps.clock.now();
    await this.deps.store.transaction(async (m) => {
      const user = await m.findOneBy(User, { email: email.toLowerCase() });
      if (!user || !user.active) return;
      // Someone invited who lost the mail gets a fresh invitation: that is what they need.
      if (!user.passwordHash) return this.sendInvitation(m, user, now);
      const { token, link } = await this.newLink(m, user.id, 'reset', new Date(now.getTime() + RESET_MINUTES * 60_000));
      const mail = passwordReset({
        url: this.linkUrl(token),
        expiresAt: link.expiresAt,
        zone: this.deps.settings.zone,
      });
      await OutboxService.enqueue(m, now, {
        idempotencyKey: `password-reset:${link.id}`,
        kind: 'password_reset',
        municipalityId: null,
        to: user.email,
        fromName: 'Bryggan',
        ...mail,
      });
      await audit(m, now, {
        action: 'user.reset_request',
        entityType: 'user',
        entityId: user.id,
        municipalityId: null,
      });
    });
  }

  /** What a password link is for, without using it; refused when it is unknown, used or expired. */
  async checkLink(token: string): Promise<{ purpose: 'invite' | 'reset'; email: string; expiresAt: Date }> {
    const { link, user } = await this.usableLink(this.deps.store.manager, token);
    return { purpose: link.purpose, email: user.email, expiresAt: link.expiresAt };
  }

  /**
   * Sets the password a link was sent for, once. Every other password link of the account
   * stops working, and a reset ends every login made with the old password.
   */
  async usePasswordLink(token: string, password: string): Promise<User> {
    const { user: peek } = await this.usableLink(this.deps.store.manager, token);
    assertStrongPassword(password, peek.email);
    const hash = await this.deps.hasher.hash(password);
    const now = this.deps.clock.now();
    const changed = await this.deps.store.transaction(async (m) => {
      // Again inside the transaction: two tabs may use the same link at the same moment.
      const { link, user } = await this.usableLink(m, token);
      const used = await m.update(PasswordLink, { id: link.id, usedAt: IsNull() }, { usedAt: now });
      if (!used.affected) throw new UnauthenticatedError('link_used', 'This link has been used already');
      await m.update(PasswordLink, { userId: user.id, usedAt: IsNull() }, { usedAt: now });
      await m.update(User, { id: user.id }, { passwordHash: hash, updatedAt: now });
      if (link.purpose === 'reset') await this.endLogins(m, user.id, now);
      await audit(m, now, {
        action: link.purpose === 'invite' ? 'user.accept_invitation' : 'user.reset_password',
        entityType: 'user',
        entityId: user.id,
        municipalityId: null,
      });
      return { ...user, passwordHash: hash };
    });
    this.deps.principals.forgetUser(changed.id);
    return changed;
  }

  /** A logged-in user's own change: the current password first. Other logins of the account end. */
  async changePassword(userId: string, tokenId: string | undefined, current: string, next: string): Promise<void> {
    // A stolen login must not become a way to guess the password: wrong answers count as failed logins do.
    const key = `change:${userId}`;
    const wait = this.changeFailures.retryAfter(key);
    if (wait > 0) throw new RateLimitedError(wait);
    const user = await this.getIn(this.deps.store.manager, userId);
    if (!(await this.deps.hasher.verify(current, user.passwordHash))) {
      this.changeFailures.fail(key);
      throw new UnprocessableError('wrong_password', 'The current password is not right', [
        { field: 'body.currentPassword', issue: 'not the current password' },
      ]);
    }
    assertStrongPassword(next, user.email, 'body.newPassword');
    const hash = await this.deps.hasher.hash(next);
    const now = this.deps.clock.now();
    await this.deps.store.transaction(async (m) => {
      await m.update(User, { id: userId }, { passwordHash: hash, updatedAt: now });
      await this.endLogins(m, userId, now, tokenId);
      await audit(m, now, {
        action: 'user.change_password',
        entityType: 'user',
        entityId: userId,
        municipalityId: null,
      });
    });
    this.deps.principals.forgetUser(userId);
  }

  /** An admin changes someone's role or organisation. */
  async update(id: string, input: { role?: Role; organisationId?: string | null }, actorId: string): Promise<User> {
    const now = this.deps.clock.now();
    try {
      return await this.deps.store.transaction(async (m) => {
        const user = await this.getIn(m, id);
        const role = input.role ?? user.role;
        const organisationId = await checkScope(
          m,
          role,
          input.organisationId === undefined && role === user.role ? user.organisationId : input.organisationId,
        );
        if (user.role === 'admin' && role !== 'admin') await this.keepAnAdmin(m, user.id, actorId);
        Object.assign(user, dropUndefined({ role }), { organisationId, updatedAt: now });
        await m.save(user);
        await audit(m, now, {
          action: 'user.update',
          entityType: 'user',
          entityId: id,
          municipalityId: null,
          fields: Object.keys(dropUndefined(input)).sort(),
        });
        return user;
      });
    } finally {
      // Also when the change rolls back: on sqlite a principal read meanwhile may have seen it uncommitted.
      this.deps.principals.forgetUser(id);
    }
  }

  /** A deactivated account cannot log in, and its logins and API tokens end at once. */
  async setActive(id: string, active: boolean, actorId: string): Promise<User> {
    const now = this.deps.clock.now();
    try {
      return await this.deps.store.transaction(async (m) => {
        const user = await this.getIn(m, id);
        if (!active && user.role === 'admin') await this.keepAnAdmin(m, user.id, actorId);
        if (user.active === active) return user;
        user.active = active;
        user.updatedAt = now;
        await m.save(user);
        if (!active) {
          await this.endLogins(m, id, now, undefined, true);
          await m.update(PasswordLink, { userId: id, usedAt: IsNull() }, { usedAt: now });
        }
        await audit(m, now, {
          action: active ? 'user.reactivate' : 'user.deactivate',
          entityType: 'user',
          entityId: id,
          municipalityId: null,
        });
        return user;
      });
    } finally {
      // Also when the change rolls back: on sqlite a principal read meanwhile may have seen it uncommitted.
      this.deps.principals.forgetUser(id);
    }
  }

  private async sendInvitation(m: EntityManager, user: User, now: Date): Promise<void> {
    // Earlier invitations stop working: only the newest mail's link does.
    await m.update(PasswordLink, { userId: user.id, purpose: 'invite', usedAt: IsNull() }, { usedAt: now });
    const expiresAt = new Date(now.getTime() + this.deps.settings.invitationHours * 3600_000);
    const { token, link } = await this.newLink(m, user.id, 'invite', expiresAt);
    const org = user.organisationId ? await m.findOneBy(Organisation, { id: user.organisationId }) : null;
    const mail = invitation({
      role: user.role,
      organisation: org?.name ?? null,
      url: this.linkUrl(token),
      expiresAt,
      zone: this.deps.settings.zone,
    });
    await OutboxService.enqueue(m, now, {
      idempotencyKey: `invitation:${link.id}`,
      kind: 'invitation',
      municipalityId: org?.kind === 'municipality' ? org.id : null,
      to: user.email,
      fromName: 'Bryggan',
      ...mail,
    });
  }

  private async newLink(m: EntityManager, userId: string, purpose: 'invite' | 'reset', expiresAt: Date) {
    const token = newLinkToken();
    const link = m.create(PasswordLink, {
      id: newId(),
      userId,
      purpose,
      tokenHash: sha256(token),
      expiresAt,
      usedAt: null,
      createdAt: this.deps.clock.now(),
    });
    await m.insert(PasswordLink, link);
    return { token, link };
  }

  private linkUrl(token: string): string {
    return `${this.deps.settings.publicUrl}/losenord#${encodeURIComponent(token)}`;
  }

  private async usableLink(m: EntityManager, token: string): Promise<{ link: PasswordLink; user: User }> {
    const link = await m.findOneBy(PasswordLink, { tokenHash: sha256(token) });
    const user = link && (await m.findOneBy(User, { id: link.userId }));
    if (!link || !user || !user.active) throw new UnauthenticatedError('invalid_link', 'This link is not valid');
    if (link.usedAt) throw new UnauthenticatedError('link_used', 'This link has been used already');
    if (link.expiresAt <= this.deps.clock.now())
      throw new UnauthenticatedError('link_expired', 'This link has expired');
    return { link, user };
  }

  /**
   * Ends the account's logins, but the one given (the login making the change). An integration's
   * API tokens stay: a new password says nothing about them. Deactivation ends those too.
   */
  private async endLogins(
    m: EntityManager,
    userId: string,
    now: Date,
    keep?: string,
    apiTokensToo = false,
  ): Promise<void> {
    // The browsers the old password was typed in are no longer known (they pass no one's wait).
    await m.delete(LoginDevice, { userId });
    await m.update(
      AuthToken,
      { userId, revokedAt: IsNull(), ...(keep ? { id: Not(keep) } : {}), ...(apiTokensToo ? {} : { kind: 'session' }) },
      { revokedAt: now },
    );
  }

  /** The installation keeps an active admin, and an admin does not lock themselves out. */
  private async keepAnAdmin(m: EntityManager, userId: string, actorId: string): Promise<void> {
    if (userId === actorId) {
      throw new UnprocessableError('own_account', 'You cannot take away your own admin role or deactivate yourself');
    }
    const others = await m.countBy(User, { role: 'admin', active: true, id: Not(userId) });
    if (!others) throw new UnprocessableError('last_admin', 'The installation needs at least one active admin');
  }

  private async getIn(m: EntityManager, id: string): Promise<User> {
    const user = await m.findOneBy(User, { id });
    if (!user) throw new NotFoundError('user', id);
    return user;
  }
}

/** The organisation a role belongs to: checked to exist and be of the right kind; none for an admin. */
export async function checkScope(m: EntityManager, role: Role, organisationId: string | null | undefined) {
  const kind = ROLE_ORGANISATION[role];
  if (kind === null) {
    if (organisationId) {
      throw new UnprocessableError('invalid_user', 'An admin belongs to no organisation', [
        { field: 'body.organisationId', issue: 'must be empty for an admin' },
      ]);
    }
    return null;
  }
  const org = organisationId ? await m.findOneBy(Organisation, { id: organisationId, kind }) : null;
  if (!org) {
    throw new UnprocessableError('unknown_reference', `A ${role} belongs to a ${kind}`, [
      { field: 'body.organisationId', issue: `no ${kind} with this id` },
    ]);
  }
  return org.id;
}

/** The one rule every new password meets (`weak_password`, its reason as the issue: too_short, repeated, common). */
export function assertStrongPassword(password: string, email: string, field = 'body.password'): void {
  const problem = passwordProblem(password, email);
  if (problem) {
    throw new UnprocessableError('weak_password', `The password is ${problem.replace('_', ' ')}`, [
      { field, issue: problem },
    ]);
  }
}
