import { z } from 'zod';
import { AGE_BANDS, GENDERS, PLATFORMS, TOPICS } from '../domain/vocabulary';
import { Id, Instant, LocalDate, LocalTime } from './common';
import { SeniorFields } from './people';

const Count = z.number().int().min(0).max(500);

/** Topics by platform: how many were helped with a topic on a platform (a cell of the cross table). */
const HelpCell = z.object({ platform: z.enum(PLATFORMS), topic: z.enum(TOPICS), count: Count });
const TopicsByPlatform = z
  .array(HelpCell)
  .max(PLATFORMS.length * TOPICS.length)
  .describe(
    'Topics by platform: each platform × topic with its count. Per platform the counts add up to help.platforms, per topic to help.topics',
  );

const GuideWork = z
  .object({
    guideId: Id,
    status: z.enum(['worked', 'no_show']).default('worked'),
    start: LocalTime.optional().describe('When the guide actually started, local time'),
    end: LocalTime.optional(),
    approved: z
      .boolean()
      .default(false)
      .describe(
        "A coordinator approves a worked time outside the café's time and its margin (the form's earliest and latest)",
      ),
  })
  .superRefine((g, ctx) => {
    if (g.status !== 'worked') return;
    if (!g.start) ctx.addIssue({ code: 'custom', path: ['start'], message: 'a guide who worked needs a start time' });
    if (!g.end) ctx.addIssue({ code: 'custom', path: ['end'], message: 'a guide who worked needs an end time' });
    if (g.start && g.end && g.end <= g.start)
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be after start' });
  });

/** The one-minute form after a café. */
export const ReportBody = z.object({
  came: z
    .array(Id)
    .max(100)
    .default([])
    .describe('Registered seniors who came; the other seated ones are recorded as no-shows'),
  walkIns: z
    .object({
      seniorIds: z.array(Id).max(100).default([]).describe('Returning seniors, picked from the list'),
      newSeniors: z
        .array(SeniorFields)
        .max(30)
        .default([])
        .describe('New seniors with the least data (they agreed to it)'),
      anonymous: z
        .array(
          z.object({
            count: z.number().int().min(1).max(100),
            ageBand: z.enum(AGE_BANDS).nullish(),
            gender: z.enum(GENDERS).nullish(),
            newlyArrived: z.boolean().nullish(),
            helpedByGuideId: Id.nullish().describe('The guide who helped these walk-ins'),
          }),
        )
        .max(20)
        .default([])
        .describe('Walk-ins who gave no name: a count, with an age band and whether newly arrived if known'),
    })
    .default({ seniorIds: [], newSeniors: [], anonymous: [] }),
  help: z
    .object({
      topics: z.partialRecord(z.enum(TOPICS), Count).default({}),
      platforms: z.partialRecord(z.enum(PLATFORMS), Count).default({}),
      topicsByPlatform: TopicsByPlatform.nullish().describe(
        'Topics by platform (left out or null: the session is not broken down). Per platform the counts add up to help.platforms, per topic to help.topics, or the report is refused (422)',
      ),
    })
    .default({ topics: {}, platforms: {} })
    .describe('What the guides helped with, as counts'),
  guides: z
    .array(GuideWork)
    .max(10)
    .default([])
    .describe('Each guide on duty (or who came instead); guides on the schedule left out are recorded as no-shows'),
  dayReport: z.string().trim().max(2000).nullish().describe('A few lines about the day; no names of seniors'),
  helpedBy: z
    .array(z.object({ seniorId: Id, guideId: Id }))
    .max(130)
    .default([])
    .describe('Who helped whom: a senior who came (with a seat or a known walk-in) and the guide who helped them'),
});
export type ReportInput = z.output<typeof ReportBody>;

export const CorrectReportBody = ReportBody.extend({
  revision: z
    .number()
    .int()
    .min(1)
    .describe('The revision being corrected, from GET: a correction made on an old copy is refused'),
});

