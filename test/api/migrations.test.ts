import { createTestApp, type TestApp } from '../support/app';

describe('migrations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
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
});
