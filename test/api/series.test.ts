import { Session } from '../../src/db/entities';
import { buildSeries, buildSenior, buildVenue } from '../factories';
import type { TestApp } from '../support/app';
import { useWorld, type World } from '../support/world';

describe('Series and their sessions', () => {
  let t: TestApp;
  let world: World;
  useWorld('2026-11-24T09:00:00Z', (app, w) => {
    t = app;
    world = w;
  });

  const api = () => t.http();
  const sessionsOf = (seriesId: string) =>
    t.dataSource.getRepository(Session).find({ where: { seriesId }, order: { startsAt: 'ASC' } });

  it('makes weekly sessions that stay at 14:00 local across the spring clock change', async () => {
    const res = await api()
      .post('/api/v1/series')
      .send(buildSeries(world.venue.id, { weekday: 'tue', firstDate: '2027-03-16', lastDate: '2027-04-06' }))
      .expect(201);
    expect(res.body.changes).toMatchObject({ created: 4, cancelled: 0, removed: 0 });

    const list = await api().get('/api/v1/sessions').query({ seriesId: res.body.id }).expect(200);
    expect(list.body.items.map((s: { localDate: string }) => s.localDate)).toEqual([
      '2027-03-16',
      '2027-03-23',
      '2027-03-30',
      '2027-04-06',
    ]);
    expect(list.body.items.map((s: { startTime: string }) => s.startTime)).toEqual([
      '14:00',
      '14:00',
      '14:00',
      '14:00',
    ]);
    // Summer time from 28 March: the same local time is an hour earlier in UTC.
    expect(list.body.items.map((s: { startsAt: string }) => s.startsAt)).toEqual([
      '2027-03-16T13:00:00.000Z',
      '2027-03-23T13:00:00.000Z',
      '2027-03-30T12:00:00.000Z',
      '2027-04-06T12:00:00.000Z',
    ]);
    // Stored as UTC instants in the database too.
    const stored = await sessionsOf(res.body.id);
    expect(stored[2].startsAt.toISOString()).toBe('2027-03-30T12:00:00.000Z');
  });

  it('makes every-other-week sessions across the autumn change and New Year, skipping holidays', async () => {
    const res = await api()
      .post('/api/v1/series')
      .send(
        buildSeries(world.venue.id, {
          weekday: 'thu',
          intervalWeeks: 2,
          anchorDate: '2027-10-21',
          firstDate: '2027-10-14',
          lastDate: '2028-01-13',
        }),
      )
      .expect(201);
    const stored = await sessionsOf(res.body.id);
    // 21 Oct, 4 Nov (after the change on 31 Oct), 18 Nov, 2 Dec, 16 Dec, (30 Dec runs), 13 Jan; no holiday falls on these Thursdays.
    expect(stored.map((s) => s.localDate)).toEqual([
      '2027-10-21',
      '2027-11-04',
      '2027-11-18',
      '2027-12-02',
      '2027-12-16',
      '2027-12-30',
      '2028-01-13',
    ]);
    expect(stored[0].startsAt.toISOString()).toBe('2027-10-21T12:00:00.000Z');
    expect(stored[1].startsAt.toISOString()).toBe('2027-11-04T13:00:00.000Z');
  });

  it('skips Swedish holidays and says which', async () => {
    const res = await api()
      .post('/api/v1/series')
      .send(buildSeries(world.venue.id, { weekday: 'thu', firstDate: '2026-12-17', lastDate: '2027-01-14' }))
      .expect(201);
    expect(res.body.changes.created).toBe(3);
    expect(res.body.changes.skipped).toEqual([
      { date: '2026-12-24', reason: 'holiday', name: 'Julafton' },
      { date: '2026-12-31', reason: 'holiday', name: 'Nyårsafton' },
    ]);
    expect((await sessionsOf(res.body.id)).map((s) => s.localDate)).toEqual(['2026-12-17', '2027-01-07', '2027-01-14']);
  });

  it('runs on holidays when told to', async () => {
    const res = await api()
      .post('/api/v1/series')
      .send(
        buildSeries(world.venue.id, {
          weekday: 'thu',
          firstDate: '2026-12-17',
          lastDate: '2027-01-14',
          skipHolidays: false,
        }),
      )
      .expect(201);
    expect(res.body.changes.created).toBe(5);
  });

  it('skips a closure added before the series, and cancels or removes sessions when one is added after', async () => {
    const closure = await api()
      .post('/api/v1/closures')
      .send({ municipalityId: world.municipality.id, name: 'Sportlov', startsOn: '2027-03-01', endsOn: '2027-03-07' })
      .expect(201);
    const series = await api()
      .post('/api/v1/series')
      .send(buildSeries(world.venue.id, { firstDate: '2027-02-23', lastDate: '2027-03-23' }))
      .expect(201);
    expect(series.body.changes.skipped).toEqual([{ date: '2027-03-02', reason: 'closure', name: 'Sportlov' }]);

    // A senior signs up for 16 March; then the coordinator closes 8–21 March (a renovation).
    const [, march9, march16] = await sessionsOf(series.body.id);
    expect(march9.localDate).toBe('2027-03-09');
    const senior = await t.services.seniors.create(buildSenior(world.municipality.id));
    await api().post(`/api/v1/sessions/${march16.id}/registrations`).send({ seniorId: senior.id }).expect(201);
    const renovation = await api()
      .post('/api/v1/closures')
      .send({
        municipalityId: world.municipality.id,
        venueId: world.venue.id,
        name: 'Renovering',
        startsOn: '2027-03-08',
        endsOn: '2027-03-21',
      })
      .expect(201);
    // Nobody had signed up for 9 March: it goes. 16 March is kept, cancelled with the reason, so the senior can be told.
    expect(renovation.body.changes).toMatchObject({ removed: 1, cancelled: 1 });
    const after = await sessionsOf(series.body.id);
    expect(after.map((s) => [s.localDate, s.status, s.cancelReason])).toEqual([
      ['2027-02-23', 'scheduled', null],
      ['2027-03-16', 'cancelled', 'Renovering'],
      ['2027-03-23', 'scheduled', null],
    ]);

    // Removing the closure brings both back; the registration is still there.
    const removed = await api().delete(`/api/v1/closures/${renovation.body.id}`).expect(200);
    expect(removed.body.changes).toMatchObject({ created: 1, restored: 1 });
    const restored = await sessionsOf(series.body.id);
    expect(restored.map((s) => [s.localDate, s.status])).toEqual([
      ['2027-02-23', 'scheduled'],
      ['2027-03-09', 'scheduled'],
      ['2027-03-16', 'scheduled'],
      ['2027-03-23', 'scheduled'],
    ]);
    expect(restored[2].id).toBe(march16.id);
    const regs = await api().get(`/api/v1/sessions/${march16.id}/registrations`).expect(200);
    expect(regs.body.items).toHaveLength(1);
    expect(closure.body.id).toBeDefined();
  });

  it('moves future sessions when the series time changes, keeping their ids and registrations', async () => {
    const series = await api()
      .post('/api/v1/series')
      .send(buildSeries(world.venue.id, { firstDate: '2027-01-05', lastDate: '2027-01-26' }))
      .expect(201);
    const before = await sessionsOf(series.body.id);
    const senior = await t.services.seniors.create(buildSenior(world.municipality.id));
    await api().post(`/api/v1/sessions/${before[1].id}/registrations`).send({ seniorId: senior.id }).expect(201);

    const changed = await api()
      .patch(`/api/v1/series/${series.body.id}`)
      .send({ startTime: '15:30', seats: 12 })
      .expect(200);
    expect(changed.body.changes).toMatchObject({ created: 0, updated: 4 });
    const after = await sessionsOf(series.body.id);
    expect(after.map((s) => s.id)).toEqual(before.map((s) => s.id));
    expect(after.map((s) => s.startsAt.toISOString())).toEqual([
      '2027-01-05T14:30:00.000Z',
      '2027-01-12T14:30:00.000Z',
      '2027-01-19T14:30:00.000Z',
      '2027-01-26T14:30:00.000Z',
    ]);
    expect(after.every((s) => s.seats === 12)).toBe(true);
  });

  it('keeps an every-other-week rhythm when only the seats change', async () => {
    const series = await api()
      .post('/api/v1/series')
      .send(
        buildSeries(world.venue.id, {
          intervalWeeks: 2,
          minGuides: 3,
          firstDate: '2027-01-12',
          lastDate: '2027-02-23',
        }),
      )
      .expect(201);
    const changed = await api().patch(`/api/v1/series/${series.body.id}`).send({ seats: 20 }).expect(200);
    expect(changed.body).toMatchObject({ intervalWeeks: 2, minGuides: 3, seats: 20, skipHolidays: true });
    expect(changed.body.changes).toMatchObject({ created: 0, removed: 0, updated: 4 });
  });

  it('leaves past sessions alone when the series changes', async () => {
    const series = await api()
      .post('/api/v1/series')
      .send(buildSeries(world.venue.id, { firstDate: '2026-12-01', lastDate: '2026-12-15' }))
      .expect(201);
    t.clock.set('2026-12-09T09:00:00Z');
    await api().patch(`/api/v1/series/${series.body.id}`).send({ startTime: '16:00' }).expect(200);
    const after = await sessionsOf(series.body.id);
    expect(after.map((s) => s.startsAt.toISOString())).toEqual([
      '2026-12-01T13:00:00.000Z',
      '2026-12-08T13:00:00.000Z',
      '2026-12-15T15:00:00.000Z',
    ]);
  });

  it('cancels (keeps) signed-up sessions and removes empty ones when the weekday changes', async () => {
    const series = await api()
      .post('/api/v1/series')
      .send(buildSeries(world.venue.id, { firstDate: '2027-01-05', lastDate: '2027-01-21' }))
      .expect(201);
    const before = await sessionsOf(series.body.id);
    const senior = await t.services.seniors.create(buildSenior(world.municipality.id));
    await api().post(`/api/v1/sessions/${before[0].id}/registrations`).send({ seniorId: senior.id }).expect(201);

    const changed = await api().patch(`/api/v1/series/${series.body.id}`).send({ weekday: 'wed' }).expect(200);
    // Wednesday 6 January is Epiphany (trettondedag jul): skipped.
    expect(changed.body.changes).toMatchObject({ created: 2, cancelled: 1, removed: 2 });
    expect(changed.body.changes.skipped).toEqual([{ date: '2027-01-06', reason: 'holiday', name: 'Trettondedag jul' }]);
    const after = await sessionsOf(series.body.id);
    expect(after.map((s) => [s.localDate, s.status, s.cancelSource])).toEqual([
      ['2027-01-05', 'cancelled', 'series_changed'],
      ['2027-01-13', 'scheduled', null],
      ['2027-01-20', 'scheduled', null],
    ]);
  });
});

