/**
 * The load bench's baseline (issue 20): hand-written handlers for the routes it measures, on bare
 * express, reading the service's own database file (prepared better-sqlite3 statements) or its
 * PostgreSQL database (`pg`, named prepared statements), and answering the same JSON as the
 * service for the same requests. They do the same authentication work as the service (the
 * token's hash, the user, the principal's contracts, `lastUsedAt` at most once a minute) and the
 * same owner check, and write the same rows (audit entries for the seniors a week shows, a
 * registration and its audit entry). Pure functions of the domain (time, pairing, reasons'
 * words, link signing) are shared with the service: what is measured is the way from the
 * request to the database and back.
 *
 * `node dist/scripts/bench/load-baseline.js` with BASELINE_DB (a sqlite path or a postgres://
 * URL), AUTH_SECRET and PUBLIC_URL as the service has them; prints `listens on <url>`.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import Database, { type Statement } from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { Pool, types, type PoolClient } from 'pg';
import { addDays, instantToLocal, isoWeekRange, weekdayName } from '../../src/domain/time';
import { pairSeniors, type PairingGuide, type PairingSenior } from '../../src/domain/pairing';
import type { Reason } from '../../src/domain/matching/reasons';
import { reasonText } from '../../src/contract/reasons';
import { LinkSigner, TOKEN_RE } from '../../src/lib/tokens';
import { periodRange } from '../../src/domain/reports';
import { AGE_BANDS, GENDERS } from '../../src/domain/vocabulary';
import { publicReport } from '../../src/reports/output';
import { appServer } from '../../src/http/server';

/** Below this many published cafés worked, a guide is not yet experienced (services/matching-input.ts). */
const EXPERIENCED_AFTER = 3;
/** How far back a guide's page offers the after-café form (services/guide-page.service.ts). */
const REPORT_DAYS = 14;

/** A row as the drivers give it: text, numbers, booleans, instants (pg), nulls. */
type Row = Record<string, string | number | boolean | Date | null>;

/** The little a handler needs of a database: `$n` parameters, lists as one parameter, instants both ways. */
interface Db {
  all(sql: string, params?: unknown[]): Promise<Row[]>;
  get(sql: string, params?: unknown[]): Promise<Row | undefined>;
  run(sql: string, params?: unknown[]): Promise<void>;
  tx<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** A list as one parameter, used with `inList`. */
  list(values: readonly string[]): unknown;
  /** `x <in>` for a list parameter `$n`. */
  inList(n: number): string;
  /** `FOR UPDATE` where the database has row locks. */
  forUpdate: string;
  postgres: boolean;
  instant(v: unknown): Date;
  stored(d: Date): string | Date;
}

function sqliteDb(path: string): Db {
  const conn = new Database(path);
  // The service's own settings (src/db/data-source.ts): the same checks on every write.
  conn.pragma('journal_mode = WAL');
  conn.pragma('foreign_keys = ON');
  conn.pragma('busy_timeout = 5000');
  conn.pragma('secure_delete = ON');
  const cache = new Map<string, { stmt: Statement; order: number[] }>();
  const prepare = (sql: string) => {
    let hit = cache.get(sql);
    if (!hit) {
      const order: number[] = [];
      const text = sql.replace(/\$(\d+)/g, (_m, n: string) => (order.push(Number(n) - 1), '?'));
      hit = { stmt: conn.prepare(text), order };
      cache.set(sql, hit);
    }
    return hit;
  };
  const bind = (order: number[], params: unknown[]) => order.map((i) => params[i]);
  // One connection: a transaction holds it until it ends, so transactions take turns.
  let queue: Promise<unknown> = Promise.resolve();
  const db: Db = {
    all: (sql, params = []) => {
      const p = prepare(sql);
      return Promise.resolve(p.stmt.all(...bind(p.order, params)) as Row[]);
    },
    get: (sql, params = []) => {
      const p = prepare(sql);
      return Promise.resolve(p.stmt.get(...bind(p.order, params)) as Row | undefined);
    },
    run: (sql, params = []) => {
      const p = prepare(sql);
      p.stmt.run(...bind(p.order, params));
      return Promise.resolve();
    },
    tx: <T>(fn: (d: Db) => Promise<T>): Promise<T> => {
      const next = queue.then(async () => {
        conn.exec('BEGIN IMMEDIATE');
        try {
          const out = await fn(db);
          conn.exec('COMMIT');
          return out;
        } catch (err) {
          conn.exec('ROLLBACK');
          throw err;
        }
      });
      queue = next.catch(() => undefined);
      return next;
    },
    list: (values) => JSON.stringify(values),
    inList: (n) => `IN (SELECT value FROM json_each($${n}))`,
    forUpdate: '',
    postgres: false,
    instant: (v) => new Date(`${String(v).replace(' ', 'T')}Z`),
    stored: (d) => d.toISOString().replace('T', ' ').replace('Z', ''),
  };
  return db;
}

function postgresDb(url: string): Db {
  // Dates stay 'YYYY-MM-DD' text and counts numbers, as the service reads them.
  types.setTypeParser(1082, (v) => v);
  const pool = new Pool({ connectionString: url, max: 10 });
  const names = new Map<string, string>();
  const named = (text: string) => {
    let name = names.get(text);
    if (!name) names.set(text, (name = `b${createHash('sha1').update(text).digest('hex').slice(0, 16)}`));
    return name;
  };
  const over = (q: (text: string, values: unknown[]) => Promise<{ rows: Row[] }>): Omit<Db, 'tx'> => ({
    all: async (sql, params = []) => (await q(sql, params)).rows,
    get: async (sql, params = []) => (await q(sql, params)).rows[0],
    run: async (sql, params = []) => void (await q(sql, params)),
    list: (values) => values,
    inList: (n) => `= ANY($${n})`,
    forUpdate: 'FOR UPDATE',
    postgres: true,
    instant: (v) => v as Date,
    stored: (d) => d,
  });
  const onClient = (c: PoolClient) => (text: string, values: unknown[]) =>
    c.query<Row>({ name: named(text), text, values });
  return {
    ...over((text, values) => pool.query<Row>({ name: named(text), text, values })),
    tx: async (fn) => {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const inner: Db = { ...over(onClient(c)), tx: (f) => f(inner) };
        const out = await fn(inner);
        await c.query('COMMIT');
        return out;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        c.release();
      }
    },
  };
}

const target = process.env.BASELINE_DB ?? '';
const db = /^postgres(ql)?:\/\//.test(target) ? postgresDb(target) : sqliteDb(target);
const signer = new LinkSigner(process.env.AUTH_SECRET ?? '');
const publicUrl = (process.env.PUBLIC_URL ?? '').replace(/\/+$/, '');
const bool = (v: unknown) => v === true || v === 1;
const iso = (v: unknown) => db.instant(v).toISOString();
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
const said = (reasons: readonly Reason[]) => reasons.map((r) => ({ ...r, text: reasonText(r, 'en') }));

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

