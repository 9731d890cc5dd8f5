/** A municipality's venues (lokaler): create, change, archive, and the travel minutes between them. */
import type { z } from 'zod';
import { useState } from 'preact/hooks';
import type { Venue } from '../../contract/venues';
import { EQUIPMENT, VENUE_KINDS } from '../../contract/vocabulary';
import { api, ApiError } from '../api';
import type { Ctx } from '../ctx';
import {
  useFormFocus,
  CheckGroup,
  FormMessage,
  NumberField,
  numberOf,
  SaveButton,
  SelectField,
  TextArea,
  TextField,
  useForm,
} from '../form';
import { defineWords, plural, t } from '../i18n';
import { onLink } from '../router';
import { type Message, MessageLine, Status, useLoad } from '../ui';

type V = z.infer<typeof Venue>;

const venueWords = defineWords({
  title: ['Lokaler', 'Venues'],
  lead: [
    'Här finns lokalerna där caféerna är. Börja med lokalerna. Sedan lägger du till caféer.',
    'These are the venues where the cafés are. Start with the venues. Then add cafés.',
  ],
  none: ['Det finns inga lokaler än. Lägg till den första.', 'There are no venues yet. Add the first one.'],
  add: ['Ny lokal', 'New venue'],
  edit: ['Ändra', 'Change'],
  editTitle: ['Ändra {n}', 'Change {n}'],
  name: ['Namn', 'Name'],
  address: ['Adress', 'Address'],
  kind: ['Sorts lokal', 'Kind of venue'],
  seats: ['Platser för seniorer', 'Seats for seniors'],
  equipment: ['Utrustning', 'Equipment'],
  access: ['Tillgänglighet', 'Accessibility'],
  accessHint: ['Till exempel: hiss finns, hörslinga.', 'For example: there is a lift, a hearing loop.'],
  saved: ['{n} är sparad.', '{n} is saved.'],
  archive: ['Arkivera', 'Archive'],
  sureArchive: [
    'Arkivera {n}? Lokalen syns inte längre när du planerar.',
    'Archive {n}? The venue is no longer shown when you plan.',
  ],
  archived: ['{n} är arkiverad.', '{n} is archived.'],
  couldNotChange: [
    'Vi kunde inte ändra lokalen. Ladda om sidan och försök igen.',
    'We could not change the venue. Reload the page and try again.',
  ],
  inUse: [
    'Lokalen har caféer kvar. Avsluta dem först på sidan Caféer.',
    'The venue still has cafés. End them first on the Cafés page.',
  ],
  archivedList: ['Arkiverade lokaler ({n})', 'Archived venues ({n})'],
  restore: ['Ta tillbaka', 'Bring back'],
  restored: ['{n} är tillbaka.', '{n} is back.'],
  travelTitle: ['Restid mellan lokalerna', 'Travel time between the venues'],
  travelLead: [
    'Hur många minuter tar det för en guide att resa mellan lokalerna? Planeringen räknar med det.',
    'How many minutes does a guide need to travel between the venues? Planning counts on it.',
  ],
  travelNone: ['Restid behövs när det finns minst två lokaler.', 'Travel time is needed once there are two venues.'],
  minutes: ['minuter', 'minutes'],
  travelBad: ['Skriv antal minuter, från 0 till 600.', 'Write the number of minutes, from 0 to 600.'],
  saveTravel: ['Spara restiderna', 'Save the travel times'],
  travelSaved: ['Restiderna är sparade.', 'The travel times are saved.'],
  next: ['Nästa steg: lägg till ett café.', 'Next step: add a café.'],
  toCafes: ['Till caféerna', 'To the cafés'],
  library: ['Bibliotek', 'Library'],
  meeting_point: ['Träffpunkt', 'Meeting point'],
  senior_home: ['Äldreboende', 'Senior home'],
  other: ['Annan lokal', 'Other venue'],
  computers: ['Datorer', 'Computers'],
  scanner: ['Skanner', 'Scanner'],
  wifi: ['Wifi', 'Wi-fi'],
  printer: ['Skrivare', 'Printer'],
  projector: ['Projektor', 'Projector'],
  charging: ['Laddning', 'Charging'],
  seatsN: ['1 plats', '1 seat'],
  seatsMany: ['{n} platser', '{n} seats'],
});
const w = venueWords;

