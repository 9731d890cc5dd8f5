/** Passwords: choosing one from an invitation or reset link, asking for a reset, changing one's own. */
import { useState } from 'preact/hooks';
import { api, ApiError, type Session, signIn } from '../api';
import { FormMessage, SaveButton, TextField, useForm } from '../form';
import { defineWords, t, waitTime } from '../i18n';
import { navigate, onLink } from '../router';
import { useLoad } from '../ui';

const w = defineWords({
  chooseTitle: ['Välj ditt lösenord', 'Choose your password'],
  resetTitle: ['Välj ett nytt lösenord', 'Choose a new password'],
  forAccount: ['Kontot: {e}', 'The account: {e}'],
  newPassword: ['Nytt lösenord', 'New password'],
  passwordHint: [
    'Minst 12 tecken. Tre eller fyra ord blir ett bra lösenord.',
    'At least 12 characters. Three or four words make a good password.',
  ],
  savePassword: ['Spara lösenordet', 'Save the password'],
  linkExpired: [
    'Länken gäller inte längre. Be om en ny länk här under.',
    'The link no longer works. Ask for a new link below.',
  ],
  linkUsed: [
    'Länken är redan använd. Logga in, eller be om en ny länk här under.',
    'The link has been used already. Log in, or ask for a new link below.',
  ],
  linkInvalid: [
    'Länken fungerar inte. Be om en ny länk här under.',
    'The link does not work. Ask for a new link below.',
  ],
  askNew: ['Be om en ny länk', 'Ask for a new link'],
  forgotTitle: ['Glömt lösenordet?', 'Forgot your password?'],
  forgotLead: [
    'Skriv din e-postadress. Om den har ett konto får du ett mejl med en länk. Länken gäller i en timme.',
    'Write your e-mail address. If it has an account, you get an e-mail with a link. The link works for an hour.',
  ],
  sendLink: ['Skicka länken', 'Send the link'],
  notSent: [
    'Vi kunde inte skicka länken. Försök igen om en stund.',
    'We could not send the link. Try again in a while.',
  ],
  sent: [
    'Tack. Om adressen har ett konto får du ett mejl inom några minuter. Titta också i skräpposten.',
    'Thank you. If the address has an account, you get an e-mail within a few minutes. Look in the spam folder too.',
  ],
  tooMany: [
    'Du har bett om många länkar. Vänta {time} och försök igen.',
    'You have asked for many links. Wait {time} and try again.',
  ],
  backToLogin: ['Till inloggningen', 'To the login'],
  accountTitle: ['Mitt konto', 'My account'],
  signedInAs: ['Du är inloggad som {e}.', 'You are logged in as {e}.'],
  changeTitle: ['Byt lösenord', 'Change password'],
  current: ['Nuvarande lösenord', 'Current password'],
  changed: [
    'Lösenordet är bytt. Du är utloggad på dina andra enheter.',
    'The password is changed. You are logged out on your other devices.',
  ],
});