export const SessionReport = z.object({
  id: Id,
  sessionId: Id,
  revision: z.number().int(),
  localDate: LocalDate,
  seniors: z.array(
    z.object({
      seniorId: Id.nullable(),
      kind: z.enum(['registered', 'walk_in']),
      present: z.boolean(),
      count: z.number().int(),
      helpedByGuideId: Id.nullable(),
    }),
  ),
  guides: z.array(
    z.object({
      guideId: Id,
      status: z.enum(['worked', 'no_show']),
      substitute: z.boolean(),
      startedAt: Instant.nullable(),
      endedAt: Instant.nullable(),
      minutes: z.number().int(),
      approved: z.boolean().describe("Outside the café's time and its margin, approved by a coordinator"),
    }),
  ),
  help: z.object({
    topics: z.record(z.string(), z.number().int()),
    platforms: z.record(z.string(), z.number().int()),
    topicsByPlatform: TopicsByPlatform.nullable().describe(
      'Null where the session was reported with help but without topics by platform (not broken down)',
    ),
  }),
  dayReport: z.string().nullable(),
  createdAt: Instant,
  updatedAt: Instant,
});

export const ReportParams = z.object({
  id: Id,
  period: z
    .string()
    .regex(/^(\d{4})(-(0[1-9]|1[0-2])|-Q[1-4])?$/, 'must be a month (2027-03), a quarter (2027-Q1) or a year (2027)')
    .refine((p) => p >= '1900' && p < '2200', 'must be a year between 1900 and 2199'),
});

const Cell = z
  .union([z.number(), z.literal('<3'), z.literal('x')])
  .describe(
    'A count of seniors; fewer than 3 (but some) is "<3", and "x" hides a cell from which a "<3" could be worked out',
  );
const Cells = z.record(z.string(), Cell);
const Scope = z.object({
  sessions: z
    .object({
      planned: z.number().int(),
      held: z.number().int().describe('Took place and reported'),
      unreported: z.number().int().describe('Over, not cancelled, and no report yet'),
      cancelled: z.number().int(),
      upcoming: z.number().int().describe('Not over yet'),
    })
    .describe('planned = held + unreported + cancelled + upcoming'),
  visits: Cell,
  registeredVisits: Cell,
  walkInVisits: Cell,
  anonymousVisits: Cell,
  uniqueVisitors: Cell,
  repeatVisitors: Cell,
  helpedAgain: Cell.describe('Seniors helped by a guide who had helped them at an earlier café'),
  sinceContractStart: z.object({ uniqueVisitors: Cell, repeatVisitors: Cell }),
  ageBands: Cells,
  gender: Cells,
  newlyArrived: Cell,
  newlyArrivedShare: z.number().nullable(),
  seniorNoShows: Cell,
  topics: Cells,
  platforms: Cells,
  topicsByPlatform: z
    .object({
      cells: z
        .record(z.string(), Cells)
        .describe('By platform, then topic: how many were helped with that topic on that platform'),
      sessionsNotBrokenDown: z
        .number()
        .int()
        .describe(
          'Cafés reported with topics or platforms but not topics by platform (reported before it was asked): their help is in topics and platforms only',
        ),
    })
    .describe('Topics by platform; each cell is suppressed like the other counts'),
  guideShifts: z.number().int(),
  guideHours: z.number(),
  guideNoShows: z.number().int(),
  seniorsPerGuide: z.number().nullable(),
});
export const Report = z.object({
  period: z.string(),
  from: LocalDate,
  to: LocalDate,
  contract: z.object({ id: Id, reference: z.string().nullable(), startsOn: LocalDate, endsOn: LocalDate }),
  municipality: z.object({ id: Id, name: z.string() }),
  association: z.object({ id: Id, name: z.string() }),
  total: Scope.extend({
    cancelReasons: z.array(z.object({ reason: z.string(), sessions: z.number().int() })),
    unreportedSessions: z
      .array(z.object({ sessionId: Id, localDate: LocalDate, startTime: z.string(), venue: z.string() }))
      .describe('The cafés that are over with no report yet, for the association to report'),
  }),
  venues: z.array(Scope.extend({ venueId: Id, name: z.string() })),
  guides: z
    .array(
      z.object({
        guideId: Id,
        name: z.string(),
        shifts: z.number().int(),
        hours: z.number(),
        noShows: z.number().int(),
        substituteShifts: z.number().int(),
      }),
    )
    .describe("Hours of the association's guides: the basis for pay and the invoice"),
});

