/** A guide's own page, from the signed link: next sessions to confirm or decline, hours, calendar, reports. */
import type { z } from 'zod';
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { GuideSelf } from '../../contract/auth';
import { api, ApiError } from '../api';
import { day, dayInText, defineWords, hoursLong, language, monthName, platform, t, topic, weekdayName } from '../i18n';
import { today } from '../dates';
import { navigate } from '../router';
import { errorText, type Message, MessageLine, Status, useLoad } from '../ui';
import { guideSource, ReportFormPage } from './report-form';

type Me = z.infer<typeof GuideSelf>;

const w = defineWords({
  yourSenior: ['Du hjälper en senior:', 'You help one senior:'],
  yourSeniors: ['Du hjälper {n} seniorer:', 'You help {n} seniors:'],
  wantsHelp: ['Vill ha hjälp med {t}', 'Wants help with {t}'],
  speaks: ['Talar {l}', 'Speaks {l}'],
  cannotTitle: ['Kan du inte jobba?', 'Can you not work?'],
  cannotLead: [
    'Är du sjuk, har du prov eller reser du bort? Säg till här. Vi frågar andra guider om dina pass.',
    'Are you ill, do you have an exam or are you travelling? Tell us here. We ask other guides about your sessions.',
  ],
  cannot: ['Jag är sjuk eller kan inte jobba', 'I am ill or cannot work'],
  daysOff: ['Dagar du inte kan jobba:', 'Days you cannot work:'],
  timesTitle: ['Mina tider', 'My times'],
  timesLead: [
    'Här ser du när du kan jobba. Har du fått ett nytt schema i skolan? Ändra tiderna för nästa termin.',
    'Here you see when you can work. Do you have a new school timetable? Change the times for next term.',
  ],
  noTimes: ['Du har inga tider än.', 'You have no times yet.'],
  changeTimes: ['Ändra mina tider', 'Change my times'],
  from: ['från {d}', 'from {d}'],
});

export function GuidePage({ token, reportSessionId }: { token: string; reportSessionId?: string }) {
  const tk = `token=${encodeURIComponent(token)}`;
  const loaded = useLoad(
    async () => (await (await api.raw('GET', `/api/v1/guide/me?${tk}`, undefined, '')).json()) as Me,
    token,
  );
  if (!token) return <p class="notice error">{t('linkBroken')}</p>;
  if (reportSessionId) {
    return (
      <>
        <p>
          <a
            href={`/min-sida#${encodeURIComponent(token)}`}
            onClick={(e) => {
              e.preventDefault();
              navigate(`/min-sida#${encodeURIComponent(token)}`);
            }}
          >
            ← {t('back')}
          </a>
        </p>
        <ReportFormPage sessionId={reportSessionId} source={guideSource(reportSessionId, token)} />
      </>
    );
  }
  if (loaded.error instanceof ApiError && loaded.error.status === 401)
    return (
      <p class="notice error" role="alert">
        {t('linkBroken')}
      </p>
    );
  return <Status loaded={loaded}>{() => <Mine me={loaded.data!} token={token} reload={loaded.reload} />}</Status>;
}

