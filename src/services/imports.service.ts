import { In, IsNull } from 'typeorm';
import type { TableData } from '../reports/files';
import { guideTable, seniorTable, standingWindows } from './imports/export';
import { CreateGuideBody, CreateSeniorBody, type CreateGuide, type CreateSenior } from '../contract/people';
import { Contract, Guide, Organisation, Senior } from '../db/entities';
import { newId } from '../db/columns';
import { UnprocessableError } from '../domain/errors';
import { WEEKDAYS } from '../domain/time';
import { audit, auditShown } from './audit';
import { phoneKey, windowsWord } from './imports/columns';
import { columnsOf, guideRow, type ImportKind, mapHeadings, type Problem, seniorRow } from './imports/rows';
import { type FileKind, readTable, UnreadableFile } from './imports/table';
import type { GuideService } from './guides.service';
import { searchable } from './seniors.service';
import type { ServiceDeps } from './support';

export type { ImportKind, Problem };
export type { FileKind };

/** The most rows one file may bring: a municipality's seniors and more. */
export const MAX_IMPORT_ROWS = 5000;

export interface ImportOutcome {
  rows: number;
  created: number;
  updated: number;
  skipped: number;
  problems: Problem[];
}

type Planned =
  | { action: 'create'; body: CreateGuide | CreateSenior }
  | {
      action: 'update';
      id: string;
      body: CreateGuide | CreateSenior;
      /** A guide's windows of a period, kept when the file brings the standing times (else undefined). */
      keepWindows?: CreateGuide['availability'];
    }
  | { action: 'skip' };

/**
 * Guides and seniors from a CSV or Excel file. A preview reads the whole file and names every
 * problem by row and column, writing nothing; the import itself writes every row in one
 * transaction, or nothing when the file has a problem. Rows match what is there already (guides
 * by e-mail, seniors by phone, else e-mail), so importing a file again creates no one twice.
 */
export class ImportService {
  /** Imports running now and how far they have come, by the id the page gave: for its progress bar. */
  private readonly running = new Map<string, { done: number; total: number }>();

  constructor(private readonly deps: ServiceDeps & { guides: GuideService }) {}

  preview(municipalityId: string, kind: ImportKind, bytes: Buffer, file: FileKind): Promise<ImportOutcome> {
    return this.run(municipalityId, kind, bytes, file, false);
  }

  commit(
    municipalityId: string,
    kind: ImportKind,
    bytes: Buffer,
    file: FileKind,
    progressId?: string,
  ): Promise<ImportOutcome> {
    return this.run(municipalityId, kind, bytes, file, true, progressId);
  }

  /** The roster as a table in the import's columns; guides of the given associations only, when given. */
  async exportTable(kind: ImportKind, municipalityId: string, associationIds?: string[]): Promise<TableData> {
    const m = this.deps.store.manager;
    if (kind === 'seniors') {
      const seniors = await m.find(Senior, {
        where: { municipalityId, erasedAt: IsNull() },
        order: { displayName: 'ASC', id: 'ASC' },
      });
      await auditShown(this.deps, 'export', seniors);
      return seniorTable(seniors);
    }
    const guides = await m.find(Guide, {
      where: { municipalityId, ...(associationIds ? { associationId: In(associationIds) } : {}) },
      relations: { platforms: true, languages: true, availability: true },
      order: { name: 'ASC', id: 'ASC' },
    });
    const orgs = guides.length
      ? await m.find(Organisation, { where: { id: In([...new Set(guides.map((g) => g.associationId))]) } })
      : [];
    return guideTable(guides, new Map(orgs.map((o) => [o.id, o.name])));
  }

  /** How far an import has come (rows written of rows to write), or null once it is done or unknown. */
  progress(progressId: string): { done: number; total: number } | null {
    return this.running.get(progressId) ?? null;
  }

