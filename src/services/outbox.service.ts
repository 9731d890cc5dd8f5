import { Brackets, type EntityManager, In } from 'typeorm';
import type { LinkSigner } from '../lib/tokens';
import { renewAnswerLinks } from './answer-links';
import { Guide, OutboxMessage, OutboxSession } from '../db/entities';
import type { MailAttachment } from '../mail/mailer';
import { newId } from '../db/columns';
import type { Mailer } from '../mail/mailer';
import { ConflictError } from '../domain/errors';
import { audit } from './audit';
import { dropUndefined, emptyPage, getOr404, type ListScope, type Page, scopeWhere, type ServiceDeps } from './support';

export interface NewMessage {
  idempotencyKey: string;
  kind: string;
  municipalityId: string | null;
  to: string;
  fromName: string;
  replyTo?: string | null;
  subject: string;
  text: string;
  html: string;
  attachments?: MailAttachment[];
  /** The calendar events the message is about, as `<uid>#<revision>`: a newer message about them withdraws this one while queued. */
  about?: string[];
  /** The guide it goes to, if a guide. */
  guideId?: string;
  /** The cafés it is about, so a coordinator finds a café's mail. */
  sessionIds?: string[];
}

/** A message as the outbox lists it: who it went to by name, and the cafés it is about. */
export type ListedMessage = OutboxMessage & { guideName: string | null; sessionIds: string[] };

export interface OutboxFilter extends ListScope {
  status?: OutboxMessage['status'];
  kind?: string;
  guideId?: string;
  sessionId?: string;
  limit: number;
  offset: number;
}

/** `<uid>#<revision>` as its parts. */
function revisionOf(about: string): [string, number] {
  const at = about.lastIndexOf('#');
  return [about.slice(0, at), Number(about.slice(at + 1))];
}

/** Waits after the 1st, 2nd … failed attempt; after the last, the message is marked failed. */
export const BACKOFF_MINUTES = [1, 5, 15, 60, 240];
/** Longer than the few sends a worker holds at once can take, with the mailer's timeouts (see mailer.ts). */
export const DEFAULT_LEASE_MS = 5 * 60_000;
/** Messages claimed per connection at a time: few enough that they are sent well within the lease. */
const PER_CONNECTION = 4;

/**
 * Nothing lost, nothing sent twice. A message is written in the caller's transaction (so it
 * exists exactly when the change that causes it does); a worker claims due messages with a
 * lease, sends each, and marks each sent at once. A crashed worker's claim runs out and another
 * worker takes over what it had not sent. (The one window left: the server took a message and
 * the worker died before marking it; the stable Message-ID lets mail clients drop that repeat.)
 */
export class OutboxService {
  constructor(private readonly deps: ServiceDeps & { signer: LinkSigner; mailer: Mailer | null; leaseMs?: number }) {}

  /** Whether mail goes out at all: without SMTP_URL, messages wait in the outbox until it is set. */
  get sends(): boolean {
    return this.deps.mailer !== null;
  }

  /**
   * Queue a message in the caller's transaction; a second message with the same key is ignored.
   * Queued messages to the same address about older revisions of only the events this one is
   * about are withdrawn: a "new session" mail waiting on a retry is never sent after the
   * cancellation that followed it.
   */
  static async enqueue(m: EntityManager, now: Date, msg: NewMessage): Promise<void> {
    // Written already (a job run again): nothing new, so nothing is withdrawn either.
    if (await m.existsBy(OutboxMessage, { idempotencyKey: msg.idempotencyKey })) return;
    const about = msg.about ?? [];
    if (about.length) {
      const newer = new Map(about.map((a) => revisionOf(a)));
      // Failed ones too: sent again on request, they would arrive after the newer one.
      const waiting = await m.find(OutboxMessage, {
        where: { toAddress: msg.to, status: In(['queued', 'failed']) },
        select: { id: true, about: true },
      });
      const older = waiting.filter(
        (w) =>
          w.about.length > 0 &&
          w.about.every((a) => {
            const [uid, revision] = revisionOf(a);
            return newer.has(uid) && newer.get(uid)! > revision;
          }),
      );
      // Only while still waiting: one a worker has just taken is sent (and this one waits behind it).
      if (older.length)
        await m.update(
          OutboxMessage,
          { id: In(older.map((o) => o.id)), status: In(['queued', 'failed']) },
          { status: 'superseded', leaseUntil: null },
        );
    }
    const id = newId();
    await m
      .createQueryBuilder()
      .insert()
      .into(OutboxMessage)
      .values({
        id,
        idempotencyKey: msg.idempotencyKey,
        kind: msg.kind,
        municipalityId: msg.municipalityId,
        toAddress: msg.to,
        fromName: msg.fromName,
        replyTo: msg.replyTo ?? null,
        subject: msg.subject,
        text: msg.text,
        html: msg.html,
        attachments: msg.attachments ?? [],
        about,
        guideId: msg.guideId ?? null,
        status: 'queued',
        attempts: 0,
        nextAttemptAt: now,
        leaseUntil: null,
        lastError: null,
        createdAt: now,
        sentAt: null,
      })
      .orIgnore()
      .execute();
    const sessionIds = [...new Set(msg.sessionIds ?? [])];
    // Written by another transaction a moment before (the same key): that one has its cafés.
    if (sessionIds.length && (await m.existsBy(OutboxMessage, { id })))
      await m.insert(
        OutboxSession,
        sessionIds.map((sessionId) => ({ messageId: id, sessionId })),
      );
  }

