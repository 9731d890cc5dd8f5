/**
 * Seniors, for those who plan: find one by name or phone, enter a new one at the desk while on
 * the phone, and on a senior's page their cafés to come, a place at every café of a series, one
 * café, and the data rights (everything held, as a file; erase).
 */
import type { z } from 'zod';
import { useState } from 'preact/hooks';
import type { ComingSession, Regular, RegularOutcome, Registration, Senior } from '../../contract/people';
import type { Series, Session } from '../../contract/planning';
import type { Venue } from '../../contract/venues';
import { AGE_BANDS, CONSENT_METHODS, TOPICS } from '../../contract/vocabulary';
import { api, ApiError, saveBlob } from '../api';
import type { Ctx } from '../ctx';
import { addDays, today } from '../dates';
import { CheckGroup, FormMessage, SaveButton, SelectField, TextField, useForm, useFormFocus } from '../form';
import { ageBand, day, dayInText, defineWords, lang, language, plural, platform, t, topic, weekdayName } from '../i18n';
import { navigate, onLink } from '../router';
import { errorText, type Message, MessageLine, Status, Table, useLoad } from '../ui';

type S = z.infer<typeof Senior>;
type Coming = z.infer<typeof ComingSession>;
type R = z.infer<typeof Regular>;
type SeriesT = z.infer<typeof Series>;

