/** One café on the week page: move it or change its time, cancel it with a reason, bring it back, add one. */
import type { ComponentChildren } from 'preact';
import { api } from '../api';
import { Status, useLoad } from '../ui';
import {
  changedOnly,
  type Form,
  FormMessage,
  type Keys,
  NumberField,
  numberOf,
  SaveButton,
  SelectField,
  TextField,
  useDefaultFrom,
  useForm,
  useFormFocus,
} from '../form';
import { defineWords, t } from '../i18n';

export const sessionWords = defineWords({
  edit: ['Flytta eller ändra', 'Move or change'],
  editTitle: ['Flytta eller ändra caféet', 'Move or change the café'],
  date: ['Datum', 'Date'],
  start: ['Starttid', 'Start time'],
  length: ['Längd i minuter', 'Length in minutes'],
  venue: ['Lokal', 'Venue'],
  seats: ['Platser för seniorer', 'Seats for seniors'],
  moved: [
    'Caféet är ändrat. Guiderna får ett mejl. Ring de seniorer som är anmälda.',
    'The café is changed. The guides get an e-mail. Call the seniors who are signed up.',
  ],
  cancel: ['Ställ in', 'Cancel'],
  cancelTitle: ['Ställ in caféet', 'Cancel the café'],
  reason: ['Varför ställs caféet in?', 'Why is the café cancelled?'],
  reasonHint: [
    'Guiderna ser det. Till exempel: Biblioteket är stängt.',
    'The guides see it. For example: The library is closed.',
  ],
  confirmCancel: ['Ställ in caféet', 'Cancel the café'],
  cancelledDone: [
    'Caféet är inställt. Guiderna får ett mejl. Ring de seniorer som är anmälda.',
    'The café is cancelled. The guides get an e-mail. Call the seniors who are signed up.',
  ],
  restore: ['Ta tillbaka', 'Bring back'],
  restoredDone: ['Caféet är öppet igen. Guiderna får ett mejl.', 'The café is open again. The guides get an e-mail.'],
  add: ['Nytt café den här veckan', 'New café this week'],
  addTitle: ['Ett café en gång', 'A one-time café'],
  theme: ['Tema (om det finns)', 'Theme (if any)'],
  added: ['Caféet är tillagt.', 'The café is added.'],
  reported: ['Caféet är redan rapporterat och kan inte ändras.', 'The café is already reported and cannot change.'],
  over: ['Caféet är redan över.', 'The café is already over.'],
  association: ['Förening', 'Association'],
  associationHint: [
    'Föreningen som har caféet och rapporterar det.',
    'The association that runs the café and reports it.',
  ],
  chooseAssociation: ['Välj förening', 'Choose an association'],
});
const w = sessionWords;

export interface SessionLike {
  id: string;
  version: number;
  venueId: string;
  localDate: string;
  startTime: string;
  durationMinutes: number;
  seats: number;
  associationId?: string | null;
}

const refusals = {
  already_reported: w('reported'),
  session_reported: w('reported'),
  session_over: w('over'),
  in_the_past: w('over'),
};

export interface AssociationChoice {
  id: string;
  name: string;
}

/** The associations with a contract in the municipality (a café belongs to one of them). */
export function useAssociations(municipalityId: string) {
  return useLoad(async () => {
    const { items } = await api.get<{ items: { associationId: string; associationName: string }[] }>(
      `contracts?municipalityId=${municipalityId}&limit=100`,
    );
    const byId = new Map(items.map((c) => [c.associationId, c.associationName]));
    return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'sv'));
  }, municipalityId);
}

/** Which association runs a café: asked only where more than one has a contract here. */
export function AssociationField<T extends { associationId: string }>({
  form,
  associations,
}: {
  form: Form<T>;
  associations: readonly AssociationChoice[];
}) {
  if (associations.length < 2) return null;
  return (
    <SelectField
      form={form}
      name={'associationId' as Keys<T>}
      label={w('association')}
      hint={w('associationHint')}
      options={[
        { value: '', label: w('chooseAssociation') },
        ...associations.map((a) => ({ value: a.id, label: a.name })),
      ]}
    />
  );
}

interface VenueChoice {
  id: string;
  name: string;
  seats: number;
}

/** The municipality's venues to choose from, loaded when a form opens (the week page itself needs none). */
function WithVenues({
  municipalityId,
  children,
}: {
  municipalityId: string;
  children: (venues: VenueChoice[], associations: AssociationChoice[]) => ComponentChildren;
}) {
  const venues = useLoad(
    async () =>
      (await api.get<{ items: VenueChoice[] }>(`venues?municipalityId=${municipalityId}&active=true&limit=500`)).items,
    municipalityId,
  );
  const associations = useAssociations(municipalityId);
  return (
    <Status loaded={venues}>
      {() => <Status loaded={associations}>{() => children(venues.data!, associations.data!)}</Status>}
    </Status>
  );
}

/** Move a café (date, time, venue) or change its length or seats: only what changed is sent. */
export function EditSessionForm(p: {
  s: SessionLike;
  municipalityId: string;
  onDone: (text: string | null) => void;
  onReload: () => void;
}) {
  return (
    <WithVenues municipalityId={p.municipalityId}>
      {(venues, associations) => <EditSession {...p} venues={venues} associations={associations} />}
    </WithVenues>
  );
}

