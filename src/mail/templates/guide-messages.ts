import { plural, shortWhen } from '../words';
import { compose, type Rendered } from './layout';
import { type SessionItem, sessionBlocks, sessionList } from './session';

interface ToGuide {
  guideName: string;
  association: string;
  /** The guide's own page, if they have a link. */
  pageUrl?: string;
}

const firstName = (name: string) => name.trim().split(/\s+/)[0];

function footer(d: ToGuide) {
  return {
    sv: [{ p: 'Frågor? Kontakta din samordnare.' }, { p: `Hälsningar, ${d.association}` }],
    en: [{ p: 'Questions? Contact your coordinator.' }, { p: `Best wishes, ${d.association}` }],
  };
}

/** A link to the guide's own page: all their sessions, their hours, their calendar. */
const myPage = (d: ToGuide, lang: 'sv' | 'en') =>
  d.pageUrl
    ? [
        {
          p:
            lang === 'sv'
              ? 'Är du sjuk eller kan du inte jobba en dag? Säg till på Min sida.'
              : 'Are you ill, or unable to work one day? Tell us on My page.',
        },
        {
          links: [
            {
              label: lang === 'sv' ? 'Min sida: alla mina pass och timmar' : 'My page: all my sessions and hours',
              url: d.pageUrl,
            },
          ],
        },
      ]
    : [];

/** How to get the attached calendar file into the phone's calendar, one or several sessions. */
const calendarFile = (items: SessionItem[]) => {
  const one = items.length === 1;
  return {
    sv: {
      p: `Öppna filen pass.ics i mejlet. Då kommer ${plural(items.length, 'passet', 'passen')} in i din kalender.`,
    },
    en: {
      p: `Open the file pass.ics in this e-mail. Then ${one ? 'the session goes' : 'the sessions go'} into your calendar.`,
    },
  };
};

/** The coming week's sessions, sent at the end of the week before. */
export function weeklySchedule(d: ToGuide & { week: number; items: SessionItem[] }): Rendered {
  const f = footer(d);
  return compose(
    { sv: `Ditt schema vecka ${d.week}`, en: `Your schedule, week ${d.week}` },
    {
      sv: [
        { p: `Hej ${firstName(d.guideName)}!` },
        { p: `Här är dina pass vecka ${d.week}. Svara på varje pass: kommer du?` },
        ...sessionList(d.items, 'sv'),
        { rule: true },
        calendarFile(d.items).sv,
        ...myPage(d, 'sv'),
        ...f.sv,
      ],
      en: [
        { p: `Hi ${firstName(d.guideName)}!` },
        { p: `Here are your sessions in week ${d.week}. Please answer for each one: will you come?` },
        ...sessionList(d.items, 'en'),
        { rule: true },
        calendarFile(d.items).en,
        ...myPage(d, 'en'),
        ...f.en,
      ],
    },
  );
}

/** New or changed sessions after the schedule was published. */
export function scheduleUpdate(d: ToGuide & { items: SessionItem[] }): Rendered {
  const f = footer(d);
  const allNew = d.items.every((i) => i.change === 'new');
  const first = d.items[0];
  const one = d.items.length === 1;
  const subject = {
    sv: allNew
      ? one
        ? `Nytt pass ${shortWhen(first.startsAt, first.timeZone, 'sv')}`
        : `${d.items.length} nya pass`
      : one
        ? `Ändrat pass ${shortWhen(first.startsAt, first.timeZone, 'sv')}`
        : 'Ditt schema har ändrats',
    en: allNew
      ? one
        ? `New session ${shortWhen(first.startsAt, first.timeZone, 'en')}`
        : `${d.items.length} new sessions`
      : one
        ? `Changed session ${shortWhen(first.startsAt, first.timeZone, 'en')}`
        : 'Your schedule has changed',
  };
  return compose(subject, {
    sv: [
      { p: `Hej ${firstName(d.guideName)}!` },
      {
        p: allNew
          ? `Du har fått ${plural(d.items.length, 'ett nytt pass', 'nya pass')}. Kommer du?`
          : 'Ditt schema har ändrats. Läs om passen här under. Svara på varje pass.',
      },
      ...sessionList(d.items, 'sv'),
      { rule: true },
      allNew
        ? calendarFile(d.items).sv
        : {
            p: `Öppna filen pass.ics i mejlet. Då ändras ${plural(d.items.length, 'passet', 'passen')} i din kalender.`,
          },
      ...myPage(d, 'sv'),
      ...f.sv,
    ],
    en: [
      { p: `Hi ${firstName(d.guideName)}!` },
      {
        p: allNew
          ? `You have ${one ? 'a new session' : 'new sessions'}. Will you come?`
          : 'Your schedule has changed. Read about the sessions below. Answer for each session.',
      },
      ...sessionList(d.items, 'en'),
      { rule: true },
      allNew
        ? calendarFile(d.items).en
        : { p: 'Open the file pass.ics in this e-mail. Then your calendar changes too.' },
      ...myPage(d, 'en'),
      ...f.en,
    ],
  });
}

/**
 * Sessions the guide no longer works: `cancelled` (the café is off), `removed` (it runs, without
 * them), or `declined` (they said no).
 */
