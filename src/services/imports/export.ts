import { topicName } from '../../contract/names';
import type { Guide, Senior } from '../../db/entities';
import { platformName } from '../../contract/names';
import type { TableData } from '../../reports/files';
import { WEEKDAYS } from '../../domain/time';
import { ageBandWord, consentWord, deviceWord, languageName, windowsWord } from './columns';
import { columnsOf, type ImportKind } from './rows';

/** The template's headings, the first of each column's names: what an import reads back. */
const headingsOf = (kind: ImportKind) => columnsOf(kind).map((c) => c.headings[0]);

const list = (items: string[]) => items.join(', ');

/** The roster as a table in the import's own columns: an export can be edited and imported again. */
export function guideTable(guides: Guide[], associations: Map<string, string>): TableData {
  return {
    headers: headingsOf('guides'),
    rows: guides.map((g) => [
      g.name,
      g.email,
      g.phone ?? '',
      list(g.platforms.map((p) => platformName(p.platform))),
      list(g.languages.map((l) => languageName(l.language))),
      list(g.topics.map((t) => topicName(t, 'sv'))),
      g.swedishLevel,
      String(g.maxMinutesPerWeek / 60).replace('.', ','),
      windowsWord(standingWindows(g)),
      g.startDate,
      g.endDate ?? '',
      g.school ?? '',
      associations.get(g.associationId) ?? '',
    ]),
  };
}

/** A guide's standing weekly times (those of no particular period). */
export const standingWindows = (g: Guide) =>
  g.availability
    .filter((a) => !a.validFrom && !a.validTo)
    .map((a) => ({ weekday: WEEKDAYS[a.weekday - 1], start: a.startTime, end: a.endTime }));

export function seniorTable(seniors: Senior[]): TableData {
  return {
    headers: headingsOf('seniors'),
    rows: seniors.map((s) => [
      s.displayName,
      s.phone ?? '',
      s.email ?? '',
      list(s.devices.map(deviceWord)),
      list(s.topics.map((t) => topicName(t, 'sv'))),
      languageName(s.preferredLanguage),
      ageBandWord(s.ageBand),
      s.consentGivenAt.toISOString().slice(0, 10),
      consentWord(s.consentMethod),
    ]),
  };
}

/** A template to fill in: the headings and one example row, made up. */
export function template(kind: ImportKind): TableData {
  return kind === 'guides'
    ? {
        headers: headingsOf('guides'),
        rows: [
          [
            'Amina Exempel',
            'amina@example.org',
            '070-123 45 67',
            'iPhone, Android',
            'arabiska, engelska',
            'BankID, bank och Swish',
            'B1',
            '6',
            'tis 14–17, tor 13:30–16',
            '2027-01-11',
            '',
            'Språkintroduktion',
            '',
          ],
        ],
      }
    : {
        headers: headingsOf('seniors'),
        rows: [['Birgitta', '070-765 43 21', '', 'iPhone, iPad', 'BankID', 'svenska', '75+', '2026-09-01', 'muntligt']],
      };
}
