import { AuditEntry, OutboxMessage, Session, SessionSeries } from '../../src/db/entities';
import { loadConfig, publicUrl } from '../../src/config';
import { buildGuide, buildSeries, buildSenior, buildVenue as buildVenueFor } from '../factories';
import type { TestApp } from '../support/app';
import { useWorld, type World } from '../support/world';

/**
 * What the pages show before a coordinator confirms: the same change as the real one, rolled
 * back. Each preview is checked against the change made right after, and against the rows.
 */
describe('Previews of calendar changes, and ending cafés and venues', () => {
  let t: TestApp;
  let world: World;
  useWorld('2026-11-24T09:00:00Z', (app, w) => {
    t = app;
    world = w;
  });
  const api = () => t.http();
  const rowCounts = async () => ({
    sessions: await t.dataSource.getRepository(Session).count(),
    series: await t.dataSource.getRepository(SessionSeries).count(),
    audit: await t.dataSource.getRepository(AuditEntry).count(),
    outbox: await t.dataSource.getRepository(OutboxMessage).count(),
  });
  /** Ascension Day 2027 is Thursday 6 May; every other Thursday from 22 April meets it. */
  const spring = () =>
    buildSeries(world.venue.id, {
      weekday: 'thu',
      intervalWeeks: 2,
      firstDate: '2027-04-22',
      lastDate: '2027-06-03',
    });

  it('previews a new café: the dates it makes, the ones it skips with the holiday name, and stores nothing', async () => {
    const before = await rowCounts();
    const preview = await api().post('/api/v1/series/preview').send(spring()).expect(200);
    expect(await rowCounts()).toEqual(before);
    expect(preview.body.changes.skipped).toEqual([
      { date: '2027-05-06', reason: 'holiday', name: 'Kristi himmelsfärdsdag' },
    ]);

    const made = await api().post('/api/v1/series').send(spring()).expect(201);
    expect(made.body.changes).toEqual(preview.body.changes);
    expect(preview.body.changes.sessions.map((s: { date: string; change: string }) => `${s.date} ${s.change}`)).toEqual(
      ['2027-04-22 created', '2027-05-20 created', '2027-06-03 created'],
    );
  });

  it('previews a change to a café (each future session touched, seniors to tell), then the change does exactly that', async () => {
    const made = (await api().post('/api/v1/series').send(spring()).expect(201)).body;
    const first = await t.dataSource
      .getRepository(Session)
      .findOneByOrFail({ seriesId: made.id, localDate: '2027-04-22' });
    const senior = await t.services.seniors.create(buildSenior(world.municipality.id));
    await api().post(`/api/v1/sessions/${first.id}/registrations`).send({ seniorId: senior.id }).expect(201);

    const change = { weekday: 'tue', version: made.version };
    const before = await rowCounts();
    const preview = await api().post(`/api/v1/series/${made.id}/preview`).send(change).expect(200);
    expect(await rowCounts()).toEqual(before);
    expect(
      preview.body.changes.sessions.map(
        (s: { date: string; change: string; registrations: number }) => `${s.date} ${s.change} ${s.registrations}`,
      ),
    ).toEqual([
      '2027-04-22 cancelled 1',
      '2027-05-04 created 0',
      '2027-05-18 created 0',
      '2027-05-20 removed 0',
      '2027-06-01 created 0',
      '2027-06-03 removed 0',
    ]);
    // The preview took no version: the change itself still applies to the version it was made on.
    const applied = await api().patch(`/api/v1/series/${made.id}`).send(change).expect(200);
    expect(applied.body.changes).toEqual(preview.body.changes);
  });

  it('ends a café: future sessions go (cancelled where a senior is signed up), past ones stay, and it leaves the list', async () => {
    const made = (
      await api()
        .post('/api/v1/series')
        .send(buildSeries(world.venue.id, { weekday: 'tue', firstDate: '2026-11-17', lastDate: '2027-01-26' }))
        .expect(201)
    ).body;
    const sessions = () =>
      t.dataSource.getRepository(Session).find({ where: { seriesId: made.id }, order: { startsAt: 'ASC' } });
    // The clock moves past the first Tuesday; someone signs up for the next.
    t.clock.set(new Date('2026-11-25T09:00:00Z'));
    const next = (await sessions()).find((s) => s.localDate === '2026-12-01')!;
    const senior = await t.services.seniors.create(buildSenior(world.municipality.id));
    await api().post(`/api/v1/sessions/${next.id}/registrations`).send({ seniorId: senior.id }).expect(201);

    const preview = await api()
      .post(`/api/v1/series/${made.id}/archive/preview`)
      .send({ version: made.version })
      .expect(200);
    expect(preview.body.changes).toMatchObject({ cancelled: 1, removed: 8, created: 0 });
    const ended = await api().post(`/api/v1/series/${made.id}/archive`).send({ version: made.version }).expect(200);
    expect(ended.body.changes).toEqual(preview.body.changes);
    expect(ended.body.archivedAt).toBe('2026-11-25T09:00:00.000Z');

    const left = await sessions();
    // The café was made on 24 November: its first session is that afternoon's.
    expect(left.map((s) => `${s.localDate} ${s.status}`)).toEqual(['2026-11-24 scheduled', '2026-12-01 cancelled']);
    expect(left[1].cancelReason).toBe('Caféet har slutat.');
    const running = await api().get('/api/v1/series').query({ municipalityId: world.municipality.id }).expect(200);
    expect(running.body.items).toEqual([]);
    const archived = await api()
      .get('/api/v1/series')
      .query({ municipalityId: world.municipality.id, archived: 'true' })
      .expect(200);
    expect(archived.body.items.map((s: { id: string }) => s.id)).toEqual([made.id]);
    const again = await api().patch(`/api/v1/series/${made.id}`).send({ seats: 4 }).expect(409);
    expect(again.body.error.code).toBe('series_archived');
  });

  it('previews a closure and its removal: the sessions cancelled and brought back, nothing stored', async () => {
    await api()
      .post('/api/v1/series')
      .send(buildSeries(world.venue.id, { weekday: 'tue', firstDate: '2027-02-23', lastDate: '2027-03-16' }))
      .expect(201);
    const sportlov = {
      municipalityId: world.municipality.id,
      name: 'Sportlov',
      startsOn: '2027-03-01',
      endsOn: '2027-03-07',
    };
    const before = await rowCounts();
    const preview = await api().post('/api/v1/closures/preview').send(sportlov).expect(200);
    expect(await rowCounts()).toEqual(before);
    expect(preview.body.changes.sessions).toEqual([
      expect.objectContaining({ date: '2027-03-02', change: 'removed', venueId: world.venue.id }),
    ]);
    const closure = await api().post('/api/v1/closures').send(sportlov).expect(201);
    expect(closure.body.changes).toEqual(preview.body.changes);

    const removal = await api().post(`/api/v1/closures/${closure.body.id}/removal/preview`).expect(200);
    expect(removal.body.changes.sessions).toEqual([expect.objectContaining({ date: '2027-03-02', change: 'created' })]);
    const removed = await api().delete(`/api/v1/closures/${closure.body.id}`).expect(200);
    expect(removed.body.changes).toEqual(removal.body.changes);
  });

  it('previews publishing: how many pass and which guides get mail, nothing stored; publishing answers the same', async () => {
    await api()
      .post('/api/v1/series')
      .send(buildSeries(world.venue.id, { weekday: 'tue', firstDate: '2026-12-01', lastDate: '2026-12-01' }))
      .expect(201);
    const guides = await Promise.all(
      ['Amina', 'Yonas', 'Sara'].map((name) =>
        t.services.guides.create(buildGuide(world.association.id, world.municipality.id, { name })),
      ),
    );
    const period = { from: '2026-11-30', to: '2026-12-06' };
    await api().post(`/api/v1/municipalities/${world.municipality.id}/plans`).send(period).expect(201);
    const before = await rowCounts();
    const preview = await api()
      .post(`/api/v1/municipalities/${world.municipality.id}/plans/publish/preview`)
      .send(period)
      .expect(200);
    expect(await rowCounts()).toEqual(before);
    expect(preview.body.published).toBeGreaterThanOrEqual(2);
    expect(preview.body.guides.length).toBe(preview.body.published);
    for (const g of preview.body.guides) expect(guides.map((x) => x.id)).toContain(g.id);
    const queued = () => t.dataSource.getRepository(OutboxMessage).find();
    const mailedBefore = new Set((await queued()).map((m) => m.id));
    const published = await api()
      .post(`/api/v1/municipalities/${world.municipality.id}/plans/publish`)
      .send(period)
      .expect(200);
    expect(published.body).toEqual(preview.body);
    // The mails that publishing queued go to exactly the guides the preview named.
    const mailed = (await queued()).filter((m) => !mailedBefore.has(m.id)).map((m) => m.toAddress);
    const named = guides.filter((g) => preview.body.guides.some((p: { id: string }) => p.id === g.id));
    expect([...new Set(mailed)].sort()).toEqual(named.map((g) => g.email).sort());
    // Published twice: nothing new, nobody mailed.
    const again = await api()
      .post(`/api/v1/municipalities/${world.municipality.id}/plans/publish/preview`)
      .send(period)
      .expect(200);
    expect(again.body).toEqual({ published: 0, guides: [], mails: 0 });
  });

  it("gives a café the municipality's time zone when the café names none", async () => {
    const helsinki = await api()
      .post('/api/v1/municipalities')
      .send({ name: 'Gränskommun', timeZone: 'Europe/Helsinki' });
    const venue = await t.services.venues.create({ ...buildVenueFor(helsinki.body.id) });
    const series = await api()
      .post('/api/v1/series')
      .send(
        buildSeries(venue.id, { weekday: 'tue', firstDate: '2027-01-12', lastDate: '2027-01-12', timeZone: undefined }),
      )
      .expect(201);
    expect(series.body.timeZone).toBe('Europe/Helsinki');
    const session = await t.dataSource.getRepository(Session).findOneByOrFail({ seriesId: series.body.id });
    // 14:00 in Helsinki (UTC+2 in January).
    expect(session.startsAt.toISOString()).toBe('2027-01-12T12:00:00.000Z');
  });

  it('archives a venue only when nothing runs there any more', async () => {
    const made = (
      await api()
        .post('/api/v1/series')
        .send(buildSeries(world.venue.id, { weekday: 'tue', firstDate: '2026-12-01', lastDate: '2027-01-26' }))
        .expect(201)
    ).body;
    const refused = await api().patch(`/api/v1/venues/${world.venue.id}`).send({ active: false }).expect(409);
    expect(refused.body.error).toMatchObject({ code: 'venue_in_use', details: [{ field: 'body.active' }] });
    await api().post(`/api/v1/series/${made.id}/archive`).send({}).expect(200);
    const archived = await api().patch(`/api/v1/venues/${world.venue.id}`).send({ active: false }).expect(200);
    expect(archived.body.active).toBe(false);
    // An archived venue takes no new café.
    const refusedCafe = await api().post('/api/v1/series').send(buildSeries(world.venue.id)).expect(422);
    expect(refusedCafe.body.error).toMatchObject({ code: 'unknown_reference', details: [{ field: 'body.venueId' }] });
  });

  it("keeps a municipality's time zone and a contract's hourly rate, and changes a contract", async () => {
    const m = await api().post('/api/v1/municipalities').send({ name: 'Mora kommun' }).expect(201);
    expect(m.body.timeZone).toBe('Europe/Stockholm');
    const renamed = await api().patch(`/api/v1/municipalities/${m.body.id}`).send({ name: 'Mora' }).expect(200);
    expect(renamed.body.timeZone).toBe('Europe/Stockholm');
    const bad = await api().patch(`/api/v1/municipalities/${m.body.id}`).send({ timeZone: 'Europe/Mora' }).expect(400);
    expect(bad.body.error.details[0].field).toBe('body.timeZone');

    const contract = await api()
      .post('/api/v1/contracts')
      .send({
        municipalityId: m.body.id,
        associationId: world.association.id,
        startsOn: '2027-01-01',
        endsOn: '2028-12-31',
        hourlyRate: 187.5,
      })
      .expect(201);
    expect(contract.body.hourlyRate).toBe(187.5);
    const changed = await api()
      .patch(`/api/v1/contracts/${contract.body.id}`)
      .send({ endsOn: '2029-06-30', hourlyRate: null, reportingPeriod: 'quarter' })
      .expect(200);
    expect(changed.body).toMatchObject({
      startsOn: '2027-01-01',
      endsOn: '2029-06-30',
      hourlyRate: null,
      reportingPeriod: 'quarter',
    });
    const backwards = await api()
      .patch(`/api/v1/contracts/${contract.body.id}`)
      .send({ endsOn: '2026-12-31' })
      .expect(422);
    expect(backwards.body.error).toMatchObject({ code: 'invalid_contract', details: [{ field: 'body.endsOn' }] });
  });

  it('points links in e-mails at PUBLIC_URL, or at the address the service listens on, and needs PUBLIC_URL in production', () => {
    expect(publicUrl(loadConfig({ HOST: '0.0.0.0', PORT: '8080' }), 8080)).toBe('http://127.0.0.1:8080');
    expect(publicUrl(loadConfig({ HOST: '192.168.1.20', PORT: '0' }), 41234)).toBe('http://192.168.1.20:41234');
    expect(publicUrl(loadConfig({ PUBLIC_URL: 'https://bryggan.mora.se/' }), 3000)).toBe('https://bryggan.mora.se');
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(48) })).toThrow(/PUBLIC_URL/);
  });
});