const w = defineWords({
  add: ['Ny senior', 'New senior'],
  addTitle: ['Ny senior', 'New senior'],
  editTitle: ['Ändra {n}', 'Change {n}'],
  displayName: ['Namn (förnamn räcker)', 'Name (a first name is enough)'],
  phone: ['Telefonnummer', 'Phone number'],
  email: ['Mejladress (om seniorn har en)', 'E-mail address (if the senior has one)'],
  devices: ['Enheter seniorn tar med', 'Devices the senior brings'],
  topics: ['Vill ha hjälp med', 'Wants help with'],
  language: ['Språk', 'Language'],
  ageBand: ['Ålder', 'Age'],
  noAnswer: ['Vill inte säga', 'Would rather not say'],
  consentTitle: ['Samtycke', 'Consent'],
  consentHint: [
    'Fråga: Får vi spara ditt namn och telefonnummer? Vi använder dem bara för IT-caféet.',
    'Ask: May we keep your name and phone number? We only use them for the IT café.',
  ],
  consentMethod: ['Hur sa seniorn ja?', 'How did the senior say yes?'],
  chooseMethod: ['Välj', 'Choose'],
  oral: ['Muntligt (i telefon eller på plats)', 'Orally (on the phone or in person)'],
  paper: ['På papper', 'On paper'],
  digital: ['Digitalt', 'Digitally'],
  consentDate: ['Datum för samtycket', 'Date of the consent'],
  needsConsent: [
    'Fråga seniorn först. Välj hur seniorn sa ja.',
    'Ask the senior first. Choose how the senior said yes.',
  ],
  saved: ['{n} är sparad.', '{n} is saved.'],
  savedNew: ['{n} är sparad. Anmäl till ett café nedan.', '{n} is saved. Sign up for a café below.'],
  search: ['Sök på namn eller telefon', 'Search by name or phone'],
  count1: ['1 senior', '1 senior'],
  countN: ['{n} seniorer', '{n} seniors'],
  none: ['Ingen senior heter så. Lägg till en ny.', 'No senior has that name. Add a new one.'],
  first: ['Det finns inga seniorer än.', 'There are no seniors yet.'],
  toList: ['Alla seniorer', 'All seniors'],
  edit: ['Ändra uppgifter', 'Change details'],
  consentGiven: ['Samtycke {d}: {m}', 'Consent {d}: {m}'],
  coming: ['Caféer som kommer', 'Cafés to come'],
  noComing: ['Seniorn är inte anmäld till något café.', 'The senior is not signed up for any café.'],
  seat: ['Anmäld', 'Signed up'],
  waiting: ['Står på väntelistan', 'On the waiting list'],
  everyTime: ['varje gång', 'every time'],
  cancelOne: ['Avanmäl', 'Cancel'],
  cancelOneLabel: ['Avanmäl {d}', 'Cancel {d}'],
  cancelled: ['Avanmäld {d}.', 'Cancelled {d}.'],
  signUpOne: ['Anmäl till ett café', 'Sign up for a café'],
  session: ['Café', 'Café'],
  noSessions: ['Det finns inga caféer de närmaste fyra veckorna.', 'There are no cafés in the next four weeks.'],
  signUp: ['Anmäl', 'Sign up'],
  signedUp: ['Anmäld till {d}.', 'Signed up for {d}.'],
  signedWaiting: [
    '{d} är fullt. Seniorn står på väntelistan som nummer {p}.',
    '{d} is full. The senior is number {p} on the waiting list.',
  ],
  regularTitle: ['Anmäld varje gång', 'Signed up every time'],
  regularLead: [
    'Seniorn får en plats på varje café i serien. Är ett café fullt står seniorn på väntelistan.',
    'The senior gets a seat at every café of the series. Where a café is full, the senior is on the waiting list.',
  ],
  regularNone: [
    'Seniorn är inte anmäld varje gång till något café.',
    'The senior is not signed up every time anywhere.',
  ],
  series: ['Café', 'Café'],
  fromDate: ['Från och med', 'From'],
  toDate: ['Till och med (om det finns ett slut)', 'To (if there is an end)'],
  makeRegular: ['Anmäl varje gång', 'Sign up every time'],
  regularSeated1: ['Klart. Seniorn är anmäld till 1 café.', 'Done. The senior is signed up for 1 café.'],
  regularSeatedN: ['Klart. Seniorn är anmäld till {n} caféer.', 'Done. The senior is signed up for {n} cafés.'],
  regularWaiting1: ['Seniorn står på väntelistan till 1 café.', 'The senior is on the waiting list for 1 café.'],
  regularWaitingN: ['Seniorn står på väntelistan till {n} caféer.', 'The senior is on the waiting list for {n} cafés.'],
  regularRow: ['{c}, från {f}', '{c}, from {f}'],
  regularRowTo: ['{c}, {f} – {t}', '{c}, {f} – {t}'],
  endRegular: ['Sluta från ett datum', 'Stop from a date'],
  endFrom: ['Första dagen seniorn inte kommer', 'The first day the senior does not come'],
  endSave: ['Sluta', 'Stop'],
  ended1: ['Klart. 1 anmälan är borttagen.', 'Done. 1 sign-up is removed.'],
  endedN: ['Klart. {n} anmälningar är borttagna.', 'Done. {n} sign-ups are removed.'],
  rights: ['Seniorns uppgifter', "The senior's data"],
  rightsLead: [
    'Seniorn har rätt att få se allt vi sparar, och att vi raderar det.',
    'The senior has the right to see everything we keep, and to have it erased.',
  ],
  exportData: ['Ladda ner allt vi sparar', 'Download everything we keep'],
  erase: ['Radera seniorn', 'Erase the senior'],
  sureErase: [
    'Vi raderar namn, telefon och allt annat om {n}. Platserna på kommande caféer går till andra. Det går inte att ångra. Antalet besök finns kvar i rapporterna.',
    'We erase the name, the phone and everything else about {n}. The places at coming cafés go to others. It cannot be undone. The number of visits stays in the reports.',
  ],
  yesErase: ['Radera {n}', 'Erase {n}'],
  erased: ['Uppgifterna är raderade.', 'The data is erased.'],
});

