import { Venue } from './venue';
import { Organisation } from './organisation';
import { Column, Entity, Index } from 'typeorm';
import { IdColumn, InstantColumn, RefTo } from '../columns';
import type { CancelSource, SessionStatus } from '../../domain/vocabulary';

/** A recurring café: the rule from which concrete sessions are made. */
@Entity('session_series')
@Index(['municipalityId'])
export class SessionSeries {
  @IdColumn() id: string;
  /** Raised by every change; an edit made on an older copy is refused (409), not lost. */
  @Column('integer', { default: 1 }) version: number;
  @Column('varchar', { length: 36 }) municipalityId: string;
  @Column('varchar', { length: 36 }) venueId: string;
  /** The association that runs the café; null when the municipality has one under contract. */
  @Column('varchar', { length: 36, nullable: true }) associationId: string | null;
  @Column('integer') weekday: number;
  @Column('varchar', { length: 5 }) startTime: string;
  @Column('integer') durationMinutes: number;
  @Column('varchar', { length: 64 }) timeZone: string;
  @Column('integer') intervalWeeks: number;
  @Column('date') anchorDate: string;
  @Column('date') firstDate: string;
  @Column('date') lastDate: string;
  @Column('integer') seats: number;
  @Column('integer') minGuides: number;
  @Column('integer') maxGuides: number;
  @Column('varchar', { length: 100, nullable: true }) theme: string | null;
  @Column('boolean') skipHolidays: boolean;
  /** An ended café: no longer listed or planned; its past sessions stay as history. */
  @InstantColumn({ nullable: true }) archivedAt: Date | null;
  @InstantColumn() createdAt: Date;
  @InstantColumn() updatedAt: Date;
  @RefTo(() => Organisation, 'municipality_id') readonly municipality?: Organisation;
  @RefTo(() => Venue, 'venue_id') readonly venue?: Venue;
}

/** One café at one venue, start to end. Instants in UTC; the local date kept for filtering by day. */
@Entity('sessions')
@Index(['municipalityId', 'localDate', 'startsAt', 'id'])
@Index(['venueId', 'localDate', 'startsAt', 'id'])
@Index(['seriesId', 'occurrenceDate'], { unique: true })
export class Session {
  @IdColumn() id: string;
  /** Raised by every change; an edit made on an older copy is refused (409), not lost. */
  @Column('integer', { default: 1 }) version: number;
  @Column('varchar', { length: 36 }) municipalityId: string;
  @Column('varchar', { length: 36 }) venueId: string;
  @Column('varchar', { length: 36, nullable: true }) associationId: string | null;
  /** Null for a one-off session. */
  @Column('varchar', { length: 36, nullable: true }) seriesId: string | null;
  /** The date the series rule yielded; stays when the session is moved. */
  @Column('date', { nullable: true }) occurrenceDate: string | null;
  @Column('date') localDate: string;
  @InstantColumn() startsAt: Date;
  @InstantColumn() endsAt: Date;
  @Column('varchar', { length: 64 }) timeZone: string;
  @Column('integer') seats: number;
  @Column('integer') minGuides: number;
  @Column('integer') maxGuides: number;
  @Column('varchar', { length: 100, nullable: true }) theme: string | null;
  @Column('varchar', { length: 20 }) status: SessionStatus;
  @Column('varchar', { length: 20, nullable: true }) cancelSource: CancelSource | null;
  @Column('varchar', { length: 500, nullable: true }) cancelReason: string | null;
  @InstantColumn({ nullable: true }) cancelledAt: Date | null;
  /** Moved or edited by hand: changes to its series no longer touch its time or venue. */
  @Column('boolean') detached: boolean;
  @InstantColumn() createdAt: Date;
  @InstantColumn() updatedAt: Date;
  @RefTo(() => Organisation, 'municipality_id') readonly municipality?: Organisation;
  @RefTo(() => Venue, 'venue_id') readonly venue?: Venue;
  @RefTo(() => SessionSeries, 'series_id') readonly series?: SessionSeries;
}
