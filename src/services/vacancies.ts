import { type EntityManager } from 'typeorm';
import { Assignment, Organisation, type Session, SubstituteOffer, User, Vacancy } from '../db/entities';
import { newId } from '../db/columns';
import { declineNotice } from '../mail/templates/coordinator-messages';
import { substituteRequest } from '../mail/templates/guide-messages';
import { audit } from './audit';
import type { Notifier } from './notices';
import { OutboxService } from './outbox.service';
import type { PlanningService } from './planning.service';

/** How many free guides are asked, best first, when a place is given up. */
export const SUBSTITUTES_ASKED = 3;

/** Places given up, and the substitutes asked for them. */
export class Vacancies {
  constructor(private readonly deps: { notifier: Notifier; planning: PlanningService }) {}

  /**
   * A guide's place is given up (a decline, an absence, a contract that ends): the guide is told
   * they no longer work it, the place becomes a vacancy, the best free guides are asked (the first
   * to answer gets it), and the coordinators are told. In the caller's transaction.
   */
  async release(
    m: EntityManager,
    now: Date,
    a: Assignment,
    session: Session,
    /** The guide's own answer is thanked for; a place taken from them (by a coordinator) is news. */
    { byGuide = true }: { byGuide?: boolean } = {},
  ): Promise<void> {
    await this.deps.notifier.removed(m, now, [a], { declined: byGuide });
    await m.delete(Assignment, { id: a.id });
    const vacancy = m.create(Vacancy, {
      id: newId(),
      municipalityId: session.municipalityId,
      sessionId: session.id,
      declinedAssignmentId: a.id,
      declinedGuideId: a.guideId,
      status: 'open',
      filledByGuideId: null,
      createdAt: now,
      filledAt: null,
    });
    await m.insert(Vacancy, vacancy);
    await audit(m, now, {
      action: 'assignment.decline',
      entityType: 'session',
      entityId: session.id,
      municipalityId: session.municipalityId,
    });

    // Ask the best free guides; not anyone who declined this session already.
    const decliners = new Set(
      (await m.find(Vacancy, { where: { sessionId: session.id }, select: { declinedGuideId: true } })).map(
        (v) => v.declinedGuideId,
      ),
    );
    const asked = (await this.deps.planning.candidates(m, session))
      .filter((c) => c.gain !== null && !decliners.has(c.guideId))
      .slice(0, SUBSTITUTES_ASKED);
    const contacts = await this.deps.notifier.contacts(m, [a.guideId, ...asked.map((c) => c.guideId)]);
    const [item] = (await this.deps.notifier.items(m, [a])).values();
    for (const c of asked) {
      const guide = contacts.get(c.guideId)!;
      const offer = m.create(SubstituteOffer, {
        id: newId(),
        vacancyId: vacancy.id,
        guideId: c.guideId,
        createdAt: now,
      });
      await m.insert(SubstituteOffer, offer);
      const forThem = { ...item, otherGuides: [], confirmed: false, confirmUrl: undefined, declineUrl: undefined };
      const takeUrl = this.deps.notifier.answerUrl(offer.id, 'take', session.startsAt);
      await OutboxService.enqueue(m, now, {
        idempotencyKey: `substitute:${offer.id}`,
        kind: 'substitute_request',
        municipalityId: session.municipalityId,
        to: guide.email,
        guideId: guide.id,
        fromName: guide.association,
        replyTo: guide.replyTo,
        ...substituteRequest({ guideName: guide.name, association: guide.association, item: forThem, takeUrl }),
        sessionIds: [session.id],
      });
    }
    const coordinators = await m.find(User, {
      where: { organisationId: session.municipalityId, role: 'coordinator', active: true },
      select: { id: true, email: true },
    });
    const municipality = await m.findOneOrFail(Organisation, {
      where: { id: session.municipalityId },
      select: { id: true, name: true },
    });
    const decliner = contacts.get(a.guideId)!;
    const mail = declineNotice({
      guideName: decliner.name,
      municipality: municipality.name,
      asked: asked.map((c) => contacts.get(c.guideId)!.name),
      slot: { startsAt: session.startsAt, endsAt: session.endsAt, timeZone: session.timeZone, venue: item.venue },
    });
    for (const u of coordinators) {
      await OutboxService.enqueue(m, now, {
        idempotencyKey: `decline_notice:${vacancy.id}:${u.id}`,
        kind: 'decline_notice',
        municipalityId: session.municipalityId,
        to: u.email,
        fromName: 'Bryggan',
        ...mail,
        sessionIds: [session.id],
      });
    }
  }
}