export function scheduleCancellation(
  d: ToGuide & { items: SessionItem[]; why: 'cancelled' | 'removed' | 'declined' },
): Rendered {
  const f = footer(d);
  const first = d.items[0];
  const one = d.items.length === 1;
  const at = (lang: 'sv' | 'en') => shortWhen(first.startsAt, first.timeZone, lang);
  const subject = {
    declined: { sv: `Du har tackat nej till passet ${at('sv')}`, en: `You declined the session ${at('en')}` },
    removed: one
      ? { sv: `Du behöver inte komma ${at('sv')}`, en: `You need not come ${at('en')}` }
      : {
          sv: `Du behöver inte komma på ${d.items.length} pass`,
          en: `You need not come to ${d.items.length} sessions`,
        },
    cancelled: one
      ? { sv: `Inställt pass ${at('sv')}`, en: `Cancelled: ${at('en')}` }
      : { sv: `${d.items.length} pass är inställda`, en: `${d.items.length} sessions are cancelled` },
  }[d.why];
  const intro = {
    declined: {
      sv: 'Du har tackat nej till passet. Tack för att du sa till! Vi frågar någon annan.',
      en: 'You have declined the session. Thank you for telling us! We will ask someone else.',
    },
    removed: one
      ? {
          sv: 'Din samordnare har ändrat schemat. Du behöver inte komma till passet. Caféet är öppet som vanligt.',
          en: 'Your coordinator has changed the schedule. You need not come to the session. The café is open as usual.',
        }
      : {
          sv: 'Din samordnare har ändrat schemat. Du behöver inte komma till de här passen. Caféerna är öppna som vanligt.',
          en: 'Your coordinator has changed the schedule. You need not come to these sessions. The cafés are open as usual.',
        },
    cancelled: one
      ? { sv: 'Passet är inställt. Du behöver inte komma.', en: 'The session is cancelled. You need not come.' }
      : { sv: 'Passen är inställda. Du behöver inte komma.', en: 'The sessions are cancelled. You need not come.' },
  }[d.why];
  return compose(subject, {
    sv: [
      { p: `Hej ${firstName(d.guideName)}!` },
      { p: intro.sv },
      ...sessionList(d.items, 'sv'),
      { rule: true },
      { p: `Öppna filen installt.ics i mejlet. Då försvinner ${one ? 'passet' : 'passen'} ur din kalender.` },
      ...f.sv,
    ],
    en: [
      { p: `Hi ${firstName(d.guideName)}!` },
      { p: intro.en },
      ...sessionList(d.items, 'en'),
      { rule: true },
      {
        p: `Open the file installt.ics in this e-mail. Then ${one ? 'the session goes' : 'the sessions go'} out of your calendar.`,
      },
      ...f.en,
    ],
  });
}

/** The day before. */
export function reminder(d: ToGuide & { item: SessionItem }): Rendered {
  const f = footer(d);
  const s = d.item;
  return compose(
    {
      sv: `Påminnelse: ${shortWhen(s.startsAt, s.timeZone, 'sv')} på ${s.venue}`,
      en: `Reminder: ${shortWhen(s.startsAt, s.timeZone, 'en')} at ${s.venue}`,
    },
    {
      sv: [
        { p: `Hej ${firstName(d.guideName)}!` },
        { p: 'Du har ett pass i morgon.' },
        ...sessionBlocks(s, 'sv'),
        {
          p: s.declineUrl
            ? 'Kan du inte komma? Tryck på ”Jag kan inte” här ovanför. Gör det i dag.'
            : 'Kan du inte komma? Säg till din samordnare i dag.',
        },
        ...f.sv,
      ],
      en: [
        { p: `Hi ${firstName(d.guideName)}!` },
        { p: 'You have a session tomorrow.' },
        ...sessionBlocks(s, 'en'),
        {
          p: s.declineUrl
            ? 'Cannot come? Press “I cannot come” above. Do it today.'
            : 'Cannot come? Tell your coordinator today.',
        },
        ...f.en,
      ],
    },
  );
}

/** A place another guide gave up: the first to say yes gets it. */
export function substituteRequest(d: ToGuide & { item: SessionItem; takeUrl: string }): Rendered {
  const f = footer(d);
  const s = d.item;
  return compose(
    {
      sv: `Kan du ta ${shortWhen(s.startsAt, s.timeZone, 'sv')} på ${s.venue}?`,
      en: `Can you take ${shortWhen(s.startsAt, s.timeZone, 'en')} at ${s.venue}?`,
    },
    {
      sv: [
        { p: `Hej ${firstName(d.guideName)}!` },
        { p: 'En guide kan inte komma. Kan du ta passet? Den som svarar först får det.' },
        ...sessionBlocks(s, 'sv'),
        { links: [{ label: 'Ja, jag tar passet', url: d.takeUrl }] },
        { p: 'Kan du inte? Då behöver du inte svara.' },
        ...f.sv,
      ],
      en: [
        { p: `Hi ${firstName(d.guideName)}!` },
        { p: 'A guide cannot come. Can you take the session? The first to answer gets it.' },
        ...sessionBlocks(s, 'en'),
        { links: [{ label: 'Yes, I will take it', url: d.takeUrl }] },
        { p: 'If you cannot, you do not need to answer.' },
        ...f.en,
      ],
    },
  );
}
