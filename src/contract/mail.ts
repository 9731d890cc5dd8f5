import { z } from 'zod';
import { ANSWERS, JOB_NAMES, MESSAGE_KINDS } from '../domain/vocabulary';
import { Id, Instant, Paging } from './common';

/** `superseded`: withdrawn unsent, because a newer message about the same sessions was queued (a cancellation after a "new session"). */
export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'failed', 'superseded'] as const;

export const OutboxQuery = Paging.extend({
  status: z.enum(OUTBOX_STATUSES).optional(),
  kind: z.enum([...MESSAGE_KINDS, 'report']).optional(),
  municipalityId: Id.optional(),
  guideId: Id.optional().describe('Only the mail that went to this guide'),
  sessionId: Id.optional().describe('Only the mail about this café (its guides, substitutes asked, coordinators told)'),
});

export const OutboxMessage = z.object({
  id: Id,
  kind: z.string(),
  municipalityId: Id.nullable(),
  to: z.string(),
  guideId: Id.nullable().describe('The guide it went to, if a guide'),
  guideName: z.string().nullable(),
  sessionIds: z.array(Id).describe('The cafés it is about'),
  fromName: z.string(),
  subject: z.string(),
  status: z.enum(OUTBOX_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: Instant,
  lastError: z.string().nullable().describe("The mail server's answer to the last attempt"),
  createdAt: Instant,
  sentAt: Instant.nullable(),
});

export const PreviewParams = z.object({ kind: z.enum(MESSAGE_KINDS) });
export const Preview = z.object({
  kind: z.enum(MESSAGE_KINDS),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  attachments: z.array(z.object({ filename: z.string(), contentType: z.string(), content: z.string() })),
});

/** A signed link's token: `<id>~<made>.<expiry>.<purpose>.<signature>` (older links have no `~<made>`). */
export const AnswerParams = z.object({
  token: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9_.~-]+$/, 'must be the token from the link'),
});
export const AnswerView = z.object({
  answer: z.enum(ANSWERS),
  outcome: z.enum(['open', 'confirmed', 'declined', 'taken', 'taken_by_other', 'closed', 'cannot']),
  session: z
    .object({ startsAt: Instant, endsAt: Instant, timeZone: z.string(), venue: z.string(), address: z.string() })
    .nullable(),
});

export const JobParams = z.object({ name: z.enum(JOB_NAMES) });
export const JobOutcome = z.object({
  job: z.enum(JOB_NAMES),
  tick: Instant.describe('The minute the job ran for'),
  ran: z.boolean().describe('False when another instance already ran this tick'),
  result: z.unknown().describe('What the job did, e.g. the number of messages queued'),
});
