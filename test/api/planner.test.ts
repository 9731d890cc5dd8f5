import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { DataSource, EntityManager } from 'typeorm';
import { Assignment, Session, Venue } from '../../src/db/entities';
import Database from 'better-sqlite3';
import { mayGiveWay } from '../../src/db/store';
import { giveWay } from '../../src/services/bulk';
import { VENUE_KINDS } from '../../src/domain/vocabulary';
import type { PlannerPool } from '../../src/lib/planner';
import * as raw from '../../src/services/raw';
import { buildGuide, buildSeries, buildVenue, createWorld } from '../factories';
import { createTestApp, type TestApp } from '../support/app';

/**
 * Planning never stalls the service: the engine works in the planner's worker threads, so other
 * requests, and other writes, are answered while a plan is worked out. A plan beyond the pool's
 * threads and queue is refused with 503 planner_busy; a worker that dies answers 503
 * planner_failed and the next plan works. No timing is asserted: the tests wait until the engine
 * is at work (the planner counts its plans), then ask.
 */

const PLATFORMS = ['ios', 'android', 'windows', 'macos'] as const;
const TERM = { from: '2027-01-04', to: '2027-05-30', timeLimitMs: 30_000 };

/** A municipality's term big enough for the engine to work a while: 10 venues, two cafés a week each, 60 guides. */
async function term(t: TestApp) {
  const world = await createWorld(t.services);
  const municipalityId = world.municipality.id;
  for (let v = 0; v < 10; v++) {
    const venue = v ? await t.services.venues.create(buildVenue(municipalityId)) : world.venue;
    for (const weekday of ['tue', 'thu'] as const)
      await t.services.series.create(buildSeries(venue.id, { weekday, lastDate: '2027-05-27' }));
  }
  const guides: string[] = [];
  for (let g = 0; g < 60; g++) {
    const guide = await t.services.guides.create(
      buildGuide(world.association.id, municipalityId, {
        platforms: [PLATFORMS[g % 4], PLATFORMS[(g + 1) % 4]].map((platform) => ({ platform, level: 'good' })),
        availability: [
          { weekday: 'tue', start: '13:00', end: '18:00' },
          { weekday: 'thu', start: '13:00', end: '18:00' },
        ],
      }),
    );
    guides.push(guide.id);
  }
  const coordinator = await t.tokenFor('coordinator', municipalityId);
  const first = await t.dataSource.getRepository(Session).findOneOrFail({
    where: { municipalityId },
    order: { startsAt: 'ASC', id: 'ASC' },
  });
  return { municipalityId, coordinator, guides, firstSession: first.id };
}

