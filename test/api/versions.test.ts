import { Venue } from '../../src/db/entities';
import { buildGuide, buildSenior, buildSeries } from '../factories';
import { useWorld, type World } from '../support/world';
import type { TestApp } from '../support/app';

/** Two coordinators edit the same thing: the one who edits an old copy gets 409, and nothing of theirs is written. */
describe('Optimistic versioning of edited rows', () => {
  let t: TestApp;
  let world: World;
  useWorld('2026-11-24T09:00:00Z', (app, w) => ((t = app), (world = w)));

  it('refuses a venue edit made on an old copy, and keeps the first edit', async () => {
    const api = t.http();
    const loaded = (await api.get(`/api/v1/venues/${world.venue.id}`).expect(200)).body;
    expect(loaded.version).toBe(1);
    const first = await api
      .patch(`/api/v1/venues/${world.venue.id}`)
      .send({ seats: 12, version: loaded.version })
      .expect(200);
    expect(first.body.version).toBe(2);
    const late = await api
      .patch(`/api/v1/venues/${world.venue.id}`)
      .send({ name: 'Biblioteket', version: loaded.version })
      .expect(409);
    expect(late.body.error).toMatchObject({
      code: 'version_conflict',
      details: [{ field: 'body.version', issue: 'current version is 2' }],
    });
    expect(await t.dataSource.getRepository(Venue).findOneByOrFail({ id: world.venue.id })).toMatchObject({
      seats: 12,
      name: world.venue.name,
      version: 2,
    });
    // Without a version the edit goes through (and the version still rises).
    expect((await api.patch(`/api/v1/venues/${world.venue.id}`).send({ seats: 10 }).expect(200)).body.version).toBe(3);
    // A version alone is not a change.
    await api.patch(`/api/v1/venues/${world.venue.id}`).send({ version: 3 }).expect(400);
  });

  it('lets one of two simultaneous edits of the same version win', async () => {
    const api = t.http();
    const senior = await t.services.seniors.create(buildSenior(world.municipality.id));
    const answers = await Promise.all([
      api.patch(`/api/v1/seniors/${senior.id}`).send({ displayName: 'Karin', version: 1 }),
      api.patch(`/api/v1/seniors/${senior.id}`).send({ displayName: 'Kerstin', version: 1 }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const guide = await t.services.guides.create(buildGuide(world.association.id, world.municipality.id));
    const both = await Promise.all(
      [1, 2].map((n) => api.patch(`/api/v1/guides/${guide.id}`).send({ maxHoursPerWeek: 4 + n, version: 1 })),
    );
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it("moves a session's version when its series changes it, so an edit made before is refused", async () => {
    const api = t.http();
    const series = (
      await api
        .post('/api/v1/series')
        .send(buildSeries(world.venue.id, { firstDate: '2027-01-05', lastDate: '2027-01-26' }))
        .expect(201)
    ).body;
    const sessions = (await api.get('/api/v1/sessions').query({ seriesId: series.id }).expect(200)).body.items;
    const copy = sessions[1];
    await api.patch(`/api/v1/series/${series.id}`).send({ startTime: '15:00', version: series.version }).expect(200);
    await api.patch(`/api/v1/sessions/${copy.id}`).send({ seats: 6, version: copy.version }).expect(409);
    const fresh = (await api.get(`/api/v1/sessions/${copy.id}`).expect(200)).body;
    expect(fresh).toMatchObject({ startTime: '15:00', version: copy.version + 1 });
    await api.patch(`/api/v1/sessions/${copy.id}`).send({ seats: 6, version: fresh.version }).expect(200);
    // The series itself: an edit of its old version is refused too.
    await api.patch(`/api/v1/series/${series.id}`).send({ seats: 4, version: series.version }).expect(409);
  });
});
