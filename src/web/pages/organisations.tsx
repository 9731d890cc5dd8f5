/** The admin's organisations: municipalities, associations and the contracts between them. */
import type { z } from 'zod';
import { useState } from 'preact/hooks';
import type { Contract, Organisation } from '../../contract/organisations';
import { api } from '../api';
import { FormMessage, NumberField, numberOf, SaveButton, SelectField, TextField, useForm, useFormFocus } from '../form';
import { day, defineWords, t } from '../i18n';
import { type Message, MessageLine, Status, useLoad } from '../ui';

export type Org = z.infer<typeof Organisation>;
export type ContractT = z.infer<typeof Contract>;

const orgWords = defineWords({
  title: ['Kommuner och föreningar', 'Municipalities and associations'],
  municipalities: ['Kommuner', 'Municipalities'],
  associations: ['Föreningar', 'Associations'],
  contracts: ['Avtal', 'Contracts'],
  noMunicipalities: ['Det finns ingen kommun än.', 'There is no municipality yet.'],
  noAssociations: ['Det finns ingen förening än.', 'There is no association yet.'],
  noContracts: [
    'Det finns inget avtal än. Ett avtal gör att föreningen ser kommunens caféer.',
    "There is no contract yet. A contract lets the association see the municipality's cafés.",
  ],
  addMunicipality: ['Ny kommun', 'New municipality'],
  addAssociation: ['Ny förening', 'New association'],
  addContract: ['Nytt avtal', 'New contract'],
  edit: ['Ändra', 'Change'],
  editTitle: ['Ändra {n}', 'Change {n}'],
  name: ['Namn', 'Name'],
  municipalityName: ['Kommunens namn', "The municipality's name"],
  municipalityHint: ['Till exempel: Mora kommun', 'For example: Mora kommun'],
  associationName: ['Föreningens namn', "The association's name"],
  contactEmail: ['E-post för rapporter (om ni har en)', 'E-mail for reports (if you have one)'],
  contactHint: [
    'En gemensam adress, till exempel it-cafe@kommun.se. Rapporterna skickas dit.',
    'A shared address, for example it-cafe@kommun.se. The reports are sent there.',
  ],
  timeZone: ['Tidszon', 'Time zone'],
  timeZoneHint: ['Europe/Stockholm för alla svenska kommuner.', 'Europe/Stockholm for every Swedish municipality.'],
  conflictPolicy: [
    'När en guide inte längre kan komma på ett skickat pass',
    'When a guide can no longer come to a published session',
  ],
  conflictHint: [
    'Det kan hända när ett café flyttas eller en guides tider ändras.',
    "It can happen when a café moves or a guide's times change.",
  ],
  policyAsk: [
    'Samordnaren väljer. Bryggan visar vilka guider som kan ta passet.',
    'The coordinator chooses. Bryggan shows which guides can take the session.',
  ],
  policyRelease: [
    'Ta bort guiden från passet och fråga andra guider direkt.',
    'Take the guide off the session and ask other guides at once.',
  ],
  municipality: ['Kommun', 'Municipality'],
  association: ['Förening', 'Association'],
  startsOn: ['Avtalet gäller från', 'The contract runs from'],
  endsOn: ['Avtalet gäller till', 'The contract runs until'],
  reportingPeriod: ['Rapport varje', 'Report every'],
  month: ['månad', 'month'],
  quarter: ['kvartal', 'quarter'],
  year: ['år', 'year'],
  hourlyRate: ['Timpris i kronor (om avtalet har ett)', 'Hourly rate in kronor (if the contract has one)'],
  reference: ['Diarienummer (om det finns)', 'Reference number (if any)'],
  saved: ['{n} är sparad.', '{n} is saved.'],
  contractSaved: ['Avtalet är sparat.', 'The contract is saved.'],
  perHour: ['{n} kr per timme', '{n} SEK per hour'],
  reports: ['rapport varje {p}', 'report every {p}'],
});
const w = orgWords;

const ZONES = ['Europe/Stockholm', 'Europe/Helsinki', 'Europe/Oslo', 'Europe/Copenhagen'];

/** The admin pages' lists: every municipality, association and contract. */
export function useOrganisations() {
  const municipalities = useLoad(async () => (await api.get<{ items: Org[] }>('municipalities?limit=500')).items, 'm');
  const associations = useLoad(async () => (await api.get<{ items: Org[] }>('associations?limit=500')).items, 'a');
  const contracts = useLoad(async () => (await api.get<{ items: ContractT[] }>('contracts?limit=500')).items, 'c');
  const reload = () => {
    municipalities.reload();
    associations.reload();
    contracts.reload();
  };
  return { municipalities, associations, contracts, reload };
}

