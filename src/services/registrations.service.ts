import { In } from 'typeorm';
import { platformsUncovered } from './recheck';
import { Registration, Senior, Session } from '../db/entities';
import { ConflictError, NotFoundError } from '../domain/errors';
import type { RegistrationStatus } from '../domain/vocabulary';
import type { RegisterInput } from '../contract/people';
import { audit, auditShown, type SeniorView } from './audit';
import { getOr404, requireRef, type ServiceDeps } from './support';
import { signUp } from './signup';
import { lockSession, promoteWaitlist, waitlistPlace } from './waitlist';
import { rawRows } from './raw';

export interface RegistrationView extends Registration {
  displayName: string;
  /** 1 = next to get a seat; null unless waitlisted. */
  waitlistPosition: number | null;
}

type Uncovered = Awaited<ReturnType<typeof platformsUncovered>>;

/** Seniors signing up for sessions: seats, the waiting list, cancellations. */
export class RegistrationService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * A seat (or a place on the waiting list), with the platforms the senior brings that no guide
   * on the session knows, and who could come for them: the coordinator sees it at once.
   */
  register(sessionId: string, input: RegisterInput): Promise<RegistrationView & { uncovered: Uncovered }> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      const session = await lockSession(m, sessionId);
      if (session.status === 'cancelled') throw new ConflictError('session_cancelled', 'This session is cancelled');
      if (session.endsAt <= now) throw new ConflictError('session_over', 'This session is over');
      const senior = await requireRef(
        m,
        Senior,
        { id: input.seniorId, municipalityId: session.municipalityId },
        'body.seniorId',
        'senior in this municipality',
      );
      if (senior.erasedAt)
        throw new ConflictError('senior_erased', "This senior's data was erased; register them anew", [
          { field: 'body.seniorId', issue: 'erased' },
        ]);

      const registration = (await signUp(m, now, session, senior, { devices: input.devices, topic: input.topic }))!;
      await audit(m, now, {
        action: 'registration.create',
        entityType: 'registration',
        entityId: registration.id,
        municipalityId: session.municipalityId,
      });
      const uncovered =
        registration.status === 'confirmed'
          ? await platformsUncovered(
              m,
              now,
              session,
              registration.devices.map((d) => d.platform),
            )
          : [];
      // The senior's name is at hand, and a new sign-up is the last in its queue.
      const waitlistPosition = registration.status === 'waitlisted' ? await waitlistPlace(m, registration) : null;
      return { ...registration, displayName: senior.displayName, waitlistPosition, uncovered };
    });
  }

  /** Cancelling a confirmed seat gives it to the first on the waiting list. Cancelling twice is harmless. */
  cancel(id: string): Promise<RegistrationView> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      const found = await m.findOneBy(Registration, { id });
      if (!found) throw new NotFoundError('registration', id);
      const session = await lockSession(m, found.sessionId);
      if (found.status !== 'cancelled' && session.endsAt <= now) {
        throw new ConflictError('session_over', 'This session is over: its registrations are history now', [
          { field: 'params.id', issue: 'the session is over' },
        ]);
      }
      if (found.status !== 'cancelled') {
        Object.assign(found, { status: 'cancelled', cancelledAt: now, updatedAt: now });
        await m.save(found);
        await audit(m, now, {
          action: 'registration.cancel',
          entityType: 'registration',
          entityId: id,
          municipalityId: session.municipalityId,
        });
        await promoteWaitlist(m, session, now);
      }
      return (await this.views([found], m))[0];
    });
  }

  async get(id: string): Promise<RegistrationView> {
    const found = await this.deps.store.manager.findOneBy(Registration, { id });
    if (!found) throw new NotFoundError('registration', id);
    return (await this.views([found], this.deps.store.manager, 'registration'))[0];
  }

  async listForSession(sessionId: string, status?: RegistrationStatus): Promise<RegistrationView[]> {
    await getOr404(this.deps.store.manager, Session, 'session', sessionId);
    const rows = await this.deps.store.manager.find(Registration, {
      where: { sessionId, ...(status ? { status } : {}) },
      order: { queueNumber: 'ASC' },
    });
    return this.views(rows, this.deps.store.manager, 'registrations');
  }

  /**
   * Adds the display name and the place on the waiting list. Given a view, the names shown are
   * logged (an answer to a write shows back the name its caller just sent, and is not).
   */
  async views(rows: Registration[], m = this.deps.store.manager, view?: SeniorView): Promise<RegistrationView[]> {
    if (!rows.length) return [];
    const seniors = await m.find(Senior, {
      where: { id: In([...new Set(rows.map((r) => r.seniorId))]) },
      select: { id: true, displayName: true, municipalityId: true },
    });
    if (view) await auditShown(this.deps, view, seniors);
    const names = new Map(seniors.map((s) => [s.id, s.displayName]));
    // The waiting lists of all the sessions at once, each in queue order.
    const waiting = [...new Set(rows.filter((r) => r.status === 'waitlisted').map((r) => r.sessionId))];
    const queues = new Map<string, string[]>();
    if (waiting.length)
      for (const q of await rawRows<{ id: string; session_id: string }>(
        m,
        "SELECT r.id, r.session_id FROM registrations r WHERE r.session_id IN (?) AND r.status = 'waitlisted' ORDER BY r.queue_number",
        [waiting],
      ))
        (queues.get(q.session_id) ?? queues.set(q.session_id, []).get(q.session_id)!).push(q.id);
    return rows.map((r) => ({
      ...r,
      displayName: names.get(r.seniorId) ?? '',
      waitlistPosition: r.status === 'waitlisted' ? (queues.get(r.sessionId)?.indexOf(r.id) ?? -1) + 1 : null,
    }));
  }
}
