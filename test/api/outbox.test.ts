import { OutboxMessage } from '../../src/db/entities';
import { LinkSigner } from '../../src/lib/tokens';
import { SmtpMailer } from '../../src/mail/mailer';
import { type NewMessage, OutboxService } from '../../src/services/outbox.service';
import { startSmtp } from '../support/smtp';
import { createTestApp, type TestApp } from '../support/app';

const signer = new LinkSigner('outbox tests: a secret of no importance');

describe(OutboxService.name, () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let mailer: SmtpMailer;
  let outbox: OutboxService;
  beforeEach(async () => {
    t = await createTestApp('2026-11-27T15:00:00Z');
    smtp = await startSmtp();
    mailer = new SmtpMailer(smtp.url, 'it-cafe@example.org');
    outbox = new OutboxService({ store: t.store, clock: t.clock, signer, mailer });
  });
  afterEach(async () => {
    mailer.close();
    await smtp.close();
    await t.close();
  });

  const message = (n: number): NewMessage => ({
    idempotencyKey: `weekly:2026-W49:guide-${n}`,
    kind: 'weekly_schedule',
    municipalityId: null,
    to: `guide${n}@example.org`,
    fromName: 'Enter Sweden',
    subject: `Ditt schema vecka 49 (${n})`,
    text: 'Hej!',
    html: '<p>Hej!</p>',
  });
  const enqueue = (...msgs: NewMessage[]) =>
    t.store.transaction(async (m) => {
      for (const msg of msgs) await OutboxService.enqueue(m, t.clock.now(), msg);
    });
  const rows = () => t.dataSource.getRepository(OutboxMessage).find({ order: { idempotencyKey: 'ASC' } });

  it('delivers each queued message once, over SMTP, with the association as sender', async () => {
    await enqueue(message(1), message(2), message(3));
    expect(await outbox.deliverDue()).toEqual({ sent: 3, failed: 0 });
    expect(await outbox.deliverDue()).toEqual({ sent: 0, failed: 0 });
    expect(smtp.received.map((r) => r.subject).sort()).toEqual([
      'Ditt schema vecka 49 (1)',
      'Ditt schema vecka 49 (2)',
      'Ditt schema vecka 49 (3)',
    ]);
    expect(smtp.received[0].from?.value[0]).toEqual({ name: 'Enter Sweden', address: 'it-cafe@example.org' });
    expect((await rows()).every((r) => r.status === 'sent' && r.sentAt !== null)).toBe(true);
  });

  it('keeps one message per idempotency key, however often it is written', async () => {
    await enqueue(message(1));
    await enqueue(message(1), message(1));
    expect(await t.dataSource.getRepository(OutboxMessage).count()).toBe(1);
  });

  it('writes nothing when the change that causes the message is rolled back', async () => {
    await expect(
      t.store.transaction(async (m) => {
        await OutboxService.enqueue(m, t.clock.now(), message(1));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await t.dataSource.getRepository(OutboxMessage).count()).toBe(0);
  });

  it('retries with backoff while the server is down, then delivers every message exactly once', async () => {
    await enqueue(message(1), message(2));
    smtp.down();
    expect(await outbox.deliverDue()).toEqual({ sent: 0, failed: 2 });
    const waiting = await rows();
    expect(waiting.map((r) => [r.status, r.attempts, r.nextAttemptAt.toISOString()])).toEqual([
      ['queued', 1, '2026-11-27T15:01:00.000Z'],
      ['queued', 1, '2026-11-27T15:01:00.000Z'],
    ]);
    expect(waiting[0].lastError).toMatch(/451/);
    expect(waiting[0].lastError).not.toContain('guide1@example.org');
    expect(await outbox.deliverDue()).toEqual({ sent: 0, failed: 0 }); // not due yet
    t.clock.advance(60_000);
    expect(await outbox.deliverDue()).toEqual({ sent: 0, failed: 2 }); // still down: wait 5 minutes now
    smtp.up();
    t.clock.advance(5 * 60_000);
    expect(await outbox.deliverDue()).toEqual({ sent: 2, failed: 0 });
    expect(await outbox.deliverDue()).toEqual({ sent: 0, failed: 0 });
    expect(smtp.received).toHaveLength(2);
  });

  it("sends one address's session mail oldest first: a newer one waits while an older one waits for its retry; other mail does not wait", async () => {
    smtp.down();
    await enqueue({ ...message(1), idempotencyKey: 'first', subject: 'Först', about: ['a#0'] });
    expect(await outbox.deliverDue()).toEqual({ sent: 0, failed: 1 });
    smtp.up();
    t.clock.advance(1000);
    await enqueue(
      { ...message(1), idempotencyKey: 'second', subject: 'Sedan', about: ['b#0'] },
      { ...message(1), idempotencyKey: 'reset', subject: 'Nytt lösenord' },
      message(2),
    );
    // The other guide's message goes, and the password link; the second session mail waits behind the first's retry.
    expect(await outbox.deliverDue()).toEqual({ sent: 2, failed: 0 });
    expect(smtp.received.map((r) => r.subject).sort()).toEqual(['Ditt schema vecka 49 (2)', 'Nytt lösenord']);
    t.clock.advance(60_000);
    expect(await outbox.deliverDue()).toEqual({ sent: 2, failed: 0 });
    expect(smtp.received.map((r) => r.subject).slice(2)).toEqual(['Först', 'Sedan']);
  });

  it('withdraws a queued message when a newer one about later revisions of the same events is queued, and only then', async () => {
    const about = (subject: string, ...events: string[]) => ({
      ...message(1),
      idempotencyKey: subject,
      subject,
      about: events,
    });
    // Written a moment apart, as changes are: messages to one address go in the order written.
    for (const msg of [about('Nytt pass', 'a#0'), about('Två pass', 'a#0', 'b#0'), about('Påminnelse b', 'b#1')]) {
      await enqueue(msg);
      t.clock.advance(1000);
    }
    await enqueue(about('Inställt a', 'a#1'));
    const status = async () =>
      Object.fromEntries((await rows()).map((r) => [r.subject, r.status])) as Record<string, string>;
    // Only the message about nothing but older revisions of "a" is withdrawn.
    expect(await status()).toEqual({
      'Nytt pass': 'superseded',
      'Två pass': 'queued',
      'Påminnelse b': 'queued',
      'Inställt a': 'queued',
    });
    await outbox.deliverDue();
    expect(smtp.received.map((r) => r.subject)).toEqual(['Två pass', 'Påminnelse b', 'Inställt a']);
  });

  it('gives up after the last retry and marks the message failed', async () => {
    await enqueue(message(1));
    smtp.down();
    for (let i = 0; i < 6; i++) {
      await outbox.deliverDue();
      t.clock.advance(5 * 3600_000);
    }
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'failed', attempts: 6 });
    smtp.up();
    expect(await outbox.deliverDue()).toEqual({ sent: 0, failed: 0 });
  });

  it('loses nothing and sends nothing twice when a worker dies mid-batch', async () => {
    await enqueue(message(1), message(2), message(3));
    // A worker that sends the first message and then dies: it never comes back from the second.
    let calls = 0;
    const dying = new OutboxService({
      store: t.store,
      signer,
      clock: t.clock,
      mailer: {
        connections: 1,
        send: (mail) => (++calls === 1 ? mailer.send(mail) : new Promise<void>(() => undefined)),
        close: () => undefined,
      },
    });
    void dying.deliverDue();
    await waitFor(async () => (await rows()).some((r) => r.status === 'sent'));
    expect((await rows()).map((r) => r.status).sort()).toEqual(['sending', 'sending', 'sent']);

    expect(await outbox.deliverDue()).toEqual({ sent: 0, failed: 0 }); // the dead worker's lease still holds
    t.clock.advance(6 * 60_000); // past the 5-minute lease
    expect(await outbox.deliverDue()).toEqual({ sent: 2, failed: 0 });
    expect(smtp.received.map((r) => r.subject).sort()).toEqual([
      'Ditt schema vecka 49 (1)',
      'Ditt schema vecka 49 (2)',
      'Ditt schema vecka 49 (3)',
    ]);
  });

  it('counts a worker dying while holding a message as an attempt, and gives up on a message that kills every worker', async () => {
    await enqueue(message(1));
    const hang = new OutboxService({
      store: t.store,
      signer,
      clock: t.clock,
      mailer: { connections: 1, send: () => new Promise<void>(() => undefined), close: () => undefined },
    });
    for (let i = 1; i <= 6; i++) {
      void hang.deliverDue();
      await waitFor(async () => (await rows())[0].status === 'sending' && (await rows())[0].attempts === i - 1);
      t.clock.advance(6 * 60_000); // past the 5-minute lease
    }
    void hang.deliverDue();
    await waitFor(async () => (await rows())[0].status === 'failed');
    expect((await rows())[0]).toMatchObject({
      status: 'failed',
      lastError: 'the worker stopped while sending it, too often',
    });
  });
});

async function waitFor(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
