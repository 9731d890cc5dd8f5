import type { Platform, Topic } from '../domain/vocabulary';

/** Names of the vocabularies as people say them (mail, reports, the web pages); no dependencies, so the browser bundle stays small. */
export type Lang = 'sv' | 'en';

const PLATFORM: Record<Platform, string> = {
  ios: 'iPhone',
  ipados: 'iPad',
  android: 'Android',
  windows: 'Windows',
  macos: 'Mac',
  chromeos: 'Chromebook',
};

const TOPIC: Record<Topic, Record<Lang, string>> = {
  bankid: { sv: 'BankID', en: 'BankID' },
  e_health: { sv: '1177 och vård', en: 'health services (1177)' },
  banking_swish: { sv: 'bank och Swish', en: 'banking and Swish' },
  municipal_services: { sv: 'kommunens tjänster', en: 'municipal services' },
  travel_tickets: { sv: 'resor och biljetter', en: 'travel and tickets' },
  email: { sv: 'e-post', en: 'e-mail' },
  social_media: { sv: 'sociala medier', en: 'social media' },
  video_calls: { sv: 'videosamtal', en: 'video calls' },
  photos_cloud: { sv: 'bilder och molnlagring', en: 'photos and cloud storage' },
  updates_transfer: { sv: 'uppdateringar och flytt', en: 'updates and moving data' },
  web_search: { sv: 'söka på nätet', en: 'searching the web' },
  ebooks: { sv: 'e-böcker', en: 'e-books' },
  scam_safety: { sv: 'bedrägerier och säkerhet', en: 'scams and safety' },
  other: { sv: 'annat', en: 'other' },
};

export const platformName = (p: string) => PLATFORM[p as Platform] ?? p;
export const topicName = (t: string, lang: Lang) => TOPIC[t as Topic]?.[lang] ?? t;
