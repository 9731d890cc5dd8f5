import { type EntityManager } from 'typeorm';
import { Assignment, Guide, Session, SubstituteOffer, Vacancy, Venue } from '../db/entities';
import { madeBefore, readAnswerToken } from './answer-links';
import { newId } from '../db/columns';
import { UnauthenticatedError } from '../domain/errors';
import { reason } from '../domain/matching';
import type { LinkSigner } from '../lib/tokens';
import { audit } from './audit';
import type { Notifier } from './notices';
import type { PlanningService } from './planning.service';
import type { Vacancies } from './vacancies';
import { lockMunicipality, type ServiceDeps } from './support';

import { ANSWERS, type Answer } from '../domain/vocabulary';
export { ANSWERS, type Answer };

export type Outcome =
  | 'open' // not answered yet: the question stands
  | 'confirmed'
  | 'declined'
  | 'taken'
  | 'taken_by_other'
  | 'closed' // the session is over, cancelled, or no longer has this place
  | 'cannot'; // the guide may not take it after all (busy then, at their hours)

export interface AnswerView {
  answer: Answer;
  outcome: Outcome;
  session: { startsAt: Date; endsAt: Date; timeZone: string; venue: string; address: string } | null;
}

/**
 * What a guide does from the links in an e-mail: confirm, decline, or take a place someone
 * gave up. Each link is signed for one assignment (or offer) and one purpose, and expires when
 * the session does. Answering twice gives the same answer; a decline frees the place, asks the
 * best free guides, and tells the coordinators.
 */
export class AnswerService {
  constructor(
    private readonly deps: ServiceDeps & {
      signer: LinkSigner;
      notifier: Notifier;
      planning: PlanningService;
      vacancies: Vacancies;
    },
  ) {}

  /** What a link is about and where it stands, changing nothing (a mail scanner may open links). */
  async look(token: string): Promise<AnswerView> {
    const { id, answer, issued } = this.verify(token);
    return this.deps.store.transaction(async (m) => {
      await this.refuseIfReplaced(m, id, answer, issued);
      if (answer === 'take') {
        const offer = await m.findOneBy(SubstituteOffer, { id });
        const vacancy = offer && (await m.findOneBy(Vacancy, { id: offer.vacancyId }));
        const session = vacancy && (await m.findOneBy(Session, { id: vacancy.sessionId }));
        if (!offer || !vacancy || !session) return this.view(m, answer, 'closed', null);
        const outcome =
          vacancy.status === 'filled'
            ? vacancy.filledByGuideId === offer.guideId
              ? 'taken'
              : 'taken_by_other'
            : this.over(session)
              ? 'closed'
              : 'open';
        return this.view(m, answer, outcome, session);
      }
      const a = await m.findOneBy(Assignment, { id });
      if (!a)
        return this.view(
          m,
          answer,
          (await m.existsBy(Vacancy, { declinedAssignmentId: id })) ? 'declined' : 'closed',
          await this.sessionOfDeclined(m, id),
        );
      const session = await m.findOneByOrFail(Session, { id: a.sessionId });
      return this.view(
        m,
        answer,
        this.over(session) ? 'closed' : a.response === 'confirmed' && answer === 'confirm' ? 'confirmed' : 'open',
        session,
      );
    });
  }

