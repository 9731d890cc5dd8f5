import { Registration, Session } from '../../src/db/entities';
import { buildSeries, buildSenior } from '../factories';
import type { TestApp } from '../support/app';
import { justBeforeLocking } from '../support/locks';
import { useWorld, type World } from '../support/world';

/** A regular: a senior's standing place at a café, instead of one sign-up a week. */
describe('Regulars', () => {
  let t: TestApp;
  let world: World;
  useWorld('2026-11-24T09:00:00Z', (app, w) => {
    t = app;
    world = w;
  });
  const api = () => t.http();
  const cafe = async (seats = 4, lastDate = '2027-01-26') =>
    (
      await api()
        .post('/api/v1/series')
        .send(buildSeries(world.venue.id, { weekday: 'tue', firstDate: '2026-12-01', lastDate, seats }))
        .expect(201)
    ).body;
  const senior = (name: string) => t.services.seniors.create(buildSenior(world.municipality.id, { displayName: name }));
  const seatsOf = async (seniorId: string) =>
    (await t.dataSource.getRepository(Registration).find({ where: { seniorId }, relations: { session: true } }))
      .map((r) => `${r.session!.localDate} ${r.status}`)
      .sort();

  it('signs a regular up for every café from a date, seated where seats allow and waiting where full', async () => {
    const series = await cafe(1);
    const first = await t.dataSource
      .getRepository(Session)
      .findOneByOrFail({ seriesId: series.id, localDate: '2026-12-15' });
    const other = await senior('Gun');
    await api().post(`/api/v1/sessions/${first.id}/registrations`).send({ seniorId: other.id }).expect(201);

    const birgitta = await senior('Birgitta');
    const made = await api()
      .post('/api/v1/regulars')
      .send({ seniorId: birgitta.id, seriesId: series.id, fromDate: '2026-12-08', topic: 'bankid' })
      .expect(201);
    // 8 Dec – 26 Jan, no café on 22 and 29 Dec (Christmas) … the rule decides; 15 Dec is full.
    expect(made.body.waitlisted).toBe(1);
    expect(made.body.seated + made.body.waitlisted).toBe(
      await t.dataSource
        .getRepository(Session)
        .count({ where: { seriesId: series.id } })
        .then((n) => n - 1),
    );
    const seats = await seatsOf(birgitta.id);
    expect(seats).toContain('2026-12-15 waitlisted');
    expect(seats.some((s) => s.startsWith('2026-12-01'))).toBe(false);

    const coming = await api().get(`/api/v1/seniors/${birgitta.id}/sessions`).expect(200);
    expect(coming.body.items[0]).toMatchObject({
      localDate: '2026-12-08',
      startTime: '14:00',
      status: 'confirmed',
      regular: true,
    });

    const again = await api()
      .post('/api/v1/regulars')
      .send({ seniorId: birgitta.id, seriesId: series.id, fromDate: '2027-01-05' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_regular');
  });

  it('gives the regular a place in the sessions the café makes later', async () => {
    const series = await cafe(4, '2026-12-15');
    const birgitta = await senior('Birgitta');
    await api()
      .post('/api/v1/regulars')
      .send({ seniorId: birgitta.id, seriesId: series.id, fromDate: '2026-12-01' })
      .expect(201);
    expect(await seatsOf(birgitta.id)).toEqual([
      '2026-12-01 confirmed',
      '2026-12-08 confirmed',
      '2026-12-15 confirmed',
    ]);
    await api().patch(`/api/v1/series/${series.id}`).send({ lastDate: '2027-01-12' }).expect(200);
    const seats = await seatsOf(birgitta.id);
    expect(seats).toContain('2027-01-12 confirmed');
  });

  it('ends a regular place from a date: the seats from then are cancelled and the waiting list moves up', async () => {
    const series = await cafe(1, '2026-12-15');
    const birgitta = await senior('Birgitta');
    const made = await api()
      .post('/api/v1/regulars')
      .send({ seniorId: birgitta.id, seriesId: series.id, fromDate: '2026-12-01' })
      .expect(201);
    const last = await t.dataSource
      .getRepository(Session)
      .findOneByOrFail({ seriesId: series.id, localDate: '2026-12-15' });
    const gun = await senior('Gun');
    const waiting = await api()
      .post(`/api/v1/sessions/${last.id}/registrations`)
      .send({ seniorId: gun.id })
      .expect(201);
    expect(waiting.body.status).toBe('waitlisted');

    const ended = await api()
      .post(`/api/v1/regulars/${made.body.regular.id}/end`)
      .send({ fromDate: '2026-12-08' })
      .expect(200);
    expect(ended.body).toMatchObject({ cancelled: 2, regular: { toDate: '2026-12-07' } });
    expect(await seatsOf(birgitta.id)).toEqual([
      '2026-12-01 confirmed',
      '2026-12-08 cancelled',
      '2026-12-15 cancelled',
    ]);
    expect((await api().get(`/api/v1/registrations/${waiting.body.id}`).expect(200)).body.status).toBe('confirmed');
    const list = await api().get(`/api/v1/seniors/${birgitta.id}/regulars`).expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({ fromDate: '2026-12-01', toDate: '2026-12-07' })]);
  });

  it('leaves a seat cancelled meanwhile as it was when a regular place ends: its time stays, and it is not counted again', async () => {
    const series = await cafe(2, '2026-12-15');
    const karin = await senior('Karin');
    const made = await api()
      .post('/api/v1/regulars')
      .send({ seniorId: karin.id, seriesId: series.id, fromDate: '2026-12-01' })
      .expect(201);
    const seats = await t.dataSource.getRepository(Registration).find({ where: { seniorId: karin.id } });
    const dec8 = await t.dataSource
      .getRepository(Session)
      .findOneByOrFail({ seriesId: series.id, localDate: '2026-12-08' });
    const seat = seats.find((r) => r.sessionId === dec8.id)!;
    // Another cancellation commits after the end read the seats and before it locks this café.
    const earlier = new Date('2026-11-20T08:00:00Z');
    const lock = justBeforeLocking(dec8.id, (m) =>
      m.update(Registration, { id: seat.id }, { status: 'cancelled', cancelledAt: earlier }),
    );
    try {
      const ended = await api()
        .post(`/api/v1/regulars/${made.body.regular.id}/end`)
        .send({ fromDate: '2026-12-08' })
        .expect(200);
      expect(lock).toHaveBeenCalled();
      expect(ended.body).toMatchObject({ cancelled: 1 });
    } finally {
      lock.mockRestore();
    }
    const after = await t.dataSource.getRepository(Registration).findOneByOrFail({ id: seat.id });
    expect(after).toMatchObject({ status: 'cancelled', cancelledAt: earlier });
  });

  it('seats a new regular by the café as it is under its lock: one cancelled meanwhile gets no one', async () => {
    const series = await cafe(2, '2026-12-15');
    const dec8 = await t.dataSource
      .getRepository(Session)
      .findOneByOrFail({ seriesId: series.id, localDate: '2026-12-08' });
    const ingrid = await senior('Ingrid');
    // The coordinator's cancellation commits after the regular read the cafés, before it locks this one.
    const lock = justBeforeLocking(dec8.id, (m) => m.update(Session, { id: dec8.id }, { status: 'cancelled' }));
    try {
      const made = await api()
        .post('/api/v1/regulars')
        .send({ seniorId: ingrid.id, seriesId: series.id, fromDate: '2026-12-01' })
        .expect(201);
      expect(made.body).toMatchObject({ seated: 2, waitlisted: 0 });
    } finally {
      lock.mockRestore();
    }
    expect(await seatsOf(ingrid.id)).toEqual(['2026-12-01 confirmed', '2026-12-15 confirmed']);
  });

  it('keeps a seat the senior made again by hand when the regular place ends', async () => {
    const series = await cafe(2, '2026-12-15');
    const maj = await senior('Maj');
    const made = await api()
      .post('/api/v1/regulars')
      .send({ seniorId: maj.id, seriesId: series.id, fromDate: '2026-12-01' })
      .expect(201);
    const dec15 = await t.dataSource
      .getRepository(Session)
      .findOneByOrFail({ seriesId: series.id, localDate: '2026-12-15' });
    const seat = await t.dataSource
      .getRepository(Registration)
      .findOneByOrFail({ seniorId: maj.id, sessionId: dec15.id });
    // After the end read her seats: she cancels 15 December and signs up again by hand (the same row, no regular).
    const lock = justBeforeLocking(dec15.id, (m) => m.update(Registration, { id: seat.id }, { regularId: null }));
    try {
      const ended = await api()
        .post(`/api/v1/regulars/${made.body.regular.id}/end`)
        .send({ fromDate: '2026-12-08' })
        .expect(200);
      expect(ended.body).toMatchObject({ cancelled: 1 });
    } finally {
      lock.mockRestore();
    }
    expect(await seatsOf(maj.id)).toEqual(['2026-12-01 confirmed', '2026-12-08 cancelled', '2026-12-15 confirmed']);
  });

  it('refuses an ended café (422) and a place that ends before it starts (400)', async () => {
    const series = await cafe();
    const birgitta = await senior('Birgitta');
    const backwards = await api()
      .post('/api/v1/regulars')
      .send({ seniorId: birgitta.id, seriesId: series.id, fromDate: '2026-12-08', toDate: '2026-12-01' })
      .expect(400);
    expect(backwards.body.error.details[0].field).toBe('body.toDate');
    await api().post(`/api/v1/series/${series.id}/archive`).send({}).expect(200);
    const ended = await api()
      .post('/api/v1/regulars')
      .send({ seniorId: birgitta.id, seriesId: series.id, fromDate: '2026-12-08' })
      .expect(422);
    expect(ended.body.error).toMatchObject({ code: 'unknown_reference', details: [{ field: 'body.seriesId' }] });
  });
});