/** A municipality or an association: name, contact address, and a municipality's time zone. */
export function OrganisationForm({
  kind,
  org,
  onDone,
  submitLabel,
}: {
  kind: 'municipality' | 'association';
  org: Org | null;
  onDone: (saved: Org | null) => void;
  submitLabel?: string;
}) {
  const form = useForm({
    id: `org-${kind}`,
    initial: {
      name: org?.name ?? '',
      contactEmail: org?.contactEmail ?? '',
      timeZone: org?.timeZone ?? 'Europe/Stockholm',
      conflictPolicy: org?.conflictPolicy ?? 'ask',
    },
    save: (v) => {
      const body = {
        name: v.name,
        contactEmail: v.contactEmail.trim() || null,
        ...(kind === 'municipality' ? { timeZone: v.timeZone, conflictPolicy: v.conflictPolicy } : {}),
      };
      const path = kind === 'municipality' ? 'municipalities' : 'associations';
      return org ? api.patch<Org>(`${path}/${org.id}`, body) : api.post<Org>(path, body);
    },
    done: (saved) => onDone(saved as Org),
  });
  const focus = useFormFocus<HTMLFormElement>();
  return (
    <form
      ref={focus}
      class="card stack"
      onSubmit={form.submit}
      noValidate
      aria-label={
        org ? w('editTitle', { n: org.name }) : kind === 'municipality' ? w('addMunicipality') : w('addAssociation')
      }
    >
      <TextField
        form={form}
        name="name"
        label={kind === 'municipality' ? w('municipalityName') : w('associationName')}
        hint={kind === 'municipality' ? w('municipalityHint') : undefined}
        required
      />
      <TextField form={form} name="contactEmail" label={w('contactEmail')} hint={w('contactHint')} type="email" />
      {kind === 'municipality' && (
        <SelectField
          form={form}
          name="timeZone"
          label={w('timeZone')}
          hint={w('timeZoneHint')}
          options={ZONES.map((z) => ({ value: z, label: z }))}
        />
      )}
      {kind === 'municipality' && (
        <SelectField
          form={form}
          name="conflictPolicy"
          label={w('conflictPolicy')}
          hint={w('conflictHint')}
          options={[
            { value: 'ask', label: w('policyAsk') },
            { value: 'release', label: w('policyRelease') },
          ]}
        />
      )}
      <FormMessage form={form} />
      <div class="row">
        <SaveButton form={form}>{submitLabel}</SaveButton>
        {org && (
          <button type="button" onClick={() => onDone(null)}>
            {t('back')}
          </button>
        )}
      </div>
    </form>
  );
}

/** A contract between one municipality and one association. */
export function ContractForm({
  municipalities,
  associations,
  contract,
  onDone,
  submitLabel,
}: {
  municipalities: Org[];
  associations: Org[];
  contract: ContractT | null;
  onDone: (saved: ContractT | null) => void;
  submitLabel?: string;
}) {
  // A new contract most often starts this year: from January, for two years.
  const year = new Date().getFullYear();
  const form = useForm({
    id: 'contract',
    initial: {
      municipalityId: contract?.municipalityId ?? municipalities[0]?.id ?? '',
      associationId: contract?.associationId ?? associations[0]?.id ?? '',
      startsOn: contract?.startsOn ?? `${year}-01-01`,
      endsOn: contract?.endsOn ?? `${year + 1}-12-31`,
      reportingPeriod: contract?.reportingPeriod ?? 'month',
      hourlyRate: contract?.hourlyRate == null ? '' : String(contract.hourlyRate).replace('.', ','),
      reference: contract?.reference ?? '',
    },
    save: (v) => {
      const common = {
        startsOn: v.startsOn,
        endsOn: v.endsOn,
        reportingPeriod: v.reportingPeriod,
        hourlyRate: numberOf(v.hourlyRate) ?? null,
        reference: v.reference.trim() || null,
      };
      return contract
        ? api.patch<ContractT>(`contracts/${contract.id}`, common)
        : api.post<ContractT>('contracts', {
            ...common,
            municipalityId: v.municipalityId,
            associationId: v.associationId,
          });
    },
    done: (saved) => onDone(saved as ContractT),
  });
  const focus = useFormFocus<HTMLFormElement>();
  return (
    <form
      ref={focus}
      class="card stack"
      onSubmit={form.submit}
      noValidate
      aria-label={contract ? w('edit') : w('addContract')}
    >
      {!contract && (
        <div class="grid2">
          <SelectField
            form={form}
            name="municipalityId"
            label={w('municipality')}
            options={municipalities.map((o) => ({ value: o.id, label: o.name }))}
          />
          <SelectField
            form={form}
            name="associationId"
            label={w('association')}
            options={associations.map((o) => ({ value: o.id, label: o.name }))}
          />
        </div>
      )}
      <div class="grid2">
        <TextField form={form} name="startsOn" label={w('startsOn')} type="date" />
        <TextField form={form} name="endsOn" label={w('endsOn')} type="date" />
        <SelectField
          form={form}
          name="reportingPeriod"
          label={w('reportingPeriod')}
          options={(['month', 'quarter', 'year'] as const).map((p) => ({ value: p, label: w(p) }))}
        />
        <NumberField form={form} name="hourlyRate" label={w('hourlyRate')} step="0.01" />
      </div>
      <TextField form={form} name="reference" label={w('reference')} />
      <FormMessage form={form} />
      <div class="row">
        <SaveButton form={form}>{submitLabel}</SaveButton>
        {contract && (
          <button type="button" onClick={() => onDone(null)}>
            {t('back')}
          </button>
        )}
      </div>
    </form>
  );
}

