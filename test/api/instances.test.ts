import request from 'supertest';
import { OutboxMessage } from '../../src/db/entities';
import { OutboxService } from '../../src/services/outbox.service';
import { buildGuide, createWorld } from '../factories';
import { createTestApp, type TestApp } from '../support/app';
import { startSmtp } from '../support/smtp';
import { type Instance, startInstance, waitFor } from '../support/process';

/**
 * Two service processes on one PostgreSQL database, as behind a load balancer: real processes
 * (`src/main.ts`), real SMTP. Runs in CI's PostgreSQL pass; sqlite is one process by design.
 */
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

onPostgres('Two instances on one PostgreSQL', () => {
  jest.setTimeout(180_000);
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let instances: Instance[] = [];

  beforeEach(async () => {
    t = await createTestApp('2027-03-17T09:00:00Z');
  });
  afterEach(async () => {
    for (const i of instances) i.process.kill('SIGKILL');
    await Promise.all(instances.map((i) => i.stopped));
    instances = [];
    await smtp?.close();
    await t.close();
  });

  const env = (extra: Record<string, string> = {}) => ({
    DATABASE_URL: t.databaseUrl!,
    SMTP_URL: smtp.url,
    MAIL_FROM: 'it-cafe@example.org',
    AUTH_SECRET: t.settings.authSecret,
    OUTBOX_POLL_SECONDS: '1',
    OUTBOX_LEASE_SECONDS: '5',
    ...extra,
  });
  const ids = () => smtp.received.map((m) => m.messageId);

  it('sends one weekly batch when the tick fires in both, each message exactly once', async () => {
    smtp = await startSmtp();
    const world = await createWorld(t.services);
    const coordinator = await t.tokenFor('coordinator', world.municipality.id);
    const api = t.http(coordinator);
    const session = (
      await api
        .post('/api/v1/sessions')
        .send({ venueId: world.venue.id, date: '2027-03-30', startTime: '15:00', durationMinutes: 120, seats: 8 })
        .expect(201)
    ).body.id;
    for (const name of ['Amina Yusuf', 'Yonas Tesfay']) {
      const g = await t.services.guides.create(
        buildGuide(world.association.id, world.municipality.id, {
          name,
          availability: [{ weekday: 'tue', start: '13:00', end: '18:00' }],
        }),
      );
      await api.post(`/api/v1/sessions/${session}/assignments`).send({ guideId: g.id }).expect(201);
    }
    await api
      .post(`/api/v1/municipalities/${world.municipality.id}/plans/publish`)
      .send({ from: '2027-03-29', to: '2027-04-04' })
      .expect(200);
    // Both start on Friday at 16:00:20 Stockholm time: the start-up run and the tick are due in both.
    instances = await Promise.all([
      startInstance(env({ CLOCK_START: '2027-03-26T15:00:20Z' })),
      startInstance(env({ CLOCK_START: '2027-03-26T15:00:20Z' })),
    ]);
    // And an admin asks both at once to run the weekly job.
    const admin = t.adminToken;
    const asked = await Promise.all(
      instances.map((i) =>
        request(i.url).post('/api/v1/jobs/weekly/run').set('Authorization', `Bearer ${admin}`).expect(200),
      ),
    );
    expect(asked.filter((r) => r.body.ran).length).toBeLessThanOrEqual(1);
    // Two new-session mails from the publish, two weekly schedules: four, each once.
    await waitFor(() => smtp.received.length >= 4);
    await new Promise((r) => setTimeout(r, 3000));
    expect(smtp.received).toHaveLength(4);
    expect(new Set(ids()).size).toBe(4);
    expect(smtp.received.filter((m) => m.subject?.startsWith('Ditt schema vecka 13')).length).toBe(2);
    expect(await t.dataSource.getRepository(OutboxMessage).countBy({ status: 'sent' })).toBe(4);
  });

  it('loses nothing when one instance is killed mid-batch: the other sends what it held', async () => {
    smtp = await startSmtp({ delayMs: 40 });
    await t.store.transaction(async (m) => {
      for (let n = 0; n < 60; n++) {
        await OutboxService.enqueue(m, t.clock.now(), {
          idempotencyKey: `test:${n}`,
          kind: 'weekly',
          municipalityId: null,
          to: `guide${n}@example.org`,
          fromName: 'Enter Sweden',
          subject: `Meddelande ${n}`,
          text: 'Hej!',
          html: '<p>Hej!</p>',
        });
      }
    });
    // The instances' clocks start at the test's time, when the messages are due.
    const at = { CLOCK_START: t.clock.now().toISOString() };
    const [a] = (instances = [await startInstance(env(at))]);
    await waitFor(() => smtp.received.length >= 10);
    a.process.kill('SIGKILL');
    await a.stopped;
    instances.push(await startInstance(env(at)));
    await waitFor(async () => (await t.dataSource.getRepository(OutboxMessage).countBy({ status: 'sent' })) === 60);
    const received = ids();
    const queued = (await t.dataSource.getRepository(OutboxMessage).find()).map((o) => `<${o.id}@bryggan>`);
    // None lost: every message arrived.
    expect(new Set(received)).toEqual(new Set(queued));
    // A repeat is possible only for a message the killed instance had handed to the server and not yet marked
    // (at most one per connection), and it carries the same Message-ID, so mail clients show it once.
    expect(received.length - queued.length).toBeLessThanOrEqual(3);
  });
});
