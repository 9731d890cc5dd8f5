import { Session } from '../../src/db/entities';
import { CancelReasonSwedish1766000000000 } from '../../src/db/migrations/1766000000000-CancelReasonSwedish';
import { buildSeries, buildSenior } from '../factories';
import type { TestApp } from '../support/app';
import { useWorld, type World } from '../support/world';

/**
 * A café a change to its series takes away says why in plain Swedish, on the week page and in the
 * guides' mail: also the cafés cancelled before, whose reason was stored half in English.
 */
describe('Why a café a series change took away is cancelled', () => {
  let t: TestApp;
  let world: World;
  useWorld('2026-11-24T09:00:00Z', (app, w) => {
    t = app;
    world = w;
  });

  const cancelledByChange = async () => {
    const series = await t
      .http()
      .post('/api/v1/series')
      .send(buildSeries(world.venue.id, { firstDate: '2027-01-05', lastDate: '2027-01-21' }))
      .expect(201);
    const [first] = await t.dataSource
      .getRepository(Session)
      .find({ where: { seriesId: series.body.id }, order: { startsAt: 'ASC' } });
    // A senior is signed up, so the café is kept as cancelled rather than removed.
    const senior = await t.services.seniors.create(buildSenior(world.municipality.id));
    await t.http().post(`/api/v1/sessions/${first.id}/registrations`).send({ seniorId: senior.id }).expect(201);
    await t.http().patch(`/api/v1/series/${series.body.id}`).send({ weekday: 'wed' }).expect(200);
    return first.id;
  };

  it('says "Caféets dag eller tid har ändrats." when the weekday changes', async () => {
    const id = await cancelledByChange();
    const week = await t.http().get(`/api/v1/municipalities/${world.municipality.id}/weeks/2027-W01`).expect(200);
    expect(week.body.sessions.find((s: { id: string }) => s.id === id)).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Caféets dag eller tid har ändrats.',
    });
  });

  it('rewrites the reason stored in English before, and back when the migration is reverted', async () => {
    const id = await cancelledByChange();
    const sessions = t.dataSource.getRepository(Session);
    await sessions.update(id, { cancelReason: 'Serien ändrades / The series changed' });
    // A coordinator's own reason that happens to read alike is theirs: only the series' reason changes.
    const other = await cancelledByChange();
    await sessions.update(other, { cancelSource: 'coordinator', cancelReason: 'Serien ändrades / The series changed' });
    const q = t.dataSource.createQueryRunner();
    try {
      await new CancelReasonSwedish1766000000000().up(q);
      expect((await sessions.findOneByOrFail({ id })).cancelReason).toBe('Caféets dag eller tid har ändrats.');
      expect((await sessions.findOneByOrFail({ id: other })).cancelReason).toBe('Serien ändrades / The series changed');
      await new CancelReasonSwedish1766000000000().down(q);
      expect((await sessions.findOneByOrFail({ id })).cancelReason).toBe('Serien ändrades / The series changed');
    } finally {
      await q.release();
    }
  });
});