  /** Deliver what is due now, at most `limit` messages. Returns how many were sent and how many failed this round. */
  async deliverDue(limit = 200): Promise<{ sent: number; failed: number }> {
    const mailer = this.deps.mailer;
    if (!mailer) return { sent: 0, failed: 0 };
    let sent = 0;
    let failed = 0;
    while (sent + failed < limit) {
      const round = await this.deliverRound(
        mailer,
        Math.min(limit - sent - failed, mailer.connections * PER_CONNECTION),
      );
      sent += round.sent;
      failed += round.failed;
      if (!round.claimed) break;
    }
    return { sent, failed };
  }

  private async deliverRound(
    mailer: Mailer,
    limit: number,
  ): Promise<{ claimed: number; sent: number; failed: number }> {
    const claimed = await this.claim(limit);
    let sent = 0;
    let failed = 0;
    // As many sends at a time as the mailer has connections; each is marked the moment it is done.
    let next = 0;
    const lane = async () => {
      while (next < claimed.length) {
        const msg = claimed[next++];
        try {
          await mailer.send({
            messageId: `<${msg.id}@bryggan>`,
            fromName: msg.fromName,
            replyTo: msg.replyTo,
            to: msg.toAddress,
            subject: msg.subject,
            text: msg.text,
            html: msg.html,
            attachments: msg.attachments,
          });
          await this.deps.store.transaction((m) =>
            m.update(
              OutboxMessage,
              { id: msg.id },
              { status: 'sent', sentAt: this.deps.clock.now(), leaseUntil: null },
            ),
          );
          sent++;
        } catch (err) {
          await this.deps.store.transaction((m) => this.retryLater(m, msg, err));
          failed++;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, mailer.connections) }, lane));
    return { claimed: claimed.length, sent, failed };
  }

  /**
   * The outbox as a coordinator sees it: newest first, without the messages' bodies; by guide
   * (the mail that went to them) or by café (the mail about it). A guide or café of another
   * municipality finds nothing, as an unknown one does.
   */
  async list(filter: OutboxFilter): Promise<Page<ListedMessage>> {
    const { limit, offset, status, kind, guideId, sessionId, municipalityIds } = filter;
    const scope = scopeWhere({ municipalityIds });
    if (!scope) return emptyPage(limit, offset);
    const m = this.deps.store.manager;
    let ids: string[] | undefined;
    if (sessionId) {
      ids = (await m.find(OutboxSession, { where: { sessionId }, select: { messageId: true } })).map(
        (l) => l.messageId,
      );
      if (!ids.length) return emptyPage(limit, offset);
    }
    const [rows, total] = await m.findAndCount(OutboxMessage, {
      where: { ...dropUndefined({ status, kind, guideId }), ...(ids ? { id: In(ids) } : {}), ...scope },
      select: {
        id: true,
        kind: true,
        municipalityId: true,
        toAddress: true,
        guideId: true,
        fromName: true,
        subject: true,
        status: true,
        attempts: true,
        nextAttemptAt: true,
        lastError: true,
        createdAt: true,
        sentAt: true,
      },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items: await this.described(m, rows), total, limit, offset };
  }

  /** The guides' names and the cafés of these messages. */
  private async described(m: EntityManager, rows: OutboxMessage[]): Promise<ListedMessage[]> {
    if (!rows.length) return [];
    const guideIds = [...new Set(rows.flatMap((r) => (r.guideId ? [r.guideId] : [])))];
    const names = new Map(
      (guideIds.length
        ? await m.find(Guide, { where: { id: In(guideIds) }, select: { id: true, name: true } })
        : []
      ).map((g) => [g.id, g.name]),
    );
    const links = await m.find(OutboxSession, {
      where: { messageId: In(rows.map((r) => r.id)) },
      order: { sessionId: 'ASC' },
    });
    return rows.map((r) =>
      Object.assign(r, {
        guideName: r.guideId ? (names.get(r.guideId) ?? null) : null,
        sessionIds: links.filter((l) => l.messageId === r.id).map((l) => l.sessionId),
      }),
    );
  }

  /**
   * Send again: a failed or waiting message goes back in the queue now with fresh attempts; a
   * sent one is copied as a new message (the guide lost it). One being sent right now: 409.
   */
  resend(id: string): Promise<ListedMessage> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      const msg = await getOr404(m, OutboxMessage, 'outbox message', id);
      if (msg.status === 'sending') throw new ConflictError('message_sending', 'This message is being sent right now');
      if (msg.status === 'superseded')
        throw new ConflictError('message_superseded', 'A newer message about the same sessions replaced this one');
      // A guide's message goes to the address they have now: it may have been corrected since.
      const current = msg.guideId
        ? await m.findOne(Guide, { where: { id: msg.guideId }, select: { email: true } })
        : null;
      const toAddress = current?.email ?? msg.toAddress;
      // Its answer links are made anew: those made before a corrected address no longer work.
      const renew = (text: string) => (msg.guideId ? renewAnswerLinks(this.deps.signer, text, now) : text);
      const body = { text: renew(msg.text), html: renew(msg.html) };
      let result = msg;
      if (msg.status === 'sent') {
        result = m.create(OutboxMessage, {
          ...msg,
          ...body,
          toAddress,
          id: newId(),
          idempotencyKey: `resend:${msg.id}:${now.getTime()}`,
          status: 'queued',
          attempts: 0,
          nextAttemptAt: now,
          leaseUntil: null,
          lastError: null,
          createdAt: now,
          sentAt: null,
        });
        await m.insert(OutboxMessage, result);
        // The copy is about the same cafés.
        const cafes = await m.find(OutboxSession, { where: { messageId: msg.id } });
        if (cafes.length)
          await m.insert(
            OutboxSession,
            cafes.map((c) => ({ messageId: result.id, sessionId: c.sessionId })),
          );
      } else {
        const changes = {
          ...body,
          toAddress,
          status: 'queued' as const,
          attempts: 0,
          nextAttemptAt: now,
          leaseUntil: null,
        };
        Object.assign(msg, changes);
        await m.update(OutboxMessage, { id }, changes);
      }
      await audit(m, now, {
        action: 'outbox.resend',
        entityType: 'outbox_message',
        entityId: id,
        municipalityId: msg.municipalityId,
      });
      return (await this.described(m, [result]))[0];
    });
  }

  private claim(limit: number): Promise<OutboxMessage[]> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      const qb = m
        .createQueryBuilder(OutboxMessage, 'o')
        .where(
          new Brackets((w) => {
            w.where("o.status = 'queued' AND o.nextAttemptAt <= :now", { now }).orWhere(
              "o.status = 'sending' AND o.leaseUntil <= :now",
              { now },
            );
          }),
        )
        // Mail about sessions to one address goes out oldest first: none while an older one waits
        // or is on its way. Other mail (a password link, say) waits for nothing.
        .andWhere(
          `(o.about = '[]' OR NOT EXISTS (SELECT 1 FROM outbox_messages p WHERE p.to_address = o.to_address
             AND p.status IN ('queued', 'sending') AND p.about <> '[]'
             AND (p.created_at < o.created_at OR (p.created_at = o.created_at AND p.id < o.id))))`,
        )
        .orderBy('o.createdAt', 'ASC')
        .addOrderBy('o.id', 'ASC')
        .limit(limit);
      // Two workers on PostgreSQL never take the same message.
      if (m.connection.options.type === 'postgres') qb.setLock('pessimistic_write').setOnLocked('skip_locked');
      const due = await qb.getMany();
      // A lapsed lease means a worker died holding the message: that counts as an attempt, so a
      // message that kills every worker ends as failed instead of going round for ever.
      const lapsed = due.filter((d) => d.status === 'sending');
      for (const d of lapsed) d.attempts++;
      const dead = lapsed.filter((d) => d.attempts > BACKOFF_MINUTES.length);
      if (dead.length) {
        await m.update(
          OutboxMessage,
          { id: In(dead.map((d) => d.id)) },
          { status: 'failed', leaseUntil: null, lastError: 'the worker stopped while sending it, too often' },
        );
      }
      const live = due.filter((d) => !dead.includes(d));
      for (const d of live) {
        await m.update(
          OutboxMessage,
          { id: d.id },
          {
            status: 'sending',
            attempts: d.attempts,
            leaseUntil: new Date(now.getTime() + (this.deps.leaseMs ?? DEFAULT_LEASE_MS)),
          },
        );
      }
      return live;
    });
  }

  private async retryLater(m: EntityManager, msg: OutboxMessage, err: unknown): Promise<void> {
    const attempts = msg.attempts + 1;
    const wait = BACKOFF_MINUTES[attempts - 1];
    // The server's words, without the addresses servers like to repeat back: coordinators see this.
    const lastError = String((err as { response?: string; code?: string }).response ?? (err as Error).message ?? err)
      .replace(/<?[^\s<>@]+@[^\s<>]+>?/g, '<address>')
      .slice(0, 500);
    await m.update(
      OutboxMessage,
      { id: msg.id },
      {
        attempts,
        status: wait === undefined ? 'failed' : 'queued',
        nextAttemptAt: new Date(this.deps.clock.now().getTime() + (wait ?? 0) * 60_000),
        leaseUntil: null,
        lastError,
      },
    );
  }
}
