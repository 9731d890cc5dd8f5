/**
 * Recurring cafés and closures. Every change is shown before it is made: the same change run
 * by the server and rolled back (a preview), so what the coordinator confirms is what happens.
 */
import type { z } from 'zod';
import { useState } from 'preact/hooks';
import type { Closure, Series, SessionChanges } from '../../contract/planning';
import type { Venue } from '../../contract/venues';
import { api } from '../api';
import type { Ctx } from '../ctx';
import { WEEKDAYS } from '../dates';
import {
  changedOnly,
  FormMessage,
  NumberField,
  numberOf,
  SaveButton,
  SelectField,
  TextField,
  useDefaultFrom,
  useForm,
  useFormFocus,
} from '../form';
import { clock, day, defineWords, plural, t, weekdayName } from '../i18n';
import { onLink } from '../router';
import { type Message, MessageLine, Status, useLoad } from '../ui';
import { type AssociationChoice, AssociationField, seatsOf, useAssociations } from './session-forms';

type S = z.infer<typeof Series>;
type C = z.infer<typeof Closure>;
type V = z.infer<typeof Venue>;
export type Changes = z.infer<typeof SessionChanges>;

const w = defineWords({
  title: ['Caféer', 'Cafés'],
  lead: [
    'Ett café som återkommer blir ett café på varje datum. Helgdagar och stängda dagar hoppas över.',
    'A recurring café becomes one café on each date. Holidays and closed days are skipped.',
  ],
  noVenues: ['Lägg först till en lokal. Sedan kan du lägga till caféer.', 'First add a venue. Then you can add cafés.'],
  toVenues: ['Till lokalerna', 'To the venues'],
  none: ['Det finns inga caféer än. Lägg till det första.', 'There are no cafés yet. Add the first one.'],
  add: ['Nytt café', 'New café'],
  editTitle: ['Ändra caféet', 'Change the café'],
  edit: ['Ändra', 'Change'],
  end: ['Avsluta', 'End'],
  endTitle: ['Avsluta caféet', 'End the café'],
  venue: ['Lokal', 'Venue'],
  weekday: ['Veckodag', 'Weekday'],
  start: ['Starttid', 'Start time'],
  length: ['Längd i minuter', 'Length in minutes'],
  interval: ['Hur ofta', 'How often'],
  every1: ['Varje vecka', 'Every week'],
  every2: ['Varannan vecka', 'Every other week'],
  every3: ['Var tredje vecka', 'Every third week'],
  every4: ['Var fjärde vecka', 'Every fourth week'],
  everyN: ['Var {n}:e vecka', 'Every {n}th week'],
  seats1: ['1 plats', '1 seat'],
  seatsN: ['{n} platser', '{n} seats'],
  firstDate: ['Första datum', 'First date'],
  lastDate: ['Sista datum', 'Last date'],
  seats: ['Platser för seniorer', 'Seats for seniors'],
  minGuides: ['Minst antal guider', 'Fewest guides'],
  maxGuides: ['Högst antal guider', 'Most guides'],
  theme: ['Tema (om det finns)', 'Theme (if any)'],
  themeHint: ['Till exempel: BankID', 'For example: BankID'],
  showChanges: ['Visa vad som händer', 'Show what happens'],
  previewTitle: ['Det här händer när du sparar', 'This happens when you save'],
  nothing: ['Inget café ändras.', 'No café changes.'],
  confirmSave: ['Spara', 'Save'],
  confirmEnd: ['Avsluta caféet', 'End the café'],
  change: ['Ändra', 'Change'],
  created: ['Nya caféer', 'New cafés'],
  updated: ['Caféer som ändras', 'Cafés that change'],
  cancelled: ['Caféer som ställs in', 'Cafés that are cancelled'],
  restored: ['Caféer som kommer tillbaka', 'Cafés that come back'],
  removed: ['Caféer som tas bort', 'Cafés that are removed'],
  skipped: ['Datum utan café', 'Dates without a café'],
  signedUp1: ['1 senior är anmäld. Ring och berätta.', '1 senior is signed up. Call and tell them.'],
  signedUpN: ['{n} seniorer är anmälda. Ring och berätta.', '{n} seniors are signed up. Call and tell them.'],
  holiday: ['helgdag', 'holiday'],
  closed: ['stängt', 'closed'],
  savedReport: ['Sparat. {what}', 'Saved. {what}'],
  endedReport: ['Caféet är avslutat. {what}', 'The café has ended. {what}'],
  nCreated: ['{n} nya caféer', '{n} new cafés'],
  oneCreated: ['1 nytt café', '1 new café'],
  nChanged: ['{n} ändrade', '{n} changed'],
  nCancelled: ['{n} inställda', '{n} cancelled'],
  nRemoved: ['{n} borttagna', '{n} removed'],
  nRestored: ['{n} tillbaka', '{n} back'],
  nNone: ['Inga caféer ändrades.', 'No cafés changed.'],
  closuresTitle: ['Stängt', 'Closed'],
  closuresLead: [
    'Lov och andra dagar utan caféer, till exempel sportlov eller en renovering.',
    'Breaks and other days without cafés, for example the winter break or a renovation.',
  ],
  noClosures: ['Inga stängda perioder.', 'No closed periods.'],
  addClosure: ['Ny stängning', 'New closure'],
  closureName: ['Namn', 'Name'],
  closureNameHint: ['Till exempel: Sportlov', 'For example: Winter break'],
  startsOn: ['Från och med', 'From'],
  endsOn: ['Till och med', 'To'],
  allVenues: ['Alla lokaler', 'All venues'],
  removeClosure: ['Ta bort', 'Remove'],
  removeTitle: ['Ta bort {n}', 'Remove {n}'],
  confirmRemove: ['Ta bort stängningen', 'Remove the closure'],
  closureSaved: ['{n} är sparad. {what}', '{n} is saved. {what}'],
  closureRemoved: ['{n} är borttagen. {what}', '{n} is removed. {what}'],
  every: ['{d}ar', '{d}s'],
  ended: ['Avslutade caféer ({n})', 'Ended cafés ({n})'],
});