interface Principal {
  userId: string;
  role: string;
  organisationId: string | null;
  municipalityIds: string[] | null;
  associationIds: string[] | null;
  user: Row;
}

/** The service's authentication: the token's hash, the user, the contracts that open the other party's things. */
async function authenticate(req: Request, roles: readonly string[]): Promise<Principal> {
  const [scheme, token] = (req.headers.authorization ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token || !TOKEN_RE.test(token)) throw new HttpError(401, 'invalid_token');
  const row = await db.get(
    'SELECT id, user_id, kind, expires_at, revoked_at, last_used_at FROM auth_tokens WHERE token_hash = $1',
    [createHash('sha256').update(token).digest('hex')],
  );
  const now = new Date();
  if (!row || row.revoked_at || (row.expires_at && db.instant(row.expires_at) <= now))
    throw new HttpError(401, 'invalid_token');
  const user = await db.get(
    'SELECT id, email, password_hash, role, organisation_id, active, last_login_at, created_at FROM users WHERE id = $1',
    [row.user_id],
  );
  if (!user || !bool(user.active)) throw new HttpError(401, 'invalid_token');
  if (!row.last_used_at || now.getTime() - db.instant(row.last_used_at).getTime() > 60_000)
    await db.tx((t) => t.run('UPDATE auth_tokens SET last_used_at = $1 WHERE id = $2', [t.stored(now), row.id]));
  const base = { userId: user.id as string, role: user.role as string, organisationId: user.organisation_id as string };
  let principal: Principal;
  const today = now.toISOString().slice(0, 10);
  if (base.role === 'admin') principal = { ...base, municipalityIds: null, associationIds: null, user };
  else if (base.role === 'association_staff') {
    const rows = await db.all('SELECT municipality_id FROM contracts WHERE association_id = $1 AND ends_on >= $2', [
      base.organisationId,
      today,
    ]);
    principal = {
      ...base,
      associationIds: [base.organisationId],
      municipalityIds: [...new Set(rows.map((r) => r.municipality_id as string))],
      user,
    };
  } else {
    const rows = await db.all('SELECT association_id FROM contracts WHERE municipality_id = $1 AND ends_on >= $2', [
      base.organisationId,
      today,
    ]);
    principal = {
      ...base,
      municipalityIds: [base.organisationId],
      associationIds: [...new Set(rows.map((r) => r.association_id as string))],
      user,
    };
  }
  if (!roles.includes(principal.role)) throw new HttpError(403, 'forbidden');
  return principal;
}

/** The owner check of a path or body id: a municipality the caller sees, or 404. */
function seesMunicipality(p: Principal, municipalityId: string | undefined): boolean {
  if (!municipalityId) return false;
  return p.municipalityIds === null || p.municipalityIds.includes(municipalityId);
}

const EVERYONE = ['admin', 'coordinator', 'association_staff', 'viewer'];
const PLANNERS = ['admin', 'coordinator'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const handle =
  (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) =>
    fn(req, res).catch(next);

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '100kb' }));

app.get('/health', (_req, res) => {
  res.json({ status: 'ok' });
});

app.get(
  '/api/v1/auth/me',
  handle(async (req, res) => {
    const p = await authenticate(req, EVERYONE);
    const u = (await db.get(
      'SELECT id, email, password_hash, role, organisation_id, active, last_login_at, created_at FROM users WHERE id = $1',
      [p.userId],
    ))!;
    res.json({
      status: !bool(u.active) ? 'deactivated' : u.password_hash ? 'active' : 'invited',
      id: u.id,
      email: u.email,
      role: u.role,
      organisationId: u.organisation_id,
      active: bool(u.active),
      lastLoginAt: u.last_login_at ? iso(u.last_login_at) : null,
      createdAt: iso(u.created_at),
      municipalityIds: p.municipalityIds,
      associationIds: p.associationIds,
      mailSetUp: !!process.env.SMTP_URL,
    });
  }),
);

const SESSION_COLUMNS =
  's.id, s.version, s.municipality_id, s.venue_id, s.association_id, s.series_id, s.local_date, s.starts_at, ' +
  's.ends_at, s.time_zone, s.seats, s.min_guides, s.max_guides, s.theme, s.status, s.cancel_source, ' +
  's.cancel_reason, s.detached';

function sessionJson(s: Row) {
  const startsAt = db.instant(s.starts_at);
  const endsAt = db.instant(s.ends_at);
  return {
    id: s.id,
    version: s.version,
    municipalityId: s.municipality_id,
    venueId: s.venue_id,
    associationId: s.association_id,
    seriesId: s.series_id,
    localDate: s.local_date,
    startTime: instantToLocal(startsAt, s.time_zone as string).time,
    endTime: instantToLocal(endsAt, s.time_zone as string).time,
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    timeZone: s.time_zone,
    seats: s.seats,
    minGuides: s.min_guides,
    maxGuides: s.max_guides,
    theme: s.theme,
    status: s.status,
    cancelSource: s.cancel_source,
    cancelReason: s.cancel_reason,
    detached: bool(s.detached),
  };
}

interface Device {
  platform: string;
}

