import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { columnsFor } from './columns';

/**
 * The cafés a message is about, so a coordinator can see a café's mail: one row per message and
 * café. Mail queued before this is linked where it can still be told: a guide's schedule and
 * reminders name their assignments (`about`, `<assignment id>@bryggan#<revision>`), a request to
 * take a place and a decline notice name the place given up in their key.
 */
export class OutboxSessions1765600000000 implements MigrationInterface {
  name = 'OutboxSessions1765600000000';

  async up(q: QueryRunner): Promise<void> {
    const { ref, fk, index } = columnsFor(q);
    await q.createTable(
      new Table({
        name: 'outbox_message_sessions',
        columns: [
          { ...ref('message_id'), isPrimary: true },
          { ...ref('session_id'), isPrimary: true },
        ],
        foreignKeys: [fk('message_id', 'outbox_messages', 'CASCADE'), fk('session_id', 'sessions', 'CASCADE')],
        indices: [index(['session_id'])],
      }),
    );
    await linkEarlierMail(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('outbox_message_sessions');
  }
}

const CHUNK = 500;

async function linkEarlierMail(q: QueryRunner): Promise<void> {
  const db = q.manager;
  const links: { message_id: string; session_id: string }[] = [];
  // About assignments: the sessions of those still there.
  const about = await db
    .createQueryBuilder()
    .select(['o.id AS id', 'o.about AS about'])
    .from('outbox_messages', 'o')
    .where("o.about <> '[]'")
    .getRawMany<{ id: string; about: string }>();
  const byAssignment = new Map<string, string[]>();
  for (const o of about) {
    let events: unknown;
    try {
      events = JSON.parse(o.about);
    } catch {
      continue;
    }
    if (!Array.isArray(events)) continue;
    for (const e of events) {
      const assignment = /^([0-9a-f-]{36})@bryggan#/.exec(String(e))?.[1];
      if (assignment) byAssignment.set(assignment, [...(byAssignment.get(assignment) ?? []), o.id]);
    }
  }
  await inChunks([...byAssignment.keys()], async (ids) => {
    const rows = await db
      .createQueryBuilder()
      .select(['a.id AS id', 'a.session_id AS session_id'])
      .from('assignments', 'a')
      .where('a.id IN (:...ids)', { ids })
      .getRawMany<{ id: string; session_id: string }>();
    for (const a of rows)
      for (const message_id of byAssignment.get(a.id)!) links.push({ message_id, session_id: a.session_id });
  });
  // A request to take a place (`substitute:<offer>`) and a decline notice (`decline_notice:<vacancy>:<user>`).
  const keyed = await db
    .createQueryBuilder()
    .select(['o.id AS id', 'o.idempotency_key AS idem_key'])
    .from('outbox_messages', 'o')
    .where("o.kind IN ('substitute_request', 'decline_notice')")
    .getRawMany<{ id: string; idem_key: string }>();
  const byOffer = new Map<string, string>();
  const byVacancy = new Map<string, string[]>();
  for (const o of keyed) {
    const [kind, ref] = o.idem_key.split(':');
    if (kind === 'substitute' && ref) byOffer.set(ref, o.id);
    if (kind === 'decline_notice' && ref) byVacancy.set(ref, [...(byVacancy.get(ref) ?? []), o.id]);
  }
  await inChunks([...byOffer.keys()], async (ids) => {
    const rows = await db
      .createQueryBuilder()
      .select(['so.id AS id', 'v.session_id AS session_id'])
      .from('substitute_offers', 'so')
      .innerJoin('vacancies', 'v', 'v.id = so.vacancy_id')
      .where('so.id IN (:...ids)', { ids })
      .getRawMany<{ id: string; session_id: string }>();
    for (const r of rows) links.push({ message_id: byOffer.get(r.id)!, session_id: r.session_id });
  });
  await inChunks([...byVacancy.keys()], async (ids) => {
    const rows = await db
      .createQueryBuilder()
      .select(['v.id AS id', 'v.session_id AS session_id'])
      .from('vacancies', 'v')
      .where('v.id IN (:...ids)', { ids })
      .getRawMany<{ id: string; session_id: string }>();
    for (const r of rows)
      for (const message_id of byVacancy.get(r.id)!) links.push({ message_id, session_id: r.session_id });
  });
  const unique = [...new Map(links.map((l) => [`${l.message_id}|${l.session_id}`, l])).values()];
  await inChunks(unique, (values) =>
    db
      .createQueryBuilder()
      .insert()
      .into('outbox_message_sessions', ['message_id', 'session_id'])
      .values(values)
      .execute(),
  );
}

async function inChunks<T>(items: T[], work: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += CHUNK) await work(items.slice(i, i + CHUNK));
}
