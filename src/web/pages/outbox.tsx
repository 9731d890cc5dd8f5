/**
 * Mejl: the mail Bryggan sends for the municipality, newest first, so a coordinator sees that a
 * guide's mail went out, and sends one again that did not arrive. By guide and by café; no
 * mail's text is shown (the API gives none).
 */
import type { z } from 'zod';
import { useEffect, useState } from 'preact/hooks';
import type { OutboxMessage } from '../../contract/mail';
import { api, ApiError } from '../api';
import type { Ctx } from '../ctx';
import { today } from '../dates';
import { clock, dayInText, defineWords, t } from '../i18n';
import { onLink } from '../router';
import { type Message, MessageLine, Status, Table, useLoad } from '../ui';

type Mail = z.infer<typeof OutboxMessage>;
type MailStatus = 'queued' | 'sent' | 'failed';

const w = defineWords({
  title: ['Mejl', 'E-mail'],
  intro: [
    'Här ser du mejlen som vi skickar till guider och samordnare. De nyaste kommer först.',
    'Here you see the e-mails we send to guides and coordinators. The newest come first.',
  ],
  filters: ['Visa mejl', 'Show e-mails'],
  to: ['Till', 'To'],
  everyone: ['Alla', 'Everyone'],
  hasLeft: ['{n} (har slutat)', '{n} (has left)'],
  status: ['Status', 'Status'],
  anyStatus: ['Alla', 'All'],
  subject: ['Ämne', 'Subject'],
  when: ['När', 'When'],
  queued: ['Väntar', 'Waiting'],
  sent: ['Skickat', 'Sent'],
  failed: ['Kom inte fram', 'Not delivered'],
  superseded: ['Skickas inte', 'Not sent'],
  failedGuide: [
    'Mejlet kom inte fram. Kontrollera guidens e-postadress.',
    "The e-mail did not arrive. Check the guide's e-mail address.",
  ],
  failedOther: [
    'Mejlet kom inte fram. Kontrollera e-postadressen.',
    'The e-mail did not arrive. Check the e-mail address.',
  ],
  supersededText: [
    'Ett nyare mejl om samma pass gick i stället.',
    'A newer e-mail about the same sessions went instead.',
  ],
  waitingText: ['Vi försöker igen {t}.', 'We try again {t}.'],
  guidePage: ['Till guidens sida', "To the guide's page"],
  resend: ['Skicka igen', 'Send again'],
  resendTo: ['Skicka igen till {n}', 'Send again to {n}'],
  resent: ['Mejlet till {n} skickas igen.', 'The e-mail to {n} is sent again.'],
  errSending: ['Mejlet skickas just nu. Vänta en stund.', 'The e-mail is being sent right now. Wait a moment.'],
  errResend: [
    'Vi kunde inte skicka mejlet igen. Försök igen om en stund.',
    'We could not send the e-mail again. Try again in a while.',
  ],
  count1: ['1 mejl', '1 e-mail'],
  countN: ['{n} mejl', '{n} e-mails'],
  more: ['Visa fler', 'Show more'],
  none: [
    'Vi har inte skickat några mejl än. Guiderna får mejl när du publicerar en vecka.',
    'We have not sent any e-mails yet. The guides get e-mail when you publish a week.',
  ],
  noneToGuide: [
    'Inga mejl till {n} än. Guiden får mejl när du publicerar en vecka med guidens pass.',
    "No e-mails to {n} yet. The guide gets e-mail when you publish a week with the guide's sessions.",
  ],
  noneFits: ['Inga mejl passar. Välj Alla för att se alla mejl.', 'No e-mails fit. Choose All to see every e-mail.'],
  aboutCafe: ['Mejl om caféet {d}', 'E-mail about the café {d}'],
  allMail: ['Visa alla mejl', 'Show all e-mails'],
});

const PAGE = 50;

