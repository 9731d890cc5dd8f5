import type { Request } from 'express';
import { z } from 'zod';
import { DEVICE_COOKIE, deviceTokens } from '../../services/login-guard';
import type { AuthToken, GuideLink, User as UserRow } from '../../services/records';
import { ForbiddenError } from '../../domain/errors';
import { instantToLocal } from '../../domain/time';
import { runAs } from '../../lib/context';
import { atLeast } from '../../lib/pace';

/** Longer than a reset's own work takes, on either database. */
const RESET_ANSWER_MS = 250;
import { calendarUrl, guidePageUrl } from '../../services/guide-links.service';
import type { Services } from '../../services';
import { statusOf } from '../../services/accounts.service';
import { ADMINS, allow, EVERYONE, listScope, pathId, PLANNERS, ROSTER } from '../access';
import { toGuide, toPage } from '../mappers';
import { route } from '../route';
import { IdParams, page } from '../../contract/common';
import {
  ApiToken,
  ApiTokenBody,
  AuditEntry,
  AuditQuery,
  GuideLink as GuideLinkSchema,
  GuideSelf,
  GuideTokenQuery,
  LinkBody,
  LoginBody,
  LoginResponse,
  Me,
  NewApiToken,
  NewGuideLink,
  NewUserBody,
  SeniorExport,
  User,
  InviteBody,
  UpdateUserBody,
  ResetBody,
  PasswordLinkParams,
  PasswordLinkInfo,
  SetPasswordBody,
  ChangePasswordBody,
} from '../../contract/auth';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const toUser = (u: UserRow) => ({
  status: statusOf(u),
  id: u.id,
  email: u.email,
  role: u.role,
  organisationId: u.organisationId,
  active: u.active,
  lastLoginAt: iso(u.lastLoginAt),
  createdAt: u.createdAt.toISOString(),
});
const toToken = (t: AuthToken) => ({
  id: t.id,
  name: t.name,
  createdAt: t.createdAt.toISOString(),
  expiresAt: iso(t.expiresAt),
  revokedAt: iso(t.revokedAt),
  lastUsedAt: iso(t.lastUsedAt),
});
const toLink = (l: GuideLink) => ({
  id: l.id,
  guideId: l.guideId,
  purpose: l.purpose,
  expiresAt: l.expiresAt.toISOString(),
  revokedAt: iso(l.revokedAt),
  createdAt: l.createdAt.toISOString(),
});

/**
 * A login's answer. A browser new to the account gets a device token added to its cookie, sent
 * only to the login routes: from it, the right password is never held back by others' guesses.
 */
function signedIn(
  req: Request,
  r: { token: string; expiresAt: Date; user: UserRow; deviceToken: string | null },
  publicUrl: string,
) {
  if (r.deviceToken) {
    const tokens = [r.deviceToken, ...deviceTokens(req.headers.cookie)].slice(0, 5);
    req.res?.cookie(DEVICE_COOKIE, tokens.join('.'), {
      httpOnly: true,
      sameSite: 'strict',
      // Behind a TLS proxy the request itself may look like plain HTTP.
      secure: req.secure || publicUrl.startsWith('https:'),
      path: '/api/v1/auth',
      maxAge: 365 * 86_400_000,
    });
  }
  return { token: r.token, expiresAt: r.expiresAt.toISOString(), user: toUser(r.user) };
}

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as never;

