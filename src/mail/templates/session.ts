import { type Counts, countList, type Lang, platformName, plural, topicName, when } from '../words';
import type { Block } from './layout';

/** One session as a guide reads it: when, where, with whom, and what to expect (counts, never names of seniors). */
export interface SessionItem {
  /** The calendar event's UID: one per assignment, so a phone updates rather than duplicates. */
  uid: string;
  sequence: number;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  venue: string;
  address: string;
  theme: string | null;
  otherGuides: string[];
  seniors: number;
  platforms: Counts;
  topics: Counts;
  /** For a change notice: what happened to it. */
  /** `removed`: the session runs, but without this guide (taken off, or they declined). */
  change?: 'new' | 'changed' | 'cancelled' | 'removed';
  cancelReason?: string | null;
  confirmed?: boolean;
  confirmUrl?: string;
  declineUrl?: string;
}

const W = {
  sv: {
    with: 'Med dig jobbar',
    alone: 'Inga andra guider än',
    expected: 'Anmälda',
    senior: 'senior',
    seniors: 'seniorer',
    topics: 'Frågor om',
    theme: 'Tema',
    cancelled: 'Inställt',
    removed: 'Du behöver inte komma',
    yes: 'Jag kommer',
    no: 'Jag kan inte',
    confirmed: 'Du har svarat att du kommer.',
    new: 'Nytt pass',
    changed: 'Ändrat pass',
  },
  en: {
    with: 'Working with you',
    alone: 'No other guides yet',
    expected: 'Signed up',
    senior: 'senior',
    seniors: 'seniors',
    topics: 'Questions about',
    theme: 'Theme',
    cancelled: 'Cancelled',
    removed: 'You need not come',
    yes: 'I will come',
    no: 'I cannot come',
    confirmed: 'You have said you will come.',
    new: 'New session',
    changed: 'Changed session',
  },
};

export function sessionBlocks(s: SessionItem, lang: Lang): Block[] {
  const w = W[lang];
  const head = when(s.startsAt, s.endsAt, s.timeZone, lang);
  const tag = s.change ? `${w[s.change]}: ` : '';
  const lines = [`${s.venue}, ${s.address}`];
  if (s.change === 'removed') return [{ strong: tag + head }, { lines }];
  if (s.change === 'cancelled') {
    if (s.cancelReason) lines.push(s.cancelReason);
    return [{ strong: tag + head }, { lines }];
  }
  if (s.theme) lines.push(`${w.theme}: ${s.theme}`);
  lines.push(s.otherGuides.length ? `${w.with}: ${s.otherGuides.join(', ')}` : w.alone);
  const platforms = countList(s.platforms, platformName);
  lines.push(
    `${w.expected}: ${s.seniors} ${plural(s.seniors, w.senior, w.seniors)}${platforms ? ` (${platforms})` : ''}`,
  );
  const topics = countList(s.topics, (t) => topicName(t, lang), true);
  if (topics) lines.push(`${w.topics}: ${topics}`);
  const blocks: Block[] = [{ strong: tag + head }, { lines }];
  if (s.confirmed) blocks.push({ p: w.confirmed });
  else if (s.confirmUrl && s.declineUrl)
    blocks.push({
      links: [
        { label: w.yes, url: s.confirmUrl },
        { label: w.no, url: s.declineUrl },
      ],
    });
  else if (s.declineUrl) blocks.push({ links: [{ label: w.no, url: s.declineUrl }] });
  return blocks;
}

export function sessionList(items: SessionItem[], lang: Lang): Block[] {
  return items.flatMap((s, i) => (i ? [{ rule: true }, ...sessionBlocks(s, lang)] : sessionBlocks(s, lang)));
}
