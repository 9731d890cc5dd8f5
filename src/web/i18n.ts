/** Swedish first, English second: every word a user reads, in both. */
import { platformName, topicName } from '../contract/names';
import * as dates from './dates';
import { explainIn } from '../contract/explain';

export type Lang = 'sv' | 'en';

const KEY = 'bryggan.lang';
let current: Lang = typeof localStorage !== 'undefined' && localStorage.getItem(KEY) === 'en' ? 'en' : 'sv';
export const lang = () => current;
export function setLang(l: Lang): void {
  current = l;
  localStorage.setItem(KEY, l);
  document.documentElement.lang = l;
}

const WORDS = {
  appName: ['Bryggan', 'Bryggan'],
  skip: ['Hoppa till innehållet', 'Skip to content'],
  otherLang: ['English', 'Svenska'],
  week: ['Vecka', 'Week'],
  term: ['Termin', 'Term'],
  roster: ['Personal', 'Roster'],
  reports: ['Rapporter', 'Reports'],
  outbox: ['Mejl', 'E-mail'],
  cafes: ['Caféer', 'Cafés'],
  venues: ['Lokaler', 'Venues'],
  setup: ['Kom igång', 'Get started'],
  organisations: ['Kommuner och föreningar', 'Municipalities and associations'],
  users: ['Användare', 'Users'],
  account: ['Mitt konto', 'My account'],
  forgot: ['Glömt lösenordet?', 'Forgot your password?'],
  emptyTitle: ['Inget att visa än', 'Nothing to show yet'],
  emptyAdmin: [
    'Det finns ingen kommun än. Börja med Kom igång: kommunen, föreningen, avtalet och de som ska logga in.',
    'There is no municipality yet. Start with Get started: the municipality, the association, the contract and the people who log in.',
  ],
  emptyStaff: [
    'Din förening har inget avtal med en kommun än. Administratören lägger in avtalet. Sedan ser du kommunens caféer här.',
    "Your association has no contract with a municipality yet. The administrator adds the contract. Then you see the municipality's cafés here.",
  ],
  emptyOther: [
    'Ditt konto hör inte till någon kommun än. Be administratören om hjälp.',
    'Your account does not belong to a municipality yet. Ask the administrator for help.',
  ],
  logout: ['Logga ut', 'Log out'],
  login: ['Logga in', 'Log in'],
  loginTitle: ['Logga in i Bryggan', 'Log in to Bryggan'],
  email: ['E-post', 'E-mail'],
  password: ['Lösenord', 'Password'],
  badLogin: ['Fel e-post eller lösenord.', 'Wrong e-mail or password.'],
  tooMany: ['För många försök. Vänta en stund och försök igen.', 'Too many attempts. Wait a while and try again.'],
  loginWait: [
    'Det har skrivits fel lösenord många gånger. Vänta {time} och försök igen. Administratören kan låsa upp kontot.',
    'Wrong passwords have been written many times. Wait {time} and try again. The administrator can unlock the account.',
  ],
  second: ['sekund', 'second'],
  seconds: ['sekunder', 'seconds'],
  minute: ['minut', 'minute'],
  minutes: ['minuter', 'minutes'],
  loading: ['Laddar …', 'Loading …'],
  failed: ['Något gick fel.', 'Something went wrong.'],
  retry: ['Försök igen', 'Try again'],
  municipality: ['Kommun', 'Municipality'],
  prevWeek: ['Förra veckan', 'Previous week'],
  nextWeek: ['Nästa vecka', 'Next week'],
  thisWeek: ['Den här veckan', 'This week'],
  prevShort: ['Förra', 'Previous'],
  nextShort: ['Nästa', 'Next'],
  thisShort: ['Nu', 'Now'],
  planWeek: ['Planera veckan', 'Plan the week'],
  planning: ['Planerar …', 'Planning …'],
  publish: ['Publicera', 'Publish'],
  publishHint: ['Guiderna får ett mejl med sina pass.', 'The guides get an e-mail with their sessions.'],
  published: ['Publicerat: {n} pass. Guiderna får mejl.', 'Published: {n} sessions. The guides get e-mail.'],
  publishHintNoMail: [
    'E-posten är inte inställd än. Mejlen till guiderna väntar tills den är det.',
    'E-mail is not set up yet. The e-mails to the guides wait until it is.',
  ],
  publishedNoMail: [
    'Publicerat: {n} pass. Mejlen till guiderna väntar tills e-posten är inställd.',
    'Published: {n} sessions. The e-mails to the guides wait until e-mail is set up.',
  ],
  nothingToPublish: ['Inget nytt att publicera.', 'Nothing new to publish.'],
  mailTo: ['Mejlen går till {names}.', 'The e-mails go to {names}.'],
  seeMails: ['Se mejlen', 'See the e-mails'],
  mailsToGuide: ['Se mejl till guiden', 'See e-mail to the guide'],
  mailsAboutCafe: ['Se mejl om caféet', 'See e-mail about the café'],
  planned: ['Planen är klar. Granska och publicera.', 'The plan is ready. Review and publish.'],
  plannedStoppedEarly: [
    'Planen är klar. Tiden tog slut innan vi var färdiga. Planera veckan igen, så kan planen bli bättre. Granska och publicera sedan.',
    'The plan is ready. Time ran out before we were done. Plan the week again, and the plan may get better. Then review and publish.',
  ],
  noSessions: ['Inga caféer den här veckan.', 'No cafés this week.'],
  startWithVenue: [
    'Det finns inga lokaler än. Börja med att lägga till en lokal. Sedan lägger du till caféer.',
    'There are no venues yet. Start by adding a venue. Then add cafés.',
  ],
  startWithCafe: [
    'Det finns inga caféer än. Lägg till ett café som återkommer varje vecka eller varannan vecka.',
    'There are no cafés yet. Add a café that comes back every week or every other week.',
  ],
  seats: ['platser', 'seats'],
  seatsOf: ['av', 'of'],
  waiting: ['väntar', 'waiting'],
  cancelled: ['Inställt', 'Cancelled'],
  guides: ['Guider', 'Guides'],
  noGuides: ['Inga guider än', 'No guides yet'],
  draft: ['Utkast', 'Draft'],
  confirmedAns: ['Har bekräftat', 'Confirmed'],
  pendingAns: ['Inte svarat', 'Not answered'],
  noGuideKnows: ['Ingen guide på caféet kan {platform}.', 'No guide at the café knows {platform}.'],
  couldCome: ['De här kan komma: {names}.', 'These could come: {names}.'],
  nobodyCould: ['Ingen guide som kan det har tid då.', 'No guide who knows it has time then.'],
  pinned: ['Låst', 'Pinned'],
  pin: ['Lås', 'Pin'],
  pinHint: [
    'En låst guide ligger kvar när veckan planeras om.',
    'A pinned guide stays when the week is planned again.',
  ],
  swap: ['Byt', 'Swap'],
  remove: ['Ta bort', 'Remove'],
  addGuide: ['Lägg till guide', 'Add a guide'],
  short: ['Saknar guide', 'Short of guides'],
  shortBy1: ['Saknar 1 guide', 'Needs 1 more guide'],
  shortBy: ['Saknar {n} guider', 'Needs {n} more guides'],
  uncovered: ['Ingen guide kan {p}', 'No guide knows {p}'],
  why: ['Varför', 'Why'],
  candidatesTitle: ['Vem kan ta passet? Bäst först.', 'Who can take it? Best first.'],
  choose: ['Välj', 'Choose'],
  blocked: ['Kan inte', 'Cannot'],
  close: ['Stäng', 'Close'],
  platforms: ['Plattformar', 'Platforms'],
  languages: ['Språk', 'Languages'],
  topics: ['Ämnen', 'Topics'],
  seniors: ['Seniorer', 'Seniors'],
  register: ['Anmäl senior', 'Sign up a senior'],
  searchSenior: ['Sök på namn eller telefon', 'Search by name or phone'],
  signUp: ['Anmäl', 'Sign up'],
  signedUp: ['Anmäld', 'Signed up'],
  waitlisted: ['På väntelistan', 'On the waiting list'],
  noMatch: ['Ingen träff.', 'No match.'],
  addSeat: ['En plats till', 'One more seat'],
  cancelReg: ['Avanmäl', 'Cancel sign-up'],
  afterCafe: ['Efter caféet', 'After the café'],
  termTitle: ['Terminen i överblick', 'The term at a glance'],
  weeks: ['veckor', 'weeks'],
  sessions: ['Pass', 'Sessions'],
  unreported: ['Inte rapporterade än', 'Not reported yet'],
  cancelledSessions: ['Inställda pass', 'Cancelled sessions'],
  unreportedList: ['Pass som är slut men inte rapporterade än', 'Sessions that are over but not reported yet'],
  date: ['Datum', 'Date'],
  time: ['Tid', 'Time'],
  seatsTaken: ['Platser tagna', 'Seats taken'],
  shortSessions: ['Pass som saknar guide', 'Sessions short of guides'],
  unconfirmed: ['Guider som inte svarat', 'Guides not answered'],
  drafts: ['Utkast', 'Drafts'],
  planPeriod: ['Planera perioden', 'Plan the period'],
  from: ['Från', 'From'],
  to: ['Till', 'To'],
  name: ['Namn', 'Name'],
  phone: ['Telefon', 'Phone'],
  devices: ['Enheter', 'Devices'],
  availability: ['Kan jobba', 'Available'],
  hoursMonth: ['Timmar i {m}', 'Hours in {m}'],
  plannedH: ['planerat', 'planned'],
  workedH: ['arbetat', 'worked'],
  maxWeek: ['max {h} h/vecka', 'max {h} h/week'],
  peakWeek: ['mest en vecka: {h} av max {max} h', 'busiest week: {h} of max {max} h'],
  guideLink: ['Länk till guidens sida', "Link to the guide's page"],
  linkMade: [
    'Skicka länken till guiden. Den gäller i {d} dagar.',
    'Send the link to the guide. It is valid for {d} days.',
  ],
  copy: ['Kopiera', 'Copy'],
  copied: ['Kopierad', 'Copied'],
  contract: ['Avtal', 'Contract'],
  period: ['Period', 'Period'],
  periodHint: [
    'Månad (2026-11), kvartal (2026-Q4) eller år (2026)',
    'Month (2026-11), quarter (2026-Q4) or year (2026)',
  ],
  show: ['Visa', 'Show'],
  csv: ['Ladda ned CSV (Excel)', 'Download CSV (Excel)'],
  print: ['Utskrift', 'Print view'],
  held: ['Hållna', 'Held'],
  visits: ['Besök', 'Visits'],
  uniqueVisitors: ['Unika besökare', 'Unique visitors'],
  repeatVisitors: ['Återkommande', 'Returning'],
  walkIns: ['Drop-in', 'Walk-ins'],
  newlyArrived: ['Nyanlända', 'Newly arrived'],
  ageBands: ['Åldrar', 'Age bands'],
  gender: ['Kön', 'Gender'],
  guideHours: ['Guidetimmar', 'Guide hours'],
  perVenue: ['Per plats', 'Per venue'],
  venue: ['Plats', 'Venue'],
  small: [
    '<3 betyder 1 eller 2 personer. x döljer en siffra som annars kan räknas ut.',
    '<3 means 1 or 2 people. x hides a figure that could otherwise be worked out.',
  ],
  shifts: ['Pass', 'Shifts'],
  hours: ['Timmar', 'Hours'],
  noShows: ['Uteblev', 'No-shows'],
  noContracts: ['Inga avtal att visa.', 'No contracts to show.'],
  // The guide's own page
  hello: ['Hej {n}!', 'Hi {n}!'],
  myNext: ['Mina nästa pass', 'My next sessions'],
  noNext: ['Du har inga pass just nu.', 'You have no sessions right now.'],
  iCome: ['Jag kommer', 'I will come'],
  iCannot: ['Jag kan inte', 'I cannot come'],
  openPlaceAsked: [
    '{g} kan inte. Vi har frågat {a}. Den som svarar först får passet.',
    '{g} cannot come. We have asked {a}. The first to answer gets the session.',
  ],
  openPlaceNone: [
    '{g} kan inte. Ingen annan guide kan då. Lägg till en guide.',
    '{g} cannot come. No other guide can then. Add a guide.',
  ],
  and: ['och', 'and'],
  sureDecline: ['Säker? Då frågar vi någon annan.', 'Sure? Then we will ask someone else.'],
  yesDecline: ['Ja, jag kan inte komma', 'Yes, I cannot come'],
  noKeep: ['Nej, jag kommer', 'No, I will come'],
  youConfirmed: ['Du har sagt att du kommer.', 'You have said you will come.'],
  declinedDone: [
    'Tack för att du sa till. Vi frågar någon annan.',
    'Thank you for telling us. We will ask someone else.',
  ],
  myHours: ['Mina timmar i {m}', 'My hours in {m}'],
  subscribe: ['Lägg till i min kalender', 'Add to my calendar'],
  subscribeHint: [
    'Tryck på länken i telefonen. Dina pass kommer in i kalendern och uppdateras själva.',
    'Open the link on your phone. Your sessions appear in your calendar and stay up to date.',
  ],
  openCalendar: ['Öppna i kalendern', 'Open in calendar'],
  calendarUrl: ['Eller kopiera adressen', 'Or copy the address'],
  toReport: ['Rapportera efter caféet', 'Report after the café'],
  reported: ['Rapporterat', 'Reported'],
  linkBroken: [
    'Länken fungerar inte. Be din samordnare om en ny.',
    'The link does not work. Ask your coordinator for a new one.',
  ],
  // The after-café form
  whoCame: ['Vilka kom?', 'Who came?'],
  noneSeated: ['Ingen var anmäld.', 'Nobody was signed up.'],
  dropIn: ['Drop-in', 'Walk-ins'],
  returning: ['Har varit här förut', 'Has been here before'],
  anonymous: ['Utan namn', 'Without a name'],
  count: ['Antal', 'Number'],
  ageBand: ['Ålder', 'Age'],
  unknown: ['Vet inte', 'Not known'],
  addRow: ['Lägg till', 'Add'],
  helpedWith: ['Vad hjälpte ni till med? (antal)', 'What did you help with? (number)'],
  guidesWorked: ['Guidernas tider', "The guides' times"],
  worked: ['Jobbade', 'Worked'],
  started: ['Började', 'Started'],
  ended: ['Slutade', 'Ended'],
  outsideTime: [
    'Tiden ska vara mellan {a} och {b}. Har guiden jobbat längre? Säg till samordnaren.',
    'The time should be between {a} and {b}. Did the guide work longer? Tell the coordinator.',
  ],
  approveTime: ['Jag godkänner tiden (utanför {a}–{b})', 'I approve the time (outside {a}–{b})'],
  errWorkedOutside: [
    'En tid är utanför caféets tid. Ändra tiden, eller be samordnaren godkänna den.',
    "A time is outside the café's time. Change it, or ask the coordinator to approve it.",
  ],
  dayReport: ['Dagens rapport (inga namn på seniorer)', "The day's report (no seniors' names)"],
  save: ['Spara', 'Save'],
  saveCorrection: ['Spara rättelse', 'Save correction'],
  saved: ['Sparat. Tack!', 'Saved. Thank you!'],
  staleRevision: [
    'Någon annan har just ändrat rapporten. Sidan visar nu den nya versionen.',
    'Someone else has just changed the report. The page now shows the new version.',
  ],
  back: ['Tillbaka', 'Back'],
  notAllowed: ['Du har inte behörighet till den här sidan.', 'You may not see this page.'],
  notFound: ['Sidan finns inte.', 'This page does not exist.'],
  errHardRule: ['Guiden kan inte ta passet', 'The guide cannot take this session'],
  errAlreadyAssigned: ['Guiden har redan det här passet.', 'The guide already has this session.'],
  errSessionOver: ['Passet är redan slut.', 'The session is over.'],
  errSessionCancelled: ['Passet är inställt.', 'The session is cancelled.'],
  errNotStarted: ['Caféet har inte börjat än. Rapportera efteråt.', 'The café has not started yet. Report afterwards.'],
  errVersion: [
    'Någon annan ändrade just detta. Sidan visar nu det senaste. Försök igen.',
    'Someone else just changed this. The page now shows the latest. Try again.',
  ],
  errAlreadyPublished: ['Veckan är redan publicerad, av någon annan.', 'Someone else has already published the week.'],
  errSuperseded: [
    'Veckan har planerats om sedan dess. Granska den nya planen.',
    'The week has been planned again since. Review the new plan.',
  ],
  errAlreadyRegistered: ['Seniorn är redan anmäld.', 'The senior is already signed up.'],
  errOutsideContract: [
    'Avtalet gäller inte den perioden. Välj en period inom avtalets datum.',
    'The contract does not cover that period. Choose a period within its dates.',
  ],
  errAlreadyReported: [
    'Caféet är redan rapporterat. Sidan visar rapporten nu.',
    'The café is already reported. The page shows the report now.',
  ],
  sureRemove: [
    'Ta bort {n} från passet? Guiden får ett mejl om passet var publicerat.',
    'Take {n} off the session? The guide gets an e-mail if it was published.',
  ],
  sureCancelReg: ['Avanmäl {n}?', 'Cancel the sign-up of {n}?'],
  gotWaitlisted: ['Passet är fullt. {n} står på väntelistan.', 'The session is full. {n} is on the waiting list.'],
  gotSeat: ['{n} är anmäld.', '{n} is signed up.'],
} as const satisfies Record<string, readonly [string, string]>;

