/** A guide on the roster: the guide's own details, when they can work, and days they cannot. */
import type { z } from 'zod';
import { useState } from 'preact/hooks';
import type { AbsenceResult, Guide } from '../../contract/people';
import { LANGUAGE_LEVELS, PLATFORMS, SKILL_LEVELS, TOPICS } from '../../contract/vocabulary';
import { api, ApiError } from '../api';
import { today } from '../dates';
import {
  CheckGroup,
  FormMessage,
  NumberField,
  numberOf,
  SaveButton,
  SelectField,
  TextField,
  useForm,
  useFormFocus,
} from '../form';
import { clock, day, dayInText, defineWords, language, plural, platform, t, topic } from '../i18n';
import { type Message, MessageLine } from '../ui';
import { cellsOf, WeekGrid, windowsOf } from './week-grid';

export type G = z.infer<typeof Guide>;
type Absence = z.infer<typeof AbsenceResult>;

export const guideWords = defineWords({
  add: ['Ny guide', 'New guide'],
  editTitle: ['Ändra {n}', 'Change {n}'],
  name: ['Namn', 'Name'],
  email: ['Mejladress', 'E-mail address'],
  phone: ['Telefon', 'Phone'],
  association: ['Förening', 'Association'],
  startDate: ['Första dagen som guide', 'First day as a guide'],
  endDate: ['Sista dagen (om avtalet slutar)', 'Last day (if the contract ends)'],
  endHint: [
    'Vi planerar inte guiden efter sista dagen. Pass efter den går till andra guider.',
    'We do not plan the guide after the last day. Sessions after it go to other guides.',
  ],
  platforms: ['Kan hjälpa med enheter', 'Can help with devices'],
  level: ['Hur bra', 'How well'],
  basic: ['lite', 'a little'],
  good: ['bra', 'well'],
  expert: ['mycket bra', 'very well'],
  topics: ['Kan hjälpa med', 'Can help with'],
  languages: ['Språk (skriv koder eller namn, med komma emellan)', 'Languages (codes or names, with commas between)'],
  languagesHint: ['Till exempel: arabiska, engelska', 'For example: Arabic, English'],
  swedish: ['Svenska (nivå)', 'Swedish (level)'],
  maxHours: ['Högst timmar i veckan', 'Most hours a week'],
  saved: ['{n} är sparad.', '{n} is saved.'],
  keptFrom1: [
    '{n} kan inte längre komma på 1 pass. Det står på veckan.',
    '{n} can no longer come to 1 session. The week shows it.',
  ],
  keptFrom: [
    '{n} kan inte längre komma på {k} pass. Det står på veckan.',
    '{n} can no longer come to {k} sessions. The week shows it.',
  ],
  timesTitle: ['När kan {n} jobba?', 'When can {n} work?'],
  period: ['Tider för', 'Times for'],
  standing: ['Tills vidare', 'Until further notice'],
  newPeriod: ['En ny period (till exempel en termin)', 'A new period (a term, say)'],
  validFrom: ['Från och med', 'From'],
  validTo: ['Till och med', 'To'],
  saveTimes: ['Spara tiderna', 'Save the times'],
  timesSaved: ['Tiderna är sparade.', 'The times are saved.'],
  timesFailed: [
    'Vi kunde inte spara tiderna. Försök igen om en stund.',
    'We could not save the times. Try again in a while.',
  ],
  badRange: ['Det sista datumet måste vara efter det första.', 'The last date must be after the first.'],
  absenceTitle: ['{n} kan inte jobba', '{n} cannot work'],
  absence: ['Kan inte jobba', 'Cannot work'],
  from: ['Från och med', 'From'],
  to: ['Till och med', 'To'],
  reason: ['Orsak', 'Reason'],
  ill: ['Sjuk', 'Ill'],
  exam: ['Prov', 'Exam'],
  travel: ['Resa', 'Travel'],
  other: ['Annat', 'Other'],
  showAffected: ['Visa vilka pass det gäller', 'Show which sessions it concerns'],
  affectedNone: ['Guiden har inga pass då.', 'The guide has no sessions then.'],
  affected1: ['Guiden har 1 pass då:', 'The guide has 1 session then:'],
  affectedN: ['Guiden har {n} pass då:', 'The guide has {n} sessions then:'],
  selfNone: ['Du har inga pass då.', 'You have no sessions then.'],
  self1: ['Du har 1 pass då:', 'You have 1 session then:'],
  selfN: ['Du har {n} pass då:', 'You have {n} sessions then:'],
  selfTitle: ['Jag är sjuk eller kan inte jobba', 'I am ill or cannot work'],
  selfSaved: [
    'Tack! Vi har sparat det. Vi frågar andra guider om dina pass.',
    'Thank you! We have saved it. We ask other guides about your sessions.',
  ],
  selfSavedNone: ['Tack! Vi har sparat det.', 'Thank you! We have saved it.'],
  selfTimes: ['När kan du jobba?', 'When can you work?'],
  published: ['Vi frågar andra guider.', 'We ask other guides.'],
  draft: ['Utkast, tas bort.', 'A draft, removed.'],
  confirmAbsence: ['Spara och fråga andra guider', 'Save and ask other guides'],
  confirmAbsenceNone: ['Spara', 'Save'],
  absenceSaved: ['Sparat. {n} kan inte jobba {d}.', 'Saved. {n} cannot work {d}.'],
  change: ['Ändra', 'Change'],
});
const w = guideWords;