/** The filters, as the address keeps them: `/mejl?guide=<id>&cafe=<id>&status=failed`. */
interface Filter {
  guide: string;
  cafe: string;
  status: '' | MailStatus;
}
function readFilter(): Filter {
  const q = new URLSearchParams(location.search);
  const status = q.get('status');
  return {
    guide: q.get('guide') ?? '',
    cafe: q.get('cafe') ?? '',
    status: status === 'queued' || status === 'sent' || status === 'failed' ? status : '',
  };
}
function filterPath(f: Filter): string {
  const q = new URLSearchParams();
  if (f.guide) q.set('guide', f.guide);
  if (f.cafe) q.set('cafe', f.cafe);
  if (f.status) q.set('status', f.status);
  const s = q.toString();
  return s ? `/mejl?${s}` : '/mejl';
}

/** "tisdag 24 november 10:15" for an instant, on the municipality's clock. */
const at = (iso: string) => `${dayInText(today(new Date(iso)))} ${clock(iso)}`;

function statusBadge(m: Mail) {
  if (m.status === 'sent') return <span class="badge ok">✓ {w('sent')}</span>;
  if (m.status === 'failed') return <span class="badge bad">{w('failed')}</span>;
  if (m.status === 'superseded') return <span class="badge">{w('superseded')}</span>;
  return <span class="badge wait">{w('queued')}</span>;
}

