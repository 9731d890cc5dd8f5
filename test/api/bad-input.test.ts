import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { snapshot as takeSnapshot } from '../support/snapshot';
import { loadConfig } from '../../src/config';
import { Assignment, OutboxMessage, Registration, SessionReport, User } from '../../src/db/entities';
import { ROLES, type Role } from '../../src/domain/access';
import { apiRoutes } from '../../src/http/routes';
import { ReportBody } from '../../src/contract/attendance';
import type { CreateSession } from '../../src/contract/planning';
import { LinkSigner } from '../../src/lib/tokens';
import type { Services } from '../../src/services';
import { OutboxService } from '../../src/services/outbox.service';
import { ADDRESS_FACTOR, FIRST_WAIT_SECONDS } from '../../src/services/login-guard';
import { buildGuide, buildSenior, buildSeries, buildVenue, createWorld } from '../factories';
import { createTestApp, PASSWORD, type TestApp } from '../support/app';

/**
 * Every endpoint under /api/v1 answers bad input with a clear 4xx, one error shape
 * `{ error: { code, message, details: [{ field, issue }] } }` naming the field at fault,
 * and writes nothing: every table is the same, row for row, before and after.
 */

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Body = object | string | undefined;

let t: TestApp;
const api = () => t.http();

/** The data the bad requests aim at; made once, and (the point of this file) never changed by them. */
const d = {} as {
  municipality: { id: string };
  association: { id: string };
  venue: { id: string };
  venue2: { id: string };
  otherMunicipality: { id: string };
  otherVenue: { id: string };
  contract: { id: string };
  series: { id: string };
  session: { id: string };
  cancelledSession: { id: string };
  pastSession: { id: string };
  pastCancelledSession: { id: string };
  pastRegistration: { id: string };
  /** The senior seated at d.pastSession (which is over and not reported yet). */
  pastSenior: { id: string };
  /** A session that is over, with a seated senior, already reported (revision 1). */
  reportedSession: { id: string };
  reportedSenior: { id: string };
  closure: { id: string };
  guide: { id: string };
  /** d.guide's signed access link (the guides' own routes take it as ?token=). d.guide is on no published schedule and worked no café. */
  guideLink: string;
  senior: { id: string };
  otherSenior: { id: string };
  registration: { id: string };
  /** The matching engine's: guides free on Tuesday afternoons (d.session is Tue 1 Dec, 14–16) and ones who are not. */
  freeGuide: { id: string };
  spareGuide: { id: string };
  morningGuide: { id: string };
  inactiveGuide: { id: string };
  otherGuide: { id: string };
  /** d.guide on d.session, put there by hand. */
  assignment: { id: string };
  /** A draft plan of the week of d.session. */
  plan: { id: string };
  /** A session with room for two guides, and two on it. */
  fullSession: { id: string };
  /** d.guide on d.fullSession (d.spareGuide is the other one there). */
  fullAssignment: { id: string };
  /** An e-mail of d.municipality waiting in the outbox, and one a worker is sending right now. */
  message: { id: string };
  sendingMessage: { id: string };
};

const NOW = '2026-11-24T09:00:00Z';

beforeAll(async () => {
  t = await createTestApp(NOW);
  const s = t.services;
  const world = await createWorld(s);
  const other = await createWorld(s);
  Object.assign(d, {
    municipality: world.municipality,
    association: world.association,
    venue: world.venue,
    venue2: await s.venues.create(buildVenue(world.municipality.id)),
    otherMunicipality: other.municipality,
    otherVenue: other.venue,
  });
  d.contract = await s.organisations.createContract({
    municipalityId: d.municipality.id,
    associationId: d.association.id,
    reference: 'KS 2026/112',
    startsOn: '2026-01-01',
    endsOn: '2027-12-31',
    reportingPeriod: 'quarter',
  });
  d.series = (await s.series.create(buildSeries(d.venue.id))).series;
  const oneOff = (date: string): CreateSession => ({
    venueId: d.venue.id,
    date,
    startTime: '14:00',
    durationMinutes: 120,
    timeZone: 'Europe/Stockholm',
    seats: 4,
    minGuides: 2,
    maxGuides: 3,
    theme: null,
  });
  // Sessions that are over by now: made while the clock stood earlier.
  t.clock.set('2026-11-01T09:00:00Z');
  d.pastSession = await s.sessions.createOneOff(oneOff('2026-11-10'));
  d.pastCancelledSession = await s.sessions.createOneOff(oneOff('2026-11-11'));
  await s.sessions.cancel(d.pastCancelledSession.id, 'Sjukdom');
  const early = await s.seniors.create(buildSenior(world.municipality.id));
  d.pastSenior = early;
  d.pastRegistration = await s.registrations.register(d.pastSession.id, { seniorId: early.id });
  d.reportedSession = await s.sessions.createOneOff(oneOff('2026-11-17'));
  d.reportedSenior = await s.seniors.create(buildSenior(world.municipality.id));
  await s.registrations.register(d.reportedSession.id, { seniorId: d.reportedSenior.id });
  t.clock.set(NOW);
  await s.attendance.create(
    d.reportedSession.id,
    ReportBody.parse({ came: [d.reportedSenior.id], dayReport: 'Lugnt.' }),
  );
  d.session = await s.sessions.createOneOff(oneOff('2026-12-01'));
  d.cancelledSession = await s.sessions.createOneOff(oneOff('2026-12-02'));
  await s.sessions.cancel(d.cancelledSession.id, 'Personalbrist');
  d.closure = (
    await s.series.addClosure({
      municipalityId: d.municipality.id,
      venueId: null,
      name: 'Sportlov',
      startsOn: '2027-02-22',
      endsOn: '2027-02-26',
    })
  ).closure;
  d.guide = await s.guides.create(buildGuide(d.association.id, d.municipality.id));
  d.guideLink = (await s.guideLinks.issue(d.guide.id, 'access')).token;
  d.senior = await s.seniors.create(buildSenior(d.municipality.id));
  d.otherSenior = await s.seniors.create(buildSenior(d.otherMunicipality.id));
  d.registration = await s.registrations.register(d.session.id, { seniorId: d.senior.id });

  // The matching engine's data. Made in this order: the plan of d.session's week sees only d.guide
  // (pinned there by hand) and guides who cannot come, so the guides made after it are still free.
  const guide = (municipalityId: string, associationId: string, o: Parameters<typeof buildGuide>[2] = {}) =>
    s.guides.create(buildGuide(associationId, municipalityId, o));
  d.morningGuide = await guide(d.municipality.id, d.association.id, {
    availability: [{ weekday: 'tue', start: '08:00', end: '12:00' }],
  });
  d.inactiveGuide = await guide(d.municipality.id, d.association.id, { active: false });
  await s.organisations.createContract({
    municipalityId: other.municipality.id,
    associationId: other.association.id,
    reference: 'KS 2026/999',
    startsOn: '2026-01-01',
    endsOn: '2027-12-31',
    reportingPeriod: 'quarter',
  });
  d.otherGuide = await guide(other.municipality.id, other.association.id);
  d.assignment = await s.planning.assign(d.session.id, d.guide.id);
  d.plan = (
    await s.planning.plan(d.municipality.id, { from: '2026-11-30', to: '2026-12-06', seed: 1, timeLimitMs: 200 })
  ).plan;
  d.freeGuide = await guide(d.municipality.id, d.association.id);
  d.spareGuide = await guide(d.municipality.id, d.association.id);
  d.fullSession = await s.sessions.createOneOff({ ...oneOff('2026-12-08'), minGuides: 2, maxGuides: 2 });
  d.fullAssignment = await s.planning.assign(d.fullSession.id, d.guide.id);
  await s.planning.assign(d.fullSession.id, d.spareGuide.id);

  // The outbox: one message waiting, and one a worker has claimed (its lease runs for two minutes).
  const enqueue = async (key: string) => {
    await t.store.transaction((m) =>
      OutboxService.enqueue(m, t.clock.now(), {
        idempotencyKey: `bad-input:${key}`,
        kind: 'weekly',
        municipalityId: d.municipality.id,
        to: `guide-${key}@example.org`,
        fromName: 'Föreningen',
        subject: 'Ditt schema vecka 49',
        text: 'Hej!',
        html: '<p>Hej!</p>',
      }),
    );
    return t.dataSource.getRepository(OutboxMessage).findOneByOrFail({ idempotencyKey: `bad-input:${key}` });
  };
  d.message = await enqueue('waiting');
  d.sendingMessage = await enqueue('sending');
  await t.dataSource
    .getRepository(OutboxMessage)
    .update(
      { id: d.sendingMessage.id },
      { status: 'sending', attempts: 0, leaseUntil: new Date(Date.parse(NOW) + 120_000) },
    );
});

afterAll(() => t?.close());

// ---------------------------------------------------------------------------------------------
// The helper: snapshot every table, send, check the answer, snapshot again.
// ---------------------------------------------------------------------------------------------

const snapshot = () => takeSnapshot(t.dataSource);

/** Routes (as "METHOD /api/v1/path") that a bad-input case has hit, to prove every endpoint has one. */
const hit: { method: string; path: string }[] = [];

/**
 * Sends `req` (a supertest request, sent only when awaited here) and asserts the refusal:
 * the status, the error shape, the machine-readable code, that `field` is named in the
 * details (null: no particular field is at fault), and that no table changed.
 * `counted: false` keeps the request out of the coverage check: the sweep of every operation
 * without (valid) credentials would otherwise "cover" each new route without a case of its own.
 */
async function expectRejected(
  req: request.Test,
  status: number,
  code: string,
  field: string | null,
  { counted = true } = {},
) {
  const { method, url } = req as unknown as { method: string; url: string };
  if (counted) hit.push({ method: method.toUpperCase(), path: new URL(url).pathname });

  const before = await snapshot();
  const res = await req;
  const after = await snapshot();

  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { error: { code } } });
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toEqual({ error: { code, message: expect.any(String), details: expect.any(Array) } });
  expect(res.body.error.message.length).toBeGreaterThan(0);
  expect(code).toMatch(/^[a-z][a-z_]*$/);
  for (const detail of res.body.error.details)
    expect(detail).toEqual(
      detail.reason
        ? {
            field: expect.any(String),
            issue: expect.any(String),
            reason: { code: expect.any(String), params: expect.any(Object) },
          }
        : { field: expect.any(String), issue: expect.any(String) },
    );
  if (field !== null) expect(res.body.error.details.map((x: { field: string }) => x.field)).toContain(field);
  expect(after).toEqual(before);
  return res;
}

const send = (method: Method, path: string, body?: Body) => {
  const r = api()[method](`/api/v1${path}`);
  return body === undefined ? r : r.send(body as object);
};

/** As `send`, without any Authorization header: a stranger, a login form, a guide's link. */
const sendBare = (method: Method, path: string, body?: Body) => {
  const r = request(t.app)[method](`/api/v1${path}`);
  return body === undefined ? r : r.send(body as object);
};

/** A valid body with some fields replaced (a field set to undefined is left out of the JSON). */
const mutate = (base: object, patch: object) => ({ ...base, ...patch });

/** One row of a table of bad requests. */
interface Bad {
  what: string;
  req: () => request.Test;
  status: number;
  code: string;
  field: string | null;
}

/** [what, patch to a valid body, field, status = 400, code = validation_failed] */
type BodyRow = [string, object, string, number?, string?];
const bodyCases = (
  method: Method,
  path: () => string,
  valid: () => object,
  rows: BodyRow[],
  via: typeof send = send,
): Bad[] =>
  rows.map(([what, patch, field, status = 400, code = 'validation_failed']) => ({
    what,
    req: () => via(method, path(), mutate(valid(), patch)),
    status,
    code,
    field,
  }));

/** [what, query string, field, status = 400, code = validation_failed] */
type QueryRow = [string, string, string, number?, string?];
const queryCases = (path: () => string, rows: QueryRow[]): Bad[] =>
  rows.map(([what, query, field, status = 400, code = 'validation_failed']) => ({
    what,
    req: () => send('get', `${path()}?${query}`),
    status,
    code,
    field,
  }));

const refuses = (rows: Bad[]) =>
  it.each(rows)('refuses $what ($status $code, naming $field)', async ({ req, status, code, field }) => {
    await expectRejected(req(), status, code, field);
  });

const unknownId = () => randomUUID();

/** The query string of a guide's own route: `?token=<link>` (d.guide's link unless told). */
const asGuide = (token = d.guideLink) => `?token=${encodeURIComponent(token)}`;

// Valid bodies, each made fresh.
const valid = {
  organisation: () => ({ name: 'Karlstads kommun', contactEmail: 'it-cafe@karlstad.se' }),
  contract: () => ({
    municipalityId: d.municipality.id,
    associationId: d.association.id,
    reference: 'KS 2027/1',
    startsOn: '2027-01-01',
    endsOn: '2027-12-31',
  }),
  venue: () => buildVenue(d.municipality.id),
  travel: () => ({ toVenueId: d.venue2.id, minutes: 15 }),
  series: () => buildSeries(d.venue.id),
  session: () => ({ venueId: d.venue.id, date: '2026-12-08', startTime: '14:00', durationMinutes: 120, seats: 6 }),
  closure: () => ({
    municipalityId: d.municipality.id,
    venueId: d.venue.id,
    name: 'Höstlov',
    startsOn: '2027-10-25',
    endsOn: '2027-10-29',
  }),
  guide: () => buildGuide(d.association.id, d.municipality.id),
  senior: () => buildSenior(d.municipality.id),
  registration: () => ({ seniorId: d.senior.id, topic: 'bankid' }),
  absence: () => ({ from: '2027-01-05', to: '2027-01-07', reason: 'Prov' }),
  availability: () => ({
    validFrom: '2027-01-11',
    validTo: '2027-06-10',
    windows: [{ weekday: 'wed', start: '14:00', end: '18:00' }],
  }),
  plan: () => ({ from: '2026-11-30', to: '2026-12-06', seed: 1, timeLimitMs: 200 }),
  publish: () => ({ from: '2026-11-30', to: '2026-12-06' }),
  assign: () => ({ guideId: d.freeGuide.id }),
  /** d.freeGuide in d.guide's place on d.session. */
  swap: () => ({ guideId: d.freeGuide.id }),
  pin: () => ({ pinned: false }),
  /** The form after d.pastSession: its seated senior came, two walked in, d.guide worked. */
  report: (seniorId = d.pastSenior.id) => ({
    came: [seniorId],
    walkIns: {
      seniorIds: [],
      newSeniors: [],
      anonymous: [{ count: 2, ageBand: '75_plus', gender: 'woman', newlyArrived: false }],
    },
    help: { topics: { bankid: 2, scam_safety: 1 }, platforms: { ios: 2, android: 1 } },
    guides: [{ guideId: d.guide.id, status: 'worked', start: '14:00', end: '16:00' }],
    dayReport: 'Lugnt. Många frågor om BankID.',
  }),
  /** A walk-in for the live queue. */
  walkIn: () => ({ kind: 'walk_in', platform: 'android', topic: 'bankid', firstName: 'Gun' }),
  /** A correction of d.reportedSession, made on its current revision. */
  correction: () => ({ ...valid.report(d.reportedSenior.id), revision: 1 }),
};

// ---------------------------------------------------------------------------------------------

