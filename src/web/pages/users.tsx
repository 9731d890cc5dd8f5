/** The admin's users: invite by e-mail, send the invitation again, change role or organisation, deactivate. */
import type { z } from 'zod';
import { useState } from 'preact/hooks';
import type { User } from '../../contract/auth';
import { ROLE_ORGANISATION } from '../../contract/vocabulary';
import { api, ApiError, type Session } from '../api';
import { FormMessage, SaveButton, SelectField, TextField, useForm, useFormFocus } from '../form';
import { clock, defineWords, t } from '../i18n';
import { type Message, MessageLine, Status, useLoad } from '../ui';
import { type Org, useOrganisations } from './organisations';

type U = z.infer<typeof User>;
type Role = U['role'];

const userWords = defineWords({
  title: ['Användare', 'Users'],
  lead: [
    'Bjud in de som ska logga in. De får ett mejl och väljer själva sitt lösenord.',
    'Invite the people who will log in. They get an e-mail and choose their own password.',
  ],
  invite: ['Bjud in', 'Invite'],
  inviteTitle: ['Bjud in en person', 'Invite a person'],
  email: ['E-post', 'E-mail'],
  role: ['Roll', 'Role'],
  organisation: ['Kommun eller förening', 'Municipality or association'],
  admin: ['Administratör', 'Administrator'],
  coordinator: ['Samordnare', 'Coordinator'],
  association_staff: ['Personal i föreningen', 'Association staff'],
  viewer: ['Läsare på kommunen', 'Viewer at the municipality'],
  roleHintcoordinator: ['Planerar kommunens caféer.', "Plans the municipality's cafés."],
  roleHintassociation_staff: [
    'Ser föreningens guider och rapporterar efter caféerna.',
    "Sees the association's guides and reports after the cafés.",
  ],
  roleHintviewer: [
    'Ser scheman och siffror, aldrig seniorernas namn.',
    "Sees schedules and figures, never the seniors' names.",
  ],
  roleHintadmin: [
    'Lägger in kommuner, föreningar, avtal och användare.',
    'Adds municipalities, associations, contracts and users.',
  ],
  invited: ['Inbjuden', 'Invited'],
  active: ['Aktiv', 'Active'],
  deactivated: ['Avstängd', 'Deactivated'],
  sent: [
    'Vi har skickat en inbjudan till {e}. Länken gäller i 3 dygn.',
    'We have sent an invitation to {e}. The link works for 3 days.',
  ],
  resend: ['Skicka inbjudan igen', 'Send the invitation again'],
  resent: [
    'Ny inbjudan skickad till {e}. Den gamla länken fungerar inte längre.',
    'New invitation sent to {e}. The old link no longer works.',
  ],
  change: ['Ändra roll', 'Change role'],
  changeTitle: ['Ändra roll för {e}', 'Change the role of {e}'],
  changed: ['{e} är nu {r}.', '{e} is now {r}.'],
  deactivate: ['Stäng av', 'Deactivate'],
  sureDeactivate: [
    'Stänga av {e}? Personen loggas ut och kan inte logga in.',
    'Deactivate {e}? They are logged out and cannot log in.',
  ],
  deactivatedDone: ['{e} är avstängd.', '{e} is deactivated.'],
  reactivate: ['Öppna igen', 'Reactivate'],
  reactivatedDone: ['{e} kan logga in igen.', '{e} can log in again.'],
  ownAccount: [
    'Du kan inte stänga av dig själv eller ta bort din egen roll.',
    'You cannot deactivate yourself or take away your own role.',
  ],
  lastAdmin: ['Det måste finnas minst en aktiv administratör.', 'There must be at least one active administrator.'],
  none: ['Inga användare än.', 'No users yet.'],
  failed: [
    'Vi kunde inte ändra användaren. Ladda om sidan och försök igen.',
    'We could not change the user. Reload the page and try again.',
  ],
  noOrg: ['Lägg först till en kommun och en förening.', 'First add a municipality and an association.'],
  waits: [
    'Många fel lösenord: nästa inloggning får vänta till {time}.',
    'Many wrong passwords: the next login has to wait until {time}.',
  ],
  unlock: ['Lås upp', 'Unlock'],
  unlocked: ['{e} kan logga in nu.', '{e} can log in now.'],
});
const w = userWords;