/** The devices seniors bring, as one tap each: the platform and the kind together. */
const DEVICES: [string, string, [string, string]][] = [
  ['ios', 'phone', ['iPhone', 'iPhone']],
  ['android', 'phone', ['Android-telefon', 'Android phone']],
  ['ipados', 'tablet', ['iPad', 'iPad']],
  ['android', 'tablet', ['Android-surfplatta', 'Android tablet']],
  ['windows', 'computer', ['Windows-dator', 'Windows computer']],
  ['macos', 'computer', ['Mac-dator', 'Mac computer']],
  ['chromeos', 'computer', ['Chromebook', 'Chromebook']],
];
const KINDS: Record<string, [string, string]> = {
  phone: ['telefon', 'phone'],
  tablet: ['surfplatta', 'tablet'],
  computer: ['dator', 'computer'],
};
const sv = () => lang() === 'sv';
/** The senior just entered at the desk: their page says so once. */
let justAdded: string | null = null;
function deviceName(key: string): string {
  const [p, k] = key.split(':');
  const known = DEVICES.find(([dp, dk]) => dp === p && dk === k);
  if (known) return known[2][sv() ? 0 : 1];
  return `${platform(p)} (${KINDS[k]?.[sv() ? 0 : 1] ?? k})`;
}
const deviceKey = (d: { platform: string; kind: string }) => `${d.platform}:${d.kind}`;
/** The languages seniors most often speak here, Swedish first. */
const LANGUAGES = ['sv', 'ar', 'fa', 'prs', 'ti', 'so', 'uk', 'ru', 'ku', 'tr', 'bs', 'pl', 'fi', 'es', 'en'];

export function SeniorsList({ ctx }: { ctx: Ctx }) {
  const [q, setQ] = useState('');
  const [adding, setAdding] = useState(false);
  const loaded = useLoad(
    async () =>
      await api.get<{ items: S[]; total: number }>(
        `seniors?municipalityId=${ctx.municipalityId}&limit=100${q.trim() ? `&q=${encodeURIComponent(q.trim())}` : ''}`,
      ),
    `${ctx.municipalityId}/${q}`,
  );
  return (
    <section class="stack" aria-labelledby="seniors-title">
      <div class="page-head">
        <h2 id="seniors-title">{t('seniors')}</h2>
        {!adding && (
          <button type="button" class="primary" id="add-senior" onClick={() => setAdding(true)}>
            {w('add')}
          </button>
        )}
      </div>
      {adding && (
        <SeniorForm
          senior={null}
          municipalityId={ctx.municipalityId}
          onDone={(saved) => {
            setAdding(false);
            if (!saved) return;
            justAdded = saved.id;
            navigate(`/personal/senior/${saved.id}`);
          }}
        />
      )}
      <label for="senior-q">{w('search')}</label>
      <input id="senior-q" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} autocomplete="off" />
      <Status loaded={loaded}>
        {() =>
          loaded.data!.items.length === 0 ? (
            <p>{q.trim() ? w('none') : w('first')}</p>
          ) : (
            <Table
              caption={plural(loaded.data!.total, w('count1'), w('countN', { n: loaded.data!.total }))}
              columns={[t('name'), t('phone'), t('devices'), t('topics')]}
              rows={loaded.data!.items.map((s) => ({
                key: s.id,
                cells: [
                  <a href={`/personal/senior/${s.id}`} onClick={onLink}>
                    {s.displayName}
                  </a>,
                  s.phone ?? '',
                  s.devices.map((d) => deviceName(deviceKey(d))).join(', '),
                  s.topics.map(topic).join(', '),
                ],
              }))}
            />
          )
        }
      </Status>
    </section>
  );
}

interface SeniorValues {
  displayName: string;
  phone: string;
  email: string;
  devices: string[];
  topics: string[];
  preferredLanguage: string;
  ageBand: string;
  consentMethod: string;
  consentDate: string;
}

/** The local date of an instant, on the municipality's clock. */
const dateOf = (iso: string) => today(new Date(iso));