/** Who helps whom at these cafés (services/pairs.ts), from hand-written queries. */
async function pairs(sessions: Row[], now: Date, publishedOnly: boolean) {
  const out = new Map<
    string,
    {
      seniorId: string;
      displayName: string;
      devices: Device[];
      topic: string | null;
      language: string | null;
      guideId: string | null;
      reasons: Reason[];
    }[]
  >();
  if (!sessions.length) return out;
  const ids = db.list(sessions.map((s) => s.id as string));
  const [assignments, regs] = await Promise.all([
    db.all(
      `SELECT session_id, guide_id FROM assignments WHERE session_id ${db.inList(1)}` +
        (publishedOnly ? " AND status = 'published'" : ''),
      [ids],
    ),
    db.all(
      `SELECT session_id, senior_id, devices, topic FROM registrations WHERE session_id ${db.inList(1)} AND status = 'confirmed' ORDER BY queue_number`,
      [ids],
    ),
  ]);
  const guideIds = db.list([...new Set(assignments.map((a) => a.guide_id as string))]);
  const seniorIds = db.list([...new Set(regs.map((r) => r.senior_id as string))]);
  const [guides, platforms, languages, seniors, worked, helped] = await Promise.all([
    db.all(`SELECT id, topics FROM guides WHERE id ${db.inList(1)}`, [guideIds]),
    db.all(`SELECT guide_id, platform FROM guide_platforms WHERE guide_id ${db.inList(1)}`, [guideIds]),
    db.all(`SELECT guide_id, language FROM guide_languages WHERE guide_id ${db.inList(1)}`, [guideIds]),
    db.all(`SELECT id, display_name, preferred_language FROM seniors WHERE id ${db.inList(1)}`, [seniorIds]),
    db.all(
      `SELECT a.guide_id, COUNT(*) AS n FROM assignments a JOIN sessions s ON s.id = a.session_id
       WHERE a.guide_id ${db.inList(1)} AND a.status = 'published' AND s.status = 'scheduled' AND s.starts_at < $2
       GROUP BY a.guide_id`,
      [guideIds, db.stored(now)],
    ),
    db.all(
      `SELECT senior_id, helped_by_guide_id, local_date FROM attendances
       WHERE senior_id ${db.inList(1)} AND helped_by_guide_id IS NOT NULL AND present = TRUE ORDER BY local_date DESC`,
      [seniorIds],
    ),
  ]);
  const knows = (rows: Row[], key: string) => {
    const map = new Map<string, string[]>();
    for (const r of rows) map.set(r.guide_id as string, [...(map.get(r.guide_id as string) ?? []), r[key] as string]);
    return map;
  };
  const platformsOf = knows(platforms, 'platform');
  const languagesOf = knows(languages, 'language');
  const workedBy = new Map(worked.map((w) => [w.guide_id as string, Number(w.n)]));
  const helpedBy = new Map<string, { guideId: string; date: string }[]>();
  for (const h of helped)
    helpedBy.set(h.senior_id as string, [
      ...(helpedBy.get(h.senior_id as string) ?? []),
      { guideId: h.helped_by_guide_id as string, date: h.local_date as string },
    ]);
  const guideById = new Map(guides.map((g) => [g.id as string, g]));
  const seniorById = new Map(seniors.map((s) => [s.id as string, s]));
  for (const session of sessions) {
    const onDuty: PairingGuide[] = assignments
      .filter((a) => a.session_id === session.id && guideById.has(a.guide_id as string))
      .map((a) => {
        const id = a.guide_id as string;
        return {
          id,
          platforms: (platformsOf.get(id) ?? []) as PairingGuide['platforms'],
          languages: languagesOf.get(id) ?? [],
          topics: json(guideById.get(id)!.topics),
          experienced: (workedBy.get(id) ?? 0) >= EXPERIENCED_AFTER,
        };
      });
    const seated = regs.filter((r) => r.session_id === session.id && seniorById.has(r.senior_id as string));
    const devicesOf = new Map(seated.map((r) => [r, json<Device[]>(r.devices)]));
    const input: PairingSenior[] = seated.map((r) => ({
      id: r.senior_id as string,
      platforms: [...new Set(devicesOf.get(r)!.map((d) => d.platform))] as PairingSenior['platforms'],
      topic: (r.topic as PairingSenior['topic']) ?? null,
      language: (seniorById.get(r.senior_id as string)!.preferred_language as string) ?? null,
      helpedBefore: [
        ...new Set(
          (helpedBy.get(r.senior_id as string) ?? [])
            .filter((h) => h.date < (session.local_date as string))
            .map((h) => h.guideId),
        ),
      ],
    }));
    const paired = new Map(pairSeniors(onDuty, input).map((p) => [p.seniorId, p]));
    out.set(
      session.id as string,
      seated.map((r) => {
        const senior = seniorById.get(r.senior_id as string)!;
        const pair = paired.get(r.senior_id as string);
        return {
          seniorId: r.senior_id as string,
          displayName: senior.display_name as string,
          devices: devicesOf.get(r)!,
          topic: (r.topic as string) ?? null,
          language: (senior.preferred_language as string) ?? null,
          guideId: pair?.guideId ?? null,
          reasons: pair?.reasons ?? [],
        };
      }),
    );
  }
  return out;
}

const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);