const endTime = (start: string, minutes: number) => {
  const total = Number(start.slice(0, 2)) * 60 + Number(start.slice(3, 5)) + minutes;
  return `${String(Math.floor(total / 60) % 24).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
};

/** "3 nya caféer, 1 inställt": what a change did, in a line. */
export function summary(c: Changes): string {
  const parts = [
    c.created && (c.created === 1 ? w('oneCreated') : w('nCreated', { n: c.created })),
    c.updated && w('nChanged', { n: c.updated }),
    c.cancelled && w('nCancelled', { n: c.cancelled }),
    c.removed && w('nRemoved', { n: c.removed }),
    c.restored && w('nRestored', { n: c.restored }),
  ].filter(Boolean);
  return parts.length ? `${parts.join(', ')}.` : w('nNone');
}

/** A preview: each session touched, grouped by what happens to it, and the dates skipped with their reason. */
export function ChangesList({ changes, venues }: { changes: Changes; venues: Map<string, string> }) {
  const kinds = ['created', 'updated', 'restored', 'cancelled', 'removed'] as const;
  if (!changes.sessions.length && !changes.skipped.length) return <p>{w('nothing')}</p>;
  return (
    <div class="stack">
      {kinds.map((kind) => {
        const rows = changes.sessions.filter((s) => s.change === kind);
        if (!rows.length) return null;
        return (
          <section key={kind}>
            <h3>
              {w(kind)} ({rows.length})
            </h3>
            <ul class="plain dates">
              {rows.map((s) => (
                <li key={`${s.date}-${s.venueId}-${s.startsAt}`}>
                  {day(s.date)} {clock(s.startsAt)}
                  {venues.size > 1 && `, ${venues.get(s.venueId) ?? ''}`}
                  {s.registrations > 0 && (
                    <span class="badge wait">
                      {plural(s.registrations, w('signedUp1'), w('signedUpN', { n: s.registrations }))}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
      {changes.skipped.length > 0 && (
        <section>
          <h3>
            {w('skipped')} ({changes.skipped.length})
          </h3>
          <ul class="plain dates">
            {changes.skipped.map((s) => (
              <li key={s.date}>
                {day(s.date)}: {s.name} ({s.reason === 'holiday' ? w('holiday') : w('closed')})
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

export function CafesPage({ ctx }: { ctx: Ctx }) {
  const m = ctx.municipalityId;
  const venues = useLoad(
    async () => (await api.get<{ items: V[] }>(`venues?municipalityId=${m}&active=true&limit=500`)).items,
    m,
  );
  const series = useLoad(async () => (await api.get<{ items: S[] }>(`series?municipalityId=${m}&limit=500`)).items, m);
  const ended = useLoad(
    async () => (await api.get<{ items: S[] }>(`series?municipalityId=${m}&archived=true&limit=500`)).items,
    m,
  );
  const associations = useAssociations(m);
  const [editing, setEditing] = useState<S | 'new' | null>(null);
  const [ending, setEnding] = useState<S | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const names = new Map((venues.data ?? []).map((v) => [v.id, v.name]));
  const reload = () => {
    series.reload();
    ended.reload();
  };
  return (
    <section class="stack">
      <div class="page-head">
        <h1 tabIndex={-1}>{w('title')}</h1>
        {editing === null && (venues.data?.length ?? 0) > 0 && associations.data && (
          <button type="button" class="primary" id="add-cafe" onClick={() => setEditing('new')}>
            {w('add')}
          </button>
        )}
      </div>
      <p class="lead">{w('lead')}</p>
      <MessageLine message={message} />
      <Status loaded={venues}>
        {() =>
          venues.data!.length === 0 ? (
            <p class="notice">
              {w('noVenues')}{' '}
              <a class="button primary" href="/lokaler" onClick={onLink}>
                {w('toVenues')}
              </a>
            </p>
          ) : (
            <>
              {editing !== null && (
                <SeriesForm
                  key={editing === 'new' ? 'new' : `${editing.id}:${editing.version}`}
                  venues={venues.data!}
                  associations={associations.data ?? []}
                  series={editing === 'new' ? null : editing}
                  names={names}
                  onDone={(report) => {
                    setEditing(null);
                    if (report) setMessage({ kind: 'ok', text: w('savedReport', { what: report }) });
                    reload();
                  }}
                  onReload={() => {
                    // After a conflict: the café as it is now, in a fresh form.
                    if (editing !== 'new') void api.get<S>(`series/${editing.id}`).then(setEditing);
                    reload();
                  }}
                />
              )}
              {ending && (
                <EndSeries
                  series={ending}
                  names={names}
                  onDone={(report) => {
                    setEnding(null);
                    if (report) setMessage({ kind: 'ok', text: w('endedReport', { what: report }) });
                    reload();
                  }}
                />
              )}
              <Status loaded={series}>
                {() =>
                  series.data!.length === 0 ? (
                    <p class="notice">{w('none')}</p>
                  ) : (
                    <ul class="cards-list">
                      {series.data!.map((s) => (
                        <li key={s.id} class="card">
                          <h2>
                            {w('every', { d: weekdayName(s.weekday) })} {s.startTime}–
                            {endTime(s.startTime, s.durationMinutes)}
                          </h2>
                          <p>
                            {names.get(s.venueId)} ·{' '}
                            {s.intervalWeeks <= 4
                              ? w(`every${s.intervalWeeks}` as 'every1')
                              : w('everyN', { n: s.intervalWeeks })}
                            {s.theme ? ` · ${s.theme}` : ''}
                          </p>
                          <p class="muted">
                            {day(s.firstDate)} – {day(s.lastDate)} ·{' '}
                            {plural(s.seats, w('seats1'), w('seatsN', { n: s.seats }))}
                          </p>
                          <div class="row">
                            <button
                              type="button"
                              id={`edit-${s.id}`}
                              onClick={() => setEditing(s)}
                              aria-label={`${w('edit')}: ${names.get(s.venueId)} ${weekdayName(s.weekday)}`}
                            >
                              {w('edit')}
                            </button>
                            <button
                              type="button"
                              id={`end-${s.id}`}
                              onClick={() => setEnding(s)}
                              aria-label={`${w('end')}: ${names.get(s.venueId)} ${weekdayName(s.weekday)}`}
                            >
                              {w('end')}
                            </button>
                          </div>
                        </li>
                      ))}
                    </ul>
                  )
                }
              </Status>
              {(ended.data?.length ?? 0) > 0 && (
                <details>
                  <summary>{w('ended', { n: ended.data!.length })}</summary>
                  <ul class="plain">
                    {ended.data!.map((s) => (
                      <li key={s.id}>
                        {names.get(s.venueId) ?? ''} {weekdayName(s.weekday)} {s.startTime}, {day(s.firstDate)} –{' '}
                        {day(s.lastDate)}
                      </li>
                    ))}
                  </ul>
                </details>
              )}
              <Closures ctx={ctx} venues={venues.data!} names={names} onChange={reload} />
            </>
          )
        }
      </Status>
    </section>
  );
}

interface SeriesValues {
  venueId: string;
  associationId: string;
  weekday: string;
  startTime: string;
  durationMinutes: string;
  intervalWeeks: string;
  firstDate: string;
  lastDate: string;
  seats: string;
  minGuides: string;
  maxGuides: string;
  theme: string;
}

const seriesBody = (v: SeriesValues) => ({
  venueId: v.venueId,
  associationId: v.associationId || undefined,
  weekday: v.weekday,
  startTime: v.startTime,
  durationMinutes: numberOf(v.durationMinutes),
  intervalWeeks: numberOf(v.intervalWeeks),
  firstDate: v.firstDate,
  lastDate: v.lastDate,
  seats: numberOf(v.seats),
  minGuides: numberOf(v.minGuides),
  maxGuides: numberOf(v.maxGuides),
  theme: v.theme.trim() || null,
});

/** Create or change a café: the form, then the preview, then the change itself. */
function SeriesForm({
  venues,
  associations,
  series,
  names,
  onDone,
  onReload,
}: {
  venues: V[];
  associations: AssociationChoice[];
  series: S | null;
  names: Map<string, string>;
  onDone: (report: string | null) => void;
  onReload: () => void;
}) {
  const focus = useFormFocus<HTMLFormElement>();
  const [preview, setPreview] = useState<Changes | null>(null);
  const initial: SeriesValues = {
    venueId: series?.venueId ?? venues[0].id,
    associationId: series?.associationId ?? '',
    weekday: series?.weekday ?? 'tue',
    startTime: series?.startTime ?? '14:00',
    durationMinutes: String(series?.durationMinutes ?? 120),
    intervalWeeks: String(series?.intervalWeeks ?? 1),
    firstDate: series?.firstDate ?? '',
    lastDate: series?.lastDate ?? '',
    seats: String(series?.seats ?? venues[0].seats),
    minGuides: String(series?.minGuides ?? 2),
    maxGuides: String(series?.maxGuides ?? 3),
    theme: series?.theme ?? '',
  };
  /** A change sends only what differs, with the version it was made on. */
  const body = (v: SeriesValues) => {
    const all = seriesBody(v);
    if (!series) return all;
    const changed = changedOnly(seriesBody(initial), all);
    return { ...changed, version: series.version };
  };
  const form = useForm({
    id: 'series',
    initial,
    save: async (v) => {
      const path = series ? `series/${series.id}/preview` : 'series/preview';
      setPreview((await api.post<{ changes: Changes }>(path, body(v))).changes);
    },
    done: () => requestAnimationFrame(() => document.getElementById('series-preview')?.focus()),
  });
  useDefaultFrom(form, 'seats', (v) => seatsOf(venues, v.venueId));
  const commit = useForm({
    id: 'series-commit',
    initial: {},
    save: async () => {
      const r = series
        ? await api.patch<{ changes: Changes }>(`series/${series.id}`, body(form.values))
        : await api.post<{ changes: Changes }>('series', body(form.values));
      return summary(r.changes);
    },
    done: (report) => onDone(report as string),
  });
  if (preview) {
    return (
      <section class="card stack" aria-labelledby="series-preview">
        <h2 id="series-preview" tabIndex={-1}>
          {w('previewTitle')}
        </h2>
        <ChangesList changes={preview} venues={names} />
        <FormMessage form={commit} onReload={onReload} />
        <div class="row">
          <button type="button" class="primary" disabled={commit.busy} onClick={() => commit.submit()}>
            {w('confirmSave')}
          </button>
          <button type="button" onClick={() => setPreview(null)}>
            {w('change')}
          </button>
        </div>
      </section>
    );
  }
  return (
    <form ref={focus} class="card stack" onSubmit={form.submit} noValidate aria-labelledby="series-title">
      <h2 id="series-title">{series ? w('editTitle') : w('add')}</h2>
      <SelectField
        form={form}
        name="venueId"
        label={w('venue')}
        options={venues.map((v) => ({ value: v.id, label: v.name }))}
      />
      <AssociationField form={form} associations={associations} />
      <div class="grid2">
        <SelectField
          form={form}
          name="weekday"
          label={w('weekday')}
          options={WEEKDAYS.map((d) => ({ value: d, label: weekdayName(d) }))}
        />
        <SelectField
          form={form}
          name="intervalWeeks"
          label={w('interval')}
          options={[1, 2, 3, 4].map((n) => ({ value: String(n), label: w(`every${n}` as 'every1') }))}
        />
        <TextField form={form} name="startTime" label={w('start')} type="time" />
        <NumberField form={form} name="durationMinutes" label={w('length')} />
        <TextField form={form} name="firstDate" label={w('firstDate')} type="date" />
        <TextField form={form} name="lastDate" label={w('lastDate')} type="date" />
        <NumberField form={form} name="seats" label={w('seats')} />
        <TextField form={form} name="theme" label={w('theme')} hint={w('themeHint')} />
        <NumberField form={form} name="minGuides" label={w('minGuides')} />
        <NumberField form={form} name="maxGuides" label={w('maxGuides')} />
      </div>
      <FormMessage form={form} onReload={onReload} />
      <div class="row">
        <SaveButton form={form}>{w('showChanges')}</SaveButton>
        <button type="button" onClick={() => onDone(null)}>
          {t('back')}
        </button>
      </div>
    </form>
  );
}

/** Ending a café: what goes, then the end itself. */
function EndSeries({
  series,
  names,
  onDone,
}: {
  series: S;
  names: Map<string, string>;
  onDone: (r: string | null) => void;
}) {
  const focus = useFormFocus<HTMLElement>();
  const preview = useLoad(
    () => api.post<{ changes: Changes }>(`series/${series.id}/archive/preview`, { version: series.version }),
    series.id,
  );
  const commit = useForm({
    id: 'end-commit',
    initial: {},
    save: async () =>
      summary(
        (await api.post<{ changes: Changes }>(`series/${series.id}/archive`, { version: series.version })).changes,
      ),
    done: (report) => onDone(report as string),
  });
  return (
    <section ref={focus} class="card stack" aria-labelledby="end-title">
      <h2 id="end-title" tabIndex={-1}>
        {w('endTitle')}: {names.get(series.venueId)} {weekdayName(series.weekday)} {series.startTime}
      </h2>
      <Status loaded={preview}>{() => <ChangesList changes={preview.data!.changes} venues={names} />}</Status>
      <FormMessage form={commit} />
      <div class="row">
        <button type="button" class="danger" disabled={commit.busy || !preview.data} onClick={() => commit.submit()}>
          {w('confirmEnd')}
        </button>
        <button type="button" onClick={() => onDone(null)}>
          {t('back')}
        </button>
      </div>
    </section>
  );
}

function Closures({
  ctx,
  venues,
  names,
  onChange,
}: {
  ctx: Ctx;
  venues: V[];
  names: Map<string, string>;
  onChange: () => void;
}) {
  const m = ctx.municipalityId;
  const closures = useLoad(
    async () => (await api.get<{ items: C[] }>(`closures?municipalityId=${m}&limit=500`)).items,
    m,
  );
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<C | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const done = (text: string | null) => {
    setAdding(false);
    setRemoving(null);
    if (text) setMessage({ kind: 'ok', text });
    closures.reload();
    onChange();
  };
  return (
    <section class="stack" aria-labelledby="closures-title">
      <div class="page-head">
        <h2 id="closures-title">{w('closuresTitle')}</h2>
        {!adding && (
          <button type="button" id="add-closure" onClick={() => setAdding(true)}>
            {w('addClosure')}
          </button>
        )}
      </div>
      <p class="muted">{w('closuresLead')}</p>
      <MessageLine message={message} />
      {adding && <ClosureForm municipalityId={m} venues={venues} names={names} onDone={done} />}
      {removing && <RemoveClosure closure={removing} names={names} onDone={done} />}
      <Status loaded={closures}>
        {() =>
          closures.data!.length === 0 ? (
            <p>{w('noClosures')}</p>
          ) : (
            <ul class="plain">
              {closures.data!.map((c) => (
                <li key={c.id} class="row between">
                  <span>
                    <b>{c.name}</b> {day(c.startsOn)} – {day(c.endsOn)} ·{' '}
                    {c.venueId ? names.get(c.venueId) : w('allVenues')}
                  </span>
                  <button
                    type="button"
                    class="small"
                    id={`remove-${c.id}`}
                    onClick={() => setRemoving(c)}
                    aria-label={`${w('removeClosure')} ${c.name}`}
                  >
                    {w('removeClosure')}
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </Status>
    </section>
  );
}

function ClosureForm({
  municipalityId,
  venues,
  names,
  onDone,
}: {
  municipalityId: string;
  venues: V[];
  names: Map<string, string>;
  onDone: (text: string | null) => void;
}) {
  const focus = useFormFocus<HTMLFormElement>();
  const [preview, setPreview] = useState<Changes | null>(null);
  const body = (v: { name: string; startsOn: string; endsOn: string; venueId: string }) => ({
    municipalityId,
    name: v.name,
    startsOn: v.startsOn,
    endsOn: v.endsOn,
    venueId: v.venueId || null,
  });
  const form = useForm({
    id: 'closure',
    initial: { name: '', startsOn: '', endsOn: '', venueId: '' },
    save: async (v) => setPreview((await api.post<{ changes: Changes }>('closures/preview', body(v))).changes),
    done: () => requestAnimationFrame(() => document.getElementById('closure-preview')?.focus()),
  });
  const commit = useForm({
    id: 'closure-commit',
    initial: {},
    save: async () => summary((await api.post<{ changes: Changes }>('closures', body(form.values))).changes),
    done: (report) => onDone(w('closureSaved', { n: form.values.name, what: report as string })),
  });
  if (preview) {
    return (
      <section class="card stack" aria-labelledby="closure-preview">
        <h3 id="closure-preview" tabIndex={-1}>
          {w('previewTitle')}
        </h3>
        <ChangesList changes={preview} venues={names} />
        <FormMessage form={commit} />
        <div class="row">
          <button type="button" class="primary" disabled={commit.busy} onClick={() => commit.submit()}>
            {w('confirmSave')}
          </button>
          <button type="button" onClick={() => setPreview(null)}>
            {w('change')}
          </button>
        </div>
      </section>
    );
  }
  return (
    <form ref={focus} class="card stack" onSubmit={form.submit} noValidate aria-label={w('addClosure')}>
      <TextField form={form} name="name" label={w('closureName')} hint={w('closureNameHint')} required />
      <div class="grid2">
        <TextField form={form} name="startsOn" label={w('startsOn')} type="date" />
        <TextField form={form} name="endsOn" label={w('endsOn')} type="date" />
      </div>
      <SelectField
        form={form}
        name="venueId"
        label={w('venue')}
        options={[{ value: '', label: w('allVenues') }, ...venues.map((v) => ({ value: v.id, label: v.name }))]}
      />
      <FormMessage form={form} />
      <div class="row">
        <SaveButton form={form}>{w('showChanges')}</SaveButton>
        <button type="button" onClick={() => onDone(null)}>
          {t('back')}
        </button>
      </div>
    </form>
  );
}

function RemoveClosure({
  closure,
  names,
  onDone,
}: {
  closure: C;
  names: Map<string, string>;
  onDone: (t: string | null) => void;
}) {
  const focus = useFormFocus<HTMLElement>();
  const preview = useLoad(() => api.post<{ changes: Changes }>(`closures/${closure.id}/removal/preview`), closure.id);
  const commit = useForm({
    id: 'closure-remove',
    initial: {},
    save: async () => summary((await api.del<{ changes: Changes }>(`closures/${closure.id}`)).changes),
    done: (report) => onDone(w('closureRemoved', { n: closure.name, what: report as string })),
  });
  return (
    <section ref={focus} class="card stack" aria-labelledby="remove-title">
      <h3 id="remove-title" tabIndex={-1}>
        {w('removeTitle', { n: closure.name })}
      </h3>
      <Status loaded={preview}>{() => <ChangesList changes={preview.data!.changes} venues={names} />}</Status>
      <FormMessage form={commit} />
      <div class="row">
        <button type="button" class="danger" disabled={commit.busy || !preview.data} onClick={() => commit.submit()}>
          {w('confirmRemove')}
        </button>
        <button type="button" onClick={() => onDone(null)}>
          {t('back')}
        </button>
      </div>
    </section>
  );
}
