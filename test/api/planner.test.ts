import request from 'supertest';
import { Assignment, Session } from '../../src/db/entities';
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

  it('stores nothing worked out before its transaction when something was written after the plan read the period again', async () => {
    // The plan reads the period again outside its transaction and works out its rows and checks
    // there. A coordinator's change that lands after that read, just before the plan's
    // transaction, must not be written over: the plan reads again under the lock and plans again.
    let plans = 0;
    const releasePlans = holdPlans(() => Promise.resolve(plans++));
    const store = t.store;
    const own = Object.getOwnPropertyDescriptor(store, 'transaction');
    const real = store.transaction.bind(store);
    const mark = store.writeMark.bind(store);
    let marked = false;
    // The mark is taken as the first plan comes back from the engine, before its read again.
    store.writeMark = () => ((marked = plans === 1), mark());
    let removed: string | undefined;
    store.transaction = (async (work: Parameters<typeof real>[0]) => {
      if (marked && !removed) {
        // Once: this write goes through the real transaction, not through this one.
        store.transaction = real;
        removed = await removeOne();
      }
      return real(work);
    }) as typeof store.transaction;
    try {
      const res = await t.http(w.coordinator).post(`/api/v1/municipalities/${w.municipalityId}/plans`).send(TERM);
      expect(res.status).toBe(201);
      expect(removed).toBeDefined();
      // Planned again from what is stored now, not stored from the read made before the change.
      expect(plans).toBe(2);
      expect(res.body.assignments.map((a: { id: string }) => a.id)).not.toContain(removed);
    } finally {
      if (own) Object.defineProperty(store, 'transaction', own);
      else delete (store as { transaction?: unknown }).transaction;
      delete (store as { writeMark?: unknown }).writeMark;
      releasePlans();
    }
  });

  /** How plans were stored (the service's counters) while `work` ran. */
  async function storedDuring(work: () => Promise<unknown>) {
    const before = { ...t.services.planning.planStats };
    await work();
    const after = t.services.planning.planStats;
    return {
      ahead: after.ahead - before.ahead,
      underLock: after.underLock - before.underLock,
      preparedAgain: after.preparedAgain - before.preparedAgain,
    };
  }

  it('stores a plan with its rows worked out before its transaction when nothing else was written (sqlite)', async () => {
    let res!: request.Response;
    // sqlite: the new rows are staged ahead in a temporary table and copied in by the transaction.
    // Drafts of earlier tests go first, or this plan might keep them all and add none.
    await t.dataSource.getRepository(Assignment).delete({ status: 'draft' });
    const staged: string[] = [];
    const stage = t.store.stage.bind(t.store);
    t.store.stage = (sql, params) => (staged.push(sql.slice(0, 60)), stage(sql, params));
    // Rows bound one by one in the transaction (what staging replaces), counted.
    const rawRows = raw.rawRows;
    let bound = 0;
    let statements = 0;
    const spy = jest.spyOn(raw, 'rawRows').mockImplementation((m, sql, params) => {
      statements++;
      if (/^INSERT INTO assignments \([^)]*\) VALUES /.test(sql)) bound++;
      return rawRows(m, sql, params);
    });
    try {
      const stored = await storedDuring(async () => {
        res = await t.http(w.coordinator).post(`/api/v1/municipalities/${w.municipalityId}/plans`).send(TERM);
      });
      expect(res.status).toBe(201);
      // On PostgreSQL the plan is always read again and stored under the lock.
      if (t.store.isPostgres) expect(stored).toMatchObject({ ahead: 0, underLock: 1 });
      else expect(stored).toMatchObject({ ahead: 1, underLock: 0 });
    } finally {
      delete (t.store as { stage?: unknown }).stage;
      spy.mockRestore();
    }
    if (t.store.isPostgres) {
      expect(staged).toEqual([]);
      expect(bound).toBeGreaterThan(0);
    } else {
      // The spy saw the plan's statements (so the count below means something), none binding rows.
      expect(statements).toBeGreaterThan(0);
      expect(bound).toBe(0);
      expect(staged.filter((sql) => sql.startsWith('CREATE TEMP TABLE temp.staged_assignments_'))).toHaveLength(1);
      expect(staged.filter((sql) => sql.startsWith('INSERT INTO temp.staged_assignments_')).length).toBeGreaterThan(1);
      expect(staged[staged.length - 1]).toMatch(/^DROP TABLE IF EXISTS temp\.staged_assignments_/);
      // Nothing staged is left behind on the connection.
      expect(await t.dataSource.query("SELECT name FROM sqlite_temp_master WHERE name LIKE 'staged_%'")).toEqual([]);
    }
    // The answer is the plan as stored: every assignment, field by field.
    const got = await t.http(w.coordinator).get(`/api/v1/plans/${res.body.id}`).expect(200);
    expect(res.body).toEqual(got.body);
    const rows = await t.dataSource.getRepository(Assignment).find({ where: { planId: res.body.id } });
    expect(rows.map((a) => a.id).sort()).toEqual((res.body.assignments as { id: string }[]).map((a) => a.id).sort());
  });

  it('stages rows in a temporary table without moving the mark, and a write to the database does move it (sqlite)', async () => {
    if (t.store.isPostgres) return expect(t.store.writeMark()).toBeNull();
    const mark = t.store.writeMark();
    expect(mark).not.toBeNull();
    await t.store.stage('CREATE TEMP TABLE temp.staged_probe AS SELECT id, name FROM main.venues WHERE 0');
    await t.store.stage('INSERT INTO temp.staged_probe (id, name) VALUES (?, ?), (?, ?)', ['a', 'A', 'b', 'B']);
    await t.store.stage('DELETE FROM temp.staged_probe WHERE id = ?', ['a']);
    expect(t.store.unwrittenSince(mark)).toBe(true);
    // Only temporary tables: a statement on the database is refused before it runs.
    await expect(t.store.stage('DELETE FROM venues')).rejects.toThrow(/temporary tables only/);
    await t.store.stage('DROP TABLE IF EXISTS temp.staged_probe');
    expect(t.store.unwrittenSince(mark)).toBe(true);
    await t.services.venues.create(buildVenue(w.municipalityId));
    expect(t.store.unwrittenSince(mark)).toBe(false);
  });

  it('works a plan out again outside its transaction, without planning again, when only another municipality was written meanwhile', async () => {
    // Another municipality's change (with its audit row) lands after the plan read its period
    // again and worked out its rows, just before its transaction. That change is not the plan's:
    // the plan does not plan again, and is still stored with its rows worked out outside the
    // transaction (on sqlite), not read and checked again inside it, where nothing yields.
    const elsewhere = await createWorld(t.services);
    let plans = 0;
    const releasePlans = holdPlans(() => Promise.resolve(plans++));
    const store = t.store;
    const own = Object.getOwnPropertyDescriptor(store, 'transaction');
    const real = store.transaction.bind(store);
    const mark = store.writeMark.bind(store);
    let marked = false;
    // The mark is taken as the plan comes back from the engine, before its read again.
    store.writeMark = () => ((marked = plans === 1), mark());
    let written: string | undefined;
    store.transaction = (async (work: Parameters<typeof real>[0]) => {
      if (marked && !written) {
        // Once: this write goes through the real transaction, not through this one.
        store.transaction = real;
        written = (await t.services.venues.create(buildVenue(elsewhere.municipality.id))).id;
      }
      return real(work);
    }) as typeof store.transaction;
    let res!: request.Response;
    try {
      const stored = await storedDuring(async () => {
        res = await t.http(w.coordinator).post(`/api/v1/municipalities/${w.municipalityId}/plans`).send(TERM);
      });
      expect(res.status).toBe(201);
      expect(written).toBeDefined();
      expect(plans).toBe(1);
      if (t.store.isPostgres) expect(stored).toEqual({ ahead: 0, underLock: 1, preparedAgain: 0 });
      else expect(stored).toEqual({ ahead: 1, underLock: 0, preparedAgain: 1 });
    } finally {
      if (own) Object.defineProperty(store, 'transaction', own);
      else delete (store as { transaction?: unknown }).transaction;
      delete (store as { writeMark?: unknown }).writeMark;
      releasePlans();
    }
    const got = await t.http(w.coordinator).get(`/api/v1/plans/${res.body.id}`).expect(200);
    expect(res.body).toEqual(got.body);
  });

  it('holds other writes back at its last try, so writes elsewhere all along never send it into the transaction’s own read', async () => {
    // Another municipality writes after each of the plan's first two reads again, and once more
    // while its third is under way. The third holds that write back until the plan is stored
    // (reads are still answered), so the plan is stored with its rows worked out outside the
    // transaction, and the write is stored after it.
    const elsewhere = await createWorld(t.services);
    let plans = 0;
    const releasePlans = holdPlans(() => Promise.resolve(plans++));
    const store = t.store;
    const own = Object.getOwnPropertyDescriptor(store, 'transaction');
    const real = store.transaction.bind(store);
    const mark = store.writeMark.bind(store);
    const writeElsewhere = () => t.services.venues.create(buildVenue(elsewhere.municipality.id));
    let marks = 0;
    let wroteFor = 0;
    let writing = false;
    let late: Promise<unknown> | undefined;
    store.writeMark = () => {
      if (plans === 1 && ++marks === 3) late = writeElsewhere();
      return mark();
    };
    store.transaction = (async (work: Parameters<typeof real>[0]) => {
      if (marks > wroteFor && marks < 3 && !writing) {
        wroteFor = marks;
        writing = true;
        await writeElsewhere().finally(() => (writing = false));
      }
      return real(work);
    }) as typeof store.transaction;
    let res!: request.Response;
    try {
      const stored = await storedDuring(async () => {
        res = await t.http(w.coordinator).post(`/api/v1/municipalities/${w.municipalityId}/plans`).send(TERM);
      });
      expect(res.status).toBe(201);
      expect(plans).toBe(1);
      if (t.store.isPostgres) expect(stored).toEqual({ ahead: 0, underLock: 1, preparedAgain: 0 });
      else {
        expect(stored).toEqual({ ahead: 1, underLock: 0, preparedAgain: 2 });
        expect(late).toBeDefined();
      }
      await late;
    } finally {
      if (own) Object.defineProperty(store, 'transaction', own);
      else delete (store as { transaction?: unknown }).transaction;
      delete (store as { writeMark?: unknown }).writeMark;
      releasePlans();
    }
  });

  it('answers with the plan it stored, not with a change committed after it', async () => {
    // A coordinator takes a guide off a café as soon as the plan's transaction commits, before
    // the plan is answered: the answer is still the plan as stored, with that guide on.
    const store = t.store;
    const own = Object.getOwnPropertyDescriptor(store, 'transaction');
    const real = store.transaction.bind(store);
    let removed: string | undefined;
    const count = () => t.services.planning.planStats.ahead + t.services.planning.planStats.underLock;
    store.transaction = (async (work: Parameters<typeof real>[0]) => {
      const before = count();
      const result = await real(work);
      if (count() > before) {
        // The plan's transaction has committed: this change goes through the real transaction.
        store.transaction = real;
        removed = await removeOne();
      }
      return result;
    }) as typeof store.transaction;
    try {
      const res = await t.http(w.coordinator).post(`/api/v1/municipalities/${w.municipalityId}/plans`).send(TERM);
      expect(res.status).toBe(201);
      expect(removed).toBeDefined();
      expect(res.body.assignments.map((a: { id: string }) => a.id)).toContain(removed);
    } finally {
      if (own) Object.defineProperty(store, 'transaction', own);
      else delete (store as { transaction?: unknown }).transaction;
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
