/**
 * Who may see what. Every resource has an owner: the municipality it belongs to and, for the
 * association's own things (guides, contracts), the association. A coordinator or viewer sees
 * its municipality's things and the associations it has contracts with; association staff see
 * their association's things and the municipalities it serves; an admin sees everything.
 */
export const ROLES = ['admin', 'coordinator', 'association_staff', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Which kind of organisation each role belongs to: none for an admin of the installation. */
export const ROLE_ORGANISATION: Record<Role, 'municipality' | 'association' | null> = {
  admin: null,
  coordinator: 'municipality',
  viewer: 'municipality',
  association_staff: 'association',
};

export interface Principal {
  userId: string;
  role: Role;
  /** The user's organisation: a municipality, an association, or null for an admin. */
  organisationId: string | null;
  /** Municipalities this principal may see; null = every one. */
  municipalityIds: string[] | null;
  /** Associations this principal may see; null = every one. */
  associationIds: string[] | null;
  /** How the caller proved who they are: a login, or an integration's API token. */
  via?: 'session' | 'api';
  /** The token this request came with (to log out of it). */
  tokenId?: string;
}

export interface Owner {
  municipalityId?: string;
  associationId?: string;
}

export function sees(p: Principal, owner: Owner): boolean {
  if (p.role === 'admin') return true;
  // Association staff judge their association's own things by the association …
  if (p.role === 'association_staff' && owner.associationId !== undefined)
    return p.associationIds!.includes(owner.associationId);
  // … everyone else, and staff for a municipality's things, by the municipality.
  if (owner.municipalityId !== undefined) return p.municipalityIds!.includes(owner.municipalityId);
  return owner.associationId !== undefined && p.associationIds!.includes(owner.associationId);
}

/** What a list may show: what was asked for, within what may be seen (null = all). undefined = no limit. */
export function within(visible: string[] | null, asked?: string): string[] | undefined {
  if (visible === null) return asked ? [asked] : undefined;
  if (asked) return visible.includes(asked) ? [asked] : [];
  return visible;
}

export const visibleMunicipalities = (p: Principal, asked?: string) => within(p.municipalityIds, asked);
