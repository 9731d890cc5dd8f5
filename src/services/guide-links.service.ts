import { type EntityManager, IsNull, MoreThan } from 'typeorm';
import { Guide, GuideLink } from '../db/entities';
import { newId } from '../db/columns';
import { UnauthenticatedError } from '../domain/errors';
import type { LinkSigner } from '../lib/tokens';
import { audit } from './audit';
import { getOr404, type ServiceDeps } from './support';
import { boolOf, instantOf, instantOrNull, jsonOf, rawRows } from './raw';

export type LinkPurpose = GuideLink['purpose'];

/** The address of a guide's own page: the token after `#` never reaches a server's logs or another site. */
export const guidePageUrl = (publicUrl: string, token: string) => `${publicUrl}/min-sida#${encodeURIComponent(token)}`;
/** The address of a guide's calendar feed. */
export const calendarUrl = (publicUrl: string, token: string) =>
  `${publicUrl}/kalender/${encodeURIComponent(token)}.ics`;

/**
 * Guides have no password: they reach their own page and calendar through signed links sent
 * by e-mail. A link expires, and a coordinator can revoke it (a lost phone).
 */
export class GuideLinkService {
  constructor(private readonly deps: ServiceDeps & { signer: LinkSigner; linkDays: number }) {}

  issue(guideId: string, purpose: LinkPurpose): Promise<{ link: GuideLink; token: string }> {
    return this.deps.store.transaction((m) => this.issueIn(m, guideId, purpose));
  }

  /**
   * A link the guide keeps using: the newest one still good for a week is given again (the same
   * address on the phone and the laptop, in every weekly mail, and no pile of links); otherwise
   * a new one. In the caller's transaction.
   */
  async lasting(m: EntityManager, guideId: string, purpose: LinkPurpose): Promise<{ link: GuideLink; token: string }> {
    const soon = new Date(this.deps.clock.now().getTime() + 7 * 86_400_000);
    const current = await m.findOne(GuideLink, {
      where: { guideId, purpose, revokedAt: IsNull(), expiresAt: MoreThan(soon) },
      order: { expiresAt: 'DESC', id: 'ASC' },
    });
    if (current) return { link: current, token: this.deps.signer.sign(current.id, purpose, current.expiresAt) };
    return this.issueIn(m, guideId, purpose);
  }

  /** A guide's calendar feed link (see `lasting`). */
  calendarLink(guideId: string): Promise<{ link: GuideLink; token: string }> {
    return this.deps.store.transaction((m) => this.lasting(m, guideId, 'calendar'));
  }

  private async issueIn(
    m: EntityManager,
    guideId: string,
    purpose: LinkPurpose,
  ): Promise<{ link: GuideLink; token: string }> {
    const now = this.deps.clock.now();
    const guide = await getOr404(m, Guide, 'guide', guideId);
    const link = m.create(GuideLink, {
      id: newId(),
      guideId,
      purpose,
      createdAt: now,
      revokedAt: null,
      expiresAt: new Date(now.getTime() + this.deps.linkDays * 86_400_000),
    });
    await m.insert(GuideLink, link);
    await audit(m, now, {
      action: 'guide_link.issue',
      entityType: 'guide',
      entityId: guideId,
      municipalityId: guide.municipalityId,
      fields: [purpose],
    });
    return { link, token: this.deps.signer.sign(link.id, purpose, link.expiresAt) };
  }

  revoke(linkId: string): Promise<GuideLink> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      const link = await getOr404(m, GuideLink, 'guide link', linkId);
      if (!link.revokedAt) {
        link.revokedAt = now;
        await m.save(link);
        const guide = await m.findOneBy(Guide, { id: link.guideId });
        await audit(m, now, {
          action: 'guide_link.revoke',
          entityType: 'guide',
          entityId: link.guideId,
          municipalityId: guide?.municipalityId ?? null,
        });
      }
      return link;
    });
  }

  list(guideId: string): Promise<GuideLink[]> {
    return this.deps.store.manager.find(GuideLink, { where: { guideId }, order: { createdAt: 'DESC', id: 'ASC' } });
  }

  /** The guide a link belongs to; 401 for a forged, expired or revoked link. */
  async resolve(token: string, purpose: LinkPurpose): Promise<Guide> {
    const signed = this.deps.signer.verify(token, purpose);
    const now = this.deps.clock.now();
    if (!signed) throw new UnauthenticatedError('invalid_link', 'This link is not valid');
    if (signed.expiresAt <= now)
      throw new UnauthenticatedError('link_expired', 'This link has expired; ask your coordinator for a new one');
    // The link and its guide in one statement, in plain SQL: every guide's page and queue poll asks it.
    const [row] = await rawRows<GuideRow & { link_revoked_at: unknown }>(
      this.deps.store.manager,
      `SELECT l.revoked_at AS link_revoked_at, ${GUIDE_COLUMNS} FROM guide_links l LEFT JOIN guides g ON g.id = l.guide_id
       WHERE l.id = ?`,
      [signed.linkId],
    );
    if (!row || row.link_revoked_at != null)
      throw new UnauthenticatedError('link_revoked', 'This link has been revoked; ask your coordinator for a new one');
    if (!row.id || !boolOf(row.active)) throw new UnauthenticatedError('invalid_link', 'This link is not valid');
    return guideOf(row);
  }
}

/** A guide's own columns under alias `g`, dates as text on both databases; read with `guideOf`. */
const GUIDE_COLUMNS = [
  'g.id',
  'g.version',
  'g.association_id',
  'g.municipality_id',
  'g.name',
  'g.email',
  'g.phone',
  'g.school',
  'g.programme',
  'g.swedish_level',
  'CAST(g.start_date AS VARCHAR(10)) AS start_date',
  'CAST(g.end_date AS VARCHAR(10)) AS end_date',
  'g.topics',
  'g.max_minutes_per_week',
  'g.active',
  'g.address_changed_at',
  'g.created_at',
  'g.updated_at',
].join(', ');

interface GuideRow {
  id: string | null;
  version: number | string;
  association_id: string;
  municipality_id: string;
  name: string;
  email: string;
  phone: string | null;
  school: string | null;
  programme: string | null;
  swedish_level: Guide['swedishLevel'];
  start_date: string;
  end_date: string | null;
  topics: unknown;
  max_minutes_per_week: number | string;
  active: unknown;
  address_changed_at: unknown;
  created_at: unknown;
  updated_at: unknown;
}

/** A guide as TypeORM reads it (an entity, without its lists): callers may change and save it. */
function guideOf(r: GuideRow): Guide {
  return Object.assign(new Guide(), {
    id: r.id!,
    version: Number(r.version),
    associationId: r.association_id,
    municipalityId: r.municipality_id,
    name: r.name,
    email: r.email,
    phone: r.phone,
    school: r.school,
    programme: r.programme,
    swedishLevel: r.swedish_level,
    startDate: r.start_date,
    endDate: r.end_date,
    topics: jsonOf<Guide['topics']>(r.topics),
    maxMinutesPerWeek: Number(r.max_minutes_per_week),
    active: boolOf(r.active),
    addressChangedAt: instantOrNull(r.address_changed_at),
    createdAt: instantOf(r.created_at),
    updatedAt: instantOf(r.updated_at),
  });
}