describe('Single sessions', () => {
  let t: TestApp;
  let world: World;
  useWorld('2026-11-24T09:00:00Z', (app, w) => {
    t = app;
    world = w;
  });
  const api = () => t.http();

  it('refuses a café that would not make sense: more seats than the venue, a start the clocks skip, consent not yet given', async () => {
    // The venue seats 20: 80 is a typo for 8.
    const tooMany = await api()
      .post('/api/v1/sessions')
      .send({ venueId: world.venue.id, date: '2027-03-30', startTime: '14:00', durationMinutes: 120, seats: 80 })
      .expect(422);
    expect(tooMany.body.error).toMatchObject({
      code: 'more_seats_than_venue',
      details: [{ field: 'body.seats', issue: "must not be more than the venue's 20 seats" }],
    });
    // 02:30 on 28 March 2027 does not exist in Stockholm: the clocks go from 02:00 to 03:00.
    const gap = await api()
      .post('/api/v1/sessions')
      .send({ venueId: world.venue.id, date: '2027-03-28', startTime: '02:30', durationMinutes: 60, seats: 8 })
      .expect(422);
    expect(gap.body.error).toMatchObject({
      code: 'time_does_not_exist',
      details: [{ field: 'body.startTime', issue: expect.stringContaining('2027-03-28') }],
    });
    // The hour that happens twice in October exists: it is kept (the first of the two).
    await api()
      .post('/api/v1/sessions')
      .send({ venueId: world.venue.id, date: '2027-10-31', startTime: '02:30', durationMinutes: 60, seats: 8 })
      .expect(201);
    // A weekly Sunday café at 02:15 meets the skipped hour on 28 March.
    const series = await api()
      .post('/api/v1/series')
      .send(
        buildSeries(world.venue.id, {
          weekday: 'sun',
          startTime: '02:15',
          firstDate: '2027-03-01',
          lastDate: '2027-04-30',
        }),
      )
      .expect(422);
    expect(series.body.error.details[0].issue).toContain('2027-03-28');
    await api()
      .post('/api/v1/series')
      .send(buildSeries(world.venue.id, { seats: 21 }))
      .expect(422);
    const ok = await api().post('/api/v1/series').send(buildSeries(world.venue.id)).expect(201);
    await api().patch(`/api/v1/series/${ok.body.id}`).send({ seats: 25 }).expect(422);
    await api().patch(`/api/v1/series/${ok.body.id}`).send({ weekday: 'sun', startTime: '02:30' }).expect(422);
    // Consent is recorded when it has been given, not ahead.
    const future = await api()
      .post('/api/v1/seniors')
      .send(buildSenior(world.municipality.id, { consentGivenAt: '2027-12-24T10:00:00Z' }))
      .expect(422);
    expect(future.body.error).toMatchObject({
      code: 'consent_in_future',
      details: [{ field: 'body.consentGivenAt', issue: 'must not be in the future' }],
    });
  });

  it('adds a one-off theme session at local time across a clock change', async () => {
    const res = await api()
      .post('/api/v1/sessions')
      .send({
        venueId: world.venue.id,
        date: '2027-03-28',
        startTime: '18:00',
        durationMinutes: 90,
        seats: 15,
        theme: 'BankID',
      })
      .expect(201);
    expect(res.body).toMatchObject({
      localDate: '2027-03-28',
      startTime: '18:00',
      endTime: '19:30',
      startsAt: '2027-03-28T16:00:00.000Z',
      theme: 'BankID',
      seriesId: null,
      minGuides: 2,
      maxGuides: 3,
    });
  });

  it('moves one session; it then stands apart from its series', async () => {
    const series = await api()
      .post('/api/v1/series')
      .send(buildSeries(world.venue.id, { firstDate: '2027-01-05', lastDate: '2027-01-19' }))
      .expect(201);
    const [first] = (await api().get('/api/v1/sessions').query({ seriesId: series.body.id })).body.items;
    const moved = await api()
      .patch(`/api/v1/sessions/${first.id}`)
      .send({ date: '2027-01-07', startTime: '10:00' })
      .expect(200);
    expect(moved.body).toMatchObject({ localDate: '2027-01-07', startTime: '10:00', endTime: '12:00', detached: true });

    await api().patch(`/api/v1/series/${series.body.id}`).send({ startTime: '15:00' }).expect(200);
    const again = await api().get(`/api/v1/sessions/${first.id}`).expect(200);
    expect(again.body).toMatchObject({ localDate: '2027-01-07', startTime: '10:00' });
  });

  it('cancels with a reason and keeps the session; cancelling twice is harmless; restore brings it back', async () => {
    const one = await api()
      .post('/api/v1/sessions')
      .send({ venueId: world.venue.id, date: '2027-02-02', startTime: '14:00', durationMinutes: 120, seats: 8 })
      .expect(201);
    const cancelled = await api()
      .post(`/api/v1/sessions/${one.body.id}/cancel`)
      .send({ reason: 'Vattenläcka i lokalen' })
      .expect(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      cancelSource: 'coordinator',
      cancelReason: 'Vattenläcka i lokalen',
    });
    await api().post(`/api/v1/sessions/${one.body.id}/cancel`).send({ reason: 'igen' }).expect(200);
    expect((await api().get(`/api/v1/sessions/${one.body.id}`)).body.cancelReason).toBe('Vattenläcka i lokalen');
    const list = await api()
      .get('/api/v1/sessions')
      .query({ municipalityId: world.municipality.id, status: 'cancelled' })
      .expect(200);
    expect(list.body.total).toBe(1);
    const restored = await api().post(`/api/v1/sessions/${one.body.id}/restore`).expect(200);
    expect(restored.body).toMatchObject({ status: 'scheduled', cancelReason: null });
  });

  /** Tuesdays 5–19 January 2027, with a senior signed up for the 12th. */
  const seatedOnJan12 = async () => {
    const series = await api()
      .post('/api/v1/series')
      .send(buildSeries(world.venue.id, { firstDate: '2027-01-05', lastDate: '2027-01-19' }))
      .expect(201);
    const [, jan12] = (await api().get('/api/v1/sessions').query({ seriesId: series.body.id })).body.items;
    const senior = await t.services.seniors.create(buildSenior(world.municipality.id));
    await api().post(`/api/v1/sessions/${jan12.id}/registrations`).send({ seniorId: senior.id }).expect(201);
    return { series, jan12 };
  };

  it('keeps a session the coordinator restored, whatever the calendar does later', async () => {
    const { series, jan12 } = await seatedOnJan12();
    await api()
      .post('/api/v1/closures')
      .send({ municipalityId: world.municipality.id, name: 'Studiedag', startsOn: '2027-01-12', endsOn: '2027-01-12' })
      .expect(201);
    expect((await api().get(`/api/v1/sessions/${jan12.id}`)).body.status).toBe('cancelled');
    await api().post(`/api/v1/sessions/${jan12.id}/restore`).expect(200);
    // An unrelated closure in May, and a change to the series, leave it alone.
    await api()
      .post('/api/v1/closures')
      .send({ municipalityId: world.municipality.id, name: 'Maj', startsOn: '2027-05-03', endsOn: '2027-05-04' })
      .expect(201);
    await api().patch(`/api/v1/series/${series.body.id}`).send({ theme: 'BankID' }).expect(200);
    expect((await api().get(`/api/v1/sessions/${jan12.id}`)).body.status).toBe('scheduled');
  });

  it('decides anew whether a moved café is closed: out of its closure it runs again, into one it is refused', async () => {
    const { jan12 } = await seatedOnJan12();
    const closure = await api()
      .post('/api/v1/closures')
      .send({ municipalityId: world.municipality.id, name: 'Studiedag', startsOn: '2027-01-12', endsOn: '2027-01-12' })
      .expect(201);
    const cancelled = (await api().get(`/api/v1/sessions/${jan12.id}`)).body;
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelSource: 'closure' });
    // Moved to the Wednesday, outside the closure: it runs.
    const moved = await api()
      .patch(`/api/v1/sessions/${jan12.id}`)
      .send({ date: '2027-01-13', version: cancelled.version })
      .expect(200);
    expect(moved.body).toMatchObject({ status: 'scheduled', localDate: '2027-01-13', cancelReason: null });
    // Removing the closure leaves it where it was moved, running.
    await api().delete(`/api/v1/closures/${closure.body.id}`).expect(200);
    expect((await api().get(`/api/v1/sessions/${jan12.id}`)).body).toMatchObject({
      status: 'scheduled',
      localDate: '2027-01-13',
    });
    // Into a closure: refused, naming it, nothing changed.
    await api()
      .post('/api/v1/closures')
      .send({ municipalityId: world.municipality.id, name: 'Sportlov', startsOn: '2027-01-18', endsOn: '2027-01-22' })
      .expect(201);
    const now = (await api().get(`/api/v1/sessions/${jan12.id}`)).body;
    const refused = await api()
      .patch(`/api/v1/sessions/${jan12.id}`)
      .send({ date: '2027-01-20', version: now.version })
      .expect(422);
    expect(refused.body.error).toMatchObject({
      code: 'venue_closed',
      details: [{ field: 'body.date', issue: 'closed then: Sportlov' }],
    });
    expect((await api().get(`/api/v1/sessions/${jan12.id}`)).body.localDate).toBe('2027-01-13');
  });

  it('refuses to cancel a session that is over', async () => {
    const one = await api()
      .post('/api/v1/sessions')
      .send({ venueId: world.venue.id, date: '2026-11-25', startTime: '14:00', durationMinutes: 120, seats: 8 })
      .expect(201);
    t.clock.set('2026-11-26T09:00:00Z');
    const res = await api().post(`/api/v1/sessions/${one.body.id}/cancel`).send({ reason: 'för sent' }).expect(409);
    expect(res.body.error.code).toBe('session_over');
  });

  it('lists sessions by date range, venue and status with paging', async () => {
    const other = await t.services.venues.create(
      buildVenue(world.municipality.id, { name: 'Vivalla träffpunkt', kind: 'meeting_point' }),
    );
    await api()
      .post('/api/v1/series')
      .send(buildSeries(world.venue.id, { firstDate: '2027-01-05', lastDate: '2027-03-30' }))
      .expect(201);
    await api()
      .post('/api/v1/series')
      .send(
        buildSeries(other.id, { weekday: 'wed', intervalWeeks: 2, firstDate: '2027-01-06', lastDate: '2027-03-31' }),
      )
      .expect(201);

    const feb = await api()
      .get('/api/v1/sessions')
      .query({ municipalityId: world.municipality.id, from: '2027-02-01', to: '2027-02-28', limit: 3 })
      .expect(200);
    expect(feb.body.total).toBe(4 + 2);
    expect(feb.body.items).toHaveLength(3);
    const rest = await api()
      .get('/api/v1/sessions')
      .query({ municipalityId: world.municipality.id, from: '2027-02-01', to: '2027-02-28', limit: 3, offset: 3 })
      .expect(200);
    const dates = [...feb.body.items, ...rest.body.items].map((s: { localDate: string }) => s.localDate);
    expect(dates).toEqual([...dates].sort());
    expect(new Set(dates).size).toBe(6);

    const venueOnly = await api().get('/api/v1/sessions').query({ venueId: other.id }).expect(200);
    // Every other Wednesday from 6 January to 31 March is seven dates, less Epiphany.
    expect(venueOnly.body.total).toBe(6);
  });
});