function Mine({ me, token, reload }: { me: Me; token: string; reload: () => void }) {
  const tk = `token=${encodeURIComponent(token)}`;
  const [calendar, setCalendar] = useState<{ url: string; webcalUrl: string } | null>(null);
  const [message, setMessage] = useState<Message>(null);
  // Kept here, not on the session's card: after a decline the card is gone, the thank-you stays.
  const [answered, setAnswered] = useState<Message>(null);
  const subscribe = async () => {
    try {
      setCalendar(
        (await (await api.raw('POST', `/api/v1/guide/calendar?${tk}`, {}, '')).json()) as {
          url: string;
          webcalUrl: string;
        },
      );
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    }
  };
  return (
    <>
      <h1 tabIndex={-1}>{t('hello', { n: me.name.split(' ')[0] })}</h1>
      <section aria-labelledby="hours" class="card">
        <h2 id="hours">{t('myHours', { m: monthName(me.month) })}</h2>
        <p class="big-figures">
          <span>
            {t('myPlanned')}: <b>{hoursLong(me.plannedMinutes)}</b>
          </span>{' '}
          <span>
            {t('myWorked')}: <b>{hoursLong(me.workedMinutes)}</b>
          </span>
        </p>
        <p class="muted">{t('maxWeek', { h: hoursLong(me.maxHoursPerWeek * 60) })}</p>
      </section>
      <Cannot me={me} token={token} reload={reload} />
      <section aria-labelledby="next">
        <h2 id="next">{t('myNext')}</h2>
        {me.assignments.length === 0 && <p>{t('noNext')}</p>}
        <ul class="plain">
          {me.assignments.map((a) => (
            <li key={a.assignmentId}>
              <Assignment a={a} reload={reload} tell={setAnswered} />
              <MySeniors seniors={a.seniors} />
              {a.localDate === today() && <QueueLink sessionId={a.sessionId} token={token} />}
            </li>
          ))}
        </ul>
        <MessageLine message={answered} />
      </section>
      {me.recent.length > 0 && (
        <section aria-labelledby="recent">
          <h2 id="recent">{t('toReport')}</h2>
          <ul class="plain">
            {me.recent.map((r) => (
              <li key={r.sessionId} class="card row between">
                <span>
                  {day(r.localDate)} {r.startTime}
                  <br />
                  {r.venue}
                  <MySeniors seniors={r.seniors} />
                </span>
                <a
                  class="button primary"
                  href={`/min-sida/rapport/${r.sessionId}#${encodeURIComponent(token)}`}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/min-sida/rapport/${r.sessionId}#${encodeURIComponent(token)}`);
                  }}
                >
                  {r.reported ? `${t('reported')} ✓` : t('toReport')}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <Times me={me} token={token} reload={reload} />
      <section aria-labelledby="cal" class="card">
        <h2 id="cal">{t('subscribe')}</h2>
        {calendar ? (
          <div class="stack">
            <p>{t('subscribeHint')}</p>
            <a class="button primary" href={calendar.webcalUrl}>
              {t('openCalendar')}
            </a>
            <label>
              {t('calendarUrl')}
              <input readOnly value={calendar.url} onFocus={(e) => (e.target as HTMLInputElement).select()} />
            </label>
          </div>
        ) : (
          <button type="button" class="primary" onClick={() => void subscribe()}>
            {t('subscribe')}
          </button>
        )}
        <MessageLine message={message} />
      </section>
    </>
  );
}

/** On the café's day: the live queue, through the guide's own link. */
function QueueLink({ sessionId, token }: { sessionId: string; token: string }) {
  const href = `/min-sida/ko/${sessionId}#${encodeURIComponent(token)}`;
  return (
    <p>
      <a
        class="button primary"
        href={href}
        onClick={(e) => {
          e.preventDefault();
          navigate(href);
        }}
      >
        {t('queueAtCafe')}
      </a>
    </p>
  );
}

function Assignment({
  a,
  reload,
  tell,
}: {
  a: Me['assignments'][number];
  reload: () => void;
  tell: (m: Message) => void;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  // The same signed links as in the e-mail: POST answers, exactly as the button on that page does.
  const answer = async (url: string, done: string) => {
    if (busy) return;
    setBusy(true);
    tell(null);
    try {
      const res = await fetch(new URL(url).pathname, { method: 'POST' });
      // The answer page says what went wrong in HTML; here a link that no longer works is said so.
      if (res.status === 401) tell({ kind: 'error', text: t('linkBroken') });
      else if (!res.ok) throw new Error(String(res.status));
      else tell({ kind: 'ok', text: `${day(a.localDate)} ${a.startTime}: ${done}` });
    } catch {
      tell({ kind: 'error', text: t('failed') });
    } finally {
      setBusy(false);
      setAsking(false);
      reload();
    }
  };
  const id = `a-${a.assignmentId}`;
  return (
    <article class="card" aria-labelledby={id}>
      <h3 id={id}>
        {day(a.localDate)} {a.startTime}–{a.endTime}
      </h3>
      <p>{a.venue}</p>
      {a.response === 'confirmed' ? (
        <p class="badge ok">✓ {t('youConfirmed')}</p>
      ) : (
        <div class="row">
          <button
            type="button"
            class="primary big"
            disabled={busy}
            onClick={() => void answer(a.confirmUrl, t('youConfirmed'))}
          >
            {t('iCome')}
          </button>
          {!asking && (
            <button type="button" class="big" disabled={busy} onClick={() => setAsking(true)}>
              {t('iCannot')}
            </button>
          )}
        </div>
      )}
      {asking && (
        <div class="notice warn stack" role="group" aria-label={t('sureDecline')}>
          <p>{t('sureDecline')}</p>
          <div class="row">
            <button
              type="button"
              class="danger"
              disabled={busy}
              onClick={() => void answer(a.declineUrl, t('declinedDone'))}
            >
              {t('yesDecline')}
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              {t('noKeep')}
            </button>
          </div>
        </div>
      )}
      {a.response === 'confirmed' && !asking && (
        <button type="button" class="small" onClick={() => setAsking(true)}>
          {t('iCannot')}
        </button>
      )}
    </article>
  );
}

/** The roster's forms, fetched when a guide opens one: the page itself stays small on a phone. */
const forms = () => import('./guide-forms');

/** A guide's signed-link call: the link's key is the only credential. */
const asGuide =
  (token: string) =>
  async <T,>(method: string, path: string, body: unknown): Promise<T> => {
    const url = `/api/v1/${path}?token=${encodeURIComponent(token)}`;
    return (await (await api.raw(method, url, body, '')).json()) as T;
  };

function Cannot({ me, token, reload }: { me: Me; token: string; reload: () => void }) {
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const send = asGuide(token);
  const coming = me.unavailableDates.filter((d) => d.date >= today());
  return (
    <section aria-labelledby="cannot" class="card stack">
      <h2 id="cannot">{w('cannotTitle')}</h2>
      <MessageLine message={message} />
      {open ? (
        <OnDemand>
          {(m) => (
            <m.AbsenceForm
              name={me.name}
              self
              path={(preview) => `guide/absences${preview ? '/preview' : ''}`}
              send={(path, body) => send('POST', path, body)}
              onDone={(text) => {
                setOpen(false);
                if (text) setMessage({ kind: 'ok', text });
                reload();
              }}
            />
          )}
        </OnDemand>
      ) : (
        <>
          <p>{w('cannotLead')}</p>
          {coming.length > 0 && (
            <p>
              {w('daysOff')} {coming.map((d) => dayInText(d.date)).join(', ')}
            </p>
          )}
          <p>
            <button type="button" class="big" id="open-cannot" onClick={() => setOpen(true)}>
              {w('cannot')}
            </button>
          </p>
        </>
      )}
    </section>
  );
}

function Times({ me, token, reload }: { me: Me; token: string; reload: () => void }) {
  const [open, setOpen] = useState(false);
  const [saved, setSaved] = useState<Message>(null);
  const send = asGuide(token);
  const periods = [...new Set(me.availability.map((a) => a.validFrom ?? ''))].sort();
  return (
    <section aria-labelledby="times" class="card stack">
      <h2 id="times">{w('timesTitle')}</h2>
      <p>{w('timesLead')}</p>
      {me.availability.length === 0 ? (
        <p>{w('noTimes')}</p>
      ) : (
        periods.map((from) => (
          <p key={from}>
            {from && <b>{w('from', { d: dayInText(from) })}: </b>}
            {me.availability
              .filter((a) => (a.validFrom ?? '') === from)
              .map((a) => `${weekdayName(a.weekday)} ${a.start}–${a.end}`)
              .join(', ')}
          </p>
        ))
      )}
      <MessageLine message={saved} />
      {open ? (
        <OnDemand>
          {(m) => (
            <m.AvailabilityEditor
              name={me.name}
              self
              availability={me.availability}
              save={(period, windows) => send('PUT', 'guide/availability', { ...period, windows })}
              onSaved={(text) => {
                setOpen(false);
                setSaved({ kind: 'ok', text });
                reload();
              }}
            />
          )}
        </OnDemand>
      ) : (
        <p>
          <button
            type="button"
            id="open-times"
            onClick={() => {
              setSaved(null);
              setOpen(true);
            }}
          >
            {w('changeTimes')}
          </button>
        </p>
      )}
    </section>
  );
}

function OnDemand({ children }: { children: (m: Awaited<ReturnType<typeof forms>>) => ComponentChildren }) {
  const loaded = useLoad(forms, 'guide-forms');
  return <Status loaded={loaded}>{() => children(loaded.data!)}</Status>;
}

/** The seniors you help at a café (shown from the day before to the day after it). */
function MySeniors({ seniors }: { seniors: Me['assignments'][number]['seniors'] }) {
  if (!seniors.length) return null;
  return (
    <div class="my-seniors">
      <p>
        <b>{seniors.length === 1 ? w('yourSenior') : w('yourSeniors', { n: seniors.length })}</b>
      </p>
      <ul>
        {seniors.map((x, i) => (
          <li key={i}>
            {x.displayName}: {[...new Set(x.devices.map((d) => platform(d.platform)))].join(', ')}
            {x.topic && `. ${w('wantsHelp', { t: topic(x.topic) })}`}
            {x.language && x.language !== 'sv' && `. ${w('speaks', { l: language(x.language) })}`}.
          </li>
        ))}
      </ul>
    </div>
  );
}
