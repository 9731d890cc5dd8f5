import { type EntityManager } from 'typeorm';
import {
  Assignment,
  Closure,
  Contract,
  Plan,
  Guide,
  GuideLink,
  Organisation,
  OutboxMessage,
  Registration,
  Regular,
  Senior,
  Session,
  SessionSeries,
  Venue,
} from '../db/entities';
import type { Owner } from '../domain/access';

export const OWNED = [
  'municipality',
  'association',
  'contract',
  'venue',
  'series',
  'session',
  'closure',
  'guide',
  'senior',
  'registration',
  'guideLink',
  'plan',
  'assignment',
  'outboxMessage',
  'regular',
] as const;
export type OwnedKind = (typeof OWNED)[number];

/** Who owns a resource, or null if there is no such resource. Used by the one authorisation check. */
export async function ownerOf(m: EntityManager, kind: OwnedKind, id: string): Promise<Owner | null> {
  switch (kind) {
    case 'municipality':
      return (await m.existsBy(Organisation, { id, kind: 'municipality' })) ? { municipalityId: id } : null;
    case 'association':
      return (await m.existsBy(Organisation, { id, kind: 'association' })) ? { associationId: id } : null;
    case 'contract':
      return pick(await m.findOne(Contract, { where: { id }, select: { municipalityId: true, associationId: true } }));
    case 'venue':
      return pick(await m.findOne(Venue, { where: { id }, select: { municipalityId: true } }));
    case 'series':
      return pick(await m.findOne(SessionSeries, { where: { id }, select: { municipalityId: true } }));
    case 'session':
      return pick(await m.findOne(Session, { where: { id }, select: { municipalityId: true } }));
    case 'closure':
      return pick(await m.findOne(Closure, { where: { id }, select: { municipalityId: true } }));
    case 'guide':
      return pick(await m.findOne(Guide, { where: { id }, select: { municipalityId: true, associationId: true } }));
    case 'senior':
      return pick(await m.findOne(Senior, { where: { id }, select: { municipalityId: true } }));
    case 'registration': {
      const r = await m.findOne(Registration, { where: { id }, select: { sessionId: true } });
      return r ? ownerOf(m, 'session', r.sessionId) : null;
    }
    case 'plan':
      return pick(await m.findOne(Plan, { where: { id }, select: { municipalityId: true } }));
    case 'assignment': {
      const a = await m.findOne(Assignment, { where: { id }, select: { sessionId: true } });
      return a ? ownerOf(m, 'session', a.sessionId) : null;
    }
    case 'outboxMessage': {
      const o = await m.findOne(OutboxMessage, { where: { id }, select: { id: true, municipalityId: true } });
      // A message of no municipality (none yet) is the installation's: admins only.
      return o ? (o.municipalityId ? { municipalityId: o.municipalityId } : {}) : null;
    }
    case 'regular': {
      const r = await m.findOne(Regular, { where: { id }, select: { seniorId: true } });
      return r ? ownerOf(m, 'senior', r.seniorId) : null;
    }
    case 'guideLink': {
      const l = await m.findOne(GuideLink, { where: { id }, select: { guideId: true } });
      return l ? ownerOf(m, 'guide', l.guideId) : null;
    }
  }
}

function pick(row: { municipalityId?: string; associationId?: string | null } | null): Owner | null {
  if (!row) return null;
  const owner: Owner = {};
  if (row.municipalityId) owner.municipalityId = row.municipalityId;
  if (row.associationId) owner.associationId = row.associationId;
  return owner;
}
