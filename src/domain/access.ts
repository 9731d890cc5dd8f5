/**
 * Who may see what. A principal sees the municipalities it serves: a coordinator or viewer its
 * own, association staff those its association has contracts with, an admin all of them.
 */
export const ROLES = ['admin', 'coordinator', 'association_staff', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  kind: 'user';
  userId: string;
  role: Role;
  /** The user's organisation: a municipality, an association, or null for an admin. */
  organisationId: string | null;
  /** Municipalities this principal may see; null = every one (admin). */
  municipalityIds: string[] | null;
  /** The association of association staff. */
  associationId: string | null;
}

export function seesMunicipality(p: Principal, municipalityId: string): boolean {
  return p.municipalityIds === null || p.municipalityIds.includes(municipalityId);
}

/** The municipalities a list may show: what was asked for, within what the principal may see. */
export function visibleMunicipalities(p: Principal, asked?: string): string[] | undefined {
  if (p.municipalityIds === null) return asked ? [asked] : undefined;
  if (asked) return p.municipalityIds.includes(asked) ? [asked] : [];
  return p.municipalityIds;
}
