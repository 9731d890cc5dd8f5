import { Assignment, Plan } from '../../src/db/entities';
import { newId } from '../../src/db/columns';
import { ReasonCodes1765700000000 } from '../../src/db/migrations/1765700000000-ReasonCodes';
import { reasonText } from '../../src/contract/reasons';
import { buildGuide, buildOneOff, createWorld } from '../factories';
import { createTestApp, type TestApp } from '../support/app';

describe('migrations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('2026-11-24T09:00:00Z');
  });
  afterAll(() => t.close());

  it('build exactly the schema the entities describe', async () => {
    // The schema builder lists the SQL it would run to match the entities: none, if the migrations are complete.
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('can be reverted and applied again', async () => {
    await t.dataSource.undoLastMigration();
    expect(await t.dataSource.showMigrations()).toBe(true);
    await t.dataSource.runMigrations();
    expect(await t.dataSource.showMigrations()).toBe(false);
  });

  it('turns the reasons stored as English sentences into codes that pages word in Swedish', async () => {
    const world = await createWorld(t.services);
    const guide = await t.services.guides.create(buildGuide(world.association.id, world.municipality.id));
    const session = await t.services.sessions.createOneOff(buildOneOff(world.venue.id, '2026-12-01'));
    const id = newId();
    const now = new Date();
    await t.dataSource.getRepository(Assignment).insert({
      id,
      sessionId: session.id,
      guideId: guide.id,
      status: 'published',
      pinned: false,
      source: 'engine',
      reasons: [],
      planId: null,
      createdAt: now,
      updatedAt: now,
      publishedAt: now,
    });
    const planId = newId();
    await t.dataSource.getRepository(Plan).insert({
      id: planId,
      municipalityId: world.municipality.id,
      startsOn: '2026-11-30',
      endsOn: '2026-12-06',
      status: 'draft',
      seed: 1,
      score: {},
      shortfalls: [],
      uncovered: [],
      iterations: 1,
      elapsedMs: 1,
      createdAt: now,
      publishedAt: null,
    });
    // As the engine wrote them until now.
    const q = (sql: string, params: unknown[]) => t.dataSource.query(sql, params);
    const raw = (v: unknown) => JSON.stringify(v);
    await q(
      t.dataSource.options.type === 'postgres'
        ? 'UPDATE assignments SET reasons = $1, conflict = $2 WHERE id = $3'
        : 'UPDATE assignments SET reasons = ?, conflict = ? WHERE id = ?',
      [
        raw([
          'fixed: pinned by a coordinator or in a published week',
          'covers android (2 seniors), windows (1 seniors)',
          'speaks ar (1 seniors)',
          'has worked at this venue 3 times',
          '2 h of max 8 h that week; 4 h in the period (fair share 4.5 h)',
        ]),
        raw(['not available Thu 17:00–19:00', 'busy 2026-12-01 15:00–17:00 elsewhere (20 min away)']),
        id,
      ],
    );
    await q(
      t.dataSource.options.type === 'postgres'
        ? 'UPDATE plans SET shortfalls = $1, uncovered = $2 WHERE id = $3'
        : 'UPDATE plans SET shortfalls = ?, uncovered = ? WHERE id = ?',
      [
        raw([
          {
            sessionId: session.id,
            assigned: 0,
            needed: 2,
            reasons: ['0 of at least 2 guides on Sun 2026-12-06 11:00', 'only 0 guide(s) are available then at all'],
            candidates: [{ guideId: guide.id, blockedBy: ['would pass max 7.5 h in 2026-W48 (has 6.5 h)'] }],
          },
        ]),
        raw([
          {
            sessionId: session.id,
            platform: 'ios',
            seniors: 3,
            reason: 'no guide who knows ios is available on Sun 2026-12-06 11:00',
          },
        ]),
        planId,
      ],
    );

    const runner = t.dataSource.createQueryRunner();
    try {
      await new ReasonCodes1765700000000().up(runner);
    } finally {
      await runner.release();
    }

    const a = await t.dataSource.getRepository(Assignment).findOneByOrFail({ id });
    const sv = (rs: Parameters<typeof reasonText>[0][]) => rs.map((r) => reasonText(r, 'sv'));
    // The old hours line had no week: it is left out, and planning again writes it anew.
    expect(sv(a.reasons)).toEqual([
      'Låst av en samordnare, eller redan publicerad.',
      'Kan Android: 2 seniorer har Android.',
      'Kan Windows: 1 senior har Windows.',
      'Talar arabiska: 1 senior talar arabiska.',
      'Har varit här förut (3 gånger).',
    ]);
    expect(sv(a.conflict!)).toEqual([
      'Kan inte jobba på torsdagar 17:00–19:00.',
      'Har ett annat pass tisdag 1 december 15:00–17:00 (20 minuters resa).',
    ]);
    const p = await t.dataSource.getRepository(Plan).findOneByOrFail({ id: planId });
    const [short] = p.shortfalls as { reasons: never[]; candidates: { blockedBy: never[] }[] }[];
    expect(sv(short.reasons)).toEqual(['Söndag 6 december 11:00: 0 av minst 2 guider.', 'Ingen guide kan jobba då.']);
    expect(sv(short.candidates[0].blockedBy)).toEqual(['Har redan 6,5 timmar vecka 48. Får jobba högst 7,5 timmar.']);
    expect(sv((p.uncovered as { reason: never }[]).map((u) => u.reason))).toEqual([
      '3 seniorer har iPhone. Ingen guide som kan iPhone kan jobba då.',
    ]);
  });
});