export type Word = keyof typeof WORDS;

/** The word in the chosen language, with `{x}` filled in. */
export function t(word: Word, fill: Record<string, string | number> = {}): string {
  const text: string = WORDS[word][current === 'sv' ? 0 : 1];
  return text.replace(/\{(\w+)\}/g, (_m, k: string) => String(fill[k] ?? ''));
}

/**
 * A page's own words, beside the page: `w('key', { n: 3 })` reads them as `t` reads the shared
 * ones, in the chosen language.
 */
export function defineWords<K extends string>(words: Record<K, readonly [string, string]>) {
  return (word: K, fill: Record<string, string | number> = {}): string =>
    words[word][current === 'sv' ? 0 : 1].replace(/\{(\w+)\}/g, (_m, k: string) => String(fill[k] ?? ''));
}

/** "Amina, Yonas och Sara". */
export const listed = (items: string[]) =>
  items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${t('and')} ${items.at(-1)}`;
/** "1 guide" or "3 guider": the word for one, or for many, never "guide(r)". */
export const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** A wait a 429 asked for, as a person says it: "30 sekunder", "1 minut", "15 minuter" (rounded up). */
export function waitTime(seconds: number | undefined): string {
  const s = Math.max(1, Math.ceil(seconds ?? 60));
  if (s < 60) return `${s} ${plural(s, t('second'), t('seconds'))}`;
  const m = Math.ceil(s / 60);
  return `${m} ${plural(m, t('minute'), t('minutes'))}`;
}

export const platform = (p: string) => platformName(p);
/** One of the matching engine's sentences (a reason, a blocker), in the reader's language. */
export const explainText = (text: string) => explainIn(text, current);
/** "arabiska" / "Arabic" for a language code. */
export const language = (code: string) => {
  try {
    return new Intl.DisplayNames([locale()], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
};
export const topic = (k: string) => topicName(k, current);

const AGE: Record<string, [string, string]> = {
  unknown: ['okänd', 'not known'],
  under_65: ['under 65', 'under 65'],
  '65_74': ['65–74', '65–74'],
  '75_plus': ['75 eller äldre', '75 or older'],
};
const GENDER: Record<string, [string, string]> = {
  unknown: ['okänt', 'not known'],
  woman: ['kvinna', 'woman'],
  man: ['man', 'man'],
  other: ['annat', 'other'],
};
export const ageBand = (k: string) => AGE[k]?.[current === 'sv' ? 0 : 1] ?? k;
export const gender = (k: string) => GENDER[k]?.[current === 'sv' ? 0 : 1] ?? k;

const locale = () => (current === 'sv' ? 'sv-SE' : 'en-GB');
/** "Tisdag 1 december" for a local date. */
export const day = (date: string) => dates.longDay(locale(), date);
/** "torsdag" for a weekday of the API (mon … sun). */
export const weekdayName = (d: string) =>
  new Intl.DateTimeFormat(locale(), { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2024, 0, 1 + dates.WEEKDAYS.indexOf(d as (typeof dates.WEEKDAYS)[number]))),
  );
/** "15:00" for an instant, on the municipality's clock. */
export const clock = (iso: string) =>
  new Intl.DateTimeFormat('sv-SE', { hour: '2-digit', minute: '2-digit', timeZone: dates.ZONE }).format(new Date(iso));
/** "tisdag 1 december" inside a sentence (Swedish writes weekdays small). */
export const dayInText = (date: string) => {
  const d = day(date);
  return current === 'sv' ? d.charAt(0).toLowerCase() + d.slice(1) : d;
};
/** "tis 1/12". */
export const shortDay = (date: string) => dates.shortDay(locale(), date);
/** "november 2026". */
export const monthName = (month: string) => dates.monthName(locale(), month);
export const hours = (minutes: number) => `${(Math.round(minutes / 6) / 10).toLocaleString(locale())} h`;
