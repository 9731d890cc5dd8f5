import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../columns';

/**
 * One row per scheduled job: which tick last ran, and who holds it now. Every instance's cron
 * fires; the one that moves `lastTick` forward runs the job, the others skip that tick.
 */
@Entity('job_runs')
export class JobRun {
  @PrimaryColumn('varchar', { length: 60 }) name: string;
  @InstantColumn({ nullable: true }) lastTick: Date | null;
  @Column('varchar', { length: 80, nullable: true }) holder: string | null;
  /** While the holder runs it; a crashed holder's lease runs out. */
  @InstantColumn({ nullable: true }) leaseUntil: Date | null;
  @InstantColumn({ nullable: true }) finishedAt: Date | null;
}

/** A row per running instance, written to prove that the database stores writes (at start, and after a write failed). */
@Entity('storage_probes')
export class StorageProbe {
  @PrimaryColumn('varchar', { length: 40 }) instance: string;
  @InstantColumn() writtenAt: Date;
  /** 64 KB written and cleared within the probe's transaction: room for a real write, not a few bytes. */
  @Column('text', { nullable: true }) room: string | null;
}
