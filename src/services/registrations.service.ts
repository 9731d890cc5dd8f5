import { In } from 'typeorm';
import { platformsUncovered } from './recheck';
import { type Device, Registration, Senior, Session } from '../db/entities';
import { ConflictError, NotFoundError, UnprocessableError } from '../domain/errors';
import type { RegistrationStatus } from '../domain/vocabulary';
import type { RegisterInput } from '../contract/people';
import { audit, auditShown, type SeniorView } from './audit';
import { getOr404, type ServiceDeps } from './support';
import { signUp } from './signup';
import { promoteWaitlist, waitlistPlace } from './waitlist';
import {
  forUpdate,
  instantOf,
  instantOrNull,
  instantParam,
  jsonOf,
  rawRows,
  SESSION_COLUMNS,
  type SessionRow,
  sessionOf,
} from './raw';

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
   * on the session knows, and who could come for them: the coordinator sees it at once. Plain
   * SQL: the session (locked) comes with the senior in one statement, the queue in one more.
   */
  register(sessionId: string, input: RegisterInput): Promise<RegistrationView & { uncovered: Uncovered }> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      const [row] = await rawRows<
        SessionRow & { senior_ref: string | null; senior_name: string; senior_devices: unknown; senior_erased: unknown }
      >(
        m,
        `SELECT ${SESSION_COLUMNS}, n.id AS senior_ref, n.display_name AS senior_name, n.devices AS senior_devices,
           n.erased_at AS senior_erased
         FROM sessions s LEFT JOIN seniors n ON n.id = ? AND n.municipality_id = s.municipality_id
         WHERE s.id = ?${forUpdate(m, 's')}`,
        [input.seniorId, sessionId],
      );
      if (!row) throw new NotFoundError('session', sessionId);
      const session = sessionOf(row);
      if (session.status === 'cancelled') throw new ConflictError('session_cancelled', 'This session is cancelled');
      if (session.endsAt <= now) throw new ConflictError('session_over', 'This session is over');
      if (!row.senior_ref)
        throw new UnprocessableError(
          'unknown_reference',
          'body.seniorId does not name a known senior in this municipality',
          [{ field: 'body.seniorId', issue: 'no senior in this municipality with this id' }],
        );
      if (row.senior_erased != null)
        throw new ConflictError('senior_erased', "This senior's data was erased; register them anew", [
          { field: 'body.seniorId', issue: 'erased' },
        ]);
      const senior = { id: row.senior_ref, devices: jsonOf<Device[]>(row.senior_devices) };

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
      return { ...registration, displayName: row.senior_name, waitlistPosition, uncovered };
    });
  }

  /**
   * Cancelling a confirmed seat gives it to the first on the waiting list. Cancelling twice is
   * harmless. Plain SQL: the registration comes with its senior's name and its session (locked).
   */
  cancel(id: string): Promise<RegistrationView> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      const [row] = await rawRows<SessionRow & RegistrationRow & { senior_name: string | null }>(
        m,
        `SELECT ${REGISTRATION_COLUMNS}, n.display_name AS senior_name, ${SESSION_COLUMNS}
         FROM registrations r JOIN sessions s ON s.id = r.session_id LEFT JOIN seniors n ON n.id = r.senior_id
         WHERE r.id = ?${forUpdate(m, 's, r')}`,
        [id],
      );
      if (!row) throw new NotFoundError('registration', id);
      const found = registrationOf(row);
      const session = sessionOf(row);
      if (found.status !== 'cancelled' && session.endsAt <= now) {
        throw new ConflictError('session_over', 'This session is over: its registrations are history now', [
          { field: 'params.id', issue: 'the session is over' },
        ]);
      }
      if (found.status !== 'cancelled') {
        Object.assign(found, { status: 'cancelled', cancelledAt: now, updatedAt: now });
        const at = instantParam(m, now);
        await rawRows(
          m,
          "UPDATE registrations SET status = 'cancelled', cancelled_at = ?, updated_at = ? WHERE id = ?",
          [at, at, id],
        );
        await audit(m, now, {
          action: 'registration.cancel',
          entityType: 'registration',
          entityId: id,
          municipalityId: session.municipalityId,
        });
        await promoteWaitlist(m, session, now);
      }
      // A cancelled registration has no place on the waiting list.
      return { ...found, displayName: row.senior_name ?? '', waitlistPosition: null };
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

/** A registration's columns under alias `r`, named apart from a session's; read with `registrationOf`. */
const REGISTRATION_COLUMNS = [
  'r.id AS r_id',
  'r.session_id AS r_session_id',
  'r.senior_id AS r_senior_id',
  'r.status AS r_status',
  'r.devices AS r_devices',
  'r.topic AS r_topic',
  'r.queued_at AS r_queued_at',
  'r.queue_number AS r_queue_number',
  'r.cancelled_at AS r_cancelled_at',
  'r.regular_id AS r_regular_id',
  'r.created_at AS r_created_at',
  'r.updated_at AS r_updated_at',
].join(', ');

interface RegistrationRow {
  r_id: string;
  r_session_id: string;
  r_senior_id: string;
  r_status: RegistrationStatus;
  r_devices: unknown;
  r_topic: Registration['topic'];
  r_queued_at: unknown;
  r_queue_number: number | string;
  r_cancelled_at: unknown;
  r_regular_id: string | null;
  r_created_at: unknown;
  r_updated_at: unknown;
}

/** A registration as TypeORM would have read it. */
function registrationOf(r: RegistrationRow): Registration {
  return {
    id: r.r_id,
    sessionId: r.r_session_id,
    seniorId: r.r_senior_id,
    status: r.r_status,
    devices: jsonOf<Device[]>(r.r_devices),
    topic: r.r_topic,
    queuedAt: instantOf(r.r_queued_at),
    queueNumber: Number(r.r_queue_number),
    cancelledAt: instantOrNull(r.r_cancelled_at),
    regularId: r.r_regular_id,
    createdAt: instantOf(r.r_created_at),
    updatedAt: instantOf(r.r_updated_at),
  };
}
