import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IdColumn, InstantColumn, RefTo } from '../columns';
import type { AgeBand, Gender, Platform, Topic } from '../../domain/vocabulary';
import { Guide } from './guide';
import { Session } from './session';

/**
 * What happened at one session, written after the café: one per session. Corrections raise the
 * revision (the audit log says who and when). The session's municipality, venue and local date
 * are copied onto every row below, so a report is a few GROUP BYs over one index.
 */
@Entity('session_reports')
@Index(['sessionId'], { unique: true })
@Index(['municipalityId', 'localDate'])
export class SessionReport {
  @IdColumn() id: string;
  @Column('varchar', { length: 36 }) sessionId: string;
  @Column('varchar', { length: 36 }) municipalityId: string;
  @Column('varchar', { length: 36 }) venueId: string;
  @Column('date') localDate: string;
  @Column('integer') revision: number;
  /** The guides' few lines about the day. Never a senior's name, by the form's own words. */
  @Column('varchar', { length: 2000, nullable: true }) dayReport: string | null;
  @InstantColumn() createdAt: Date;
  @InstantColumn() updatedAt: Date;
  @RefTo(() => Session, 'session_id') readonly session?: Session;
}

/**
 * Seniors at a session: a registered senior who came or did not (no-show), a walk-in known to
 * us, or a group of anonymous walk-ins (`count` of them, with an age band and whether newly
 * arrived). Age band, gender and "newly arrived" are copied at the time, so reports need no
 * personal data and erasing a senior changes no count.
 */
@Entity('attendances')
@Index(['municipalityId', 'localDate'])
@Index(['reportId'])
@Index(['seniorId'])
export class Attendance {
  @IdColumn() id: string;
  @Column('varchar', { length: 36 }) reportId: string;
  @Column('varchar', { length: 36 }) sessionId: string;
  @Column('varchar', { length: 36 }) municipalityId: string;
  @Column('varchar', { length: 36 }) venueId: string;
  @Column('date') localDate: string;
  /** Null for anonymous walk-ins. */
  @Column('varchar', { length: 36, nullable: true }) seniorId: string | null;
  @Column('varchar', { length: 12 }) kind: 'registered' | 'walk_in';
  @Column('boolean') present: boolean;
  @Column('integer') count: number;
  @Column('varchar', { length: 10, nullable: true }) ageBand: AgeBand | null;
  @Column('varchar', { length: 10, nullable: true }) gender: Gender | null;
  @Column('boolean', { nullable: true }) newlyArrived: boolean | null;
  /** The guide who helped this senior (or this one walk-in), where the form or the queue says so. */
  @Column('varchar', { length: 36, nullable: true }) helpedByGuideId: string | null;
  @RefTo(() => SessionReport, 'report_id', 'CASCADE') readonly report?: SessionReport;
  @RefTo(() => Guide, 'helped_by_guide_id') readonly helpedBy?: Guide;
}

/** Topics and platforms the guides helped with at a session, as counts. */
@Entity('report_help')
@Index(['municipalityId', 'localDate'])
export class ReportHelp {
  @PrimaryColumn('varchar', { length: 36 }) reportId: string;
  @PrimaryColumn('varchar', { length: 10 }) dimension: 'topic' | 'platform';
  @PrimaryColumn('varchar', { length: 30 }) key: string;
  @Column('varchar', { length: 36 }) municipalityId: string;
  @Column('varchar', { length: 36 }) venueId: string;
  @Column('date') localDate: string;
  @Column('integer') count: number;
  @RefTo(() => SessionReport, 'report_id', 'CASCADE') readonly report?: SessionReport;
}

/**
 * Topics by platform at a session: how many were helped with a topic on a platform. Only sessions
 * reported with the breakdown have rows; their per-platform and per-topic sums equal the session's
 * counts in report_help.
 */
@Entity('report_help_cells')
@Index(['municipalityId', 'localDate'])
export class ReportHelpCell {
  @PrimaryColumn('varchar', { length: 36 }) reportId: string;
  @PrimaryColumn('varchar', { length: 10 }) platform: Platform;
  @PrimaryColumn('varchar', { length: 30 }) topic: Topic;
  @Column('varchar', { length: 36 }) municipalityId: string;
  @Column('varchar', { length: 36 }) venueId: string;
  @Column('date') localDate: string;
  @Column('integer') count: number;
  @RefTo(() => SessionReport, 'report_id', 'CASCADE') readonly report?: SessionReport;
}

/** A guide's work at a session: the hours they are paid for, or a no-show. */
@Entity('guide_shifts')
@Index(['reportId', 'guideId'], { unique: true })
@Index(['municipalityId', 'localDate'])
@Index(['guideId', 'localDate'])
export class GuideShift {
  @IdColumn() id: string;
  @Column('varchar', { length: 36 }) reportId: string;
  @Column('varchar', { length: 36 }) sessionId: string;
  @Column('varchar', { length: 36 }) municipalityId: string;
  @Column('varchar', { length: 36 }) venueId: string;
  @Column('date') localDate: string;
  @Column('varchar', { length: 36 }) guideId: string;
  @Column('varchar', { length: 36 }) associationId: string;
  @Column('varchar', { length: 10 }) status: 'worked' | 'no_show';
  /** Came in place of someone: not on the published schedule. */
  @Column('boolean') substitute: boolean;
  @InstantColumn({ nullable: true }) startedAt: Date | null;
  @InstantColumn({ nullable: true }) endedAt: Date | null;
  @Column('integer') minutes: number;
  /** The coordinator who approved a time outside the café's time and its margin. */
  @Column('varchar', { length: 36, nullable: true }) approvedBy: string | null;
  @RefTo(() => SessionReport, 'report_id', 'CASCADE') readonly report?: SessionReport;
  @RefTo(() => Guide, 'guide_id') readonly guide?: Guide;
}
