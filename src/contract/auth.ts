import { z } from 'zod';
import { ROLES } from '../domain/access';

import { Email, Id, Instant, LocalDate, LocalTime, Paging } from './common';
import { Device, Guide } from './people';
import { TOPICS } from '../domain/vocabulary';

export const LoginBody = z.object({ email: z.string().trim().min(3).max(254), password: z.string().min(1).max(200) });

export const ACCOUNT_STATUSES = ['invited', 'active', 'deactivated'] as const;

export const User = z.object({
  id: Id,
  email: z.string(),
  role: z.enum(ROLES),
  organisationId: Id.nullable(),
  active: z.boolean(),
  status: z.enum(ACCOUNT_STATUSES).describe('invited: has not chosen a password yet'),
  lastLoginAt: Instant.nullable(),
  createdAt: Instant,
  loginWaitsUntil: Instant.nullable()
    .optional()
    .describe('In the list of users: the failed logins made the next try wait until then (an admin can unlock)'),
});

export const LoginResponse = z.object({
  token: z.string().describe('Send as Authorization: Bearer <token>'),
  expiresAt: Instant,
  user: User,
});

export const Me = User.extend({
  municipalityIds: z.array(Id).nullable().describe('Municipalities you may see; null = all'),
  associationIds: z.array(Id).nullable(),
  mailSetUp: z.boolean().describe('Whether e-mail is set up (SMTP_URL); until it is, messages wait in the outbox'),
});

/** A new password: at least 12 characters; the service also refuses one repeated character and common passwords. */
export const Password = z.string().min(12, 'at least 12 characters').max(200);

const scope = {
  role: z.enum(ROLES),
  organisationId: Id.nullish().describe(
    'The municipality of a coordinator or viewer, the association of association staff; none for an admin',
  ),
};

export const NewUserBody = z.object({ email: Email, password: Password, ...scope });

export const InviteBody = z.object({ email: Email, ...scope });

export const UpdateUserBody = z
  .object({ role: scope.role.optional(), organisationId: scope.organisationId })
  .refine((b) => b.role !== undefined || b.organisationId !== undefined, 'give a role or an organisation');

export const ResetBody = z.object({ email: z.string().trim().min(3).max(254) });

export const PasswordLinkParams = z.object({
  token: z.string().regex(/^bry_p_[A-Za-z0-9_-]{43}$/, 'not a password link'),
});

export const PasswordLinkInfo = z.object({
  purpose: z.enum(['invite', 'reset']),
  email: z.string(),
  expiresAt: Instant,
});

export const SetPasswordBody = z.object({ password: Password });

export const ChangePasswordBody = z.object({ currentPassword: z.string().min(1).max(200), newPassword: Password });

export const ApiTokenBody = z.object({
  name: z.string().trim().min(1).max(100).describe('What the token is for'),
  expiresInDays: z.number().int().min(1).max(730).default(90).describe('Every token expires; at most two years'),
});

export const ApiToken = z.object({
  id: Id,
  name: z.string().nullable(),
  createdAt: Instant,
  expiresAt: Instant.nullable(),
  revokedAt: Instant.nullable(),
  lastUsedAt: Instant.nullable(),
});

export const NewApiToken = ApiToken.extend({ token: z.string().describe('Shown once: store it now') });

export const AuditQuery = Paging.extend({
  municipalityId: Id.optional(),
  entityType: z.string().max(30).optional(),
  entityId: Id.optional(),
});

export const AuditEntry = z.object({
  id: Id,
  at: Instant,
  actorType: z.enum(['user', 'guide', 'system']),
  actorId: Id.nullable(),
  municipalityId: Id.nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z
    .union([Id, z.literal('unknown_account')])
    .describe('unknown_account: a failed login with an e-mail that has no account'),
  fields: z
    .array(z.string())
    .describe('Names of the fields involved, never their values; for login.delayed the limits that now wait'),
});

/** `access` opens the guide's page; `calendar` is a feed URL a phone calendar subscribes to. */
export const LinkBody = z.object({ purpose: z.enum(['access', 'calendar']).default('access') });

export const GuideLink = z.object({
  id: Id,
  guideId: Id,
  purpose: z.enum(['access', 'calendar']),
  expiresAt: Instant,
  revokedAt: Instant.nullable(),
  createdAt: Instant,
});

export const NewGuideLink = GuideLink.extend({
  token: z.string(),
  url: z.string().describe('Send this to the guide; it works without a password until it expires or is revoked'),
});

export const GuideTokenQuery = z.object({ token: z.string().min(10).max(300) });

/** What a guide sees of themself through their link. */
/** The seniors paired with you at a café: only from the day before to the day after it. */
const MySeniors = z
  .array(
    z.object({
      displayName: z.string(),
      devices: z.array(Device),
      topic: z.enum(TOPICS).nullable(),
      language: z.string().nullable(),
    }),
  )
  .describe('The seniors you help at this café (from the day before to the day after it; empty otherwise)');

export const GuideSelf = Guide.pick({
  id: true,
  name: true,
  platforms: true,
  languages: true,
  availability: true,
  unavailableDates: true,
  maxHoursPerWeek: true,
}).extend({
  assignments: z
    .array(
      z.object({
        assignmentId: Id,
        sessionId: Id,
        localDate: LocalDate,
        startTime: LocalTime,
        endTime: LocalTime,
        venue: z.string(),
        response: z.enum(['pending', 'confirmed']),
        confirmUrl: z.string().describe('POST here to confirm (the same link as in the e-mail)'),
        declineUrl: z.string().describe('POST here to decline'),
        seniors: MySeniors,
      }),
    )
    .describe('Your published sessions ahead, soonest first'),
  recent: z
    .array(
      z.object({
        sessionId: Id,
        localDate: LocalDate,
        startTime: LocalTime,
        endTime: LocalTime,
        venue: z.string(),
        reported: z.boolean(),
        seniors: MySeniors,
      }),
    )
    .describe('Sessions of the last two weeks you were on: the after-café form is for these'),
  month: z.string(),
  plannedMinutes: z.number().int().describe('This month, on the schedule'),
  workedMinutes: z.number().int().describe('This month, worked as reported'),
});

export const SeniorExport = z.object({
  exportedAt: Instant,
  senior: z.record(z.string(), z.unknown()),
  registrations: z.array(z.record(z.string(), z.unknown())),
  attendance: z
    .array(z.record(z.string(), z.unknown()))
    .describe(
      "Each café where they were expected or came as a walk-in, whether they came, and who helped them (helpedBy: the guide's name)",
    ),
  queueEntries: z
    .array(z.record(z.string(), z.unknown()))
    .describe(
      "Each check-in at a café's queue: what they came for, its steps, and who helped them (helpedBy: the guide's name)",
    ),
  regulars: z.array(z.record(z.string(), z.unknown())).describe('Standing sign-ups to a café'),
  sessions: z.array(z.record(z.string(), z.unknown())),
  venues: z.array(z.object({ id: Id, name: z.string() })),
  auditTrail: z.array(AuditEntry),
});