describe('Bad input anywhere under /api/v1', () => {
  describe('the request itself', () => {
    it('answers an unknown route with 404 route_not_found', async () => {
      await expectRejected(send('get', '/cafes'), 404, 'route_not_found', null);
    });

    it('answers a known path with a method it does not take with 404 route_not_found', async () => {
      await expectRejected(send('delete', `/venues/${d.venue.id}`), 404, 'route_not_found', null);
    });

    it('refuses a body that is not valid JSON with 400 invalid_json, naming the body', async () => {
      const req = send('post', '/municipalities')
        .set('Content-Type', 'application/json')
        .send('{"name": "Örebro kommun",');
      await expectRejected(req, 400, 'invalid_json', 'body');
    });

    it('refuses a JSON body that is not an object or array (a bare null) with 400 invalid_json', async () => {
      await expectRejected(
        send('post', '/municipalities').set('Content-Type', 'application/json').send('null'),
        400,
        'invalid_json',
        'body',
      );
    });

    it('refuses a body over 100 kB with 413 payload_too_large', async () => {
      await expectRejected(
        send('post', '/municipalities', { name: 'x'.repeat(110_000) }),
        413,
        'payload_too_large',
        null,
      );
    });

    it('refuses JSON in a charset other than UTF-8 with 415 unsupported_media_type', async () => {
      const req = send('post', '/municipalities')
        .set('Content-Type', 'application/json; charset=latin1')
        .send('{"name":"Örebro"}');
      await expectRejected(req, 415, 'unsupported_media_type', null);
    });

    it('refuses a body that is not sent as JSON, naming the body', async () => {
      const req = send('post', '/municipalities').set('Content-Type', 'text/plain').send('{"name":"Örebro kommun"}');
      await expectRejected(req, 400, 'validation_failed', 'body');
    });

    it('refuses a path id with broken percent-encoding with a 400 naming the path, not a 500', async () => {
      await expectRejected(send('get', '/venues/%E0%A4%A'), 400, 'validation_failed', 'params');
    });
  });

  // Every route that writes, with a valid body: the faults below must be caught on each.
  const writes: { name: string; method: Method; path: () => string }[] = [
    { name: 'POST /municipalities', method: 'post', path: () => '/municipalities' },
    { name: 'PATCH /municipalities/:id', method: 'patch', path: () => `/municipalities/${d.municipality.id}` },
    { name: 'POST /associations', method: 'post', path: () => '/associations' },
    { name: 'PATCH /associations/:id', method: 'patch', path: () => `/associations/${d.association.id}` },
    { name: 'POST /contracts', method: 'post', path: () => '/contracts' },
    { name: 'PATCH /contracts/:id', method: 'patch', path: () => `/contracts/${d.contract.id}` },
    { name: 'POST /venues', method: 'post', path: () => '/venues' },
    { name: 'PATCH /venues/:id', method: 'patch', path: () => `/venues/${d.venue.id}` },
    { name: 'PUT /venues/:id/travel', method: 'put', path: () => `/venues/${d.venue.id}/travel` },
    { name: 'POST /series', method: 'post', path: () => '/series' },
    { name: 'PATCH /series/:id', method: 'patch', path: () => `/series/${d.series.id}` },
    { name: 'POST /series/preview', method: 'post', path: () => '/series/preview' },
    { name: 'POST /series/:id/preview', method: 'post', path: () => `/series/${d.series.id}/preview` },
    { name: 'POST /series/:id/archive', method: 'post', path: () => `/series/${d.series.id}/archive` },
    { name: 'POST /series/:id/archive/preview', method: 'post', path: () => `/series/${d.series.id}/archive/preview` },
    { name: 'POST /sessions', method: 'post', path: () => '/sessions' },
    { name: 'PATCH /sessions/:id', method: 'patch', path: () => `/sessions/${d.session.id}` },
    { name: 'POST /sessions/:id/cancel', method: 'post', path: () => `/sessions/${d.session.id}/cancel` },
    { name: 'POST /closures', method: 'post', path: () => '/closures' },
    { name: 'POST /closures/preview', method: 'post', path: () => '/closures/preview' },
    { name: 'POST /guides', method: 'post', path: () => '/guides' },
    { name: 'POST /guides/:id/absences', method: 'post', path: () => `/guides/${d.guide.id}/absences` },
    { name: 'POST /guides/:id/absences/preview', method: 'post', path: () => `/guides/${d.guide.id}/absences/preview` },
    { name: 'PUT /guides/:id/availability', method: 'put', path: () => `/guides/${d.guide.id}/availability` },
    { name: 'POST /guide/absences', method: 'post', path: () => `/guide/absences${asGuide()}` },
    { name: 'POST /guide/absences/preview', method: 'post', path: () => `/guide/absences/preview${asGuide()}` },
    { name: 'PUT /guide/availability', method: 'put', path: () => `/guide/availability${asGuide()}` },
    { name: 'PATCH /guides/:id', method: 'patch', path: () => `/guides/${d.guide.id}` },
    { name: 'POST /seniors', method: 'post', path: () => '/seniors' },
    { name: 'PATCH /seniors/:id', method: 'patch', path: () => `/seniors/${d.senior.id}` },
    { name: 'POST /sessions/:id/registrations', method: 'post', path: () => `/sessions/${d.session.id}/registrations` },
    { name: 'POST /regulars', method: 'post', path: () => '/regulars' },
    ...(['guides', 'seniors'] as const).flatMap((kind) => [
      {
        name: `POST /municipalities/:id/imports/${kind}`,
        method: 'post' as const,
        path: () => `/municipalities/${d.municipality.id}/imports/${kind}`,
      },
      {
        name: `POST /municipalities/:id/imports/${kind}/preview`,
        method: 'post' as const,
        path: () => `/municipalities/${d.municipality.id}/imports/${kind}/preview`,
      },
    ]),
    { name: 'POST /regulars/:id/end', method: 'post', path: () => `/regulars/${unknownId()}/end` },
    { name: 'POST /auth/login', method: 'post', path: () => '/auth/login' },
    { name: 'POST /auth/tokens', method: 'post', path: () => '/auth/tokens' },
    { name: 'POST /users', method: 'post', path: () => '/users' },
    { name: 'POST /users/invitations', method: 'post', path: () => '/users/invitations' },
    { name: 'PATCH /users/:id', method: 'patch', path: () => `/users/${unknownId()}` },
    { name: 'POST /auth/password-reset', method: 'post', path: () => '/auth/password-reset' },
    { name: 'POST /auth/password', method: 'post', path: () => '/auth/password' },
    {
      name: 'POST /auth/password-links/:token',
      method: 'post',
      path: () => `/auth/password-links/bry_p_${'A'.repeat(43)}`,
    },
    { name: 'POST /guides/:id/links', method: 'post', path: () => `/guides/${d.guide.id}/links` },
    {
      name: 'POST /municipalities/:id/plans',
      method: 'post',
      path: () => `/municipalities/${d.municipality.id}/plans`,
    },
    {
      name: 'POST /municipalities/:id/plans/publish',
      method: 'post',
      path: () => `/municipalities/${d.municipality.id}/plans/publish`,
    },
    {
      name: 'POST /municipalities/:id/plans/publish/preview',
      method: 'post',
      path: () => `/municipalities/${d.municipality.id}/plans/publish/preview`,
    },
    { name: 'POST /sessions/:id/assignments', method: 'post', path: () => `/sessions/${d.session.id}/assignments` },
    { name: 'PATCH /assignments/:id', method: 'patch', path: () => `/assignments/${d.assignment.id}` },
    { name: 'POST /assignments/:id/swap', method: 'post', path: () => `/assignments/${d.assignment.id}/swap` },
    { name: 'POST /sessions/:id/report', method: 'post', path: () => `/sessions/${d.pastSession.id}/report` },
    { name: 'PUT /sessions/:id/report', method: 'put', path: () => `/sessions/${d.reportedSession.id}/report` },
    {
      name: 'POST /guide/sessions/:id/report',
      method: 'post',
      path: () => `/guide/sessions/${d.pastSession.id}/report${asGuide()}`,
    },
    {
      name: 'PUT /guide/sessions/:id/report',
      method: 'put',
      path: () => `/guide/sessions/${d.reportedSession.id}/report${asGuide()}`,
    },
    { name: 'POST /sessions/:id/queue', method: 'post', path: () => `/sessions/${d.session.id}/queue` },
    {
      name: 'PATCH /sessions/:id/queue/:entryId',
      method: 'patch',
      path: () => `/sessions/${d.session.id}/queue/${unknownId()}`,
    },
    {
      name: 'POST /guide/sessions/:id/queue',
      method: 'post',
      path: () => `/guide/sessions/${d.session.id}/queue${asGuide()}`,
    },
    {
      name: 'PATCH /guide/sessions/:id/queue/:entryId',
      method: 'patch',
      path: () => `/guide/sessions/${d.session.id}/queue/${unknownId()}${asGuide()}`,
    },
  ];

  describe.each(writes)('$name', ({ method, path }) => {
    it('refuses invalid JSON with 400 invalid_json', async () => {
      await expectRejected(
        send(method, path()).set('Content-Type', 'application/json').send('{"name": '),
        400,
        'invalid_json',
        'body',
      );
    });

    it('refuses a body over 100 kB with 413 payload_too_large', async () => {
      await expectRejected(send(method, path(), { name: 'x'.repeat(110_000) }), 413, 'payload_too_large', null);
    });

    it('refuses an array where an object belongs, naming the body', async () => {
      await expectRejected(send(method, path(), [{ name: 'Örebro kommun' }]), 400, 'validation_failed', 'body');
    });

    it('refuses a request with no body at all, naming the body', async () => {
      await expectRejected(send(method, path()), 400, 'validation_failed', 'body');
    });
  });

  // PATCH /assignments/:id has one field, and it is required: an empty body names body.pinned (see its own cases);
  // a queue entry's step needs its status: an empty body names body.status (see the queue's cases).
  describe.each(
    writes.filter((w) => w.method === 'patch' && w.name !== 'PATCH /assignments/:id' && !w.name.includes('/queue/')),
  )('$name', ({ path }) => {
    it('refuses an empty body: there is nothing to change', async () => {
      await expectRejected(send('patch', path(), {}), 400, 'validation_failed', 'body');
    });

    it('refuses a body whose only fields are unknown ones (nothing left to change)', async () => {
      await expectRejected(send('patch', path(), { nmae: 'typo' }), 400, 'validation_failed', 'body');
    });
  });

  // Every route with an id in its path.
  const byId: { name: string; method: Method; path: (id: string) => string; body?: () => object }[] = [
    { name: 'GET /municipalities/:id', method: 'get', path: (id) => `/municipalities/${id}` },
    {
      name: 'PATCH /municipalities/:id',
      method: 'patch',
      path: (id) => `/municipalities/${id}`,
      body: () => ({ name: 'Ny' }),
    },
    { name: 'GET /associations/:id', method: 'get', path: (id) => `/associations/${id}` },
    {
      name: 'PATCH /associations/:id',
      method: 'patch',
      path: (id) => `/associations/${id}`,
      body: () => ({ name: 'Ny' }),
    },
    { name: 'GET /contracts/:id', method: 'get', path: (id) => `/contracts/${id}` },
    {
      name: 'PATCH /contracts/:id',
      method: 'patch',
      path: (id) => `/contracts/${id}`,
      body: () => ({ reference: 'KS 2027/2' }),
    },
    { name: 'GET /venues/:id', method: 'get', path: (id) => `/venues/${id}` },
    { name: 'PATCH /venues/:id', method: 'patch', path: (id) => `/venues/${id}`, body: () => ({ seats: 12 }) },
    { name: 'PUT /venues/:id/travel', method: 'put', path: (id) => `/venues/${id}/travel`, body: valid.travel },
    { name: 'GET /series/:id', method: 'get', path: (id) => `/series/${id}` },
    { name: 'PATCH /series/:id', method: 'patch', path: (id) => `/series/${id}`, body: () => ({ seats: 5 }) },
    {
      name: 'POST /series/:id/preview',
      method: 'post',
      path: (id) => `/series/${id}/preview`,
      body: () => ({ seats: 5 }),
    },
    { name: 'POST /series/:id/archive', method: 'post', path: (id) => `/series/${id}/archive`, body: () => ({}) },
    {
      name: 'POST /series/:id/archive/preview',
      method: 'post',
      path: (id) => `/series/${id}/archive/preview`,
      body: () => ({}),
    },
    { name: 'GET /sessions/:id', method: 'get', path: (id) => `/sessions/${id}` },
    { name: 'PATCH /sessions/:id', method: 'patch', path: (id) => `/sessions/${id}`, body: () => ({ seats: 5 }) },
    {
      name: 'POST /sessions/:id/cancel',
      method: 'post',
      path: (id) => `/sessions/${id}/cancel`,
      body: () => ({ reason: 'Sjukdom' }),
    },
    { name: 'POST /sessions/:id/restore', method: 'post', path: (id) => `/sessions/${id}/restore` },
    { name: 'GET /closures/:id', method: 'get', path: (id) => `/closures/${id}` },
    { name: 'DELETE /closures/:id', method: 'delete', path: (id) => `/closures/${id}` },
    { name: 'POST /closures/:id/removal/preview', method: 'post', path: (id) => `/closures/${id}/removal/preview` },
    { name: 'GET /guides/:id', method: 'get', path: (id) => `/guides/${id}` },
    { name: 'POST /guides/:id/absences', method: 'post', path: (id) => `/guides/${id}/absences`, body: valid.absence },
    {
      name: 'POST /guides/:id/absences/preview',
      method: 'post',
      path: (id) => `/guides/${id}/absences/preview`,
      body: valid.absence,
    },
    { name: 'DELETE /guides/:id/absences/:date', method: 'delete', path: (id) => `/guides/${id}/absences/2027-01-05` },
    {
      name: 'PUT /guides/:id/availability',
      method: 'put',
      path: (id) => `/guides/${id}/availability`,
      body: valid.availability,
    },
    { name: 'PATCH /guides/:id', method: 'patch', path: (id) => `/guides/${id}`, body: () => ({ maxHoursPerWeek: 4 }) },
    { name: 'GET /seniors/:id', method: 'get', path: (id) => `/seniors/${id}` },
    {
      name: 'PATCH /seniors/:id',
      method: 'patch',
      path: (id) => `/seniors/${id}`,
      body: () => ({ displayName: 'Ny' }),
    },
    {
      name: 'POST /sessions/:id/registrations',
      method: 'post',
      path: (id) => `/sessions/${id}/registrations`,
      body: valid.registration,
    },
    { name: 'GET /sessions/:id/registrations', method: 'get', path: (id) => `/sessions/${id}/registrations` },
    { name: 'GET /registrations/:id', method: 'get', path: (id) => `/registrations/${id}` },
    {
      name: 'POST /regulars/:id/end',
      method: 'post',
      path: (id) => `/regulars/${id}/end`,
      body: () => ({ fromDate: '2027-01-05' }),
    },
    { name: 'GET /seniors/:id/regulars', method: 'get', path: (id) => `/seniors/${id}/regulars` },
    ...(['guides', 'seniors'] as const).flatMap((kind) =>
      (['csv', 'xlsx'] as const).map((format) => ({
        name: `GET /municipalities/:id/exports/${kind}.${format}`,
        method: 'get' as const,
        path: (id: string) => `/municipalities/${id}/exports/${kind}.${format}`,
      })),
    ),
    { name: 'GET /seniors/:id/sessions', method: 'get', path: (id) => `/seniors/${id}/sessions` },
    { name: 'POST /registrations/:id/cancel', method: 'post', path: (id) => `/registrations/${id}/cancel` },
    {
      name: 'GET /municipalities/:id/weeks/:week',
      method: 'get',
      path: (id) => `/municipalities/${id}/weeks/2026-W49`,
    },
    {
      name: 'GET /municipalities/:id/weeks/:week/plan',
      method: 'get',
      path: (id) => `/municipalities/${id}/weeks/2026-W49/plan`,
    },
    { name: 'DELETE /auth/tokens/:id', method: 'delete', path: (id) => `/auth/tokens/${id}` },
    { name: 'PATCH /users/:id', method: 'patch', path: (id) => `/users/${id}`, body: () => ({ role: 'admin' }) },
    { name: 'POST /users/:id/invitation', method: 'post', path: (id) => `/users/${id}/invitation` },
    { name: 'POST /users/:id/deactivate', method: 'post', path: (id) => `/users/${id}/deactivate` },
    { name: 'POST /users/:id/reactivate', method: 'post', path: (id) => `/users/${id}/reactivate` },
    { name: 'POST /users/:id/unlock', method: 'post', path: (id) => `/users/${id}/unlock` },
    { name: 'GET /seniors/:id/export', method: 'get', path: (id) => `/seniors/${id}/export` },
    { name: 'POST /seniors/:id/erase', method: 'post', path: (id) => `/seniors/${id}/erase` },
    {
      name: 'POST /guides/:id/links',
      method: 'post',
      path: (id) => `/guides/${id}/links`,
      body: () => ({ purpose: 'access' }),
    },
    { name: 'GET /guides/:id/links', method: 'get', path: (id) => `/guides/${id}/links` },
    { name: 'POST /guide-links/:id/revoke', method: 'post', path: (id) => `/guide-links/${id}/revoke` },
    {
      name: 'POST /municipalities/:id/plans',
      method: 'post',
      path: (id) => `/municipalities/${id}/plans`,
      body: valid.plan,
    },
    {
      name: 'POST /municipalities/:id/plans/publish',
      method: 'post',
      path: (id) => `/municipalities/${id}/plans/publish`,
      body: valid.publish,
    },
    {
      name: 'POST /municipalities/:id/plans/publish/preview',
      method: 'post',
      path: (id) => `/municipalities/${id}/plans/publish/preview`,
      body: valid.publish,
    },
    { name: 'GET /plans/:id', method: 'get', path: (id) => `/plans/${id}` },
    { name: 'GET /sessions/:id/assignments', method: 'get', path: (id) => `/sessions/${id}/assignments` },
    {
      name: 'POST /sessions/:id/assignments',
      method: 'post',
      path: (id) => `/sessions/${id}/assignments`,
      body: valid.assign,
    },
    { name: 'PATCH /assignments/:id', method: 'patch', path: (id) => `/assignments/${id}`, body: valid.pin },
    { name: 'DELETE /assignments/:id', method: 'delete', path: (id) => `/assignments/${id}` },
    { name: 'GET /assignments/:id/substitutes', method: 'get', path: (id) => `/assignments/${id}/substitutes` },
    { name: 'POST /assignments/:id/swap', method: 'post', path: (id) => `/assignments/${id}/swap`, body: valid.swap },
    { name: 'GET /sessions/:id/candidates', method: 'get', path: (id) => `/sessions/${id}/candidates` },
    {
      name: 'GET /municipalities/:id/guide-hours',
      method: 'get',
      path: (id) => `/municipalities/${id}/guide-hours?month=2026-12`,
    },
    { name: 'POST /outbox/:id/resend', method: 'post', path: (id) => `/outbox/${id}/resend` },
    { name: 'POST /sessions/:id/report', method: 'post', path: (id) => `/sessions/${id}/report`, body: valid.report },
    { name: 'PUT /sessions/:id/report', method: 'put', path: (id) => `/sessions/${id}/report`, body: valid.correction },
    { name: 'GET /sessions/:id/report', method: 'get', path: (id) => `/sessions/${id}/report` },
    { name: 'GET /sessions/:id/report-form', method: 'get', path: (id) => `/sessions/${id}/report-form` },
    { name: 'GET /contracts/:id/reports/:period', method: 'get', path: (id) => `/contracts/${id}/reports/2026-Q4` },
    { name: 'GET /contracts/:id/report-period', method: 'get', path: (id) => `/contracts/${id}/report-period` },
    {
      name: 'GET /contracts/:id/reports/:period/csv',
      method: 'get',
      path: (id) => `/contracts/${id}/reports/2026-Q4/csv`,
    },
    {
      name: 'GET /contracts/:id/reports/:period/print',
      method: 'get',
      path: (id) => `/contracts/${id}/reports/2026-Q4/print`,
    },
    // The guides' own routes, with d.guide's valid link: only the id is at fault (an unknown one answers as one the guide is not on).
    {
      name: 'GET /guide/sessions/:id/report-form',
      method: 'get',
      path: (id) => `/guide/sessions/${id}/report-form${asGuide()}`,
    },
    {
      name: 'POST /guide/sessions/:id/report',
      method: 'post',
      path: (id) => `/guide/sessions/${id}/report${asGuide()}`,
      body: valid.report,
    },
    {
      name: 'PUT /guide/sessions/:id/report',
      method: 'put',
      path: (id) => `/guide/sessions/${id}/report${asGuide()}`,
      body: valid.correction,
    },
    { name: 'GET /sessions/:id/queue', method: 'get', path: (id) => `/sessions/${id}/queue` },
    { name: 'POST /sessions/:id/queue', method: 'post', path: (id) => `/sessions/${id}/queue`, body: valid.walkIn },
    {
      name: 'PATCH /sessions/:id/queue/:entryId',
      method: 'patch',
      path: (id) => `/sessions/${id}/queue/${unknownId()}`,
      body: () => ({ status: 'removed' }),
    },
    // A guide's link on a café the guide is not on duty at answers as for an unknown one.
    { name: 'GET /guide/sessions/:id/queue', method: 'get', path: (id) => `/guide/sessions/${id}/queue${asGuide()}` },
    {
      name: 'POST /guide/sessions/:id/queue',
      method: 'post',
      path: (id) => `/guide/sessions/${id}/queue${asGuide()}`,
      body: valid.walkIn,
    },
    {
      name: 'PATCH /guide/sessions/:id/queue/:entryId',
      method: 'patch',
      path: (id) => `/guide/sessions/${id}/queue/${unknownId()}${asGuide()}`,
      body: () => ({ status: 'helping' }),
    },
  ];

  describe.each(byId)('$name', ({ method, path, body }) => {
    it.each(['not-a-uuid', '12345', 'a8098c1a-f86e-11da-bd1a-00112444be1'])(
      'refuses the malformed id "%s" with 400, naming params.id',
      async (id) => {
        await expectRejected(send(method, path(id), body?.()), 400, 'validation_failed', 'params.id');
      },
    );

    it('answers a well-formed id that names nothing with 404 not_found, naming params.id', async () => {
      await expectRejected(send(method, path(unknownId()), body?.()), 404, 'not_found', 'params.id');
    });
  });

  // Every list: paging is checked the same way everywhere.
  const lists = [
    '/municipalities',
    '/associations',
    '/contracts',
    '/venues',
    '/series',
    '/sessions',
    '/closures',
    '/guides',
    '/seniors',
    '/audit',
    '/outbox',
  ];
  describe.each(lists)('GET %s', (path) => {
    refuses(
      queryCases(
        () => path,
        [
          ['limit 0', 'limit=0', 'query.limit'],
          ['limit 10000', 'limit=10000', 'query.limit'],
          ['a limit that is not a number', 'limit=ten', 'query.limit'],
          ['a fractional limit', 'limit=2.5', 'query.limit'],
          ['a negative offset', 'offset=-1', 'query.offset'],
          ['an offset beyond any safe integer', 'offset=99999999999999999999', 'query.offset'],
          ['a limit given twice', 'limit=5&limit=6', 'query.limit'],
        ],
      ),
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('Municipalities and associations', () => {
  describe.each(['/municipalities', '/associations'])('POST %s', (path) => {
    refuses(
      bodyCases('post', () => path, valid.organisation, [
        ['a missing name', { name: undefined }, 'body.name'],
        ['a name that is a number', { name: 42 }, 'body.name'],
        ['a blank name', { name: '   ' }, 'body.name'],
        ['a name over 200 characters', { name: 'x'.repeat(201) }, 'body.name'],
        ['a contact e-mail that is not one', { contactEmail: 'it-cafe at kommun' }, 'body.contactEmail'],
        ['a contact e-mail given as an object', { contactEmail: { address: 'a@b.se' } }, 'body.contactEmail'],
      ]),
    );
  });

  describe('PATCH /municipalities/:id', () => {
    refuses(
      bodyCases(
        'patch',
        () => `/municipalities/${d.municipality.id}`,
        () => ({}),
        [
          ['a name that is a number', { name: 42 }, 'body.name'],
          ['a blank name', { name: '' }, 'body.name'],
          ['a contact e-mail that is not one', { contactEmail: 'nope' }, 'body.contactEmail'],
        ],
      ),
    );
  });

  it('answers a municipality asked for by an association id with 404 not_found', async () => {
    await expectRejected(send('get', `/municipalities/${d.association.id}`), 404, 'not_found', 'params.id');
  });

  it('refuses to change an association through the municipality route', async () => {
    await expectRejected(
      send('patch', `/municipalities/${d.association.id}`, { name: 'Kapad' }),
      404,
      'not_found',
      'params.id',
    );
  });
});

describe('Contracts', () => {
  describe('POST /contracts', () => {
    refuses(
      bodyCases('post', () => '/contracts', valid.contract, [
        ['a missing endsOn', { endsOn: undefined }, 'body.endsOn'],
        ['a missing municipalityId', { municipalityId: undefined }, 'body.municipalityId'],
        ['an endsOn before startsOn', { startsOn: '2027-06-01', endsOn: '2027-05-31' }, 'body.endsOn'],
        ['an impossible date 2027-02-30', { startsOn: '2027-02-30' }, 'body.startsOn'],
        ['a date given as a number', { endsOn: 20271231 }, 'body.endsOn'],
        ['a date in another format', { startsOn: '01/01/2027' }, 'body.startsOn'],
        ['an unknown reporting period', { reportingPeriod: 'weekly' }, 'body.reportingPeriod'],
        ['a reference that is a number', { reference: 112 }, 'body.reference'],
        ['a malformed municipalityId', { municipalityId: 'orebro' }, 'body.municipalityId'],
        ['an unknown municipalityId', { municipalityId: unknownId() }, 'body.municipalityId', 422, 'unknown_reference'],
        ['an unknown associationId', { associationId: unknownId() }, 'body.associationId', 422, 'unknown_reference'],
      ]),
    );

    it('refuses a municipality given as the association (422 unknown_reference on body.associationId)', async () => {
      await expectRejected(
        send('post', '/contracts', mutate(valid.contract(), { associationId: d.municipality.id })),
        422,
        'unknown_reference',
        'body.associationId',
      );
    });

    it('refuses an association given as the municipality (422 unknown_reference on body.municipalityId)', async () => {
      await expectRejected(
        send('post', '/contracts', mutate(valid.contract(), { municipalityId: d.association.id })),
        422,
        'unknown_reference',
        'body.municipalityId',
      );
    });
  });

  describe('GET /contracts', () => {
    refuses(
      queryCases(
        () => '/contracts',
        [
          ['a malformed municipalityId filter', 'municipalityId=orebro', 'query.municipalityId'],
          ['a malformed associationId filter', 'associationId=42', 'query.associationId'],
        ],
      ),
    );
  });
});

describe('Venues and travel', () => {
  describe('POST /venues', () => {
    refuses(
      bodyCases('post', () => '/venues', valid.venue, [
        ['an unknown venue kind "castle"', { kind: 'castle' }, 'body.kind'],
        ['seats given as a string', { seats: '10' }, 'body.seats'],
        ['zero seats', { seats: 0 }, 'body.seats'],
        ['fractional seats', { seats: 2.5 }, 'body.seats'],
        ['a name that is a number', { name: 42 }, 'body.name'],
        ['a missing address', { address: undefined }, 'body.address'],
        ['equipment given as an object', { equipment: { wifi: true } }, 'body.equipment'],
        ['unknown equipment', { equipment: ['wifi', 'jacuzzi'] }, 'body.equipment.1'],
        ['active given as a string', { active: 'yes' }, 'body.active'],
        ['a malformed municipalityId', { municipalityId: 'x' }, 'body.municipalityId'],
        ['an unknown municipalityId', { municipalityId: unknownId() }, 'body.municipalityId', 422, 'unknown_reference'],
      ]),
    );

    it('refuses an association given as the municipality (422 unknown_reference)', async () => {
      await expectRejected(
        send('post', '/venues', buildVenue(d.association.id)),
        422,
        'unknown_reference',
        'body.municipalityId',
      );
    });
  });

  describe('PATCH /venues/:id', () => {
    refuses(
      bodyCases(
        'patch',
        () => `/venues/${d.venue.id}`,
        () => ({}),
        [
          ['an unknown venue kind "castle"', { kind: 'castle' }, 'body.kind'],
          ['seats given as a string', { seats: '12' }, 'body.seats'],
          ['a null name', { name: null }, 'body.name'],
        ],
      ),
    );
  });

  describe('GET /venues', () => {
    refuses(
      queryCases(
        () => '/venues',
        [
          ['an active flag that is not true/false', 'active=maybe', 'query.active'],
          ['a malformed municipalityId filter', 'municipalityId=nope', 'query.municipalityId'],
        ],
      ),
    );
  });

  describe('PUT /venues/:id/travel', () => {
    refuses(
      bodyCases('put', () => `/venues/${d.venue.id}/travel`, valid.travel, [
        ['minutes given as a string', { minutes: '15' }, 'body.minutes'],
        ['negative minutes', { minutes: -5 }, 'body.minutes'],
        ['missing minutes', { minutes: undefined }, 'body.minutes'],
        ['a malformed toVenueId', { toVenueId: 'bibblan' }, 'body.toVenueId'],
        ['an unknown toVenueId', { toVenueId: unknownId() }, 'body.toVenueId', 422, 'unknown_reference'],
      ]),
    );

    it('refuses travel from a venue to itself (422 same_venue)', async () => {
      await expectRejected(
        send('put', `/venues/${d.venue.id}/travel`, { toVenueId: d.venue.id, minutes: 0 }),
        422,
        'same_venue',
        'body.toVenueId',
      );
    });

    it('refuses travel to a venue of another municipality (422 unknown_reference)', async () => {
      await expectRejected(
        send('put', `/venues/${d.venue.id}/travel`, { toVenueId: d.otherVenue.id, minutes: 30 }),
        422,
        'unknown_reference',
        'body.toVenueId',
      );
    });
  });
});

describe('Series', () => {
  describe('POST /series', () => {
    refuses(
      bodyCases('post', () => '/series', valid.series, [
        ['an unknown weekday "funday"', { weekday: 'funday' }, 'body.weekday'],
        ['a start time of 25:00', { startTime: '25:00' }, 'body.startTime'],
        ['a start time without a leading zero', { startTime: '9:00' }, 'body.startTime'],
        ['an invalid time zone', { timeZone: 'Europe/Atlantis' }, 'body.timeZone'],
        ['an impossible firstDate 2027-02-30', { firstDate: '2027-02-30' }, 'body.firstDate'],
        ['an impossible anchorDate', { anchorDate: '2027-13-01' }, 'body.anchorDate'],
        ['a lastDate before firstDate', { firstDate: '2027-06-01', lastDate: '2027-05-01' }, 'body.lastDate'],
        ['a span over ten years', { firstDate: '2027-01-05', lastDate: '2038-01-05' }, 'body.lastDate'],
        [
          'a span of ten years and 51 weeks (the years differ by only ten)',
          { firstDate: '2027-01-05', lastDate: '2037-12-28' },
          'body.lastDate',
        ],
        ['minGuides 1: guides work in pairs', { minGuides: 1 }, 'body.minGuides'],
        ['maxGuides below minGuides', { minGuides: 4, maxGuides: 3 }, 'body.maxGuides'],
        ['seats given as a string', { seats: '8' }, 'body.seats'],
        ['a duration under 15 minutes', { durationMinutes: 10 }, 'body.durationMinutes'],
        ['intervalWeeks 0', { intervalWeeks: 0 }, 'body.intervalWeeks'],
        ['a theme that is a number', { theme: 7 }, 'body.theme'],
        ['skipHolidays given as a string', { skipHolidays: 'true' }, 'body.skipHolidays'],
        ['a missing firstDate', { firstDate: undefined }, 'body.firstDate'],
        ['a missing venueId', { venueId: undefined }, 'body.venueId'],
        ['an unknown venueId', { venueId: unknownId() }, 'body.venueId', 422, 'unknown_reference'],
      ]),
    );
  });

  describe('PATCH /series/:id', () => {
    refuses(
      bodyCases(
        'patch',
        () => `/series/${d.series.id}`,
        () => ({}),
        [
          ['an unknown weekday "funday"', { weekday: 'funday' }, 'body.weekday'],
          ['a start time of 25:00', { startTime: '25:00' }, 'body.startTime'],
          ['an invalid time zone', { timeZone: 'Stockholm' }, 'body.timeZone'],
          ['minGuides 1', { minGuides: 1 }, 'body.minGuides'],
          ['maxGuides below minGuides, both given', { minGuides: 5, maxGuides: 3 }, 'body.maxGuides'],
          [
            'a lastDate before firstDate, both given',
            { firstDate: '2027-03-01', lastDate: '2027-02-01' },
            'body.lastDate',
          ],
          ['an impossible lastDate 2027-02-30', { lastDate: '2027-02-30' }, 'body.lastDate'],
          [
            'a lastDate before the stored firstDate',
            { lastDate: '2026-12-31' },
            'body.lastDate',
            422,
            'invalid_series',
          ],
          ['a minGuides above the stored maxGuides', { minGuides: 5 }, 'body.maxGuides', 422, 'invalid_series'],
          ['an unknown venueId', { venueId: unknownId() }, 'body.venueId', 422, 'unknown_reference'],
        ],
      ),
    );

    it('refuses a lastDate that stretches the series over ten years, as creating one does', async () => {
      const { series } = await t.services.series.create(
        buildSeries(d.venue2.id, { firstDate: '2027-01-05', lastDate: '2027-03-30' }),
      );
      await expectRejected(
        send('patch', `/series/${series.id}`, { lastDate: '2040-06-15' }),
        422,
        'invalid_series',
        'body.lastDate',
      );
    });

    it('refuses a venue of another municipality (422 unknown_reference)', async () => {
      await expectRejected(
        send('patch', `/series/${d.series.id}`, { venueId: d.otherVenue.id }),
        422,
        'unknown_reference',
        'body.venueId',
      );
    });
  });

  describe('GET /series', () => {
    refuses(
      queryCases(
        () => '/series',
        [
          ['a malformed venueId filter', 'venueId=abc', 'query.venueId'],
          ['a malformed municipalityId filter', 'municipalityId=abc', 'query.municipalityId'],
        ],
      ),
    );
  });
});

describe('Sessions', () => {
  describe('POST /sessions (one-off)', () => {
    refuses(
      bodyCases('post', () => '/sessions', valid.session, [
        ['a date in the past', { date: '2026-11-20' }, 'body.date', 422, 'in_the_past'],
        ['a start earlier today', { date: '2026-11-24', startTime: '09:30' }, 'body.date', 422, 'in_the_past'],
        ['an impossible date 2027-02-30', { date: '2027-02-30' }, 'body.date'],
        ['a start time of 25:00', { startTime: '25:00' }, 'body.startTime'],
        ['an invalid time zone', { timeZone: 'Mars/Olympus_Mons' }, 'body.timeZone'],
        ['minGuides 1', { minGuides: 1 }, 'body.minGuides'],
        ['maxGuides below minGuides', { minGuides: 3, maxGuides: 2 }, 'body.maxGuides'],
        ['durationMinutes given as a string', { durationMinutes: '120' }, 'body.durationMinutes'],
        ['zero seats', { seats: 0 }, 'body.seats'],
        ['a theme that is a number', { theme: 5 }, 'body.theme'],
        ['a missing venueId', { venueId: undefined }, 'body.venueId'],
        ['a missing date', { date: undefined }, 'body.date'],
        ['a malformed venueId', { venueId: 'bibblan' }, 'body.venueId'],
        ['an unknown venueId', { venueId: unknownId() }, 'body.venueId', 422, 'unknown_reference'],
      ]),
    );
  });

  describe('PATCH /sessions/:id', () => {
    refuses(
      bodyCases(
        'patch',
        () => `/sessions/${d.session.id}`,
        () => ({}),
        [
          ['a move into the past', { date: '2026-11-20' }, 'body.date', 422, 'in_the_past'],
          ['a start time of 25:00', { startTime: '25:00' }, 'body.startTime'],
          ['an impossible date 2027-02-30', { date: '2027-02-30' }, 'body.date'],
          ['an invalid time zone', { timeZone: 'CET+1' }, 'body.timeZone'],
          ['minGuides 1', { minGuides: 1 }, 'body.minGuides'],
          ['maxGuides below minGuides, both given', { minGuides: 4, maxGuides: 2 }, 'body.maxGuides'],
          ['a minGuides above the stored maxGuides', { minGuides: 5 }, 'body.maxGuides', 422, 'invalid_session'],
          ['seats given as a string', { seats: '3' }, 'body.seats'],
          ['a null venueId', { venueId: null }, 'body.venueId'],
          ['an unknown venueId', { venueId: unknownId() }, 'body.venueId', 422, 'unknown_reference'],
        ],
      ),
    );

    it('refuses a move to a venue of another municipality (422 unknown_reference)', async () => {
      await expectRejected(
        send('patch', `/sessions/${d.session.id}`, { venueId: d.otherVenue.id }),
        422,
        'unknown_reference',
        'body.venueId',
      );
    });

    it('refuses to change a session that is over (409 session_over)', async () => {
      await expectRejected(send('patch', `/sessions/${d.pastSession.id}`, { seats: 6 }), 409, 'session_over', null);
    });
  });

  describe('POST /sessions/:id/cancel', () => {
    refuses(
      bodyCases(
        'post',
        () => `/sessions/${d.session.id}/cancel`,
        () => ({ reason: 'Sjukdom' }),
        [
          ['a missing reason', { reason: undefined }, 'body.reason'],
          ['a blank reason', { reason: '   ' }, 'body.reason'],
          ['a reason that is a number', { reason: 404 }, 'body.reason'],
          ['a reason over 500 characters', { reason: 'x'.repeat(501) }, 'body.reason'],
        ],
      ),
    );

    it('refuses to cancel a session that is over (409 session_over)', async () => {
      await expectRejected(
        send('post', `/sessions/${d.pastSession.id}/cancel`, { reason: 'För sent' }),
        409,
        'session_over',
        null,
      );
    });
  });

  describe('POST /sessions/:id/restore', () => {
    it('refuses to restore a cancelled session that is over (409 session_over)', async () => {
      await expectRejected(send('post', `/sessions/${d.pastCancelledSession.id}/restore`), 409, 'session_over', null);
    });
  });

  describe('GET /sessions', () => {
    refuses(
      queryCases(
        () => '/sessions',
        [
          ['a to before from', 'from=2027-02-01&to=2027-01-31', 'query.to'],
          ['an impossible from date 2027-02-30', 'from=2027-02-30', 'query.from'],
          ['a to that is not a date', 'to=tomorrow', 'query.to'],
          ['an unknown status', 'status=deleted', 'query.status'],
          ['a malformed venueId filter', 'venueId=1', 'query.venueId'],
          ['a malformed seriesId filter', 'seriesId=1', 'query.seriesId'],
          ['a malformed municipalityId filter', 'municipalityId=1', 'query.municipalityId'],
        ],
      ),
    );
  });
});

describe('Closures', () => {
  describe('POST /closures', () => {
    refuses(
      bodyCases('post', () => '/closures', valid.closure, [
        ['an endsOn before startsOn', { startsOn: '2027-10-29', endsOn: '2027-10-25' }, 'body.endsOn'],
        ['an impossible startsOn 2027-02-30', { startsOn: '2027-02-30' }, 'body.startsOn'],
        ['a missing name', { name: undefined }, 'body.name'],
        ['a name that is a number', { name: 2027 }, 'body.name'],
        ['a startsOn given as a number', { startsOn: 20271025 }, 'body.startsOn'],
        ['a malformed venueId', { venueId: 'all' }, 'body.venueId'],
        ['an unknown municipalityId', { municipalityId: unknownId() }, 'body.municipalityId', 422, 'unknown_reference'],
        ['an unknown venueId', { venueId: unknownId() }, 'body.venueId', 422, 'unknown_reference'],
      ]),
    );

    it('refuses a venue of another municipality (422 unknown_reference)', async () => {
      await expectRejected(
        send('post', '/closures', mutate(valid.closure(), { venueId: d.otherVenue.id })),
        422,
        'unknown_reference',
        'body.venueId',
      );
    });

    it('refuses an association given as the municipality (422 unknown_reference)', async () => {
      await expectRejected(
        send('post', '/closures', mutate(valid.closure(), { municipalityId: d.association.id, venueId: null })),
        422,
        'unknown_reference',
        'body.municipalityId',
      );
    });
  });

  describe('GET /closures', () => {
    refuses(
      queryCases(
        () => '/closures',
        [['a malformed municipalityId filter', 'municipalityId=alla', 'query.municipalityId']],
      ),
    );
  });
});

describe('Guides', () => {
  describe('POST /guides', () => {
    refuses(
      bodyCases('post', () => '/guides', valid.guide, [
        [
          'an unknown platform "symbian"',
          { platforms: [{ platform: 'symbian', level: 'good' }] },
          'body.platforms.0.platform',
        ],
        [
          'the same platform twice',
          {
            platforms: [
              { platform: 'ios', level: 'good' },
              { platform: 'ios', level: 'basic' },
            ],
          },
          'body.platforms.1',
        ],
        ['no platforms at all', { platforms: [] }, 'body.platforms'],
        ['an unknown platform level', { platforms: [{ platform: 'ios', level: 'wizard' }] }, 'body.platforms.0.level'],
        ['platforms given as an object', { platforms: { platform: 'ios', level: 'good' } }, 'body.platforms'],
        [
          'the same language twice',
          {
            languages: [
              { language: 'ar', level: 'native' },
              { language: 'ar', level: 'B1' },
            ],
          },
          'body.languages.1',
        ],
        [
          'a language that is not a code',
          { languages: [{ language: 'Arabic', level: 'native' }] },
          'body.languages.0.language',
        ],
        ['an unknown Swedish level', { swedishLevel: 'fluent' }, 'body.swedishLevel'],
        [
          'an unknown weekday "funday"',
          { availability: [{ weekday: 'funday', start: '13:00', end: '18:00' }] },
          'body.availability.0.weekday',
        ],
        [
          'a window starting at 25:00',
          { availability: [{ weekday: 'tue', start: '25:00', end: '26:00' }] },
          'body.availability.0.start',
        ],
        [
          'a window that ends before it starts',
          { availability: [{ weekday: 'tue', start: '18:00', end: '13:00' }] },
          'body.availability.0.end',
        ],
        ['an impossible startDate 2027-02-30', { startDate: '2027-02-30' }, 'body.startDate'],
        [
          'an unavailable date listed twice',
          { unavailableDates: [{ date: '2026-12-24' }, { date: '2026-12-24' }] },
          'body.unavailableDates.1',
        ],
        ['maxHoursPerWeek given as a string', { maxHoursPerWeek: '6' }, 'body.maxHoursPerWeek'],
        ['maxHoursPerWeek not in half hours', { maxHoursPerWeek: 2.25 }, 'body.maxHoursPerWeek'],
        ['a name that is a number', { name: 7 }, 'body.name'],
        ['an e-mail that is not one', { email: 'guide.example.org' }, 'body.email'],
        ['a phone that is not one', { phone: 'ring mig' }, 'body.phone'],
        ['a missing email', { email: undefined }, 'body.email'],
        ['an unknown associationId', { associationId: unknownId() }, 'body.associationId', 422, 'unknown_reference'],
        ['an unknown municipalityId', { municipalityId: unknownId() }, 'body.municipalityId', 422, 'unknown_reference'],
      ]),
    );

    it('refuses a guide whose availability windows overlap, naming the window', async () => {
      const body = buildGuide(d.association.id, d.municipality.id, {
        availability: [
          { weekday: 'tue', start: '13:00', end: '18:00' },
          { weekday: 'wed', start: '13:00', end: '18:00' },
          { weekday: 'tue', start: '17:00', end: '19:00' },
        ],
      });
      const res = await expectRejected(send('post', '/guides', body), 400, 'validation_failed', 'body.availability.2');
      expect(res.body.error.details).toEqual([
        { field: 'body.availability.2', issue: expect.stringContaining('overlaps window 0') },
      ]);
    });

    it('refuses the municipality and association swapped (422 unknown_reference)', async () => {
      const body = buildGuide(d.municipality.id, d.association.id);
      await expectRejected(send('post', '/guides', body), 422, 'unknown_reference', 'body.associationId');
    });
  });

  describe('PATCH /guides/:id', () => {
    refuses(
      bodyCases(
        'patch',
        () => `/guides/${d.guide.id}`,
        () => ({}),
        [
          [
            'overlapping availability windows',
            {
              availability: [
                { weekday: 'mon', start: '10:00', end: '12:00' },
                { weekday: 'mon', start: '11:59', end: '13:00' },
              ],
            },
            'body.availability.1',
          ],
          [
            'an unknown platform "symbian"',
            { platforms: [{ platform: 'symbian', level: 'basic' }] },
            'body.platforms.0.platform',
          ],
          [
            'the same platform twice',
            {
              platforms: [
                { platform: 'android', level: 'good' },
                { platform: 'android', level: 'good' },
              ],
            },
            'body.platforms.1',
          ],
          ['an empty platform list', { platforms: [] }, 'body.platforms'],
          ['active given as a string', { active: 'false' }, 'body.active'],
          [
            'an end time of 25:00',
            { availability: [{ weekday: 'fri', start: '10:00', end: '25:00' }] },
            'body.availability.0.end',
          ],
        ],
      ),
    );
  });

  describe('GET /guides', () => {
    refuses(
      queryCases(
        () => '/guides',
        [
          ['an unknown platform "symbian"', 'platform=symbian', 'query.platform'],
          ['an unknown weekday "funday"', 'weekday=funday', 'query.weekday'],
          ['a from time of 25:00', 'weekday=tue&from=25:00', 'query.from'],
          ['a to before from', 'weekday=tue&from=15:00&to=14:00', 'query.to'],
          ['a time without a weekday or date', 'from=14:00', 'query.weekday'],
          ['both a weekday and a date', 'weekday=tue&date=2026-12-01', 'query.date'],
          ['an impossible date 2027-02-30', 'date=2027-02-30', 'query.date'],
          ['an active flag that is not true/false', 'active=yes', 'query.active'],
          ['a language that is not a code', 'language=Arabic', 'query.language'],
          ['a malformed associationId filter', 'associationId=x', 'query.associationId'],
        ],
      ),
    );
  });

  describe('GET /municipalities/:id/guide-hours', () => {
    const hours = (query: string, id = d.municipality.id) => send('get', `/municipalities/${id}/guide-hours${query}`);

    refuses(
      queryCases(
        () => `/municipalities/${d.municipality.id}/guide-hours`,
        [
          ['no month', '', 'query.month'],
          ['an empty month', 'month=', 'query.month'],
          ['month 13', 'month=2026-13', 'query.month'],
          ['month 0', 'month=2026-00', 'query.month'],
          ['a month without a leading zero', 'month=2026-1', 'query.month'],
          ['a two-digit year', 'month=26-12', 'query.month'],
          ['a date', 'month=2026-12-01', 'query.month'],
          ['a quarter', 'month=2026-Q4', 'query.month'],
          ['an ISO week', 'month=2026-W49', 'query.month'],
          ['a month without the dash', 'month=202612', 'query.month'],
          ['a month by name', 'month=december', 'query.month'],
          ['a month given twice', 'month=2026-11&month=2026-12', 'query.month'],
        ],
      ),
    );

    it.each([
      ['an association', () => d.association.id],
      ['a venue', () => d.venue.id],
      ['a guide', () => d.guide.id],
    ])('answers the id of %s given as the municipality with 404 not_found', async (_what, id) => {
      await expectRejected(hours('?month=2026-12', id()), 404, 'not_found', 'params.id');
    });

    it('refuses a viewer (403 forbidden): hours are for those who keep the roster', async () => {
      const viewer = await t.tokenFor('viewer', d.municipality.id);
      await expectRejected(
        t.http(viewer).get(`/api/v1/municipalities/${d.municipality.id}/guide-hours?month=2026-12`),
        403,
        'forbidden',
        null,
      );
    });

    it('answers a well-formed month with 200 (so what is refused above is the month): December holds the drafts on d.session and d.fullSession', async () => {
      const res = await hours('?month=2026-12').expect(200);
      const expected = [
        { guideId: d.guide.id, plannedMinutes: 240, peakWeekMinutes: 120, workedMinutes: 0 }, // weeks 49 and 50
        { guideId: d.spareGuide.id, plannedMinutes: 120, peakWeekMinutes: 120, workedMinutes: 0 },
      ].sort((a, b) => a.guideId.localeCompare(b.guideId));
      expect(res.body).toEqual({ month: '2026-12', items: expected });
      expect((await hours('?month=2027-02').expect(200)).body).toEqual({ month: '2027-02', items: [] });
    });
  });
});

describe('Seniors', () => {
  describe('POST /seniors', () => {
    refuses(
      bodyCases('post', () => '/seniors', valid.senior, [
        [
          'a device on an unknown platform "symbian"',
          { devices: [{ platform: 'symbian', kind: 'phone' }] },
          'body.devices.0.platform',
        ],
        ['a device of an unknown kind', { devices: [{ platform: 'ios', kind: 'watch' }] }, 'body.devices.0.kind'],
        ['devices given as an object', { devices: { platform: 'ios', kind: 'phone' } }, 'body.devices'],
        ['an unknown topic', { topics: ['bankid', 'gaming'] }, 'body.topics.1'],
        ['a missing consentGivenAt', { consentGivenAt: undefined }, 'body.consentGivenAt'],
        ['a consentGivenAt without a time', { consentGivenAt: '2026-11-01' }, 'body.consentGivenAt'],
        ['a phone that is not one', { phone: 'ring på dörren' }, 'body.phone'],
        ['a display name that is a number', { displayName: 1942 }, 'body.displayName'],
        ['a display name over 60 characters', { displayName: 'x'.repeat(61) }, 'body.displayName'],
        ['an unknown age band', { ageBand: '100_plus' }, 'body.ageBand'],
        ['newlyArrived given as a string', { newlyArrived: 'yes' }, 'body.newlyArrived'],
        ['a preferred language that is not a code', { preferredLanguage: 'svenska' }, 'body.preferredLanguage'],
        ['a malformed municipalityId', { municipalityId: 'orebro' }, 'body.municipalityId'],
        ['an unknown municipalityId', { municipalityId: unknownId() }, 'body.municipalityId', 422, 'unknown_reference'],
      ]),
    );
  });

  describe('PATCH /seniors/:id', () => {
    refuses(
      bodyCases(
        'patch',
        () => `/seniors/${d.senior.id}`,
        () => ({}),
        [
          [
            'a device on an unknown platform "symbian"',
            { devices: [{ platform: 'symbian', kind: 'phone' }] },
            'body.devices.0.platform',
          ],
          ['a null consentGivenAt', { consentGivenAt: null }, 'body.consentGivenAt'],
          ['a blank display name', { displayName: ' ' }, 'body.displayName'],
          ['an unknown gender', { gender: 'robot' }, 'body.gender'],
        ],
      ),
    );
  });

  describe('GET /seniors', () => {
    refuses(
      queryCases(
        () => '/seniors',
        [
          ['an empty search', 'q=', 'query.q'],
          ['a search over 60 characters', `q=${'a'.repeat(61)}`, 'query.q'],
          ['a malformed municipalityId filter', 'municipalityId=1', 'query.municipalityId'],
        ],
      ),
    );
  });
});

describe('Registrations', () => {
  const registrationsOf = async (sessionId: string, seniorId: string) =>
    t.dataSource.getRepository(Registration).countBy({ sessionId, seniorId });

  describe('POST /sessions/:id/registrations', () => {
    refuses(
      bodyCases(
        'post',
        () => `/sessions/${d.session.id}/registrations`,
        () => ({ seniorId: d.otherSenior.id }),
        [
          ['a missing seniorId', { seniorId: undefined }, 'body.seniorId'],
          ['a seniorId that is a number', { seniorId: 42 }, 'body.seniorId'],
          ['an empty device list', { devices: [] }, 'body.devices'],
          [
            'a device on an unknown platform "symbian"',
            { devices: [{ platform: 'symbian', kind: 'phone' }] },
            'body.devices.0.platform',
          ],
          ['an unknown topic', { topic: 'gaming' }, 'body.topic'],
          ['an unknown seniorId', { seniorId: unknownId() }, 'body.seniorId', 422, 'unknown_reference'],
          ['a senior of another municipality', {}, 'body.seniorId', 422, 'unknown_reference'],
        ],
      ),
    );

    it('refuses to register a senior twice (409 already_registered), and keeps one registration row', async () => {
      expect(await registrationsOf(d.session.id, d.senior.id)).toBe(1);
      await expectRejected(
        send('post', `/sessions/${d.session.id}/registrations`, { seniorId: d.senior.id }),
        409,
        'already_registered',
        'body.seniorId',
      );
      expect(await registrationsOf(d.session.id, d.senior.id)).toBe(1);
    });

    it('refuses a registration for a cancelled session (409 session_cancelled)', async () => {
      await expectRejected(
        send('post', `/sessions/${d.cancelledSession.id}/registrations`, { seniorId: d.senior.id }),
        409,
        'session_cancelled',
        null,
      );
      expect(await registrationsOf(d.cancelledSession.id, d.senior.id)).toBe(0);
    });

    it('refuses a registration for a session that is over (409 session_over)', async () => {
      await expectRejected(
        send('post', `/sessions/${d.pastSession.id}/registrations`, { seniorId: d.senior.id }),
        409,
        'session_over',
        null,
      );
    });
  });

  describe('POST /registrations/:id/cancel', () => {
    it('refuses to cancel a registration for a session that is over (409 session_over): the seat was history', async () => {
      await expectRejected(send('post', `/registrations/${d.pastRegistration.id}/cancel`), 409, 'session_over', null);
    });
  });

  describe('GET /sessions/:id/registrations', () => {
    refuses(
      queryCases(
        () => `/sessions/${d.session.id}/registrations`,
        [['an unknown status', 'status=gone', 'query.status']],
      ),
    );
  });
});

describe('The week view', () => {
  const week = (w: string, id = d.municipality.id) => send('get', `/municipalities/${id}/weeks/${w}`);

  it.each([
    ['2026-W60', 'a week number over 53'],
    ['2026-W00', 'week 0'],
    ['2026-49', 'a week without the W'],
    ['2026W49', 'a week without the dash'],
    ['w49', 'a week without a year'],
    ['2025-W53', 'week 53 of a year that has only 52'],
  ])(
    'refuses the invalid ISO week "%s" (%s) with 400, naming params.week, for the week and for its plan',
    async (w) => {
      await expectRejected(week(w), 400, 'validation_failed', 'params.week');
      await expectRejected(
        send('get', `/municipalities/${d.municipality.id}/weeks/${w}/plan`),
        400,
        'validation_failed',
        'params.week',
      );
    },
  );

  it("answers a week's plan with null when none covers it, and with the newest one that covers the whole week", async () => {
    const plan = (w: string) => send('get', `/municipalities/${d.municipality.id}/weeks/${w}/plan`).expect(200);
    try {
      expect((await plan('2027-W20')).body).toEqual({ plan: null });
      const made = await send('post', `/municipalities/${d.municipality.id}/plans`)
        .send({ from: '2027-05-17', to: '2027-06-06', seed: 1, timeLimitMs: 100 })
        .expect(201);
      for (const w of ['2027-W20', '2027-W21', '2027-W22'])
        expect((await plan(w)).body.plan).toMatchObject({
          id: made.body.id,
          startsOn: '2027-05-17',
          endsOn: '2027-06-06',
        });
      expect((await plan('2027-W23')).body).toEqual({ plan: null });
      t.clock.advance(60_000); // a minute later, the coordinator plans one of its weeks again
      const newer = await send('post', `/municipalities/${d.municipality.id}/plans`)
        .send({ from: '2027-05-24', to: '2027-05-30', seed: 1, timeLimitMs: 100 })
        .expect(201);
      expect((await plan('2027-W21')).body.plan.id).toBe(newer.body.id);
      expect((await plan('2027-W20')).body.plan.id).toBe(made.body.id);
    } finally {
      t.clock.set(NOW);
    }
  });

  it('answers the week of an association (not a municipality) with 404 not_found', async () => {
    await expectRejected(week('2026-W49', d.association.id), 404, 'not_found', 'params.id');
  });
});

describe('Plans and assignments (the matching engine)', () => {
  const assignmentsOf = (sessionId: string, guideId: string) =>
    t.dataSource.getRepository(Assignment).countBy({ sessionId, guideId });
  const assign = (sessionId: string, guideId: string) =>
    send('post', `/sessions/${sessionId}/assignments`, { guideId });

  describe('POST /municipalities/:id/plans', () => {
    refuses(
      bodyCases('post', () => `/municipalities/${d.municipality.id}/plans`, valid.plan, [
        ['a missing from', { from: undefined }, 'body.from'],
        ['a missing to', { to: undefined }, 'body.to'],
        ['a to before from', { from: '2026-12-07', to: '2026-12-06' }, 'body.to'],
        ['more than a year at a time', { to: '2027-12-31' }, 'body.to'],
        ['a year and two days (367 days)', { from: '2027-01-01', to: '2028-01-03' }, 'body.to'],
        ['an impossible to 2027-02-30', { to: '2027-02-30' }, 'body.to'],
        ['a from in another format', { from: '30/11/2026' }, 'body.from'],
        ['a from given as a number', { from: 20261130 }, 'body.from'],
        ['seed 0', { seed: 0 }, 'body.seed'],
        ['seed "x"', { seed: 'x' }, 'body.seed'],
        ['a fractional seed', { seed: 1.5 }, 'body.seed'],
        ['a seed of 2^31 (over a 32-bit integer)', { seed: 2 ** 31 }, 'body.seed'],
        ['timeLimitMs 10', { timeLimitMs: 10 }, 'body.timeLimitMs'],
        ['timeLimitMs 100000', { timeLimitMs: 100_000 }, 'body.timeLimitMs'],
        ['timeLimitMs "200" as a string', { timeLimitMs: '200' }, 'body.timeLimitMs'],
        ['replanPublished "yes"', { replanPublished: 'yes' }, 'body.replanPublished'],
        // Well-formed dates whose whole weeks fall outside years 0001–9999: the week of 0000-01-01 is -0001-W52,
        // and the week of 9999-12-31 ends on +010000-01-02.
        ['a from in year 0000 (its ISO week is in year -1)', { from: '0000-01-01', to: '0000-01-05' }, 'body.from'],
        ['a period whose last whole week ends in year 10000', { from: '9999-12-27', to: '9999-12-31' }, 'body.to'],
      ]),
    );

    it('answers a plan for an association (not a municipality) with 404 not_found', async () => {
      await expectRejected(
        send('post', `/municipalities/${d.association.id}/plans`, valid.plan()),
        404,
        'not_found',
        'params.id',
      );
    });
  });

  describe('POST /municipalities/:id/plans/publish', () => {
    refuses(
      bodyCases('post', () => `/municipalities/${d.municipality.id}/plans/publish`, valid.publish, [
        ['a missing from', { from: undefined }, 'body.from'],
        ['a missing to', { to: undefined }, 'body.to'],
        ['a to before from', { from: '2026-12-07', to: '2026-12-06' }, 'body.to'],
        ['more than a year at a time', { to: '2027-12-31' }, 'body.to'],
        ['an impossible from 2027-02-30', { from: '2027-02-30' }, 'body.from'],
        ['a to given as a number', { to: 20261206 }, 'body.to'],
        ['a to in another format', { to: '6 dec 2026' }, 'body.to'],
        ['a from in year 0000 (its ISO week is in year -1)', { from: '0000-01-01', to: '0000-01-05' }, 'body.from'],
      ]),
    );

    it('answers publishing for an association (not a municipality) with 404 not_found', async () => {
      await expectRejected(
        send('post', `/municipalities/${d.association.id}/plans/publish`, valid.publish()),
        404,
        'not_found',
        'params.id',
      );
    });
  });

  describe('GET /plans/:id', () => {
    it('answers a session id given as a plan with 404 not_found', async () => {
      await expectRejected(send('get', `/plans/${d.session.id}`), 404, 'not_found', 'params.id');
    });
  });

  describe('GET /sessions/:id/assignments', () => {
    it('answers an assignment id given as a session with 404 not_found', async () => {
      await expectRejected(send('get', `/sessions/${d.assignment.id}/assignments`), 404, 'not_found', 'params.id');
    });
  });

  describe('POST /sessions/:id/assignments', () => {
    refuses(
      bodyCases('post', () => `/sessions/${d.session.id}/assignments`, valid.assign, [
        ['a missing guideId', { guideId: undefined }, 'body.guideId'],
        ['a malformed guideId', { guideId: 'amina' }, 'body.guideId'],
        ['a guideId that is a number', { guideId: 42 }, 'body.guideId'],
        ['a null guideId', { guideId: null }, 'body.guideId'],
        ['a guideId given as a list', { guideId: [randomUUID()] }, 'body.guideId'],
        ['an unknown guideId', { guideId: unknownId() }, 'body.guideId', 422, 'unknown_reference'],
      ]),
    );

    it('refuses a guide of another municipality (422 unknown_reference on body.guideId), writing no assignment', async () => {
      await expectRejected(assign(d.session.id, d.otherGuide.id), 422, 'unknown_reference', 'body.guideId');
      expect(await assignmentsOf(d.session.id, d.otherGuide.id)).toBe(0);
    });

    it('refuses an inactive guide (422 unknown_reference on body.guideId)', async () => {
      await expectRejected(assign(d.session.id, d.inactiveGuide.id), 422, 'unknown_reference', 'body.guideId');
      expect(await assignmentsOf(d.session.id, d.inactiveGuide.id)).toBe(0);
    });

    it('refuses a session id given as the guide (422 unknown_reference on body.guideId)', async () => {
      await expectRejected(assign(d.session.id, d.session.id), 422, 'unknown_reference', 'body.guideId');
    });

    it('refuses a guide who is not available then (422 breaks_hard_rule), saying why on body.guideId', async () => {
      const res = await expectRejected(
        assign(d.session.id, d.morningGuide.id),
        422,
        'breaks_hard_rule',
        'body.guideId',
      );
      expect(res.body.error.details).toEqual([
        {
          field: 'body.guideId',
          issue: 'Can only work 08:00–12:00 on Tuesdays. The session is 14:00–16:00.',
          reason: {
            code: 'not_available',
            params: { weekday: 2, from: '14:00', to: '16:00', canWork: [{ from: '08:00', to: '12:00' }] },
          },
        },
      ]);
      expect(res.body.error.message).toContain('Can only work 08:00–12:00 on Tuesdays. The session is 14:00–16:00.');
      expect(await assignmentsOf(d.session.id, d.morningGuide.id)).toBe(0);
    });

    it('refuses a guide on a session that is full (422 breaks_hard_rule, session_full)', async () => {
      const res = await expectRejected(
        assign(d.fullSession.id, d.freeGuide.id),
        422,
        'breaks_hard_rule',
        'body.guideId',
      );
      expect(res.body.error.details).toEqual([
        { field: 'body.guideId', issue: 'The session is full.', reason: { code: 'session_full', params: {} } },
      ]);
      expect(await assignmentsOf(d.fullSession.id, d.freeGuide.id)).toBe(0);
    });

    it('refuses the same guide twice (409 already_assigned on body.guideId), and keeps one assignment row', async () => {
      expect(await assignmentsOf(d.session.id, d.guide.id)).toBe(1);
      await expectRejected(assign(d.session.id, d.guide.id), 409, 'already_assigned', 'body.guideId');
      expect(await assignmentsOf(d.session.id, d.guide.id)).toBe(1);
    });

    it('refuses a cancelled session (409 session_cancelled)', async () => {
      await expectRejected(assign(d.cancelledSession.id, d.freeGuide.id), 409, 'session_cancelled', null);
      expect(await assignmentsOf(d.cancelledSession.id, d.freeGuide.id)).toBe(0);
    });

    it('refuses a session that is over (409 session_over)', async () => {
      await expectRejected(assign(d.pastSession.id, d.freeGuide.id), 409, 'session_over', null);
    });
  });

  describe('PATCH /assignments/:id', () => {
    refuses(
      bodyCases('patch', () => `/assignments/${d.assignment.id}`, valid.pin, [
        ['a missing pinned (an empty body)', { pinned: undefined }, 'body.pinned'],
        ['pinned "true" as a string', { pinned: 'true' }, 'body.pinned'],
        ['a null pinned', { pinned: null }, 'body.pinned'],
        ['pinned 1', { pinned: 1 }, 'body.pinned'],
      ]),
    );

    it('refuses a body whose only field is an unknown one, naming body.pinned', async () => {
      await expectRejected(
        send('patch', `/assignments/${d.assignment.id}`, { pined: true }),
        400,
        'validation_failed',
        'body.pinned',
      );
    });

    it('answers a session id given as an assignment with 404 not_found', async () => {
      await expectRejected(send('patch', `/assignments/${d.session.id}`, valid.pin()), 404, 'not_found', 'params.id');
    });
  });

  describe('DELETE /assignments/:id', () => {
    it('answers a plan id given as an assignment with 404 not_found, and removes nothing', async () => {
      await expectRejected(send('delete', `/assignments/${d.plan.id}`), 404, 'not_found', 'params.id');
    });
  });

  describe('GET /assignments/:id/substitutes', () => {
    it('answers a session id given as an assignment with 404 not_found', async () => {
      await expectRejected(send('get', `/assignments/${d.session.id}/substitutes`), 404, 'not_found', 'params.id');
    });
  });

  // A swap deletes the old assignment and adds the new one in one transaction: every refusal below
  // must leave the old one where it was (expectRejected compares every table, row for row).
  describe('POST /assignments/:id/swap', () => {
    const swap = (assignmentId: string, guideId: string) =>
      send('post', `/assignments/${assignmentId}/swap`, { guideId });
    const stillThere = async (assignmentId: string) =>
      expect(await t.dataSource.getRepository(Assignment).findOneBy({ id: assignmentId })).not.toBeNull();

    refuses(
      bodyCases('post', () => `/assignments/${d.assignment.id}/swap`, valid.swap, [
        ['a missing guideId', { guideId: undefined }, 'body.guideId'],
        ['a malformed guideId', { guideId: 'amina' }, 'body.guideId'],
        ['a guideId that is a number', { guideId: 42 }, 'body.guideId'],
        ['a null guideId', { guideId: null }, 'body.guideId'],
        ['a guideId given as a list', { guideId: [randomUUID()] }, 'body.guideId'],
        ['an unknown guideId', { guideId: unknownId() }, 'body.guideId', 422, 'unknown_reference'],
      ]),
    );

    it('refuses a guide of another municipality (422 unknown_reference on body.guideId), keeping the old assignment', async () => {
      await expectRejected(swap(d.assignment.id, d.otherGuide.id), 422, 'unknown_reference', 'body.guideId');
      await stillThere(d.assignment.id);
      expect(await assignmentsOf(d.session.id, d.otherGuide.id)).toBe(0);
    });

    it('refuses an inactive guide (422 unknown_reference on body.guideId), keeping the old assignment', async () => {
      await expectRejected(swap(d.assignment.id, d.inactiveGuide.id), 422, 'unknown_reference', 'body.guideId');
      await stillThere(d.assignment.id);
    });

    it('refuses a session id given as the guide (422 unknown_reference on body.guideId)', async () => {
      await expectRejected(swap(d.assignment.id, d.session.id), 422, 'unknown_reference', 'body.guideId');
    });

    it('refuses a guide who is not available then (422 breaks_hard_rule), saying why on body.guideId; the old guide stays', async () => {
      const res = await expectRejected(
        swap(d.assignment.id, d.morningGuide.id),
        422,
        'breaks_hard_rule',
        'body.guideId',
      );
      expect(res.body.error.details).toEqual([
        {
          field: 'body.guideId',
          issue: 'Can only work 08:00–12:00 on Tuesdays. The session is 14:00–16:00.',
          reason: expect.objectContaining({ code: 'not_available' }),
        },
      ]);
      await stillThere(d.assignment.id);
      expect(await assignmentsOf(d.session.id, d.guide.id)).toBe(1);
      expect(await assignmentsOf(d.session.id, d.morningGuide.id)).toBe(0);
    });

    it('refuses the guide already in this place (409 already_assigned on body.guideId)', async () => {
      await expectRejected(swap(d.assignment.id, d.guide.id), 409, 'already_assigned', 'body.guideId');
      await stillThere(d.assignment.id);
    });

    it('refuses a guide who is on the session in another place (409 already_assigned), keeping both', async () => {
      await expectRejected(swap(d.fullAssignment.id, d.spareGuide.id), 409, 'already_assigned', 'body.guideId');
      await stillThere(d.fullAssignment.id);
      expect(await assignmentsOf(d.fullSession.id, d.spareGuide.id)).toBe(1);
    });

    it.each([
      ['a session', () => d.session.id],
      ['a plan', () => d.plan.id],
      ['a guide', () => d.guide.id],
    ])('answers the id of %s given as the assignment with 404 not_found', async (_what, id) => {
      await expectRejected(swap(id(), d.freeGuide.id), 404, 'not_found', 'params.id');
    });
  });

  describe('GET /sessions/:id/candidates', () => {
    it.each([
      ['an assignment', () => d.assignment.id],
      ['a venue', () => d.venue.id],
    ])('answers the id of %s given as the session with 404 not_found', async (_what, id) => {
      await expectRejected(send('get', `/sessions/${id()}/candidates`), 404, 'not_found', 'params.id');
    });

    it('answers a session with 200 (so what is refused above is the id): the free guides first, not those already on it', async () => {
      const res = await send('get', `/sessions/${d.session.id}/candidates`).expect(200);
      const ids = res.body.items.map((c: { guideId: string }) => c.guideId);
      expect(ids).not.toContain(d.guide.id);
      expect(ids).not.toContain(d.otherGuide.id);
      expect(ids).not.toContain(d.inactiveGuide.id);
      expect(res.body.items.find((c: { guideId: string }) => c.guideId === d.morningGuide.id)).toEqual({
        guideId: d.morningGuide.id,
        gain: null,
        why: [],
        blockedBy: [
          expect.objectContaining({
            code: 'not_available',
            text: 'Can only work 08:00–12:00 on Tuesdays. The session is 14:00–16:00.',
          }),
        ],
      });
      const free = res.body.items
        .filter((c: { gain: number | null }) => c.gain !== null)
        .map((c: { guideId: string }) => c.guideId);
      expect(free).toEqual(expect.arrayContaining([d.freeGuide.id, d.spareGuide.id]));
      expect(ids.slice(0, free.length)).toEqual(free);
    });
  });
});

describe('The outbox and mail previews', () => {
  const messageRow = (id: string) => t.dataSource.getRepository(OutboxMessage).findOneByOrFail({ id });

  describe('GET /outbox', () => {
    refuses(
      queryCases(
        () => '/outbox',
        [
          ['an unknown status "bogus"', 'status=bogus', 'query.status'],
          ['a status in capitals', 'status=FAILED', 'query.status'],
          ['a status given twice', 'status=failed&status=sent', 'query.status'],
          ['an unknown kind "newsletter"', 'kind=newsletter', 'query.kind'],
          ['a malformed municipalityId filter', 'municipalityId=not-a-uuid', 'query.municipalityId'],
          ['a guide named instead of its id', 'guideId=Amina', 'query.guideId'],
          ['a guideId one character short', 'guideId=a8098c1a-f86e-11da-bd1a-00112444be1', 'query.guideId'],
          ['a guideId given twice', `guideId=${randomUUID()}&guideId=${randomUUID()}`, 'query.guideId'],
          ['a malformed sessionId filter', 'sessionId=12345', 'query.sessionId'],
          ['an empty sessionId', 'sessionId=', 'query.sessionId'],
          ['limit 0', 'limit=0', 'query.limit'],
          ['limit 501', 'limit=501', 'query.limit'],
        ],
      ),
    );
  });

  describe('POST /outbox/:id/resend', () => {
    it('answers a session id given as a message with 404 not_found', async () => {
      await expectRejected(send('post', `/outbox/${d.session.id}/resend`), 404, 'not_found', 'params.id');
    });

    it('refuses a message a worker is sending right now (409 message_sending), and leaves it as it was', async () => {
      const before = await messageRow(d.sendingMessage.id);
      await expectRejected(send('post', `/outbox/${d.sendingMessage.id}/resend`), 409, 'message_sending', null);
      expect(await messageRow(d.sendingMessage.id)).toEqual(before);
    });
  });

  describe('GET /mail/previews/:kind', () => {
    it.each([
      ['an unknown kind "newsletter"', 'newsletter'],
      ['a kind in capitals', 'WEEKLY'],
      ['a kind with a suffix', 'weekly.html'],
      ['a kind over 200 characters', 'x'.repeat(201)],
    ])('refuses %s with 400, naming params.kind', async (_what, kind) => {
      await expectRejected(send('get', `/mail/previews/${kind}`), 400, 'validation_failed', 'params.kind');
    });
  });

  describe('POST /jobs/:name/run', () => {
    it.each([
      ['a job that does not exist', 'nightly'],
      ['a job name in capitals', 'WEEKLY'],
      ['a job name with a suffix', 'weekly.json'],
      ['catch_up with an underscore (the job is catch-up)', 'catch_up'],
      ['a job name over 200 characters', 'x'.repeat(201)],
    ])('refuses %s with 400, naming params.name, running nothing', async (_what, name) => {
      await expectRejected(send('post', `/jobs/${name}/run`), 400, 'validation_failed', 'params.name');
    });

    it.each([
      ['coordinator', () => d.municipality.id],
      ['association_staff', () => d.association.id],
      ['viewer', () => d.municipality.id],
    ] as const)(
      'refuses the role %s a real job (403 forbidden): admins only, running nothing',
      async (role, organisationId) => {
        const token = await t.tokenFor(role, organisationId());
        await expectRejected(t.http(token).post('/api/v1/jobs/weekly/run'), 403, 'forbidden', null);
      },
    );
  });
});

describe('Attendance and reports', () => {
  const report = (method: Method, sessionId: string, body?: object) =>
    send(method, `/sessions/${sessionId}/report`, body);
  const reportRow = (sessionId: string) => t.dataSource.getRepository(SessionReport).findOneBy({ sessionId });
  /** A guide's work as the form sends it, with some fields replaced. */
  const work = (o: object = {}) => ({ guideId: unknownId(), status: 'worked', start: '14:00', end: '16:00', ...o });
  const walkIns = (o: object) => ({ walkIns: { seniorIds: [], newSeniors: [], anonymous: [], ...o } });
  const group = (o: object) =>
    walkIns({ anonymous: [{ count: 2, ageBand: '75_plus', gender: 'woman', newlyArrived: false, ...o }] });
  const help = (o: object) => ({ help: { topics: {}, platforms: {}, ...o } });

  /** Faults in the form itself, refused on POST and PUT alike. */
  const formRows: BodyRow[] = [
    ['came given as one id, not a list', { came: unknownId() }, 'body.came'],
    ['came given as an object', { came: { seniorId: unknownId() } }, 'body.came'],
    ['a null came', { came: null }, 'body.came'],
    ['an id in came that is not a uuid', { came: ['astrid'] }, 'body.came.0'],
    [
      'a helper who is not a uuid',
      { helpedBy: [{ seniorId: unknownId(), guideId: 'amina' }] },
      'body.helpedBy.0.guideId',
    ],
    ['helpedBy given as one object', { helpedBy: { seniorId: unknownId(), guideId: unknownId() } }, 'body.helpedBy'],
    [
      'a walk-in group helped by a guide who is not a uuid',
      group({ helpedByGuideId: 7 }),
      'body.walkIns.anonymous.0.helpedByGuideId',
    ],
    ['an id in came that is a number', { came: [42] }, 'body.came.0'],
    ['a malformed id second in came', { came: [unknownId(), 'a8098c1a-f86e-11da-bd1a-00112444be1'] }, 'body.came.1'],
    ['over 100 ids in came', { came: Array.from({ length: 101 }, () => randomUUID()) }, 'body.came'],
    ['walkIns given as a list', { walkIns: [] }, 'body.walkIns'],
    ['a null walkIns', { walkIns: null }, 'body.walkIns'],
    ['a walk-in seniorId that is not a uuid', walkIns({ seniorIds: ['birger'] }), 'body.walkIns.seniorIds.0'],
    ['walk-in seniorIds given as one id', walkIns({ seniorIds: unknownId() }), 'body.walkIns.seniorIds'],
    ['an anonymous group of 0', group({ count: 0 }), 'body.walkIns.anonymous.0.count'],
    ['an anonymous group of 101', group({ count: 101 }), 'body.walkIns.anonymous.0.count'],
    ['an anonymous group of -2', group({ count: -2 }), 'body.walkIns.anonymous.0.count'],
    ['an anonymous group of 1.5', group({ count: 1.5 }), 'body.walkIns.anonymous.0.count'],
    ['an anonymous count "3" as a string', group({ count: '3' }), 'body.walkIns.anonymous.0.count'],
    ['an anonymous group without a count', group({ count: undefined }), 'body.walkIns.anonymous.0.count'],
    ['an anonymous group with an unknown age band', group({ ageBand: '100_plus' }), 'body.walkIns.anonymous.0.ageBand'],
    ['an anonymous group with an unknown gender', group({ gender: 'robot' }), 'body.walkIns.anonymous.0.gender'],
    [
      'an anonymous group with newlyArrived "yes"',
      group({ newlyArrived: 'yes' }),
      'body.walkIns.anonymous.0.newlyArrived',
    ],
    [
      'over 20 anonymous groups',
      walkIns({ anonymous: Array.from({ length: 21 }, () => ({ count: 1 })) }),
      'body.walkIns.anonymous',
    ],
    [
      'a new walk-in without consent',
      walkIns({ newSeniors: [{ displayName: 'Greta', phone: null }] }),
      'body.walkIns.newSeniors.0.consentGivenAt',
    ],
    [
      'a new walk-in with a blank name',
      walkIns({ newSeniors: [{ displayName: '  ', consentGivenAt: '2026-11-10T13:30:00Z' }] }),
      'body.walkIns.newSeniors.0.displayName',
    ],
    [
      'a new walk-in with an unknown age band',
      walkIns({ newSeniors: [{ displayName: 'Greta', consentGivenAt: '2026-11-10T13:30:00Z', ageBand: '100_plus' }] }),
      'body.walkIns.newSeniors.0.ageBand',
    ],
    ['help.topics with an unknown topic "gaming"', help({ topics: { bankid: 1, gaming: 2 } }), 'body.help.topics'],
    ['help.topics with a negative count', help({ topics: { bankid: -1 } }), 'body.help.topics.bankid'],
    ['help.topics with a count over 500', help({ topics: { bankid: 501 } }), 'body.help.topics.bankid'],
    ['help.topics with a fractional count', help({ topics: { email: 2.5 } }), 'body.help.topics.email'],
    ['help.topics with a count "2" as a string', help({ topics: { bankid: '2' } }), 'body.help.topics.bankid'],
    ['help.topics given as a list of topics', help({ topics: ['bankid'] }), 'body.help.topics'],
    ['help.platforms with an unknown platform "symbian"', help({ platforms: { symbian: 1 } }), 'body.help.platforms'],
    ['help.platforms with a negative count', help({ platforms: { ios: -3 } }), 'body.help.platforms.ios'],
    ['help given as a list', { help: [] }, 'body.help'],
    [
      'topics by platform given as an object',
      help({ topicsByPlatform: { ios: { bankid: 1 } } }),
      'body.help.topicsByPlatform',
    ],
    [
      'topics by platform with an unknown platform "symbian"',
      help({ topicsByPlatform: [{ platform: 'symbian', topic: 'bankid', count: 1 }] }),
      'body.help.topicsByPlatform.0.platform',
    ],
    [
      'topics by platform with an unknown topic "gaming"',
      help({ topicsByPlatform: [{ platform: 'ios', topic: 'gaming', count: 1 }] }),
      'body.help.topicsByPlatform.0.topic',
    ],
    [
      'topics by platform with a negative count',
      help({ topicsByPlatform: [{ platform: 'ios', topic: 'bankid', count: -1 }] }),
      'body.help.topicsByPlatform.0.count',
    ],
    [
      'topics by platform with a count "2" as a string',
      help({ topicsByPlatform: [{ platform: 'ios', topic: 'bankid', count: '2' }] }),
      'body.help.topicsByPlatform.0.count',
    ],
    [
      'topics by platform without a count',
      help({ topicsByPlatform: [{ platform: 'ios', topic: 'bankid' }] }),
      'body.help.topicsByPlatform.0.count',
    ],
  ];
  /** Topics by platform that do not add up to the counts of topics and platforms they break down (422, logged in). */
  const breakdownRows: BodyRow[] = [
    [
      "topics by platform that add up to more than a platform's count",
      help({
        topics: { bankid: 2 },
        platforms: { ios: 1, android: 1 },
        topicsByPlatform: [{ platform: 'ios', topic: 'bankid', count: 2 }],
      }),
      'body.help.topicsByPlatform',
      422,
      'invalid_attendance',
    ],
    [
      'topics by platform that leave a topic out',
      help({
        topics: { bankid: 1, email: 1 },
        platforms: { ios: 2 },
        topicsByPlatform: [{ platform: 'ios', topic: 'bankid', count: 2 }],
      }),
      'body.help.topicsByPlatform',
      422,
      'invalid_attendance',
    ],
    [
      'topics by platform with the same platform and topic twice',
      help({
        topics: { bankid: 2 },
        platforms: { ios: 2 },
        topicsByPlatform: [
          { platform: 'ios', topic: 'bankid', count: 1 },
          { platform: 'ios', topic: 'bankid', count: 1 },
        ],
      }),
      'body.help.topicsByPlatform.1',
      422,
      'invalid_attendance',
    ],
    ['a guide status "bogus"', { guides: [work({ status: 'bogus' })] }, 'body.guides.0.status'],
    ['a guide status "Worked" in capitals', { guides: [work({ status: 'Worked' })] }, 'body.guides.0.status'],
    ['a worked guide without a start time', { guides: [work({ start: undefined })] }, 'body.guides.0.start'],
    ['a worked guide without an end time', { guides: [work({ end: undefined })] }, 'body.guides.0.end'],
    [
      'a guide with neither status nor times (worked, by default)',
      { guides: [{ guideId: unknownId() }] },
      'body.guides.0.start',
    ],
    ['a guide who ended before starting', { guides: [work({ start: '16:00', end: '14:00' })] }, 'body.guides.0.end'],
    ['a guide who ended as they started', { guides: [work({ start: '14:00', end: '14:00' })] }, 'body.guides.0.end'],
    [
      'a second guide who ended before starting',
      { guides: [work(), work({ start: '15:00', end: '14:59' })] },
      'body.guides.1.end',
    ],
    ['a start time of 25:00', { guides: [work({ start: '25:00' })] }, 'body.guides.0.start'],
    ['a start time "2pm"', { guides: [work({ start: '2pm' })] }, 'body.guides.0.start'],
    ['an end time without a leading zero', { guides: [work({ start: '08:00', end: '9:30' })] }, 'body.guides.0.end'],
    ['a guideId that is not a uuid', { guides: [work({ guideId: 'amina' })] }, 'body.guides.0.guideId'],
    ['a guide without a guideId', { guides: [work({ guideId: undefined })] }, 'body.guides.0.guideId'],
    ['guides given as an object', { guides: work() }, 'body.guides'],
    ['over 10 guides', { guides: Array.from({ length: 11 }, () => work()) }, 'body.guides'],
    ['a day report over 2000 characters', { dayReport: 'x'.repeat(2001) }, 'body.dayReport'],
    ['a day report that is a number', { dayReport: 42 }, 'body.dayReport'],
    ['a day report given as a list', { dayReport: ['Lugnt'] }, 'body.dayReport'],
  ];
  /** Faults in the revision a correction names (PUT only). */
  const revisionRows: BodyRow[] = [
    ['a missing revision', { revision: undefined }, 'body.revision'],
    ['revision 0', { revision: 0 }, 'body.revision'],
    ['revision -1', { revision: -1 }, 'body.revision'],
    ['a fractional revision', { revision: 1.5 }, 'body.revision'],
    ['revision "1" as a string', { revision: '1' }, 'body.revision'],
    ['a null revision', { revision: null }, 'body.revision'],
  ];

  describe('POST /sessions/:id/report', () => {
    refuses(
      bodyCases('post', () => `/sessions/${d.pastSession.id}/report`, valid.report, [...formRows, ...breakdownRows]),
    );

    it('refuses an unknown senior in came (422 invalid_attendance on body.came.0), as one of another municipality', async () => {
      const real = await expectRejected(
        report('post', d.pastSession.id, mutate(valid.report(), { came: [d.otherSenior.id] })),
        422,
        'invalid_attendance',
        'body.came.0',
      );
      const decoy = await expectRejected(
        report('post', d.pastSession.id, mutate(valid.report(), { came: [unknownId()] })),
        422,
        'invalid_attendance',
        'body.came.0',
      );
      expect(real.body).toEqual(decoy.body);
      expect(await reportRow(d.pastSession.id)).toBeNull();
    });

    it('refuses in came a senior of this municipality without a seat at this session (422 on body.came.1)', async () => {
      await expectRejected(
        report('post', d.pastSession.id, mutate(valid.report(), { came: [d.pastSenior.id, d.senior.id] })),
        422,
        'invalid_attendance',
        'body.came.1',
      );
    });

    it('refuses the same senior twice in came (422 on body.came.1)', async () => {
      await expectRejected(
        report('post', d.pastSession.id, mutate(valid.report(), { came: [d.pastSenior.id, d.pastSenior.id] })),
        422,
        'invalid_attendance',
        'body.came.1',
      );
    });

    it('refuses a session id given as a senior in came (422 on body.came.0)', async () => {
      await expectRejected(
        report('post', d.pastSession.id, mutate(valid.report(), { came: [d.pastSession.id] })),
        422,
        'invalid_attendance',
        'body.came.0',
      );
    });

    it('refuses an unknown walk-in senior (422 on body.walkIns.seniorIds.0), as one of another municipality', async () => {
      const body = (id: string) => mutate(valid.report(), walkIns({ seniorIds: [id] }));
      const real = await expectRejected(
        report('post', d.pastSession.id, body(d.otherSenior.id)),
        422,
        'invalid_attendance',
        'body.walkIns.seniorIds.0',
      );
      const decoy = await expectRejected(
        report('post', d.pastSession.id, body(unknownId())),
        422,
        'invalid_attendance',
        'body.walkIns.seniorIds.0',
      );
      expect(real.body).toEqual(decoy.body);
    });

    it('refuses a seated senior given as a walk-in (422 on body.walkIns.seniorIds.0): they belong under came', async () => {
      await expectRejected(
        report('post', d.pastSession.id, mutate(valid.report(), walkIns({ seniorIds: [d.pastSenior.id] }))),
        422,
        'invalid_attendance',
        'body.walkIns.seniorIds.0',
      );
    });

    it('refuses the same walk-in twice (422 on body.walkIns.seniorIds.1)', async () => {
      await expectRejected(
        report('post', d.pastSession.id, mutate(valid.report(), walkIns({ seniorIds: [d.senior.id, d.senior.id] }))),
        422,
        'invalid_attendance',
        'body.walkIns.seniorIds.1',
      );
    });

    it('refuses an unknown guide (422 on body.guides.0.guideId), as one of another municipality', async () => {
      const body = (id: string) => mutate(valid.report(), { guides: [work({ guideId: id })] });
      const real = await expectRejected(
        report('post', d.pastSession.id, body(d.otherGuide.id)),
        422,
        'invalid_attendance',
        'body.guides.0.guideId',
      );
      const decoy = await expectRejected(
        report('post', d.pastSession.id, body(unknownId())),
        422,
        'invalid_attendance',
        'body.guides.0.guideId',
      );
      expect(real.body).toEqual(decoy.body);
    });

    it('refuses the same guide twice (422 on body.guides.1.guideId)', async () => {
      const guides = [
        work({ guideId: d.guide.id }),
        work({ guideId: d.guide.id, status: 'no_show', start: undefined, end: undefined }),
      ];
      await expectRejected(
        report('post', d.pastSession.id, mutate(valid.report(), { guides })),
        422,
        'invalid_attendance',
        'body.guides.1.guideId',
      );
    });

    it('keeps no new walk-in senior when a guide in the same form is refused (one transaction)', async () => {
      const body = mutate(valid.report(), {
        ...walkIns({
          newSeniors: [
            { displayName: 'Greta', phone: null, consentGivenAt: '2026-11-10T13:30:00Z', ageBand: '75_plus' },
          ],
        }),
        guides: [work({ guideId: d.otherGuide.id })],
      });
      await expectRejected(report('post', d.pastSession.id, body), 422, 'invalid_attendance', 'body.guides.0.guideId');
    });

    it('refuses a session that has not started yet (409 session_not_started)', async () => {
      await expectRejected(report('post', d.session.id, valid.report(d.senior.id)), 409, 'session_not_started', null);
      expect(await reportRow(d.session.id)).toBeNull();
    });

    it.each([
      ['a cancelled session still to come', () => d.cancelledSession.id],
      ['a cancelled session that is over', () => d.pastCancelledSession.id],
    ])('refuses %s (409 session_cancelled)', async (_what, id) => {
      await expectRejected(report('post', id(), mutate(valid.report(), { came: [] })), 409, 'session_cancelled', null);
      expect(await reportRow(id())).toBeNull();
    });

    it('refuses a second report of the same session (409 already_reported on params.id), and keeps revision 1', async () => {
      await expectRejected(
        report('post', d.reportedSession.id, valid.report(d.reportedSenior.id)),
        409,
        'already_reported',
        'params.id',
      );
      expect(await reportRow(d.reportedSession.id)).toMatchObject({ revision: 1 });
    });

    it('answers a contract id given as a session with 404 not_found', async () => {
      await expectRejected(report('post', d.contract.id, valid.report()), 404, 'not_found', 'params.id');
    });

    it('refuses a viewer (403 forbidden)', async () => {
      const viewer = await t.tokenFor('viewer', d.municipality.id);
      await expectRejected(
        t.http(viewer).post(`/api/v1/sessions/${d.pastSession.id}/report`).send(valid.report()),
        403,
        'forbidden',
        null,
      );
    });
  });

  describe('PUT /sessions/:id/report', () => {
    refuses(
      bodyCases('put', () => `/sessions/${d.reportedSession.id}/report`, valid.correction, [
        ...revisionRows,
        ...formRows,
        ...breakdownRows,
      ]),
    );

    it('refuses a correction made on an old copy (409 stale_revision on body.revision), and changes nothing', async () => {
      const res = await expectRejected(
        report('put', d.reportedSession.id, mutate(valid.correction(), { revision: 2 })),
        409,
        'stale_revision',
        'body.revision',
      );
      expect(res.body.error.details).toEqual([{ field: 'body.revision', issue: 'current revision is 1' }]);
      expect(await reportRow(d.reportedSession.id)).toMatchObject({ revision: 1, dayReport: 'Lugnt.' });
    });

    it('refuses a foreign senior in came on a correction too (422 on body.came.0), keeping the report as it was', async () => {
      await expectRejected(
        report('put', d.reportedSession.id, mutate(valid.correction(), { came: [d.otherSenior.id] })),
        422,
        'invalid_attendance',
        'body.came.0',
      );
      await expectRejected(
        report('put', d.reportedSession.id, mutate(valid.correction(), { came: [unknownId()] })),
        422,
        'invalid_attendance',
        'body.came.0',
      );
    });

    it('refuses a foreign guide on a correction (422 on body.guides.0.guideId)', async () => {
      await expectRejected(
        report(
          'put',
          d.reportedSession.id,
          mutate(valid.correction(), { guides: [work({ guideId: d.otherGuide.id })] }),
        ),
        422,
        'invalid_attendance',
        'body.guides.0.guideId',
      );
    });

    it('refuses a correction of a session not reported yet (409 not_reported)', async () => {
      await expectRejected(
        report('put', d.pastSession.id, { ...valid.report(), revision: 1 }),
        409,
        'not_reported',
        null,
      );
      expect(await reportRow(d.pastSession.id)).toBeNull();
    });

    it('refuses a correction of a session that has not started (409 session_not_started)', async () => {
      await expectRejected(
        report('put', d.session.id, { ...valid.report(d.senior.id), revision: 1 }),
        409,
        'session_not_started',
        null,
      );
    });

    it('refuses a correction of a cancelled session (409 session_cancelled)', async () => {
      await expectRejected(
        report('put', d.pastCancelledSession.id, { came: [], revision: 1 }),
        409,
        'session_cancelled',
        null,
      );
    });

    it('answers a registration id given as a session with 404 not_found', async () => {
      await expectRejected(report('put', d.pastRegistration.id, valid.correction()), 404, 'not_found', 'params.id');
    });
  });

  describe('GET /sessions/:id/report', () => {
    it('answers a session that is not reported yet with 404 not_found', async () => {
      await expectRejected(report('get', d.pastSession.id), 404, 'not_found', 'params.id');
      await expectRejected(report('get', d.session.id), 404, 'not_found', 'params.id');
    });

    it('answers a contract id given as a session with 404 not_found', async () => {
      await expectRejected(report('get', d.contract.id), 404, 'not_found', 'params.id');
    });
  });

  describe('GET /sessions/:id/report-form', () => {
    const form = (id: string) => send('get', `/sessions/${id}/report-form`);

    it.each([
      ['a contract', () => d.contract.id],
      ['a registration', () => d.pastRegistration.id],
      ['an assignment', () => d.assignment.id],
    ])('answers the id of %s given as the session with 404 not_found', async (_what, id) => {
      await expectRejected(form(id()), 404, 'not_found', 'params.id');
    });

    it('refuses a viewer (403 forbidden): the form names the seniors seated', async () => {
      const viewer = await t.tokenFor('viewer', d.municipality.id);
      await expectRejected(
        t.http(viewer).get(`/api/v1/sessions/${d.reportedSession.id}/report-form`),
        403,
        'forbidden',
        null,
      );
    });

    it("answers a reported café with 200 (so what is refused above is the id), with the form its guides' link would show", async () => {
      const res = await form(d.reportedSession.id).expect(200);
      expect(res.body).toMatchObject({
        sessionId: d.reportedSession.id,
        localDate: '2026-11-17',
        startTime: '14:00',
        endTime: '16:00',
        revision: 1,
        seated: [{ seniorId: d.reportedSenior.id, displayName: expect.any(String) }],
        current: { came: [d.reportedSenior.id], dayReport: 'Lugnt.' },
      });
      const open = await form(d.pastSession.id).expect(200);
      expect(open.body).toMatchObject({
        sessionId: d.pastSession.id,
        revision: null,
        current: null,
        seated: [{ seniorId: d.pastSenior.id }],
      });
    });
  });

  describe.each(['', '/csv', '/print'])('GET /contracts/:id/reports/:period%s', (suffix) => {
    const get = (period: string, id = d.contract.id) => send('get', `/contracts/${id}/reports/${period}${suffix}`);

    it.each([
      ['2027-13', 'month 13'],
      ['2027-00', 'month 0'],
      ['2027-3', 'a month without a leading zero'],
      ['27-03', 'a two-digit year'],
      ['2027-Q5', 'quarter 5'],
      ['2027-Q0', 'quarter 0'],
      ['2027-q1', 'a quarter in lower case'],
      ['Q1-2027', 'the quarter before the year'],
      ['2027-W10', 'an ISO week'],
      ['2027-03-01', 'a date'],
      ['202703', 'a month without the dash'],
      ['12027', 'a five-digit year'],
      ['2027-H1', 'a half year'],
      ['last-month', 'a word'],
    ])('refuses the period "%s" (%s) with 400, naming params.period', async (period) => {
      await expectRejected(get(period), 400, 'validation_failed', 'params.period');
    });

    it('names both params.id and params.period when both are malformed', async () => {
      await expectRejected(get('2027-13', 'not-a-uuid'), 400, 'validation_failed', 'params.period');
      await expectRejected(get('2027-13', 'not-a-uuid'), 400, 'validation_failed', 'params.id');
    });

    it.each([
      ['a municipality', () => d.municipality.id],
      ['an association', () => d.association.id],
      ['a session', () => d.session.id],
    ])('answers the id of %s given as the contract with 404 not_found', async (_what, id) => {
      await expectRejected(get('2027-Q1', id()), 404, 'not_found', 'params.id');
    });

    it.each(['2026-11', '2026-Q4', '2026'])(
      'answers the well-formed period "%s" with 200 (so what is refused above is the period)',
      async (period) => {
        await get(period).expect(200);
      },
    );
  });

  it('accepts the valid bodies above on a fresh session like d.pastSession (201, then 200 on PUT), so each refusal is the fault it names', async () => {
    const s = t.services;
    const senior = await s.seniors.create(buildSenior(d.municipality.id));
    // Made while the clock stood earlier, as d.pastSession was.
    t.clock.set('2026-11-01T09:00:00Z');
    let session: { id: string };
    try {
      session = await s.sessions.createOneOff({
        venueId: d.venue2.id,
        date: '2026-11-12',
        startTime: '14:00',
        durationMinutes: 120,
        timeZone: 'Europe/Stockholm',
        seats: 4,
        minGuides: 2,
        maxGuides: 3,
        theme: null,
      });
      await s.registrations.register(session.id, { seniorId: senior.id });
    } finally {
      t.clock.set(NOW);
    }
    const created = await report('post', session.id, valid.report(senior.id)).expect(201);
    expect(created.body).toMatchObject({
      sessionId: session.id,
      revision: 1,
      help: { topics: { bankid: 2, scam_safety: 1 } },
    });
    const corrected = await report('put', session.id, { ...valid.report(senior.id), revision: 1 }).expect(200);
    expect(corrected.body).toMatchObject({ revision: 2 });
  });

  // The same form through a guide's own signed link, sent without any Authorization header: the link is
  // the credential, read from ?token= before anything else is looked at.
  describe("The guides' own routes: the form through the guide's link", () => {
    /** Links of d.guide that do not open the form: revoked, expired, and one for the calendar. */
    const g = {} as { revoked: string; expired: string; calendar: string };

    beforeAll(async () => {
      const s = t.services;
      const lost = await s.guideLinks.issue(d.guide.id, 'access');
      await s.guideLinks.revoke(lost.link.id);
      g.revoked = lost.token;
      g.calendar = (await s.guideLinks.issue(d.guide.id, 'calendar')).token;
      try {
        // Older than the link lifetime (90 days).
        t.clock.set('2026-08-01T09:00:00Z');
        g.expired = (await s.guideLinks.issue(d.guide.id, 'access')).token;
      } finally {
        t.clock.set(NOW);
      }
    });

    /** Each guide route with a request that is valid but for the link: the rest of its query string and its body. */
    const guideOps: { name: string; method: Method; path: () => string; query?: string; body?: () => object }[] = [
      {
        name: 'GET /guide/sessions/:id/report-form',
        method: 'get',
        path: () => `/guide/sessions/${d.pastSession.id}/report-form`,
      },
      { name: 'GET /guide/seniors', method: 'get', path: () => '/guide/seniors', query: 'q=Se' },
      {
        name: 'POST /guide/sessions/:id/report',
        method: 'post',
        path: () => `/guide/sessions/${d.pastSession.id}/report`,
        body: valid.report,
      },
      {
        name: 'PUT /guide/sessions/:id/report',
        method: 'put',
        path: () => `/guide/sessions/${d.reportedSession.id}/report`,
        body: valid.correction,
      },
    ];

    describe.each(guideOps)('$name', ({ method, path, query, body }) => {
      const call = (tokenQuery: string) => {
        const qs = [tokenQuery, query].filter(Boolean).join('&');
        return sendBare(method, qs ? `${path()}?${qs}` : path(), body?.());
      };

      refuses(
        [
          ['no token', ''],
          ['an empty token', 'token='],
          ['a token too short to be one', 'token=abc'],
          ['a token over 300 characters', `token=${'a'.repeat(301)}`],
          ['a token given twice', 'token=abcdefghijkl&token=abcdefghijkl'],
        ].map(([what, q]) => ({
          what,
          req: () => call(q),
          status: 400,
          code: 'validation_failed',
          field: 'query.token',
        })),
      );

      const dead: { what: string; token: () => string; code: string }[] = [
        {
          what: 'a token signed with another secret',
          token: () =>
            new LinkSigner('not-the-secret-of-this-installation-0000').sign(
              randomUUID(),
              'access',
              new Date('2027-06-01T00:00:00Z'),
            ),
          code: 'invalid_link',
        },
        {
          what: 'a real link with its expiry pushed out',
          token: () => d.guideLink.replace(/\.(\d+)\./, (_m, exp: string) => `.${Number(exp) + 365 * 86_400}.`),
          code: 'invalid_link',
        },
        { what: 'a calendar link', token: () => g.calendar, code: 'invalid_link' },
        {
          what: 'a calendar link relabelled as an access link',
          token: () => g.calendar.replace('.calendar.', '.access.'),
          code: 'invalid_link',
        },
        { what: 'something of the right length that is no link', token: () => 'x'.repeat(64), code: 'invalid_link' },
        { what: 'a revoked link', token: () => g.revoked, code: 'link_revoked' },
        { what: 'an expired link', token: () => g.expired, code: 'link_expired' },
      ];
      it.each(dead)('refuses $what with 401 $code, writing nothing', async ({ token, code }) => {
        await expectRejected(call(`token=${encodeURIComponent(token())}`), 401, code, null);
      });
    });

    describe('GET /guide/seniors', () => {
      const search = (q: string) => sendBare('get', `/guide/seniors${asGuide()}&${q}`);

      refuses(
        [
          ['no q', ''],
          ['an empty q', 'q='],
          ['a q of one letter', 'q=A'],
          ['a q of one letter and spaces (trimmed to one)', 'q=%20A%20'],
          ['a blank q', 'q=%20%20%20'],
          ['a q over 60 characters', `q=${'a'.repeat(61)}`],
          ['a q given twice', 'q=As&q=Bo'],
        ].map(([what, q]) => ({
          what,
          req: () => search(q),
          status: 400,
          code: 'validation_failed',
          field: 'query.q',
        })),
      );
    });

    describe('POST /guide/sessions/:id/report', () => {
      refuses(
        bodyCases(
          'post',
          () => `/guide/sessions/${d.pastSession.id}/report${asGuide()}`,
          valid.report,
          formRows,
          sendBare,
        ),
      );
    });

    describe('PUT /guide/sessions/:id/report', () => {
      refuses(
        bodyCases(
          'put',
          () => `/guide/sessions/${d.reportedSession.id}/report${asGuide()}`,
          valid.correction,
          [...revisionRows, ...formRows],
          sendBare,
        ),
      );
    });

    // d.guide is on no published schedule and worked no café: every session is one the guide is not on.
    const notOn: {
      what: string;
      method: Method;
      path: (id: string) => string;
      id: () => string;
      body?: () => object;
    }[] = [
      {
        what: 'GET …/report-form of a café that is over',
        method: 'get',
        path: (id) => `/guide/sessions/${id}/report-form`,
        id: () => d.pastSession.id,
      },
      {
        what: 'GET …/report-form of a reported café the guide did not work',
        method: 'get',
        path: (id) => `/guide/sessions/${id}/report-form`,
        id: () => d.reportedSession.id,
      },
      {
        what: 'GET …/report-form of a session the guide has only a draft assignment on (not the published schedule)',
        method: 'get',
        path: (id) => `/guide/sessions/${id}/report-form`,
        id: () => d.session.id,
      },
      {
        what: 'POST …/report of a café that is over',
        method: 'post',
        path: (id) => `/guide/sessions/${id}/report`,
        id: () => d.pastSession.id,
        body: valid.report,
      },
      {
        what: 'PUT …/report of a reported café the guide did not work',
        method: 'put',
        path: (id) => `/guide/sessions/${id}/report`,
        id: () => d.reportedSession.id,
        body: valid.correction,
      },
    ];
    it.each(notOn)(
      'answers $what with 404 not_found on params.id, exactly as a session that does not exist',
      async ({ method, path, id, body }) => {
        const decoy = unknownId();
        const real = await expectRejected(
          sendBare(method, `${path(id())}${asGuide()}`, body?.()),
          404,
          'not_found',
          'params.id',
        );
        const fake = await expectRejected(
          sendBare(method, `${path(decoy)}${asGuide()}`, body?.()),
          404,
          'not_found',
          'params.id',
        );
        expect(JSON.stringify(real.body).split(id()).join('<id>')).toBe(
          JSON.stringify(fake.body).split(decoy).join('<id>'),
        );
      },
    );

    describe('on a café that is over with the guide on its published schedule', () => {
      const c = {} as { cafe: { id: string }; senior: { id: string } };
      const guideReport = (method: Method, body?: object) =>
        sendBare(method, `/guide/sessions/${c.cafe.id}/report${asGuide()}`, body);

      beforeAll(async () => {
        const s = t.services;
        c.senior = await s.seniors.create(
          buildSenior(d.municipality.id, { displayName: `Gudrun ${randomBytes(3).toString('hex')}` }),
        );
        // Made, staffed and published while the clock stood earlier: Tuesday 3 November, when d.guide is free.
        t.clock.set('2026-11-01T09:00:00Z');
        try {
          c.cafe = await s.sessions.createOneOff({
            venueId: d.venue2.id,
            date: '2026-11-03',
            startTime: '14:00',
            durationMinutes: 120,
            timeZone: 'Europe/Stockholm',
            seats: 4,
            minGuides: 2,
            maxGuides: 3,
            theme: null,
          });
          await s.registrations.register(c.cafe.id, { seniorId: c.senior.id });
          await s.planning.assign(c.cafe.id, d.guide.id);
          await s.planning.publish(d.municipality.id, '2026-11-03', '2026-11-03');
        } finally {
          t.clock.set(NOW);
        }
      });

      it('refuses a senior of another municipality in came as an unknown one (422 invalid_attendance on body.came.0)', async () => {
        const real = await expectRejected(
          guideReport('post', mutate(valid.report(c.senior.id), { came: [d.otherSenior.id] })),
          422,
          'invalid_attendance',
          'body.came.0',
        );
        const decoy = await expectRejected(
          guideReport('post', mutate(valid.report(c.senior.id), { came: [unknownId()] })),
          422,
          'invalid_attendance',
          'body.came.0',
        );
        expect(real.body).toEqual(decoy.body);
      });

      it('refuses a guide of another municipality as an unknown one (422 invalid_attendance on body.guides.0.guideId)', async () => {
        const body = (id: string) => mutate(valid.report(c.senior.id), { guides: [work({ guideId: id })] });
        const real = await expectRejected(
          guideReport('post', body(d.otherGuide.id)),
          422,
          'invalid_attendance',
          'body.guides.0.guideId',
        );
        const decoy = await expectRejected(
          guideReport('post', body(unknownId())),
          422,
          'invalid_attendance',
          'body.guides.0.guideId',
        );
        expect(real.body).toEqual(decoy.body);
      });

      it('refuses a correction before there is a report (409 not_reported)', async () => {
        await expectRejected(
          guideReport('put', { ...valid.report(c.senior.id), revision: 1 }),
          409,
          'not_reported',
          null,
        );
      });

      it('accepts the valid requests above (200 form, 200 search, 201, 200 on PUT), so each refusal is the fault it names; then refuses a second POST and a stale PUT', async () => {
        const form = await sendBare('get', `/guide/sessions/${c.cafe.id}/report-form${asGuide()}`).expect(200);
        expect(form.body).toMatchObject({
          sessionId: c.cafe.id,
          revision: null,
          // Three weeks after the café: the seat without a name, by its own id (not the senior's).
          seated: [{ displayName: null }],
          guides: [{ guideId: d.guide.id }],
        });
        expect(form.body.seated[0].seniorId).not.toBe(c.senior.id);
        const found = await sendBare('get', `/guide/seniors${asGuide()}&q=Gudrun`).expect(200);
        expect(found.body.items).toContainEqual({ id: c.senior.id, displayName: expect.stringMatching(/^Gudrun /) });
        const created = await guideReport('post', valid.report(c.senior.id)).expect(201);
        expect(created.body).toMatchObject({ sessionId: c.cafe.id, revision: 1 });
        await expectRejected(guideReport('post', valid.report(c.senior.id)), 409, 'already_reported', 'params.id');
        const corrected = await guideReport('put', { ...valid.report(c.senior.id), revision: 1 }).expect(200);
        expect(corrected.body).toMatchObject({ revision: 2 });
        await expectRejected(
          guideReport('put', { ...valid.report(c.senior.id), revision: 1 }),
          409,
          'stale_revision',
          'body.revision',
        );
      });
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Accounts, tokens, access, the audit log, seniors' rights and guides' links.
// ---------------------------------------------------------------------------------------------

/** Failures one account may have before its logins wait (the app under test runs on the default config). */
const MAX_FAILURES = loadConfig({}).LOGIN_MAX_FAILURES;
const hex = () => randomBytes(4).toString('hex');
/** A token of the right shape (prefix and 43 base64url characters) that was never issued. */
const unknownToken = () => `bry_a_${randomBytes(32).toString('base64url')}`;

/**
 * Every operation, as the route table the OpenAPI document is built from declares it: who may
 * call it (null: public). Only the declarations are read; no handler runs against the stub.
 */
const OPERATIONS = apiRoutes({} as Services, 'http://localhost', () => new Date()).map((r) => ({
  name: `${r.method.toUpperCase()} ${r.path}`,
  method: r.method,
  path: r.path,
  roles: r.access === 'public' ? null : r.access.roles,
}));
/** A path to send to: credentials are checked before the path, so any well-formed values do. */
const concrete = (path: string) =>
  path
    .replace(':week', '2026-W49')
    .replace(':period', '2027-Q1')
    .replace(':name', 'weekly')
    .replace(/:id\b/g, () => randomUUID());

/** The data of this part: users of every role, tokens and guide links of every kind. */
const a = {} as {
  tokens: Record<Role, string>;
  /** A coordinator of d.municipality: their e-mail and their own API token's id. */
  kerstin: { id: string; email: string };
  kerstinsTokenId: string;
  revokedToken: string;
  expiredToken: string;
  inactiveEmail: string;
  link: string;
  calendarLink: string;
  revokedLink: string;
  expiredLink: string;
};

describe('Accounts, tokens and access', () => {
  beforeAll(async () => {
    const s = t.services;
    a.tokens = {
      admin: t.adminToken,
      coordinator: await t.tokenFor('coordinator', d.municipality.id),
      association_staff: await t.tokenFor('association_staff', d.association.id),
      viewer: await t.tokenFor('viewer', d.municipality.id),
    };
    const kerstin = await s.auth.createUser({
      email: `kerstin-${hex()}@example.org`,
      password: PASSWORD,
      role: 'coordinator',
      organisationId: d.municipality.id,
    });
    a.kerstin = { id: kerstin.id, email: kerstin.email };
    a.kerstinsTokenId = (await s.auth.createApiToken(kerstin.id, 'Kalenderexport')).row.id;
    const revoked = await s.auth.createApiToken(kerstin.id, 'Gammal integration');
    await s.auth.revoke(revoked.row.id, kerstin.id);
    a.revokedToken = revoked.token;
    const inactive = await s.auth.createUser({
      email: `slutat-${hex()}@example.org`,
      password: PASSWORD,
      role: 'viewer',
      organisationId: d.municipality.id,
    });
    await t.dataSource.getRepository(User).update({ id: inactive.id }, { active: false });
    a.inactiveEmail = inactive.email;

    a.link = (await s.guideLinks.issue(d.guide.id, 'access')).token;
    a.calendarLink = (await s.guideLinks.issue(d.guide.id, 'calendar')).token;
    const lost = await s.guideLinks.issue(d.guide.id, 'access');
    await s.guideLinks.revoke(lost.link.id);
    a.revokedLink = lost.token;
    try {
      // Made while the clock stood earlier: a one-day token and a link older than the link lifetime (90 days).
      t.clock.set('2026-11-20T09:00:00Z');
      a.expiredToken = (await s.auth.createApiToken(kerstin.id, 'Endagstoken', 1)).token;
      t.clock.set('2026-08-01T09:00:00Z');
      a.expiredLink = (await s.guideLinks.issue(d.guide.id, 'access')).token;
    } finally {
      t.clock.set(NOW);
    }
  });

  describe('POST /auth/login', () => {
    const login = (body?: Body) => sendBare('post', '/auth/login', body);
    const loginCases = (rows: BodyRow[]): Bad[] =>
      rows.map(([what, patch, field, status = 400, code = 'validation_failed']) => ({
        what,
        req: () => login(mutate({ email: a.kerstin.email, password: PASSWORD }, patch)),
        status,
        code,
        field,
      }));

    refuses(
      loginCases([
        ['a missing email', { email: undefined }, 'body.email'],
        ['an empty email', { email: '' }, 'body.email'],
        ['a blank email', { email: '   ' }, 'body.email'],
        ['an email that is a number', { email: 42 }, 'body.email'],
        ['an email given as a list', { email: ['kerstin@example.org'] }, 'body.email'],
        ['an email over 254 characters', { email: `${'k'.repeat(250)}@example.org` }, 'body.email'],
        ['a missing password', { password: undefined }, 'body.password'],
        ['an empty password', { password: '' }, 'body.password'],
        ['a null password', { password: null }, 'body.password'],
        ['a password that is a number', { password: 123456789012 }, 'body.password'],
        ['a password given as an object', { password: { value: 'x' } }, 'body.password'],
        ['a password over 200 characters', { password: 'x'.repeat(201) }, 'body.password'],
      ]),
    );

    it('refuses a request with no body at all, naming the body', async () => {
      await expectRejected(login(), 400, 'validation_failed', 'body');
    });

    it('refuses invalid JSON with 400 invalid_json', async () => {
      await expectRejected(
        login().set('Content-Type', 'application/json').send('{"email": "kerstin@example.org", '),
        400,
        'invalid_json',
        'body',
      );
    });

    it('refuses a body over 100 kB with 413 payload_too_large', async () => {
      await expectRejected(
        login({ email: a.kerstin.email, password: 'x'.repeat(110_000) }),
        413,
        'payload_too_large',
        null,
      );
    });

    it('refuses a wrong password with 401 invalid_credentials, naming no field', async () => {
      const res = await expectRejected(
        login({ email: a.kerstin.email, password: 'fel lösenord igen' }),
        401,
        'invalid_credentials',
        null,
      );
      expect(res.body.error.details).toEqual([]);
    });

    it('refuses an unknown e-mail with 401 invalid_credentials, naming no field', async () => {
      await expectRejected(
        login({ email: `ingen-${hex()}@example.org`, password: PASSWORD }),
        401,
        'invalid_credentials',
        null,
      );
    });

    it('answers an unknown e-mail, a wrong password and an inactive account alike: nothing to infer about who has an account', async () => {
      const wrongPassword = await expectRejected(
        login({ email: a.kerstin.email, password: 'Sommar2026!' }),
        401,
        'invalid_credentials',
        null,
      );
      const unknownEmail = await expectRejected(
        login({ email: `ingen-${hex()}@example.org`, password: 'Sommar2026!' }),
        401,
        'invalid_credentials',
        null,
      );
      const inactive = await expectRejected(
        login({ email: a.inactiveEmail, password: PASSWORD }),
        401,
        'invalid_credentials',
        null,
      );
      const seen = (r: request.Response) => ({
        status: r.status,
        body: r.body,
        authenticate: r.headers['www-authenticate'],
        retryAfter: r.headers['retry-after'],
      });
      expect(seen(unknownEmail)).toEqual(seen(wrongPassword));
      expect(seen(inactive)).toEqual(seen(wrongPassword));
    });

    it(`makes an account wait ${FIRST_WAIT_SECONDS} s after ${MAX_FAILURES} failures, even against the right password (429 too_many_attempts, Retry-After)`, async () => {
      // A fresh account: failures count per account and per address (and per known browser).
      const email = `gissad-${hex()}@example.org`;
      await t.services.auth.createUser({
        email,
        password: PASSWORD,
        role: 'viewer',
        organisationId: d.municipality.id,
      });
      try {
        for (let i = 1; i <= MAX_FAILURES; i++)
          await expectRejected(login({ email, password: `gissning ${i}` }), 401, 'invalid_credentials', null);

        const locked = await expectRejected(login({ email, password: PASSWORD }), 429, 'too_many_attempts', null);
        expect(locked.headers['retry-after']).toBe(String(FIRST_WAIT_SECONDS));
        // The same account in capitals is the same account.
        await expectRejected(login({ email: email.toUpperCase(), password: PASSWORD }), 429, 'too_many_attempts', null);
        // Per account: another account from the same address still logs in.
        await login({ email: a.kerstin.email, password: PASSWORD }).expect(200);

        t.clock.advance((FIRST_WAIT_SECONDS - 1) * 1000);
        const stillLocked = await expectRejected(login({ email, password: PASSWORD }), 429, 'too_many_attempts', null);
        expect(stillLocked.headers['retry-after']).toBe('1');

        t.clock.advance(1000);
        const res = await login({ email, password: PASSWORD }).expect(200);
        expect(res.body.user.email).toBe(email);
        await sendBare('get', '/auth/me').set('Authorization', `Bearer ${res.body.token}`).expect(200);
      } finally {
        t.clock.set(NOW);
      }
    });

    it(`slows one address after ${MAX_FAILURES * ADDRESS_FACTOR} failures across accounts (password spraying), then lets it in again after the wait`, async () => {
      // A clock past the hour after which failures are forgotten, so this address starts from zero.
      t.clock.set(new Date(Date.parse(NOW) + 2 * 3600_000));
      try {
        for (let i = 1; i <= MAX_FAILURES * ADDRESS_FACTOR; i++) {
          const res = await login({ email: `spray-${i}-${hex()}@example.org`, password: 'Sommar2026!' });
          expect({ i, status: res.status, code: res.body.error?.code }).toEqual({
            i,
            status: 401,
            code: 'invalid_credentials',
          });
        }
        const locked = await expectRejected(
          login({ email: a.kerstin.email, password: PASSWORD }),
          429,
          'too_many_attempts',
          null,
        );
        expect(locked.headers['retry-after']).toBe(String(FIRST_WAIT_SECONDS));

        t.clock.advance(FIRST_WAIT_SECONDS * 1000);
        await login({ email: a.kerstin.email, password: PASSWORD }).expect(200);
      } finally {
        t.clock.set(NOW);
      }
    });
  });

  describe('Authentication and roles on every operation behind a login', () => {
    const guarded = OPERATIONS.filter((o) => o.roles !== null);

    it("sweeps the operations of the OpenAPI document: every one but login and the guides' own (their page, calendar link, answer links and after-café form) wants a login", async () => {
      const doc = (await api().get('/api/v1/openapi.json').expect(200)).body as {
        paths: Record<string, Record<string, unknown>>;
      };
      const documented = Object.entries(doc.paths)
        .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
        .sort();
      const swept = OPERATIONS.map(
        (o) => `${o.method.toUpperCase()} /api/v1${o.path.replace(/:(\w+)/g, '{$1}')}`,
      ).sort();
      expect(swept).toEqual(documented);
      expect(OPERATIONS.filter((o) => o.roles === null).map((o) => o.name)).toEqual([
        'POST /auth/login',
        'POST /auth/password-reset',
        'GET /auth/password-links/:token',
        'POST /auth/password-links/:token',
        'GET /guide/me',
        'POST /guide/calendar',
        'POST /guide/absences',
        'POST /guide/absences/preview',
        'PUT /guide/availability',
        'GET /answers/:token',
        'POST /answers/:token',
        'GET /guide/sessions/:id/report-form',
        'GET /guide/seniors',
        'POST /guide/sessions/:id/report',
        'PUT /guide/sessions/:id/report',
        'GET /guide/sessions/:id/queue',
        'POST /guide/sessions/:id/queue',
        'PATCH /guide/sessions/:id/queue/:entryId',
      ]);
    });

    const faults: { what: string; authorization: () => string | undefined; code: string }[] = [
      { what: 'no Authorization header', authorization: () => undefined, code: 'unauthenticated' },
      { what: 'Basic credentials', authorization: () => 'Basic xyz', code: 'invalid_token' },
      { what: 'a malformed bearer token', authorization: () => 'Bearer bry_a_kort', code: 'invalid_token' },
      {
        what: 'a well-formed token that was never issued',
        authorization: () => `Bearer ${unknownToken()}`,
        code: 'invalid_token',
      },
      { what: 'a revoked token', authorization: () => `Bearer ${a.revokedToken}`, code: 'invalid_token' },
      { what: 'an expired token', authorization: () => `Bearer ${a.expiredToken}`, code: 'invalid_token' },
    ];

    describe.each(guarded)('$name', ({ method, path, roles }) => {
      it.each(faults)(
        'refuses $what with 401 $code and WWW-Authenticate: Bearer, writing nothing',
        async ({ authorization, code }) => {
          const req = sendBare(method, concrete(path));
          const header = authorization();
          if (header !== undefined) req.set('Authorization', header);
          const res = await expectRejected(req, 401, code, null, { counted: false });
          expect(res.headers['www-authenticate']).toBe('Bearer');
        },
      );

      const refused = ROLES.filter((role) => !roles!.includes(role));
      if (refused.length > 0) {
        it.each(refused)('refuses the role %s with 403 forbidden, writing nothing', async (role) => {
          await expectRejected(
            sendBare(method, concrete(path)).set('Authorization', `Bearer ${a.tokens[role]}`),
            403,
            'forbidden',
            null,
            { counted: false },
          );
        });
      }
    });
  });

  describe('POST /auth/logout, GET /auth/me, GET /auth/tokens', () => {
    it('refuses a logout without a token with 401 unauthenticated', async () => {
      const res = await expectRejected(sendBare('post', '/auth/logout'), 401, 'unauthenticated', null);
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });

    it('refuses a logout with a revoked token with 401 invalid_token', async () => {
      await expectRejected(
        sendBare('post', '/auth/logout').set('Authorization', `Bearer ${a.revokedToken}`),
        401,
        'invalid_token',
        null,
      );
    });

    it('refuses GET /auth/me with a token that was never issued with 401 invalid_token', async () => {
      await expectRejected(
        sendBare('get', '/auth/me').set('Authorization', `Bearer ${unknownToken()}`),
        401,
        'invalid_token',
        null,
      );
    });

    it('refuses GET /auth/me with an expired token with 401 invalid_token', async () => {
      await expectRejected(
        sendBare('get', '/auth/me').set('Authorization', `Bearer ${a.expiredToken}`),
        401,
        'invalid_token',
        null,
      );
    });

    it('refuses GET /auth/tokens with Basic credentials with 401 invalid_token', async () => {
      await expectRejected(
        sendBare('get', '/auth/tokens').set('Authorization', 'Basic a2Vyc3RpbjpzZWNyZXQ='),
        401,
        'invalid_token',
        null,
      );
    });
  });

  describe('POST /auth/tokens', () => {
    refuses(
      bodyCases(
        'post',
        () => '/auth/tokens',
        () => ({ name: 'Kalenderexport', expiresInDays: 30 }),
        [
          ['a missing name', { name: undefined }, 'body.name'],
          ['a blank name', { name: '   ' }, 'body.name'],
          ['a name that is a number', { name: 7 }, 'body.name'],
          ['a name over 100 characters', { name: 'x'.repeat(101) }, 'body.name'],
          ['expiresInDays 0', { expiresInDays: 0 }, 'body.expiresInDays'],
          ['expiresInDays -1', { expiresInDays: -1 }, 'body.expiresInDays'],
          ['expiresInDays 1000 (over two years)', { expiresInDays: 1000 }, 'body.expiresInDays'],
          ['expiresInDays "ten"', { expiresInDays: 'ten' }, 'body.expiresInDays'],
          ['expiresInDays "30" as a string', { expiresInDays: '30' }, 'body.expiresInDays'],
          ['a fractional expiresInDays', { expiresInDays: 1.5 }, 'body.expiresInDays'],
        ],
      ),
    );
  });

  describe('DELETE /auth/tokens/:id', () => {
    it("answers someone else's token with 404 not_found, as one that does not exist, and leaves it alone", async () => {
      await expectRejected(send('delete', `/auth/tokens/${a.kerstinsTokenId}`), 404, 'not_found', 'params.id');
    });
  });

  describe('POST /users', () => {
    const validUser = () => ({
      email: `ny-${hex()}@example.org`,
      password: 'ett långt lösenord',
      role: 'coordinator',
      organisationId: d.municipality.id,
    });

    refuses(
      bodyCases('post', () => '/users', validUser, [
        ['an e-mail that is not one', { email: 'kerstin.example.org' }, 'body.email'],
        ['a missing e-mail', { email: undefined }, 'body.email'],
        ['an e-mail that is a number', { email: 46701234567 }, 'body.email'],
        ['a password of 11 characters', { password: 'elva tecken' }, 'body.password'],
        ['a missing password', { password: undefined }, 'body.password'],
        ['a password that is a number', { password: 123456789012345 }, 'body.password'],
        ['a password over 200 characters', { password: 'x'.repeat(201) }, 'body.password'],
        ['an unknown role "superuser"', { role: 'superuser' }, 'body.role'],
        ['a role in capitals', { role: 'ADMIN' }, 'body.role'],
        ['a missing role', { role: undefined }, 'body.role'],
        ['a malformed organisationId', { organisationId: 'orebro' }, 'body.organisationId'],
        [
          'a coordinator without an organisationId',
          { organisationId: undefined },
          'body.organisationId',
          422,
          'unknown_reference',
        ],
        [
          'a coordinator with a null organisationId',
          { organisationId: null },
          'body.organisationId',
          422,
          'unknown_reference',
        ],
        [
          'a viewer of an unknown organisation',
          { role: 'viewer', organisationId: unknownId() },
          'body.organisationId',
          422,
          'unknown_reference',
        ],
      ]),
    );

    it("refuses a coordinator given an association's id (422 unknown_reference on body.organisationId)", async () => {
      await expectRejected(
        send('post', '/users', mutate(validUser(), { organisationId: d.association.id })),
        422,
        'unknown_reference',
        'body.organisationId',
      );
    });

    it("refuses association staff given a municipality's id (422 unknown_reference on body.organisationId)", async () => {
      await expectRejected(
        send('post', '/users', mutate(validUser(), { role: 'association_staff' })),
        422,
        'unknown_reference',
        'body.organisationId',
      );
    });

    it('refuses an admin with an organisationId (422, naming body.organisationId)', async () => {
      await expectRejected(
        send('post', '/users', mutate(validUser(), { role: 'admin' })),
        422,
        'invalid_user',
        'body.organisationId',
      );
    });

    it('refuses an e-mail that is taken (409 email_taken), in any case', async () => {
      await expectRejected(
        send('post', '/users', mutate(validUser(), { email: a.kerstin.email })),
        409,
        'email_taken',
        'body.email',
      );
      await expectRejected(
        send('post', '/users', mutate(validUser(), { email: a.kerstin.email.toUpperCase() })),
        409,
        'email_taken',
        'body.email',
      );
    });

    it('refuses a coordinator (403 forbidden): only an admin makes users', async () => {
      await expectRejected(
        t.http(a.tokens.coordinator).post('/api/v1/users').send(validUser()),
        403,
        'forbidden',
        null,
      );
    });
  });

  describe('GET /users', () => {
    it('refuses a coordinator (403 forbidden)', async () => {
      await expectRejected(t.http(a.tokens.coordinator).get('/api/v1/users'), 403, 'forbidden', null);
    });
  });

  describe('GET /audit', () => {
    refuses(
      queryCases(
        () => '/audit',
        [
          ['a malformed entityId', 'entityId=42', 'query.entityId'],
          ['an entityId given twice', `entityId=${unknownId()}&entityId=${unknownId()}`, 'query.entityId'],
          ['a malformed municipalityId', 'municipalityId=orebro', 'query.municipalityId'],
          ['an entityType over 30 characters', `entityType=${'x'.repeat(31)}`, 'query.entityType'],
          ['limit 0', 'limit=0', 'query.limit'],
          ['a limit that is not a number', 'limit=ten', 'query.limit'],
        ],
      ),
    );

    it('refuses a viewer (403 forbidden)', async () => {
      await expectRejected(t.http(a.tokens.viewer).get('/api/v1/audit'), 403, 'forbidden', null);
    });
  });

  describe('GET /seniors/:id/export and POST /seniors/:id/erase', () => {
    it.each([
      ['get', 'export'],
      ['post', 'erase'],
    ] as const)('%s …/%s: refuses association staff (403 forbidden)', async (method, action) => {
      await expectRejected(
        t.http(a.tokens.association_staff)[method](`/api/v1/seniors/${d.senior.id}/${action}`),
        403,
        'forbidden',
        null,
      );
    });
  });

  describe('The matching engine: only admins and coordinators plan, pin and replace', () => {
    const ops: { name: string; method: Method; path: () => string; body?: () => object }[] = [
      {
        name: 'POST /municipalities/:id/plans',
        method: 'post',
        path: () => `/municipalities/${d.municipality.id}/plans`,
        body: valid.plan,
      },
      {
        name: 'POST /municipalities/:id/plans/publish',
        method: 'post',
        path: () => `/municipalities/${d.municipality.id}/plans/publish`,
        body: valid.publish,
      },
      {
        name: 'POST /sessions/:id/assignments',
        method: 'post',
        path: () => `/sessions/${d.session.id}/assignments`,
        body: valid.assign,
      },
      {
        name: 'PATCH /assignments/:id',
        method: 'patch',
        path: () => `/assignments/${d.assignment.id}`,
        body: valid.pin,
      },
      { name: 'DELETE /assignments/:id', method: 'delete', path: () => `/assignments/${d.assignment.id}` },
      {
        name: 'GET /assignments/:id/substitutes',
        method: 'get',
        path: () => `/assignments/${d.assignment.id}/substitutes`,
      },
      {
        name: 'POST /assignments/:id/swap',
        method: 'post',
        path: () => `/assignments/${d.assignment.id}/swap`,
        body: valid.swap,
      },
      { name: 'GET /sessions/:id/candidates', method: 'get', path: () => `/sessions/${d.session.id}/candidates` },
    ];
    const rows = ops.flatMap((op) => (['viewer', 'association_staff'] as const).map((role) => ({ ...op, role })));

    it.each(rows)(
      '$name: refuses the role $role (403 forbidden), writing nothing',
      async ({ method, path, body, role }) => {
        const req = t.http(a.tokens[role])[method](`/api/v1${path()}`);
        await expectRejected(body ? req.send(body()) : req, 403, 'forbidden', null);
      },
    );

    it('refuses a coordinator a guide of another municipality (422 unknown_reference on body.guideId), as an unknown one', async () => {
      const req = (guideId: string) =>
        t.http(a.tokens.coordinator).post(`/api/v1/sessions/${d.session.id}/assignments`).send({ guideId });
      const real = await expectRejected(req(d.otherGuide.id), 422, 'unknown_reference', 'body.guideId');
      const decoy = await expectRejected(req(unknownId()), 422, 'unknown_reference', 'body.guideId');
      expect(real.body).toEqual(decoy.body);
    });

    it('refuses a coordinator swapping in a guide of another municipality (422 unknown_reference on body.guideId), as an unknown one', async () => {
      const req = (guideId: string) =>
        t.http(a.tokens.coordinator).post(`/api/v1/assignments/${d.assignment.id}/swap`).send({ guideId });
      const real = await expectRejected(req(d.otherGuide.id), 422, 'unknown_reference', 'body.guideId');
      const decoy = await expectRejected(req(unknownId()), 422, 'unknown_reference', 'body.guideId');
      expect(real.body).toEqual(decoy.body);
    });

    it('answers a coordinator planning or publishing another municipality with 404 not_found', async () => {
      const coordinator = t.http(a.tokens.coordinator);
      await expectRejected(
        coordinator.post(`/api/v1/municipalities/${d.otherMunicipality.id}/plans`).send(valid.plan()),
        404,
        'not_found',
        'params.id',
      );
      await expectRejected(
        coordinator.post(`/api/v1/municipalities/${d.otherMunicipality.id}/plans/publish`).send(valid.publish()),
        404,
        'not_found',
        'params.id',
      );
    });
  });

  describe('POST /guides/:id/links', () => {
    refuses(
      bodyCases(
        'post',
        () => `/guides/${d.guide.id}/links`,
        () => ({ purpose: 'access' }),
        [
          ['purpose "feed" (a calendar link is purpose "calendar")', { purpose: 'feed' }, 'body.purpose'],
          ['purpose "Calendar" in capitals', { purpose: 'Calendar' }, 'body.purpose'],
          ['purpose "x"', { purpose: 'x' }, 'body.purpose'],
          ['a null purpose', { purpose: null }, 'body.purpose'],
          ['a purpose that is a number', { purpose: 1 }, 'body.purpose'],
        ],
      ),
    );

    it('accepts purpose "calendar": 201, with a feed URL under /kalender/ ending .ics that serves the calendar', async () => {
      const res = await send('post', `/guides/${d.guide.id}/links`, { purpose: 'calendar' }).expect(201);
      expect(res.body).toMatchObject({
        guideId: d.guide.id,
        purpose: 'calendar',
        revokedAt: null,
        token: expect.any(String),
      });
      expect(res.body.url).toContain('/kalender/');
      expect(res.body.url).toMatch(/\.ics$/);
      expect(res.body.url).toBe(`${t.settings.publicUrl}/kalender/${encodeURIComponent(res.body.token)}.ics`);
      const feed = await request(t.app).get(new URL(res.body.url).pathname).expect(200);
      expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
      expect(feed.text).toContain('BEGIN:VCALENDAR');
    });
  });

  /**
   * What every route behind a guide's access link refuses: a missing or malformed token (400),
   * a forged, misused, revoked or expired link (401); each changing nothing (expectRejected
   * compares every table, guide_links too).
   */
  const refusesBadGuideLinks = (send: (query: string) => ReturnType<typeof sendBare>) => {
    refuses(
      [
        ['no token', ''],
        ['an empty token', '?token='],
        ['a token too short to be one', '?token=abc'],
        ['a token over 300 characters', `?token=${'a'.repeat(301)}`],
        ['a token given twice', '?token=abcdefghijkl&token=abcdefghijkl'],
      ].map(([what, query]) => ({
        what,
        req: () => send(query),
        status: 400,
        code: 'validation_failed',
        field: 'query.token',
      })),
    );

    const forged: [string, () => string][] = [
      [
        'a token signed with another secret',
        () =>
          new LinkSigner('not-the-secret-of-this-installation-0000').sign(
            randomUUID(),
            'access',
            new Date('2027-06-01T00:00:00Z'),
          ),
      ],
      [
        'a real link with its expiry pushed out',
        () => a.link.replace(/\.(\d+)\./, (_m, exp: string) => `.${Number(exp) + 365 * 86_400}.`),
      ],
      ['a calendar link (a feed link opens nothing else)', () => a.calendarLink],
      ['a calendar link relabelled as an access link', () => a.calendarLink.replace('.calendar.', '.access.')],
      ['something of the right length that is no link', () => 'x'.repeat(64)],
    ];
    it.each(forged)('refuses %s with 401 invalid_link', async (_what, token) => {
      await expectRejected(send(`?token=${encodeURIComponent(token())}`), 401, 'invalid_link', null);
    });

    it('refuses a revoked link with 401 link_revoked', async () => {
      await expectRejected(send(`?token=${encodeURIComponent(a.revokedLink)}`), 401, 'link_revoked', null);
    });

    it('refuses an expired link with 401 link_expired', async () => {
      await expectRejected(send(`?token=${encodeURIComponent(a.expiredLink)}`), 401, 'link_expired', null);
    });
  };

  describe('GET /guide/me', () => {
    refusesBadGuideLinks((query) => sendBare('get', `/guide/me${query}`));
  });

  // A guide makes their own calendar feed link with their page's link: the access link is the credential.
  describe('POST /guide/calendar', () => {
    const make = (query: string) => sendBare('post', `/guide/calendar${query}`);
    refusesBadGuideLinks(make);

    it('refuses the link of a guide who is no longer active with 401 invalid_link, issuing nothing', async () => {
      const gone = await t.services.guides.create(buildGuide(d.association.id, d.municipality.id, { active: true }));
      const link = (await t.services.guideLinks.issue(gone.id, 'access')).token;
      await t.services.guides.update(gone.id, { active: false });
      await expectRejected(make(`?token=${encodeURIComponent(link)}`), 401, 'invalid_link', null);
    });

    it('accepts a valid link (so each refusal is the link): 201, a feed URL under /kalender/ that serves the calendar, its webcal:// twin and when it expires', async () => {
      const res = await make(`?token=${encodeURIComponent(a.link)}`).expect(201);
      expect(res.body).toEqual({
        url: expect.any(String),
        webcalUrl: expect.any(String),
        expiresAt: expect.any(String),
      });
      expect(res.body.url.startsWith(`${t.settings.publicUrl}/kalender/`)).toBe(true);
      expect(res.body.url).toMatch(/\/kalender\/[^/]+\.ics$/);
      expect(res.body.webcalUrl).toBe(res.body.url.replace(/^https?:/, 'webcal:'));
      expect(res.body.webcalUrl).toMatch(/^webcal:\/\//);
      // A link lasts the link lifetime (90 days) from now.
      expect(res.body.expiresAt).toBe(new Date(Date.parse(NOW) + 90 * 86_400_000).toISOString());
      const feed = await request(t.app).get(new URL(res.body.url).pathname).expect(200);
      expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
      expect(feed.text).toContain('BEGIN:VCALENDAR');
      // The feed's token is a calendar link: it does not open the guide's page.
      const token = decodeURIComponent(
        new URL(res.body.url).pathname.replace(/^\/kalender\//, '').replace(/\.ics$/, ''),
      );
      await expectRejected(sendBare('get', `/guide/me?token=${encodeURIComponent(token)}`), 401, 'invalid_link', null);
    });
  });

  // The confirm, decline and take links in guides' e-mails. Only bad links are sent here: a good one would answer.
  describe.each(['get', 'post'] as const)('%s /answers/:token', (method) => {
    const answer = (token: string) => sendBare(method, `/answers/${encodeURIComponent(token)}`);
    /** A link as the mails carry them, signed with this installation's secret. */
    const signed = (purpose: string, expiresAt: string, id = d.assignment.id) =>
      new LinkSigner(t.settings.authSecret).sign(id, purpose, new Date(expiresAt));

    refuses(
      [
        ['a token with a space', 'abc def'],
        ['a token with a dollar sign', 'abc$def'],
        ['a token with a slash (encoded)', 'abc/def'],
        ['a token with markup', '<script>alert(1)</script>'],
        ['a token with letters outside ASCII', 'åäö.123.confirm.xyz'],
        ['a token over 200 characters', 'a'.repeat(201)],
      ].map(([what, token]) => ({
        what,
        req: () => answer(token),
        status: 400,
        code: 'validation_failed',
        field: 'params.token',
      })),
    );

    it('refuses a token with broken percent-encoding with a 400 naming the path, not a 500', async () => {
      await expectRejected(sendBare(method, '/answers/%E0%A4%A'), 400, 'validation_failed', 'params');
    });

    const forged: [string, () => string][] = [
      [
        'a confirm link signed with another secret',
        () =>
          new LinkSigner('not-the-secret-of-this-installation-0000').sign(
            d.assignment.id,
            'confirm',
            new Date('2026-12-01T15:00:00Z'),
          ),
      ],
      [
        'a confirm link relabelled as a decline',
        () => signed('confirm', '2026-12-01T15:00:00Z').replace('.confirm.', '.decline.'),
      ],
      [
        'a take link relabelled as a confirm',
        () => signed('take', '2026-12-01T15:00:00Z').replace('.take.', '.confirm.'),
      ],
      [
        'a confirm link with its expiry pushed out',
        () =>
          signed('confirm', '2026-12-01T15:00:00Z').replace(
            /\.(\d+)\./,
            (_m, exp: string) => `.${Number(exp) + 365 * 86_400}.`,
          ),
      ],
      ['a link signed for another purpose ("access")', () => signed('access', '2027-06-01T00:00:00Z')],
      ["a guide's page link", () => a.link],
      ["a guide's calendar link", () => a.calendarLink],
      ['something of the right length that is no link', () => 'x'.repeat(64)],
      ['a token of five parts', () => `${signed('confirm', '2026-12-01T15:00:00Z')}.extra`],
    ];
    it.each(forged)('refuses %s with 401 invalid_link, answering nothing', async (_what, token) => {
      await expectRejected(answer(token()), 401, 'invalid_link', null);
    });

    it('refuses an expired confirm link with 401 link_expired, answering nothing', async () => {
      await expectRejected(answer(signed('confirm', '2026-11-20T15:00:00Z')), 401, 'link_expired', null);
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('Self-service: contracts, previews, ending cafés, accounts', () => {
  /** A coordinator of d.municipality with a login of their own. */
  const lena = {} as { id: string; email: string; token: string };
  beforeAll(async () => {
    const user = await t.services.auth.createUser({
      email: `lena-${hex()}@example.org`,
      password: PASSWORD,
      role: 'coordinator',
      organisationId: d.municipality.id,
    });
    Object.assign(lena, {
      id: user.id,
      email: user.email,
      token: (await t.services.auth.createApiToken(user.id, 'tests')).token,
    });
  });

  describe('PATCH /contracts/:id', () => {
    refuses(
      bodyCases(
        'patch',
        () => `/contracts/${d.contract.id}`,
        () => ({ reference: 'KS 2027/2' }),
        [
          ['an end before the start', { startsOn: '2027-06-01', endsOn: '2027-05-31' }, 'body.endsOn'],
          ['an end before the stored start', { endsOn: '2025-12-31' }, 'body.endsOn', 422, 'invalid_contract'],
          ['a negative hourly rate', { hourlyRate: -1 }, 'body.hourlyRate'],
          ['an hourly rate with three decimals', { hourlyRate: 187.555 }, 'body.hourlyRate'],
          ['an hourly rate given as text', { hourlyRate: '187' }, 'body.hourlyRate'],
          ['an unknown reporting period', { reportingPeriod: 'week' }, 'body.reportingPeriod'],
        ],
      ),
    );
  });

  describe('POST /municipalities with a time zone', () => {
    refuses(
      bodyCases('post', () => '/municipalities', valid.organisation, [
        ['a zone that does not exist', { timeZone: 'Europe/Mora' }, 'body.timeZone'],
        ['a zone given as a number', { timeZone: 1 }, 'body.timeZone'],
      ]),
    );
  });

  describe('POST /series/preview and POST /series/:id/preview', () => {
    refuses([
      ...bodyCases('post', () => '/series/preview', valid.series, [
        ['a last date before the first', { firstDate: '2027-03-01', lastDate: '2027-02-01' }, 'body.lastDate'],
        ['an unknown weekday', { weekday: 'fre' }, 'body.weekday'],
        [
          'a venue of another municipality',
          { venueId: d.otherVenue?.id ?? unknownId() },
          'body.venueId',
          422,
          'unknown_reference',
        ],
      ]),
      ...bodyCases(
        'post',
        () => `/series/${d.series.id}/preview`,
        () => ({ seats: 5 }),
        [
          ['seats 0', { seats: 0 }, 'body.seats'],
          ['more minimum guides than maximum', { minGuides: 4, maxGuides: 3 }, 'body.maxGuides'],
          ['an old version', { version: 99 }, 'body.version', 409, 'version_conflict'],
        ],
      ),
    ]);
  });

  describe('POST /series/:id/archive and its preview', () => {
    refuses(
      (['/archive', '/archive/preview'] as const).flatMap((suffix) =>
        bodyCases(
          'post',
          () => `/series/${d.series.id}${suffix}`,
          () => ({}),
          [
            ['a version that is text', { version: 'ett' }, 'body.version'],
            ['an old version', { version: 99 }, 'body.version', 409, 'version_conflict'],
          ],
        ),
      ),
    );
  });

  describe('POST /closures/preview', () => {
    refuses(
      bodyCases('post', () => '/closures/preview', valid.closure, [
        ['an end before the start', { startsOn: '2027-10-29', endsOn: '2027-10-25' }, 'body.endsOn'],
        ['a missing name', { name: undefined }, 'body.name'],
        ['an unknown municipality', { municipalityId: unknownId() }, 'body.municipalityId', 422, 'unknown_reference'],
      ]),
    );
  });

  describe('POST /users/invitations and PATCH /users/:id', () => {
    const invite = () => ({ email: `ny-${hex()}@example.org`, role: 'coordinator', organisationId: d.municipality.id });
    refuses([
      ...bodyCases('post', () => '/users/invitations', invite, [
        ['an e-mail that is not one', { email: 'lena.example.org' }, 'body.email'],
        ['an unknown role', { role: 'superuser' }, 'body.role'],
        ['an admin of a municipality', { role: 'admin' }, 'body.organisationId', 422, 'invalid_user'],
      ]),
      ...bodyCases(
        'patch',
        () => `/users/${lena.id}`,
        () => ({ role: 'viewer' }),
        [['an unknown role', { role: 'root' }, 'body.role']],
      ),
    ]);

    // These name rows made before the tests run.
    it('refuses a coordinator of an association, an invitation to an e-mail that has an account, and a viewer of an association', async () => {
      const association = { organisationId: d.association.id };
      await expectRejected(
        send('post', '/users/invitations', { ...invite(), ...association }),
        422,
        'unknown_reference',
        'body.organisationId',
      );
      await expectRejected(
        send('post', '/users/invitations', { ...invite(), email: lena.email }),
        409,
        'email_taken',
        'body.email',
      );
      await expectRejected(
        send('patch', `/users/${lena.id}`, { role: 'viewer', ...association }),
        422,
        'unknown_reference',
        'body.organisationId',
      );
    });
  });

  describe('POST /auth/password-reset, the password links, POST /auth/password', () => {
    const token = `bry_p_${'A'.repeat(43)}`;
    refuses([
      ...bodyCases(
        'post',
        () => '/auth/password-reset',
        () => ({ email: 'lena@example.org' }),
        [
          ['a missing e-mail', { email: undefined }, 'body.email'],
          ['an e-mail over 254 characters', { email: `${'x'.repeat(250)}@example.org` }, 'body.email'],
        ],
        sendBare,
      ),
      ...(['get', 'post'] as const).flatMap((method) =>
        ['kort', `bry_s_${'A'.repeat(43)}`, `bry_p_${'A'.repeat(42)}!`].map((bad) => ({
          what: `${method.toUpperCase()} with the malformed link "${bad.slice(0, 12)}…"`,
          req: () =>
            sendBare(method, `/auth/password-links/${bad}`, method === 'post' ? { password: PASSWORD } : undefined),
          status: 400,
          code: 'validation_failed',
          field: 'params.token',
        })),
      ),
      ...(['get', 'post'] as const).map((method) => ({
        what: `${method.toUpperCase()} with a well-formed link that was never sent`,
        req: () =>
          sendBare(method, `/auth/password-links/${token}`, method === 'post' ? { password: PASSWORD } : undefined),
        status: 401,
        code: 'invalid_link',
        field: null,
      })),
      ...bodyCases(
        'post',
        () => `/auth/password-links/${token}`,
        () => ({ password: PASSWORD }),
        [
          ['a password of 11 characters', { password: 'elva tecken' }, 'body.password'],
          ['a password over 200 characters', { password: 'x'.repeat(201) }, 'body.password'],
        ],
        sendBare,
      ),
      ...bodyCases(
        'post',
        () => '/auth/password',
        () => ({ currentPassword: PASSWORD, newPassword: 'ett nytt och långt lösenord' }),
        [
          ['a missing current password', { currentPassword: undefined }, 'body.currentPassword'],
          ['a new password of 11 characters', { newPassword: 'elva tecken' }, 'body.newPassword'],
          ['a wrong current password', { currentPassword: 'inte rätt' }, 'body.currentPassword', 422, 'wrong_password'],
        ],
        (method, path, body) => sendBare(method, path, body).set('Authorization', `Bearer ${lena.token}`),
      ),
    ]);
  });
});

describe('Imports: the file itself', () => {
  it.each(['guides', 'seniors'])(
    'refuses a %s file that is no table (422 unreadable_file), writing nothing',
    async (kind) => {
      for (const path of [`/imports/${kind}/preview`, `/imports/${kind}`])
        await expectRejected(
          send('post', `/municipalities/${d.municipality.id}${path}`)
            .set('Content-Type', 'text/csv')
            .send(Buffer.from([0, 1, 2, 0])),
          422,
          'unreadable_file',
          'body',
        );
    },
  );

  it('answers a progress id that names no running import with 404, and a malformed one with 400', async () => {
    await expectRejected(send('get', `/imports/progress/${unknownId()}`), 404, 'not_found', 'params.id');
    await expectRejected(send('get', '/imports/progress/snart'), 400, 'validation_failed', 'params.progress');
  });

  it.each(['guides.csv', 'guides.xlsx', 'seniors.csv', 'seniors.xlsx'])(
    'answers an unknown template of the right shape with 404 (GET /imports/templates/%s is there)',
    async (name) => {
      await api().get(`/api/v1/imports/templates/${name}`).expect(200);
      hit.push({ method: 'GET', path: `/api/v1/imports/templates/${name}` });
      await expectRejected(send('get', `/imports/templates/${name.replace('.', 'x.')}`), 404, 'route_not_found', null);
    },
  );
});

describe('Regulars', () => {
  describe('POST /regulars', () => {
    refuses(
      bodyCases(
        'post',
        () => '/regulars',
        () => ({ seniorId: d.senior.id, seriesId: d.series.id, fromDate: '2027-01-05' }),
        [
          ['a missing senior', { seniorId: undefined }, 'body.seniorId'],
          ['a malformed series id', { seriesId: 'kafe' }, 'body.seriesId'],
          ['an end before the start', { toDate: '2027-01-01' }, 'body.toDate'],
          ['an unknown topic', { topic: 'tiktok' }, 'body.topic'],
          ['an unknown senior', { seniorId: unknownId() }, 'body.seniorId', 422, 'unknown_reference'],
          ['an unknown café', { seriesId: unknownId() }, 'body.seriesId', 422, 'unknown_reference'],
        ],
      ),
    );
  });
});

describe('Absences and availability periods', () => {
  const absenceCases = (path: () => string, via: typeof send = send) =>
    bodyCases(
      'post',
      path,
      valid.absence,
      [
        ['an end before the start', { from: '2027-01-07', to: '2027-01-05' }, 'body.to'],
        ['a missing start', { from: undefined }, 'body.from'],
        ['a date that does not exist', { to: '2027-02-30' }, 'body.to'],
        ['a reason over 200 characters', { reason: 'x'.repeat(201) }, 'body.reason'],
        ['more than 120 days', { to: '2027-06-30' }, 'body.to', 422, 'invalid_absence'],
      ],
      via,
    );
  const availabilityCases = (path: () => string, via: typeof send = send) =>
    bodyCases(
      'put',
      path,
      valid.availability,
      [
        ['a period that ends before it starts', { validFrom: '2027-06-10', validTo: '2027-01-11' }, 'body.validTo'],
        [
          'a window that ends before it starts',
          { windows: [{ weekday: 'wed', start: '18:00', end: '14:00' }] },
          'body.windows.0.end',
        ],
        [
          'two windows that overlap',
          {
            windows: [
              { weekday: 'wed', start: '14:00', end: '18:00' },
              { weekday: 'wed', start: '15:00', end: '19:00' },
            ],
          },
          'body.windows.1',
        ],
        [
          'an unknown weekday',
          { windows: [{ weekday: 'ons', start: '14:00', end: '18:00' }] },
          'body.windows.0.weekday',
        ],
        ['a missing list of windows', { windows: undefined }, 'body.windows'],
      ],
      via,
    );
  describe('POST /guides/:id/absences (and /preview)', () => {
    refuses([
      ...absenceCases(() => `/guides/${d.guide.id}/absences`),
      ...absenceCases(() => `/guides/${d.guide.id}/absences/preview`),
    ]);
  });
  describe('PUT /guides/:id/availability', () => {
    refuses(availabilityCases(() => `/guides/${d.guide.id}/availability`));
  });
  describe("the guide's own: POST /guide/absences (and /preview), PUT /guide/availability", () => {
    refuses([
      ...absenceCases(() => `/guide/absences${asGuide()}`, sendBare),
      ...absenceCases(() => `/guide/absences/preview${asGuide()}`, sendBare),
      ...availabilityCases(() => `/guide/availability${asGuide()}`, sendBare),
    ]);
  });
  describe('DELETE /guides/:id/absences/:date', () => {
    it('refuses a date that is not one with 400, naming params.date', async () => {
      await expectRejected(
        send('delete', `/guides/${d.guide.id}/absences/2027-13-01`),
        400,
        'validation_failed',
        'params.date',
      );
    });
  });
});

describe('The live queue at a café', () => {
  /** d.session with the clock on its day, d.guide on its published schedule (for the guide's routes). */
  let onDuty: { session: string; link: string; entry: string };
  beforeAll(async () => {
    const s = t.services;
    const guide = await s.guides.create(buildGuide(d.association.id, d.municipality.id));
    await s.planning.assign(d.session.id, guide.id);
    await s.planning.publish(d.municipality.id, '2026-12-01', '2026-12-01');
    t.clock.set('2026-12-01T13:30:00Z');
    const entry = await s.queue.add(d.session.id, {
      kind: 'walk_in',
      platform: 'ios',
      topic: 'email',
      firstName: null,
    });
    onDuty = { session: d.session.id, link: (await s.guideLinks.issue(guide.id, 'access')).token, entry: entry.id };
  });
  afterAll(() => t.clock.set(NOW));

  const addRows: BodyRow[] = [
    ['no kind', { kind: undefined }, 'body.kind'],
    ['an unknown kind', { kind: 'drop_in' }, 'body.kind'],
    ['a walk-in without a device', { platform: undefined }, 'body.platform'],
    ['an unknown platform', { platform: 'nokia' }, 'body.platform'],
    ['a walk-in without a need', { topic: undefined }, 'body.topic'],
    ['an unknown topic', { topic: 'gaming' }, 'body.topic'],
    ['a first name over 40 characters', { firstName: 'G'.repeat(41) }, 'body.firstName'],
    ['a first name that is a number', { firstName: 7 }, 'body.firstName'],
    ['a first name with a line break', { firstName: 'Gun\nBritt' }, 'body.firstName', 400, 'invalid_text'],
    ['a check-in without a seat or a senior', { kind: 'registered' }, 'body.registrationId'],
    [
      'a check-in by both a seat and a senior',
      { kind: 'registered', registrationId: unknownId(), seniorId: unknownId() },
      'body.registrationId',
    ],
    [
      'a check-in with a seat id that is not a uuid',
      { kind: 'registered', registrationId: 'seat' },
      'body.registrationId',
    ],
    [
      'a check-in of a seat not at the café',
      { kind: 'registered', registrationId: unknownId() },
      'body.registrationId',
      422,
      'unknown_reference',
    ],
    ['a check-in with a senior id that is not a uuid', { kind: 'registered', seniorId: 'astrid' }, 'body.seniorId'],
    [
      'a check-in of a senior with no seat at the café',
      { kind: 'registered', seniorId: unknownId() },
      'body.seniorId',
      422,
      'unknown_reference',
    ],
  ];
  const stepRows: BodyRow[] = [
    ['no status', { status: undefined }, 'body.status'],
    ['an unknown status', { status: 'finished' }, 'body.status'],
    ['Klar without the topic', { status: 'done', topic: undefined }, 'body.topic'],
    ['Klar with an unknown topic', { status: 'done', topic: 'gaming' }, 'body.topic'],
    ['a guide id that is not a uuid', { status: 'helping', guideId: 'amina' }, 'body.guideId'],
    ['Klar while the visitor waits', { status: 'done', topic: 'email' }, 'body.status', 409, 'queue_step'],
    ['back to waiting while the visitor waits', { status: 'waiting' }, 'body.status', 409, 'queue_step'],
  ];
  const staff = {
    add: () => `/sessions/${onDuty.session}/queue`,
    step: () => `/sessions/${onDuty.session}/queue/${onDuty.entry}`,
  };
  const guide = {
    add: () => `/guide/sessions/${onDuty.session}/queue${asGuide(onDuty.link)}`,
    step: () => `/guide/sessions/${onDuty.session}/queue/${onDuty.entry}${asGuide(onDuty.link)}`,
  };

  describe('POST /sessions/:id/queue', () => refuses(bodyCases('post', staff.add, valid.walkIn, addRows)));
  describe('POST /guide/sessions/:id/queue', () =>
    refuses(bodyCases('post', guide.add, valid.walkIn, addRows, sendBare)));
  describe('PATCH /sessions/:id/queue/:entryId', () =>
    refuses([
      ...bodyCases('patch', staff.step, () => ({ status: 'done', topic: 'email' }), stepRows),
      ...bodyCases('patch', staff.step, () => ({ status: 'helping' }), [
        ['a take that names no guide', {}, 'body.guideId'],
        ['a take by a guide not on duty', { guideId: unknownId() }, 'body.guideId', 422, 'unknown_reference'],
      ]),
    ]));
  describe('PATCH /guide/sessions/:id/queue/:entryId', () =>
    refuses([
      ...bodyCases('patch', guide.step, () => ({ status: 'done', topic: 'email' }), stepRows, sendBare),
      ...bodyCases(
        'patch',
        guide.step,
        () => ({ status: 'helping' }),
        [['a take for another guide', { guideId: unknownId() }, 'body.guideId', 422, 'not_yourself']],
        sendBare,
      ),
    ]));

  const entryPaths = [
    {
      name: 'PATCH /sessions/:id/queue/:entryId',
      path: (e: string) => `/sessions/${onDuty.session}/queue/${e}`,
      via: send,
    },
    {
      name: 'PATCH /guide/sessions/:id/queue/:entryId',
      path: (e: string) => `/guide/sessions/${onDuty.session}/queue/${e}${asGuide(onDuty.link)}`,
      via: sendBare,
    },
  ];
  describe.each(entryPaths)('$name', ({ path, via }) => {
    it.each(['not-a-uuid', '12345'])(
      'refuses the malformed entry id "%s" with 400, naming params.entryId',
      async (e) => {
        await expectRejected(via('patch', path(e), { status: 'removed' }), 400, 'validation_failed', 'params.entryId');
      },
    );
    it('answers an entry id that names nothing at this café with 404, naming params.entryId', async () => {
      await expectRejected(via('patch', path(unknownId()), { status: 'removed' }), 404, 'not_found', 'params.entryId');
    });
  });

  const sinceRows: [string, string][] = [
    ['a version that is not one', 'since=abc'],
    ['a version with a sign', 'since=-1.2'],
    ['a version given twice', 'since=1.2&since=1.3'],
  ];
  describe('GET /sessions/:id/queue', () =>
    refuses(
      sinceRows.map(([what, query]) => ({
        what,
        req: () => send('get', `/sessions/${onDuty.session}/queue?${query}`),
        status: 400,
        code: 'validation_failed',
        field: 'query.since',
      })),
    ));
  describe('GET /guide/sessions/:id/queue', () =>
    refuses([
      ...sinceRows.map(([what, query]) => ({
        what,
        req: () => sendBare('get', `/guide/sessions/${onDuty.session}/queue${asGuide(onDuty.link)}&${query}`),
        status: 400,
        code: 'validation_failed',
        field: 'query.since',
      })),
      {
        what: 'no token',
        req: () => sendBare('get', `/guide/sessions/${onDuty.session}/queue`),
        status: 400,
        code: 'validation_failed',
        field: 'query.token',
      },
    ]));
});

describe('Coverage of this file', () => {
  it('has sent bad input to every operation in the OpenAPI document', async () => {
    const doc = (await api().get('/api/v1/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path })),
    );
    const missing = operations.filter(({ method, path }) => {
      const re = new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      return !hit.some((h) => h.method === method && re.test(h.path));
    });
    expect(missing.map((o) => `${o.method} ${o.path}`)).toEqual([]);
  });
});
