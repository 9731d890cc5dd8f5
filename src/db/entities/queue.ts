import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IdColumn, InstantColumn, RefTo } from '../columns';
import type { Platform, Topic } from '../../domain/vocabulary';
import { Guide } from './guide';
import { Senior } from './senior';
import { Session } from './session';

export const QUEUE_STATUSES = ['waiting', 'helping', 'done', 'removed'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

/**
 * One visitor in a café's live queue: a registered senior checked in, or a walk-in (their
 * device, what they need, and a first name only if they gave one). waiting → helping (a guide,
 * from when) → done (when, and the topic helped with). `removed`: added by mistake; kept so
 * the queue's version only grows.
 */
@Entity('queue_entries')
@Index(['sessionId', 'position'])
export class QueueEntry {
  @IdColumn() id: string;
  @Column('varchar', { length: 36 }) sessionId: string;
  /** Its place in the café's queue: 1, 2, 3 … in the order they came (clocks may tie). */
  @Column('integer') position: number;
  @Column('varchar', { length: 12 }) kind: 'registered' | 'walk_in';
  /** The registered senior checked in; null for a walk-in. */
  @Column('varchar', { length: 36, nullable: true }) seniorId: string | null;
  @Column('varchar', { length: 20, nullable: true }) platform: Platform | null;
  /** What they need help with. */
  @Column('varchar', { length: 30, nullable: true }) topic: Topic | null;
  /** A walk-in's first name, if they gave one; cleared when the café is reported. */
  @Column('varchar', { length: 40, nullable: true }) firstName: string | null;
  @Column('varchar', { length: 10 }) status: QueueStatus;
  @Column('varchar', { length: 36, nullable: true }) guideId: string | null;
  @InstantColumn({ nullable: true }) startedAt: Date | null;
  @InstantColumn({ nullable: true }) doneAt: Date | null;
  /** The topic the guide helped with, said at Klar. */
  @Column('varchar', { length: 30, nullable: true }) doneTopic: Topic | null;
  @InstantColumn() createdAt: Date;
  @InstantColumn() updatedAt: Date;
  @RefTo(() => Session, 'session_id', 'CASCADE') readonly session?: Session;
  @RefTo(() => Senior, 'senior_id', 'CASCADE') readonly senior?: Senior;
  @RefTo(() => Guide, 'guide_id') readonly guide?: Guide;
}

/** A café's queue version: raised by every change, so a phone that polls learns cheaply that nothing changed. */
@Entity('session_queues')
export class SessionQueue {
  @PrimaryColumn('varchar', { length: 36 }) sessionId: string;
  @Column('integer') version: number;
  @RefTo(() => Session, 'session_id', 'CASCADE') readonly session?: Session;
}
