/** Swedish first, English second: every word a user reads, in both. */
import { platformName, topicName } from '../contract/names';
import * as dates from './dates';
import { hoursText, plural } from '../contract/plural';
import { reasonText, type SaidReason } from '../contract/reasons';

export type Lang = 'sv' | 'en';

const KEY = 'bryggan.lang';
/** The browser's storage and page, where there are: the unit tests read these words in Node. */
const browser = globalThis as {
  localStorage?: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  document?: { documentElement: { lang: string } };
};
let current: Lang = browser.localStorage?.getItem(KEY) === 'en' ? 'en' : 'sv';
export const lang = () => current;
export function setLang(l: Lang): void {
  current = l;
  browser.localStorage?.setItem(KEY, l);
  if (browser.document) browser.document.documentElement.lang = l;
}

const WORDS = {
  appName: ['Bryggan', 'Bryggan'],
  skip: ['Hoppa till innehållet', 'Skip to content'],
  otherLang: ['English', 'Svenska'],
  week: ['Vecka', 'Week'],
  term: ['Termin', 'Term'],
  roster: ['Guider och seniorer', 'Guides and seniors'],
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
    'Någon har skrivit fel lösenord många gånger. Vänta {time} och försök igen. Administratören kan låsa upp kontot.',
    'Wrong passwords have been written many times. Wait {time} and try again. The administrator can unlock the account.',
  ],
  second: ['sekund', 'second'],
  seconds: ['sekunder', 'seconds'],
  minute: ['minut', 'minute'],
  minutes: ['minuter', 'minutes'],
  loading: ['Laddar …', 'Loading …'],
  failed: ['Det blev ett fel. Försök igen om en stund.', 'Something went wrong. Try again in a while.'],
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
  waiting: ['på väntelistan', 'on the waiting list'],
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
  uncovered: ['Ingen guide på passet kan {p}.', 'No guide on the session knows {p}.'],
  helpedBy: ['{n} hjälper.', '{n} helps.'],
  seniorHas: ['1 senior har {p}.', '1 senior brings {p}.'],
  seniorsHave: ['{n} seniorer har {p}.', '{n} seniors bring {p}.'],
  why: ['Varför', 'Why'],
  candidatesTitle: ['Vem kan ta passet? Bäst först.', 'Who can take it? Best first.'],
  choose: ['Välj', 'Choose'],
  blocked: ['Kan inte ta passet.', 'Cannot take it.'],
  cannotAnyMore: ['{n} kan inte längre.', '{n} can no longer come.'],
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
  noMatch: ['Vi hittade ingen senior.', 'We found no senior.'],
  addSeat: ['En plats till', 'One more seat'],
  cancelReg: ['Avanmäl', 'Cancel sign-up'],
  afterCafe: ['Efter caféet', 'After the café'],
  queueAtCafe: ['Kön på caféet', 'The queue at the café'],
  termTitle: ['Terminen i överblick', 'The term at a glance'],
  weeks: ['veckor', 'weeks'],
  sessions: ['Caféer', 'Cafés'],
  unreported: ['Inte rapporterade än', 'Not reported yet'],
  cancelledSessions: ['Inställda caféer', 'Cancelled cafés'],
  unreportedList: ['Caféer som är slut men inte rapporterade än', 'Cafés that are over but not reported yet'],
  date: ['Datum', 'Date'],
  time: ['Tid', 'Time'],
  seatsTaken: ['Bokade platser', 'Seats taken'],
  shortSessions: ['Caféer som saknar guider', 'Cafés short of guides'],
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
  maxWeek: ['Du får jobba högst {h} i veckan.', 'You may work at most {h} a week.'],
  peakWeek: ['mest på en vecka: {h} av högst {max} h', 'busiest week: {h} of at most {max} h'],
  myPlanned: ['Planerat', 'Planned'],
  myWorked: ['Jobbat', 'Worked'],
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
  print: ['Skriv ut', 'Print'],
  held: ['Hållna', 'Held'],
  visits: ['Besök', 'Visits'],
  uniqueVisitors: ['Unika besökare', 'Unique visitors'],
  repeatVisitors: ['Återkommande', 'Returning'],
  helpedAgain: ['Fick hjälp av samma guide igen', 'Helped by the same guide again'],
  walkIns: ['Kom utan anmälan', 'Walk-ins'],
  newlyArrived: ['Nyanlända', 'Newly arrived'],
  ageBands: ['Åldrar', 'Age bands'],
  gender: ['Kön', 'Gender'],
  guideHours: ['Guidetimmar', 'Guide hours'],
  perVenue: ['Per lokal', 'Per venue'],
  venue: ['Lokal', 'Venue'],
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
  sureDecline: [
    'Vill du tacka nej till passet? Då frågar vi en annan guide.',
    'Do you want to decline the session? Then we will ask another guide.',
  ],
  yesDecline: ['Jag kan inte komma', 'I cannot come'],
  noKeep: ['Tillbaka', 'Back'],
  youConfirmed: ['Du har sagt att du kommer.', 'You have said you will come.'],
  declinedDone: [
    'Tack för att du sa till. Vi frågar en annan guide.',
    'Thank you for telling us. We will ask another guide.',
  ],
  myHours: ['Mina timmar i {m}', 'My hours in {m}'],
  subscribe: ['Lägg till i min kalender', 'Add to my calendar'],
  subscribeHint: [
    'Tryck på ”Öppna i kalendern” i telefonen. Då kommer dina pass in i kalendern. Den ändras när ett pass ändras.',
    'Press “Open in calendar” on your phone. Then your sessions go into your calendar. It changes when a session changes.',
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
  dropIn: ['Kom utan anmälan', 'Walk-ins'],
  returning: ['Har varit här förut', 'Has been here before'],
  anonymous: ['Utan namn', 'Without a name'],
  count: ['Antal', 'Number'],
  ageBand: ['Ålder', 'Age'],
  unknown: ['Vet inte', 'Not known'],
  addRow: ['Lägg till', 'Add'],
  helpedWith: ['Vad hjälpte ni till med? Skriv hur många gånger.', 'What did you help with? Write how many times.'],
  guidesWorked: ['Guidernas tider', "The guides' times"],
  worked: ['Jobbade', 'Worked'],
  started: ['Började', 'Started'],
  ended: ['Slutade', 'Ended'],
  outsideTime: [
    'Tiden ska vara mellan {a} och {b}. Har guiden jobbat längre? Säg till samordnaren.',
    'The time should be between {a} and {b}. Did the guide work longer? Tell the coordinator.',
  ],
  approveTime: ['Jag godkänner tiden (utanför {a}–{b})', 'I approve the time (outside {a}–{b})'],
  dayReport: ['Dagens rapport (inga namn på seniorer)', "The day's report (no seniors' names)"],
  save: ['Spara', 'Save'],
  saveCorrection: ['Spara rättelse', 'Save correction'],
  saved: ['Sparat. Tack!', 'Saved. Thank you!'],
  staleRevision: [
    'Någon annan sparade rapporten före dig. Dina ändringar sparades inte. Fyll i dem igen.',
    'Someone else saved the report before you. Your changes were not saved. Fill them in again.',
  ],
  back: ['Tillbaka', 'Back'],
  notAllowed: ['Du får inte se den här sidan.', 'You may not see this page.'],
  notFound: ['Sidan finns inte.', 'This page does not exist.'],
  errHardRule: ['Guiden kan inte ta passet.', 'The guide cannot take this session.'],
  sureRemove: [
    'Ta bort {n} från passet? Guiden får ett mejl om passet var publicerat.',
    'Take {n} off the session? The guide gets an e-mail if it was published.',
  ],
  sureCancelReg: ['Avanmäl {n}?', 'Cancel the sign-up of {n}?'],
  gotWaitlisted: ['Passet är fullt. {n} står på väntelistan.', 'The session is full. {n} is on the waiting list.'],
  gotSeat: ['{n} är anmäld.', '{n} is signed up.'],
} as const satisfies Record<string, readonly [string, string]>;

