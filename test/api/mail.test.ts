import request from 'supertest';
import type { ParsedMail } from 'mailparser';
import { Assignment, Organisation, OutboxMessage, SubstituteOffer, Vacancy } from '../../src/db/entities';
import { buildGuide, buildSenior, buildSeries, createWorld } from '../factories';
import { createTestApp, type TestApp } from '../support/app';
import { parseIcs } from '../support/ics';
import { startSmtp } from '../support/smtp';

/**
 * Guides' e-mail end to end: a Tuesday café at 15:00 in Örebro across the spring clock change
 * (28 March 2027), guides put on by hand and published, mail through a real SMTP server, and the
 * links in the mail followed over HTTP.
 */
describe('Schedules by e-mail', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let coordinator: string;
  let sessions: { id: string; localDate: string; startsAt: string }[];
  const guides: Record<string, { id: string; email: string }> = {};
  let seen = 0;

  beforeEach(async () => {
    smtp = await startSmtp();
    t = await createTestApp('2027-03-17T09:00:00Z', { smtpUrl: smtp.url, mailFrom: 'it-cafe@example.org' });
    world = await createWorld(t.services);
    await t.dataSource
      .getRepository(Organisation)
      .update(world.association.id, { contactEmail: 'kansli@digitalvardag.example.org' });
    coordinator = await t.tokenFor('coordinator', world.municipality.id);
    const series = await t
      .http(coordinator)
      .post('/api/v1/series')
      .send(
        buildSeries(world.venue.id, {
          weekday: 'tue',
          startTime: '15:00',
          firstDate: '2027-03-23',
          lastDate: '2027-04-13',
          minGuides: 2,
          maxGuides: 2,
        }),
      )
      .expect(201);
    sessions = (await t.http(coordinator).get('/api/v1/sessions').query({ seriesId: series.body.id }).expect(200)).body
      .items;
    for (const [key, name, platform] of [
      ['amina', 'Amina Yusuf', 'ios'],
      ['yonas', 'Yonas Tesfay', 'android'],
      ['hamid', 'Hamid Karimi', 'ios'],
      ['olena', 'Olena Petrenko', 'android'],
    ] as const) {
      const g = await t.services.guides.create(
        buildGuide(world.association.id, world.municipality.id, {
          name,
          email: `${key}@example.org`,
          platforms: [{ platform, level: 'good' }],
          availability: [{ weekday: 'tue', start: '13:00', end: '18:00' }],
        }),
      );
      guides[key] = { id: g.id, email: g.email };
    }
    const senior = await t.services.seniors.create(
      buildSenior(world.municipality.id, { devices: [{ platform: 'ios', kind: 'phone' }] }),
    );
    await t.services.registrations.register(sessions[1].id, { seniorId: senior.id, topic: 'bankid' } as never);
    seen = 0;
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
  });

  /** Delivers what is due and returns the mails the server received since the last call. */
  const deliver = async () => {
    await t.services.outbox.deliverDue();
    const fresh = smtp.received.slice(seen);
    seen = smtp.received.length;
    return fresh;
  };
  const to = (mails: ParsedMail[], key: string) =>
    mails.filter((m) => m.to && 'value' in m.to && m.to.value[0].address === guides[key].email);
  const ics = (mail: ParsedMail) =>
    parseIcs(mail.attachments.find((a) => a.filename?.endsWith('.ics'))!.content.toString('utf8'));
  const link = (mail: ParsedMail, label: string) => {
    const url = mail.text!.match(new RegExp(`${label}: (\\S+)`))![1];
    return new URL(url).pathname;
  };
  const assign = (sessionIndex: number, ...keys: string[]) =>
    Promise.all(
      keys.map((k) =>
        t
          .http(coordinator)
          .post(`/api/v1/sessions/${sessions[sessionIndex].id}/assignments`)
          .send({ guideId: guides[k].id })
          .expect(201),
      ),
    );
  const publish = () =>
    t
      .http(coordinator)
      .post(`/api/v1/municipalities/${world.municipality.id}/plans/publish`)
      .send({ from: '2027-03-22', to: '2027-04-18' })
      .expect(200);
  /** A coordinator corrects a guide's e-mail address on the guide's form (as the page sends it). */
  const correctAddress = async (key: string, email: string) => {
    const { version } = (await t.http(coordinator).get(`/api/v1/guides/${guides[key].id}`).expect(200)).body;
    await t.http(coordinator).patch(`/api/v1/guides/${guides[key].id}`).send({ email, version }).expect(200);
  };
  const outbox = () => t.dataSource.getRepository(OutboxMessage).find({ order: { createdAt: 'ASC', kind: 'ASC' } });

  it('tells each guide once when the schedule is published, with a calendar file per assignment', async () => {
    await assign(0, 'amina', 'yonas');
    await assign(1, 'amina', 'hamid');
    expect(await deliver()).toEqual([]); // drafts tell nobody
    await publish();
    const mails = await deliver();
    expect(mails).toHaveLength(3);
    const amina = to(mails, 'amina')[0];
    expect(amina.from?.value[0]).toEqual({ name: world.association.name, address: 'it-cafe@example.org' });
    expect(amina.replyTo?.value[0].address).toBe('kansli@digitalvardag.example.org');
    expect(amina.subject).toBe('2 nya pass');
    expect(amina.text).toContain('Tisdag 23 mars 15:00–17:00');
    expect(amina.text).toContain('Tisdag 30 mars 15:00–17:00');
    expect(amina.text).toContain('Med dig jobbar: Hamid Karimi');
    expect(amina.text).toContain('Anmälda: 1 senior (1 iPhone)');
    expect(amina.text).toContain('Frågor om: BankID (1)');
    expect(amina.text).not.toMatch(/Senior \d/); // counts, never seniors' names
    expect(amina.html).toContain('<a href="http://127.0.0.1:3000/svar/');
    const cal = ics(amina);
    expect(cal.method).toBe('PUBLISH');
    expect(cal.events.map((e) => [e.localStart, e.zone, e.start.toISOString(), e.sequence])).toEqual([
      ['15:00', 'Europe/Stockholm', '2027-03-23T14:00:00.000Z', 1],
      ['15:00', 'Europe/Stockholm', '2027-03-30T13:00:00.000Z', 1],
    ]);
    await publish();
    expect(await deliver()).toEqual([]); // publishing again tells nothing new
  });

  it('sends the weekly schedule on Friday at 16:00 for the coming week, in local time on both sides of the clock change', async () => {
    await assign(0, 'amina', 'yonas');
    await assign(1, 'amina', 'yonas');
    await publish();
    await deliver();
    // Friday 19 March, 15:59 Stockholm: not yet.
    t.clock.set('2027-03-19T14:59:00Z');
    expect(await t.services.mailSchedule.weeklyDue(t.clock.now())).toBe(0);
    t.clock.set('2027-03-19T15:00:00Z');
    expect(await t.services.mailSchedule.weeklyDue(t.clock.now())).toBe(2);
    const week12 = to(await deliver(), 'amina')[0];
    expect(week12.subject).toBe('Ditt schema vecka 12');
    expect(week12.text).toContain('Tisdag 23 mars 15:00–17:00');
    expect(ics(week12).events.map((e) => [e.localStart, e.start.toISOString()])).toEqual([
      ['15:00', '2027-03-23T14:00:00.000Z'],
    ]);
    // The next week is in summer time: still 15:00 in the mail and the calendar, an hour earlier in UTC.
    t.clock.set('2027-03-26T15:00:00Z');
    expect(await t.services.mailSchedule.weeklyDue(t.clock.now())).toBe(2);
    const week13 = to(await deliver(), 'amina')[0];
    expect(week13.text).toContain('Tisdag 30 mars 15:00–17:00');
    expect(week13.text).toContain('Tuesday 30 March 15:00–17:00');
    expect(ics(week13).events.map((e) => [e.localStart, e.start.toISOString(), e.uid])).toEqual([
      ['15:00', '2027-03-30T13:00:00.000Z', expect.stringMatching(/@bryggan$/)],
    ]);
    // Each weekly mail links to the guide's own page, by the same link every week; it opens hers and nobody else's.
    const page = (mail: ParsedMail) => mail.text!.match(/Min sida: alla mina pass och timmar: (\S+)/)![1];
    expect(page(week13)).toBe(page(week12));
    expect(new URL(page(week12)).pathname).toBe('/min-sida');
    const me = await request(t.app)
      .get('/api/v1/guide/me')
      .query({ token: decodeURIComponent(new URL(page(week12)).hash.slice(1)) })
      .expect(200);
    expect(me.body.id).toBe(guides.amina.id);
    // Run again, or by a restarted service on Saturday: nothing twice.
    expect(await t.services.mailSchedule.weeklyDue(t.clock.now())).toBe(0);
    t.clock.set('2027-03-27T10:00:00Z');
    expect((await t.services.jobs.run('catch-up')).result).toMatchObject({ weekly: 0 });
    expect(await deliver()).toEqual([]);
  });

  it("stops a guide's page link when their e-mail address is corrected, and the next schedule brings a new one to the new address", async () => {
    await assign(0, 'amina', 'yonas');
    await assign(1, 'amina', 'yonas');
    await publish();
    await deliver();
    const token = (mail: ParsedMail) =>
      decodeURIComponent(new URL(mail.text!.match(/Min sida: alla mina pass och timmar: (\S+)/)![1]).hash.slice(1));
    const page = (tk: string) => request(t.app).get('/api/v1/guide/me').query({ token: tk });
    t.clock.set('2027-03-19T15:00:00Z');
    await t.services.mailSchedule.weeklyDue(t.clock.now());
    const first = to(await deliver(), 'amina')[0];
    await page(token(first)).expect(200);
    await correctAddress('amina', 'amina.yusuf@example.org');
    expect((await page(token(first)).expect(401)).body.error.code).toBe('link_revoked');
    t.clock.set('2027-03-26T15:00:00Z');
    await t.services.mailSchedule.weeklyDue(t.clock.now());
    const next = (await deliver()).find(
      (m) => m.to && 'value' in m.to && m.to.value[0].address === 'amina.yusuf@example.org',
    )!;
    expect(token(next)).not.toBe(token(first));
    expect((await page(token(next)).expect(200)).body.id).toBe(guides.amina.id);
  });

  it('sends waiting and resent mail to the corrected address, never again to the old one', async () => {
    await assign(1, 'amina', 'yonas');
    // No mail gets through at first: Amina's message waits.
    smtp.down();
    await publish();
    expect(await deliver()).toEqual([]);
    await correctAddress('amina', 'amina.yusuf@example.org');
    smtp.up();
    t.clock.advance(2 * 60_000);
    const mails = await deliver();
    const addresses = (list: ParsedMail[]) =>
      list.map((m) => (m.to && 'value' in m.to ? m.to.value[0].address : '')).sort();
    expect(addresses(mails)).toEqual(['amina.yusuf@example.org', guides.yonas.email]);
    // Yonas's mail went to his address; then his address is corrected, and he asks for it again.
    const his = (await outbox()).find((o) => o.guideId === guides.yonas.id)!;
    expect(his).toMatchObject({ status: 'sent', toAddress: guides.yonas.email });
    await correctAddress('yonas', 'yonas.t@example.org');
    await t.http(coordinator).post(`/api/v1/outbox/${his.id}/resend`).expect(200);
    const resent = await deliver();
    expect(addresses(resent)).toEqual(['yonas.t@example.org']);

    // The answer links: the ones that went to Yonas's old address no longer work; those in the
    // mail to the new address do, and so do Amina's in the mail that waited for her new address.
    const link = (mail: ParsedMail) => decodeURIComponent(/\/svar\/(\S+)/.exec(mail.text!)![1]);
    const look = (token: string) => request(t.app).get(`/api/v1/answers/${encodeURIComponent(token)}`);
    const old = mails.find((m) => addresses([m])[0] === guides.yonas.email)!;
    expect((await look(link(old)).expect(401)).body.error.code).toBe('link_replaced');
    expect((await look(link(resent[0])).expect(200)).body.outcome).toBe('open');
    const amina = mails.find((m) => addresses([m])[0] === 'amina.yusuf@example.org')!;
    expect((await look(link(amina)).expect(200)).body.outcome).toBe('open');
    // And on the page the old link opens: said in Swedish, nothing answered.
    const page = await request(t.app).get(`/svar/${encodeURIComponent(link(old))}`);
    expect(page.text).toContain('Länken gick till din gamla e-postadress.');
    await request(t.app)
      .post(`/api/v1/answers/${encodeURIComponent(link(old))}`)
      .expect(401);
    const yonas = await t.dataSource.getRepository(Assignment).findOneByOrFail({ guideId: guides.yonas.id });
    expect(yonas.response).toBe('pending');
  });

  it('does not send the weekly schedule to a guide who was told of the week after it went out', async () => {
    await assign(1, 'amina', 'yonas');
    await publish();
    await deliver();
    t.clock.set('2027-03-26T15:00:00Z');
    expect(await t.services.mailSchedule.weeklyDue(t.clock.now())).toBe(2);
    await deliver();
    // Saturday: Hamid takes Yonas's place; his new-session mail is all he needs.
    t.clock.set('2027-03-27T09:00:00Z');
    const yonas = await t.dataSource.getRepository(Assignment).findOneByOrFail({ guideId: guides.yonas.id });
    await t.http(coordinator).delete(`/api/v1/assignments/${yonas.id}`).expect(200);
    await assign(1, 'hamid');
    await publish();
    expect(to(await deliver(), 'hamid').map((m) => m.subject)).toEqual(['Nytt pass tisdag 30/3 15:00']);
    t.clock.set('2027-03-27T10:15:00Z');
    expect((await t.services.jobs.run('catch-up')).result).toMatchObject({ weekly: 0 });
    expect(await deliver()).toEqual([]);
  });

  it('makes up a weekly schedule missed while the service was down', async () => {
    await assign(1, 'amina', 'yonas');
    await publish();
    await deliver();
    // Down from Friday 15:00 until Sunday: the start-up run sends week 13's schedule.
    t.clock.set('2027-03-28T08:00:00Z');
    expect((await t.services.jobs.run('catch-up')).result).toMatchObject({ weekly: 2 });
    expect((await deliver()).map((m) => m.subject)).toEqual(['Ditt schema vecka 13', 'Ditt schema vecka 13']);
  });

  it('confirms through the link in the mail; opening it changes nothing, and clicking twice is harmless', async () => {
    await assign(1, 'amina', 'yonas');
    await publish();
    const mail = to(await deliver(), 'amina')[0];
    const confirm = link(mail, 'Jag kommer');
    const page = await t.http().get(confirm).expect(200);
    expect(page.text).toContain('Kommer du till passet?');
    expect(page.text).toContain('<form method="post"');
    const row = () =>
      t.dataSource.getRepository(Assignment).findOneByOrFail({ guideId: guides.amina.id, sessionId: sessions[1].id });
    expect((await row()).response).toBe('pending');
    const done = await t.http().post(confirm).expect(200);
    expect(done.text).toContain('Tack! Du har svarat att du kommer.');
    expect((await row()).response).toBe('confirmed');
    await t.http().post(confirm).expect(200);
    expect(
      (
        await t
          .http()
          .post(`/api/v1/answers/${confirm.split('/').pop()}`)
          .expect(200)
      ).body,
    ).toMatchObject({ answer: 'confirm', outcome: 'confirmed' });
    expect(await deliver()).toEqual([]);
    // A forged link does nothing.
    const forged = confirm.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await t.http().post(forged).expect(401)).text).toContain('Länken fungerar inte');
  });

  it('declining frees the place, asks the free guides, tells the coordinator, and the first to accept gets it', async () => {
    await assign(1, 'amina', 'yonas');
    await publish();
    const mail = to(await deliver(), 'yonas')[0];
    const decline = link(mail, 'Jag kan inte');
    const question = (await t.http().get(decline).expect(200)).text;
    // The button names its action: nobody answers yes to a negative question.
    expect(question).toContain('Vill du tacka nej till passet? Då frågar vi en annan guide.');
    expect(question).toContain('>Jag kan inte komma</button>');
    expect(await t.dataSource.getRepository(Assignment).countBy({ sessionId: sessions[1].id })).toBe(2); // opening is not answering
    const page = await t.http().post(decline).expect(200);
    expect(page.text).toContain('Tack för att du sa till');
    expect(await t.dataSource.getRepository(Assignment).findBy({ sessionId: sessions[1].id })).toEqual([
      expect.objectContaining({ guideId: guides.amina.id }),
    ]);
    const mails = await deliver();
    // The one who declined: the event leaves their calendar.
    const gone = to(mails, 'yonas')[0];
    expect(gone.subject).toBe('Du har tackat nej till passet tisdag 30/3 15:00');
    expect(ics(gone)).toMatchObject({
      method: 'CANCEL',
      events: [{ status: 'CANCELLED', sequence: 2, localStart: '15:00' }],
    });
    // The free guides are asked; the coordinator is told who declined and who was asked.
    const asked = [...to(mails, 'hamid'), ...to(mails, 'olena')];
    expect(asked.map((m) => m.subject)).toEqual([
      'Kan du ta tisdag 30/3 15:00 på ' + world.venue.name + '?',
      'Kan du ta tisdag 30/3 15:00 på ' + world.venue.name + '?',
    ]);
    const notice = mails.find((m) => m.subject === 'Yonas Tesfay kan inte komma');
    expect(notice?.text).toMatch(/Vi har frågat: (Hamid Karimi, Olena Petrenko|Olena Petrenko, Hamid Karimi)/);
    // Declining twice: the same answer, nothing new.
    expect((await t.http().post(decline).expect(200)).text).toContain('Tack för att du sa till');
    expect(await deliver()).toEqual([]);
    // Olena is first; Hamid comes too late.
    const olena = link(to(mails, 'olena')[0], 'Ja, jag tar passet');
    const hamid = link(to(mails, 'hamid')[0], 'Ja, jag tar passet');
    expect((await t.http().post(olena).expect(200)).text).toContain('Passet är ditt');
    expect((await t.http().post(hamid).expect(200)).text).toContain('En annan guide svarade först. Tack ändå!');
    expect((await t.http().post(olena).expect(200)).text).toContain('Passet är ditt');
    expect(
      (await t.dataSource.getRepository(Assignment).findBy({ sessionId: sessions[1].id }))
        .map((a) => [a.guideId, a.source, a.response])
        .sort(),
    ).toEqual(
      [
        [guides.amina.id, 'manual', 'pending'],
        [guides.olena.id, 'substitute', 'confirmed'],
      ].sort(),
    );
    expect(await t.dataSource.getRepository(Vacancy).findOneByOrFail({ sessionId: sessions[1].id })).toMatchObject({
      status: 'filled',
      filledByGuideId: guides.olena.id,
    });
    const welcome = to(await deliver(), 'olena');
    expect(welcome.map((m) => m.subject)).toEqual(['Nytt pass tisdag 30/3 15:00']);
    expect(welcome[0].text).toContain('Du har svarat att du kommer.');
    expect(await t.dataSource.getRepository(SubstituteOffer).count()).toBe(2);
  });

  it('a change after publishing sends exactly one update per guide, and the calendar event is updated, not doubled', async () => {
    await assign(1, 'amina', 'yonas');
    await publish();
    const first = ics(to(await deliver(), 'amina')[0]).events[0];
    await t.http(coordinator).patch(`/api/v1/sessions/${sessions[1].id}`).send({ startTime: '16:00' }).expect(200);
    const mails = await deliver();
    expect(mails).toHaveLength(2);
    const update = to(mails, 'amina')[0];
    expect(update.subject).toBe('Ändrat pass tisdag 30/3 16:00');
    expect(update.text).toContain('Ändrat pass: Tisdag 30 mars 16:00–18:00');
    expect(ics(update).events[0]).toMatchObject({ uid: first.uid, sequence: 2, localStart: '16:00' });
    // A change that moves nothing a guide cares about (seats) sends nothing.
    await t.http(coordinator).patch(`/api/v1/sessions/${sessions[1].id}`).send({ seats: 9 }).expect(200);
    expect(await deliver()).toEqual([]);
    // Cancelled: one cancellation each, with the reason, and METHOD:CANCEL.
    await t
      .http(coordinator)
      .post(`/api/v1/sessions/${sessions[1].id}/cancel`)
      .send({ reason: 'Lokalen är stängd' })
      .expect(200);
    const cancels = await deliver();
    expect(cancels).toHaveLength(2);
    const cancel = to(cancels, 'amina')[0];
    expect(cancel.subject).toMatch(/^Inställt pass tisdag 30\/3 16:00/);
    expect(cancel.text).toContain('Lokalen är stängd');
    expect(ics(cancel)).toMatchObject({
      method: 'CANCEL',
      events: [{ uid: first.uid, sequence: 3, status: 'CANCELLED' }],
    });
  });

  it("tells the guides on duty when their venue's address changes, and not for other changes to it", async () => {
    await assign(1, 'amina', 'yonas');
    await publish();
    const first = ics(to(await deliver(), 'amina')[0]).events[0];
    await t.http(coordinator).patch(`/api/v1/venues/${world.venue.id}`).send({ seats: 12 }).expect(200);
    expect(await deliver()).toEqual([]);
    await t
      .http(coordinator)
      .patch(`/api/v1/venues/${world.venue.id}`)
      .send({ address: 'Vivallagatan 1, Örebro (ingång från parken)' })
      .expect(200);
    const mails = await deliver();
    expect(mails).toHaveLength(2);
    const amina = to(mails, 'amina')[0];
    expect(amina.text).toContain('Vivallagatan 1, Örebro (ingång från parken)');
    expect(ics(amina).events[0]).toMatchObject({
      uid: first.uid,
      sequence: 2,
      location: `${world.venue.name}, Vivallagatan 1, Örebro (ingång från parken)`,
    });
  });

  it('a series change tells each guide once, listing every session it moved', async () => {
    await assign(1, 'amina', 'yonas');
    await assign(2, 'amina', 'hamid');
    await publish();
    await deliver();
    const series = sessions[0] as unknown as { seriesId: string };
    await t.http(coordinator).patch(`/api/v1/series/${series.seriesId}`).send({ startTime: '14:00' }).expect(200);
    const mails = await deliver();
    expect(mails.map((m) => (m.to as { value: { address: string }[] }).value[0].address).sort()).toEqual([
      'amina@example.org',
      'hamid@example.org',
      'yonas@example.org',
    ]);
    const amina = to(mails, 'amina')[0];
    expect(amina.subject).toBe('Ditt schema har ändrats');
    expect(ics(amina).events.map((e) => [e.localStart, e.sequence])).toEqual([
      ['14:00', 2],
      ['14:00', 2],
    ]);
  });

  it('never sends a "new session" mail after the cancellation that followed it, when the mail server refused the first once', async () => {
    await assign(1, 'amina', 'yonas');
    smtp.down();
    await publish();
    // The server refuses: the "new session" mails wait a minute for their next try.
    expect(await deliver()).toEqual([]);
    expect((await outbox()).map((o) => [o.kind, o.status, o.attempts])).toEqual([
      ['schedule_update', 'queued', 1],
      ['schedule_update', 'queued', 1],
    ]);
    smtp.up();
    await t
      .http(coordinator)
      .post(`/api/v1/sessions/${sessions[1].id}/cancel`)
      .send({ reason: 'Lokalen är stängd' })
      .expect(200);
    t.clock.advance(2 * 60_000);
    const mails = await deliver();
    // Each guide gets the cancellation only: the waiting "new session" mail was withdrawn.
    expect(mails.map((m) => (m.subject ?? '').split(' ')[0]).sort()).toEqual(['Inställt', 'Inställt']);
    expect(to(mails, 'amina')).toHaveLength(1);
    const rows = await outbox();
    expect(rows.filter((o) => o.status === 'superseded').map((o) => o.kind)).toEqual([
      'schedule_update',
      'schedule_update',
    ]);
    expect(await deliver()).toEqual([]);
    // A withdrawn message is not sent again on request: it would say what is no longer true.
    const old = rows.find((o) => o.status === 'superseded')!;
    const again = await t.http(coordinator).post(`/api/v1/outbox/${old.id}/resend`).expect(409);
    expect(again.body.error.code).toBe('message_superseded');
  });

  it('taking a guide off a published session tells them; re-planning drafts tells nobody', async () => {
    const [a] = await assign(1, 'amina', 'yonas');
    await publish();
    await deliver();
    await t.http(coordinator).delete(`/api/v1/assignments/${a.body.id}`).expect(200);
    const mails = await deliver();
    expect(mails.map((m) => m.subject)).toEqual(['Du behöver inte komma tisdag 30/3 15:00']);
    expect(to(mails, 'amina')).toHaveLength(1);
    expect(mails[0].text).toContain('Du behöver inte komma till passet. Caféet är öppet som vanligt.');
    expect(ics(mails[0])).toMatchObject({ method: 'CANCEL', events: [{ status: 'CANCELLED', sequence: 2 }] });
    await assign(2, 'hamid', 'olena');
    await t
      .http(coordinator)
      .delete(
        `/api/v1/assignments/${(await t.dataSource.getRepository(Assignment).findOneByOrFail({ guideId: guides.hamid.id })).id}`,
      )
      .expect(200);
    expect(await deliver()).toEqual([]);
  });

  it('reminds each guide the day before at 18:00, once, unless they heard of the session after that', async () => {
    await assign(1, 'amina', 'yonas');
    await publish();
    await deliver();
    t.clock.set('2027-03-29T15:59:00Z'); // Monday 17:59 summer time
    expect(await t.services.mailSchedule.remindersDue(t.clock.now())).toBe(0);
    t.clock.set('2027-03-29T16:00:00Z');
    expect(await t.services.mailSchedule.remindersDue(t.clock.now())).toBe(2);
    expect(await t.services.mailSchedule.remindersDue(t.clock.now())).toBe(2); // the same two, queued once
    const mails = await deliver();
    expect(mails.map((m) => m.subject)).toEqual([
      `Påminnelse: tisdag 30/3 15:00 på ${world.venue.name}`,
      `Påminnelse: tisdag 30/3 15:00 på ${world.venue.name}`,
    ]);
    expect(await t.dataSource.getRepository(OutboxMessage).countBy({ kind: 'reminder' })).toBe(2);
    // Hamid takes Yonas's place at 19:00 the evening before: the new-session mail is his reminder.
    t.clock.set('2027-03-29T17:00:00Z');
    const yonas = await t.dataSource.getRepository(Assignment).findOneByOrFail({ guideId: guides.yonas.id });
    await t.http(coordinator).delete(`/api/v1/assignments/${yonas.id}`).expect(200);
    await assign(1, 'hamid');
    await publish();
    await t.services.mailSchedule.remindersDue(t.clock.now());
    expect(await t.dataSource.getRepository(OutboxMessage).countBy({ kind: 'reminder' })).toBe(2);
    expect(to(await deliver(), 'hamid').map((m) => m.subject)).toEqual(['Nytt pass tisdag 30/3 15:00']);
  });

  it('sends coordinators a morning digest of declines and sessions short of guides, and nothing when all is well', async () => {
    await assign(1, 'amina', 'yonas');
    await publish();
    t.clock.set('2027-03-18T06:00:00Z'); // Thursday 07:00
    expect(await t.services.mailSchedule.digestDue(t.clock.now())).toBe(0);
    const decline = link(to(await deliver(), 'yonas')[0], 'Jag kan inte');
    t.clock.set('2027-03-18T12:00:00Z');
    await t.http().post(decline).expect(200);
    await deliver();
    t.clock.set('2027-03-19T05:59:00Z');
    expect(await t.services.mailSchedule.digestDue(t.clock.now())).toBe(0);
    t.clock.set('2027-03-19T06:00:00Z');
    expect(await t.services.mailSchedule.digestDue(t.clock.now())).toBe(1);
    expect(await t.services.mailSchedule.digestDue(t.clock.now())).toBe(1); // queued once
    const [digest] = await deliver();
    expect(digest.subject).toBe('Bryggan i dag: 2 saker att se över');
    expect(digest.text).toContain(
      'Tisdag 30 mars 15:00–17:00, ' + world.venue.name + ': Yonas Tesfay kan inte. Ingen ersättare än.',
    );
    expect(digest.text).toContain('Caféer med för få guider (1)');
    expect(await deliver()).toEqual([]);
  });

  it('shows the outbox to coordinators, failed messages included, and sends one again on request', async () => {
    await assign(1, 'amina', 'yonas');
    smtp.down();
    await publish();
    for (let i = 0; i < 6; i++) {
      await t.services.outbox.deliverDue();
      t.clock.advance(5 * 60 * 60_000);
    }
    const failed = await t.http(coordinator).get('/api/v1/outbox').query({ status: 'failed' }).expect(200);
    expect(failed.body.total).toBe(2);
    expect(failed.body.items[0]).toMatchObject({
      status: 'failed',
      attempts: 6,
      lastError: expect.stringContaining('451'),
      kind: 'schedule_update',
    });
    expect(failed.body.items[0]).not.toHaveProperty('html');
    const other = await t.tokenFor(
      'coordinator',
      (await t.services.organisations.create('municipality', { name: 'Karlstad', contactEmail: null })).id,
    );
    expect((await t.http(other).get('/api/v1/outbox').expect(200)).body.total).toBe(0);
    await t.http(other).post(`/api/v1/outbox/${failed.body.items[0].id}/resend`).expect(404);
    smtp.up();
    await t.http(coordinator).post(`/api/v1/outbox/${failed.body.items[0].id}/resend`).expect(200);
    expect(await deliver()).toHaveLength(1);
    expect((await outbox()).map((o) => o.status).sort()).toEqual(['failed', 'sent']);
  });

  it('serves a signed, revocable calendar feed with the same events as the mails', async () => {
    await assign(1, 'amina', 'yonas');
    await assign(2, 'amina', 'hamid');
    await publish();
    const mailed = ics(to(await deliver(), 'amina')[0]).events;
    const made = await t
      .http(coordinator)
      .post(`/api/v1/guides/${guides.amina.id}/links`)
      .send({ purpose: 'calendar' })
      .expect(201);
    const path = new URL(made.body.url).pathname;
    expect(path).toMatch(/^\/kalender\/.+\.ics$/);
    const feed = await t
      .http()
      .get(path)
      .expect(200)
      .expect('Content-Type', /text\/calendar/);
    const events = parseIcs(feed.text).events;
    expect(events.map((e) => [e.uid, e.sequence, e.localStart])).toEqual(
      mailed.map((e) => [e.uid, e.sequence, e.localStart]),
    );
    await t.http(coordinator).post(`/api/v1/guide-links/${made.body.id}/revoke`).expect(200);
    await t.http().get(path).expect(401);
  });

  it('previews every kind of message for coordinators', async () => {
    const res = await t.http(coordinator).get('/api/v1/mail/previews/weekly').expect(200);
    expect(res.body.subject).toBe('Ditt schema vecka 49');
    expect(parseIcs(res.body.attachments[0].content).events).toHaveLength(2);
    await t
      .http(await t.tokenFor('viewer', world.municipality.id))
      .get('/api/v1/mail/previews/weekly')
      .expect(403);
  });
});