  private async run(
    municipalityId: string,
    kind: ImportKind,
    bytes: Buffer,
    file: FileKind,
    write: boolean,
    progressId?: string,
  ): Promise<ImportOutcome> {
    const table = await readTable(bytes, file).catch((err: unknown) => {
      if (err instanceof UnreadableFile)
        throw new UnprocessableError('unreadable_file', `The file cannot be read as a table (${err.reason})`, [
          { field: 'body', issue: err.reason },
        ]);
      throw err;
    });
    if (table.rows.length > MAX_IMPORT_ROWS) {
      throw new UnprocessableError('too_many_rows', `A file brings at most ${MAX_IMPORT_ROWS} rows`, [
        { field: 'body', issue: `${table.rows.length} rows` },
      ]);
    }
    const { keys, problems } = mapHeadings(kind, table.headers);
    const heading = (key: string) =>
      table.headers[keys.indexOf(key)] || (columnsOf(kind).find((c) => c.key === key)?.headings[0] ?? key);
    const outcome = (planned: Planned[]): ImportOutcome => ({
      rows: table.rows.length,
      created: planned.filter((p) => p.action === 'create').length,
      updated: planned.filter((p) => p.action === 'update').length,
      skipped: planned.filter((p) => p.action === 'skip').length,
      problems,
    });
    if (problems.some((p) => p.code === 'missing_column')) return refuseOr(write, outcome([]));

    const plan =
      kind === 'guides'
        ? await this.planGuides(municipalityId, table.rows, keys, heading, problems)
        : await this.planSeniors(municipalityId, table.rows, keys, heading, problems);
    if (!write || problems.length) return refuseOr(write, outcome(plan));

    const total = plan.filter((p) => p.action !== 'skip').length;
    if (progressId) this.running.set(progressId, { done: 0, total });
    const now = this.deps.clock.now();
    try {
      await this.deps.store.transaction(async (m) => {
        let done = 0;
        const seniors: Senior[] = [];
        for (const p of plan) {
          if (p.action === 'skip') continue;
          if (kind === 'guides') {
            const body = p.body as CreateGuide;
            if (p.action === 'create') await this.deps.guides.createIn(m, now, body, { audit: false });
            else {
              const { associationId: _a, municipalityId: _m, unavailableDates: _u, active: _x, ...change } = body;
              // The file brings the standing weekly times: a term's own times stay as they are.
              const availability = p.keepWindows && [...p.keepWindows, ...(change.availability ?? [])];
              await this.deps.guides.updateIn(m, p.id, { ...change, availability });
            }
          } else {
            const body = p.body as CreateSenior;
            if (p.action === 'create') seniors.push(newSenior(m.create.bind(m), now, body));
            else await m.update(Senior, { id: p.id }, { ...seniorColumns(body), updatedAt: now });
          }
          done++;
          if (progressId && done % 50 === 0) this.running.set(progressId, { done, total });
        }
        // New seniors go in in batches: five thousand rows one by one would hold the writer for long.
        for (let i = 0; i < seniors.length; i += 100) await m.insert(Senior, seniors.slice(i, i + 100));
        const result = outcome(plan);
        await audit(m, now, {
          action: `import.${kind}`,
          entityType: 'municipality',
          entityId: municipalityId,
          municipalityId,
          fields: [`created ${result.created}`, `updated ${result.updated}`, `skipped ${result.skipped}`],
        });
      });
    } finally {
      if (progressId) this.running.delete(progressId);
    }
    return outcome(plan);
  }

  private async planGuides(
    municipalityId: string,
    rows: string[][],
    keys: (string | null)[],
    heading: (key: string) => string,
    problems: Problem[],
  ): Promise<Planned[]> {
    const m = this.deps.store.manager;
    const contracts = await m.find(Contract, { where: { municipalityId }, select: { associationId: true } });
    const associations = contracts.length
      ? await m.find(Organisation, {
          where: { id: In(contracts.map((c) => c.associationId)) },
          select: { id: true, name: true },
        })
      : [];
    const existing = new Map(
      (
        await m.find(Guide, {
          where: { municipalityId },
          relations: { platforms: true, languages: true, availability: true },
        })
      ).map((g) => [g.email.toLowerCase(), g]),
    );
    const today = this.deps.clock.now().toISOString().slice(0, 10);
    const seen = new Map<string, { at: number; row: string }>();
    return rows.map((row, i) => {
      const at = i + 2;
      const read = guideRow(row, keys, at, { municipalityId, associations, today }, heading);
      problems.push(...read.problems);
      const checked = CreateGuideBody.safeParse(read.body);
      if (!checked.success) {
        for (const issue of checked.error.issues) {
          const key = String(issue.path[0] ?? '');
          if (!read.problems.some((p) => p.row === at && p.column === heading(key)))
            problems.push({
              row: at,
              column: heading(key),
              code: key === 'name' || key === 'email' ? (row.length ? 'invalid' : 'missing') : 'invalid',
            });
        }
        return { action: 'skip' };
      }
      const body = checked.data;
      // A row repeated as it is is skipped; the same person with other data is a problem to settle.
      const twin = seen.get(body.email);
      if (twin) {
        if (twin.row !== JSON.stringify(body))
          problems.push({ row: at, column: heading('email'), code: 'duplicate', value: String(twin.at) });
        return { action: 'skip' };
      }
      seen.set(body.email, { at, row: JSON.stringify(body) });
      const old = existing.get(body.email);
      if (!old) return { action: 'create', body };
      if (sameGuide(old, body, keys)) return { action: 'skip' };
      const keepWindows = keys.includes('availability')
        ? old.availability
            .filter((a) => a.validFrom || a.validTo)
            .map((a) => ({
              weekday: WEEKDAYS[a.weekday - 1],
              start: a.startTime,
              end: a.endTime,
              validFrom: a.validFrom,
              validTo: a.validTo,
            }))
        : undefined;
      return { action: 'update', id: old.id, body, keepWindows };
    });
  }

