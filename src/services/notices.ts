import { createHash } from 'node:crypto';
import { answerToken } from './answer-links';
import { type EntityManager, In } from 'typeorm';
import { Assignment, Guide, Organisation, Registration, Session, Venue } from '../db/entities';
import type { NotifiedState } from '../db/entities';
import type { LinkSigner } from '../lib/tokens';
import { calendarAttachment } from '../mail/calendar';
import { scheduleCancellation, scheduleUpdate } from '../mail/templates/guide-messages';
import type { Rendered } from '../mail/templates/layout';
import type { SessionItem } from '../mail/templates/session';
import type { Counts } from '../mail/words';
import { OutboxService } from './outbox.service';
import { publishedWithSessions } from './support';

/** The notice columns of an assignment nobody has been told about yet. */
export const UNTOLD = {
  notified: null,
  notifiedAt: null,
  sequence: 0,
  response: 'pending' as const,
  respondedAt: null,
};

export interface NoticeSettings {
  publicUrl: string;
  /** The sender address; also the calendar events' organizer. */
  mailFrom: string;
}

export interface GuideContact {
  id: string;
  name: string;
  email: string;
  active: boolean;
  municipalityId: string;
  association: string;
  /** The association's address, for replies. */
  replyTo: string | null;
}

const stateOf = (s: Session, place: string): NotifiedState => ({
  startsAt: s.startsAt.toISOString(),
  endsAt: s.endsAt.toISOString(),
  venueId: s.venueId,
  place,
  cancelled: s.status !== 'scheduled',
});
/** Same time, same place (a venue's new address counts as a new place), same cancelled or not. */
const samePlace = (a: NotifiedState, b: NotifiedState) =>
  a.venueId === b.venueId && (a.place === undefined || a.place === b.place);
const sameState = (a: NotifiedState, b: NotifiedState) =>
  a.startsAt === b.startsAt && a.endsAt === b.endsAt && samePlace(a, b) && a.cancelled === b.cancelled;
/** A session as a guide reads it, and which café it is (for the outbox, never shown in the mail). */
export type NoticeItem = SessionItem & { sessionId: string };

const digest = (parts: string[]) => createHash('sha256').update(parts.join('|')).digest('base64url').slice(0, 32);

/**
 * Tells guides what changed in their published schedule, in the transaction that changed it.
 * Each assignment remembers what its guide was last told; `sync` compares that with the sessions
 * as they are now and writes one message per guide for whatever differs: new sessions, a new
 * time or place, a cancellation. Call it at the end of any write that may move, cancel or
 * publish sessions: a write that changed nothing sends nothing.
 */
export class Notifier {
  constructor(
    private readonly deps: {
      signer: LinkSigner;
      /** When a link is made: signed into it, so links mailed before a guide's address was corrected stop working. */
      now: () => Date;
      settings: NoticeSettings;
      /** The guide's own page, by their lasting link (made in the caller's transaction if need be). */
      pageUrl?: (m: EntityManager, guideId: string) => Promise<string>;
    },
  ) {}

  get settings(): NoticeSettings {
    return this.deps.settings;
  }