export function VenuesPage({ ctx }: { ctx: Ctx }) {
  const m = ctx.municipalityId;
  const venues = useLoad(async () => (await api.get<{ items: V[] }>(`venues?municipalityId=${m}&limit=500`)).items, m);
  const [editing, setEditing] = useState<V | 'new' | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const setActive = async (v: V, active: boolean) => {
    if (!active && !confirm(w('sureArchive', { n: v.name }))) return;
    setMessage(null);
    try {
      await api.patch(`venues/${v.id}`, { active, version: v.version });
      setMessage({ kind: 'ok', text: w(active ? 'restored' : 'archived', { n: v.name }) });
    } catch (err) {
      setMessage({
        kind: 'error',
        text: err instanceof ApiError && err.code === 'venue_in_use' ? w('inUse') : w('couldNotChange'),
      });
    }
    venues.reload();
  };
  return (
    <section class="stack">
      <div class="page-head">
        <h1 tabIndex={-1}>{w('title')}</h1>
        {editing === null && (
          <button type="button" class="primary" id="add-venue" onClick={() => setEditing('new')}>
            {w('add')}
          </button>
        )}
      </div>
      <p class="lead">{w('lead')}</p>
      <MessageLine message={message} />
      {editing !== null && (
        <VenueForm
          key={editing === 'new' ? 'new' : `${editing.id}:${editing.version}`}
          municipalityId={m}
          venue={editing === 'new' ? null : editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved) setMessage({ kind: 'ok', text: w('saved', { n: saved }) });
            venues.reload();
          }}
          onReload={() => {
            // After a conflict: the venue as it is now, in a fresh form.
            if (editing !== 'new') void api.get<V>(`venues/${editing.id}`).then(setEditing);
            venues.reload();
          }}
        />
      )}
      <Status loaded={venues}>
        {() => {
          const active = venues.data!.filter((v) => v.active);
          const archived = venues.data!.filter((v) => !v.active);
          return (
            <>
              {active.length === 0 ? (
                <p class="notice">{w('none')}</p>
              ) : (
                <ul class="cards-list">
                  {active.map((v) => (
                    <li key={v.id} class="card">
                      <h2>{v.name}</h2>
                      <p>
                        {v.address} · {w(v.kind)} · {plural(v.seats, w('seatsN'), w('seatsMany', { n: v.seats }))}
                      </p>
                      {v.equipment.length > 0 && <p class="muted">{v.equipment.map((e) => w(e)).join(', ')}</p>}
                      {v.accessibilityNote && <p class="muted">{v.accessibilityNote}</p>}
                      <div class="row">
                        <button
                          type="button"
                          id={`edit-${v.id}`}
                          onClick={() => setEditing(v)}
                          aria-label={`${w('edit')} ${v.name}`}
                        >
                          {w('edit')}
                        </button>
                        <button
                          type="button"
                          onClick={() => void setActive(v, false)}
                          aria-label={`${w('archive')} ${v.name}`}
                        >
                          {w('archive')}
                        </button>
                      </div>
                    </li>
                  ))}
                </ul>
              )}
              {active.length > 0 && (
                <p>
                  {w('next')}{' '}
                  <a href="/kafeer" onClick={onLink}>
                    {w('toCafes')}
                  </a>
                </p>
              )}
              <Travel venues={active} onSaved={() => venues.reload()} />
              {archived.length > 0 && (
                <details>
                  <summary>{w('archivedList', { n: archived.length })}</summary>
                  <ul class="plain">
                    {archived.map((v) => (
                      <li key={v.id}>
                        {v.name}{' '}
                        <button type="button" class="small" onClick={() => void setActive(v, true)}>
                          {w('restore')}
                        </button>
                      </li>
                    ))}
                  </ul>
                </details>
              )}
            </>
          );
        }}
      </Status>
    </section>
  );
}

