import { createHash, createHmac, createSecretKey, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Bearer tokens are random and stored only as their SHA-256: a database leak gives no usable
 * token. The prefix tells a session token (`bry_s_`) from an API token (`bry_a_`) in a log or a
 * secret scanner without revealing it.
 */
export type TokenKind = 'session' | 'api';
const PREFIX: Record<TokenKind, string> = { session: 'bry_s_', api: 'bry_a_' };
export const TOKEN_RE = /^bry_[sa]_[A-Za-z0-9_-]{43}$/;

export function newBearerToken(kind: TokenKind): string {
  return PREFIX[kind] + randomBytes(32).toString('base64url');
}

/** A one-time link to choose a password (an invitation or a reset): random, stored as its SHA-256. */
export function newLinkToken(): string {
  return 'bry_p_' + randomBytes(32).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Signed links for guides, who have no password: `<linkId>.<expiry>.<purpose>.<signature>`.
 * The signature (HMAC-SHA256 with the installation's secret) proves we made the link; the link's
 * row proves it is not revoked.
 */
export class LinkSigner {
  /** The secret as a key made once: a page signs two links for each café it lists. */
  private readonly key: KeyObject;

  constructor(secret: string) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  sign(linkId: string, purpose: string, expiresAt: Date): string {
    const body = `${linkId}.${Math.floor(expiresAt.getTime() / 1000)}.${purpose}`;
    return `${body}.${this.mac(body)}`;
  }

  /** The link's id and expiry if the signature holds; null for anything forged or malformed. */
  verify(token: string, purpose: string): { linkId: string; expiresAt: Date } | null {
    const parts = token.split('.');
    if (parts.length !== 4) return null;
    const [linkId, exp, tokenPurpose, signature] = parts;
    if (tokenPurpose !== purpose || !/^\d{1,12}$/.test(exp)) return null;
    const expected = Buffer.from(this.mac(`${linkId}.${exp}.${tokenPurpose}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return { linkId, expiresAt: new Date(Number(exp) * 1000) };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