export const authRoutes = (
  { auth, accounts, auditLog, privacy, guideLinks, guidePage, outbox }: Services,
  publicUrl: string,
) => [
  route({
    method: 'post',
    path: '/auth/login',
    tag: 'Auth',
    summary: 'Log in with e-mail and password; answers a bearer token',
    access: 'public',
    body: LoginBody,
    response: LoginResponse,
    handler: async ({ body }, { req }) => {
      return signedIn(
        req,
        await auth.login(body.email, body.password, req.ip ?? 'unknown', deviceTokens(req.headers.cookie)),
        publicUrl,
      );
    },
  }),
  route({
    method: 'post',
    path: '/auth/logout',
    tag: 'Auth',
    summary: 'End this session (revokes the token sent)',
    access: allow(EVERYONE),
    response: z.object({ loggedOut: z.literal(true) }),
    handler: async (_input, { principal }) => {
      await auth.revoke(principal.tokenId!, principal.userId);
      return { loggedOut: true as const };
    },
  }),
  route({
    method: 'get',
    path: '/auth/me',
    tag: 'Auth',
    summary: 'Who am I, and what may I see',
    access: allow(EVERYONE),
    response: Me,
    handler: async (_input, { principal }) => {
      const user = await auth.getUser(principal.userId);
      return {
        ...toUser(user),
        municipalityIds: principal.municipalityIds,
        associationIds: principal.associationIds,
        mailSetUp: outbox.sends,
      };
    },
  }),
  route({
    method: 'post',
    path: '/auth/tokens',
    tag: 'Auth',
    summary: 'Create an API token for an integration (shown once)',
    access: allow(EVERYONE),
    body: ApiTokenBody,
    response: NewApiToken,
    status: 201,
    handler: async ({ body }, { principal }) => {
      // A leaked API token must not breed more: new ones come from a person's login.
      if (principal.via !== 'session')
        throw new ForbiddenError('Log in to make an API token; an API token cannot make another');
      const { token, row } = await auth.createApiToken(principal.userId, body.name, body.expiresInDays);
      return { ...toToken(row), token };
    },
  }),
  route({
    method: 'get',
    path: '/auth/tokens',
    tag: 'Auth',
    summary: 'Your API tokens (never the tokens themselves)',
    access: allow(EVERYONE),
    response: z.object({ items: z.array(ApiToken) }),
    handler: async (_input, { principal }) => ({ items: (await auth.listApiTokens(principal.userId)).map(toToken) }),
  }),
  route({
    method: 'delete',
    path: '/auth/tokens/:id',
    tag: 'Auth',
    summary: 'Revoke one of your API tokens',
    access: allow(EVERYONE),
    params: IdParams,
    response: z.object({ revoked: z.literal(true) }),
    handler: async ({ params }, { principal }) => {
      await auth.revoke(params.id, principal.userId);
      return { revoked: true as const };
    },
  }),

  route({
    method: 'post',
    path: '/users',
    tag: 'Users',
    summary: "Create a user (an organisation's first coordinator, staff or viewer)",
    access: allow(ADMINS),
    body: NewUserBody,
    response: User,
    status: 201,
    handler: async ({ body }) => toUser(await auth.createUser(body)),
  }),
  route({
    method: 'get',
    path: '/users',
    tag: 'Users',
    summary: 'List users',
    access: allow(ADMINS),
    response: z.object({ items: z.array(User) }),
    handler: async () => {
      const users = await auth.listUsers();
      const waits = await auth.loginWaits(users);
      return { items: users.map((u) => ({ ...toUser(u), loginWaitsUntil: iso(waits.get(u.email) ?? null) })) };
    },
  }),
  route({
    method: 'post',
    path: '/users/invitations',
    tag: 'Users',
    summary: 'Invite someone: an account without a password, and an e-mail with a one-time link to choose one',
    access: allow(ADMINS),
    body: InviteBody,
    response: User,
    status: 201,
    handler: async ({ body }) => toUser(await accounts.invite(body)),
  }),
  route({
    method: 'post',
    path: '/users/:id/invitation',
    tag: 'Users',
    summary: 'Send the invitation again (earlier links stop working); only while no password is chosen',
    access: allow(ADMINS),
    params: IdParams,
    response: User,
    handler: async ({ params }) => toUser(await accounts.resendInvitation(params.id)),
  }),
  route({
    method: 'patch',
    path: '/users/:id',
    tag: 'Users',
    summary: "Change a user's role or organisation",
    access: allow(ADMINS),
    params: IdParams,
    body: UpdateUserBody,
    response: User,
    handler: async ({ params, body }, { principal }) =>
      toUser(await accounts.update(params.id, body, principal.userId)),
  }),
  route({
    method: 'post',
    path: '/users/:id/unlock',
    tag: 'Users',
    summary: 'Let a user whose failed logins made them wait log in at once (also lets waiting addresses go)',
    access: allow(ADMINS),
    params: IdParams,
    response: User,
    handler: async ({ params }) => toUser(await auth.unlock(params.id)),
  }),
  ...(['deactivate', 'reactivate'] as const).map((action) =>
    route({
      method: 'post',
      path: `/users/:id/${action}`,
      tag: 'Users',
      summary:
        action === 'deactivate'
          ? 'Deactivate a user: they cannot log in, and their logins and tokens end at once'
          : 'Let a deactivated user log in again',
      access: allow(ADMINS),
      params: IdParams,
      response: User,
      handler: async ({ params }, { principal }) =>
        toUser(await accounts.setActive(params.id, action === 'reactivate', principal.userId)),
    }),
  ),
  route({
    method: 'post',
    path: '/auth/password-reset',
    tag: 'Auth',
    summary: 'Ask for a link to choose a new password; the answer is the same whether the address has an account',
    access: 'public',
    body: ResetBody,
    response: z.object({ requested: z.literal(true) }),
    status: 202,
    handler: async ({ body }, { req }) => {
      // The same answer, in the same time, whether the address has an account or not.
      await atLeast(RESET_ANSWER_MS, () => accounts.requestReset(body.email, req.ip ?? 'unknown'));
      return { requested: true as const };
    },
  }),
  route({
    method: 'get',
    path: '/auth/password-links/:token',
    tag: 'Auth',
    summary: 'What an invitation or reset link is for, without using it',
    access: 'public',
    params: PasswordLinkParams,
    response: PasswordLinkInfo,
    handler: async ({ params }) => {
      const info = await accounts.checkLink(params.token);
      return { ...info, expiresAt: info.expiresAt.toISOString() };
    },
  }),
  route({
    method: 'post',
    path: '/auth/password-links/:token',
    tag: 'Auth',
    summary: 'Choose a password with an invitation or reset link (once), and log in',
    access: 'public',
    params: PasswordLinkParams,
    body: SetPasswordBody,
    response: LoginResponse,
    handler: async ({ params, body }, { req }) => {
      const user = await accounts.usePasswordLink(params.token, body.password);
      return signedIn(req, await auth.loginByLink(user, deviceTokens(req.headers.cookie)), publicUrl);
    },
  }),
  route({
    method: 'post',
    path: '/auth/password',
    tag: 'Auth',
    summary: "Change one's own password; one's other logins end",
    access: allow(EVERYONE),
    body: ChangePasswordBody,
    response: z.object({ changed: z.literal(true) }),
    handler: async ({ body }, { principal }) => {
      await accounts.changePassword(principal.userId, principal.tokenId, body.currentPassword, body.newPassword);
      return { changed: true as const };
    },
  }),

  route({
    method: 'get',
    path: '/audit',
    tag: 'Audit',
    summary: 'Who changed or read what, and when (field names, never values)',
    access: allow(PLANNERS),
    query: AuditQuery,
    response: page(AuditEntry),
    handler: async ({ query }, { principal }) =>
      toPage(
        await auditLog.list({ ...query, municipalityIds: listScope(principal, query.municipalityId).municipalityIds }),
        (e) => ({ ...e, at: e.at.toISOString() }),
      ),
  }),

  route({
    method: 'get',
    path: '/seniors/:id/export',
    tag: 'Seniors',
    summary: 'Everything held about one senior, as JSON (GDPR access request)',
    access: allow(PLANNERS, pathId('senior')),
    params: IdParams,
    response: SeniorExport,
    handler: async ({ params }) => json(await privacy.exportSenior(params.id)),
  }),
  route({
    method: 'post',
    path: '/seniors/:id/erase',
    tag: 'Seniors',
    summary: "Erase a senior's personal data; anonymous counts stay",
    access: allow(PLANNERS, pathId('senior')),
    params: IdParams,
    response: z.object({ id: z.string(), erasedAt: z.string() }),
    handler: async ({ params }) => {
      const s = await privacy.erase(params.id);
      return { id: s.id, erasedAt: s.erasedAt!.toISOString() };
    },
  }),

  route({
    method: 'post',
    path: '/guides/:id/links',
    tag: 'Guides',
    summary: 'Make a signed link for a guide: their page or their calendar feed',
    access: allow(ROSTER, pathId('guide')),
    params: IdParams,
    body: LinkBody,
    response: NewGuideLink,
    status: 201,
    handler: async ({ params, body }) => {
      const { link, token } = await guideLinks.issue(params.id, body.purpose);
      const url = body.purpose === 'calendar' ? calendarUrl(publicUrl, token) : guidePageUrl(publicUrl, token);
      return { ...toLink(link), token, url };
    },
  }),
  route({
    method: 'get',
    path: '/guides/:id/links',
    tag: 'Guides',
    summary: "A guide's links (never the tokens)",
    access: allow(ROSTER, pathId('guide')),
    params: IdParams,
    response: z.object({ items: z.array(GuideLinkSchema) }),
    handler: async ({ params }) => ({ items: (await guideLinks.list(params.id)).map(toLink) }),
  }),
  route({
    method: 'post',
    path: '/guide-links/:id/revoke',
    tag: 'Guides',
    summary: 'Revoke a guide link (a lost phone)',
    access: allow(ROSTER, pathId('guideLink')),
    params: IdParams,
    response: GuideLinkSchema,
    handler: async ({ params }) => toLink(await guideLinks.revoke(params.id)),
  }),
  route({
    method: 'get',
    path: '/guide/me',
    tag: 'Guide',
    summary: 'A guide’s own page, through their signed link (no password)',
    access: 'public',
    query: GuideTokenQuery,
    response: GuideSelf,
    handler: async ({ query }) => {
      const guide = await guideLinks.resolve(query.token, 'access');
      const mine = await guidePage.page(guide);
      const full = toGuide(mine.guide);
      const times = (s: { id: string; localDate: string; startsAt: Date; endsAt: Date; timeZone: string }) => ({
        sessionId: s.id,
        localDate: s.localDate,
        startTime: instantToLocal(s.startsAt, s.timeZone).time,
        endTime: instantToLocal(s.endsAt, s.timeZone).time,
      });
      return {
        id: full.id,
        name: full.name,
        platforms: full.platforms,
        languages: full.languages,
        availability: full.availability,
        unavailableDates: full.unavailableDates,
        maxHoursPerWeek: full.maxHoursPerWeek,
        // Each café's fields named, not an object rest (`{ session, ...a }`): a page lists up to a hundred.
        assignments: mine.upcoming.map(
          ({ assignmentId, venue, response, confirmUrl, declineUrl, seniors, session }) => ({
            assignmentId,
            venue,
            response,
            confirmUrl,
            declineUrl,
            seniors,
            ...times(session),
          }),
        ),
        recent: mine.recent.map(({ session, venue, reported, seniors }) => ({
          ...times(session),
          venue,
          reported,
          seniors,
        })),
        month: mine.month,
        plannedMinutes: mine.plannedMinutes,
        workedMinutes: mine.workedMinutes,
      };
    },
  }),
  route({
    method: 'post',
    path: '/guide/calendar',
    tag: 'Guide',
    summary: 'Make a calendar feed link for yourself through your signed link, to subscribe to on your phone',
    access: 'public',
    query: GuideTokenQuery,
    response: z.object({ url: z.string(), webcalUrl: z.string(), expiresAt: z.string() }),
    status: 201,
    handler: async ({ query }) => {
      const guide = await guideLinks.resolve(query.token, 'access');
      const { link, token } = await runAs({ type: 'guide', id: guide.id }, () => guideLinks.calendarLink(guide.id));
      const url = calendarUrl(publicUrl, token);
      return { url, webcalUrl: url.replace(/^https?:/, 'webcal:'), expiresAt: link.expiresAt.toISOString() };
    },
  }),
];
