/** The live queue at the café, on a phone: for the guides on duty (their own link) and association staff. */
import type { z } from 'zod';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Queue as QueueSchema, QueueAnswer } from '../../contract/queue';
import { PLATFORMS, TOPICS } from '../../contract/vocabulary';
import { api } from '../api';
import { day, defineWords, explainAll, platform, topic } from '../i18n';
import { errorText, type Message, MessageLine, Status, useLoad } from '../ui';
import { navigate, onLink } from '../router';

type Queue = z.infer<typeof QueueSchema>;
type Answer = z.infer<typeof QueueAnswer>;
type Entry = Queue['entries'][number];

const w = defineWords({
  title: ['Kön på caféet', 'The queue at the café'],
  newVisitor: ['Kom utan anmälan', 'Walk-in'],
  device: ['Vilken telefon eller dator?', 'Which phone or computer?'],
  need: ['Vad vill seniorn ha hjälp med?', 'What does the senior want help with?'],
  needHint: [
    'Tryck på det seniorn vill ha hjälp med. Då kommer seniorn in i kön.',
    'Tap what the senior wants help with. Then the senior joins the queue.',
  ],
  firstName: ['Förnamn (om seniorn vill)', 'First name (if the senior wants)'],
  chooseDevice: ['Välj telefon eller dator först.', 'Choose the phone or computer first.'],
  signedUp: ['Anmälda seniorer', 'Signed-up seniors'],
  noneSignedUp: ['Inga seniorer är anmälda.', 'No seniors are signed up.'],
  allCame: ['Alla anmälda har kommit.', 'Everyone signed up has come.'],
  hasCome: ['{name} har kommit', '{name} has come'],
  queue: ['Kön', 'The queue'],
  empty: [
    'Ingen står i kön. När en senior kommer utan anmälan: välj telefon eller dator här ovanför.',
    'Nobody is in the queue. When a senior comes without signing up: choose the phone or computer above.',
  ],
  signedUpSenior: ['Anmäld senior', 'Signed-up senior'],
  walkIn: ['Senior utan anmälan', 'Walk-in senior'],
  waiting: ['Väntar', 'Waiting'],
  helpedBy: ['{name} hjälper', '{name} is helping'],
  doneBy: ['Klar: {topic}. {name} hjälpte.', 'Done: {topic}. {name} helped.'],
  suggested: ['Förslag: {name}', 'Suggestion: {name}'],
  noneFree: ['Alla guider hjälper någon nu.', 'All guides are helping someone now.'],
  iTake: ['Jag tar', "I'll take"],
  giveTo: ['Ge till {name}', 'Give to {name}'],
  done: ['Klar', 'Done'],
  helpedWith: ['Hjälpte med', 'Helped with'],
  undoTake: ['Ångra', 'Undo'],
  undoDone: ['Ångra Klar', 'Undo Done'],
  remove: ['Ta bort', 'Remove'],
  added: ['{name} är i kön.', '{name} is in the queue.'],
  someone: ['Seniorn', 'The senior'],
  offline: ['Ingen kontakt just nu. Vi försöker igen.', 'No connection right now. We are trying again.'],
  guidesOnDuty: ['Guider i dag', 'Guides today'],
  busy: ['hjälper någon', 'helping someone'],
  free: ['hjälper ingen nu', 'helping no one now'],
  afterCafe: ['Rapportera caféet', 'Report the café'],
  myPage: ['Till min sida', 'To my page'],
});

/** Where the queue comes from and goes: the logged-in API, or a guide's signed link. */
export interface QueueSource {
  load: (since?: string) => Promise<Answer>;
  add: (body: object) => Promise<Entry>;
  step: (entryId: string, body: object) => Promise<Entry>;
  /** The guide whose link this is: they take visitors for themselves. Null for staff. */
  guideId: string | null;
  reportHref: string;
  backHref?: string;
}

export const userQueueSource = (sessionId: string): QueueSource => ({
  load: (since) => api.get<Answer>(`sessions/${sessionId}/queue${since ? `?since=${since}` : ''}`),
  add: (body) => api.post<Entry>(`sessions/${sessionId}/queue`, body),
  step: (entryId, body) => api.patch<Entry>(`sessions/${sessionId}/queue/${entryId}`, body),
  guideId: null,
  reportHref: `/efter-cafeet/${sessionId}`,
});

export const guideQueueSource = (sessionId: string, token: string, guideId: string): QueueSource => {
  const tk = `token=${encodeURIComponent(token)}`;
  const call = async <T,>(method: string, path: string, body?: unknown) =>
    (await (await api.raw(method, `/api/v1/guide/sessions/${sessionId}/queue${path}`, body, '')).json()) as T;
  return {
    load: (since) => call<Answer>('GET', `?${tk}${since ? `&since=${since}` : ''}`),
    add: (body) => call<Entry>('POST', `?${tk}`, body),
    step: (entryId, body) => call<Entry>('PATCH', `/${entryId}?${tk}`, body),
    guideId,
    reportHref: `/min-sida/rapport/${sessionId}#${encodeURIComponent(token)}`,
    backHref: `/min-sida#${encodeURIComponent(token)}`,
  };
};

