import { Assignment, GuideUnavailableDate, OutboxMessage, Vacancy } from '../../src/db/entities';
import { buildGuide, buildSeries } from '../factories';
import type { TestApp } from '../support/app';
import { useWorld, type World } from '../support/world';

/**
 * A guide who cannot come: marked by the coordinator or by the guide on their own page, the
 * cafés they were on are given up as a decline gives them up; drafts are simply dropped.
 * Weekly windows for a term replace the standing ones for the term, in planning too.
 */
describe('Absences, availability periods and the end of a contract', () => {
  let t: TestApp;
  let world: World;
  let coordinator: string;
  useWorld('2026-11-24T09:00:00Z', (app, w) => {
    t = app;
    world = w;
  });
  const api = () => t.http(coordinator);
  const week = { from: '2026-11-30', to: '2026-12-06' };

  /** Tuesday and Thursday cafés 1 and 3 December, three guides free both, planned and published. */
  async function publishedWeek() {
    coordinator = await t.tokenFor('coordinator', world.municipality.id);
    await t.services.auth.createUser({
      email: `lena-${Math.random().toString(36).slice(2)}@mora.example`,
      password: 'correct horse battery staple',
      role: 'coordinator',
      organisationId: world.municipality.id,
    });
    for (const weekday of ['tue', 'thu'] as const)
      await api()
        .post('/api/v1/series')
        .send(buildSeries(world.venue.id, { weekday, firstDate: '2026-11-30', lastDate: '2026-12-06' }))
        .expect(201);
    const always = [
      { weekday: 'tue' as const, start: '13:00', end: '18:00' },
      { weekday: 'thu' as const, start: '13:00', end: '18:00' },
    ];
    const guides = await Promise.all(
      ['Amina', 'Yonas', 'Sara'].map((name) =>
        t.services.guides.create(
          buildGuide(world.association.id, world.municipality.id, { name, availability: always }),
        ),
      ),
    );
    await api().post(`/api/v1/municipalities/${world.municipality.id}/plans`).send(week).expect(201);
    await api().post(`/api/v1/municipalities/${world.municipality.id}/plans/publish`).send(week).expect(200);
    const assignments = await t.dataSource.getRepository(Assignment).find();
    const busiest = guides.find((g) => assignments.filter((a) => a.guideId === g.id).length === 2)!;
    return { guides, busiest, assignments };
  }

  it('previews an illness (nothing stored), then takes the guide off, asks substitutes and tells the coordinators', async () => {
    const { busiest } = await publishedWeek();
    const queued = async () => new Set((await t.dataSource.getRepository(OutboxMessage).find()).map((m) => m.id));
    const before = await queued();
    const body = { from: '2026-12-01', to: '2026-12-01', reason: 'Sjuk' };
    const preview = await api().post(`/api/v1/guides/${busiest.id}/absences/preview`).send(body).expect(200);
    expect(preview.body.affected).toEqual([
      expect.objectContaining({ date: '2026-12-01', status: 'published', venue: world.venue.name }),
    ]);
    expect(await t.dataSource.getRepository(GuideUnavailableDate).count()).toBe(0);
    expect(await queued()).toEqual(before);

    const done = await api().post(`/api/v1/guides/${busiest.id}/absences`).send(body).expect(201);
    expect(done.body).toEqual(preview.body);
    const left = await t.dataSource.getRepository(Assignment).findBy({ guideId: busiest.id });
    expect(left).toHaveLength(1);
    expect(await t.dataSource.getRepository(Vacancy).countBy({ declinedGuideId: busiest.id })).toBe(1);
    const mails = (await t.dataSource.getRepository(OutboxMessage).find()).filter((m) => !before.has(m.id));
    // The guide hears they need not come; free guides are asked; the coordinators are told.
    expect(new Set(mails.map((m) => m.kind))).toEqual(
      new Set(['schedule_removed', 'substitute_request', 'decline_notice']),
    );
    const guide = (await api().get(`/api/v1/guides/${busiest.id}`).expect(200)).body;
    expect(guide.unavailableDates).toEqual([{ date: '2026-12-01', reason: 'Sjuk' }]);

    // Taking the day back keeps the café given up: the substitutes were asked.
    await api().delete(`/api/v1/guides/${busiest.id}/absences/2026-12-01`).expect(200);
    expect(await t.dataSource.getRepository(Assignment).countBy({ guideId: busiest.id })).toBe(1);
  });

  it('lets a guide say on their own page that they are ill; the coordinators get a mail, the cafés go to others', async () => {
    const { busiest } = await publishedWeek();
    const link = (await t.services.guideLinks.issue(busiest.id, 'access')).token;
    const res = await t
      .http()
      .post(`/api/v1/guide/absences?token=${encodeURIComponent(link)}`)
      .send({ from: '2026-12-01', to: '2026-12-03', reason: 'Sjuk' })
      .expect(201);
    expect(res.body.affected.map((a: { date: string }) => a.date)).toEqual(['2026-12-01', '2026-12-03']);
    expect(await t.dataSource.getRepository(Assignment).countBy({ guideId: busiest.id })).toBe(0);
    const notice = await t.dataSource.getRepository(OutboxMessage).findBy({ kind: 'guide_notice' });
    expect(notice.length).toBeGreaterThanOrEqual(1);
    expect(notice[0].subject).toContain(`${busiest.name} kan inte jobba`);
    expect(notice[0].text).toContain('Guiden hade 2 pass då. Vi frågar andra guider.');
  });

  it("drops a draft without a word, and gives up the cafés after a contract's last day", async () => {
    const { guides } = await publishedWeek();
    // Planned again for a later week, not published: drafts.
    for (const weekday of ['tue'] as const)
      await api()
        .post('/api/v1/series')
        .send(buildSeries(world.venue.id, { weekday, firstDate: '2026-12-07', lastDate: '2026-12-13' }))
        .expect(201);
    await api()
      .post(`/api/v1/municipalities/${world.municipality.id}/plans`)
      .send({ from: '2026-12-07', to: '2026-12-13' })
      .expect(201);
    const drafts = await t.dataSource.getRepository(Assignment).findBy({ status: 'draft' });
    expect(drafts.length).toBeGreaterThan(0);
    const drafted = drafts[0].guideId;
    const ended = await api().patch(`/api/v1/guides/${drafted}`).send({ endDate: '2026-12-02' }).expect(200);
    expect(ended.body.endDate).toBe('2026-12-02');
    const after = await t.dataSource.getRepository(Assignment).findBy({ guideId: drafted });
    // Only what lies before the contract's end stays: Tuesday 1 December, if they had it.
    expect(after.every((a) => a.status === 'published')).toBe(true);
    expect(guides.map((g) => g.id)).toContain(drafted);
    // Planning after the end date never picks the guide.
    const replanned = await api()
      .post(`/api/v1/municipalities/${world.municipality.id}/plans`)
      .send({ from: '2026-12-07', to: '2026-12-13' })
      .expect(201);
    expect(replanned.body.assignments.map((a: { guideId: string }) => a.guideId)).not.toContain(drafted);
  });

  it("plans by a term's timetable inside the term and by the standing one outside it", async () => {
    coordinator = await t.tokenFor('coordinator', world.municipality.id);
    const guide = await t.services.guides.create(
      buildGuide(world.association.id, world.municipality.id, {
        availability: [{ weekday: 'tue', start: '13:00', end: '18:00' }],
      }),
    );
    // Spring term: Wednesdays instead of Tuesdays.
    await api()
      .put(`/api/v1/guides/${guide.id}/availability`)
      .send({
        validFrom: '2027-01-11',
        validTo: '2027-06-10',
        windows: [{ weekday: 'wed', start: '14:00', end: '18:00' }],
      })
      .expect(200);
    const search = (date: string) =>
      api().get('/api/v1/guides').query({ municipalityId: world.municipality.id, date, from: '14:00', to: '16:00' });
    expect((await search('2027-01-12').expect(200)).body.items).toEqual([]); // a Tuesday in the term
    expect((await search('2027-01-13').expect(200)).body.items.map((g: { id: string }) => g.id)).toEqual([guide.id]);
    expect((await search('2026-12-01').expect(200)).body.items.map((g: { id: string }) => g.id)).toEqual([guide.id]);
    expect((await search('2027-06-15').expect(200)).body.items.map((g: { id: string }) => g.id)).toEqual([guide.id]);
  });

  it('refuses an absence that ends before it starts (400) or is longer than 120 days (422)', async () => {
    coordinator = await t.tokenFor('coordinator', world.municipality.id);
    const guide = await t.services.guides.create(buildGuide(world.association.id, world.municipality.id));
    const back = await api()
      .post(`/api/v1/guides/${guide.id}/absences`)
      .send({ from: '2026-12-03', to: '2026-12-01' })
      .expect(400);
    expect(back.body.error.details[0].field).toBe('body.to');
    const long = await api()
      .post(`/api/v1/guides/${guide.id}/absences`)
      .send({ from: '2026-12-01', to: '2027-06-01' })
      .expect(422);
    expect(long.body.error).toMatchObject({ code: 'invalid_absence', details: [{ field: 'body.to' }] });
  });
});