/** `/organisationer`: list, create and change municipalities, associations and contracts. */
export function OrganisationsPage({ onChanged }: { onChanged: () => void }) {
  const { municipalities, associations, contracts, reload } = useOrganisations();
  const [editing, setEditing] = useState<{
    kind: 'municipality' | 'association' | 'contract';
    id: string | null;
  } | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const saved = (text: string | null) => {
    setEditing(null);
    if (text) setMessage({ kind: 'ok', text });
    reload();
    onChanged();
  };
  const names = new Map([...(municipalities.data ?? []), ...(associations.data ?? [])].map((o) => [o.id, o.name]));
  const section = (kind: 'municipality' | 'association', list: typeof municipalities) => (
    <section class="stack" aria-labelledby={`${kind}-title`}>
      <div class="page-head">
        <h2 id={`${kind}-title`}>{kind === 'municipality' ? w('municipalities') : w('associations')}</h2>
        {!editing && (
          <button type="button" id={`add-${kind}`} onClick={() => setEditing({ kind, id: null })}>
            {kind === 'municipality' ? w('addMunicipality') : w('addAssociation')}
          </button>
        )}
      </div>
      {editing?.kind === kind && (
        <OrganisationForm
          key={editing.id ?? 'new'}
          kind={kind}
          org={list.data?.find((o) => o.id === editing.id) ?? null}
          onDone={(o) => saved(o ? w('saved', { n: o.name }) : null)}
        />
      )}
      <Status loaded={list}>
        {() =>
          list.data!.length === 0 ? (
            <p>{kind === 'municipality' ? w('noMunicipalities') : w('noAssociations')}</p>
          ) : (
            <ul class="plain">
              {list.data!.map((o) => (
                <li key={o.id} class="row between">
                  <span>
                    <b>{o.name}</b>
                    {o.contactEmail && <span class="muted"> · {o.contactEmail}</span>}
                  </span>
                  <button
                    type="button"
                    class="small"
                    id={`edit-${o.id}`}
                    onClick={() => setEditing({ kind, id: o.id })}
                    aria-label={`${w('edit')} ${o.name}`}
                  >
                    {w('edit')}
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </Status>
    </section>
  );
  return (
    <section class="stack">
      <h1 tabIndex={-1}>{w('title')}</h1>
      <MessageLine message={message} />
      {section('municipality', municipalities)}
      {section('association', associations)}
      <section class="stack" aria-labelledby="contract-title">
        <div class="page-head">
          <h2 id="contract-title">{w('contracts')}</h2>
          {!editing && (municipalities.data?.length ?? 0) > 0 && (associations.data?.length ?? 0) > 0 && (
            <button type="button" id="add-contract" onClick={() => setEditing({ kind: 'contract', id: null })}>
              {w('addContract')}
            </button>
          )}
        </div>
        {editing?.kind === 'contract' && (
          <ContractForm
            key={editing.id ?? 'new'}
            municipalities={municipalities.data ?? []}
            associations={associations.data ?? []}
            contract={contracts.data?.find((c) => c.id === editing.id) ?? null}
            onDone={(c) => saved(c ? w('contractSaved') : null)}
          />
        )}
        <Status loaded={contracts}>
          {() =>
            contracts.data!.length === 0 ? (
              <p>{w('noContracts')}</p>
            ) : (
              <ul class="plain">
                {contracts.data!.map((c) => (
                  <li key={c.id} class="row between">
                    <span>
                      <b>
                        {names.get(c.municipalityId)} – {names.get(c.associationId)}
                      </b>{' '}
                      {day(c.startsOn)} – {day(c.endsOn)} · {w('reports', { p: w(c.reportingPeriod) })}
                      {c.hourlyRate != null && ` · ${w('perHour', { n: c.hourlyRate.toLocaleString('sv-SE') })}`}
                    </span>
                    <button
                      type="button"
                      class="small"
                      id={`edit-${c.id}`}
                      onClick={() => setEditing({ kind: 'contract', id: c.id })}
                      aria-label={`${w('edit')} ${w('contracts')} ${names.get(c.municipalityId)}`}
                    >
                      {w('edit')}
                    </button>
                  </li>
                ))}
              </ul>
            )
          }
        </Status>
      </section>
    </section>
  );
}
