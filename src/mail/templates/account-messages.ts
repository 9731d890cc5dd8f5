import { clock, dayName, type Lang } from '../words';
import { compose, type Rendered } from './layout';

const ROLE: Record<string, Record<Lang, string>> = {
  admin: { sv: 'administratör', en: 'administrator' },
  coordinator: { sv: 'samordnare', en: 'coordinator' },
  association_staff: { sv: 'personal i föreningen', en: 'association staff' },
  viewer: { sv: 'läsare', en: 'viewer' },
};

/** "fredag 27 november 10:00": when a link stops working, in the installation's zone. */
const until = (at: Date, zone: string, lang: Lang) => {
  const day = dayName(at, zone, lang);
  return `${lang === 'sv' ? day.toLowerCase() : day} ${clock(at, zone)}`;
};

/** An invitation to a new account: the link lets the person choose a password, once. */
export function invitation(d: {
  role: string;
  organisation: string | null;
  url: string;
  expiresAt: Date;
  zone: string;
}): Rendered {
  const where = (lang: Lang) =>
    d.organisation ? (lang === 'sv' ? ` i ${d.organisation}` : ` in ${d.organisation}`) : '';
  return compose(
    { sv: 'Välkommen till Bryggan', en: 'Welcome to Bryggan' },
    {
      sv: [
        { p: `Du har fått ett konto i Bryggan som ${ROLE[d.role]?.sv ?? d.role}${where('sv')}.` },
        { p: 'Tryck på knappen och välj ett lösenord. Sedan kan du logga in.' },
        { links: [{ label: 'Välj lösenord', url: d.url }] },
        { p: `Länken fungerar en gång, till ${until(d.expiresAt, d.zone, 'sv')}.` },
        { p: 'Hälsningar, Bryggan' },
      ],
      en: [
        { p: `You have an account in Bryggan as ${ROLE[d.role]?.en ?? d.role}${where('en')}.` },
        { p: 'Press the button and choose a password. Then you can log in.' },
        { links: [{ label: 'Choose a password', url: d.url }] },
        { p: `The link works once, until ${until(d.expiresAt, d.zone, 'en')}.` },
        { p: 'Best wishes, Bryggan' },
      ],
    },
  );
}

/** A reset: someone asked for a new password for this address. */
export function passwordReset(d: { url: string; expiresAt: Date; zone: string }): Rendered {
  return compose(
    { sv: 'Nytt lösenord till Bryggan', en: 'A new password for Bryggan' },
    {
      sv: [
        { p: 'Någon har bett om ett nytt lösenord till ditt konto i Bryggan.' },
        { p: 'Tryck på knappen och välj ett nytt lösenord.' },
        { links: [{ label: 'Välj nytt lösenord', url: d.url }] },
        { p: `Länken fungerar en gång, till ${until(d.expiresAt, d.zone, 'sv')}.` },
        { p: 'Bad du inte om det? Då kan du strunta i mejlet. Ditt lösenord är kvar.' },
        { p: 'Hälsningar, Bryggan' },
      ],
      en: [
        { p: 'Someone asked for a new password for your account in Bryggan.' },
        { p: 'Press the button and choose a new password.' },
        { links: [{ label: 'Choose a new password', url: d.url }] },
        { p: `The link works once, until ${until(d.expiresAt, d.zone, 'en')}.` },
        { p: 'Did you not ask for it? Then ignore this e-mail. Your password stays as it is.' },
        { p: 'Best wishes, Bryggan' },
      ],
    },
  );
}
