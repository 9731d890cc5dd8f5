import { z } from 'zod';
import { PLATFORMS, TOPICS } from '../domain/vocabulary';
import { Id, IdParams, Instant, LocalDate, LocalTime, Reason } from './common';

export const QueueEntryParams = IdParams.extend({ entryId: Id });

export const QueueQuery = z.object({
  since: z
    .string()
    .regex(/^\d{1,9}\.[0-9a-f]{1,16}$/, 'must be a version from an earlier answer, such as 12.3f9c0a1b2d4e')
    .optional()
    .describe('The version you have: if the queue has not changed since, the answer is only { version, unchanged }'),
});
export const GuideQueueQuery = QueueQuery.extend({ token: z.string().min(10).max(300) });

/** A walk-in: their device and what they need; a first name only if they want to give one. */
const WalkIn = z.object({
  kind: z.literal('walk_in'),
  platform: z.enum(PLATFORMS),
  topic: z.enum(TOPICS),
  firstName: z
    .string()
    .trim()
    .max(40)
    .nullish()
    .transform((v) => v || null)
    .describe('Only if the visitor wants to give it; cleared when the café is reported'),
});
/** A registered senior with a seat at the café, checked in: by their seat (registrationId) or, for staff, by seniorId. */
const CheckIn = z.object({
  kind: z.literal('registered'),
  registrationId: Id.optional().describe("The seat's id, as seated[].registrationId gives it: give this or seniorId"),
  seniorId: Id.optional().describe(
    "The senior's id (staff); a guide's link knows only the seat of a senior it may not name",
  ),
});
export const AddToQueue = z.discriminatedUnion('kind', [WalkIn, CheckIn]);
export type AddToQueueInput = z.output<typeof AddToQueue>;

/**
 * The next step of an entry: helping (a guide takes it), done (Klar, with the topic helped with),
 * and back: waiting again (a mistaken take), helping again (a mistaken Klar), removed (a
 * mistaken check-in or walk-in, while waiting).
 */
export const QueueStep = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('helping'),
    guideId: Id.optional().describe("The guide on duty who helps; through a guide's link, that guide"),
  }),
  z.object({ status: z.literal('done'), topic: z.enum(TOPICS).describe('What the guide helped with') }),
  z.object({ status: z.literal('waiting') }),
  z.object({ status: z.literal('removed') }),
]);
export type QueueStepInput = z.output<typeof QueueStep>;

export const QueueEntry = z.object({
  id: Id,
  kind: z.enum(['registered', 'walk_in']),
  seniorId: Id.nullable().describe(
    "Null for a walk-in, and through a guide's link for a senior the guide may not name",
  ),
  name: z
    .string()
    .nullable()
    .describe(
      "A registered senior's display name, or a walk-in's first name if given. Through a guide's link: only the guide's own seniors (paired with them, or taken by them) and the walk-ins they take; null for the others",
    ),
  platform: z.enum(PLATFORMS).nullable(),
  topic: z.enum(TOPICS).nullable(),
  status: z.enum(['waiting', 'helping', 'done', 'removed']).describe('removed: only in the answer to a removal'),
  guideId: Id.nullable(),
  createdAt: Instant,
  startedAt: Instant.nullable(),
  doneAt: Instant.nullable(),
  doneTopic: z.enum(TOPICS).nullable(),
  suggestedGuideId: Id.nullable().describe(
    "For a waiting entry: the guide the café's pairing gives a senior with a seat, if free; else the free guide on duty who knows the device, by the pairing's preferences",
  ),
  suggestionReasons: z.array(Reason).describe('Why that guide, as the pairing says it (pair_* codes)'),
});

export const Queue = z.object({
  version: z.string(),
  unchanged: z.literal(false),
  sessionId: Id,
  localDate: LocalDate,
  startTime: LocalTime,
  endTime: LocalTime,
  venue: z.string(),
  status: z.enum(['scheduled', 'cancelled']),
  guides: z
    .array(
      z.object({
        guideId: Id,
        name: z.string(),
        platforms: z.array(z.enum(PLATFORMS)),
        helping: z.boolean(),
        helped: z.number().int().describe('Visitors this guide has helped or is helping at this café'),
      }),
    )
    .describe('The guides on duty (the published schedule)'),
  seated: z
    .array(
      z.object({
        registrationId: Id.describe('The seat: check in by it'),
        seniorId: Id.nullable().describe("Null through a guide's link for a senior the guide may not name"),
        displayName: z
          .string()
          .nullable()
          .describe("Null through a guide's link for a senior the café's pairing gives another guide"),
        platforms: z.array(z.enum(PLATFORMS)).describe('The devices they bring'),
        topic: z.enum(TOPICS).nullable().describe('What they want help with'),
        checkedIn: z.boolean(),
      }),
    )
    .describe('Seniors with a seat: check them in with one tap'),
  entries: z.array(QueueEntry),
});
export const QueueUnchanged = z.object({ version: z.string(), unchanged: z.literal(true) });
export const QueueAnswer = z.union([Queue, QueueUnchanged]);
