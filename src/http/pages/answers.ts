import { type Request, type Response, Router } from 'express';
import { DomainError } from '../../domain/errors';
import { STATUS } from '../middleware/errors';
import { when, type Lang } from '../../mail/words';
import type { Services } from '../../services';
import type { Answer, AnswerView, Outcome } from '../../services/answers.service';

import { esc } from '../../mail/templates/layout';

const QUESTION: Record<Answer, Record<Lang, { ask: string; button: string }>> = {
  confirm: {
    sv: { ask: 'Kommer du till passet?', button: 'Ja, jag kommer' },
    en: { ask: 'Will you come to this session?', button: 'Yes, I will come' },
  },
  decline: {
    sv: { ask: 'Vill du tacka nej till passet? Då frågar vi en annan guide.', button: 'Jag kan inte komma' },
    en: { ask: 'Do you want to decline the session? Then we will ask another guide.', button: 'I cannot come' },
  },
  take: {
    sv: { ask: 'Vill du ta passet? Den som svarar först får det.', button: 'Ja, jag tar passet' },
    en: { ask: 'Will you take this session? The first to answer gets it.', button: 'Yes, I will take it' },
  },
};

const DONE: Record<Exclude<Outcome, 'open'>, Record<Lang, string>> = {
  confirmed: { sv: 'Tack! Du har svarat att du kommer.', en: 'Thank you! You have said you will come.' },
  declined: {
    sv: 'Tack för att du sa till. Du behöver inte komma. Vi frågar en annan guide.',
    en: 'Thank you for telling us. You need not come. We will ask another guide.',
  },
  taken: {
    sv: 'Tack! Passet är ditt. Du får ett mejl med tiden och adressen.',
    en: 'Thank you! The session is yours. You will get an e-mail with the time and the address.',
  },
  taken_by_other: {
    sv: 'En annan guide svarade först. Tack ändå!',
    en: 'Another guide answered first. Thank you anyway!',
  },
  closed: {
    sv: 'Passet behöver ingen guide längre. Du behöver inte göra något.',
    en: 'The session needs no guide any more. You need not do anything.',
  },
  cannot: {
    sv: 'Tack för ditt svar. Du kan inte ta passet. Du har redan ett pass då, eller har nått dina timmar den veckan. Prata med din samordnare.',
    en: 'Thank you for your answer. You cannot take this session. You already work then, or you have reached your hours that week. Talk to your coordinator.',
  },
};

/** The answer pages' one style sheet, inline (the page is all there is); allowed by its hash in the CSP. */
export const ANSWER_CSS =
  'body{font-family:system-ui,Arial,sans-serif;font-size:18px;line-height:1.5;margin:0;padding:16px;background:#f4f4f5;color:#18181b}\n' +
  'main{max-width:560px;margin:0 auto;background:#fff;padding:20px;border-radius:8px}button{font-size:18px;padding:12px 20px;border:0;border-radius:6px;background:#1d4ed8;color:#fff;cursor:pointer}\n' +
  'button:focus{outline:3px solid #f59e0b}.en{color:#3f3f46;border-top:1px solid #d4d4d8;margin-top:20px;padding-top:12px}';

function page(title: string, sv: string, en: string): string {
  return `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${esc(title)}</title>
<style>${ANSWER_CSS}</style></head>
<body><main><div lang="sv">${sv}</div><div lang="en" class="en">${en}</div></main></body></html>`;
}

function describe(v: AnswerView, lang: Lang): string {
  if (!v.session) return '';
  return `<p><strong>${esc(when(v.session.startsAt, v.session.endsAt, v.session.timeZone, lang))}</strong><br>${esc(v.session.venue)}, ${esc(v.session.address)}</p>`;
}

function render(v: AnswerView, action: string): string {
  const part = (lang: Lang) => {
    if (v.outcome === 'open') {
      const q = QUESTION[v.answer][lang];
      // Only the Swedish part carries the button: one form, one click.
      const form =
        lang === 'sv'
          ? `<form method="post" action="${esc(action)}"><button type="submit">${esc(q.button)}</button></form>`
          : `<p>Press “${esc(QUESTION[v.answer].sv.button)}” above.</p>`;
      return `<h1>${esc(q.ask)}</h1>${describe(v, lang)}${form}`;
    }
    return `<h1>${esc(DONE[v.outcome][lang])}</h1>${describe(v, lang)}`;
  };
  return page('Bryggan', part('sv'), part('en'));
}

const FAILED: Record<string, Record<Lang, string>> = {
  link_expired: {
    sv: 'Länken gäller inte längre. Be din samordnare om en ny.',
    en: 'This link no longer works. Ask your coordinator for a new one.',
  },
  link_revoked: {
    sv: 'Länken gäller inte längre. Be din samordnare om en ny.',
    en: 'This link is no longer valid. Ask your coordinator for a new one.',
  },
  link_replaced: {
    sv: 'Länken gick till din gamla e-postadress. Använd länken i det senaste mejlet, eller prata med din samordnare.',
    en: 'This link went to your old e-mail address. Use the link in the latest e-mail, or talk to your coordinator.',
  },
  invalid_link: {
    sv: 'Länken fungerar inte. Kopiera hela länken från mejlet, eller prata med din samordnare.',
    en: 'This link does not work. Copy the whole link from the e-mail, or talk to your coordinator.',
  },
};

/**
 * The pages behind the links in guides' e-mails. Opening a link only shows the question (mail
 * scanners open links too); the answer is the button, a POST to the same address.
 */
export function answerPages({ answers, guideCalendar }: Services): Router {
  const router = Router();
  const handle = (act: (token: string) => Promise<AnswerView>) => async (req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store');
    try {
      res.type('html').send(render(await act(String(req.params.token)), req.originalUrl));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const text = FAILED[err.code] ?? FAILED.invalid_link;
      res
        .status(STATUS[err.kind])
        .type('html')
        .send(page('Bryggan', `<h1>${esc(text.sv)}</h1>`, `<h1>${esc(text.en)}</h1>`));
    }
  };
  router.get(
    '/svar/:token',
    handle((t) => answers.look(t)),
  );
  router.post(
    '/svar/:token',
    handle((t) => answers.answer(t)),
  );
  router.get('/kalender/:token.ics', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      res.type('text/calendar; charset=utf-8').send(await guideCalendar.feed(String(req.params.token)));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      res
        .status(STATUS[err.kind])
        .type('text/plain')
        .send(`${FAILED[err.code]?.sv ?? FAILED.invalid_link.sv}\n${FAILED[err.code]?.en ?? FAILED.invalid_link.en}\n`);
    }
  });
  return router;
}
