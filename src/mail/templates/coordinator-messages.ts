import { dayName, type Lang, plural, when } from '../words';
import { reasonsText } from '../../contract/reasons';
import type { Reason } from '../../domain/matching/reasons';
import { type Block, compose, type Rendered } from './layout';

interface Slot {
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  venue: string;
}

const slot = (s: Slot, lang: Lang) => `${when(s.startsAt, s.endsAt, s.timeZone, lang)}, ${s.venue}`;

/** Sent at once when a guide declines, so the coordinator can act before the digest. */
export function declineNotice(d: { guideName: string; slot: Slot; asked: string[]; municipality: string }): Rendered {
  const asked = (lang: Lang): Block =>
    d.asked.length
      ? {
          p:
            lang === 'sv'
              ? `Vi har frågat: ${d.asked.join(', ')}. Den som svarar först får passet.`
              : `We have asked: ${d.asked.join(', ')}. The first to answer gets it.`,
        }
      : {
          p:
            lang === 'sv'
              ? 'Ingen annan guide kan jobba då. Du behöver hitta en guide.'
              : 'No other guide can work then. You need to find a guide.',
        };
  return compose(
    { sv: `${d.guideName} kan inte komma`, en: `${d.guideName} cannot come` },
    {
      sv: [
        { p: `${d.guideName} har tackat nej till ett pass i ${d.municipality}.` },
        { strong: slot(d.slot, 'sv') },
        asked('sv'),
        { p: 'Hälsningar, Bryggan' },
      ],
      en: [
        { p: `${d.guideName} has declined a session in ${d.municipality}.` },
        { strong: slot(d.slot, 'en') },
        asked('en'),
        { p: 'Best wishes, Bryggan' },
      ],
    },
  );
}

export interface DigestData {
  municipality: string;
  declines: (Slot & { guideName: string; filledBy: string | null })[];
  unfilled: (Slot & { guides: number; minGuides: number })[];
  /** Guides a later change keeps from a café they are on, with the engine's reasons. */
  conflicts: (Slot & { guideName: string; reasons: Reason[] })[];
  failedMails: { to: string; subject: string; error: string }[];
  outboxUrl: string;
}

/** Each morning: what needs a coordinator's hand. Sent only when there is something. */
export function coordinatorDigest(d: DigestData): Rendered {
  const body = (lang: Lang): Block[] => {
    const sv = lang === 'sv';
    const blocks: Block[] = [
      {
        p: sv ? `Det här behöver du titta på i ${d.municipality}.` : `This needs your attention in ${d.municipality}.`,
      },
    ];
    if (d.declines.length) {
      blocks.push({
        strong: sv ? `Nej-svar sedan i går (${d.declines.length})` : `Declines since yesterday (${d.declines.length})`,
      });
      blocks.push({
        lines: d.declines.map(
          (x) =>
            `${slot(x, lang)}: ${x.guideName} ${sv ? 'kan inte' : 'cannot come'}. ${x.filledBy ? (sv ? `${x.filledBy} tar passet.` : `${x.filledBy} takes it.`) : sv ? 'Ingen ersättare än.' : 'No substitute yet.'}`,
        ),
      });
    }
    if (d.unfilled.length) {
      blocks.push({
        strong: sv ? `Caféer med för få guider (${d.unfilled.length})` : `Cafés short of guides (${d.unfilled.length})`,
      });
      blocks.push({
        lines: d.unfilled.map(
          (x) =>
            `${slot(x, lang)}: ${x.guides} ${sv ? 'av minst' : 'of at least'} ${x.minGuides} ${sv ? plural(x.minGuides, 'guide', 'guider') : plural(x.minGuides, 'guide', 'guides')}`,
        ),
      });
    }
    if (d.conflicts.length) {
      blocks.push({
        strong: sv
          ? `Guider som inte längre kan komma (${d.conflicts.length})`
          : `Guides who can no longer come (${d.conflicts.length})`,
      });
      blocks.push({
        lines: d.conflicts.map((x) => `${slot(x, lang)}: ${x.guideName}: ${reasonsText(x.reasons, lang)}`),
      });
    }
    if (d.failedMails.length) {
      blocks.push({
        strong: sv
          ? `Mejl som inte gick fram (${d.failedMails.length})`
          : `E-mails that did not arrive (${d.failedMails.length})`,
      });
      // The server's own words (an SMTP code) are English: the Swedish part says what to do instead.
      blocks.push({
        lines: d.failedMails.map((x) =>
          sv
            ? `${x.to}: ${x.subject}. Mejlet kom inte fram. Kontrollera e-postadressen.`
            : `${x.to}: ${x.subject}. The e-mail did not arrive (${x.error}). Check the e-mail address.`,
        ),
      });
      blocks.push({ links: [{ label: sv ? 'Se och skicka igen' : 'See and resend', url: d.outboxUrl }] });
    }
    blocks.push({ p: sv ? 'Hälsningar, Bryggan' : 'Best wishes, Bryggan' });
    return blocks;
  };
  const n = d.declines.length + d.unfilled.length + d.conflicts.length + d.failedMails.length;
  return compose(
    {
      sv: `Bryggan i dag: ${n} ${plural(n, 'sak', 'saker')} att se över`,
      en: `Bryggan today: ${n} ${plural(n, 'thing', 'things')} to check`,
    },
    { sv: body('sv'), en: body('en') },
  );
}