app.get(
  '/api/v1/municipalities/:id/weeks/:week',
  handle(async (req, res) => {
    const p = await authenticate(req, EVERYONE);
    const municipalityId = String(req.params.id);
    const week = String(req.params.week);
    if (!UUID.test(municipalityId) || !/^\d{4}-W\d{2}$/.test(week)) throw new HttpError(400, 'validation');
    const org = await db.get("SELECT id FROM organisations WHERE id = $1 AND kind = 'municipality'", [municipalityId]);
    if (!org || !seesMunicipality(p, municipalityId)) throw new HttpError(404, 'not_found');
    const withSeniors = p.role === 'admin' || p.role === 'coordinator';
    const { monday, sunday } = isoWeekRange(week);
    const sessions = await db.all(
      `SELECT ${SESSION_COLUMNS} FROM sessions s WHERE s.municipality_id = $1 AND s.local_date BETWEEN $2 AND $3
       ORDER BY s.starts_at, s.id`,
      [municipalityId, monday, sunday],
    );
    const ids = db.list(sessions.map((s) => s.id as string));
    const [venues, registrations, assignments, vacancies] = await Promise.all([
      db.all(`SELECT id, name, address FROM venues WHERE id ${db.inList(1)}`, [
        db.list([...new Set(sessions.map((s) => s.venue_id as string))]),
      ]),
      db.all(
        `SELECT r.id, r.session_id, r.senior_id, r.status, r.devices, r.topic, n.display_name, n.preferred_language,
                n.municipality_id
         FROM registrations r JOIN seniors n ON n.id = r.senior_id
         WHERE r.session_id ${db.inList(1)} AND r.status IN ('confirmed', 'waitlisted')
         ORDER BY r.session_id, r.queue_number`,
        [ids],
      ),
      db.all(
        `SELECT a.id, a.session_id, a.guide_id, a.status, a.pinned, a.response, a.conflict, g.name
         FROM assignments a JOIN guides g ON g.id = a.guide_id
         WHERE a.session_id ${db.inList(1)} ORDER BY a.created_at, a.id`,
        [ids],
      ),
      db.all(
        `SELECT v.id, v.session_id, v.created_at, g.name FROM vacancies v JOIN guides g ON g.id = v.declined_guide_id
         WHERE v.session_id ${db.inList(1)} AND v.status = 'open' ORDER BY v.created_at, v.id`,
        [ids],
      ),
    ]);
    const offers = vacancies.length
      ? await db.all(
          `SELECT o.vacancy_id, g.name FROM substitute_offers o JOIN guides g ON g.id = o.guide_id
           WHERE o.vacancy_id ${db.inList(1)} ORDER BY o.created_at, o.id`,
          [db.list(vacancies.map((v) => v.id as string))],
        )
      : [];
    if (withSeniors && registrations.length) {
      const now = new Date();
      const shown = new Map(registrations.map((r) => [r.senior_id as string, r.municipality_id as string]));
      const at = db.stored(now);
      if (db.postgres)
        // One statement for all the rows: on PostgreSQL each statement is a round trip.
        await db.run(
          `INSERT INTO audit_log (id, at, actor_type, actor_id, municipality_id, action, entity_type, entity_id, fields)
           SELECT u.id, $1, 'user', $2, u.m, 'senior.read.week', 'senior', u.s, '[]'
           FROM unnest($3::varchar[], $4::varchar[], $5::varchar[]) AS u(id, m, s)`,
          [at, p.userId, [...shown.keys()].map(() => randomUUID()), [...shown.values()], [...shown.keys()]],
        );
      else
        await db.tx(async (t) => {
          for (const [seniorId, municipality] of shown)
            await t.run(
              `INSERT INTO audit_log (id, at, actor_type, actor_id, municipality_id, action, entity_type, entity_id, fields)
               VALUES ($1, $2, 'user', $3, $4, 'senior.read.week', 'senior', $5, '[]')`,
              [randomUUID(), at, p.userId, municipality, seniorId],
            );
        });
    }
    const venueById = new Map(venues.map((v) => [v.id as string, v]));
    const bySession = <T extends Row>(rows: T[]) => {
      const map = new Map<string, T[]>();
      for (const r of rows) map.set(r.session_id as string, [...(map.get(r.session_id as string) ?? []), r]);
      return map;
    };
    const regsOf = bySession(registrations);
    const guidesOf = bySession(assignments);
    const vacanciesOf = bySession(vacancies);
    const paired = withSeniors ? await pairs(sessions, new Date(), false) : new Map();
    const totals = {
      sessions: sessions.length,
      scheduled: 0,
      cancelled: 0,
      confirmed: 0,
      waitlisted: 0,
      platformDemand: {} as Record<string, number>,
    };
    const out = sessions.map((s) => {
      const regs = regsOf.get(s.id as string) ?? [];
      const devices = new Map(regs.map((r) => [r, json<Device[]>(r.devices)]));
      let confirmed = 0;
      const platformDemand: Record<string, number> = {};
      const languageDemand: Record<string, number> = {};
      const topicDemand: Record<string, number> = {};
      for (const r of regs) {
        if (r.status !== 'confirmed') continue;
        confirmed++;
        for (const platform of new Set(devices.get(r)!.map((d) => d.platform))) bump(platformDemand, platform);
        const language = r.preferred_language as string | null;
        if (language && language !== 'sv') bump(languageDemand, language);
        if (r.topic) bump(topicDemand, r.topic as string);
      }
      const scheduled = s.status === 'scheduled';
      totals[s.status as 'scheduled' | 'cancelled']++;
      if (scheduled) {
        totals.confirmed += confirmed;
        totals.waitlisted += regs.length - confirmed;
        for (const [k, n] of Object.entries(platformDemand))
          totals.platformDemand[k] = (totals.platformDemand[k] ?? 0) + n;
      }
      const venue = venueById.get(s.venue_id as string)!;
      const atLeast3 = (counts: Record<string, number>) =>
        Object.fromEntries(Object.entries(counts).filter(([, n]) => n >= 3));
      const session = sessionJson(s);
      return {
        ...session,
        venue: { id: venue.id, name: venue.name, address: venue.address },
        durationMinutes: (Date.parse(session.endsAt) - Date.parse(session.startsAt)) / 60_000,
        confirmed,
        waitlisted: regs.length - confirmed,
        seatsLeft: Math.max(0, (s.seats as number) - confirmed),
        platformDemand,
        languageDemand: withSeniors ? languageDemand : atLeast3(languageDemand),
        topicDemand: withSeniors ? topicDemand : atLeast3(topicDemand),
        guides: (guidesOf.get(s.id as string) ?? []).map((a) => ({
          assignmentId: a.id,
          guideId: a.guide_id,
          name: a.name,
          status: a.status,
          pinned: bool(a.pinned),
          response: a.response,
          conflict:
            scheduled && a.conflict ? (json<Reason[] | null>(a.conflict) ? said(json(a.conflict)) : null) : null,
        })),
        openPlaces: (vacanciesOf.get(s.id as string) ?? []).map((v) => ({
          guide: v.name,
          asked: offers.filter((o) => o.vacancy_id === v.id).map((o) => o.name),
          since: iso(v.created_at),
        })),
        registrations: withSeniors
          ? regs.map((r) => ({
              id: r.id,
              seniorId: r.senior_id,
              displayName: r.display_name,
              status: r.status,
              devices: devices.get(r),
              topic: r.topic,
            }))
          : [],
        pairs: (
          (paired.get(s.id as string) ?? []) as { seniorId: string; guideId: string | null; reasons: Reason[] }[]
        ).map((x) => ({ seniorId: x.seniorId, guideId: x.guideId, reasons: said(x.reasons) })),
      };
    });
    res.json({ municipalityId, week, from: monday, to: sunday, sessions: out, totals });
  }),
);

/** A guide's signed link: the signature, the link's row, the guide (services/guide-links.service.ts). */
async function guideByLink(token: string): Promise<Row> {
  const signed = signer.verify(token, 'access');
  if (!signed || signed.expiresAt <= new Date()) throw new HttpError(401, 'invalid_link');
  const link = await db.get('SELECT guide_id, revoked_at FROM guide_links WHERE id = $1', [signed.linkId]);
  if (!link || link.revoked_at) throw new HttpError(401, 'link_revoked');
  const guide = await db.get(
    'SELECT id, municipality_id, name, max_minutes_per_week, active FROM guides WHERE id = $1',
    [link.guide_id],
  );
  if (!guide || !bool(guide.active)) throw new HttpError(401, 'invalid_link');
  return guide;
}

const answerUrl = (id: string, purpose: string, endsAt: Date, now: Date) =>
  `${publicUrl}/svar/${encodeURIComponent(signer.sign(`${id}~${now.getTime()}`, purpose, endsAt))}`;

