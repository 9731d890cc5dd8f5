import type { EntityManager } from 'typeorm';
import type { Owner, Principal } from '../domain/access';
import { rawNamed } from './raw';

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

/** Where each kind's owner is read: the statement's FROM and WHERE (`:id`), its municipality and association. */
const OWNER_SQL: Record<OwnedKind, { from: string; municipality: string; association: string }> = {
  municipality: {
    from: "organisations x WHERE x.id = :id AND x.kind = 'municipality'",
    municipality: 'x.id',
    association: '',
  },
  association: {
    from: "organisations x WHERE x.id = :id AND x.kind = 'association'",
    municipality: '',
    association: 'x.id',
  },
  contract: {
    from: 'contracts x WHERE x.id = :id',
    municipality: 'x.municipality_id',
    association: 'x.association_id',
  },
  venue: { from: 'venues x WHERE x.id = :id', municipality: 'x.municipality_id', association: '' },
  series: { from: 'session_series x WHERE x.id = :id', municipality: 'x.municipality_id', association: '' },
  session: { from: 'sessions x WHERE x.id = :id', municipality: 'x.municipality_id', association: '' },
  closure: { from: 'closures x WHERE x.id = :id', municipality: 'x.municipality_id', association: '' },
  guide: { from: 'guides x WHERE x.id = :id', municipality: 'x.municipality_id', association: 'x.association_id' },
  senior: { from: 'seniors x WHERE x.id = :id', municipality: 'x.municipality_id', association: '' },
  registration: {
    from: 'registrations r JOIN sessions x ON x.id = r.session_id WHERE r.id = :id',
    municipality: 'x.municipality_id',
    association: '',
  },
  plan: { from: 'plans x WHERE x.id = :id', municipality: 'x.municipality_id', association: '' },
  assignment: {
    from: 'assignments a JOIN sessions x ON x.id = a.session_id WHERE a.id = :id',
    municipality: 'x.municipality_id',
    association: '',
  },
  // A message of no municipality (none yet) is the installation's: admins only.
  outboxMessage: { from: 'outbox_messages x WHERE x.id = :id', municipality: 'x.municipality_id', association: '' },
  regular: {
    from: 'regulars r JOIN seniors x ON x.id = r.senior_id WHERE r.id = :id',
    municipality: 'x.municipality_id',
    association: '',
  },
  guideLink: {
    from: 'guide_links l JOIN guides x ON x.id = l.guide_id WHERE l.id = :id',
    municipality: 'x.municipality_id',
    association: 'x.association_id',
  },
};

/**
 * The owners of several resources in one statement (the same answers as `ownerOf`, in order),
 * none when there are none to read.
 */
export async function ownersOf(m: EntityManager, refs: { kind: OwnedKind; id: string }[]): Promise<(Owner | null)[]> {
  if (!refs.length) return [];
  const none = 'CAST(NULL AS VARCHAR(36))';
  const parts = refs.map(({ kind }, i) => {
    const q = OWNER_SQL[kind];
    return `SELECT ${i} AS i, ${q.municipality || none} AS m, ${q.association || none} AS a FROM ${q.from.replace(':id', `:id${i}`)}`;
  });
  // Plain SQL of a fixed shape per list of kinds: on PostgreSQL a prepared statement.
  const rows = await rawNamed<{ i: number | string; m: string | null; a: string | null }>(
    m,
    parts.join(' UNION ALL '),
    Object.fromEntries(refs.map((r, i) => [`id${i}`, r.id])),
  );
  const owners: (Owner | null)[] = refs.map(() => null);
  for (const row of rows) {
    const owner: Owner = {};
    if (row.m) owner.municipalityId = row.m;
    if (row.a) owner.associationId = row.a;
    owners[Number(row.i)] = owner;
  }
  return owners;
}

/**
 * Whether a principal sees a municipality or an association, from its own scope and without a
 * query: the ids in a scope come from rows that exist (its organisation, its contracts' parties,
 * held by foreign keys, and organisations are never deleted), and an id outside it is a 404
 * whether it exists or not. Null when the database must say (an admin: is there such a one?).
 */
export function seenFromScope(p: Principal, kind: OwnedKind, id: string): boolean | null {
  if (kind === 'municipality') return p.municipalityIds === null ? null : p.municipalityIds.includes(id);
  if (kind === 'association') return p.associationIds === null ? null : p.associationIds.includes(id);
  return null;
}