/** A new senior at the desk, on the phone with them, or a change to one: the fewest fields that do the job. */
function SeniorForm({
  senior,
  municipalityId,
  onDone,
  onReload,
}: {
  senior: S | null;
  municipalityId: string;
  onDone: (saved: S | null) => void;
  onReload?: () => void;
}) {
  const initial: SeniorValues = {
    displayName: senior?.displayName ?? '',
    phone: senior?.phone ?? '',
    email: senior?.email ?? '',
    devices: senior?.devices.map(deviceKey) ?? [],
    topics: senior?.topics ?? [],
    preferredLanguage: senior?.preferredLanguage ?? 'sv',
    ageBand: senior?.ageBand ?? '',
    consentMethod: senior?.consentMethod ?? '',
    consentDate: senior ? dateOf(senior.consentGivenAt) : today(),
  };
  const body = (v: SeniorValues) => {
    // Consent is asked for first: without how it was given, nothing is sent.
    if (!senior && !v.consentMethod)
      throw new ApiError(400, 'validation_failed', '', [{ field: 'body.consentMethod', issue: 'Required' }]);
    const consentChanged = !senior || v.consentDate !== initial.consentDate;
    return {
      displayName: v.displayName,
      phone: v.phone.trim() || null,
      email: v.email.trim() || null,
      devices: v.devices.map((d) => ({ platform: d.split(':')[0], kind: d.split(':')[1] })),
      topics: v.topics,
      preferredLanguage: v.preferredLanguage,
      ageBand: v.ageBand || null,
      ...(v.consentMethod ? { consentMethod: v.consentMethod } : {}),
      ...(consentChanged
        ? {
            consentGivenAt:
              v.consentDate === today()
                ? new Date().toISOString()
                : new Date(`${v.consentDate}T12:00:00`).toISOString(),
          }
        : {}),
    };
  };
  const form = useForm({
    id: 'senior',
    initial,
    save: async (v) =>
      senior
        ? api.patch<S>(`seniors/${senior.id}`, { ...body(v), version: senior.version })
        : api.post<S>('seniors', { ...body(v), municipalityId }),
    done: (saved) => onDone(saved as S),
    words: { consentMethod: w('needsConsent'), consentGivenAt: w('needsConsent') },
  });
  const focus = useFormFocus<HTMLFormElement>();
  const devices = [...new Set([...DEVICES.map(([p, k]) => `${p}:${k}`), ...initial.devices])];
  const languages = [...new Set([...LANGUAGES, initial.preferredLanguage])];
  return (
    <form ref={focus} class="card stack" onSubmit={form.submit} noValidate aria-labelledby="senior-form-title">
      <h2 id="senior-form-title">{senior ? w('editTitle', { n: senior.displayName }) : w('addTitle')}</h2>
      <div class="grid2">
        <TextField form={form} name="displayName" label={w('displayName')} autoComplete="off" required />
        <TextField form={form} name="phone" label={w('phone')} type="tel" autoComplete="off" />
      </div>
      <CheckGroup
        form={form}
        name="devices"
        legend={w('devices')}
        options={devices.map((d) => ({ value: d, label: deviceName(d) }))}
      />
      <CheckGroup
        form={form}
        name="topics"
        legend={w('topics')}
        options={TOPICS.map((x) => ({ value: x, label: topic(x) }))}
      />
      <div class="grid2">
        <SelectField
          form={form}
          name="preferredLanguage"
          label={w('language')}
          options={languages.map((l) => ({ value: l, label: language(l) }))}
        />
        <SelectField
          form={form}
          name="ageBand"
          label={w('ageBand')}
          options={[{ value: '', label: w('noAnswer') }, ...AGE_BANDS.map((a) => ({ value: a, label: ageBand(a) }))]}
        />
        <TextField form={form} name="email" label={w('email')} type="email" autoComplete="off" />
      </div>
      <fieldset>
        <legend>{w('consentTitle')}</legend>
        <p class="hint">{w('consentHint')}</p>
        <div class="grid2">
          <SelectField
            form={form}
            name="consentMethod"
            label={w('consentMethod')}
            options={[
              { value: '', label: w('chooseMethod') },
              ...CONSENT_METHODS.map((m) => ({ value: m, label: w(m) })),
            ]}
          />
          <TextField form={form} name="consentDate" label={w('consentDate')} type="date" max={today()} />
        </div>
      </fieldset>
      <FormMessage form={form} onReload={onReload} />
      <div class="row">
        <SaveButton form={form} />
        <button type="button" onClick={() => onDone(null)}>
          {t('back')}
        </button>
      </div>
    </form>
  );
}

/** A café series named as people say it: "Stadsbiblioteket, torsdagar 14:00". */
function seriesName(s: SeriesT, venues: Map<string, string>) {
  return `${venues.get(s.venueId) ?? ''}, ${weekdayName(s.weekday)} ${s.startTime}`;
}