export const GuideTokenOnly = z.object({ token: z.string().min(10).max(300) });
export const ReportForm = z.object({
  sessionId: Id,
  localDate: LocalDate,
  startTime: LocalTime,
  endTime: LocalTime,
  earliest: LocalTime.describe('A worked time may start from this without a coordinator approving it'),
  latest: LocalTime.describe('…and end by this'),
  venue: z.string(),
  seated: z
    .array(
      z.object({
        seniorId: Id.describe(
          "Through a guide's link, for a senior the guide may not name: the seat's id instead; send it back as given",
        ),
        displayName: z
          .string()
          .nullable()
          .describe(
            "Null through a guide's link for a senior the café's pairing gives another guide, and outside the day before to the day after the café",
          ),
      }),
    )
    .describe('Seniors with a seat: tick those who came'),
  guides: z
    .array(z.object({ guideId: Id, name: z.string() }))
    .describe('Guides on the schedule: give their times, or mark them no-show'),
  revision: z.number().int().nullable().describe('Null until reported; a correction names it'),
  current: z
    .object({
      came: z.array(Id),
      walkIns: z.object({
        seniors: z.array(
          z.object({
            seniorId: Id,
            displayName: z
              .string()
              .nullable()
              .describe("Null through a guide's link, except for the walk-ins that guide helped"),
          }),
        ),
        anonymous: z.array(
          z.object({
            count: z.number().int(),
            ageBand: z.enum(AGE_BANDS).nullable(),
            gender: z.enum(GENDERS).nullable(),
            newlyArrived: z.boolean().nullable(),
            helpedByGuideId: Id.nullable(),
          }),
        ),
      }),
      helpedBy: z.array(z.object({ seniorId: Id, guideId: Id })),
      help: z.object({
        topics: z.record(z.string(), z.number().int()),
        platforms: z.record(z.string(), z.number().int()),
        topicsByPlatform: TopicsByPlatform.nullable(),
      }),
      guides: z.array(
        z.object({
          guideId: Id,
          status: z.enum(['worked', 'no_show']),
          start: LocalTime.nullable(),
          end: LocalTime.nullable(),
        }),
      ),
      dayReport: z.string().nullable(),
    })
    .nullable()
    .describe(
      'What is recorded so far: a correction starts from it (send walk-ins back by id, never as new seniors again)',
    ),
  fromQueue: z
    .object({
      came: z.array(Id).describe('Seniors with a seat who were checked in'),
      walkIns: z.array(
        z.object({
          platform: z.enum(PLATFORMS).nullable(),
          topic: z.enum(TOPICS).nullable(),
          helpedByGuideId: Id.nullable(),
        }),
      ),
      helpedBy: z.array(z.object({ seniorId: Id, guideId: Id })),
      help: z.object({
        topics: z.record(z.string(), z.number().int()),
        platforms: z.record(z.string(), z.number().int()),
        topicsByPlatform: TopicsByPlatform.nullable().describe(
          'Null when a visitor helped lacks a platform or a topic: then the counts cannot be broken down',
        ),
      }),
    })
    .nullable()
    .describe(
      "The café's live queue as the form's answers (null if nobody was in the queue): a new report starts from it",
    ),
});
export const SeniorSearch = GuideTokenOnly.extend({
  q: z.string().trim().min(2).max(60).describe('The start of a display name'),
});
export const SeniorPick = z.object({ items: z.array(z.object({ id: Id, displayName: z.string() })) });
