import { AuditEntry, Registration } from '../../src/db/entities';
import { buildSenior, createWorld } from '../factories';
import { createTestApp, type TestApp } from '../support/app';

describe('Registrations', () => {
  let t: TestApp;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let sessionId: string;
  beforeEach(async () => {
    t = await createTestApp('2026-11-24T09:00:00Z');
    world = await createWorld(t.services);
    const res = await t
      .http()
      .post('/api/v1/sessions')
      .send({ venueId: world.venue.id, date: '2026-12-01', startTime: '14:00', durationMinutes: 120, seats: 2 })
      .expect(201);
    sessionId = res.body.id;
  });
  afterEach(() => t.close());

  const api = () => t.http();
  const senior = (o: Parameters<typeof buildSenior>[1] = {}) =>
    t.services.seniors.create(buildSenior(world.municipality.id, o));
  const register = (seniorId: string, body: object = {}) =>
    api()
      .post(`/api/v1/sessions/${sessionId}/registrations`)
      .send({ seniorId, ...body });

  it('seats seniors with the devices they bring, defaulting to their own', async () => {
    const anna = await senior({
      devices: [
        { platform: 'ios', kind: 'phone' },
        { platform: 'windows', kind: 'computer' },
      ],
    });
    const res = await register(anna.id, { topic: 'bankid' }).expect(201);
    expect(res.body).toMatchObject({
      status: 'confirmed',
      waitlistPosition: null,
      topic: 'bankid',
      displayName: anna.displayName,
    });
    expect(res.body.devices).toEqual(anna.devices);

    const bo = await senior();
    const own = await register(bo.id, { devices: [{ platform: 'android', kind: 'tablet' }] }).expect(201);
    expect(own.body.devices).toEqual([{ platform: 'android', kind: 'tablet' }]);
  });

  it('puts seniors on a waiting list when the seats are taken, and moves them up in order', async () => {
    const [a, b, c, d] = [await senior(), await senior(), await senior(), await senior()];
    const ra = await register(a.id).expect(201);
    t.clock.advance(1000);
    await register(b.id).expect(201);
    t.clock.advance(1000);
    const rc = await register(c.id).expect(201);
    t.clock.advance(1000);
    const rd = await register(d.id).expect(201);
    expect([rc.body.status, rc.body.waitlistPosition]).toEqual(['waitlisted', 1]);
    expect([rd.body.status, rd.body.waitlistPosition]).toEqual(['waitlisted', 2]);

    await api().post(`/api/v1/registrations/${ra.body.id}/cancel`).expect(200);
    expect((await api().get(`/api/v1/registrations/${rc.body.id}`)).body).toMatchObject({
      status: 'confirmed',
      waitlistPosition: null,
    });
    expect((await api().get(`/api/v1/registrations/${rd.body.id}`)).body).toMatchObject({
      status: 'waitlisted',
      waitlistPosition: 1,
    });

    const list = await api().get(`/api/v1/sessions/${sessionId}/registrations`).expect(200);
    expect(list.body.items.map((r: { seniorId: string; status: string }) => [r.seniorId, r.status])).toEqual([
      [a.id, 'cancelled'],
      [b.id, 'confirmed'],
      [c.id, 'confirmed'],
      [d.id, 'waitlisted'],
    ]);
  });

  it('keeps the order of signing up even when sign-ups share a millisecond', async () => {
    // The test clock stands still: every sign-up has the same timestamp.
    const seniors = [await senior(), await senior(), await senior(), await senior(), await senior()];
    const regs = [];
    for (const s of seniors) regs.push((await register(s.id).expect(201)).body);
    expect(regs.map((r) => [r.status, r.waitlistPosition])).toEqual([
      ['confirmed', null],
      ['confirmed', null],
      ['waitlisted', 1],
      ['waitlisted', 2],
      ['waitlisted', 3],
    ]);
    await api().post(`/api/v1/registrations/${regs[1].id}/cancel`).expect(200);
    expect((await api().get(`/api/v1/registrations/${regs[2].id}`)).body.status).toBe('confirmed');
    expect((await api().get(`/api/v1/registrations/${regs[4].id}`)).body.waitlistPosition).toBe(2);
  });

  it('gives the waiting list the seats a bigger session frees', async () => {
    const [a, b, c] = [await senior(), await senior(), await senior()];
    await register(a.id);
    await register(b.id);
    const rc = await register(c.id).expect(201);
    expect(rc.body.status).toBe('waitlisted');
    await api().patch(`/api/v1/sessions/${sessionId}`).send({ seats: 3 }).expect(200);
    expect((await api().get(`/api/v1/registrations/${rc.body.id}`)).body.status).toBe('confirmed');
  });

  it('refuses to cut the seats below those already taken', async () => {
    const [a, b] = [await senior(), await senior()];
    await register(a.id).expect(201);
    await register(b.id).expect(201);
    const res = await api().patch(`/api/v1/sessions/${sessionId}`).send({ seats: 1 }).expect(409);
    expect(res.body.error).toMatchObject({ code: 'seats_taken', details: [{ field: 'body.seats' }] });
  });

  it('refuses to register a senior twice for one session, and stores one row', async () => {
    const a = await senior();
    await register(a.id).expect(201);
    const again = await register(a.id).expect(409);
    expect(again.body.error).toMatchObject({
      code: 'already_registered',
      details: [{ field: 'body.seniorId', issue: 'already confirmed' }],
    });
    expect(await t.dataSource.getRepository(Registration).countBy({ sessionId })).toBe(1);
  });

  it('refuses the second of two simultaneous registrations of the same senior', async () => {
    const a = await senior();
    const results = await Promise.all([register(a.id), register(a.id)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await t.dataSource.getRepository(Registration).countBy({ sessionId })).toBe(1);
  });

  it('never gives more seats than there are, however many sign up at once', async () => {
    const seniors = await Promise.all(Array.from({ length: 6 }, () => senior()));
    const results = await Promise.all(seniors.map((s) => register(s.id)));
    expect(results.map((r) => r.body.status).filter((s) => s === 'confirmed')).toHaveLength(2);
    expect(await t.dataSource.getRepository(Registration).countBy({ sessionId, status: 'confirmed' })).toBe(2);
  });

  it('lets a senior sign up again after a cancellation, at the back of the queue', async () => {
    const [a, b, c] = [await senior(), await senior(), await senior()];
    const ra = await register(a.id);
    await register(b.id);
    await api().post(`/api/v1/registrations/${ra.body.id}/cancel`).expect(200);
    await register(c.id).expect(201);
    const back = await register(a.id).expect(201);
    expect(back.body).toMatchObject({ id: ra.body.id, status: 'waitlisted', waitlistPosition: 1 });
  });

  it('cancelling twice is harmless', async () => {
    const a = await senior();
    const ra = await register(a.id);
    await api().post(`/api/v1/registrations/${ra.body.id}/cancel`).expect(200);
    const again = await api().post(`/api/v1/registrations/${ra.body.id}/cancel`).expect(200);
    expect(again.body.status).toBe('cancelled');
  });

  it('two cancels at once cancel once: one audit row, one seat given on', async () => {
    const [a, b, c] = [await senior(), await senior(), await senior()];
    const ra = await register(a.id);
    await register(b.id);
    await register(c.id).expect(201);
    const both = await Promise.all([1, 2].map(() => api().post(`/api/v1/registrations/${ra.body.id}/cancel`)));
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(
      await t.dataSource.getRepository(AuditEntry).countBy({ action: 'registration.cancel', entityId: ra.body.id }),
    ).toBe(1);
    expect(await t.dataSource.getRepository(Registration).countBy({ sessionId, status: 'confirmed' })).toBe(2);
  });

  it('refuses a senior of another municipality', async () => {
    const other = await t.services.organisations.create('municipality', {
      name: 'Karlskoga kommun',
      contactEmail: null,
    });
    const stranger = await t.services.seniors.create(buildSenior(other.id));
    const res = await register(stranger.id).expect(422);
    expect(res.body.error).toMatchObject({ code: 'unknown_reference', details: [{ field: 'body.seniorId' }] });
  });

  it('refuses sign-ups for a cancelled or finished session', async () => {
    const a = await senior();
    await api().post(`/api/v1/sessions/${sessionId}/cancel`).send({ reason: 'Sjukdom' }).expect(200);
    expect((await register(a.id).expect(409)).body.error.code).toBe('session_cancelled');
    await api().post(`/api/v1/sessions/${sessionId}/restore`).expect(200);
    t.clock.set('2026-12-02T09:00:00Z');
    expect((await register(a.id).expect(409)).body.error.code).toBe('session_over');
  });
});
