import { Column, Entity, Index } from 'typeorm';
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
  @InstantColumn() createdAt: Date;
  @InstantColumn({ nullable: true }) publishedAt: Date | null;
  @RefTo(() => Organisation, 'municipality_id') readonly municipality?: Organisation;
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
  @Column('varchar', { length: 10 }) source: 'engine' | 'manual';
  /** Why this guide, in the engine's words. */
  @Column('simple-json') reasons: string[];
  @Column('varchar', { length: 36, nullable: true }) planId: string | null;
  @InstantColumn() createdAt: Date;
  @InstantColumn() updatedAt: Date;
  @InstantColumn({ nullable: true }) publishedAt: Date | null;
  @RefTo(() => Session, 'session_id', 'CASCADE') readonly session?: Session;
  @RefTo(() => Guide, 'guide_id') readonly guide?: Guide;
  @RefTo(() => Plan, 'plan_id') readonly plan?: Plan;
}