const ROLES: Role[] = ['coordinator', 'association_staff', 'viewer', 'admin'];

/** The organisations a role may belong to, and the one to send: the chosen one if it fits the role, else the first shown. */
function organisationsFor(role: Role, chosen: string, municipalities: Org[], associations: Org[]) {
  const kind = ROLE_ORGANISATION[role];
  const list = kind === 'association' ? associations : kind === 'municipality' ? municipalities : [];
  return { list, organisationId: kind ? (list.find((o) => o.id === chosen) ?? list[0])?.id : null };
}

/** Invite one person: the role decides which organisations can be chosen. */
export function InviteForm({
  id = 'invite',
  municipalities,
  associations,
  role: fixedRole,
  onSent,
  autoFocus = true,
}: {
  id?: string;
  municipalities: Org[];
  associations: Org[];
  role?: Role;
  onSent: (user: U) => void;
  /** Whether the first field takes the focus when the form opens (one form of several does). */
  autoFocus?: boolean;
}) {
  const form = useForm({
    id,
    initial: { email: '', role: fixedRole ?? 'coordinator', organisationId: '' },
    save: (v) => {
      const { organisationId } = organisationsFor(v.role, v.organisationId, municipalities, associations);
      return api.post<U>('users/invitations', { email: v.email, role: v.role, organisationId });
    },
    done: (u) => {
      onSent(u as U);
      form.reset({ ...form.values, email: '' });
    },
  });
  const orgs = organisationsFor(form.values.role, form.values.organisationId, municipalities, associations).list;
  const focus = useFormFocus<HTMLFormElement>(autoFocus);
  return (
    <form ref={focus} class="card stack" onSubmit={form.submit} noValidate aria-label={w('inviteTitle')}>
      <TextField form={form} name="email" label={w('email')} type="email" autoComplete="off" required />
      {!fixedRole && (
        <SelectField
          form={form}
          name="role"
          label={w('role')}
          hint={w(`roleHint${form.values.role}` as 'roleHintcoordinator')}
          options={ROLES.map((r) => ({ value: r, label: w(r) }))}
        />
      )}
      {orgs.length > 1 && (
        <SelectField
          form={form}
          name="organisationId"
          label={w('organisation')}
          options={orgs.map((o) => ({ value: o.id, label: o.name }))}
        />
      )}
      <FormMessage form={form} />
      <SaveButton form={form}>{w('invite')}</SaveButton>
    </form>
  );
}