/** One senior: details, cafés to come, every-time places, one café, and the data rights. */
export function SeniorPage({ ctx, id }: { ctx: Ctx; id: string }) {
  const m = ctx.municipalityId;
  const loaded = useLoad(async () => {
    const [senior, coming, regulars] = await Promise.all([
      api.get<S>(`seniors/${id}`),
      api.get<{ items: Coming[] }>(`seniors/${id}/sessions`),
      api.get<{ items: R[] }>(`seniors/${id}/regulars`),
    ]);
    return { senior, coming: coming.items, regulars: regulars.items };
  }, id);
  const cafes = useLoad(async () => {
    const [series, venues, sessions] = await Promise.all([
      api.get<{ items: SeriesT[] }>(`series?municipalityId=${m}&limit=200`),
      api.get<{ items: z.infer<typeof Venue>[] }>(`venues?municipalityId=${m}&limit=500`),
      api.get<{ items: z.infer<typeof Session>[] }>(
        `sessions?municipalityId=${m}&status=scheduled&from=${today()}&to=${addDays(today(), 28)}&limit=200`,
      ),
    ]);
    return { series: series.items, venues: new Map(venues.items.map((v) => [v.id, v.name])), sessions: sessions.items };
  }, m);
  const [editing, setEditing] = useState(false);
  const [added] = useState(() => {
    const fresh = justAdded === id;
    justAdded = null;
    return fresh;
  });
  const [message, setMessage] = useState<Message>(null);
  const [erasing, setErasing] = useState(false);
  const tell = (text: string, kind: 'ok' | 'error' = 'ok') => setMessage({ kind, text });
  const act = async (work: () => Promise<string>) => {
    setMessage(null);
    try {
      tell(await work());
    } catch (e) {
      tell(errorText(e), 'error');
    }
    loaded.reload();
  };
  return (
    <Status loaded={loaded}>
      {() => {
        const { senior: s, coming, regulars } = loaded.data!;
        const shown = message ?? (added ? { kind: 'ok' as const, text: w('savedNew', { n: s.displayName }) } : null);
        return (
          <section class="stack" aria-labelledby="senior-name">
            <p>
              <a href="/personal/seniorer" onClick={onLink}>
                ← {w('toList')}
              </a>
            </p>
            <MessageLine message={shown} />
            {editing ? (
              <SeniorForm
                key={s.version}
                senior={s}
                municipalityId={m}
                onDone={(saved) => {
                  setEditing(false);
                  if (saved) tell(w('saved', { n: saved.displayName }));
                  loaded.reload();
                }}
                onReload={loaded.reload}
              />
            ) : (
              <div class="card stack">
                <h2 id="senior-name">{s.displayName}</h2>
                <p>
                  {s.phone}
                  {s.email && (
                    <>
                      <br />
                      {s.email}
                    </>
                  )}
                </p>
                <p>
                  {s.devices.map((d) => deviceName(deviceKey(d))).join(', ')}
                  {s.topics.length > 0 && (
                    <>
                      <br />
                      {w('topics')}: {s.topics.map(topic).join(', ')}
                    </>
                  )}
                  <br />
                  {w('language')}: {language(s.preferredLanguage)}
                  {s.ageBand && (
                    <>
                      {' '}
                      · {w('ageBand')}: {ageBand(s.ageBand)}
                    </>
                  )}
                </p>
                <p class="muted">
                  {w('consentGiven', {
                    d: dayInText(dateOf(s.consentGivenAt)),
                    m: s.consentMethod ? w(s.consentMethod).toLowerCase() : '–',
                  })}
                </p>
                <p>
                  <button type="button" id="edit-senior" onClick={() => setEditing(true)}>
                    {w('edit')}
                  </button>
                </p>
              </div>
            )}
            <section class="card stack" aria-labelledby="coming-title">
              <h2 id="coming-title">{w('coming')}</h2>
              {coming.length === 0 ? (
                <p>{w('noComing')}</p>
              ) : (
                <ul class="plain dates">
                  {coming.map((c) => (
                    <li key={c.registrationId} class="row between">
                      <span>
                        {day(c.localDate)} {c.startTime}–{c.endTime}, {c.venue}.{' '}
                        <span class={c.status === 'waitlisted' ? 'badge wait' : 'badge ok'}>
                          {c.status === 'waitlisted' ? w('waiting') : w('seat')}
                        </span>
                        {c.regular && <span class="muted"> · {w('everyTime')}</span>}
                      </span>
                      <button
                        type="button"
                        class="small"
                        aria-label={w('cancelOneLabel', { d: dayInText(c.localDate) })}
                        onClick={() =>
                          void act(async () => {
                            await api.post(`registrations/${c.registrationId}/cancel`);
                            return w('cancelled', { d: dayInText(c.localDate) });
                          })
                        }
                      >
                        {w('cancelOne')}
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <Status loaded={cafes}>
              {() => (
                <>
                  <SignUpOne
                    key={coming.length}
                    seniorId={id}
                    sessions={cafes.data!.sessions.filter((x) => !coming.some((c) => c.sessionId === x.id))}
                    venues={cafes.data!.venues}
                    onDone={(text) => void act(() => Promise.resolve(text))}
                  />
                  <Regulars
                    seniorId={id}
                    regulars={regulars}
                    series={cafes.data!.series}
                    venues={cafes.data!.venues}
                    act={act}
                  />
                </>
              )}
            </Status>
            <section class="card stack" aria-labelledby="rights-title">
              <h2 id="rights-title">{w('rights')}</h2>
              <p>{w('rightsLead')}</p>
              <div class="row">
                <button
                  type="button"
                  onClick={() =>
                    void api
                      .blob(`seniors/${id}/export`)
                      .then((b) => saveBlob(b, `senior-${id.slice(0, 8)}.json`))
                      .catch((e: unknown) => tell(errorText(e), 'error'))
                  }
                >
                  {w('exportData')}
                </button>
                {!erasing && (
                  <button type="button" class="danger" onClick={() => setErasing(true)}>
                    {w('erase')}
                  </button>
                )}
              </div>
              {erasing && (
                <div class="notice warn stack" role="group" aria-labelledby="erase-text">
                  <p id="erase-text">{w('sureErase', { n: s.displayName })}</p>
                  <div class="row">
                    <button
                      type="button"
                      class="danger"
                      onClick={() =>
                        void api.post(`seniors/${id}/erase`).then(
                          () => navigate('/personal/seniorer'),
                          (e: unknown) => tell(errorText(e), 'error'),
                        )
                      }
                    >
                      {w('yesErase', { n: s.displayName })}
                    </button>
                    <button type="button" onClick={() => setErasing(false)}>
                      {t('back')}
                    </button>
                  </div>
                </div>
              )}
            </section>
          </section>
        );
      }}
    </Status>
  );
}

/** Sign up for one café of the next four weeks: a seat, or a place on the waiting list. */
function SignUpOne({
  seniorId,
  sessions,
  venues,
  onDone,
}: {
  seniorId: string;
  sessions: z.infer<typeof Session>[];
  venues: Map<string, string>;
  onDone: (text: string) => void;
}) {
  const label = (x: z.infer<typeof Session>) => `${day(x.localDate)} ${x.startTime}, ${venues.get(x.venueId) ?? ''}`;
  const form = useForm({
    id: 'signup',
    initial: { sessionId: sessions[0]?.id ?? '' },
    save: (v) => api.post<z.infer<typeof Registration>>(`sessions/${v.sessionId}/registrations`, { seniorId }),
    done: (r) => {
      const reg = r as z.infer<typeof Registration>;
      const x = sessions.find((y) => y.id === reg.sessionId);
      const d = x ? label(x) : '';
      onDone(
        reg.status === 'waitlisted'
          ? w('signedWaiting', { d, p: reg.waitlistPosition ?? '' })
          : w('signedUp', { d: x ? `${dayInText(x.localDate)} ${x.startTime}, ${venues.get(x.venueId) ?? ''}` : '' }),
      );
    },
  });
  return (
    <form class="card stack" onSubmit={form.submit} noValidate aria-labelledby="signup-title">
      <h2 id="signup-title">{w('signUpOne')}</h2>
      {sessions.length === 0 ? (
        <p>{w('noSessions')}</p>
      ) : (
        <>
          <SelectField
            form={form}
            name="sessionId"
            label={w('session')}
            options={sessions.map((x) => ({ value: x.id, label: label(x) }))}
          />
          <FormMessage form={form} />
          <div class="row">
            <SaveButton form={form}>{w('signUp')}</SaveButton>
          </div>
        </>
      )}
    </form>
  );
}

/** A place at every café of a series from a date; and an end to one. */
function Regulars({
  seniorId,
  regulars,
  series,
  venues,
  act,
}: {
  seniorId: string;
  regulars: R[];
  series: SeriesT[];
  venues: Map<string, string>;
  act: (work: () => Promise<string>) => Promise<void>;
}) {
  const [ending, setEnding] = useState<string | null>(null);
  const [endFrom, setEndFrom] = useState(today());
  const names = new Map(series.map((s) => [s.id, seriesName(s, venues)]));
  const form = useForm({
    id: 'regular',
    initial: { seriesId: series[0]?.id ?? '', fromDate: today(), toDate: '' },
    save: (v) =>
      api.post<z.infer<typeof RegularOutcome>>('regulars', {
        seniorId,
        seriesId: v.seriesId,
        fromDate: v.fromDate,
        toDate: v.toDate || null,
      }),
    done: (r) => {
      const o = r as z.infer<typeof RegularOutcome>;
      const seated = o.seated + o.already;
      const text = [
        plural(seated, w('regularSeated1'), w('regularSeatedN', { n: seated })),
        o.waitlisted ? plural(o.waitlisted, w('regularWaiting1'), w('regularWaitingN', { n: o.waitlisted })) : '',
      ];
      void act(() => Promise.resolve(text.join(' ').trim()));
    },
  });
  const current = regulars.filter((r) => !r.toDate || r.toDate >= today());
  return (
    <section class="card stack" aria-labelledby="regular-title">
      <h2 id="regular-title">{w('regularTitle')}</h2>
      <p>{w('regularLead')}</p>
      {current.length === 0 ? (
        <p class="muted">{w('regularNone')}</p>
      ) : (
        <ul class="plain">
          {current.map((r) => {
            const c = names.get(r.seriesId) ?? '';
            return (
              <li key={r.id} class="stack">
                <span>
                  {r.toDate
                    ? w('regularRowTo', { c, f: dayInText(r.fromDate), t: dayInText(r.toDate) })
                    : w('regularRow', { c, f: dayInText(r.fromDate) })}
                </span>
                {ending === r.id ? (
                  <form
                    class="row"
                    onSubmit={(e) => {
                      e.preventDefault();
                      setEnding(null);
                      void act(async () => {
                        const done = await api.post<{ cancelled: number }>(`regulars/${r.id}/end`, {
                          fromDate: endFrom,
                        });
                        return plural(done.cancelled, w('ended1'), w('endedN', { n: done.cancelled }));
                      });
                    }}
                  >
                    <label>
                      {w('endFrom')}
                      <input type="date" value={endFrom} onInput={(e) => setEndFrom(e.currentTarget.value)} />
                    </label>
                    <button type="submit" class="primary">
                      {w('endSave')}
                    </button>
                    <button type="button" onClick={() => setEnding(null)}>
                      {t('back')}
                    </button>
                  </form>
                ) : (
                  <p>
                    <button type="button" class="small" onClick={() => setEnding(r.id)}>
                      {w('endRegular')}
                    </button>
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {series.length > 0 && (
        <form class="stack" onSubmit={form.submit} noValidate>
          <SelectField
            form={form}
            name="seriesId"
            label={w('series')}
            options={series.map((s) => ({ value: s.id, label: names.get(s.id)! }))}
          />
          <div class="grid2">
            <TextField form={form} name="fromDate" label={w('fromDate')} type="date" />
            <TextField form={form} name="toDate" label={w('toDate')} type="date" />
          </div>
          <FormMessage form={form} />
          <div class="row">
            <SaveButton form={form}>{w('makeRegular')}</SaveButton>
          </div>
        </form>
      )}
    </section>
  );
}
