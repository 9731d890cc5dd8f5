import { z } from 'zod';
import { isValidIsoWeek } from '../domain/time';
import { Id, Instant, LocalDate, Reason } from './common';
import { Device, Registration } from './people';
import { Session } from './planning';

export const WeekParams = z.object({
  id: Id,
  week: z.string().refine(isValidIsoWeek, 'must be an ISO week that exists, such as 2026-W49'),
});

const Counts = z.record(z.string(), z.number().int());

export const WeekView = z.object({
  municipalityId: Id,
  week: z.string(),
  from: LocalDate,
  to: LocalDate,
  sessions: z.array(
    Session.extend({
      venue: z.object({ id: Id, name: z.string(), address: z.string() }),
      durationMinutes: z.number().int(),
      confirmed: z.number().int(),
      waitlisted: z.number().int(),
      seatsLeft: z.number().int(),
      platformDemand: Counts.describe('Seniors with a seat, per platform they bring'),
      languageDemand: Counts.describe('Preferred languages other than Swedish'),
      topicDemand: Counts,
      guides: z
        .array(
          z.object({
            assignmentId: Id,
            guideId: Id,
            name: z.string(),
            status: z.enum(['draft', 'published']),
            pinned: z.boolean(),
            response: z.enum(['pending', 'confirmed']).describe('Whether the guide has confirmed'),
            conflict: z
              .array(Reason)
              .nullable()
              .describe('What keeps the guide from the session since a later change; null while nothing does'),
          }),
        )
        .describe('Guides on duty'),
      openPlaces: z
        .array(
          z.object({
            guide: z.string().describe('The guide who gave the place up'),
            asked: z.array(z.string()).describe('The guides asked to take it; the first to answer gets it'),
            since: Instant,
          }),
        )
        .describe('Places given up (a decline, an absence) that no one has taken yet'),
      pairs: z
        .array(z.object({ seniorId: Id, guideId: Id.nullable(), reasons: z.array(Reason) }))
        .describe(
          'Who helps whom: each senior with a seat and the guide on duty paired with them, with why (only for those who may see the seniors; null guide when the café has none)',
        ),
      registrations: z.array(
        Registration.pick({ id: true, seniorId: true, displayName: true, status: true, topic: true }).extend({
          devices: z.array(Device),
        }),
      ),
    }),
  ),
  totals: z.object({
    sessions: z.number().int(),
    scheduled: z.number().int(),
    cancelled: z.number().int(),
    confirmed: z.number().int(),
    waitlisted: z.number().int(),
    platformDemand: Counts,
  }),
});