/** `/losenord#<link>`: the page behind an invitation or reset mail. */
export function ChoosePasswordPage({ onIn }: { onIn: (s: Session) => void }) {
  const token = decodeURIComponent(location.hash.slice(1));
  const link = useLoad(
    () =>
      api
        .raw('GET', `auth/password-links/${encodeURIComponent(token)}`, undefined, '')
        .then((r) => r.json() as Promise<{ purpose: 'invite' | 'reset'; email: string }>),
    token,
  );
  const form = useForm({
    id: 'choose',
    initial: { password: '' },
    save: (v) => signIn(`auth/password-links/${encodeURIComponent(token)}`, { password: v.password }),
    done: (s) => {
      onIn(s as Session);
      navigate('/', true);
    },
    codes: { link_used: w('linkUsed'), link_expired: w('linkExpired'), invalid_link: w('linkInvalid') },
  });
  if (link.error) {
    const code = link.error instanceof ApiError ? link.error.code : '';
    return (
      <section class="card stack">
        <h1>{w('chooseTitle')}</h1>
        <p class="notice error" role="alert">
          {code === 'link_expired' ? w('linkExpired') : code === 'link_used' ? w('linkUsed') : w('linkInvalid')}
        </p>
        <p>
          <a class="button primary" href="/glomt-losenord" onClick={onLink}>
            {w('askNew')}
          </a>{' '}
          <a href="/logga-in" onClick={onLink}>
            {w('backToLogin')}
          </a>
        </p>
      </section>
    );
  }
  if (!link.data) return <p aria-live="polite">{t('loading')}</p>;
  return (
    <form class="card stack" onSubmit={form.submit} noValidate>
      <h1>{link.data.purpose === 'invite' ? w('chooseTitle') : w('resetTitle')}</h1>
      <p>{w('forAccount', { e: link.data.email })}</p>
      {/* The address, for password managers to store the new password under. */}
      <input
        type="email"
        name="username"
        autoComplete="username"
        value={link.data.email}
        aria-label={t('email')}
        hidden
        readOnly
      />
      <TextField
        form={form}
        name="password"
        label={w('newPassword')}
        hint={w('passwordHint')}
        type="password"
        autoComplete="new-password"
        required
      />
      <FormMessage form={form} />
      <SaveButton form={form}>{w('savePassword')}</SaveButton>
    </form>
  );
}

/** `/glomt-losenord`: ask for a reset link. The answer is the same for any address. */
export function ForgotPasswordPage() {
  const [sent, setSent] = useState(false);
  const [wait, setWait] = useState('');
  const form = useForm({
    id: 'forgot',
    initial: { email: '' },
    save: async (v) => {
      try {
        await api.raw('POST', 'auth/password-reset', { email: v.email }, '');
      } catch (err) {
        if (err instanceof ApiError && err.status === 429) return setWait(waitTime(err.retryAfter ?? 900));
        throw err;
      }
      setWait('');
      setSent(true);
    },
    failed: w('notSent'),
  });
  return (
    <form class="card stack" onSubmit={form.submit} noValidate>
      <h1>{w('forgotTitle')}</h1>
      <p>{w('forgotLead')}</p>
      <TextField form={form} name="email" label={t('email')} type="email" autoComplete="username" required />
      <FormMessage form={form} />
      <div aria-live="polite">
        {sent && <p class="notice ok">{w('sent')}</p>}
        {wait && <p class="notice error">{w('tooMany', { time: wait })}</p>}
      </div>
      <SaveButton form={form}>{w('sendLink')}</SaveButton>
      <p>
        <a href="/logga-in" onClick={onLink}>
          {w('backToLogin')}
        </a>
      </p>
    </form>
  );
}

/** `/konto`: who is logged in, and changing one's password. */
export function AccountPage({ session }: { session: Session }) {
  const [done, setDone] = useState(false);
  const form = useForm({
    id: 'password',
    initial: { currentPassword: '', newPassword: '' },
    save: (v) => api.post('auth/password', v),
    done: () => {
      setDone(true);
      form.reset({ currentPassword: '', newPassword: '' });
    },
  });
  return (
    <section class="narrow stack">
      <h1 tabIndex={-1}>{w('accountTitle')}</h1>
      <p>{w('signedInAs', { e: session.user.email })}</p>
      <form class="card stack" onSubmit={form.submit} noValidate>
        <h2>{w('changeTitle')}</h2>
        <input
          type="email"
          name="username"
          autoComplete="username"
          value={session.user.email}
          aria-label={t('email')}
          hidden
          readOnly
        />
        <TextField
          form={form}
          name="currentPassword"
          label={w('current')}
          type="password"
          autoComplete="current-password"
          required
        />
        <TextField
          form={form}
          name="newPassword"
          label={w('newPassword')}
          hint={w('passwordHint')}
          type="password"
          autoComplete="new-password"
          required
        />
        <FormMessage form={form} />
        <div aria-live="polite">{done && <p class="notice ok">{w('changed')}</p>}</div>
        <SaveButton form={form}>{w('savePassword')}</SaveButton>
      </form>
    </section>
  );
}