interface GuideValues {
  name: string;
  email: string;
  phone: string;
  associationId: string;
  startDate: string;
  endDate: string;
  platforms: string[];
  levels: Record<string, string>;
  topics: string[];
  languages: string;
  swedishLevel: string;
  maxHoursPerWeek: string;
}

/** Create a guide, or change one: only what changed is sent, with the version it was made on. */
/** How many cafés a saved change keeps the guide from (the API's `conflicts`). */
const keptFrom = (saved: unknown) => (saved as { conflicts?: unknown[] } | null)?.conflicts?.length ?? 0;

export function GuideForm({
  guide,
  municipalityId,
  associations,
  onDone,
  onReload,
}: {
  guide: G | null;
  municipalityId: string;
  associations: { id: string; name: string }[];
  /** The name saved (null: closed), and how many cafés the change keeps the guide from. */
  onDone: (name: string | null, keptFrom?: number) => void;
  onReload: () => void;
}) {
  const initial: GuideValues = {
    name: guide?.name ?? '',
    email: guide?.email ?? '',
    phone: guide?.phone ?? '',
    associationId: guide?.associationId ?? associations[0]?.id ?? '',
    startDate: guide?.startDate ?? today(),
    endDate: guide?.endDate ?? '',
    platforms: guide?.platforms.map((p) => p.platform) ?? [],
    levels: Object.fromEntries(guide?.platforms.map((p) => [p.platform, p.level]) ?? []),
    topics: guide?.topics ?? [],
    languages: guide?.languages.map((l) => l.language).join(', ') ?? '',
    swedishLevel: guide?.swedishLevel ?? 'B1',
    maxHoursPerWeek: String(guide?.maxHoursPerWeek ?? 6).replace('.', ','),
  };
  const body = (v: GuideValues) => ({
    name: v.name,
    email: v.email,
    phone: v.phone.trim() || null,
    startDate: v.startDate,
    endDate: v.endDate || null,
    platforms: v.platforms.map((p) => ({ platform: p, level: v.levels[p] ?? 'good' })),
    topics: v.topics,
    languages: v.languages
      .split(',')
      .map((x) => x.trim().toLowerCase())
      .filter(Boolean)
      .map((x) => ({
        language: CODES[x] ?? x,
        level: guide?.languages.find((l) => l.language === (CODES[x] ?? x))?.level ?? 'B2',
      })),
    swedishLevel: v.swedishLevel,
    maxHoursPerWeek: numberOf(v.maxHoursPerWeek),
  });
  const form = useForm<GuideValues>({
    id: 'guide',
    initial,
    save: (v) =>
      guide
        ? api.patch(`guides/${guide.id}`, { ...body(v), version: guide.version })
        : api.post('guides', { ...body(v), municipalityId, associationId: v.associationId }),
    done: (saved: unknown) => onDone(form.values.name, keptFrom(saved)),
  });
  const focus = useFormFocus<HTMLFormElement>();
  return (
    <form ref={focus} class="card stack" onSubmit={form.submit} noValidate aria-labelledby="guide-title">
      <h2 id="guide-title">{guide ? w('editTitle', { n: guide.name }) : w('add')}</h2>
      <div class="grid2">
        <TextField form={form} name="name" label={w('name')} required />
        <TextField form={form} name="email" label={w('email')} type="email" required />
        <TextField form={form} name="phone" label={w('phone')} type="tel" />
        {!guide && associations.length > 1 && (
          <SelectField
            form={form}
            name="associationId"
            label={w('association')}
            options={associations.map((a) => ({ value: a.id, label: a.name }))}
          />
        )}
        <TextField form={form} name="startDate" label={w('startDate')} type="date" />
        <TextField form={form} name="endDate" label={w('endDate')} hint={w('endHint')} type="date" />
      </div>
      <CheckGroup
        form={form}
        name="platforms"
        legend={w('platforms')}
        options={PLATFORMS.map((p) => ({ value: p, label: platform(p) }))}
      />
      {form.values.platforms.length > 0 && (
        <div class="grid2">
          {form.values.platforms.map((p) => (
            <label key={p}>
              {w('level')}: {platform(p)}
              <select
                value={form.values.levels[p] ?? 'good'}
                onChange={(e) => form.set('levels', { ...form.values.levels, [p]: e.currentTarget.value })}
              >
                {SKILL_LEVELS.map((l) => (
                  <option key={l} value={l}>
                    {w(l)}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </div>
      )}
      <CheckGroup
        form={form}
        name="topics"
        legend={w('topics')}
        options={TOPICS.map((x) => ({ value: x, label: topic(x) }))}
      />
      <div class="grid2">
        <TextField form={form} name="languages" label={w('languages')} hint={w('languagesHint')} />
        <SelectField
          form={form}
          name="swedishLevel"
          label={w('swedish')}
          options={LANGUAGE_LEVELS.map((l) => ({ value: l, label: l === 'native' ? language('sv') : l }))}
        />
        <NumberField form={form} name="maxHoursPerWeek" label={w('maxHours')} step="0.5" />
      </div>
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

/** Language names people write, as codes; anything else is sent as written (the API names a bad one). */
const CODES: Record<string, string> = {
  svenska: 'sv',
  engelska: 'en',
  english: 'en',
  arabiska: 'ar',
  arabic: 'ar',
  dari: 'prs',
  persiska: 'fa',
  tigrinja: 'ti',
  tigrinya: 'ti',
  somaliska: 'so',
  somali: 'so',
  ukrainska: 'uk',
  ukrainian: 'uk',
  ryska: 'ru',
  kurdiska: 'ku',
  turkiska: 'tr',
  pashto: 'ps',
  spanska: 'es',
  franska: 'fr',
  tyska: 'de',
};

interface Period {
  validFrom: string | null;
  validTo: string | null;
}
const periodKey = (p: Period) => `${p.validFrom ?? ''}|${p.validTo ?? ''}`;

/**
 * When a guide can work, for one period at a time: the standing times, or a term's. `save`
 * sends the period's windows (the coordinator's route or the guide's own link).
 */
export function AvailabilityEditor({
  name,
  self,
  availability,
  save,
  onSaved,
}: {
  name: string;
  self?: boolean;
  availability: (Period & { weekday: string; start: string; end: string })[];
  save: (period: Period, windows: { weekday: string; start: string; end: string }[]) => Promise<unknown>;
  /** Called with the message to show: the parent shows it, as a save makes a new version and a new editor. */
  onSaved: (text: string) => void;
}) {
  const periods = [
    ...new Map(availability.map((a) => [periodKey(a), { validFrom: a.validFrom, validTo: a.validTo }])).values(),
  ];
  const [chosen, setChosen] = useState<string>(periods.length ? periodKey(periods[periods.length - 1]) : '|');
  const [range, setRange] = useState<Period>({ validFrom: null, validTo: null });
  const isNew = chosen === 'new';
  const period: Period = isNew
    ? range
    : { validFrom: chosen.split('|')[0] || null, validTo: chosen.split('|')[1] || null };
  const [cells, setCells] = useState(() => cellsOf(availability.filter((a) => periodKey(a) === chosen)));
  const [message, setMessage] = useState<Message>(null);
  const [busy, setBusy] = useState(false);
  const choose = (key: string) => {
    setChosen(key);
    setCells(cellsOf(availability.filter((a) => periodKey(a) === key)));
  };
  const label = (p: Period) =>
    p.validFrom ? `${day(p.validFrom)} – ${p.validTo ? day(p.validTo) : w('standing').toLowerCase()}` : w('standing');
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      await save(period, windowsOf(cells));
      onSaved(w('timesSaved'));
    } catch (err) {
      const range = err instanceof ApiError && err.details.some((d) => /valid(From|To)/.test(d.field));
      setMessage({ kind: 'error', text: range ? w('badRange') : w('timesFailed') });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card stack" onSubmit={(e) => void submit(e)} aria-labelledby="times-title">
      <h2 id="times-title">{self ? w('selfTimes') : w('timesTitle', { n: name })}</h2>
      <label>
        {w('period')}
        <select value={chosen} onChange={(e) => choose(e.currentTarget.value)}>
          {!periods.some((p) => periodKey(p) === '|') && <option value="|">{w('standing')}</option>}
          {periods.map((p) => (
            <option key={periodKey(p)} value={periodKey(p)}>
              {label(p)}
            </option>
          ))}
          <option value="new">{w('newPeriod')}</option>
        </select>
      </label>
      {isNew && (
        <div class="grid2">
          <label>
            {w('validFrom')}
            <input
              type="date"
              value={range.validFrom ?? ''}
              onInput={(e) => setRange({ ...range, validFrom: e.currentTarget.value || null })}
            />
          </label>
          <label>
            {w('validTo')}
            <input
              type="date"
              value={range.validTo ?? ''}
              onInput={(e) => setRange({ ...range, validTo: e.currentTarget.value || null })}
            />
          </label>
        </div>
      )}
      <WeekGrid cells={cells} onChange={setCells} label={self ? w('selfTimes') : w('timesTitle', { n: name })} />
      <MessageLine message={message} />
      <button type="submit" class="primary" disabled={busy}>
        {w('saveTimes')}
      </button>
    </form>
  );
}

/**
 * Days a guide cannot work: first which of their cafés it concerns (nothing stored), then the
 * absence itself. `path` is the coordinator's route or the guide's own (with their link).
 */
export function AbsenceForm({
  name,
  self,
  path,
  send,
  onDone,
}: {
  name: string;
  /** The guide on their own page: "du", not the guide's name. */
  self?: boolean;
  /** `guides/<id>/absences` or `guide/absences?token=…`; `/preview` is put before the query. */
  path: (preview: boolean) => string;
  send?: (path: string, body: unknown) => Promise<Absence>;
  onDone: (text: string | null) => void;
}) {
  const post = send ?? ((p: string, b: unknown) => api.post<Absence>(p, b));
  const [preview, setPreview] = useState<Absence | null>(null);
  const reasons = [w('ill'), w('exam'), w('travel'), w('other')];
  const form = useForm({
    id: 'absence',
    initial: { from: today(), to: today(), reason: reasons[0] },
    save: async (v) => setPreview(await post(path(true), v)),
  });
  const commit = useForm({
    id: 'absence-commit',
    initial: {},
    save: () => post(path(false), form.values),
    done: () =>
      onDone(
        self
          ? w(preview?.affected.some((a) => a.status === 'published') ? 'selfSaved' : 'selfSavedNone')
          : w('absenceSaved', {
              n: name,
              d:
                form.values.from === form.values.to
                  ? dayInText(form.values.from)
                  : `${dayInText(form.values.from)} – ${dayInText(form.values.to)}`,
            }),
      ),
  });
  const focus = useFormFocus<HTMLFormElement>();
  if (preview) {
    const n = preview.affected.length;
    return (
      <section class="card stack" aria-labelledby="absence-preview">
        <h2 id="absence-preview" tabIndex={-1}>
          {self ? w('selfTitle') : w('absenceTitle', { n: name })}
        </h2>
        <p>
          {self
            ? n === 0
              ? w('selfNone')
              : plural(n, w('self1'), w('selfN', { n }))
            : n === 0
              ? w('affectedNone')
              : plural(n, w('affected1'), w('affectedN', { n }))}
        </p>
        <ul class="plain dates">
          {preview.affected.map((a) => (
            <li key={a.sessionId}>
              {day(a.date)} {clock(a.startsAt)}, {a.venue}.{' '}
              <span class="muted">{a.status === 'published' ? w('published') : w('draft')}</span>
            </li>
          ))}
        </ul>
        <FormMessage form={commit} />
        <div class="row">
          <button type="button" class="primary" disabled={commit.busy} onClick={() => commit.submit()}>
            {preview.affected.some((a) => a.status === 'published') ? w('confirmAbsence') : w('confirmAbsenceNone')}
          </button>
          <button type="button" onClick={() => setPreview(null)}>
            {w('change')}
          </button>
        </div>
      </section>
    );
  }
  return (
    <form ref={focus} class="card stack" onSubmit={form.submit} noValidate aria-labelledby="absence-title">
      <h2 id="absence-title">{self ? w('selfTitle') : w('absenceTitle', { n: name })}</h2>
      <div class="grid2">
        <TextField form={form} name="from" label={w('from')} type="date" />
        <TextField form={form} name="to" label={w('to')} type="date" />
      </div>
      <SelectField
        form={form}
        name="reason"
        label={w('reason')}
        options={reasons.map((r) => ({ value: r, label: r }))}
      />
      <FormMessage form={form} />
      <div class="row">
        <SaveButton form={form}>{w('showAffected')}</SaveButton>
        <button type="button" onClick={() => onDone(null)}>
          {t('back')}
        </button>
      </div>
    </form>
  );
}