export type Word = keyof typeof WORDS;

/**
 * Every error code the API answers, in words a person can act on: what happened, then what to
 * do. Pages never show the API's English message or a field path; test/unit/error-words.test.ts
 * finds each code thrown in src and fails when one has no words here.
 */
export const ERRORS = {
  // The request itself
  validation_failed: [
    'Kontrollera det du har fyllt i och försök igen.',
    'Check what you have filled in and try again.',
  ],
  invalid_text: [
    'Texten har ett tecken som vi inte kan spara. Skriv texten igen.',
    'The text has a character we cannot save. Type the text again.',
  ],
  invalid_json: [
    'Vi kunde inte läsa det som skickades. Ladda om sidan och försök igen.',
    'We could not read what was sent. Reload the page and try again.',
  ],
  unsupported_media_type: [
    'Vi kunde inte läsa det som skickades. Ladda om sidan och försök igen.',
    'We could not read what was sent. Reload the page and try again.',
  ],
  payload_too_large: [
    'Det du skickade är för stort. Välj en mindre fil.',
    'What you sent is too big. Choose a smaller file.',
  ],
  route_not_found: [
    'Sidan är för gammal. Ladda om sidan och försök igen.',
    'The page is out of date. Reload the page and try again.',
  ],
  internal_error: [
    'Det blev ett fel hos oss. Försök igen om en stund.',
    'Something went wrong on our side. Try again in a while.',
  ],
  storage_unavailable: [
    'Vi kunde inte spara just nu. Försök igen om en stund.',
    'We could not save just now. Try again in a while.',
  ],
  planner_busy: [
    'Vi gör andra scheman just nu. Försök igen om en stund.',
    'We are making other schedules just now. Try again in a while.',
  ],
  planner_failed: [
    'Schemat blev inte klart. Inget ändrades. Försök igen om en stund.',
    'The schedule was not finished. Nothing changed. Try again in a while.',
  ],
  plan_input_changed: [
    'Caféer eller guider ändrades medan vi gjorde schemat. Inget ändrades. Försök igen.',
    'Cafés or guides changed while we made the schedule. Nothing changed. Try again.',
  ],
  not_found: ['Det finns inte längre. Ladda om sidan.', 'It no longer exists. Reload the page.'],
  conflict: [
    'Någon annan ändrade samma sak samtidigt. Försök igen.',
    'Someone else changed the same thing at the same moment. Try again.',
  ],
  version_conflict: [
    'Någon annan ändrade just detta. Sidan visar nu det senaste. Försök igen.',
    'Someone else just changed this. The page now shows the latest. Try again.',
  ],
  unknown_reference: [
    'Något du valde finns inte längre. Ladda om sidan och välj igen.',
    'Something you chose no longer exists. Reload the page and choose again.',
  ],
  // Logging in, accounts and links
  unauthenticated: ['Du är inte inloggad. Logga in igen.', 'You are not logged in. Log in again.'],
  invalid_token: ['Du är utloggad. Logga in igen.', 'You are logged out. Log in again.'],
  forbidden: ['Du får inte göra det här. Fråga administratören.', 'You may not do this. Ask the administrator.'],
  too_many_attempts: [
    'Du har försökt många gånger. Vänta {time} och försök igen.',
    'You have tried many times. Wait {time} and try again.',
  ],
  invalid_credentials: ['Fel e-post eller lösenord.', 'Wrong e-mail or password.'],
  invalid_link: [
    'Länken fungerar inte. Be din samordnare om en ny.',
    'The link does not work. Ask your coordinator for a new one.',
  ],
  link_expired: [
    'Länken gäller inte längre. Be din samordnare om en ny.',
    'The link no longer works. Ask your coordinator for a new one.',
  ],
  link_revoked: [
    'Länken gäller inte längre. Be din samordnare om en ny.',
    'The link no longer works. Ask your coordinator for a new one.',
  ],
  link_replaced: [
    'Länken gick till din gamla e-postadress. Använd länken i det senaste mejlet.',
    'The link went to your old e-mail address. Use the link in the latest e-mail.',
  ],
  link_used: [
    'Länken är redan använd. Logga in, eller be om en ny länk.',
    'The link has been used already. Log in, or ask for a new link.',
  ],
  not_invited: ['Kontot har redan ett lösenord. Logga in.', 'The account already has a password. Log in.'],
  weak_password: [
    'Lösenordet är för lätt att gissa. Välj ett annat, till exempel tre eller fyra ord.',
    'The password is too easy to guess. Choose another, for example three or four words.',
  ],
  wrong_password: ['Det är inte ditt nuvarande lösenord.', 'That is not your current password.'],
  email_taken: ['Det finns redan ett konto med den e-postadressen.', 'There is already an account with this e-mail.'],
  own_account: [
    'Du kan inte stänga av dig själv eller ta bort din egen roll.',
    'You cannot deactivate yourself or take away your own role.',
  ],
  last_admin: ['Det måste finnas minst en aktiv administratör.', 'There must be at least one active administrator.'],
  invalid_user: [
    'En administratör hör till hela Bryggan. Välj ingen kommun eller förening.',
    'An administrator belongs to all of Bryggan. Choose no municipality or association.',
  ],
  // Organisations, venues and cafés
  invalid_contract: [
    'Avtalet slutar innan det börjar. Ändra datumen.',
    'The contract ends before it starts. Change the dates.',
  ],
  association_required: [
    'Flera föreningar har avtal då. Välj vilken förening som har caféet.',
    'Several associations have a contract then. Choose the association that runs the café.',
  ],
  association_not_contracted: [
    'Föreningen har inget avtal med kommunen då. Välj en annan förening.',
    'The association has no contract with the municipality then. Choose another association.',
  ],
  same_venue: ['Välj två olika lokaler.', 'Choose two different venues.'],
  venue_in_use: [
    'Lokalen har caféer kvar. Avsluta dem först på sidan Caféer.',
    'The venue still has cafés. End them first on the Cafés page.',
  ],
  venue_closed: [
    'Lokalen är stängd den dagen. Välj en annan dag eller lokal.',
    'The venue is closed that day. Choose another day or venue.',
  ],
  more_seats_than_venue: [
    'Lokalen har inte så många platser. Välj färre platser.',
    'The venue does not have that many seats. Choose fewer seats.',
  ],
  invalid_series: [
    'Vi kan inte spara caféet så. Kontrollera dag, tid och datum.',
    'We cannot save the café like that. Check the day, time and dates.',
  ],
  series_archived: ['Caféet är avslutat. Det kan inte ändras.', 'The café has ended. It cannot change.'],
  time_does_not_exist: [
    'Den tiden finns inte den dagen: då ställs klockan fram en timme. Välj en annan tid.',
    'That time does not exist that day: the clocks go forward an hour. Choose another time.',
  ],
  in_the_past: ['Den tiden har redan varit. Välj en senare tid.', 'That time has already passed. Choose a later time.'],
  invalid_session: [
    'Högst antal guider kan inte vara färre än minst antal guider.',
    'The most guides cannot be fewer than the fewest guides.',
  ],
  seats_taken: [
    'Fler seniorer är redan anmälda. Avanmäl någon först.',
    'More seniors are signed up already. Cancel a sign-up first.',
  ],
  guides_over_max: [
    'Caféet har redan fler guider än så. Ta bort en guide först.',
    'The café already has more guides than that. Take a guide off first.',
  ],
  session_over: ['Caféet är redan slut.', 'The café is over.'],
  session_cancelled: ['Caféet är inställt.', 'The café is cancelled.'],
  session_reported: [
    'Caféet är redan rapporterat. Det kan inte ändras.',
    'The café is already reported. It cannot change.',
  ],
  // Planning and guides
  breaks_hard_rule: ['Guiden kan inte ta passet.', 'The guide cannot take this session.'],
  already_assigned: ['Guiden har redan det här passet.', 'The guide already has this session.'],
  already_published: ['Veckan är redan publicerad, av någon annan.', 'Someone else has already published the week.'],
  plan_superseded: [
    'Veckan har planerats om sedan dess. Granska den nya planen.',
    'The week has been planned again since. Review the new plan.',
  ],
  plan_period_mismatch: [
    'Planen gäller en annan period. Planera perioden igen.',
    'The plan covers another period. Plan the period again.',
  ],
  invalid_absence: ['Välj högst 120 dagar i taget.', 'Choose at most 120 days at a time.'],
  invalid_period: ['Slutdatumet kan inte vara före startdatumet.', 'The end date cannot be before the start date.'],
  // Seniors and sign-ups
  already_registered: ['Seniorn är redan anmäld.', 'The senior is already signed up.'],
  already_regular: [
    'Seniorn är redan anmäld varje gång till det här caféet.',
    'The senior is already signed up every time for this café.',
  ],
  invalid_regular: ['Slutdatumet kan inte vara före startdatumet.', 'The end date cannot be before the start date.'],
  senior_erased: ['Seniorns uppgifter är raderade.', "The senior's data is erased."],
  consent_in_future: [
    'Datumet för samtycket kan inte vara senare än i dag.',
    'The date of the consent cannot be later than today.',
  ],
  // The queue at the café
  already_checked_in: ['Seniorn är redan i kön.', 'The senior is already in the queue.'],
  already_taken: ['En annan guide hjälper redan seniorn.', 'Another guide is already helping this senior.'],
  queue_step: [
    'Någon annan ändrade kön nyss. Se kön som den är nu.',
    'Someone else changed the queue just now. See the queue as it is now.',
  ],
  not_yourself: ['Du kan bara ta en senior själv.', 'You can only take a senior yourself.'],
  paired_with_other_guide: [
    'Seniorn har en annan guide. Den guiden kan hjälpa nu.',
    'This senior has another guide. That guide can help now.',
  ],
  // Reports after the café
  session_not_started: [
    'Caféet har inte börjat än. Rapportera efteråt.',
    'The café has not started yet. Report afterwards.',
  ],
  already_reported: [
    'Caféet är redan rapporterat. Sidan visar rapporten nu.',
    'The café is already reported. The page shows the report now.',
  ],
  not_reported: [
    'Caféet är inte rapporterat än. Fyll i rapporten först.',
    'The café is not reported yet. Fill in the report first.',
  ],
  stale_revision: [
    'Någon annan sparade rapporten före dig. Dina ändringar sparades inte. Fyll i dem igen.',
    'Someone else saved the report before you. Your changes were not saved. Fill them in again.',
  ],
  invalid_attendance: [
    'Rapporten stämmer inte med caféet. Ladda om sidan och fyll i den igen.',
    'The report does not match the café. Reload the page and fill it in again.',
  ],
  worked_time_outside: [
    'En tid är utanför caféets tid. Ändra tiden, eller be samordnaren godkänna den.',
    "A time is outside the café's time. Change it, or ask the coordinator to approve it.",
  ],
  period_outside_contract: [
    'Avtalet gäller inte den perioden. Välj en period inom avtalets datum.',
    'The contract does not cover that period. Choose a period within its dates.',
  ],
  // Imports and e-mail
  import_has_problems: [
    'Filen har fel. Rätta dem i filen och välj filen igen.',
    'The file has problems. Fix them in the file and choose it again.',
  ],
  too_many_rows: ['Filen har för många rader. Högst 5 000 rader.', 'The file has too many rows. At most 5,000 rows.'],
  unreadable_file: [
    'Filen går inte att läsa som en tabell. Spara den som Excel-fil eller CSV och försök igen.',
    'The file cannot be read as a table. Save it as an Excel file or CSV and try again.',
  ],
  message_sending: ['Mejlet skickas just nu. Vänta en stund.', 'The e-mail is being sent right now. Wait a moment.'],
  message_superseded: [
    'Ett nyare mejl om samma pass har redan gått i väg. Du behöver inte skicka det här.',
    'A newer e-mail about the same sessions has gone already. You need not send this one.',
  ],
} as const satisfies Record<string, readonly [string, string]>;

