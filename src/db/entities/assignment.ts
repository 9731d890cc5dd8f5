import { Column, Entity, Index } from 'typeorm';
import type { Reason } from '../../domain/matching/reasons';
import { IdColumn, InstantColumn, RefTo } from '../columns';
import { Organisation } from './organisation';
import { Guide } from './guide';
import { Session } from './session';

/** One run of the matching engine over a period: its scores and what it could not do. */
@Entity('plans')
@Index(['municipalityId', 'createdAt'])
export class Plan {
  @IdColumn() id: string;
  @Column('varchar', { length: 36 }) municipalityId: string;
  @Column('date') startsOn: string;
  @Column('date') endsOn: string;
  @Column('varchar', { length: 12 }) status: 'draft' | 'published';
  @Column('integer') seed: number;
  /** The score, part by part (see src/domain/matching/types.ts). */
  @Column('simple-json') score: Record<string, number>;
  /** Sessions below their minimum, with the reasons and the nearest candidates (ids, no names). */
  @Column('simple-json') shortfalls: object[];
  @Column('simple-json') uncovered: object[];
  @Column('integer') iterations: number;
  @Column('integer') elapsedMs: number;
  /** The time limit ended the engine's search before its iterations were done: planning again may do better. */
  @Column('boolean', { default: false }) stoppedEarly: boolean;
  @InstantColumn() createdAt: Date;
  @InstantColumn({ nullable: true }) publishedAt: Date | null;
  @RefTo(() => Organisation, 'municipality_id') readonly municipality?: Organisation;
}

export interface NotifiedState {
  startsAt: string;
  endsAt: string;
  venueId: string;
  /** The venue's name and address as told (absent in notices from before it was kept). */
  place?: string;
  cancelled: boolean;
}

/** A guide on duty at a session. A draft until published; pinned ones are kept by the engine. */
@Entity('assignments')
@Index(['sessionId', 'guideId'], { unique: true })
@Index(['guideId'])
export class Assignment {
  @IdColumn() id: string;
  @Column('varchar', { length: 36 }) sessionId: string;
  @Column('varchar', { length: 36 }) guideId: string;
  @Column('varchar', { length: 12 }) status: 'draft' | 'published';
  @Column('boolean') pinned: boolean;
  @Column('varchar', { length: 10 }) source: 'engine' | 'manual' | 'substitute';
  /** Why this guide: the engine's reason codes with their parameters. */
  @Column('simple-json') reasons: Reason[];
  @Column('varchar', { length: 36, nullable: true }) planId: string | null;
  @InstantColumn() createdAt: Date;
  @InstantColumn() updatedAt: Date;
  @InstantColumn({ nullable: true }) publishedAt: Date | null;
  /** What the guide was last told (time, place, cancelled); null until the first notice. */
  @Column('simple-json', { nullable: true }) notified: NotifiedState | null;
  @InstantColumn({ nullable: true }) notifiedAt: Date | null;
  /** The calendar event's SEQUENCE: one up with every notice, so phones take the newest. */
  @Column('integer', { default: 0 }) sequence: number;
  /** The guide's answer to the latest notice; a change of time or place asks again. */
  @Column('varchar', { length: 10, default: 'pending' }) response: 'pending' | 'confirmed';
  @InstantColumn({ nullable: true }) respondedAt: Date | null;
  /** What keeps the guide from this session since a later change (reason codes); null while nothing does. */
  @Column('simple-json', { nullable: true }) conflict: Reason[] | null;
  @RefTo(() => Session, 'session_id', 'CASCADE') readonly session?: Session;
  @RefTo(() => Guide, 'guide_id') readonly guide?: Guide;
  @RefTo(() => Plan, 'plan_id') readonly plan?: Plan;
}

/**
 * A place a guide gave up (declined) that is offered to others: the first to accept gets it.
 * Kept after it is filled, as the record of the decline.
 */
@Entity('vacancies')
@Index(['sessionId'])
@Index(['municipalityId', 'createdAt'])
@Index(['declinedAssignmentId'], { unique: true })
export class Vacancy {
  @IdColumn() id: string;
  @Column('varchar', { length: 36 }) municipalityId: string;
  @Column('varchar', { length: 36 }) sessionId: string;
  /** The assignment that was declined (its row is gone); lets a second click find its answer. */
  @Column('varchar', { length: 36 }) declinedAssignmentId: string;
  @Column('varchar', { length: 36 }) declinedGuideId: string;
  @Column('varchar', { length: 10 }) status: 'open' | 'filled' | 'closed';
  @Column('varchar', { length: 36, nullable: true }) filledByGuideId: string | null;
  @InstantColumn() createdAt: Date;
  @InstantColumn({ nullable: true }) filledAt: Date | null;
  @RefTo(() => Session, 'session_id', 'CASCADE') readonly session?: Session;
  @RefTo(() => Guide, 'declined_guide_id') readonly declinedGuide?: Guide;
}

/** A guide asked to take a vacancy; the link in their e-mail names this row. */
@Entity('substitute_offers')
@Index(['vacancyId', 'guideId'], { unique: true })
@Index(['guideId'])
export class SubstituteOffer {
  @IdColumn() id: string;
  @Column('varchar', { length: 36 }) vacancyId: string;
  @Column('varchar', { length: 36 }) guideId: string;
  @InstantColumn() createdAt: Date;
  @RefTo(() => Vacancy, 'vacancy_id', 'CASCADE') readonly vacancy?: Vacancy;
  @RefTo(() => Guide, 'guide_id') readonly guide?: Guide;
}
