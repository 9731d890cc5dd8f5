import { existsSync, readFileSync } from 'node:fs';
import { AuditEntry, Registration, Regular, Senior, Session } from '../../src/db/entities';
import { buildSenior, buildSeries, createWorld } from '../factories';
import { createTestApp, type TestApp } from '../support/app';
import { justBeforeLocking } from '../support/locks';

describe("Seniors' personal data", () => {
  let t: TestApp;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let coordinator: string;
  beforeEach(async () => {
    t = await createTestApp('2026-11-24T09:00:00Z');
    world = await createWorld(t.services);
    coordinator = await t.tokenFor('coordinator', world.municipality.id);
  });
  afterEach(() => t.close());
  const api = () => t.http(coordinator);

  /** A senior who came to two cafés (one in the past by now) and the week view counting them. */
  async function seniorWithHistory() {
    const senior = await t.services.seniors.create(
      buildSenior(world.municipality.id, {
        displayName: 'Gunnel',
        phone: '070-174 06 42',
        email: 'gunnel@example.org',
        preferredLanguage: 'fi',
        devices: [{ platform: 'android', kind: 'phone' }],
        ageBand: '75_plus',
        gender: 'woman',
      }),
    );
    const sessions = [];
    for (const date of ['2026-11-26', '2026-12-03']) {
      const s = (
        await api()
          .post('/api/v1/sessions')
          .send({ venueId: world.venue.id, date, startTime: '14:00', durationMinutes: 120, seats: 8 })
          .expect(201)
      ).body;
      await api()
        .post(`/api/v1/sessions/${s.id}/registrations`)
        .send({ seniorId: senior.id, topic: 'bankid' })
        .expect(201);
      sessions.push(s);
    }
    return { senior, sessions };
  }

  it('exports everything held about one senior as JSON, and logs the export', async () => {
    const { senior, sessions } = await seniorWithHistory();
    const res = await api().get(`/api/v1/seniors/${senior.id}/export`).expect(200);
    expect(res.body.senior).toMatchObject({
      id: senior.id,
      displayName: 'Gunnel',
      phone: '070-174 06 42',
      email: 'gunnel@example.org',
    });
    expect(res.body.registrations).toHaveLength(2);
    expect(res.body.sessions.map((s: { id: string }) => s.id).sort()).toEqual(sessions.map((s) => s.id).sort());
    expect(res.body.venues).toEqual([{ id: world.venue.id, name: world.venue.name }]);
    expect(res.body.auditTrail.map((e: { action: string }) => e.action)).toEqual(['senior.create']);
    const log = await t.dataSource.getRepository(AuditEntry).findBy({ entityId: senior.id, action: 'senior.export' });
    expect(log).toHaveLength(1);
  });

  it("logs every read that shows seniors' names, a row per senior, lists too, as the reader; counts alone are not logged", async () => {
    const { senior, sessions } = await seniorWithHistory();
    const other = await t.services.seniors.create(buildSenior(world.municipality.id, { displayName: 'Gustav' }));
    const reads = async () =>
      (
        await api().get('/api/v1/audit').query({ entityType: 'senior', entityId: senior.id, limit: 200 }).expect(200)
      ).body.items
        .filter((e: { action: string }) => e.action.startsWith('senior.read'))
        .map((e: { action: string; actorType: string }) => `${e.action} ${e.actorType}`);
    const coordinatorId = (await api().get('/api/v1/auth/me').expect(200)).body.id as string;
    expect(await reads()).toEqual([]);

    await api().get('/api/v1/seniors').query({ municipalityId: world.municipality.id, q: 'gu' }).expect(200);
    expect(await reads()).toEqual(['senior.read.search user']);
    const registrations = (await api().get(`/api/v1/sessions/${sessions[1].id}/registrations`).expect(200)).body.items;
    await api().get(`/api/v1/registrations/${registrations[0].id}`).expect(200);
    await api().get(`/api/v1/municipalities/${world.municipality.id}/weeks/2026-W49`).expect(200);
    await api().get(`/api/v1/municipalities/${world.municipality.id}/exports/seniors.csv`).expect(200);
    await api().get(`/api/v1/seniors/${senior.id}`).expect(200);
    expect((await reads()).sort()).toEqual(
      [
        'senior.read.search user',
        'senior.read.registrations user',
        'senior.read.registration user',
        'senior.read.week user',
        'senior.read.export user',
        'senior.read user',
      ].sort(),
    );
    const mine = await t.dataSource.getRepository(AuditEntry).findBy({ entityId: senior.id });
    expect(mine.filter((e) => e.action.startsWith('senior.read')).every((e) => e.actorId === coordinatorId)).toBe(true);
    // Gustav was in the search and the export, not on the registrations or the week.
    const gustav = await t.dataSource.getRepository(AuditEntry).findBy({ entityId: other.id });
    expect(gustav.map((e) => e.action).sort()).toEqual(['senior.create', 'senior.read.export', 'senior.read.search']);

    // A viewer's week shows counts, no names, and logs no read of anyone.
    const viewer = await t.tokenFor('viewer', world.municipality.id);
    const before = await t.dataSource.getRepository(AuditEntry).count();
    const week = await t.http(viewer).get(`/api/v1/municipalities/${world.municipality.id}/weeks/2026-W49`).expect(200);
    expect(JSON.stringify(week.body)).not.toContain('Gunnel');
    expect(await t.dataSource.getRepository(AuditEntry).count()).toBe(before);
  });

  it("exports whether a senior came (a walk-in's only trace too) and their standing sign-ups", async () => {
    const { senior, sessions } = await seniorWithHistory();
    const walkIn = await t.services.seniors.create(buildSenior(world.municipality.id, { displayName: 'Inga' }));
    t.clock.set('2026-11-26T16:30:00Z'); // after the café of 26 November, 14–16
    await api()
      .post(`/api/v1/sessions/${sessions[0].id}/report`)
      .send({ came: [], walkIns: { seniorIds: [walkIn.id] } })
      .expect(201);
    const inga = (await api().get(`/api/v1/seniors/${walkIn.id}/export`).expect(200)).body;
    expect(inga.attendance).toEqual([
      expect.objectContaining({ sessionId: sessions[0].id, localDate: '2026-11-26', kind: 'walk_in', present: true }),
    ]);
    expect(inga.sessions.map((s: { id: string }) => s.id)).toEqual([sessions[0].id]);
    const gunnel = (await api().get(`/api/v1/seniors/${senior.id}/export`).expect(200)).body;
    expect(gunnel.attendance).toEqual([
      expect.objectContaining({ sessionId: sessions[0].id, kind: 'registered', present: false }),
    ]);
    expect(gunnel.regulars).toEqual([]);
  });

  it('erasing a senior gives their coming seats to the waiting list and ends their standing sign-up, in one go', async () => {
    const series = (
      await api()
        .post('/api/v1/series')
        .send(
          buildSeries(world.venue.id, { weekday: 'tue', firstDate: '2026-12-01', lastDate: '2026-12-15', seats: 1 }),
        )
        .expect(201)
    ).body;
    const gunnel = await t.services.seniors.create(buildSenior(world.municipality.id, { displayName: 'Gunnel' }));
    const bo = await t.services.seniors.create(buildSenior(world.municipality.id, { displayName: 'Bo' }));
    await api()
      .post('/api/v1/regulars')
      .send({ seniorId: gunnel.id, seriesId: series.id, fromDate: '2026-12-01' })
      .expect(201);
    const first = await t.dataSource
      .getRepository(Session)
      .findOneByOrFail({ seriesId: series.id, localDate: '2026-12-01' });
    const waiting = (
      await api().post(`/api/v1/sessions/${first.id}/registrations`).send({ seniorId: bo.id }).expect(201)
    ).body;
    expect(waiting.status).toBe('waitlisted');
    const exported = (await api().get(`/api/v1/seniors/${gunnel.id}/export`).expect(200)).body;
    expect(exported.regulars).toEqual([expect.objectContaining({ seriesId: series.id, fromDate: '2026-12-01' })]);

    await api().post(`/api/v1/seniors/${gunnel.id}/erase`).expect(200);
    const seats = await t.dataSource.getRepository(Registration).findBy({ seniorId: gunnel.id });
    expect(seats.length).toBeGreaterThan(0);
    expect(seats.every((r) => r.status === 'cancelled')).toBe(true);
    expect((await t.dataSource.getRepository(Registration).findOneByOrFail({ id: waiting.id })).status).toBe(
      'confirmed',
    );
    const regular = await t.dataSource.getRepository(Regular).findOneByOrFail({ seniorId: gunnel.id });
    // It had not begun (clock: 24 November): it ends before its first day.
    expect(regular.toDate).toBe('2026-11-23');
  });

  it('leaves a seat cancelled meanwhile as it was when a senior is erased: its time stays', async () => {
    const series = (
      await api()
        .post('/api/v1/series')
        .send(
          buildSeries(world.venue.id, { weekday: 'tue', firstDate: '2026-12-01', lastDate: '2026-12-08', seats: 1 }),
        )
        .expect(201)
    ).body;
    const dates = await t.dataSource.getRepository(Session).find({ where: { seriesId: series.id } });
    const dec1 = dates.find((s) => s.localDate === '2026-12-01')!;
    const dec8 = dates.find((s) => s.localDate === '2026-12-08')!;
    const sten = await t.services.seniors.create(buildSenior(world.municipality.id, { displayName: 'Sten' }));
    const seat = (await api().post(`/api/v1/sessions/${dec1.id}/registrations`).send({ seniorId: sten.id }).expect(201))
      .body;
    await api().post(`/api/v1/sessions/${dec8.id}/registrations`).send({ seniorId: sten.id }).expect(201);
    // Sten's seat on 1 December is cancelled by another request after the erasure read his seats,
    // and before it locks that café.
    const earlier = new Date('2026-11-20T08:00:00Z');
    const lock = justBeforeLocking(dec1.id, (m) =>
      m.update(Registration, { id: seat.id }, { status: 'cancelled', cancelledAt: earlier }),
    );
    try {
      await api().post(`/api/v1/seniors/${sten.id}/erase`).expect(200);
      expect(lock).toHaveBeenCalledTimes(2);
    } finally {
      lock.mockRestore();
    }
    const rows = await t.dataSource.getRepository(Registration).find({ where: { seniorId: sten.id } });
    expect(rows.find((r) => r.id === seat.id)).toMatchObject({ status: 'cancelled', cancelledAt: earlier });
    expect(rows.find((r) => r.sessionId === dec8.id)).toMatchObject({
      status: 'cancelled',
      cancelledAt: t.clock.now(),
    });
  });

  it('erases a senior on request: no personal data is left, and the counts stay', async () => {
    const { senior, sessions } = await seniorWithHistory();
    await api().patch(`/api/v1/seniors/${senior.id}`).send({ phone: '070-174 06 43' }).expect(200);
    await api().get(`/api/v1/seniors/${senior.id}`).expect(200);
    const before = (await api().get(`/api/v1/municipalities/${world.municipality.id}/weeks/2026-W49`).expect(200)).body;

    const erased = await api().post(`/api/v1/seniors/${senior.id}/erase`).expect(200);
    expect(erased.body).toEqual({ id: senior.id, erasedAt: '2026-11-24T09:00:00.000Z' });

    const row = await t.dataSource.getRepository(Senior).findOneByOrFail({ id: senior.id });
    expect(row).toMatchObject({ displayName: 'Raderad', phone: null, email: null, devices: [], topics: [] });
    // Nothing that named or reached her is left anywhere in the database, the audit log included.
    for (const { tableName } of t.dataSource.entityMetadatas) {
      const dump = JSON.stringify(await t.dataSource.query(`SELECT * FROM "${tableName}"`));
      for (const secret of ['Gunnel', '174 06 4', 'gunnel@example.org']) expect(dump).not.toContain(secret);
    }
    // …nor in the files: sqlite zeroes what is overwritten, and the write-ahead log is emptied.
    if (!process.env.DATABASE_URL) {
      const file = t.dataSource.options.database as string;
      for (const path of [file, `${file}-wal`].filter((p) => existsSync(p))) {
        const bytes = readFileSync(path);
        for (const secret of ['Gunnel', '174 06 4', 'gunnel@example.org'])
          expect({ path, found: bytes.includes(Buffer.from(secret)) }).toEqual({ path, found: false });
      }
    }
    // The registrations stay as anonymous rows (past ones count in the reports); her seats in
    // cafés yet to come are given up, so the week no longer counts her.
    const rows = await t.dataSource.getRepository(Registration).findBy({ seniorId: senior.id });
    expect(rows.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
    const after = (await api().get(`/api/v1/municipalities/${world.municipality.id}/weeks/2026-W49`).expect(200)).body;
    expect(after.totals).toEqual({ ...before.totals, confirmed: before.totals.confirmed - 1, platformDemand: {} });
    expect(sessions).toHaveLength(2);

    const log = await t.dataSource
      .getRepository(AuditEntry)
      .find({ where: { entityId: senior.id }, order: { at: 'ASC' } });
    expect(log.map((e) => e.action)).toEqual(
      expect.arrayContaining(['senior.create', 'senior.update', 'senior.read', 'senior.erase']),
    );
    expect(log.find((e) => e.action === 'senior.update')!.fields).toEqual(['phone']);
  });

  it('keeps an erased senior erased: no edits, no sign-ups, not in searches', async () => {
    const { senior } = await seniorWithHistory();
    await api().post(`/api/v1/seniors/${senior.id}/erase`).expect(200);
    const edit = await api()
      .patch(`/api/v1/seniors/${senior.id}`)
      .send({ displayName: 'Gunnel', phone: '070-174 06 42' })
      .expect(409);
    expect(edit.body.error.code).toBe('senior_erased');
    const s = (
      await api()
        .post('/api/v1/sessions')
        .send({ venueId: world.venue.id, date: '2026-12-10', startTime: '14:00', durationMinutes: 120, seats: 8 })
        .expect(201)
    ).body;
    expect(
      (await api().post(`/api/v1/sessions/${s.id}/registrations`).send({ seniorId: senior.id }).expect(409)).body.error
        .code,
    ).toBe('senior_erased');
    expect(
      (await api().get('/api/v1/seniors').query({ municipalityId: world.municipality.id }).expect(200)).body.total,
    ).toBe(0);
  });

  it('anonymises seniors not seen for the retention period, and only them', async () => {
    const { senior: regular } = await seniorWithHistory();
    const never = await t.services.seniors.create(buildSenior(world.municipality.id, { displayName: 'Sven' }));
    // 24 months after the last visit (3 December 2026) and after Sven's registration (today).
    t.clock.set('2028-11-25T09:00:00Z');
    expect(await t.services.privacy.anonymiseInactive()).toBe(1);
    expect((await t.dataSource.getRepository(Senior).findOneByOrFail({ id: never.id })).displayName).toBe('Raderad');
    expect((await t.dataSource.getRepository(Senior).findOneByOrFail({ id: regular.id })).displayName).toBe('Gunnel');
    t.clock.set('2028-12-04T09:00:00Z');
    expect(await t.services.privacy.anonymiseInactive()).toBe(1);
    expect((await t.dataSource.getRepository(Senior).findOneByOrFail({ id: regular.id })).erasedAt).not.toBeNull();
    expect(await t.services.privacy.anonymiseInactive()).toBe(0);
  });

  it('keeps an audit log readable by the coordinators of that municipality, naming fields but not values', async () => {
    const { senior } = await seniorWithHistory();
    await api().patch(`/api/v1/seniors/${senior.id}`).send({ displayName: 'G.' }).expect(200);
    const log = await api().get('/api/v1/audit').query({ entityType: 'senior', entityId: senior.id }).expect(200);
    const update = log.body.items.find((e: { action: string }) => e.action === 'senior.update');
    expect(update).toMatchObject({ actorType: 'user', municipalityId: world.municipality.id, fields: ['displayName'] });
    expect(JSON.stringify(log.body)).not.toContain('G.');
    const planning = await api().get('/api/v1/audit').query({ entityType: 'session' }).expect(200);
    expect(planning.body.items.map((e: { action: string }) => e.action)).toEqual(['session.create', 'session.create']);
  });
});
