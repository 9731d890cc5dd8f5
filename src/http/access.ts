import { type Principal, type Role, visibleMunicipalities } from '../domain/access';
import type { OwnedKind } from '../services/ownership';
import type { ListScope } from '../services/support';
import type { Access, OwnerRef } from './route';

/** Who may do what, by role. The owner of what they touch is checked too (see route.ts). */
export const EVERYONE: readonly Role[] = ['admin', 'coordinator', 'association_staff', 'viewer'];
export const PLANNERS: readonly Role[] = ['admin', 'coordinator'];
/** The guide roster is the association's as much as the municipality's. */
export const ROSTER: readonly Role[] = ['admin', 'coordinator', 'association_staff'];
export const ADMINS: readonly Role[] = ['admin'];

export const pathId = (kind: OwnedKind): OwnerRef => ({ in: 'params', key: 'id', kind });
export const bodyRef = (key: string, kind: OwnedKind): OwnerRef => ({ in: 'body', key, kind });
export const allow = (roles: readonly Role[], ...owners: OwnerRef[]): Access => ({ roles, owners });

/** What a list may show this principal, within what was asked for. */
export function listScope(p: Principal, askedMunicipality?: string): ListScope {
  const scope: ListScope = { municipalityIds: visibleMunicipalities(p, askedMunicipality) };
  if (p.role === 'association_staff') scope.associationIds = p.associationIds!;
  return scope;
}

/** Seniors' names are for those who plan with them, not for viewers or the association. */
export const seesSeniors = (p: Principal) => p.role === 'admin' || p.role === 'coordinator';