export function OutboxPage({ ctx }: { ctx: Ctx }) {
  const m = ctx.municipalityId;
  const [filter, setFilter] = useState<Filter>(readFilter);
  const [limit, setLimit] = useState(PAGE);
  const [message, setMessage] = useState<Message>(null);
  const [busy, setBusy] = useState('');
  // A link to /mejl from the menu or a guide's page, while this page is open, shows what it names.
  useEffect(() => {
    const update = () => {
      setFilter(readFilter());
      setLimit(PAGE);
    };
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  const change = (next: Filter) => {
    history.replaceState(null, '', filterPath(next));
    setFilter(next);
    setLimit(PAGE);
    setMessage(null);
  };

  const guides = useLoad(
    async () =>
      (
        await api.get<{ items: { id: string; name: string; active: boolean }[] }>(
          `guides?municipalityId=${m}&limit=200`,
        )
      ).items.sort((a, b) => a.name.localeCompare(b.name, 'sv')),
    m,
  );
  const cafe = useLoad(async () => {
    if (!filter.cafe) return null;
    const s = await api.get<{ localDate: string; startTime: string; endTime: string; venueId: string }>(
      `sessions/${filter.cafe}`,
    );
    const venue = await api.get<{ name: string }>(`venues/${s.venueId}`);
    return `${dayInText(s.localDate)} ${s.startTime}–${s.endTime}, ${venue.name}`;
  }, filter.cafe);
  const query = new URLSearchParams({ municipalityId: m, limit: String(limit) });
  if (filter.guide) query.set('guideId', filter.guide);
  if (filter.cafe) query.set('sessionId', filter.cafe);
  if (filter.status) query.set('status', filter.status);
  const loaded = useLoad(
    () => api.get<{ items: Mail[]; total: number }>(`outbox?${query.toString()}`),
    query.toString(),
  );
  const guideName = guides.data?.find((g) => g.id === filter.guide)?.name;

  const resend = async (mail: Mail) => {
    const who = mail.guideName ?? mail.to;
    setBusy(mail.id);
    setMessage(null);
    try {
      await api.post(`outbox/${mail.id}/resend`);
      setMessage({ kind: 'ok', text: w('resent', { n: who }) });
    } catch (e) {
      const code = e instanceof ApiError ? e.code : '';
      setMessage({
        kind: 'error',
        text:
          code === 'message_sending'
            ? w('errSending')
            : code === 'message_superseded'
              ? w('supersededText')
              : w('errResend'),
      });
    } finally {
      setBusy('');
      loaded.reload();
    }
  };

  const empty = () => {
    if (filter.guide && !filter.status && !filter.cafe) return w('noneToGuide', { n: guideName ?? '' });
    if (filter.guide || filter.cafe || filter.status) return w('noneFits');
    return w('none');
  };

  return (
    <section class="stack" aria-labelledby="outbox-title">
      <h1 id="outbox-title" tabIndex={-1}>
        {w('title')}
      </h1>
      <p>{w('intro')}</p>
      {ctx.session.user.mailSetUp === false && <p class="notice warn">{t('publishHintNoMail')}</p>}
      {filter.cafe && (
        <p>
          {cafe.data ? <b>{w('aboutCafe', { d: cafe.data })}</b> : null}{' '}
          <a
            href="/mejl"
            onClick={(e) => {
              e.preventDefault();
              change({ ...filter, cafe: '' });
            }}
          >
            {w('allMail')}
          </a>
        </p>
      )}
      <fieldset class="filters">
        <legend>{w('filters')}</legend>
        <div class="grid2">
          <label>
            {w('to')}
            <select
              id="outbox-guide"
              value={filter.guide}
              onChange={(e) => change({ ...filter, guide: e.currentTarget.value })}
            >
              <option value="">{w('everyone')}</option>
              {(guides.data ?? []).map((g) => (
                <option key={g.id} value={g.id}>
                  {g.active ? g.name : w('hasLeft', { n: g.name })}
                </option>
              ))}
              {/* A guide named by the address before the list has come, so the choice holds. */}
              {filter.guide && !guides.data && <option value={filter.guide}>…</option>}
            </select>
          </label>
          <label>
            {w('status')}
            <select
              id="outbox-status"
              value={filter.status}
              onChange={(e) => change({ ...filter, status: e.currentTarget.value as Filter['status'] })}
            >
              <option value="">{w('anyStatus')}</option>
              <option value="queued">{w('queued')}</option>
              <option value="sent">{w('sent')}</option>
              <option value="failed">{w('failed')}</option>
            </select>
          </label>
        </div>
      </fieldset>
      <MessageLine message={message} />
      <Status loaded={loaded}>
        {() => {
          const { items, total } = loaded.data!;
          if (!items.length) return <p>{empty()}</p>;
          return (
            <>
              <Table
                caption={total === 1 ? w('count1') : w('countN', { n: total })}
                columns={[w('to'), w('subject'), w('status'), w('when')]}
                rows={items.map((mail) => ({
                  key: mail.id,
                  className: mail.status === 'failed' ? 'failed' : undefined,
                  cells: [
                    <>
                      {mail.guideName ?? mail.to}
                      {/* The address, where it is the thing to check. */}
                      {mail.guideName && mail.status === 'failed' && (
                        <>
                          <br />
                          <span class="muted">{mail.to}</span>
                        </>
                      )}
                    </>,
                    mail.subject,
                    <div class="stack">
                      <span>{statusBadge(mail)}</span>
                      {mail.status === 'failed' && (
                        <>
                          <p>{mail.guideId ? w('failedGuide') : w('failedOther')}</p>
                          <p class="row">
                            <button
                              type="button"
                              disabled={busy === mail.id}
                              onClick={() => void resend(mail)}
                              aria-label={w('resendTo', { n: mail.guideName ?? mail.to })}
                            >
                              {w('resend')}
                            </button>
                            {mail.guideId && (
                              <a href={`/personal/guide/${mail.guideId}`} onClick={onLink}>
                                {w('guidePage')}
                              </a>
                            )}
                          </p>
                        </>
                      )}
                      {mail.status === 'superseded' && <p class="muted">{w('supersededText')}</p>}
                      {mail.status === 'queued' && mail.attempts > 0 && (
                        <p class="muted">{w('waitingText', { t: at(mail.nextAttemptAt) })}</p>
                      )}
                    </div>,
                    at(mail.sentAt ?? mail.createdAt),
                  ],
                }))}
              />
              {total > items.length && (
                <p>
                  <button type="button" onClick={() => setLimit((n) => Math.min(500, n + PAGE))}>
                    {w('more')}
                  </button>
                </p>
              )}
            </>
          );
        }}
      </Status>
    </section>
  );
}