app.get(
  '/api/v1/guide/me',
  handle(async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const guide = await guideByLink(token);
    const id = guide.id as string;
    const now = new Date();
    const today = instantToLocal(now, process.env.TIME_ZONE ?? 'Europe/Stockholm').date;
    const month = today.slice(0, 7);
    const from = `${month}-01`;
    const to = addDays(`${nextMonth(month)}-01`, -1);
    const [platforms, languages, availability, unavailable, upcoming, recent, planned, worked] = await Promise.all([
      db.all('SELECT platform, level FROM guide_platforms WHERE guide_id = $1', [id]),
      db.all('SELECT language, level FROM guide_languages WHERE guide_id = $1', [id]),
      db.all('SELECT weekday, start_time, end_time, valid_from, valid_to FROM guide_availability WHERE guide_id = $1', [
        id,
      ]),
      db.all('SELECT date, reason FROM guide_unavailable_dates WHERE guide_id = $1', [id]),
      db.all(
        `SELECT a.id AS assignment_id, a.response, v.name AS venue_name, ${SESSION_COLUMNS}
         FROM assignments a JOIN sessions s ON s.id = a.session_id JOIN venues v ON v.id = s.venue_id
         WHERE a.status = 'published' AND a.guide_id = $1 AND s.status = 'scheduled' AND s.ends_at > $2
         ORDER BY s.starts_at LIMIT 100`,
        [id, db.stored(now)],
      ),
      db.all(
        `SELECT v.name AS venue_name, ${SESSION_COLUMNS},
                EXISTS (SELECT 1 FROM session_reports r WHERE r.session_id = s.id) AS reported
         FROM assignments a JOIN sessions s ON s.id = a.session_id JOIN venues v ON v.id = s.venue_id
         WHERE a.status = 'published' AND a.guide_id = $1 AND s.status = 'scheduled'
           AND s.local_date BETWEEN $2 AND $3 AND s.starts_at <= $4
         ORDER BY s.local_date DESC`,
        [id, addDays(today, -REPORT_DAYS), today, db.stored(now)],
      ),
      // One guide's published minutes in the month (whole cafés, as the service rounds them).
      db.all(
        `SELECT s.starts_at, s.ends_at FROM assignments a JOIN sessions s ON s.id = a.session_id
         WHERE a.guide_id = $1 AND a.status = 'published' AND s.municipality_id = $2 AND s.status = 'scheduled'
           AND s.local_date BETWEEN $3 AND $4`,
        [id, guide.municipality_id, from, to],
      ),
      db.get(
        `SELECT SUM(minutes) AS minutes, COUNT(*) AS n FROM guide_shifts
         WHERE guide_id = $1 AND municipality_id = $2 AND status = 'worked' AND local_date BETWEEN $3 AND $4`,
        [id, guide.municipality_id, from, to],
      ),
    ]);
    const near = [...upcoming, ...recent].filter(
      (s) => (s.local_date as string) >= addDays(today, -1) && (s.local_date as string) <= addDays(today, 1),
    );
    const mine = near.length ? await pairs(near, now, true) : new Map();
    const theirs = (sessionId: unknown) =>
      (
        (mine.get(sessionId as string) ?? []) as {
          guideId: string | null;
          displayName: string;
          devices: Device[];
          topic: string | null;
          language: string | null;
        }[]
      )
        .filter((x) => x.guideId === id)
        .map((x) => ({ displayName: x.displayName, devices: x.devices, topic: x.topic, language: x.language }));
    const times = (s: Row) => ({
      sessionId: s.id,
      localDate: s.local_date,
      startTime: instantToLocal(db.instant(s.starts_at), s.time_zone as string).time,
      endTime: instantToLocal(db.instant(s.ends_at), s.time_zone as string).time,
    });
    const plannedMinutes = planned.reduce(
      (sum, s) => sum + Math.round((db.instant(s.ends_at).getTime() - db.instant(s.starts_at).getTime()) / 60_000),
      0,
    );
    const byText = (key: string) => (a: Row, b: Row) => String(a[key]).localeCompare(String(b[key]));
    res.json({
      id,
      name: guide.name,
      platforms: platforms.sort(byText('platform')).map((x) => ({ platform: x.platform, level: x.level })),
      languages: languages.sort(byText('language')).map((x) => ({ language: x.language, level: x.level })),
      availability: availability
        .sort(
          (a, b) =>
            String(a.valid_from ?? '').localeCompare(String(b.valid_from ?? '')) ||
            (a.weekday as number) - (b.weekday as number) ||
            String(a.start_time).localeCompare(String(b.start_time)),
        )
        .map((a) => ({
          weekday: weekdayName(a.weekday as number),
          start: a.start_time,
          end: a.end_time,
          validFrom: a.valid_from,
          validTo: a.valid_to,
        })),
      unavailableDates: unavailable.sort(byText('date')).map((u) => ({ date: u.date, reason: u.reason })),
      maxHoursPerWeek: (guide.max_minutes_per_week as number) / 60,
      assignments: upcoming.map((s) => {
        const endsAt = db.instant(s.ends_at);
        return {
          assignmentId: s.assignment_id,
          venue: s.venue_name,
          response: s.response,
          confirmUrl: answerUrl(s.assignment_id as string, 'confirm', endsAt, now),
          declineUrl: answerUrl(s.assignment_id as string, 'decline', endsAt, now),
          seniors: theirs(s.id),
          ...times(s),
        };
      }),
      recent: recent.map((s) => ({
        ...times(s),
        venue: s.venue_name,
        reported: bool(s.reported),
        seniors: theirs(s.id),
      })),
      month,
      plannedMinutes: planned.length ? plannedMinutes : 0,
      workedMinutes: Number(worked?.minutes ?? 0),
    });
  }),
);

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** A registration as the API gives it, with its place on the waiting list. */
async function registrationJson(t: Db, r: Row, displayName: string) {
  let waitlistPosition: number | null = null;
  if (r.status === 'waitlisted') {
    const queue = await t.all(
      "SELECT id FROM registrations WHERE session_id = $1 AND status = 'waitlisted' ORDER BY queue_number",
      [r.session_id],
    );
    waitlistPosition = queue.findIndex((q) => q.id === r.id) + 1;
  }
  return {
    id: r.id,
    sessionId: r.session_id,
    seniorId: r.senior_id,
    displayName,
    status: r.status,
    waitlistPosition,
    devices: json(r.devices),
    topic: r.topic ?? null,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

app.post(
  '/api/v1/sessions/:id/registrations',
  handle(async (req, res) => {
    const p = await authenticate(req, PLANNERS);
    const sessionId = String(req.params.id);
    const body = req.body as { seniorId?: unknown; devices?: unknown; topic?: unknown };
    if (!UUID.test(sessionId) || typeof body?.seniorId !== 'string' || !UUID.test(body.seniorId))
      throw new HttpError(400, 'validation');
    const owner = await db.get('SELECT municipality_id FROM sessions WHERE id = $1', [sessionId]);
    if (!owner || !seesMunicipality(p, owner.municipality_id as string)) throw new HttpError(404, 'not_found');
    const seniorOwner = await db.get('SELECT municipality_id FROM seniors WHERE id = $1', [body.seniorId]);
    if (!seniorOwner || !seesMunicipality(p, seniorOwner.municipality_id as string))
      throw new HttpError(422, 'unknown_reference');
    const now = new Date();
    const out = await db.tx(async (t) => {
      const s = (await t.get(
        `SELECT id, municipality_id, status, ends_at, seats FROM sessions WHERE id = $1 ${t.forUpdate}`,
        [sessionId],
      ))!;
      if (s.status === 'cancelled') throw new HttpError(409, 'session_cancelled');
      if (t.instant(s.ends_at) <= now) throw new HttpError(409, 'session_over');
      const senior = await t.get(
        'SELECT id, display_name, devices, erased_at FROM seniors WHERE id = $1 AND municipality_id = $2',
        [body.seniorId, s.municipality_id],
      );
      if (!senior) throw new HttpError(422, 'unknown_reference');
      if (senior.erased_at) throw new HttpError(409, 'senior_erased');
      const before = await t.get(
        'SELECT id, status, created_at FROM registrations WHERE session_id = $1 AND senior_id = $2',
        [sessionId, senior.id],
      );
      if (before && before.status !== 'cancelled') throw new HttpError(409, 'already_registered');
      const counts = (await t.get(
        "SELECT COUNT(CASE WHEN status = 'confirmed' THEN 1 END) AS seated, MAX(queue_number) AS last FROM registrations WHERE session_id = $1",
        [sessionId],
      ))!;
      const status = Number(counts.seated) < (s.seats as number) ? 'confirmed' : 'waitlisted';
      const devices = Array.isArray(body.devices) ? JSON.stringify(body.devices) : (senior.devices as string);
      const topic = typeof body.topic === 'string' ? body.topic : null;
      const queueNumber = Number(counts.last ?? 0) + 1;
      const id = (before?.id as string) ?? randomUUID();
      const at = t.stored(now);
      if (before)
        await t.run(
          `UPDATE registrations SET queue_number = $1, status = $2, devices = $3, topic = $4, queued_at = $5,
             cancelled_at = NULL, regular_id = NULL, updated_at = $5 WHERE id = $6`,
          [queueNumber, status, devices, topic, at, id],
        );
      else
        await t.run(
          `INSERT INTO registrations (id, session_id, senior_id, status, devices, topic, queued_at, queue_number,
             cancelled_at, created_at, updated_at, regular_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $7, $7, NULL)`,
          [id, sessionId, senior.id, status, devices, topic, at, queueNumber],
        );
      await t.run(
        `INSERT INTO audit_log (id, at, actor_type, actor_id, municipality_id, action, entity_type, entity_id, fields)
         VALUES ($1, $2, 'user', $3, $4, 'registration.create', 'registration', $5, '[]')`,
        [randomUUID(), at, p.userId, s.municipality_id, id],
      );
      // Platforms the senior brings that no guide on the café knows. The bench only sends
      // seniors whose platforms are covered; who else could come is the engine's question.
      let uncovered: unknown[] = [];
      if (status === 'confirmed') {
        const known = new Set(
          (
            await t.all(
              'SELECT DISTINCT p.platform FROM assignments a JOIN guide_platforms p ON p.guide_id = a.guide_id WHERE a.session_id = $1',
              [sessionId],
            )
          ).map((r) => r.platform as string),
        );
        const missing = [...new Set(json<Device[]>(devices).map((d) => d.platform))].filter((x) => !known.has(x));
        if (missing.length) throw new HttpError(501, 'uncovered_platforms_not_in_baseline');
        uncovered = [];
      }
      const row: Row = {
        id,
        session_id: sessionId,
        senior_id: senior.id,
        status,
        devices,
        topic,
        created_at: before ? before.created_at : at,
        updated_at: at,
      };
      return { ...(await registrationJson(t, row, senior.display_name as string)), uncovered };
    });
    res.status(201).json(out);
  }),
);

app.post(
  '/api/v1/registrations/:id/cancel',
  handle(async (req, res) => {
    const p = await authenticate(req, PLANNERS);
    const id = String(req.params.id);
    if (!UUID.test(id)) throw new HttpError(400, 'validation');
    const owner = await db.get(
      'SELECT s.municipality_id FROM registrations r JOIN sessions s ON s.id = r.session_id WHERE r.id = $1',
      [id],
    );
    if (!owner || !seesMunicipality(p, owner.municipality_id as string)) throw new HttpError(404, 'not_found');
    const now = new Date();
    const out = await db.tx(async (t) => {
      const found = await t.get(
        'SELECT r.id, r.session_id, r.senior_id, r.status, r.devices, r.topic, r.created_at, r.updated_at, n.display_name FROM registrations r JOIN seniors n ON n.id = r.senior_id WHERE r.id = $1',
        [id],
      );
      if (!found) throw new HttpError(404, 'not_found');
      const s = (await t.get(
        `SELECT id, municipality_id, status, ends_at, seats FROM sessions WHERE id = $1 ${t.forUpdate}`,
        [found.session_id],
      ))!;
      if (found.status !== 'cancelled' && t.instant(s.ends_at) <= now) throw new HttpError(409, 'session_over');
      if (found.status !== 'cancelled') {
        const at = t.stored(now);
        await t.run("UPDATE registrations SET status = 'cancelled', cancelled_at = $1, updated_at = $1 WHERE id = $2", [
          at,
          id,
        ]);
        await t.run(
          `INSERT INTO audit_log (id, at, actor_type, actor_id, municipality_id, action, entity_type, entity_id, fields)
           VALUES ($1, $2, 'user', $3, $4, 'registration.cancel', 'registration', $5, '[]')`,
          [randomUUID(), at, p.userId, s.municipality_id, id],
        );
        // The freed seat goes to the first on the waiting list.
        if (s.status === 'scheduled') {
          const seated = (await t.get(
            "SELECT COUNT(*) AS n FROM registrations WHERE session_id = $1 AND status = 'confirmed'",
            [s.id],
          ))!;
          const free = (s.seats as number) - Number(seated.n);
          if (free > 0) {
            const next = await t.all(
              "SELECT id FROM registrations WHERE session_id = $1 AND status = 'waitlisted' ORDER BY queue_number LIMIT $2",
              [s.id, free],
            );
            for (const r of next)
              await t.run("UPDATE registrations SET status = 'confirmed', updated_at = $1 WHERE id = $2", [at, r.id]);
          }
        }
        Object.assign(found, { status: 'cancelled', updated_at: at });
      }
      return registrationJson(t, found, found.display_name as string);
    });
    res.json(out);
  }),
);

/** The owner check of a contract (domain/access.ts `sees`): staff by their association, the rest by the municipality. */
function seesContract(p: Principal, c: Row): boolean {
  if (p.role === 'admin') return true;
  if (p.role === 'association_staff') return p.associationIds!.includes(c.association_id as string);
  return p.municipalityIds!.includes(c.municipality_id as string);
}

type Counts = Record<string, number>;
const num = (v: unknown) => Number(v ?? 0);
const zero = (keys: string[]): Counts => Object.fromEntries(keys.map((k) => [k, 0]));
const TOTAL = '*';

/** A contract's figures for a period (services/reports.service.ts), in the same SQL, by hand. */
async function reportFigures(contract: Row, period: string) {
  const range0 = periodRange(period);
  const startsOn = contract.starts_on as string;
  const endsOn = contract.ends_on as string;
  const from = range0.from < startsOn ? startsOn : range0.from;
  const to = range0.to > endsOn ? endsOn : range0.to;
  if (from > to) throw new HttpError(422, 'period_outside_contract');
  const [municipality, association] = await Promise.all([
    db.get('SELECT id, name FROM organisations WHERE id = $1', [contract.municipality_id]),
    db.get('SELECT id, name FROM organisations WHERE id = $1', [contract.association_id]),
  ]);
  // $1 municipality, $2 association, $3 from, $4 to: the cafés the contract's report counts.
  const own = (a: string) =>
    `(${a}.association_id = $2 OR (${a}.association_id IS NULL AND NOT EXISTS (SELECT 1 FROM contracts o WHERE o.municipality_id = ${a}.municipality_id AND o.association_id <> $2 AND ${a}.local_date BETWEEN o.starts_on AND o.ends_on)))`;
  const ids = `SELECT c.id FROM sessions c WHERE c.municipality_id = $1 AND c.local_date BETWEEN $3 AND $4 AND ${own('c')}`;
  const cafes = {
    session: own('x'),
    bySession: `x.session_id IN (${ids})`,
    byReport: `x.report_id IN (SELECT r.id FROM session_reports r WHERE r.session_id IN (${ids}))`,
    none: '1 = 1',
  };
  const where = (table: string, link: keyof typeof cafes) =>
    `FROM ${table} x WHERE x.municipality_id = $1 AND x.local_date BETWEEN $3 AND $4 AND ${cafes[link]}`;
  const args = (f = from) => [contract.municipality_id, contract.association_id, f, to];
  const scopes = new Map<string, ReturnType<typeof emptyScope>>();
  const emptyScope = () => ({
    sessions: { planned: 0, held: 0, unreported: 0, cancelled: 0, upcoming: 0 },
    visits: 0,
    registeredVisits: 0,
    walkInVisits: 0,
    anonymousVisits: 0,
    uniqueVisitors: 0,
    repeatVisitors: 0,
    helpedAgain: 0,
    sinceContractStart: { uniqueVisitors: 0, repeatVisitors: 0 },
    ageBands: zero([...AGE_BANDS, 'unknown']),
    gender: zero([...GENDERS, 'unknown']),
    newlyArrived: 0,
    seniorNoShows: 0,
    topics: {} as Counts,
    platforms: {} as Counts,
    topicsByPlatform: {} as Counts,
    sessionsNotBrokenDown: 0,
    guideShifts: 0,
    guideMinutes: 0,
    guideNoShows: 0,
    seniorsPerGuide: null as number | null,
  });
  const scope = (key: string) => {
    let s = scopes.get(key);
    if (!s) scopes.set(key, (s = emptyScope()));
    return s;
  };
  const both = (venue: unknown) => [scope(venue as string), scope(TOTAL)];

  const reasons = new Map<string, number>();
  for (const r of await db.all(
    `SELECT x.venue_id AS venue, x.status, x.cancel_reason AS reason, COUNT(*) AS n ${where('sessions', 'session')}
     GROUP BY x.venue_id, x.status, x.cancel_reason`,
    args(),
  )) {
    for (const s of both(r.venue)) {
      s.sessions.planned += num(r.n);
      if (r.status === 'cancelled') s.sessions.cancelled += num(r.n);
    }
    const reason = (r.reason as string) ?? '';
    if (r.status === 'cancelled') reasons.set(reason, (reasons.get(reason) ?? 0) + num(r.n));
  }
  for (const r of await db.all(
    `SELECT x.venue_id AS venue, COUNT(*) AS n ${where('session_reports', 'bySession')} GROUP BY x.venue_id`,
    args(),
  ))
    for (const s of both(r.venue)) s.sessions.held += num(r.n);
  const open = await db.all(
    `SELECT x.id, x.venue_id, x.local_date, x.starts_at, x.ends_at, x.time_zone ${where('sessions', 'session')}
       AND x.status = 'scheduled' AND NOT EXISTS (SELECT 1 FROM session_reports r WHERE r.session_id = x.id)
     ORDER BY x.starts_at`,
    args(),
  );
  const now = new Date();
  const over = (x: Row) => db.instant(x.ends_at) <= now;
  for (const x of open) for (const s of both(x.venue_id)) s.sessions[over(x) ? 'unreported' : 'upcoming']++;

  for (const r of await db.all(
    `SELECT x.venue_id AS venue, x.kind, x.present, CASE WHEN x.senior_id IS NULL THEN 1 ELSE 0 END AS anon,
            SUM(x.count) AS n ${where('attendances', 'bySession')}
     GROUP BY x.venue_id, x.kind, x.present, CASE WHEN x.senior_id IS NULL THEN 1 ELSE 0 END`,
    args(),
  )) {
    const present = r.present === true || num(r.present) === 1;
    for (const s of both(r.venue)) {
      if (!present) {
        s.seniorNoShows += num(r.n);
        continue;
      }
      s.visits += num(r.n);
      if (r.kind === 'registered') s.registeredVisits += num(r.n);
      else s.walkInVisits += num(r.n);
      if (num(r.anon) === 1) s.anonymousVisits += num(r.n);
    }
  }

  for (const sinceStart of [false, true]) {
    const a = args(sinceStart ? startsOn : from);
    const base = `${where('attendances', 'bySession')} AND x.present = TRUE`;
    const person = (byVenue: boolean) =>
      db.all(
        `SELECT ${byVenue ? 'x.venue_id' : `'${TOTAL}'`} AS venue, x.senior_id AS senior, SUM(x.count) AS visits,
           MAX(CASE x.age_band WHEN 'under_65' THEN 1 WHEN '65_74' THEN 2 WHEN '75_plus' THEN 3 END) AS age,
           MAX(x.gender) AS gender, MAX(CASE WHEN x.newly_arrived THEN 1 ELSE 0 END) AS newly
         ${base} AND x.senior_id IS NOT NULL GROUP BY ${byVenue ? 'x.venue_id, x.senior_id' : 'x.senior_id'}`,
        a,
      );
    for (const byVenue of [true, false])
      for (const r of await person(byVenue)) {
        const s = scope(r.venue as string);
        const repeat = num(r.visits) >= 2 ? 1 : 0;
        if (sinceStart) {
          s.sinceContractStart.uniqueVisitors++;
          s.sinceContractStart.repeatVisitors += repeat;
          continue;
        }
        s.uniqueVisitors++;
        s.repeatVisitors += repeat;
        s.ageBands[r.age ? AGE_BANDS[num(r.age) - 1] : 'unknown']++;
        s.gender[(r.gender as string) ?? 'unknown']++;
        s.newlyArrived += num(r.newly);
      }
    for (const r of await db.all(
      `SELECT x.venue_id AS venue, x.age_band AS age, x.gender, CASE WHEN x.newly_arrived THEN 1 ELSE 0 END AS newly,
              SUM(x.count) AS n ${base} AND x.senior_id IS NULL
       GROUP BY x.venue_id, x.age_band, x.gender, CASE WHEN x.newly_arrived THEN 1 ELSE 0 END`,
      a,
    ))
      for (const s of both(r.venue)) {
        if (sinceStart) {
          s.sinceContractStart.uniqueVisitors += num(r.n);
          continue;
        }
        s.uniqueVisitors += num(r.n);
        s.ageBands[(r.age as string) ?? 'unknown'] += num(r.n);
        s.gender[(r.gender as string) ?? 'unknown'] += num(r.n);
        if (num(r.newly) === 1) s.newlyArrived += num(r.n);
      }
  }

  const again = `${where('attendances', 'bySession')}
    AND x.present = TRUE AND x.senior_id IS NOT NULL AND x.helped_by_guide_id IS NOT NULL
    AND EXISTS (SELECT 1 FROM attendances b WHERE b.senior_id = x.senior_id AND b.helped_by_guide_id = x.helped_by_guide_id AND b.present = TRUE AND b.local_date < x.local_date)`;
  for (const r of await db.all(
    `SELECT x.venue_id AS venue, COUNT(DISTINCT x.senior_id) AS n ${again} GROUP BY x.venue_id`,
    args(),
  ))
    scope(r.venue as string).helpedAgain += num(r.n);
  scope(TOTAL).helpedAgain = num((await db.get(`SELECT COUNT(DISTINCT x.senior_id) AS n ${again}`, args()))?.n);

  for (const r of await db.all(
    `SELECT x.venue_id AS venue, x.dimension, x.key, SUM(x.count) AS n ${where('report_help', 'byReport')}
     GROUP BY x.venue_id, x.dimension, x.key`,
    args(),
  ))
    for (const s of both(r.venue)) {
      const counts = r.dimension === 'topic' ? s.topics : s.platforms;
      counts[r.key as string] = (counts[r.key as string] ?? 0) + num(r.n);
    }
  for (const r of await db.all(
    `SELECT x.venue_id AS venue, x.platform, x.topic, SUM(x.count) AS n ${where('report_help_cells', 'byReport')}
     GROUP BY x.venue_id, x.platform, x.topic`,
    args(),
  ))
    for (const s of both(r.venue)) {
      const key = `${String(r.platform)}:${String(r.topic)}`;
      s.topicsByPlatform[key] = (s.topicsByPlatform[key] ?? 0) + num(r.n);
    }
  for (const r of await db.all(
    `SELECT x.venue_id AS venue, COUNT(*) AS n ${where('session_reports', 'bySession')}
       AND EXISTS (SELECT 1 FROM report_help h WHERE h.report_id = x.id)
       AND NOT EXISTS (SELECT 1 FROM report_help_cells c WHERE c.report_id = x.id)
     GROUP BY x.venue_id`,
    args(),
  ))
    for (const s of both(r.venue)) s.sessionsNotBrokenDown += num(r.n);

  const guideRows = await db.all(
    `SELECT x.guide_id AS guide, x.venue_id AS venue, x.status, x.substitute, COUNT(*) AS n, SUM(x.minutes) AS minutes
     ${where('guide_shifts', 'none')} AND x.association_id = $2
     GROUP BY x.guide_id, x.venue_id, x.status, x.substitute`,
    args(),
  );
  const perGuide = new Map<string, { shifts: number; minutes: number; noShows: number; substituteShifts: number }>();
  for (const r of guideRows) {
    const key = r.guide as string;
    const g = perGuide.get(key) ?? { shifts: 0, minutes: 0, noShows: 0, substituteShifts: 0 };
    perGuide.set(key, g);
    if (r.status === 'worked') {
      g.shifts += num(r.n);
      g.minutes += num(r.minutes);
      if (r.substitute === true || num(r.substitute) === 1) g.substituteShifts += num(r.n);
    } else g.noShows += num(r.n);
    for (const s of both(r.venue))
      if (r.status === 'worked') {
        s.guideShifts += num(r.n);
        s.guideMinutes += num(r.minutes);
      } else s.guideNoShows += num(r.n);
  }
  const venueIds = await db.all(`SELECT DISTINCT x.venue_id AS venue ${where('sessions', 'session')}`, args());
  const venues = venueIds.length
    ? await db.all(`SELECT id, name FROM venues WHERE id ${db.inList(1)}`, [
        db.list(venueIds.map((v) => v.venue as string)),
      ])
    : [];
  const guideIds = [...new Set(guideRows.map((r) => r.guide as string))];
  const guides = guideIds.length
    ? await db.all(`SELECT id, name FROM guides WHERE id ${db.inList(1)}`, [db.list(guideIds)])
    : [];
  const finish = (s: ReturnType<typeof emptyScope>) =>
    Object.assign(s, { seniorsPerGuide: s.guideShifts ? Math.round((s.visits / s.guideShifts) * 10) / 10 : null });
  const name = (r: Row) => r.name as string;
  return {
    period,
    from,
    to,
    contract: {
      id: contract.id as string,
      reference: contract.reference as string | null,
      startsOn,
      endsOn,
    },
    municipality: { id: municipality!.id as string, name: name(municipality!) },
    association: { id: association!.id as string, name: name(association!) },
    total: {
      ...finish(scope(TOTAL)),
      cancelReasons: [...reasons]
        .map(([reason, sessions]) => ({ reason, sessions }))
        .sort((a, b) => b.sessions - a.sessions || a.reason.localeCompare(b.reason)),
      unreportedSessions: open.filter(over).map((x) => ({
        sessionId: x.id as string,
        localDate: x.local_date as string,
        startTime: instantToLocal(db.instant(x.starts_at), x.time_zone as string).time,
        venue: (venues.find((v) => v.id === x.venue_id)?.name as string) ?? '',
      })),
    },
    venues: venues
      .map((v) => ({ venueId: v.id as string, name: name(v), ...finish(scope(v.id as string)) }))
      .sort((a, b) => a.name.localeCompare(b.name, 'sv')),
    guides: guides
      .map((g) => ({
        guideId: g.id as string,
        name: name(g),
        ...(perGuide.get(g.id as string) ?? { shifts: 0, minutes: 0, noShows: 0, substituteShifts: 0 }),
      }))
      .sort((a, b) => a.name.localeCompare(b.name, 'sv')),
  };
}

app.get(
  '/api/v1/contracts/:id/reports/:period',
  handle(async (req, res) => {
    const p = await authenticate(req, EVERYONE);
    const id = String(req.params.id);
    const period = String(req.params.period);
    if (!UUID.test(id) || !/^(\d{4})(-(0[1-9]|1[0-2])|-Q[1-4])?$/.test(period)) throw new HttpError(400, 'validation');
    const contract = await db.get(
      'SELECT id, municipality_id, association_id, reference, starts_on, ends_on FROM contracts WHERE id = $1',
      [id],
    );
    if (!contract || !seesContract(p, contract)) throw new HttpError(404, 'not_found');
    // Small counts are hidden by the same pure suppression as the service's (reports/output.ts).
    res.json(await publicReport(await reportFigures(contract, period)));
  }),
);

app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
  if (err instanceof HttpError) res.status(err.status).json({ error: { code: err.code } });
  else {
    console.error(err);
    res.status(500).json({ error: { code: 'internal' } });
  }
});

// The service's own HTTP server (src/http/server.ts): express with requests made as its own.
const { server, serve } = appServer();
serve(app);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`listens on http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
