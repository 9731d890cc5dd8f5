import { rawRows } from '../../src/services/raw';
import { createTestApp, type TestApp } from '../support/app';
import { snapshot } from '../support/snapshot';

/**
 * The check that a refused request wrote nothing (`test/support/snapshot.ts`, thousands of uses in
 * the sweeps of bad input and of other tenants' data) must see every write it is there for, on
 * each database, and only the bookkeeping it leaves out may change unseen.
 */
describe('The snapshot that proves a refused request wrote nothing', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const run = (text: string, params: unknown[] = []) => rawRows(t.dataSource.manager, text, params);

  it('is the same twice over when nothing was written', async () => {
    expect(await snapshot(t.dataSource)).toEqual(await snapshot(t.dataSource));
  });

  it('sees a row added, a value changed in place and a row taken away', async () => {
    const org = await t.services.organisations.create('municipality', { name: 'Mora', contactEmail: null });
    const start = await snapshot(t.dataSource);
    await run('UPDATE organisations SET name = ? WHERE id = ?', ['Moras kommun', org.id]);
    const renamed = await snapshot(t.dataSource);
    expect(renamed.organisations.rows).toBe(start.organisations.rows);
    expect(renamed.organisations.digest).not.toBe(start.organisations.digest);
    expect({ ...renamed, organisations: start.organisations }).toEqual(start);
    await t.services.organisations.create('association', { name: 'Guiderna', contactEmail: null });
    const added = await snapshot(t.dataSource);
    expect(added.organisations.rows).toBe(start.organisations.rows + 1);
    await run('DELETE FROM organisations WHERE id = ?', [org.id]);
    expect((await snapshot(t.dataSource)).organisations.rows).toBe(start.organisations.rows);
  });

  it('sees a write made on another connection (the one apart, on sqlite) after a snapshot it keeps', async () => {
    const org = await t.services.organisations.create('municipality', { name: 'Mora', contactEmail: null });
    const start = await snapshot(t.dataSource);
    // Nothing written: the snapshot kept is answered again.
    expect(await snapshot(t.dataSource)).toBe(start);
    await t.store.transactionApart((m) =>
      rawRows(m, 'UPDATE organisations SET name = ? WHERE id = ?', ['Moras kommun', org.id]),
    );
    expect((await snapshot(t.dataSource)).organisations.digest).not.toBe(start.organisations.digest);
  });

  it('is the same after a write that was rolled back', async () => {
    const start = await snapshot(t.dataSource);
    await expect(
      t.store.transaction(async (m) => {
        await rawRows(m, 'UPDATE organisations SET name = ?', ['Ingen']);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await snapshot(t.dataSource)).toEqual(start);
  });

  it("leaves out only a token's last use and a login's bookkeeping", async () => {
    const start = await snapshot(t.dataSource);
    await run('UPDATE auth_tokens SET last_used_at = ?', ['2026-11-25 10:00:00.000']);
    await run(
      `INSERT INTO audit_log (id, at, actor_type, actor_id, municipality_id, action, entity_type, entity_id, fields)
       VALUES (?, ?, 'system', NULL, NULL, 'login.failed', 'user', 'x', '[]')`,
      ['00000000-0000-4000-8000-000000000001', '2026-11-25 10:00:00.000'],
    );
    expect(await snapshot(t.dataSource)).toEqual(start);
    await run('UPDATE auth_tokens SET revoked_at = ?', ['2026-11-25 10:00:00.000']);
    expect((await snapshot(t.dataSource)).auth_tokens.digest).not.toBe(start.auth_tokens.digest);
  });
});