  async sync(m: EntityManager, now: Date, municipalityId: string): Promise<void> {
    const rows = await publishedWithSessions(m)
      .andWhere('s.municipality_id = :municipalityId', { municipalityId })
      .andWhere('s.starts_at > :now', { now })
      .getMany();
    const venues = rows.length
      ? await m.find(Venue, {
          where: { id: In([...new Set(rows.map((a) => a.session!.venueId))]) },
          select: { id: true, name: true, address: true },
        })
      : [];
    const places = new Map(venues.map((v) => [v.id, `${v.name}, ${v.address}`]));
    const stale = rows.filter((a) => {
      const current = stateOf(a.session!, places.get(a.session!.venueId)!);
      // Nothing to tell about a session that was cancelled before anyone heard of it.
      return a.notified ? !sameState(a.notified, current) : !current.cancelled;
    });
    if (!stale.length) return;
    const items = await this.items(m, stale);
    const guides = await this.contacts(m, [...new Set(stale.map((a) => a.guideId))]);
    for (const a of stale) {
      const before = a.notified;
      const state = stateOf(a.session!, places.get(a.session!.venueId)!);
      const moved =
        !!before && (before.startsAt !== state.startsAt || before.endsAt !== state.endsAt || !samePlace(before, state));
      a.sequence += 1;
      a.notified = state;
      a.notifiedAt = now;
      // A new time or place, or a session back from cancelled, asks the guide again.
      if (moved || state.cancelled || before?.cancelled) Object.assign(a, { response: 'pending', respondedAt: null });
      const item = items.get(a.id)!;
      item.sequence = a.sequence;
      item.change = state.cancelled ? 'cancelled' : before ? 'changed' : 'new';
      if (!state.cancelled) this.addAnswerLinks(item, a);
      await m.update(
        Assignment,
        { id: a.id },
        { sequence: a.sequence, notified: state, notifiedAt: now, response: a.response, respondedAt: a.respondedAt },
      );
    }
    for (const [guideId, mine] of groupBy(stale, (a) => a.guideId)) {
      const guide = guides.get(guideId);
      if (!guide?.active) continue;
      const cancelled = mine.filter((a) => a.notified!.cancelled).map((a) => items.get(a.id)!);
      const updated = mine.filter((a) => !a.notified!.cancelled).map((a) => items.get(a.id)!);
      if (updated.length)
        await this.send(
          m,
          now,
          guide,
          'schedule_update',
          updated,
          scheduleUpdate({
            guideName: guide.name,
            association: guide.association,
            items: updated,
            pageUrl: await this.deps.pageUrl?.(m, guideId),
          }),
          'PUBLISH',
        );
      if (cancelled.length) {
        await this.send(
          m,
          now,
          guide,
          'schedule_cancel',
          cancelled,
          scheduleCancellation({
            guideName: guide.name,
            association: guide.association,
            items: cancelled,
            why: 'cancelled',
          }),
          'CANCEL',
        );
      }
    }
  }

  /**
   * Before a told guide's assignment is deleted (taken off, re-planned, or declined by the
   * guide), tell them, with a calendar cancellation so the event leaves their phone.
   */
  async removed(
    m: EntityManager,
    now: Date,
    assignments: Assignment[],
    opts: { declined?: boolean } = {},
  ): Promise<void> {
    const told = assignments.filter((a) => a.notifiedAt && !a.notified?.cancelled);
    if (!told.length) return;
    const sessions = await m.find(Session, { where: { id: In(told.map((a) => a.sessionId)) } });
    const live = told.filter((a) => sessions.find((s) => s.id === a.sessionId)!.startsAt > now);
    if (!live.length) return;
    const items = await this.items(m, live);
    const guides = await this.contacts(m, [...new Set(live.map((a) => a.guideId))]);
    for (const [guideId, mine] of groupBy(live, (a) => a.guideId)) {
      const guide = guides.get(guideId);
      if (!guide?.active) continue;
      const list = mine.map((a) =>
        Object.assign(items.get(a.id)!, { sequence: a.sequence + 1, change: 'removed' as const }),
      );
      const why = opts.declined ? 'declined' : 'removed';
      await this.send(
        m,
        now,
        guide,
        why === 'declined' ? 'declined' : 'schedule_removed',
        list,
        scheduleCancellation({ guideName: guide.name, association: guide.association, items: list, why }),
        'CANCEL',
      );
    }
  }

  /** The sessions of these assignments as their guides read them (counts of seniors, names of the other guides). */
  async items(m: EntityManager, assignments: Assignment[]): Promise<Map<string, NoticeItem>> {
    const sessionIds = [...new Set(assignments.map((a) => a.sessionId))];
    const out = new Map<string, NoticeItem>();
    if (!sessionIds.length) return out;
    const sessions = new Map<string, Session>();
    const crew: Assignment[] = [];
    const regs: Registration[] = [];
    for (let i = 0; i < sessionIds.length; i += 500) {
      const chunk = sessionIds.slice(i, i + 500);
      (await m.find(Session, { where: { id: In(chunk) } })).forEach((s) => sessions.set(s.id, s));
      crew.push(
        ...(await m.find(Assignment, {
          where: { sessionId: In(chunk), status: 'published' },
          select: { id: true, sessionId: true, guideId: true },
        })),
      );
      regs.push(
        ...(await m.find(Registration, {
          where: { sessionId: In(chunk), status: 'confirmed' },
          select: { id: true, sessionId: true, devices: true, topic: true },
        })),
      );
    }
    const venues = new Map(
      (await m.find(Venue, { where: { id: In([...new Set([...sessions.values()].map((s) => s.venueId))]) } })).map(
        (v) => [v.id, v],
      ),
    );
    const names = await this.names(m, [
      ...new Set([...crew.map((c) => c.guideId), ...assignments.map((a) => a.guideId)]),
    ]);
    for (const a of assignments) {
      const s = sessions.get(a.sessionId)!;
      const v = venues.get(s.venueId)!;
      const mine = regs.filter((r) => r.sessionId === s.id);
      const platforms: Counts = {};
      const topics: Counts = {};
      for (const r of mine) {
        for (const p of new Set(r.devices.map((d) => d.platform))) platforms[p] = (platforms[p] ?? 0) + 1;
        if (r.topic) topics[r.topic] = (topics[r.topic] ?? 0) + 1;
      }
      out.set(a.id, {
        sessionId: s.id,
        uid: `${a.id}@bryggan`,
        sequence: a.sequence,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        timeZone: s.timeZone,
        venue: v.name,
        address: v.address,
        theme: s.theme,
        otherGuides: crew
          .filter((c) => c.sessionId === s.id && c.guideId !== a.guideId)
          .map((c) => names.get(c.guideId) ?? '')
          .sort((x, y) => x.localeCompare(y, 'sv')),
        seniors: mine.length,
        platforms,
        topics,
        cancelReason: s.cancelReason,
        confirmed: a.response === 'confirmed',
      });
    }
    return out;
  }