export type ErrorCode = keyof typeof ERRORS;
const isErrorCode = (code: string): code is ErrorCode => Object.prototype.hasOwnProperty.call(ERRORS, code);
/** An error code's words in the chosen language, with `{x}` filled in; undefined for a code we do not know. */
export function errorWords(code: string, fill: Record<string, string | number> = {}): string | undefined {
  if (!isErrorCode(code)) return undefined;
  return ERRORS[code][current === 'sv' ? 0 : 1].replace(/\{(\w+)\}/g, (_m, k: string) => String(fill[k] ?? ''));
}

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
export { plural };

/** A wait a 429 asked for, as a person says it: "30 sekunder", "1 minut", "15 minuter" (rounded up). */
export function waitTime(seconds: number | undefined): string {
  const s = Math.max(1, Math.ceil(seconds ?? 60));
  if (s < 60) return `${s} ${plural(s, t('second'), t('seconds'))}`;
  const m = Math.ceil(s / 60);
  return `${m} ${plural(m, t('minute'), t('minutes'))}`;
}

export const platform = (p: string) => platformName(p);
/** One of the matching engine's sentences (a reason, a blocker), in the reader's language. */
/** One of the engine's reasons, in the reader's language. */
export const explainText = (r: SaidReason) => reasonText(r, current);
/** Several of the engine's reasons, as sentences one after another. */
export const explainAll = (rs: readonly SaidReason[]) => rs.map(explainText).join(' ');
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
/** "1,5 timmar", "1 timme": hours in running text, as a guide reads them (tables keep "h"). */
export const hoursLong = (minutes: number) => hoursText(minutes / 60, current);
