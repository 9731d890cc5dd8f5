import { type EntityManager, In, IsNull, MoreThan } from 'typeorm';
import { Assignment, Organisation, Session, SessionSeries, Venue, VenueTravel } from '../db/entities';
import { type AssignmentConflict, recheck } from './recheck';
import { newId } from '../db/columns';
import { ConflictError, UnprocessableError } from '../domain/errors';
import type { CreateVenue, TravelInput, UpdateVenue } from '../contract/venues';
import type { Notifier } from './notices';
import { audit, changedFields } from './audit';
import {
  assignDefined,
  dropUndefined,
  emptyPage,
  getOr404,
  type ListScope,
  lockMunicipality,
  type Page,
  requireRef,
  scopeWhere,
  type ServiceDeps,
  nextVersion,
  getForUpdate,
} from './support';
import { instantParam } from './raw';

export interface VenueWithTravel extends Venue {
  travel: { toVenueId: string; minutes: number }[];
}

export class VenueService {
  constructor(private readonly deps: ServiceDeps & { notifier: Notifier }) {}

  create(input: CreateVenue): Promise<VenueWithTravel> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      await requireRef(
        m,
        Organisation,
        { id: input.municipalityId, kind: 'municipality' },
        'body.municipalityId',
        'municipality',
      );
      const venue = await m.save(
        m.create(Venue, {
          ...input,
          id: newId(),
          version: 1,
          accessibilityNote: input.accessibilityNote ?? null,
          createdAt: now,
          updatedAt: now,
        }),
      );
      await audit(m, now, {
        action: 'venue.create',
        entityType: 'venue',
        entityId: venue.id,
        municipalityId: venue.municipalityId,
      });
      return { ...venue, travel: [] };
    });
  }

  update(id: string, { version, ...input }: UpdateVenue): Promise<VenueWithTravel> {
    return this.deps.store.transaction(async (m) => {
      const venue = await getForUpdate(m, Venue, 'venue', id);
      nextVersion(venue, version);
      if (input.active === false && venue.active) await this.assertUnused(m, venue);
      assignDefined(venue, input);
      venue.updatedAt = this.deps.clock.now();
      await m.save(venue);
      await audit(m, venue.updatedAt, {
        action: 'venue.update',
        entityType: 'venue',
        entityId: id,
        municipalityId: venue.municipalityId,
        fields: changedFields(input),
      });
      // A new name or address is news for the guides working there.
      if (input.name !== undefined || input.address !== undefined)
        await this.deps.notifier.sync(m, venue.updatedAt, venue.municipalityId);
      return (await this.withTravel([venue]))[0];
    });
  }

  /** A venue is archived only when nothing is planned there any more: its cafés are ended first. */
  private async assertUnused(m: EntityManager, venue: Venue): Promise<void> {
    const now = this.deps.clock.now();
    const cafés = await m.countBy(SessionSeries, { venueId: venue.id, archivedAt: IsNull() });
    const sessions = await m.countBy(Session, { venueId: venue.id, status: 'scheduled', startsAt: MoreThan(now) });
    if (cafés || sessions) {
      throw new ConflictError(
        'venue_in_use',
        `This venue still has ${cafés} running café(s) and ${sessions} future session(s); end or move them first`,
        [{ field: 'body.active', issue: `${cafés} cafés, ${sessions} sessions` }],
      );
    }
  }

  async get(id: string): Promise<VenueWithTravel> {
    const venue = await getOr404(this.deps.store.manager, Venue, 'venue', id);
    return (await this.withTravel([venue]))[0];
  }

  async list(
    filter: { municipalityId?: string; active?: boolean; limit: number; offset: number } & ListScope,
  ): Promise<Page<VenueWithTravel>> {
    const { limit, offset, municipalityIds, ...where } = filter;
    const scope = scopeWhere({ municipalityIds });
    if (!scope) return emptyPage(limit, offset);
    const [venues, total] = await this.deps.store.manager.findAndCount(Venue, {
      where: { ...dropUndefined(where), ...scope },
      order: { name: 'ASC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items: await this.withTravel(venues), total, limit, offset };
  }

  /**
   * Travel time is the same both ways, so both directions are stored. A longer one may keep a
   * guide from one of two cafés they work the same day, one at each venue: those are checked again.
   */
  setTravel(id: string, input: TravelInput): Promise<VenueWithTravel & { conflicts: AssignmentConflict[] }> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      const venue = await getOr404(m, Venue, 'venue', id);
      await lockMunicipality(m, venue.municipalityId);
      if (input.toVenueId === id) {
        throw new UnprocessableError('same_venue', 'Travel needs two different venues', [
          { field: 'body.toVenueId', issue: 'is this venue itself' },
        ]);
      }
      await requireRef(
        m,
        Venue,
        { id: input.toVenueId, municipalityId: venue.municipalityId },
        'body.toVenueId',
        'venue in this municipality',
      );
      await m.save(VenueTravel, [
        { fromVenueId: id, toVenueId: input.toVenueId, minutes: input.minutes },
        { fromVenueId: input.toVenueId, toVenueId: id, minutes: input.minutes },
      ]);
      const sessionIds = await sameDayAtBoth(m, now, id, input.toVenueId);
      const conflicts = sessionIds.length ? await recheck(m, now, { sessionIds }, this.deps.releasePlace) : [];
      return { ...(await this.withTravel([venue], m))[0], conflicts };
    });
  }

  private async withTravel(venues: Venue[], m = this.deps.store.manager): Promise<VenueWithTravel[]> {
    const rows = venues.length
      ? await m.find(VenueTravel, { where: { fromVenueId: In(venues.map((v) => v.id)) }, order: { toVenueId: 'ASC' } })
      : [];
    return venues.map((v) => ({
      ...v,
      travel: rows.filter((r) => r.fromVenueId === v.id).map((r) => ({ toVenueId: r.toVenueId, minutes: r.minutes })),
    }));
  }
}

/** The cafés to come at venue a or b where a guide also works a café at the other venue that day. */
async function sameDayAtBoth(m: EntityManager, now: Date, a: string, b: string): Promise<string[]> {
  const rows = await m
    .createQueryBuilder(Session, 's')
    .innerJoin(Assignment, 'x', 'x.session_id = s.id')
    .select(['s.id AS id', 's.venue_id AS venue', 'CAST(s.local_date AS VARCHAR(10)) AS date', 'x.guide_id AS guide'])
    .where('s.venue_id IN (:...venues)', { venues: [a, b] })
    .andWhere("s.status = 'scheduled' AND s.starts_at > :now", { now: instantParam(m, now) })
    .getRawMany<{ id: string; venue: string; date: string; guide: string }>();
  const venuesOf = new Map<string, Set<string>>();
  for (const r of rows) {
    const key = `${r.guide} ${r.date}`;
    venuesOf.set(key, (venuesOf.get(key) ?? new Set()).add(r.venue));
  }
  return [...new Set(rows.filter((r) => venuesOf.get(`${r.guide} ${r.date}`)!.size > 1).map((r) => r.id))];
}