/** Polls until the condition holds (the event loop is free for it only if the engine is elsewhere). */
async function until(what: string, condition: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Still waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** A promise the test settles itself. */
function hold() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A plan request under way; `answered` turns true when its answer arrives. */
function startPlan(t: TestApp, token: string, municipalityId: string) {
  const state = { answered: false };
  const response = t
    .http(token)
    .post(`/api/v1/municipalities/${municipalityId}/plans`)
    .send(TERM)
    .then((res) => {
      state.answered = true;
      return res;
    });
  return { state, response };
}

// A term of 400 cafés planned several times, on a machine shared with other work.
jest.setTimeout(120_000);

describe('The planner off the event loop', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof term>>;
  const pool = () => t.planner as PlannerPool;

  let closed = false;

  const countPlans = async () => Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM plans'))[0].n);

  /** A coordinator takes a guide off one of the term's cafés (through the API); the assignment's id. */
  async function removeOne(): Promise<string> {
    const [row] = await t.dataSource.getRepository(Assignment).find({ take: 1, order: { id: 'ASC' } });
    await t.http(w.coordinator).delete(`/api/v1/assignments/${row.id}`).expect(200);
    return row.id;
  }

  /**
   * Each plan the service asks of the planner runs in the pool as always; once its worker has
   * begun, `meanwhile` runs, and the plan's answer reaches the service only after it. Undone by the
   * function returned.
   */
  function holdPlans(meanwhile: () => Promise<unknown>): () => void {
    const planner = pool();
    const own = Object.getOwnPropertyDescriptor(planner, 'run');
    const real = planner.run.bind(planner);
    planner.run = async (input) => {
      let settled = false;
      const answer = real(input);
      answer.then(
        () => (settled = true),
        () => (settled = true),
      );
      await until('the engine at work in its worker', () => planner.working > 0 || settled);
      await meanwhile();
      return answer;
    };
    return () => {
      if (own) Object.defineProperty(planner, 'run', own);
      else delete (planner as { run?: unknown }).run;
    };
  }

  beforeAll(async () => {
    // One thread and no queue: a second plan at once is refused. Its own pool, ended with the app.
    t = await createTestApp('2026-11-24T09:00:00Z', { planner: { threads: 1, queue: 0 } });
    w = await term(t);
  }, 180_000);
  afterAll(async () => {
    if (!closed) await t?.close();
  });

  it('answers other requests, and stores other changes, while a plan is worked out; the plan keeps what changed meanwhile', async () => {
    // The plan's answer is held until the change below is stored, so the order is the test's, not the clock's.
    const changed = hold();
    const release = holdPlans(() => changed.promise);
    try {
      const plan = startPlan(t, w.coordinator, w.municipalityId);
      await until('the engine at work in its worker', () => pool().working > 0);
      // Answered while the engine works: the event loop is free, the engine is in the worker.
      const health = await request(t.app)
        .get('/health')
        .then((res) => ({ status: res.status, planning: pool().working > 0 }));
      expect(health).toEqual({ status: 200, planning: true });
      await t.http(w.coordinator).get('/api/v1/auth/me').expect(200);
      // A coordinator puts a guide on the first café by hand while the plan is under way.
      const pinned = await t
        .http(w.coordinator)
        .post(`/api/v1/sessions/${w.firstSession}/assignments`)
        .send({ guideId: w.guides[0] })
        .expect(201);
      expect(plan.state.answered).toBe(false);
      changed.resolve();

      const res = await plan.response;
      expect(res.status).toBe(201);
      expect(res.body.assignments.length).toBeGreaterThan(300);
      // Planned again from what is stored now: the guide put on by hand is in the plan, pinned.
      expect(res.body.assignments).toContainEqual(
        expect.objectContaining({ id: pinned.body.id, sessionId: w.firstSession, guideId: w.guides[0], pinned: true }),
      );
      expect(t.planner.running).toBe(0);
    } finally {
      release();
    }
  });

  it('plans again outside the lock when the period changed: other writes are stored while it plans again', async () => {
    const removed: string[] = [];
    let plans = 0;
    const release = holdPlans(async () => {
      plans++;
      // While the engine works on the first plan and on the second (the one planned again,
      // which once ran under the municipality's lock), a coordinator takes a guide off a café.
      // Under the lock this write would wait for the plan, and the plan for it.
      if (plans <= 2) removed.push(await removeOne());
    });
    try {
      const res = await t.http(w.coordinator).post(`/api/v1/municipalities/${w.municipalityId}/plans`).send(TERM);
      expect(res.status).toBe(201);
      expect(plans).toBe(3);
      expect(removed).toHaveLength(2);
    } finally {
      release();
    }
  });

  it('answers 409 plan_input_changed and stores nothing when the period changed during every plan', async () => {
    const plansBefore = await countPlans();
    let plans = 0;
    const release = holdPlans(async () => {
      plans++;
      await removeOne();
    });
    try {
      const res = await t.http(w.coordinator).post(`/api/v1/municipalities/${w.municipalityId}/plans`).send(TERM);
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'plan_input_changed' });
      expect(plans).toBe(3);
      expect(await countPlans()).toEqual(plansBefore);
    } finally {
      release();
    }
  });

  /** Runs `before` just before the plan's next transaction (once), then the transaction as it is. */
  function beforeTransaction(before: () => Promise<unknown>): () => void {
    const store = t.store;
    const real = store.transactionApart.bind(store);
    const restore = () => delete (store as { transactionApart?: unknown }).transactionApart;
    store.transactionApart = (async (work: Parameters<typeof real>[0]) => {
      restore();
      await before();
      return real(work);
    }) as typeof store.transactionApart;
    return restore;
  }

  it('stores nothing planned from what changed just before its transaction, and plans again', async () => {
    // A coordinator's change that lands after the engine planned, just before the plan's
    // transaction, must not be written over: the transaction reads the period again and the
    // engine plans again.
    let plans = 0;
    const releasePlans = holdPlans(() => Promise.resolve(plans++));
    let removed: string | undefined;
    const restore = beforeTransaction(async () => (removed = await removeOne()));
    try {
      const res = await t.http(w.coordinator).post(`/api/v1/municipalities/${w.municipalityId}/plans`).send(TERM);
      expect(res.status).toBe(201);
      expect(removed).toBeDefined();
      // Planned again from what is stored now, not stored from the read made before the change.
      expect(plans).toBe(2);
      expect(res.body.assignments.map((a: { id: string }) => a.id)).not.toContain(removed);
    } finally {
      restore();
      releasePlans();
    }
  });

  it('does not plan again when only another municipality was written just before its transaction', async () => {
    const elsewhere = await createWorld(t.services);
    let plans = 0;
    const releasePlans = holdPlans(() => Promise.resolve(plans++));
    let written: string | undefined;
    const restore = beforeTransaction(
      async () => (written = (await t.services.venues.create(buildVenue(elsewhere.municipality.id))).id),
    );
    try {
      const res = await t.http(w.coordinator).post(`/api/v1/municipalities/${w.municipalityId}/plans`).send(TERM);
      expect(res.status).toBe(201);
      expect(written).toBeDefined();
      expect(plans).toBe(1);
      const got = await t.http(w.coordinator).get(`/api/v1/plans/${res.body.id}`).expect(200);
      expect(res.body).toEqual(got.body);
    } finally {
      restore();
      releasePlans();
    }
  });

  it('stores a plan in a transaction that lets others in: they see none of it, and a write elsewhere is stored after it', async () => {
    let res!: request.Response;
    const elsewhere = await createWorld(t.services);
    // Drafts of earlier tests go first, or this plan might keep them all and add none.
    await t.dataSource.getRepository(Assignment).delete({ status: 'draft' });
    const plansBefore = await countPlans();
    // sqlite: the transaction runs on a connection apart. While it is open and has written the plan
    // and some of its rows, a request on the service's own connection is answered and sees none of
    // them, and another municipality's change waits for it.
    const rawRows = raw.rawRows;
    let inserts = 0;
    let apart = 0;
    let meanwhile: { plans: number; health: number; written: boolean } | undefined;
    let write: Promise<unknown> | undefined;
    let written = false;
    const spy = jest.spyOn(raw, 'rawRows').mockImplementation(async (m, sql, params) => {
      const out = await rawRows(m, sql, params);
      if (/^INSERT INTO assignments \([^)]*\) VALUES /.test(sql)) {
        inserts++;
        if (m.connection !== t.dataSource) apart++;
        if (!meanwhile && m.connection !== t.dataSource) {
          write = t.services.venues.create(buildVenue(elsewhere.municipality.id)).then(() => (written = true));
          const health = await t.http().get('/health');
          meanwhile = { plans: await countPlans(), health: health.status, written };
        }
      }
      return out;
    });
    try {
      res = await t.http(w.coordinator).post(`/api/v1/municipalities/${w.municipalityId}/plans`).send(TERM);
      expect(res.status).toBe(201);
    } finally {
      spy.mockRestore();
    }
    expect(inserts).toBeGreaterThan(0);
    if (t.store.isPostgres) expect(apart).toBe(0);
    else {
      expect(apart).toBe(inserts);
      expect(meanwhile).toEqual({ plans: plansBefore, health: 200, written: false });
      await write;
      expect(written).toBe(true);
    }
    expect(await countPlans()).toBe(plansBefore + 1);
    // The answer is the plan as stored: every assignment, field by field.
    const got = await t.http(w.coordinator).get(`/api/v1/plans/${res.body.id}`).expect(200);
    expect(res.body).toEqual(got.body);
    const rows = await t.dataSource.getRepository(Assignment).find({ where: { planId: res.body.id } });
    expect(rows.map((a) => a.id).sort()).toEqual((res.body.assignments as { id: string }[]).map((a) => a.id).sort());
  });

  it('runs a transaction apart that lets others in, hides its writes until it commits, and keeps other writes waiting (sqlite)', async () => {
    const before = await t.dataSource.getRepository(Venue).count();
    if (t.store.isPostgres) {
      await t.store.transactionApart((m) => Promise.resolve(expect(mayGiveWay(m)).toBe(true)));
      return;
    }
    const newVenue = (m: EntityManager) =>
      m.save(Venue, {
        ...{ id: randomUUID(), municipalityId: w.municipalityId, name: 'Biblioteket', address: 'Torget 1' },
        ...{ kind: VENUE_KINDS[0], seats: 20, equipment: [], accessibilityNote: null, expectedWalkIns: 0 },
        ...{ active: true, createdAt: new Date(), updatedAt: new Date() },
      });
    let connection!: DataSource;
    let letIn!: () => void;
    const inside = new Promise<void>((resolve) => (letIn = resolve));
    const order: string[] = [];
    let venue!: Venue;
    /** Whether `giveWay` on this manager let a callback queued just before it run. */
    const gaveWay = async (m: EntityManager) => {
      let ran = false;
      setImmediate(() => (ran = true));
      await giveWay(m);
      return ran;
    };
    const apart = t.store.transactionApart(async (m) => {
      expect(mayGiveWay(m)).toBe(true);
      expect(await gaveWay(m)).toBe(true);
      connection = m.connection;
      venue = await newVenue(m);
      letIn();
      // Others go in while it is open: they read what was committed, and another write waits its turn.
      await new Promise((resolve) => setTimeout(resolve, 50));
      order.push('apart');
    });
    await inside;
    expect(await t.dataSource.getRepository(Venue).count()).toBe(before);
    // A job's lease is a write too: it waits its turn (outside the queue it would wait for the lock, and hold the thread).
    const job = t.services.jobs.run('reminders').then(() => order.push('job'));
    expect(await t.store.transaction(gaveWay)).toBe(false);
    order.push('queued');
    await apart;
    await job;
    expect(order[0]).toBe('apart');
    expect(order.sort()).toEqual(['apart', 'job', 'queued']);
    expect(await t.dataSource.getRepository(Venue).count()).toBe(before + 1);
    expect(await t.dataSource.getRepository(Venue).findOneBy({ id: venue.id })).not.toBeNull();
    // A transaction apart that fails stores nothing and leaves no transaction open on either connection.
    await expect(
      t.store.transactionApart(async (m) => {
        await newVenue(m);
        throw new Error('on purpose');
      }),
    ).rejects.toThrow('on purpose');
    expect(await t.dataSource.getRepository(Venue).count()).toBe(before + 1);
    expect(connection).not.toBe(t.dataSource);
    const inTransaction = (d: DataSource) =>
      (d.driver as unknown as { databaseConnection: { inTransaction: boolean } }).databaseConnection.inTransaction;
    expect([inTransaction(connection), inTransaction(t.dataSource)]).toEqual([false, false]);
    expect(await t.store.transaction(() => Promise.resolve('fine'))).toBe('fine');
    // Closed, it is opened again at the next use.
    await t.store.close();
    expect(connection.isInitialized).toBe(false);
    const again = await t.store.transactionApart((m) => Promise.resolve(m.connection));
    expect(again).not.toBe(connection);
    expect(again).not.toBe(t.dataSource);
  });

  it('holds sqlite’s write lock from the start of the plan’s transaction: another process’s write waits, and the plan is stored (sqlite)', async () => {
    if (t.store.isPostgres) return;
    // Another process on the same file (a command-line script), which would wait; here it may not wait at all.
    const other = new Database(t.dataSource.options.database as string);
    other.pragma('busy_timeout = 0');
    const plansBefore = await countPlans();
    const rawRows = raw.rawRows;
    let refused: string | undefined;
    const spy = jest.spyOn(raw, 'rawRows').mockImplementation(async (m, sql, params) => {
      // While the plan reads its period again, before its first write of its own.
      if (refused === undefined && m.connection !== t.dataSource) {
        try {
          other.prepare('UPDATE sessions SET status = status WHERE id = ?').run(w.firstSession);
          refused = 'not refused';
        } catch (err) {
          refused = (err as { code?: string }).code;
        }
      }
      return rawRows(m, sql, params);
    });
    try {
      const res = await t.http(w.coordinator).post(`/api/v1/municipalities/${w.municipalityId}/plans`).send(TERM);
      expect(res.status).toBe(201);
    } finally {
      spy.mockRestore();
    }
    expect(refused).toBe('SQLITE_BUSY');
    expect(await countPlans()).toBe(plansBefore + 1);
    // And once it is stored, the other process writes.
    other.prepare('UPDATE sessions SET status = status WHERE id = ?').run(w.firstSession);
    other.close();
  });

  it('answers 503 storage_unavailable when the disk is full for the plan’s transaction apart, stores nothing of it, and plans once there is room (sqlite)', async () => {
    if (t.store.isPostgres) return;
    let connection!: DataSource;
    await t.store.transactionApart((m) => Promise.resolve(void (connection = m.connection)));
    // No free room in the file, and no more pages for the connection apart: the plan's rows need some.
    await t.dataSource.getRepository(Assignment).delete({ status: 'draft' });
    await t.dataSource.query('VACUUM');
    const plansBefore = await countPlans();
    const pages = (await connection.query('PRAGMA page_count'))[0].page_count as number;
    await connection.query(`PRAGMA max_page_count = ${pages}`);
    try {
      const res = await t.http(w.coordinator).post(`/api/v1/municipalities/${w.municipalityId}/plans`).send(TERM);
      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({ code: 'storage_unavailable' });
      expect(await countPlans()).toBe(plansBefore);
      const inTransaction = (d: DataSource) =>
        (d.driver as unknown as { databaseConnection: { inTransaction: boolean } }).databaseConnection.inTransaction;
      expect([inTransaction(connection), inTransaction(t.dataSource)]).toEqual([false, false]);
    } finally {
      await connection.query('PRAGMA max_page_count = 1073741823');
    }
    await t.http().get('/health').expect(200);
    const res = await t.http(w.coordinator).post(`/api/v1/municipalities/${w.municipalityId}/plans`).send(TERM);
    expect(res.status).toBe(201);
    expect(await countPlans()).toBe(plansBefore + 1);
  });

  it('answers with the plan it stored, not with a change committed after it', async () => {
    // A coordinator takes a guide off a café as soon as the plan's transaction commits, before
    // the plan is answered: the answer is still the plan as stored, with that guide on.
    const store = t.store;
    const real = store.transactionApart.bind(store);
    let removed: string | undefined;
    store.transactionApart = (async (work: Parameters<typeof real>[0]) => {
      const result = await real(work);
      // The plan's transaction has committed: this change goes through the real transaction.
      delete (store as { transactionApart?: unknown }).transactionApart;
      removed = await removeOne();
      return result;
    }) as typeof store.transactionApart;
    try {
      const res = await t.http(w.coordinator).post(`/api/v1/municipalities/${w.municipalityId}/plans`).send(TERM);
      expect(res.status).toBe(201);
      expect(removed).toBeDefined();
      expect(res.body.assignments.map((a: { id: string }) => a.id)).toContain(removed);
    } finally {
      delete (store as { transactionApart?: unknown }).transactionApart;
    }
  });

  it('refuses a plan beyond the threads and the queue with 503 planner_busy and Retry-After, and plans the first', async () => {
    const first = startPlan(t, w.coordinator, w.municipalityId);
    await until('the engine at work', () => t.planner.running > 0);
    const second = await t.http(w.coordinator).post(`/api/v1/municipalities/${w.municipalityId}/plans`).send(TERM);
    expect(second.status).toBe(503);
    expect(second.headers['retry-after']).toBe('10');
    expect(second.body.error).toMatchObject({ code: 'planner_busy' });
    expect((await first.response).status).toBe(201);
  });

  it('answers 503 planner_failed when the worker dies mid-plan, stores nothing, and plans again on a new worker', async () => {
    const plansBefore = await countPlans();
    const doomed = startPlan(t, w.coordinator, w.municipalityId);
    await until('the engine at work', () => t.planner.running > 0 && pool().threads.length > 0);
    await pool().threads[0].terminate();
    const res = await doomed.response;
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ code: 'planner_failed' });
    expect(await countPlans()).toEqual(plansBefore);
    await t
      .http(w.coordinator)
      .post(`/api/v1/municipalities/${w.municipalityId}/plans`)
      .send({ ...TERM, timeLimitMs: 2_000 })
      .expect(201);
  });

  it('ends its worker threads when the app closes', async () => {
    expect(pool().threads.length).toBeGreaterThan(0);
    closed = true;
    await t.close();
    expect(pool().threads.length).toBe(0);
  });
});
