import { Session, SessionSeries } from './session';
import { Organisation } from './organisation';
import { Column, Entity, Index } from 'typeorm';
import { IdColumn, InstantColumn, RefTo } from '../columns';
import type {
  AgeBand,
  ConsentMethod,
  DeviceKind,
  Gender,
  Platform,
  RegistrationStatus,
  Topic,
} from '../../domain/vocabulary';

export interface Device {
  platform: Platform;
  kind: DeviceKind;
}

/**
 * The least data that works: a display name (first name or initials), a way to reach them,
 * and what they bring. Age band, gender and "newly arrived" are optional, for reports only.
 */
@Entity('seniors')
@Index(['municipalityId'])
export class Senior {
  @IdColumn() id: string;
  /** Raised by every change; an edit made on an older copy is refused (409), not lost. */
  @Column('integer', { default: 1 }) version: number;
  @Column('varchar', { length: 36 }) municipalityId: string;
  @Column('varchar', { length: 60 }) displayName: string;
  /** The display name folded to lower case in Swedish, made here: sqlite's LOWER() knows only A–Z, not Å, Ä, Ö. */
  @Column('varchar', { length: 60 }) searchName: string;
  @Column('varchar', { length: 40, nullable: true }) phone: string | null;
  @Column('varchar', { length: 254, nullable: true }) email: string | null;
  @Column('varchar', { length: 10 }) preferredLanguage: string;
  @Column('simple-json') devices: Device[];
  @Column('simple-json') topics: Topic[];
  @InstantColumn() consentGivenAt: Date;
  /** How the senior gave consent: orally (on the phone, at the desk), on paper, or themselves online. */
  @Column('varchar', { length: 10, nullable: true }) consentMethod: ConsentMethod | null;
  @Column('varchar', { length: 10, nullable: true }) ageBand: AgeBand | null;
  @Column('varchar', { length: 10, nullable: true }) gender: Gender | null;
  @Column('boolean', { nullable: true }) newlyArrived: boolean | null;
  /** Set when the senior's personal data was erased (on request or by the retention rule). */
  @InstantColumn({ nullable: true }) erasedAt: Date | null;
  @InstantColumn() createdAt: Date;
  @InstantColumn() updatedAt: Date;
  @RefTo(() => Organisation, 'municipality_id') readonly municipality?: Organisation;
}

/** A senior's seat (or place in the queue) at one session. One row per senior and session. */
@Entity('registrations')
@Index(['sessionId', 'seniorId'], { unique: true })
@Index(['sessionId', 'queueNumber'], { unique: true })
@Index(['seniorId'])
export class Registration {
  @IdColumn() id: string;
  @Column('varchar', { length: 36 }) sessionId: string;
  @Column('varchar', { length: 36 }) seniorId: string;
  @Column('varchar', { length: 12 }) status: RegistrationStatus;
  @Column('simple-json') devices: Device[];
  @Column('varchar', { length: 30, nullable: true }) topic: Topic | null;
  /** When the senior signed up (again). */
  @InstantColumn() queuedAt: Date;
  /**
   * Place in the session's queue: 1, 2, 3 … in the order of signing up, never reused. Seats and
   * the waiting list go by it; a timestamp could tie.
   */
  @Column('integer') queueNumber: number;
  @InstantColumn({ nullable: true }) cancelledAt: Date | null;
  /** The regular place this seat comes from, if any: ending the regular place cancels it. */
  @Column('varchar', { length: 36, nullable: true }) regularId: string | null;
  @InstantColumn() createdAt: Date;
  @InstantColumn() updatedAt: Date;
  @RefTo(() => Session, 'session_id') readonly session?: Session;
  @RefTo(() => Senior, 'senior_id') readonly senior?: Senior;
}

/**
 * A regular: a senior's standing place at a café, from a date (and until one). Every future
 * session of the series gets a registration, seated where seats allow and waiting elsewhere;
 * sessions the series makes later get one too.
 */
@Entity('regulars')
@Index(['seriesId'])
@Index(['seniorId'])
export class Regular {
  @IdColumn() id: string;
  @Column('varchar', { length: 36 }) seniorId: string;
  @Column('varchar', { length: 36 }) seriesId: string;
  @Column('date') fromDate: string;
  @Column('date', { nullable: true }) toDate: string | null;
  @InstantColumn() createdAt: Date;
  @InstantColumn() updatedAt: Date;
  @RefTo(() => Senior, 'senior_id', 'CASCADE') readonly senior?: Senior;
  @RefTo(() => SessionSeries, 'series_id', 'CASCADE') readonly series?: SessionSeries;
}
