import { ANSWERS, type Answer } from '../domain/vocabulary';
import type { LinkSigner } from '../lib/tokens';

/**
 * The links in a guide's mail that answer (confirm, decline, take a place). Each carries, signed,
 * the instant it was made: when a coordinator corrects a guide's e-mail address, links made
 * before stop working (they may have gone to someone else's mailbox), and mail still on its way
 * to the corrected address gets its links made anew.
 */

/** Between an answer link's id and the instant it was made (milliseconds): `<id>~<ms>`. */
const ISSUED = '~';

export function answerToken(signer: LinkSigner, id: string, purpose: Answer, expiresAt: Date, now: Date): string {
  return signer.sign(`${id}${ISSUED}${now.getTime()}`, purpose, expiresAt);
}

/** What a link answers, and when it was made (null for links made before they carried it). */
export function readAnswerToken(
  signer: LinkSigner,
  token: string,
): { id: string; answer: Answer; expiresAt: Date; issued: Date | null } | null {
  const answer = token.split('.')[2] as Answer;
  const signed = ANSWERS.includes(answer) ? signer.verify(token, answer) : null;
  if (!signed) return null;
  const [id, ms] = signed.linkId.split(ISSUED);
  const issued = ms && /^\d{1,15}$/.test(ms) ? new Date(Number(ms)) : null;
  return { id, answer, expiresAt: signed.expiresAt, issued };
}

/** Whether a link was made before the guide's address was corrected (a link of no time was made before any). */
export const madeBefore = (issued: Date | null, addressChangedAt: Date | null) =>
  !!addressChangedAt && (!issued || issued.getTime() < addressChangedAt.getTime());

const LINK = /\/svar\/([A-Za-z0-9%._~-]+)/g;

/** A message's text with every answer link in it made anew, now (the same answer, the same expiry). */
export function renewAnswerLinks(signer: LinkSigner, text: string, now: Date): string {
  return text.replace(LINK, (whole, encoded: string) => {
    let token: string;
    try {
      token = decodeURIComponent(encoded);
    } catch {
      return whole;
    }
    const link = readAnswerToken(signer, token);
    if (!link) return whole;
    return `/svar/${encodeURIComponent(answerToken(signer, link.id, link.answer, link.expiresAt, now))}`;
  });
}