function EditSession({
  s,
  venues,
  associations,
  onDone,
  onReload,
}: {
  s: SessionLike;
  venues: VenueChoice[];
  associations: AssociationChoice[];
  onDone: (text: string | null) => void;
  onReload: () => void;
}) {
  const initial = {
    date: s.localDate,
    startTime: s.startTime,
    durationMinutes: String(s.durationMinutes),
    venueId: s.venueId,
    seats: String(s.seats),
    associationId: s.associationId ?? '',
  };
  const form = useForm({
    id: `edit-${s.id}`,
    initial,
    save: (v) => {
      const all = {
        ...v,
        durationMinutes: numberOf(v.durationMinutes),
        seats: numberOf(v.seats),
        associationId: v.associationId || undefined,
      };
      const before = {
        ...initial,
        durationMinutes: s.durationMinutes,
        seats: s.seats,
        associationId: s.associationId ?? undefined,
      } as typeof all;
      return api.patch(`sessions/${s.id}`, { ...changedOnly(before, all), version: s.version });
    },
    done: () => onDone(w('moved')),
    codes: refusals,
  });
  useDefaultFrom(form, 'seats', (v) => seatsOf(venues, v.venueId));
  const focus = useFormFocus<HTMLFormElement>();
  return (
    <form ref={focus} class="panel stack" onSubmit={form.submit} noValidate aria-label={w('editTitle')}>
      <h3>{w('editTitle')}</h3>
      <div class="grid2">
        <TextField form={form} name="date" label={w('date')} type="date" />
        <TextField form={form} name="startTime" label={w('start')} type="time" />
        <NumberField form={form} name="durationMinutes" label={w('length')} />
        <NumberField form={form} name="seats" label={w('seats')} />
      </div>
      <SelectField
        form={form}
        name="venueId"
        label={w('venue')}
        options={venues.map((v) => ({ value: v.id, label: v.name }))}
      />
      <AssociationField form={form} associations={associations} />
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

/** Cancel with a reason that the guides and seniors are told. */
export function CancelSessionForm({ s, onDone }: { s: SessionLike; onDone: (text: string | null) => void }) {
  const form = useForm({
    id: `cancel-${s.id}`,
    initial: { reason: '' },
    save: (v) => api.post(`sessions/${s.id}/cancel`, v),
    done: () => onDone(w('cancelledDone')),
    codes: refusals,
  });
  const focus = useFormFocus<HTMLFormElement>();
  return (
    <form ref={focus} class="panel stack" onSubmit={form.submit} noValidate aria-label={w('cancelTitle')}>
      <h3>{w('cancelTitle')}</h3>
      <TextField form={form} name="reason" label={w('reason')} hint={w('reasonHint')} required />
      <FormMessage form={form} />
      <div class="row">
        <SaveButton form={form}>{w('confirmCancel')}</SaveButton>
        <button type="button" onClick={() => onDone(null)}>
          {t('back')}
        </button>
      </div>
    </form>
  );
}

/** A café once, on a date of the week shown (a theme evening, say). */
export function NewSessionForm(p: { municipalityId: string; date: string; onDone: (text: string | null) => void }) {
  return (
    <WithVenues municipalityId={p.municipalityId}>
      {(venues, associations) => <NewSession {...p} venues={venues} associations={associations} />}
    </WithVenues>
  );
}

function NewSession({
  date,
  venues,
  associations,
  onDone,
}: {
  date: string;
  venues: VenueChoice[];
  associations: AssociationChoice[];
  onDone: (text: string | null) => void;
}) {
  const form = useForm({
    id: 'new-session',
    initial: {
      venueId: venues[0]?.id ?? '',
      date,
      startTime: '14:00',
      durationMinutes: '120',
      seats: String(venues[0]?.seats ?? 10),
      theme: '',
      associationId: '',
    },
    save: (v) =>
      api.post('sessions', {
        ...v,
        associationId: v.associationId || undefined,
        durationMinutes: numberOf(v.durationMinutes),
        seats: numberOf(v.seats),
        theme: v.theme.trim() || null,
      }),
    done: () => onDone(w('added')),
    codes: refusals,
  });
  useDefaultFrom(form, 'seats', (v) => seatsOf(venues, v.venueId));
  const focus = useFormFocus<HTMLFormElement>();
  return (
    <form ref={focus} class="card stack" onSubmit={form.submit} noValidate aria-label={w('addTitle')}>
      <h2>{w('addTitle')}</h2>
      <SelectField
        form={form}
        name="venueId"
        label={w('venue')}
        options={venues.map((v) => ({ value: v.id, label: v.name }))}
      />
      <AssociationField form={form} associations={associations} />
      <div class="grid2">
        <TextField form={form} name="date" label={w('date')} type="date" />
        <TextField form={form} name="startTime" label={w('start')} type="time" />
        <NumberField form={form} name="durationMinutes" label={w('length')} />
        <NumberField form={form} name="seats" label={w('seats')} />
      </div>
      <TextField form={form} name="theme" label={w('theme')} />
      <FormMessage form={form} />
      <div class="row">
        <SaveButton form={form} />
        <button type="button" onClick={() => onDone(null)}>
          {t('back')}
        </button>
      </div>
    </form>
  );
}

/** A venue's seats as a form's text, for a café's seats to start from. */
export const seatsOf = (venues: readonly { id: string; seats: number }[], venueId: string) => {
  const venue = venues.find((v) => v.id === venueId);
  return venue && String(venue.seats);
};