export function UsersPage({ session }: { session: Session }) {
  const users = useLoad(async () => (await api.get<{ items: U[] }>('users')).items, 'users');
  const { municipalities, associations } = useOrganisations();
  const [inviting, setInviting] = useState(false);
  const [changing, setChanging] = useState<U | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const orgName = new Map([...(municipalities.data ?? []), ...(associations.data ?? [])].map((o) => [o.id, o.name]));
  const act = async (work: () => Promise<unknown>, ok: string) => {
    setMessage(null);
    try {
      await work();
      setMessage({ kind: 'ok', text: ok });
    } catch (err) {
      const code = err instanceof ApiError ? err.code : '';
      setMessage({
        kind: 'error',
        text: code === 'own_account' ? w('ownAccount') : code === 'last_admin' ? w('lastAdmin') : w('failed'),
      });
    }
    users.reload();
  };
  const noOrgs = !municipalities.data?.length && !associations.data?.length;
  return (
    <section class="stack">
      <div class="page-head">
        <h1 tabIndex={-1}>{w('title')}</h1>
        {!inviting && (
          <button type="button" class="primary" id="invite-open" onClick={() => setInviting(true)}>
            {w('invite')}
          </button>
        )}
      </div>
      <p class="lead">{w('lead')}</p>
      <MessageLine message={message} />
      {inviting &&
        (noOrgs ? (
          <p class="notice">{w('noOrg')}</p>
        ) : (
          <InviteForm
            municipalities={municipalities.data ?? []}
            associations={associations.data ?? []}
            onSent={(u) => {
              setInviting(false);
              setMessage({ kind: 'ok', text: w('sent', { e: u.email }) });
              users.reload();
            }}
          />
        ))}
      {changing && (
        <RoleForm
          key={changing.id}
          user={changing}
          municipalities={municipalities.data ?? []}
          associations={associations.data ?? []}
          onDone={(u) => {
            setChanging(null);
            if (u) setMessage({ kind: 'ok', text: w('changed', { e: u.email, r: w(u.role) }) });
            users.reload();
          }}
        />
      )}
      <Status loaded={users}>
        {() =>
          users.data!.length === 0 ? (
            <p>{w('none')}</p>
          ) : (
            <ul class="cards-list">
              {users.data!.map((u) => (
                <li key={u.id} class="card">
                  <h2 class="small-heading">{u.email}</h2>
                  <p>
                    {w(u.role)}
                    {u.organisationId && ` · ${orgName.get(u.organisationId) ?? ''}`}{' '}
                    <span class={`badge ${u.status === 'active' ? 'ok' : u.status === 'invited' ? 'wait' : 'bad'}`}>
                      {w(u.status)}
                    </span>
                  </p>
                  {u.loginWaitsUntil && (
                    <p class="notice">
                      {w('waits', { time: clock(u.loginWaitsUntil) })}{' '}
                      <button
                        type="button"
                        onClick={() => void act(() => api.post(`users/${u.id}/unlock`), w('unlocked', { e: u.email }))}
                        aria-label={`${w('unlock')}: ${u.email}`}
                      >
                        {w('unlock')}
                      </button>
                    </p>
                  )}
                  {u.id !== session.user.id && (
                    <div class="row">
                      {u.status === 'invited' && (
                        <button
                          type="button"
                          onClick={() =>
                            void act(() => api.post(`users/${u.id}/invitation`), w('resent', { e: u.email }))
                          }
                        >
                          {w('resend')}
                        </button>
                      )}
                      <button
                        type="button"
                        id={`role-${u.id}`}
                        onClick={() => setChanging(u)}
                        aria-label={`${w('change')}: ${u.email}`}
                      >
                        {w('change')}
                      </button>
                      {u.active ? (
                        <button
                          type="button"
                          class="danger"
                          onClick={() => {
                            if (confirm(w('sureDeactivate', { e: u.email })))
                              void act(
                                () => api.post(`users/${u.id}/deactivate`),
                                w('deactivatedDone', { e: u.email }),
                              );
                          }}
                          aria-label={`${w('deactivate')}: ${u.email}`}
                        >
                          {w('deactivate')}
                        </button>
                      ) : (
                        <button
                          type="button"
                          onClick={() =>
                            void act(() => api.post(`users/${u.id}/reactivate`), w('reactivatedDone', { e: u.email }))
                          }
                        >
                          {w('reactivate')}
                        </button>
                      )}
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </Status>
    </section>
  );
}

function RoleForm({
  user,
  municipalities,
  associations,
  onDone,
}: {
  user: U;
  municipalities: Org[];
  associations: Org[];
  onDone: (u: U | null) => void;
}) {
  const form = useForm({
    id: 'role',
    initial: { role: user.role, organisationId: user.organisationId ?? '' },
    save: (v) => {
      const { organisationId } = organisationsFor(v.role, v.organisationId, municipalities, associations);
      return api.patch<U>(`users/${user.id}`, { role: v.role, organisationId });
    },
    done: (u) => onDone(u as U),
    codes: { own_account: w('ownAccount'), last_admin: w('lastAdmin') },
  });
  const orgs = organisationsFor(form.values.role, form.values.organisationId, municipalities, associations).list;
  const focus = useFormFocus<HTMLFormElement>();
  return (
    <form
      ref={focus}
      class="card stack"
      onSubmit={form.submit}
      noValidate
      aria-label={w('changeTitle', { e: user.email })}
    >
      <h2>{w('changeTitle', { e: user.email })}</h2>
      <SelectField form={form} name="role" label={w('role')} options={ROLES.map((r) => ({ value: r, label: w(r) }))} />
      {orgs.length > 0 && (
        <SelectField
          form={form}
          name="organisationId"
          label={w('organisation')}
          options={orgs.map((o) => ({ value: o.id, label: o.name }))}
        />
      )}
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