  private async planSeniors(
    municipalityId: string,
    rows: string[][],
    keys: (string | null)[],
    heading: (key: string) => string,
    problems: Problem[],
  ): Promise<Planned[]> {
    const m = this.deps.store.manager;
    const all = await m.find(Senior, { where: { municipalityId } });
    const byPhone = new Map(all.filter((s) => s.phone && !s.erasedAt).map((s) => [phoneKey(s.phone), s]));
    const byEmail = new Map(all.filter((s) => s.email && !s.erasedAt).map((s) => [s.email!.toLowerCase(), s]));
    const now = this.deps.clock.now();
    const seen = new Map<string, { at: number; row: string }>();
    return rows.map((row, i) => {
      const at = i + 2;
      const read = seniorRow(row, keys, at, { municipalityId, now }, heading);
      problems.push(...read.problems);
      if (read.problems.length) return { action: 'skip' };
      const checked = CreateSeniorBody.safeParse(read.body);
      if (!checked.success) {
        for (const issue of checked.error.issues) {
          const key = String(issue.path[0] ?? '');
          problems.push({
            row: at,
            column: heading(key),
            code: (read.body as Record<string, unknown>)[key] ? 'invalid' : 'missing',
          });
        }
        return { action: 'skip' };
      }
      const body = checked.data;
      if (new Date(body.consentGivenAt) > now) {
        problems.push({ row: at, column: heading('consentGivenAt'), code: 'invalid' });
        return { action: 'skip' };
      }
      const key = body.phone ? `p:${phoneKey(body.phone)}` : `e:${body.email}`;
      const twin = seen.get(key);
      if (twin) {
        if (twin.row !== JSON.stringify(body))
          problems.push({
            row: at,
            column: heading(body.phone ? 'phone' : 'email'),
            code: 'duplicate',
            value: String(twin.at),
          });
        return { action: 'skip' };
      }
      seen.set(key, { at, row: JSON.stringify(body) });
      const old = (body.phone && byPhone.get(phoneKey(body.phone))) || (body.email && byEmail.get(body.email)) || null;
      if (!old) return { action: 'create', body };
      return sameSenior(old, body) ? { action: 'skip' } : { action: 'update', id: old.id, body };
    });
  }
}

/** A refusal when writing (the page shows the same problems as the preview), else the preview. */
function refuseOr(write: boolean, outcome: ImportOutcome): ImportOutcome {
  if (write && outcome.problems.length) {
    throw new UnprocessableError('import_has_problems', 'The file has problems; the preview names each', [
      { field: 'body', issue: `${outcome.problems.length} problems` },
    ]);
  }
  return outcome;
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Whether a row changes nothing of a guide, in the columns the file has. */
function sameGuide(g: Guide, b: CreateGuide, keys: (string | null)[]): boolean {
  const has = (k: string) => keys.includes(k);
  return (
    (!has('name') || g.name === b.name) &&
    (!has('phone') || (g.phone ?? null) === (b.phone ?? null)) &&
    (!has('platforms') ||
      sameSet(
        g.platforms.map((p) => p.platform),
        b.platforms.map((p) => p.platform),
      )) &&
    (!has('languages') ||
      sameSet(
        g.languages.map((l) => l.language),
        b.languages.map((l) => l.language),
      )) &&
    (!has('topics') || sameSet(g.topics, b.topics)) &&
    (!has('swedishLevel') || g.swedishLevel === b.swedishLevel) &&
    (!has('maxHoursPerWeek') || g.maxMinutesPerWeek === Math.round(b.maxHoursPerWeek * 60)) &&
    (!has('startDate') || g.startDate === b.startDate) &&
    (!has('endDate') || (g.endDate ?? null) === (b.endDate ?? null)) &&
    (!has('school') || (g.school ?? null) === (b.school ?? null)) &&
    (!has('availability') || windowsWord(standingWindows(g)) === windowsWord(b.availability))
  );
}

function seniorColumns(b: CreateSenior) {
  return {
    displayName: b.displayName,
    searchName: searchable(b.displayName),
    phone: b.phone ?? null,
    email: b.email ?? null,
    preferredLanguage: b.preferredLanguage,
    devices: b.devices,
    topics: b.topics,
    consentGivenAt: new Date(b.consentGivenAt),
    consentMethod: b.consentMethod ?? null,
    ageBand: b.ageBand ?? null,
  };
}

function sameSenior(s: Senior, b: CreateSenior): boolean {
  const next = seniorColumns(b);
  return (
    s.displayName === next.displayName &&
    (s.phone ?? null) === next.phone &&
    (s.email ?? null) === next.email &&
    s.preferredLanguage === next.preferredLanguage &&
    JSON.stringify(s.devices) === JSON.stringify(next.devices) &&
    sameSet(s.topics, next.topics) &&
    s.consentGivenAt.getTime() === next.consentGivenAt.getTime() &&
    (s.consentMethod ?? null) === next.consentMethod &&
    (s.ageBand ?? null) === next.ageBand
  );
}

function newSenior(create: (e: typeof Senior, v: Partial<Senior>) => Senior, now: Date, b: CreateSenior): Senior {
  return create(Senior, {
    id: newId(),
    version: 1,
    municipalityId: b.municipalityId,
    ...seniorColumns(b),
    gender: null,
    newlyArrived: null,
    erasedAt: null,
    createdAt: now,
    updatedAt: now,
  });
}
