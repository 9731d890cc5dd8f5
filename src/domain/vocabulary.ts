/** The closed vocabularies of the domain. The API, the database and the engine share these lists. */

export const PLATFORMS = ['ios', 'ipados', 'android', 'windows', 'macos', 'chromeos'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const DEVICE_KINDS = ['phone', 'tablet', 'computer'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export const SKILL_LEVELS = ['basic', 'good', 'expert'] as const;
export type SkillLevel = (typeof SKILL_LEVELS)[number];

/** CEFR-like levels, used for a guide's Swedish and other languages. */
export const LANGUAGE_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'native'] as const;
export type LanguageLevel = (typeof LANGUAGE_LEVELS)[number];

export const VENUE_KINDS = ['library', 'meeting_point', 'senior_home', 'other'] as const;
export type VenueKind = (typeof VENUE_KINDS)[number];

export const EQUIPMENT = ['computers', 'scanner', 'wifi', 'printer', 'projector', 'charging'] as const;
export type Equipment = (typeof EQUIPMENT)[number];

export const ORGANISATION_KINDS = ['municipality', 'association'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const REPORTING_PERIODS = ['month', 'quarter', 'year'] as const;
export type ReportingPeriod = (typeof REPORTING_PERIODS)[number];

/** When a change keeps a guide from a published café: ask the coordinator, or release the place at once. */
export const CONFLICT_POLICIES = ['ask', 'release'] as const;
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number];

export const SESSION_STATUSES = ['scheduled', 'cancelled'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** Why a session is cancelled: the coordinator did it, or the calendar (a holiday, a closure, a changed series) did. */
export const CANCEL_SOURCES = ['coordinator', 'holiday', 'closure', 'series_changed'] as const;
export type CancelSource = (typeof CANCEL_SOURCES)[number];

export const REGISTRATION_STATUSES = ['confirmed', 'waitlisted', 'cancelled'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

export const AGE_BANDS = ['under_65', '65_74', '75_plus'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const GENDERS = ['woman', 'man', 'other'] as const;
export type Gender = (typeof GENDERS)[number];

export const TOPICS = [
  'bankid',
  'e_health',
  'banking_swish',
  'municipal_services',
  'travel_tickets',
  'email',
  'social_media',
  'video_calls',
  'photos_cloud',
  'updates_transfer',
  'web_search',
  'ebooks',
  'scam_safety',
  'other',
] as const;
export type Topic = (typeof TOPICS)[number];

export const DEFAULT_TIME_ZONE = 'Europe/Stockholm';

/** How a senior gave consent to be kept in the register. */
export const CONSENT_METHODS = ['oral', 'paper', 'digital'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/** The kinds of e-mail Bryggan sends; each has a preview. */
export const MESSAGE_KINDS = [
  'weekly',
  'schedule_update',
  'schedule_cancel',
  'schedule_removed',
  'declined',
  'reminder',
  'substitute_request',
  'decline_notice',
  'digest',
  'report_reminder',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** A guide's answers to a session, from the links in their mail or page. */
export const ANSWERS = ['confirm', 'decline', 'take'] as const;
export type Answer = (typeof ANSWERS)[number];

/** The scheduled jobs, each run once per tick across instances. */
export const JOB_NAMES = ['weekly', 'reminders', 'digest', 'reports', 'catch-up', 'retention'] as const;
export type JobName = (typeof JOB_NAMES)[number];