  async answer(token: string): Promise<AnswerView> {
    const { id, answer, issued } = this.verify(token);
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      await this.refuseIfReplaced(m, id, answer, issued);
      if (answer === 'take') return this.take(m, now, id);
      const found = await m.findOneBy(Assignment, { id });
      if (!found)
        return this.view(
          m,
          answer,
          (await m.existsBy(Vacancy, { declinedAssignmentId: id })) ? 'declined' : 'closed',
          await this.sessionOfDeclined(m, id),
        );
      await lockMunicipality(m, (await m.findOneByOrFail(Session, { id: found.sessionId })).municipalityId);
      // Read again under the lock: a second click, or a coordinator's change, may just have committed.
      const session = await m.findOneByOrFail(Session, { id: found.sessionId });
      const a = await m.findOneBy(Assignment, { id });
      if (!a) return this.view(m, answer, 'declined', session);
      if (this.over(session)) return this.view(m, answer, 'closed', session);
      if (answer === 'confirm') {
        if (a.response !== 'confirmed') {
          await m.update(Assignment, { id }, { response: 'confirmed', respondedAt: now });
          await audit(m, now, {
            action: 'assignment.confirm',
            entityType: 'session',
            entityId: session.id,
            municipalityId: session.municipalityId,
          });
        }
        return this.view(m, answer, 'confirmed', session);
      }
      await this.deps.vacancies.release(m, now, a, session);
      return this.view(m, answer, 'declined', session);
    });
  }

  /** The first guide to accept gets the place; the others are told, kindly, that it is gone. */
  private async take(m: EntityManager, now: Date, offerId: string): Promise<AnswerView> {
    const offer = await m.findOneBy(SubstituteOffer, { id: offerId });
    const first = offer && (await m.findOneBy(Vacancy, { id: offer.vacancyId }));
    if (!offer || !first) return this.view(m, 'take', 'closed', null);
    await lockMunicipality(m, first.municipalityId);
    const vacancy = await m.findOneByOrFail(Vacancy, { id: first.id });
    const session = await m.findOneByOrFail(Session, { id: vacancy.sessionId });
    if (vacancy.status === 'filled')
      return this.view(m, 'take', vacancy.filledByGuideId === offer.guideId ? 'taken' : 'taken_by_other', session);
    if (vacancy.status === 'closed' || this.over(session)) return this.view(m, 'take', 'closed', session);
    if ((await this.deps.planning.blockersFor(m, session, offer.guideId)).length)
      return this.view(m, 'take', 'cannot', session);
    await m.insert(
      Assignment,
      m.create(Assignment, {
        id: newId(),
        sessionId: session.id,
        guideId: offer.guideId,
        status: 'published',
        pinned: true,
        source: 'substitute',
        reasons: [reason('took_given_up_place')],
        planId: null,
        createdAt: now,
        updatedAt: now,
        publishedAt: now,
        notified: null,
        notifiedAt: null,
        sequence: 0,
        response: 'confirmed',
        respondedAt: now,
      }),
    );
    await m.update(Vacancy, { id: vacancy.id }, { status: 'filled', filledByGuideId: offer.guideId, filledAt: now });
    await audit(m, now, {
      action: 'assignment.substitute',
      entityType: 'session',
      entityId: session.id,
      municipalityId: session.municipalityId,
    });
    // The new assignment's notice (with its calendar event) goes out like any other.
    await this.deps.notifier.sync(m, now, session.municipalityId);
    return this.view(m, 'take', 'taken', session);
  }

  private verify(token: string): { id: string; answer: Answer; issued: Date | null } {
    const link = readAnswerToken(this.deps.signer, token);
    if (!link) throw new UnauthenticatedError('invalid_link', 'This link is not valid');
    if (link.expiresAt <= this.deps.clock.now())
      throw new UnauthenticatedError('link_expired', 'This link has expired');
    return link;
  }

  /**
   * A link mailed to a guide's earlier address stops working once a coordinator has corrected
   * the address (it may have gone to someone else): the guide answers from mail to the new one.
   */
  private async refuseIfReplaced(m: EntityManager, id: string, answer: Answer, issued: Date | null): Promise<void> {
    const guideId =
      answer === 'take'
        ? (await m.findOneBy(SubstituteOffer, { id }))?.guideId
        : ((await m.findOneBy(Assignment, { id }))?.guideId ??
          (await m.findOneBy(Vacancy, { declinedAssignmentId: id }))?.declinedGuideId);
    const guide = guideId
      ? await m.findOne(Guide, { where: { id: guideId }, select: { id: true, addressChangedAt: true } })
      : null;
    if (guide && madeBefore(issued, guide.addressChangedAt))
      throw new UnauthenticatedError('link_replaced', "This link went to the guide's earlier e-mail address");
  }

  private over(session: Session): boolean {
    return session.status !== 'scheduled' || session.startsAt <= this.deps.clock.now();
  }

  private async sessionOfDeclined(m: EntityManager, assignmentId: string): Promise<Session | null> {
    const v = await m.findOneBy(Vacancy, { declinedAssignmentId: assignmentId });
    return v ? m.findOneBy(Session, { id: v.sessionId }) : null;
  }

  private async view(m: EntityManager, answer: Answer, outcome: Outcome, session: Session | null): Promise<AnswerView> {
    if (!session) return { answer, outcome, session: null };
    const venue = await m.findOneByOrFail(Venue, { id: session.venueId });
    return {
      answer,
      outcome,
      session: {
        startsAt: session.startsAt,
        endsAt: session.endsAt,
        timeZone: session.timeZone,
        venue: venue.name,
        address: venue.address,
      },
    };
  }
}
