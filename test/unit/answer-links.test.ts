import { answerToken, madeBefore, readAnswerToken, renewAnswerLinks } from '../../src/services/answer-links';
import { LinkSigner } from '../../src/lib/tokens';

const signer = new LinkSigner('answer-link tests: a secret of no importance');
const id = '7f1c2a9e-4b1d-4c55-9a63-2f7f0c1d9e10';
const ends = new Date('2027-03-30T15:00:00Z');

describe('answer links', () => {
  it('carry the instant they were made, signed: changed, they are not links at all', () => {
    const token = answerToken(signer, id, 'confirm', ends, new Date('2027-03-19T15:00:00.250Z'));
    expect(readAnswerToken(signer, token)).toEqual({
      id,
      answer: 'confirm',
      expiresAt: ends,
      issued: new Date('2027-03-19T15:00:00.250Z'),
    });
    expect(readAnswerToken(signer, token.replace('~1', '~2'))).toBeNull();
  });

  it('stop working once the address is corrected after them, and so do links from before they carried a time', () => {
    const changed = new Date('2027-03-20T10:00:00Z');
    expect(madeBefore(new Date('2027-03-20T09:59:59.999Z'), changed)).toBe(true);
    expect(madeBefore(new Date('2027-03-20T10:00:00Z'), changed)).toBe(false);
    expect(madeBefore(null, changed)).toBe(true);
    expect(madeBefore(null, null)).toBe(false);
    const legacy = signer.sign(id, 'decline', ends);
    expect(readAnswerToken(signer, legacy)).toMatchObject({ id, answer: 'decline', issued: null });
  });

  it('are made anew in a message going to the corrected address: same answer and expiry, made now', () => {
    const old = answerToken(signer, id, 'decline', ends, new Date('2027-03-19T15:00:00Z'));
    const text = `Kan du inte? https://bryggan.example.org/svar/${encodeURIComponent(old)}\nAnnat: /svar/not-a-token`;
    const now = new Date('2027-03-20T10:00:00Z');
    const renewed = renewAnswerLinks(signer, text, now);
    const token = decodeURIComponent(/\/svar\/(\S+)/.exec(renewed)![1]);
    expect(readAnswerToken(signer, token)).toEqual({ id, answer: 'decline', expiresAt: ends, issued: now });
    expect(renewed).toContain('/svar/not-a-token');
  });
});

describe('LinkSigner', () => {
  it('signs as it always did: links already sent by e-mail stay valid (HMAC-SHA256 of the UTF-8 secret)', () => {
    const pinned = new LinkSigner('a secret of åäö and 32 characters!');
    const token = pinned.sign('link-1', 'confirm', new Date(1_700_000_000_000));
    expect(token).toBe('link-1.1700000000.confirm.ATpB9CNHIdnNboDStBFRgwRSUnQNiKHwgHORw2g__B0');
    expect(pinned.verify(token, 'confirm')).toEqual({ linkId: 'link-1', expiresAt: new Date(1_700_000_000_000) });
    expect(pinned.verify(token, 'decline')).toBeNull();
  });
});