function VenueForm({
  municipalityId,
  venue,
  onDone,
  onReload,
}: {
  municipalityId: string;
  venue: V | null;
  onDone: (saved: string | null) => void;
  onReload: () => void;
}) {
  const form = useForm({
    id: 'venue',
    initial: {
      name: venue?.name ?? '',
      address: venue?.address ?? '',
      kind: venue?.kind ?? 'library',
      seats: venue ? String(venue.seats) : '',
      equipment: venue?.equipment ?? [],
      accessibilityNote: venue?.accessibilityNote ?? '',
    },
    save: (v) => {
      const body = { ...v, seats: numberOf(v.seats), accessibilityNote: v.accessibilityNote.trim() || null };
      return venue
        ? api.patch(`venues/${venue.id}`, { ...body, version: venue.version })
        : api.post('venues', { ...body, municipalityId });
    },
    done: () => onDone(form.values.name),
  });
  const focus = useFormFocus<HTMLFormElement>();
  return (
    <form ref={focus} class="card stack" onSubmit={form.submit} noValidate aria-labelledby="venue-title">
      <h2 id="venue-title">{venue ? w('editTitle', { n: venue.name }) : w('add')}</h2>
      <TextField form={form} name="name" label={w('name')} required />
      <TextField form={form} name="address" label={w('address')} autoComplete="street-address" required />
      <SelectField
        form={form}
        name="kind"
        label={w('kind')}
        options={VENUE_KINDS.map((k) => ({ value: k, label: w(k) }))}
      />
      <NumberField form={form} name="seats" label={w('seats')} />
      <CheckGroup
        form={form}
        name="equipment"
        legend={w('equipment')}
        options={EQUIPMENT.map((e) => ({ value: e, label: w(e) }))}
      />
      <TextArea form={form} name="accessibilityNote" label={w('access')} hint={w('accessHint')} />
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

/** Every pair of venues once, with its minutes; only the changed ones are saved. */
function Travel({ venues, onSaved }: { venues: V[]; onSaved: () => void }) {
  const pairs = venues.flatMap((a, i) => venues.slice(i + 1).map((b) => ({ a, b })));
  const stored = (a: V, b: V) => a.travel.find((x) => x.toVenueId === b.id)?.minutes;
  const key = (a: V, b: V) => `${a.id}:${b.id}`;
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, boolean>>({});
  const [message, setMessage] = useState<Message>(null);
  const [busy, setBusy] = useState(false);
  if (venues.length < 2) {
    return (
      <section class="card">
        <h2>{w('travelTitle')}</h2>
        <p class="muted">{w('travelNone')}</p>
      </section>
    );
  }
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    const bad: Record<string, boolean> = {};
    for (const { a, b } of pairs) {
      const text = typed[key(a, b)];
      if (text === undefined) continue;
      const minutes = numberOf(text);
      try {
        await api.put(`venues/${a.id}/travel`, { toVenueId: b.id, minutes });
      } catch {
        bad[key(a, b)] = true;
      }
    }
    setErrors(bad);
    setBusy(false);
    const first = Object.keys(bad)[0];
    if (first) {
      setMessage({ kind: 'error', text: w('travelBad') });
      document.getElementById(`travel-${first}`)?.focus();
    } else {
      setTyped({});
      setMessage({ kind: 'ok', text: w('travelSaved') });
      onSaved();
    }
  };
  return (
    <form class="card stack" onSubmit={(e) => void save(e)} noValidate aria-labelledby="travel-title">
      <h2 id="travel-title">{w('travelTitle')}</h2>
      <p class="muted">{w('travelLead')}</p>
      <ul class="plain travel">
        {pairs.map(({ a, b }) => {
          const id = `travel-${key(a, b)}`;
          return (
            <li key={id} class="field">
              <label for={id}>
                {a.name} ↔ {b.name}
              </label>
              <span class="row">
                <input
                  id={id}
                  inputMode="numeric"
                  size={4}
                  aria-invalid={errors[key(a, b)] || undefined}
                  aria-describedby={errors[key(a, b)] ? `${id}-error` : undefined}
                  value={typed[key(a, b)] ?? String(stored(a, b) ?? '')}
                  onInput={(ev) => setTyped({ ...typed, [key(a, b)]: ev.currentTarget.value })}
                />{' '}
                {w('minutes')}
              </span>
              {errors[key(a, b)] && (
                <p id={`${id}-error`} class="field-error">
                  {w('travelBad')}
                </p>
              )}
            </li>
          );
        })}
      </ul>
      <MessageLine message={message} />
      <button type="submit" class="primary" disabled={busy}>
        {w('saveTravel')}
      </button>
    </form>
  );
}
