import { z } from 'zod';
import { PLATFORMS } from '../domain/vocabulary';
import { Id, Instant, LocalDate, Reason } from './common';

const withinAYear = (b: { from: string; to: string }) => Date.parse(b.to) - Date.parse(b.from) <= 366 * 86_400_000;

export const PlanBody = z
  .object({
    from: LocalDate.describe('First day; the plan covers the whole weeks from this one'),
    to: LocalDate,
    seed: z
      .number()
      .int()
      .min(1)
      .max(2 ** 31 - 1)
      .optional()
      .describe('The same seed gives the same plan'),
    timeLimitMs: z.number().int().min(50).max(30_000).optional(),
    replanPublished: z.boolean().default(false).describe('Also change assignments already published'),
  })
  .refine((b) => b.from <= b.to, { path: ['to'], message: 'must not be before from' })
  .refine(withinAYear, { path: ['to'], message: 'plan at most a year at a time' });

export const PublishBody = z
  .object({
    from: LocalDate,
    to: LocalDate,
    planId: Id.optional().describe(
      'The draft plan reviewed: if someone published it, or planned the period again, since, the answer is 409',
    ),
  })
  .refine((b) => b.from <= b.to, { path: ['to'], message: 'must not be before from' })
  .refine(withinAYear, { path: ['to'], message: 'publish at most a year at a time' });

export const PublishResult = z.object({
  published: z.number().int().describe('Pass published: one guide on one café each'),
  guides: z.array(z.object({ id: Id, name: z.string() })).describe('The guides who get mail about them'),
  mails: z.number().int().describe('How many mails are queued for them (one a guide, or two: new and cancelled)'),
});

export const Assignment = z.object({
  id: Id,
  sessionId: Id,
  guideId: Id,
  status: z.enum(['draft', 'published']),
  pinned: z.boolean(),
  source: z.enum(['engine', 'manual', 'substitute']),
  reasons: z.array(Reason).describe('Why this guide'),
  response: z
    .enum(['pending', 'confirmed'])
    .describe("The guide's answer to the latest notice (a decline frees the place: the assignment is gone)"),
  respondedAt: Instant.nullable(),
  createdAt: Instant,
});

const Score = z.object({
  total: z.number(),
  filled: z.number(),
  coverage: z.number(),
  staffing: z.number(),
  experience: z.number(),
  language: z.number(),
  fairness: z.number(),
  continuity: z.number(),
  stability: z.number(),
});

export const Plan = z.object({
  id: Id,
  municipalityId: Id,
  startsOn: LocalDate,
  endsOn: LocalDate,
  status: z.enum(['draft', 'published']),
  seed: z.number().int(),
  score: Score.describe('Each soft rule separately; higher is better'),
  shortfalls: z.array(
    z.object({
      sessionId: Id,
      assigned: z.number().int(),
      needed: z.number().int(),
      reasons: z.array(Reason),
      candidates: z.array(z.object({ guideId: Id, blockedBy: z.array(Reason) })),
    }),
  ),
  uncovered: z.array(
    z.object({ sessionId: Id, platform: z.enum(PLATFORMS), seniors: z.number().int(), reason: Reason }),
  ),
  iterations: z.number().int(),
  elapsedMs: z.number().int(),
  stoppedEarly: z
    .boolean()
    .describe('The time limit ended the search before its iterations were done: planning again may give a better plan'),
  createdAt: Instant,
  assignments: z.array(Assignment),
});

export const AssignBody = z.object({ guideId: Id });
export const PinBody = z.object({ pinned: z.boolean() });

export const Substitute = z.object({
  guideId: Id,
  gain: z.number().nullable().describe('What the guide adds to the session; null when something keeps them out'),
  why: z
    .array(Reason)
    .describe('For a guide free to come: what they bring (platforms, languages, the venue, fewest hours)'),
  blockedBy: z.array(Reason),
});