  /** Confirm and decline links, valid until the session ends. */
  addAnswerLinks(item: SessionItem, a: Pick<Assignment, 'id' | 'response'>): void {
    item.confirmed = a.response === 'confirmed';
    item.confirmUrl = this.answerUrl(a.id, 'confirm', item.endsAt);
    item.declineUrl = this.answerUrl(a.id, 'decline', item.endsAt);
  }

  answerUrl(id: string, purpose: 'confirm' | 'decline' | 'take', expiresAt: Date): string {
    const token = answerToken(this.deps.signer, id, purpose, expiresAt, this.deps.now());
    return `${this.deps.settings.publicUrl}/svar/${encodeURIComponent(token)}`;
  }

  async contacts(m: EntityManager, guideIds: string[]): Promise<Map<string, GuideContact>> {
    if (!guideIds.length) return new Map();
    const guides = await m.find(Guide, {
      where: { id: In(guideIds) },
      select: { id: true, name: true, email: true, active: true, associationId: true, municipalityId: true },
    });
    const orgs = await m.find(Organisation, {
      where: { id: In([...new Set(guides.map((g) => g.associationId))]) },
      select: { id: true, name: true, contactEmail: true },
    });
    const org = new Map(orgs.map((o) => [o.id, o]));
    return new Map(
      guides.map((g) => [
        g.id,
        {
          id: g.id,
          name: g.name,
          email: g.email,
          active: g.active,
          municipalityId: g.municipalityId,
          association: org.get(g.associationId)?.name ?? 'Bryggan',
          replyTo: org.get(g.associationId)?.contactEmail ?? null,
        },
      ]),
    );
  }

  private async names(m: EntityManager, guideIds: string[]): Promise<Map<string, string>> {
    if (!guideIds.length) return new Map();
    return new Map(
      (await m.find(Guide, { where: { id: In(guideIds) }, select: { id: true, name: true } })).map((g) => [
        g.id,
        g.name,
      ]),
    );
  }

  /** Queue one message to a guide with its calendar file. The key is what it tells, so the same notice is never queued twice. */
  async send(
    m: EntityManager,
    now: Date,
    guide: GuideContact,
    kind: string,
    items: NoticeItem[],
    rendered: Rendered,
    method: 'PUBLISH' | 'CANCEL',
    key?: string,
  ): Promise<void> {
    await OutboxService.enqueue(m, now, {
      idempotencyKey: key ?? `${kind}:${guide.id}:${digest(items.map((i) => `${i.uid}:${i.sequence}`))}`,
      kind,
      municipalityId: guide.municipalityId,
      to: guide.email,
      guideId: guide.id,
      fromName: guide.association,
      replyTo: guide.replyTo,
      ...rendered,
      about: items.map((i) => `${i.uid}#${i.sequence}`),
      sessionIds: items.map((i) => i.sessionId),
      attachments: [
        calendarAttachment(items, {
          method,
          organizer: { name: guide.association, email: this.deps.settings.mailFrom },
          stamp: now,
          filename: method === 'CANCEL' ? 'installt.ics' : 'pass.ics',
        }),
      ],
    });
  }
}

export function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}
