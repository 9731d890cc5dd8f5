import { buildContainer } from '../../src/container';
import { createLogger } from '../../src/lib/logger';
import { JobService } from '../../src/services/jobs.service';
import { buildGuide, createWorld } from '../factories';
import { createTestApp, type TestApp } from '../support/app';

const onSqlite = () => !process.env.DATABASE_URL;

describe(JobService.name, () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp('2027-03-26T15:00:10Z');
  });
  afterEach(() => t.close());

  /**
   * A second instance of the service on the same database, as behind a load balancer. On sqlite,
   * where the service runs as one process, it shares this connection and so its queue of writes
   * (two queues on one connection would nest their transactions); the lease decides all the same.
   */
  const secondInstance = () =>
    buildContainer({
      dataSource: t.dataSource,
      clock: t.clock,
      logger: createLogger('silent'),
      settings: t.settings,
      store: t.store.isPostgres ? undefined : t.store,
    }).services.jobs;

  it('runs a job once per tick however many instances fire it', async () => {
    const [a, b] = [t.services.jobs, secondInstance()];
    const first = await Promise.all([a.run('weekly'), b.run('weekly'), a.run('weekly'), b.run('weekly')]);
    expect(first.filter((o) => o.ran)).toHaveLength(1);
    expect(new Set(first.map((o) => o.tick.toISOString()))).toEqual(new Set(['2027-03-26T15:00:00.000Z']));
    expect((await b.run('weekly')).ran).toBe(false);
    t.clock.advance(60_000);
    expect((await Promise.all([a.run('weekly'), b.run('weekly')])).filter((o) => o.ran)).toHaveLength(1);
    // Each job has its own row: another job in the same minute runs.
    expect((await b.run('digest')).ran).toBe(true);
  });

  it("runs the catch-up through each job's own lease: a job's tick taken by the catch-up is not run again", async () => {
    const [a, b] = [t.services.jobs, secondInstance()];
    const catchUp = await a.run('catch-up');
    expect(catchUp).toMatchObject({ ran: true, result: { weekly: 0, reminders: 0, digest: 0, reports: 0 } });
    expect((await b.run('weekly')).ran).toBe(false);
    expect((await b.run('catch-up')).result).toEqual({
      weekly: 'already run',
      reminders: 'already run',
      digest: 'already run',
      reports: 'already run',
    });
  });

  it('lets a later tick run when the instance holding a tick died, once its lease has run out', async () => {
    const a = t.services.jobs;
    // An instance took 15:00 and died without finishing: its lease holds until 15:15.
    await t.dataSource.query(
      t.dataSource.options.type === 'postgres'
        ? "INSERT INTO job_runs (name, last_tick, holder, lease_until) VALUES ('weekly', $1, 'dead', $2)"
        : "INSERT INTO job_runs (name, last_tick, holder, lease_until) VALUES ('weekly', ?, 'dead', ?)",
      t.dataSource.options.type === 'postgres'
        ? [new Date('2027-03-26T15:00:00Z'), new Date('2027-03-26T15:15:00Z')]
        : ['2027-03-26 15:00:00.000', '2027-03-26 15:15:00.000'],
    );
    t.clock.set('2027-03-26T15:05:00Z');
    expect((await a.run('weekly')).ran).toBe(false);
    t.clock.set('2027-03-26T15:16:00Z');
    expect((await a.run('weekly')).ran).toBe(true);
  });

  (onSqlite() ? it : it.skip)(
    "says the job's own error when the job fails and its lease cannot be released either (sqlite)",
    async () => {
      // The job fails as the database stops taking writes (query_only: every write is refused).
      jest.spyOn(t.services.privacy, 'anonymiseInactive').mockImplementation(async () => {
        await t.dataSource.query('PRAGMA query_only = ON');
        throw new Error('the job failed');
      });
      try {
        await expect(t.services.jobs.run('retention')).rejects.toThrow('the job failed');
      } finally {
        await t.dataSource.query('PRAGMA query_only = OFF');
        jest.restoreAllMocks();
      }
      // The lease it could not release runs out by itself: a later tick runs once it has.
      t.clock.advance(60_000);
      expect((await t.services.jobs.run('retention')).ran).toBe(false);
      t.clock.advance(60 * 60_000);
      expect((await t.services.jobs.run('retention')).ran).toBe(true);
    },
  );

  it('runs a job on request for admins only, through the same once-per-tick rule', async () => {
    const world = await createWorld(t.services);
    await t.services.guides.create(buildGuide(world.association.id, world.municipality.id));
    const res = await t.http().post('/api/v1/jobs/weekly/run').expect(200);
    expect(res.body).toMatchObject({ job: 'weekly', ran: true, result: 0, tick: '2027-03-26T15:00:00.000Z' });
    expect((await t.http().post('/api/v1/jobs/weekly/run').expect(200)).body.ran).toBe(false);
    await t
      .http(await t.tokenFor('coordinator', world.municipality.id))
      .post('/api/v1/jobs/weekly/run')
      .expect(403);
    await t.http().post('/api/v1/jobs/nightly/run').expect(400);
  });
});
