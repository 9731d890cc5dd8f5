import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { IdColumn, InstantColumn } from '../columns';
import { Session } from './session';

export interface OutboxAttachment {
  filename: string;
  contentType: string;
  content: string;
}

/**
 * An e-mail on its way. Written in the same transaction as the change that causes it, then
 * delivered by the worker; the idempotency key makes a second write of the same message a no-op.
 */
@Entity('outbox_messages')
@Index(['idempotencyKey'], { unique: true })
@Index(['status', 'nextAttemptAt'])
@Index(['toAddress', 'status'])
@Index(['guideId', 'status'])
export class OutboxMessage {
  @IdColumn() id: string;
  @Column('varchar', { length: 200 }) idempotencyKey: string;
  @Column('varchar', { length: 40 }) kind: string;
  @Column('varchar', { length: 36, nullable: true }) municipalityId: string | null;
  @Column('varchar', { length: 254 }) toAddress: string;
  /** The guide it goes to, if a guide: a corrected address reaches their waiting and resent messages. */
  @Column('varchar', { length: 36, nullable: true }) guideId: string | null;
  @Column('varchar', { length: 200 }) fromName: string;
  /** Where a reply goes: the association's address, so a guide's answer reaches people. */
  @Column('varchar', { length: 254, nullable: true }) replyTo: string | null;
  @Column('varchar', { length: 300 }) subject: string;
  @Column('text') text: string;
  @Column('text') html: string;
  @Column('simple-json') attachments: OutboxAttachment[];
  /** `superseded`: withdrawn unsent, because a newer message about the same events was queued. */
  @Column('varchar', { length: 12 }) status: 'queued' | 'sending' | 'sent' | 'failed' | 'superseded';
  /** The calendar events the message is about, each as `<uid>#<revision>`; empty for other mail. */
  @Column('simple-json', { default: '[]' }) about: string[];
  @Column('integer') attempts: number;
  @InstantColumn() nextAttemptAt: Date;
  /** While a worker holds the message; past it, another worker may take it over. */
  @InstantColumn({ nullable: true }) leaseUntil: Date | null;
  @Column('varchar', { length: 500, nullable: true }) lastError: string | null;
  @InstantColumn() createdAt: Date;
  @InstantColumn({ nullable: true }) sentAt: Date | null;
}

/**
 * A café a message is about (a schedule, a reminder, a request to take a place), so a
 * coordinator can find a café's mail. Goes with the café if the café is ever deleted.
 */
@Entity('outbox_message_sessions')
@Index(['sessionId'])
export class OutboxSession {
  @PrimaryColumn('varchar', { length: 36 }) messageId: string;
  @PrimaryColumn('varchar', { length: 36 }) sessionId: string;
  @ManyToOne(() => OutboxMessage, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id' })
  readonly message?: OutboxMessage;
  @ManyToOne(() => Session, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  readonly session?: Session;
}