/** How often a phone asks whether the queue changed: each change shows on the other phones within two seconds. */
const POLL_MS = 1500;

export function QueuePage({ source }: { source: QueueSource }) {
  const [queue, setQueue] = useState<Queue | null>(null);
  const [offline, setOffline] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [message, setMessage] = useState<Message>(null);
  const version = useRef<string | undefined>(undefined);

  const refresh = async (full = false) => {
    try {
      const answer = await source.load(full ? undefined : version.current);
      setOffline(false);
      if (answer.unchanged) return;
      version.current = answer.version;
      setQueue(answer);
    } catch (err) {
      // Nothing is lost: all state is on the server, and the next poll tries again.
      if (version.current === undefined) setLoadError(err);
      else setOffline(true);
    }
  };
  useEffect(() => {
    void refresh(true);
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, []);

  const act = async (work: () => Promise<unknown>, ok?: string) => {
    setMessage(null);
    try {
      await work();
      if (ok) setMessage({ kind: 'ok', text: ok });
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    }
    await refresh(true);
  };

  return (
    <>
      <h1 tabIndex={-1}>{w('title')}</h1>
      {source.backHref && (
        <p>
          <a
            href={source.backHref}
            onClick={(e) => {
              e.preventDefault();
              navigate(source.backHref!);
            }}
          >
            {w('myPage')}
          </a>
        </p>
      )}
      {loadError !== null && !queue && (
        <p class="notice error" role="alert">
          {errorText(loadError)}
        </p>
      )}
      <div aria-live="polite">{offline && <p class="notice warn">{w('offline')}</p>}</div>
      {queue && <Live queue={queue} source={source} act={act} message={message} />}
    </>
  );
}

function Live({
  queue,
  source,
  act,
  message,
}: {
  queue: Queue;
  source: QueueSource;
  act: (work: () => Promise<unknown>, ok?: string) => Promise<void>;
  message: Message;
}) {
  const guideName = (id: string | null) => queue.guides.find((g) => g.guideId === id)?.name ?? '';
  const waitingSeated = queue.seated.filter((s) => !s.checkedIn);
  // A guide's link names only the guide's own seniors and visitors; the others by what they bring.
  const label = (e: Entry) => e.name ?? (e.kind === 'walk_in' ? w('walkIn') : w('signedUpSenior'));
  const brings = (platforms: readonly string[], need: string | null) =>
    [...platforms.map(platform), ...(need ? [topic(need)] : [])].join(' · ');
  return (
    <div class="stack queue">
      <p class="lead">
        {day(queue.localDate)} {queue.startTime}–{queue.endTime}
        <br />
        {queue.venue}
      </p>
      <MessageLine message={message} />
      <NewVisitor add={(body, name) => act(() => source.add(body), w('added', { name: name || w('someone') }))} />
      <section aria-labelledby="q-seated">
        <h2 id="q-seated">{w('signedUp')}</h2>
        {queue.seated.length === 0 ? (
          <p class="muted">{w('noneSignedUp')}</p>
        ) : waitingSeated.length === 0 ? (
          <p class="muted">{w('allCame')}</p>
        ) : (
          <ul class="plain">
            {waitingSeated.map((s) => (
              <li key={s.registrationId}>
                <button
                  type="button"
                  class="big"
                  aria-describedby={`q-brings-${s.registrationId}`}
                  onClick={() => void act(() => source.add({ kind: 'registered', registrationId: s.registrationId }))}
                >
                  {w('hasCome', { name: s.displayName ?? w('signedUpSenior') })}
                </button>{' '}
                <span class="muted" id={`q-brings-${s.registrationId}`}>
                  {brings(s.platforms, s.topic)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="q-list">
        <h2 id="q-list">{w('queue')}</h2>
        {queue.entries.length === 0 && <p class="muted">{w('empty')}</p>}
        <ol class="plain stack">
          {queue.entries.map((e) => (
            <li key={e.id} class="card stack" data-entry={e.id}>
              <p>
                <b>{label(e)}</b>
                <br />
                {e.platform ? platform(e.platform) : ''}
                {e.platform && e.topic ? ' · ' : ''}
                {e.topic ? topic(e.topic) : ''}
              </p>
              <EntryActions e={e} queue={queue} source={source} act={act} guideName={guideName} />
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="q-guides">
        <h2 id="q-guides">{w('guidesOnDuty')}</h2>
        <ul class="plain">
          {queue.guides.map((g) => (
            <li key={g.guideId}>
              {g.name}: {g.helping ? w('busy') : w('free')}
            </li>
          ))}
        </ul>
      </section>
      <p>
        <a class="button" href={source.reportHref} onClick={onLink}>
          {w('afterCafe')}
        </a>
      </p>
    </div>
  );
}

function EntryActions({
  e,
  queue,
  source,
  act,
  guideName,
}: {
  e: Entry;
  queue: Queue;
  source: QueueSource;
  act: (work: () => Promise<unknown>, ok?: string) => Promise<void>;
  guideName: (id: string | null) => string;
}) {
  const [doneTopic, setDoneTopic] = useState<string>(e.topic ?? 'other');
  const step = (body: object) => void act(() => source.step(e.id, body));
  if (e.status === 'waiting') {
    const suggested = e.suggestedGuideId;
    const me = source.guideId;
    const meOnDuty = me !== null && queue.guides.some((g) => g.guideId === me && !g.helping);
    return (
      <div class="stack">
        <p>
          {w('waiting')}. {suggested ? w('suggested', { name: guideName(suggested) }) : w('noneFree')}
          {suggested && e.suggestionReasons.length > 0 && (
            <>
              {' '}
              <span class="muted">{explainAll(e.suggestionReasons)}</span>
            </>
          )}
        </p>
        <div class="row">
          {me !== null
            ? meOnDuty && (
                <button type="button" class="primary" onClick={() => step({ status: 'helping' })}>
                  {w('iTake')}
                </button>
              )
            : suggested && (
                <button type="button" class="primary" onClick={() => step({ status: 'helping', guideId: suggested })}>
                  {w('giveTo', { name: guideName(suggested) })}
                </button>
              )}
          <button type="button" class="small" onClick={() => step({ status: 'removed' })}>
            {w('remove')}
          </button>
        </div>
      </div>
    );
  }
  if (e.status === 'helping') {
    const mine = source.guideId === null || source.guideId === e.guideId;
    return (
      <div class="stack">
        <p>{w('helpedBy', { name: guideName(e.guideId) })}</p>
        {mine && (
          <div class="row">
            <label>
              {w('helpedWith')}{' '}
              <select value={doneTopic} onChange={(ev) => setDoneTopic((ev.target as HTMLSelectElement).value)}>
                {TOPICS.map((k) => (
                  <option key={k} value={k}>
                    {topic(k)}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" class="primary" onClick={() => step({ status: 'done', topic: doneTopic })}>
              {w('done')}
            </button>
            <button type="button" class="small" onClick={() => step({ status: 'waiting' })}>
              {w('undoTake')}
            </button>
          </div>
        )}
      </div>
    );
  }
  const mine = source.guideId === null || source.guideId === e.guideId;
  return (
    <div class="row">
      <p>{w('doneBy', { topic: topic(e.doneTopic ?? 'other'), name: guideName(e.guideId) })}</p>
      {mine && (
        <button type="button" class="small" onClick={() => step({ status: 'helping' })}>
          {w('undoDone')}
        </button>
      )}
    </div>
  );
}

/** A walk-in in two taps: the device, then what they need (that tap adds them); a first name if they want. */
function NewVisitor({ add }: { add: (body: object, name: string) => Promise<void> }) {
  const [device, setDevice] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [hint, setHint] = useState(false);
  const [busy, setBusy] = useState(false);
  const choose = async (need: string) => {
    if (!device) {
      setHint(true);
      return;
    }
    setBusy(true);
    await add({ kind: 'walk_in', platform: device, topic: need, firstName: name.trim() || null }, name.trim());
    setDevice(null);
    setName('');
    setHint(false);
    setBusy(false);
  };
  return (
    <section aria-labelledby="q-new" class="card stack">
      <h2 id="q-new">{w('newVisitor')}</h2>
      <fieldset>
        <legend>{w('device')}</legend>
        <div class="choices">
          {PLATFORMS.map((p) => (
            <label key={p} class="choice">
              <input
                type="radio"
                name="q-device"
                value={p}
                checked={device === p}
                onChange={() => {
                  setDevice(p);
                  setHint(false);
                }}
              />
              {platform(p)}
            </label>
          ))}
        </div>
      </fieldset>
      <label>
        {w('firstName')}
        <input
          type="text"
          maxLength={40}
          autocomplete="off"
          value={name}
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
        />
      </label>
      <fieldset>
        <legend>{w('need')}</legend>
        <p class="muted">{w('needHint')}</p>
        <div aria-live="polite">{hint && <p class="notice warn">{w('chooseDevice')}</p>}</div>
        <div class="choices">
          {TOPICS.map((k) => (
            <button key={k} type="button" disabled={busy} onClick={() => void choose(k)}>
              {topic(k)}
            </button>
          ))}
        </div>
      </fieldset>
    </section>
  );
}

/** The queue through a guide's own link: who the guide is comes from the link. */
export function GuideQueuePage({ sessionId, token }: { sessionId: string; token: string }) {
  const me = useLoad(
    async () =>
      (await (await api.raw('GET', `/api/v1/guide/me?token=${encodeURIComponent(token)}`, undefined, '')).json()) as {
        id: string;
      },
    `${sessionId}/${token}`,
  );
  return <Status loaded={me}>{() => <QueuePage source={guideQueueSource(sessionId, token, me.data!.id)} />}</Status>;
}