/**
 * To an association, the day after a café it has not reported, and a week after if it still has
 * not: every café of its contract still to report, each with a link to the after-café form.
 */
export function reportReminder(d: {
  association: string;
  municipality: string;
  cafes: (Slot & { formUrl: string })[];
}): Rendered {
  const n = d.cafes.length;
  const body = (lang: Lang): Block[] => {
    const sv = lang === 'sv';
    return [
      {
        p: sv
          ? `${n === 1 ? 'Ett café' : `${n} caféer`} i ${d.municipality} har ingen rapport än. Kommunen får bara siffror för de caféer som är rapporterade.`
          : `${n === 1 ? 'One café' : `${n} cafés`} in ${d.municipality} ${n === 1 ? 'has' : 'have'} no report yet. The municipality only gets figures for cafés that are reported.`,
      },
      { p: sv ? 'Fyll i vilka som kom och guidernas tider:' : 'Fill in who came and the guides’ times:' },
      { links: d.cafes.map((c) => ({ label: slot(c, lang), url: c.formUrl })) },
      {
        p: sv
          ? 'Var caféet stängt den dagen? Säg det till samordnaren.'
          : 'Was the café closed that day? Tell the coordinator.',
      },
      { p: sv ? 'Hälsningar, Bryggan' : 'Best wishes, Bryggan' },
    ];
  };
  return compose(
    {
      sv: n === 1 ? 'Ett café att rapportera' : `${n} caféer att rapportera`,
      en: n === 1 ? 'One café to report' : `${n} cafés to report`,
    },
    { sv: body('sv'), en: body('en') },
  );
}

/** "tisdag 1 december" for a local date, in the reader's language. */
const localDay = (date: string, lang: Lang) => dayName(new Date(`${date}T12:00:00Z`), 'UTC', lang).toLowerCase();
const span = (from: string, to: string, lang: Lang) =>
  from === to ? localDay(from, lang) : `${localDay(from, lang)} – ${localDay(to, lang)}`;

/** A guide said on their page that they cannot work some days. */
export function guideAway(d: {
  guide: string;
  from: string;
  to: string;
  reason?: string | null;
  affected: number;
}): Rendered {
  const sv =
    d.affected === 0
      ? 'Guiden hade inga pass då.'
      : d.affected === 1
        ? 'Guiden hade 1 pass då. Vi frågar andra guider.'
        : `Guiden hade ${d.affected} pass då. Vi frågar andra guider.`;
  const en =
    d.affected === 0
      ? 'The guide had no sessions then.'
      : d.affected === 1
        ? 'The guide had 1 session then. We are asking other guides.'
        : `The guide had ${d.affected} sessions then. We are asking other guides.`;
  return compose(
    { sv: `${d.guide} kan inte jobba`, en: `${d.guide} cannot work` },
    {
      sv: [
        { p: `${d.guide} kan inte jobba ${span(d.from, d.to, 'sv')}.` },
        ...(d.reason ? [{ p: `Orsak: ${d.reason}` }] : []),
        { p: sv },
        { p: 'Hälsningar, Bryggan' },
      ],
      en: [
        { p: `${d.guide} cannot work ${span(d.from, d.to, 'en')}.` },
        ...(d.reason ? [{ p: `Reason: ${d.reason}` }] : []),
        { p: en },
        { p: 'Best wishes, Bryggan' },
      ],
    },
  );
}

/** A guide changed, on their page, when they can work. */
export function availabilityChanged(d: { guide: string; from: string | null; to: string | null }): Rendered {
  const when = (lang: Lang) =>
    d.from && d.to
      ? lang === 'sv'
        ? ` från ${localDay(d.from, 'sv')} till ${localDay(d.to, 'sv')}`
        : ` from ${localDay(d.from, 'en')} to ${localDay(d.to, 'en')}`
      : '';
  return compose(
    { sv: `${d.guide} har ändrat när hen kan jobba`, en: `${d.guide} has changed when they can work` },
    {
      sv: [
        { p: `${d.guide} har ändrat när hen kan jobba${when('sv')}.` },
        { p: 'Se guidens tider på sidan Guider och seniorer innan du planerar.' },
        { p: 'Hälsningar, Bryggan' },
      ],
      en: [
        { p: `${d.guide} has changed when they can work${when('en')}.` },
        { p: 'See the guide’s times on the page Guides and seniors before you plan.' },
        { p: 'Best wishes, Bryggan' },
      ],
    },
  );
}
