import { Counts, countList, Lang, platformName, topicName, when } from '../words';
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
  change?: 'new' | 'changed' | 'cancelled';
  cancelReason?: string | null;
  confirmed?: boolean;
  confirmUrl?: string;
  declineUrl?: string;
}

const W = {
  sv: { with: 'Med dig', alone: 'Inga andra guider än', expected: 'Anmälda', seniors: 'seniorer', topics: 'Frågor om', theme: 'Tema', cancelled: 'Inställt',
    yes: 'Jag kommer', no: 'Jag kan inte', confirmed: 'Du har svarat att du kommer.', new: 'Nytt pass', changed: 'Ändrat pass' },
  en: { with: 'With you', alone: 'No other guides yet', expected: 'Signed up', seniors: 'seniors', topics: 'Questions about', theme: 'Theme', cancelled: 'Cancelled',
    yes: 'I will come', no: 'I cannot come', confirmed: 'You have said you will come.', new: 'New session', changed: 'Changed session' },
};

export function sessionBlocks(s: SessionItem, lang: Lang): Block[] {
  const w = W[lang];
  const head = when(s.startsAt, s.endsAt, s.timeZone, lang);
  const tag = s.change === 'new' ? `${w.new}: ` : s.change === 'changed' ? `${w.changed}: ` : s.change === 'cancelled' ? `${w.cancelled}: ` : '';
  const lines = [`${s.venue}, ${s.address}`];
  if (s.change === 'cancelled') {
    if (s.cancelReason) lines.push(s.cancelReason);
    return [{ strong: tag + head }, { lines }];
  }
  if (s.theme) lines.push(`${w.theme}: ${s.theme}`);
  lines.push(s.otherGuides.length ? `${w.with}: ${s.otherGuides.join(', ')}` : w.alone);
  const platforms = countList(s.platforms, platformName);
  lines.push(`${w.expected}: ${s.seniors} ${w.seniors}${platforms ? ` (${platforms})` : ''}`);
  const topics = countList(s.topics, (t) => topicName(t, lang));
  if (topics) lines.push(`${w.topics}: ${topics}`);
  const blocks: Block[] = [{ strong: tag + head }, { lines }];
  if (s.confirmed) blocks.push({ p: w.confirmed });
  else if (s.confirmUrl && s.declineUrl) blocks.push({ links: [{ label: w.yes, url: s.confirmUrl }, { label: w.no, url: s.declineUrl }] });
  else if (s.declineUrl) blocks.push({ links: [{ label: w.no, url: s.declineUrl }] });
  return blocks;
}

export function sessionList(items: SessionItem[], lang: Lang): Block[] {
  return items.flatMap((s, i) => (i ? [{ rule: true } as Block, ...sessionBlocks(s, lang)] : sessionBlocks(s, lang)));
}
