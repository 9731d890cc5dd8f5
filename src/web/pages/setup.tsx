/**
 * "Kom igång": a fresh installation's first steps, for its admin. Each step is one of the
 * admin pages' own forms; the progress comes from what exists, so it is right after a reload.
 */
import { useState } from 'preact/hooks';
import { api } from '../api';
import { defineWords } from '../i18n';
import { navigate, onLink } from '../router';
import { MessageLine, type Message, Status, useLoad } from '../ui';
import { ContractForm, OrganisationForm, useOrganisations } from './organisations';
import { InviteForm } from './users';

const w = defineWords({
  title: ['Kom igång', 'Get started'],
  lead: [
    'Fyra steg, sedan kan samordnaren planera caféerna. Du kan ändra allt senare.',
    'Four steps, then the coordinator can plan the cafés. You can change everything later.',
  ],
  progress: ['Steg {n} av 4', 'Step {n} of 4'],
  step1: ['Kommunen', 'The municipality'],
  step2: ['Föreningen', 'The association'],
  step3: ['Avtalet', 'The contract'],
  step4: ['Bjud in', 'Invite'],
  done: ['Klart', 'Done'],
  now: ['Nu', 'Now'],
  later: ['Sedan', 'Later'],
  lead1: ['Vilken kommun har caféerna?', 'Which municipality has the cafés?'],
  lead2: ['Vilken förening har guiderna och sköter caféerna?', 'Which association has the guides and runs the cafés?'],
  lead3: [
    'Avtalet mellan kommunen och föreningen. Föreningen rapporterar till kommunen för avtalets period.',
    'The contract between the municipality and the association. The association reports to the municipality for its period.',
  ],
  lead4: [
    'Bjud in kommunens samordnare och föreningens personal. De får ett mejl och väljer ett lösenord.',
    "Invite the municipality's coordinator and the association's staff. They get an e-mail and choose a password.",
  ],
  coordinator: ['Samordnare för {n}', 'Coordinator for {n}'],
  staff: ['Personal i {n}', 'Staff of {n}'],
  sent: ['Inbjudan skickad till {e}.', 'Invitation sent to {e}.'],
  finish: ['Klar', 'Finished'],
  allDone: [
    'Allt är klart. Samordnaren lägger nu till lokaler och caféer.',
    'Everything is ready. The coordinator now adds venues and cafés.',
  ],
  toOrganisations: ['Kommuner och föreningar', 'Municipalities and associations'],
  toUsers: ['Användare', 'Users'],
  saveNext: ['Spara och gå vidare', 'Save and go on'],
});

export function SetupPage({ onChanged }: { onChanged: () => void }) {
  const { municipalities, associations, contracts, reload: reloadLists } = useOrganisations();
  // A coordinator invited before (a reload of this page) means the last step is done.
  const users = useLoad(async () => (await api.get<{ items: { role: string }[] }>('users')).items, 'users');
  const [message, setMessage] = useState<Message>(null);
  const [finished, setFinished] = useState(false);
  const reload = () => {
    reloadLists();
    onChanged();
    requestAnimationFrame(() => document.getElementById('step-title')?.focus());
  };
  const ready = municipalities.data && associations.data && contracts.data;
  const step = !ready
    ? 0
    : !municipalities.data!.length
      ? 1
      : !associations.data!.length
        ? 2
        : !contracts.data!.length
          ? 3
          : finished || users.data?.some((u) => u.role === 'coordinator')
            ? 5
            : 4;
  const titles = [w('step1'), w('step2'), w('step3'), w('step4')];
  return (
    <section class="narrow stack">
      <h1 tabIndex={-1}>{w('title')}</h1>
      <p class="lead">{w('lead')}</p>
      <Status loaded={contracts}>
        {() => (
          <>
            <ol class="steps" aria-label={step <= 4 ? w('progress', { n: step }) : w('done')}>
              {titles.map((title, i) => (
                <li
                  key={title}
                  class={i + 1 < step ? 'done' : i + 1 === step ? 'now' : ''}
                  aria-current={i + 1 === step ? 'step' : undefined}
                >
                  <span>{title}</span>{' '}
                  <span class="muted">({i + 1 < step ? w('done') : i + 1 === step ? w('now') : w('later')})</span>
                </li>
              ))}
            </ol>
            <MessageLine message={message} />
            {step <= 4 && (
              <h2 id="step-title" tabIndex={-1}>
                {w('progress', { n: step })}: {titles[step - 1]}
              </h2>
            )}
            {step === 1 && (
              <>
                <p>{w('lead1')}</p>
                <OrganisationForm kind="municipality" org={null} submitLabel={w('saveNext')} onDone={reload} />
              </>
            )}
            {step === 2 && (
              <>
                <p>{w('lead2')}</p>
                <OrganisationForm kind="association" org={null} submitLabel={w('saveNext')} onDone={reload} />
              </>
            )}
            {step === 3 && (
              <>
                <p>{w('lead3')}</p>
                <ContractForm
                  municipalities={municipalities.data!}
                  associations={associations.data!}
                  contract={null}
                  submitLabel={w('saveNext')}
                  onDone={reload}
                />
              </>
            )}
            {step === 4 && (
              <>
                <p>{w('lead4')}</p>
                <h3>{w('coordinator', { n: municipalities.data![0].name })}</h3>
                <InviteForm
                  id="invite-coordinator"
                  role="coordinator"
                  municipalities={municipalities.data!}
                  associations={associations.data!}
                  onSent={(u) => setMessage({ kind: 'ok', text: w('sent', { e: u.email }) })}
                />
                <h3>{w('staff', { n: associations.data![0].name })}</h3>
                <InviteForm
                  id="invite-staff"
                  autoFocus={false}
                  role="association_staff"
                  municipalities={municipalities.data!}
                  associations={associations.data!}
                  onSent={(u) => setMessage({ kind: 'ok', text: w('sent', { e: u.email }) })}
                />
                <button type="button" class="primary" onClick={() => setFinished(true)}>
                  {w('finish')}
                </button>
              </>
            )}
            {step === 5 && (
              <div class="card stack">
                <p>{w('allDone')}</p>
                <p class="row">
                  <a class="button" href="/organisationer" onClick={onLink}>
                    {w('toOrganisations')}
                  </a>
                  <a class="button" href="/anvandare" onClick={onLink}>
                    {w('toUsers')}
                  </a>
                  <a
                    class="button primary"
                    href="/vecka"
                    onClick={(e) => {
                      e.preventDefault();
                      navigate('/vecka');
                    }}
                  >
                    {w('done')}
                  </a>
                </p>
              </div>
            )}
          </>
        )}
      </Status>
    </section>
  );
}
