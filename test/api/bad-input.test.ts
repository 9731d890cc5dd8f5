import { createHash, randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { Registration, User } from '../../src/db/entities';
import { ROLES, Role } from '../../src/domain/access';
import { apiRoutes } from '../../src/http/routes';
import type { CreateSession } from '../../src/http/schemas/planning';
import { LinkSigner } from '../../src/lib/tokens';
import type { Services } from '../../src/services';
import { buildGuide, buildSenior, buildSeries, buildVenue, createWorld } from '../factories';
import { createTestApp, PASSWORD, TestApp } from '../support/app';

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
  closure: { id: string };
  guide: { id: string };
  senior: { id: string };
  otherSenior: { id: string };
  registration: { id: string };
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
    municipalityId: d.municipality.id, associationId: d.association.id, reference: 'KS 2026/112',
    startsOn: '2026-01-01', endsOn: '2027-12-31', reportingPeriod: 'quarter',
  });
  d.series = (await s.series.create(buildSeries(d.venue.id))).series;
  const oneOff = (date: string): CreateSession => ({
    venueId: d.venue.id, date, startTime: '14:00', durationMinutes: 120, timeZone: 'Europe/Stockholm', seats: 4, minGuides: 2, maxGuides: 3, theme: null,
  });
  // Sessions that are over by now: made while the clock stood earlier.
  t.clock.set('2026-11-01T09:00:00Z');
  d.pastSession = await s.sessions.createOneOff(oneOff('2026-11-10'));
  d.pastCancelledSession = await s.sessions.createOneOff(oneOff('2026-11-11'));
  await s.sessions.cancel(d.pastCancelledSession.id, 'Sjukdom');
  const early = await s.seniors.create(buildSenior(world.municipality.id));
  d.pastRegistration = await s.registrations.register(d.pastSession.id, { seniorId: early.id });
  t.clock.set(NOW);
  d.session = await s.sessions.createOneOff(oneOff('2026-12-01'));
  d.cancelledSession = await s.sessions.createOneOff(oneOff('2026-12-02'));
  await s.sessions.cancel(d.cancelledSession.id, 'Personalbrist');
  d.closure = (await s.series.addClosure({ municipalityId: d.municipality.id, venueId: null, name: 'Sportlov', startsOn: '2027-02-22', endsOn: '2027-02-26' })).closure;
  d.guide = await s.guides.create(buildGuide(d.association.id, d.municipality.id));
  d.senior = await s.seniors.create(buildSenior(d.municipality.id));
  d.otherSenior = await s.seniors.create(buildSenior(d.otherMunicipality.id));
  d.registration = await s.registrations.register(d.session.id, { seniorId: d.senior.id });
});

afterAll(() => t?.close());

// ---------------------------------------------------------------------------------------------
// The helper: snapshot every table, send, check the answer, snapshot again.
// ---------------------------------------------------------------------------------------------

/**
 * Per table: its row count and a digest of its rows (so an UPDATE that slips through shows too).
 * A token's last-used time is the one bookkeeping a refused request may touch: it says the
 * token was shown, not that anything the request asked for happened.
 */
async function snapshot(): Promise<Record<string, { rows: number; digest: string }>> {
  const out: Record<string, { rows: number; digest: string }> = {};
  for (const { tableName: name } of t.dataSource.entityMetadatas) {
    const rows: Record<string, unknown>[] = await t.dataSource.query(`SELECT * FROM "${name}"`);
    const digest = createHash('sha1')
      .update(rows.map(({ last_used_at: _ignored, ...r }) => JSON.stringify(r)).sort().join('\n'))
      .digest('hex');
    out[name] = { rows: rows.length, digest };
  }
  return out;
}

/** Routes (as "METHOD /api/v1/path") that a bad-input case has hit, to prove every endpoint has one. */
const hit: { method: string; path: string }[] = [];

/**
 * Sends `req` (a supertest request, sent only when awaited here) and asserts the refusal:
 * the status, the error shape, the machine-readable code, that `field` is named in the
 * details (null: no particular field is at fault), and that no table changed.
 * `counted: false` keeps the request out of the coverage check: the sweep of every operation
 * without (valid) credentials would otherwise "cover" each new route without a case of its own.
 */
async function expectRejected(req: request.Test, status: number, code: string, field: string | null, { counted = true } = {}) {
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
  for (const detail of res.body.error.details) expect(detail).toEqual({ field: expect.any(String), issue: expect.any(String) });
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
const bodyCases = (method: Method, path: () => string, valid: () => object, rows: BodyRow[]): Bad[] =>
  rows.map(([what, patch, field, status = 400, code = 'validation_failed']) => ({
    what, req: () => send(method, path(), mutate(valid(), patch)), status, code, field,
  }));

/** [what, query string, field, status = 400, code = validation_failed] */
type QueryRow = [string, string, string, number?, string?];
const queryCases = (path: () => string, rows: QueryRow[]): Bad[] =>
  rows.map(([what, query, field, status = 400, code = 'validation_failed']) => ({
    what, req: () => send('get', `${path()}?${query}`), status, code, field,
  }));

const refuses = (rows: Bad[]) =>
  it.each(rows)('refuses $what ($status $code, naming $field)', async ({ req, status, code, field }) => {
    await expectRejected(req(), status, code, field);
  });

const unknownId = () => randomUUID();

// Valid bodies, each made fresh.
const valid = {
  organisation: () => ({ name: 'Karlstads kommun', contactEmail: 'it-cafe@karlstad.se' }),
  contract: () => ({ municipalityId: d.municipality.id, associationId: d.association.id, reference: 'KS 2027/1', startsOn: '2027-01-01', endsOn: '2027-12-31' }),
  venue: () => buildVenue(d.municipality.id),
  travel: () => ({ toVenueId: d.venue2.id, minutes: 15 }),
  series: () => buildSeries(d.venue.id),
  session: () => ({ venueId: d.venue.id, date: '2026-12-08', startTime: '14:00', durationMinutes: 120, seats: 6 }),
  closure: () => ({ municipalityId: d.municipality.id, venueId: d.venue.id, name: 'Höstlov', startsOn: '2027-10-25', endsOn: '2027-10-29' }),
  guide: () => buildGuide(d.association.id, d.municipality.id),
  senior: () => buildSenior(d.municipality.id),
  registration: () => ({ seniorId: d.senior.id, topic: 'bankid' }),
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
      const req = send('post', '/municipalities').set('Content-Type', 'application/json').send('{"name": "Örebro kommun",');
      await expectRejected(req, 400, 'invalid_json', 'body');
    });

    it('refuses a JSON body that is not an object or array (a bare null) with 400 invalid_json', async () => {
      await expectRejected(send('post', '/municipalities').set('Content-Type', 'application/json').send('null'), 400, 'invalid_json', 'body');
    });

    it('refuses a body over 100 kB with 413 payload_too_large', async () => {
      await expectRejected(send('post', '/municipalities', { name: 'x'.repeat(110_000) }), 413, 'payload_too_large', null);
    });

    it('refuses JSON in a charset other than UTF-8 with 415 unsupported_media_type', async () => {
      const req = send('post', '/municipalities').set('Content-Type', 'application/json; charset=latin1').send('{"name":"Örebro"}');
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
    { name: 'POST /venues', method: 'post', path: () => '/venues' },
    { name: 'PATCH /venues/:id', method: 'patch', path: () => `/venues/${d.venue.id}` },
    { name: 'PUT /venues/:id/travel', method: 'put', path: () => `/venues/${d.venue.id}/travel` },
    { name: 'POST /series', method: 'post', path: () => '/series' },
    { name: 'PATCH /series/:id', method: 'patch', path: () => `/series/${d.series.id}` },
    { name: 'POST /sessions', method: 'post', path: () => '/sessions' },
    { name: 'PATCH /sessions/:id', method: 'patch', path: () => `/sessions/${d.session.id}` },
    { name: 'POST /sessions/:id/cancel', method: 'post', path: () => `/sessions/${d.session.id}/cancel` },
    { name: 'POST /closures', method: 'post', path: () => '/closures' },
    { name: 'POST /guides', method: 'post', path: () => '/guides' },
    { name: 'PATCH /guides/:id', method: 'patch', path: () => `/guides/${d.guide.id}` },
    { name: 'POST /seniors', method: 'post', path: () => '/seniors' },
    { name: 'PATCH /seniors/:id', method: 'patch', path: () => `/seniors/${d.senior.id}` },
    { name: 'POST /sessions/:id/registrations', method: 'post', path: () => `/sessions/${d.session.id}/registrations` },
    { name: 'POST /auth/login', method: 'post', path: () => '/auth/login' },
    { name: 'POST /auth/tokens', method: 'post', path: () => '/auth/tokens' },
    { name: 'POST /users', method: 'post', path: () => '/users' },
    { name: 'POST /guides/:id/links', method: 'post', path: () => `/guides/${d.guide.id}/links` },
  ];

  describe.each(writes)('$name', ({ method, path }) => {
    it('refuses invalid JSON with 400 invalid_json', async () => {
      await expectRejected(send(method, path()).set('Content-Type', 'application/json').send('{"name": '), 400, 'invalid_json', 'body');
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

  describe.each(writes.filter((w) => w.method === 'patch'))('$name', ({ path }) => {
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
    { name: 'PATCH /municipalities/:id', method: 'patch', path: (id) => `/municipalities/${id}`, body: () => ({ name: 'Ny' }) },
    { name: 'GET /associations/:id', method: 'get', path: (id) => `/associations/${id}` },
    { name: 'PATCH /associations/:id', method: 'patch', path: (id) => `/associations/${id}`, body: () => ({ name: 'Ny' }) },
    { name: 'GET /contracts/:id', method: 'get', path: (id) => `/contracts/${id}` },
    { name: 'GET /venues/:id', method: 'get', path: (id) => `/venues/${id}` },
    { name: 'PATCH /venues/:id', method: 'patch', path: (id) => `/venues/${id}`, body: () => ({ seats: 12 }) },
    { name: 'PUT /venues/:id/travel', method: 'put', path: (id) => `/venues/${id}/travel`, body: valid.travel },
    { name: 'GET /series/:id', method: 'get', path: (id) => `/series/${id}` },
    { name: 'PATCH /series/:id', method: 'patch', path: (id) => `/series/${id}`, body: () => ({ seats: 5 }) },
    { name: 'GET /sessions/:id', method: 'get', path: (id) => `/sessions/${id}` },
    { name: 'PATCH /sessions/:id', method: 'patch', path: (id) => `/sessions/${id}`, body: () => ({ seats: 5 }) },
    { name: 'POST /sessions/:id/cancel', method: 'post', path: (id) => `/sessions/${id}/cancel`, body: () => ({ reason: 'Sjukdom' }) },
    { name: 'POST /sessions/:id/restore', method: 'post', path: (id) => `/sessions/${id}/restore` },
    { name: 'GET /closures/:id', method: 'get', path: (id) => `/closures/${id}` },
    { name: 'DELETE /closures/:id', method: 'delete', path: (id) => `/closures/${id}` },
    { name: 'GET /guides/:id', method: 'get', path: (id) => `/guides/${id}` },
    { name: 'PATCH /guides/:id', method: 'patch', path: (id) => `/guides/${id}`, body: () => ({ maxHoursPerWeek: 4 }) },
    { name: 'GET /seniors/:id', method: 'get', path: (id) => `/seniors/${id}` },
    { name: 'PATCH /seniors/:id', method: 'patch', path: (id) => `/seniors/${id}`, body: () => ({ displayName: 'Ny' }) },
    { name: 'POST /sessions/:id/registrations', method: 'post', path: (id) => `/sessions/${id}/registrations`, body: valid.registration },
    { name: 'GET /sessions/:id/registrations', method: 'get', path: (id) => `/sessions/${id}/registrations` },
    { name: 'GET /registrations/:id', method: 'get', path: (id) => `/registrations/${id}` },
    { name: 'POST /registrations/:id/cancel', method: 'post', path: (id) => `/registrations/${id}/cancel` },
    { name: 'GET /municipalities/:id/weeks/:week', method: 'get', path: (id) => `/municipalities/${id}/weeks/2026-W49` },
    { name: 'DELETE /auth/tokens/:id', method: 'delete', path: (id) => `/auth/tokens/${id}` },
    { name: 'GET /seniors/:id/export', method: 'get', path: (id) => `/seniors/${id}/export` },
    { name: 'POST /seniors/:id/erase', method: 'post', path: (id) => `/seniors/${id}/erase` },
    { name: 'POST /guides/:id/links', method: 'post', path: (id) => `/guides/${id}/links`, body: () => ({ purpose: 'access' }) },
    { name: 'GET /guides/:id/links', method: 'get', path: (id) => `/guides/${id}/links` },
    { name: 'POST /guide-links/:id/revoke', method: 'post', path: (id) => `/guide-links/${id}/revoke` },
  ];

  describe.each(byId)('$name', ({ method, path, body }) => {
    it.each(['not-a-uuid', '12345', 'a8098c1a-f86e-11da-bd1a-00112444be1'])('refuses the malformed id "%s" with 400, naming params.id', async (id) => {
      await expectRejected(send(method, path(id), body?.()), 400, 'validation_failed', 'params.id');
    });

    it('answers a well-formed id that names nothing with 404 not_found, naming params.id', async () => {
      await expectRejected(send(method, path(unknownId()), body?.()), 404, 'not_found', 'params.id');
    });
  });

  // Every list: paging is checked the same way everywhere.
  const lists = ['/municipalities', '/associations', '/contracts', '/venues', '/series', '/sessions', '/closures', '/guides', '/seniors', '/audit'];
  describe.each(lists)('GET %s', (path) => {
    refuses(queryCases(() => path, [
      ['limit 0', 'limit=0', 'query.limit'],
      ['limit 10000', 'limit=10000', 'query.limit'],
      ['a limit that is not a number', 'limit=ten', 'query.limit'],
      ['a fractional limit', 'limit=2.5', 'query.limit'],
      ['a negative offset', 'offset=-1', 'query.offset'],
      ['an offset beyond any safe integer', 'offset=99999999999999999999', 'query.offset'],
      ['a limit given twice', 'limit=5&limit=6', 'query.limit'],
    ]));
  });
});

// ---------------------------------------------------------------------------------------------

describe('Municipalities and associations', () => {
  describe.each(['/municipalities', '/associations'])('POST %s', (path) => {
    refuses(bodyCases('post', () => path, valid.organisation, [
      ['a missing name', { name: undefined }, 'body.name'],
      ['a name that is a number', { name: 42 }, 'body.name'],
      ['a blank name', { name: '   ' }, 'body.name'],
      ['a name over 200 characters', { name: 'x'.repeat(201) }, 'body.name'],
      ['a contact e-mail that is not one', { contactEmail: 'it-cafe at kommun' }, 'body.contactEmail'],
      ['a contact e-mail given as an object', { contactEmail: { address: 'a@b.se' } }, 'body.contactEmail'],
    ]));
  });

  describe('PATCH /municipalities/:id', () => {
    refuses(bodyCases('patch', () => `/municipalities/${d.municipality.id}`, () => ({}), [
      ['a name that is a number', { name: 42 }, 'body.name'],
      ['a blank name', { name: '' }, 'body.name'],
      ['a contact e-mail that is not one', { contactEmail: 'nope' }, 'body.contactEmail'],
    ]));
  });

  it('answers a municipality asked for by an association id with 404 not_found', async () => {
    await expectRejected(send('get', `/municipalities/${d.association.id}`), 404, 'not_found', 'params.id');
  });

  it('refuses to change an association through the municipality route', async () => {
    await expectRejected(send('patch', `/municipalities/${d.association.id}`, { name: 'Kapad' }), 404, 'not_found', 'params.id');
  });
});

describe('Contracts', () => {
  describe('POST /contracts', () => {
    refuses(bodyCases('post', () => '/contracts', valid.contract, [
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
    ]));

    it('refuses a municipality given as the association (422 unknown_reference on body.associationId)', async () => {
      await expectRejected(send('post', '/contracts', mutate(valid.contract(), { associationId: d.municipality.id })), 422, 'unknown_reference', 'body.associationId');
    });

    it('refuses an association given as the municipality (422 unknown_reference on body.municipalityId)', async () => {
      await expectRejected(send('post', '/contracts', mutate(valid.contract(), { municipalityId: d.association.id })), 422, 'unknown_reference', 'body.municipalityId');
    });
  });

  describe('GET /contracts', () => {
    refuses(queryCases(() => '/contracts', [
      ['a malformed municipalityId filter', 'municipalityId=orebro', 'query.municipalityId'],
      ['a malformed associationId filter', 'associationId=42', 'query.associationId'],
    ]));
  });
});

describe('Venues and travel', () => {
  describe('POST /venues', () => {
    refuses(bodyCases('post', () => '/venues', valid.venue, [
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
    ]));

    it('refuses an association given as the municipality (422 unknown_reference)', async () => {
      await expectRejected(send('post', '/venues', buildVenue(d.association.id)), 422, 'unknown_reference', 'body.municipalityId');
    });
  });

  describe('PATCH /venues/:id', () => {
    refuses(bodyCases('patch', () => `/venues/${d.venue.id}`, () => ({}), [
      ['an unknown venue kind "castle"', { kind: 'castle' }, 'body.kind'],
      ['seats given as a string', { seats: '12' }, 'body.seats'],
      ['a null name', { name: null }, 'body.name'],
    ]));
  });

  describe('GET /venues', () => {
    refuses(queryCases(() => '/venues', [
      ['an active flag that is not true/false', 'active=maybe', 'query.active'],
      ['a malformed municipalityId filter', 'municipalityId=nope', 'query.municipalityId'],
    ]));
  });

  describe('PUT /venues/:id/travel', () => {
    refuses(bodyCases('put', () => `/venues/${d.venue.id}/travel`, valid.travel, [
      ['minutes given as a string', { minutes: '15' }, 'body.minutes'],
      ['negative minutes', { minutes: -5 }, 'body.minutes'],
      ['missing minutes', { minutes: undefined }, 'body.minutes'],
      ['a malformed toVenueId', { toVenueId: 'bibblan' }, 'body.toVenueId'],
      ['an unknown toVenueId', { toVenueId: unknownId() }, 'body.toVenueId', 422, 'unknown_reference'],
    ]));

    it('refuses travel from a venue to itself (422 same_venue)', async () => {
      await expectRejected(send('put', `/venues/${d.venue.id}/travel`, { toVenueId: d.venue.id, minutes: 0 }), 422, 'same_venue', 'body.toVenueId');
    });

    it('refuses travel to a venue of another municipality (422 unknown_reference)', async () => {
      await expectRejected(send('put', `/venues/${d.venue.id}/travel`, { toVenueId: d.otherVenue.id, minutes: 30 }), 422, 'unknown_reference', 'body.toVenueId');
    });
  });
});

describe('Series', () => {
  describe('POST /series', () => {
    refuses(bodyCases('post', () => '/series', valid.series, [
      ['an unknown weekday "funday"', { weekday: 'funday' }, 'body.weekday'],
      ['a start time of 25:00', { startTime: '25:00' }, 'body.startTime'],
      ['a start time without a leading zero', { startTime: '9:00' }, 'body.startTime'],
      ['an invalid time zone', { timeZone: 'Europe/Atlantis' }, 'body.timeZone'],
      ['an impossible firstDate 2027-02-30', { firstDate: '2027-02-30' }, 'body.firstDate'],
      ['an impossible anchorDate', { anchorDate: '2027-13-01' }, 'body.anchorDate'],
      ['a lastDate before firstDate', { firstDate: '2027-06-01', lastDate: '2027-05-01' }, 'body.lastDate'],
      ['a span over ten years', { firstDate: '2027-01-05', lastDate: '2038-01-05' }, 'body.lastDate'],
      ['a span of ten years and 51 weeks (the years differ by only ten)', { firstDate: '2027-01-05', lastDate: '2037-12-28' }, 'body.lastDate'],
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
    ]));
  });

  describe('PATCH /series/:id', () => {
    refuses(bodyCases('patch', () => `/series/${d.series.id}`, () => ({}), [
      ['an unknown weekday "funday"', { weekday: 'funday' }, 'body.weekday'],
      ['a start time of 25:00', { startTime: '25:00' }, 'body.startTime'],
      ['an invalid time zone', { timeZone: 'Stockholm' }, 'body.timeZone'],
      ['minGuides 1', { minGuides: 1 }, 'body.minGuides'],
      ['maxGuides below minGuides, both given', { minGuides: 5, maxGuides: 3 }, 'body.maxGuides'],
      ['a lastDate before firstDate, both given', { firstDate: '2027-03-01', lastDate: '2027-02-01' }, 'body.lastDate'],
      ['an impossible lastDate 2027-02-30', { lastDate: '2027-02-30' }, 'body.lastDate'],
      ['a lastDate before the stored firstDate', { lastDate: '2026-12-31' }, 'body.lastDate', 422, 'invalid_series'],
      ['a minGuides above the stored maxGuides', { minGuides: 5 }, 'body.maxGuides', 422, 'invalid_series'],
      ['an unknown venueId', { venueId: unknownId() }, 'body.venueId', 422, 'unknown_reference'],
    ]));

    it('refuses a lastDate that stretches the series over ten years, as creating one does', async () => {
      const { series } = await t.services.series.create(buildSeries(d.venue2.id, { firstDate: '2027-01-05', lastDate: '2027-03-30' }));
      await expectRejected(send('patch', `/series/${series.id}`, { lastDate: '2040-06-15' }), 422, 'invalid_series', 'body.lastDate');
    });

    it('refuses a venue of another municipality (422 unknown_reference)', async () => {
      await expectRejected(send('patch', `/series/${d.series.id}`, { venueId: d.otherVenue.id }), 422, 'unknown_reference', 'body.venueId');
    });
  });

  describe('GET /series', () => {
    refuses(queryCases(() => '/series', [
      ['a malformed venueId filter', 'venueId=abc', 'query.venueId'],
      ['a malformed municipalityId filter', 'municipalityId=abc', 'query.municipalityId'],
    ]));
  });
});

describe('Sessions', () => {
  describe('POST /sessions (one-off)', () => {
    refuses(bodyCases('post', () => '/sessions', valid.session, [
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
    ]));
  });

  describe('PATCH /sessions/:id', () => {
    refuses(bodyCases('patch', () => `/sessions/${d.session.id}`, () => ({}), [
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
    ]));

    it('refuses a move to a venue of another municipality (422 unknown_reference)', async () => {
      await expectRejected(send('patch', `/sessions/${d.session.id}`, { venueId: d.otherVenue.id }), 422, 'unknown_reference', 'body.venueId');
    });

    it('refuses to change a session that is over (409 session_over)', async () => {
      await expectRejected(send('patch', `/sessions/${d.pastSession.id}`, { seats: 6 }), 409, 'session_over', null);
    });
  });

  describe('POST /sessions/:id/cancel', () => {
    refuses(bodyCases('post', () => `/sessions/${d.session.id}/cancel`, () => ({ reason: 'Sjukdom' }), [
      ['a missing reason', { reason: undefined }, 'body.reason'],
      ['a blank reason', { reason: '   ' }, 'body.reason'],
      ['a reason that is a number', { reason: 404 }, 'body.reason'],
      ['a reason over 500 characters', { reason: 'x'.repeat(501) }, 'body.reason'],
    ]));

    it('refuses to cancel a session that is over (409 session_over)', async () => {
      await expectRejected(send('post', `/sessions/${d.pastSession.id}/cancel`, { reason: 'För sent' }), 409, 'session_over', null);
    });
  });

  describe('POST /sessions/:id/restore', () => {
    it('refuses to restore a cancelled session that is over (409 session_over)', async () => {
      await expectRejected(send('post', `/sessions/${d.pastCancelledSession.id}/restore`), 409, 'session_over', null);
    });
  });

  describe('GET /sessions', () => {
    refuses(queryCases(() => '/sessions', [
      ['a to before from', 'from=2027-02-01&to=2027-01-31', 'query.to'],
      ['an impossible from date 2027-02-30', 'from=2027-02-30', 'query.from'],
      ['a to that is not a date', 'to=tomorrow', 'query.to'],
      ['an unknown status', 'status=deleted', 'query.status'],
      ['a malformed venueId filter', 'venueId=1', 'query.venueId'],
      ['a malformed seriesId filter', 'seriesId=1', 'query.seriesId'],
      ['a malformed municipalityId filter', 'municipalityId=1', 'query.municipalityId'],
    ]));
  });
});

describe('Closures', () => {
  describe('POST /closures', () => {
    refuses(bodyCases('post', () => '/closures', valid.closure, [
      ['an endsOn before startsOn', { startsOn: '2027-10-29', endsOn: '2027-10-25' }, 'body.endsOn'],
      ['an impossible startsOn 2027-02-30', { startsOn: '2027-02-30' }, 'body.startsOn'],
      ['a missing name', { name: undefined }, 'body.name'],
      ['a name that is a number', { name: 2027 }, 'body.name'],
      ['a startsOn given as a number', { startsOn: 20271025 }, 'body.startsOn'],
      ['a malformed venueId', { venueId: 'all' }, 'body.venueId'],
      ['an unknown municipalityId', { municipalityId: unknownId() }, 'body.municipalityId', 422, 'unknown_reference'],
      ['an unknown venueId', { venueId: unknownId() }, 'body.venueId', 422, 'unknown_reference'],
    ]));

    it('refuses a venue of another municipality (422 unknown_reference)', async () => {
      await expectRejected(send('post', '/closures', mutate(valid.closure(), { venueId: d.otherVenue.id })), 422, 'unknown_reference', 'body.venueId');
    });

    it('refuses an association given as the municipality (422 unknown_reference)', async () => {
      await expectRejected(send('post', '/closures', mutate(valid.closure(), { municipalityId: d.association.id, venueId: null })), 422, 'unknown_reference', 'body.municipalityId');
    });
  });

  describe('GET /closures', () => {
    refuses(queryCases(() => '/closures', [['a malformed municipalityId filter', 'municipalityId=alla', 'query.municipalityId']]));
  });
});

describe('Guides', () => {
  describe('POST /guides', () => {
    refuses(bodyCases('post', () => '/guides', valid.guide, [
      ['an unknown platform "symbian"', { platforms: [{ platform: 'symbian', level: 'good' }] }, 'body.platforms.0.platform'],
      ['the same platform twice', { platforms: [{ platform: 'ios', level: 'good' }, { platform: 'ios', level: 'basic' }] }, 'body.platforms.1'],
      ['no platforms at all', { platforms: [] }, 'body.platforms'],
      ['an unknown platform level', { platforms: [{ platform: 'ios', level: 'wizard' }] }, 'body.platforms.0.level'],
      ['platforms given as an object', { platforms: { platform: 'ios', level: 'good' } }, 'body.platforms'],
      ['the same language twice', { languages: [{ language: 'ar', level: 'native' }, { language: 'ar', level: 'B1' }] }, 'body.languages.1'],
      ['a language that is not a code', { languages: [{ language: 'Arabic', level: 'native' }] }, 'body.languages.0.language'],
      ['an unknown Swedish level', { swedishLevel: 'fluent' }, 'body.swedishLevel'],
      ['an unknown weekday "funday"', { availability: [{ weekday: 'funday', start: '13:00', end: '18:00' }] }, 'body.availability.0.weekday'],
      ['a window starting at 25:00', { availability: [{ weekday: 'tue', start: '25:00', end: '26:00' }] }, 'body.availability.0.start'],
      ['a window that ends before it starts', { availability: [{ weekday: 'tue', start: '18:00', end: '13:00' }] }, 'body.availability.0.end'],
      ['an impossible startDate 2027-02-30', { startDate: '2027-02-30' }, 'body.startDate'],
      ['an unavailable date listed twice', { unavailableDates: [{ date: '2026-12-24' }, { date: '2026-12-24' }] }, 'body.unavailableDates.1'],
      ['maxHoursPerWeek given as a string', { maxHoursPerWeek: '6' }, 'body.maxHoursPerWeek'],
      ['maxHoursPerWeek not in half hours', { maxHoursPerWeek: 2.25 }, 'body.maxHoursPerWeek'],
      ['a name that is a number', { name: 7 }, 'body.name'],
      ['an e-mail that is not one', { email: 'guide.example.org' }, 'body.email'],
      ['a phone that is not one', { phone: 'ring mig' }, 'body.phone'],
      ['a missing email', { email: undefined }, 'body.email'],
      ['an unknown associationId', { associationId: unknownId() }, 'body.associationId', 422, 'unknown_reference'],
      ['an unknown municipalityId', { municipalityId: unknownId() }, 'body.municipalityId', 422, 'unknown_reference'],
    ]));

    it('refuses a guide whose availability windows overlap, naming the window', async () => {
      const body = buildGuide(d.association.id, d.municipality.id, {
        availability: [
          { weekday: 'tue', start: '13:00', end: '18:00' },
          { weekday: 'wed', start: '13:00', end: '18:00' },
          { weekday: 'tue', start: '17:00', end: '19:00' },
        ],
      });
      const res = await expectRejected(send('post', '/guides', body), 400, 'validation_failed', 'body.availability.2');
      expect(res.body.error.details).toEqual([{ field: 'body.availability.2', issue: expect.stringContaining('overlaps window 0') }]);
    });

    it('refuses the municipality and association swapped (422 unknown_reference)', async () => {
      const body = buildGuide(d.municipality.id, d.association.id);
      await expectRejected(send('post', '/guides', body), 422, 'unknown_reference', 'body.associationId');
    });
  });

  describe('PATCH /guides/:id', () => {
    refuses(bodyCases('patch', () => `/guides/${d.guide.id}`, () => ({}), [
      ['overlapping availability windows', { availability: [{ weekday: 'mon', start: '10:00', end: '12:00' }, { weekday: 'mon', start: '11:59', end: '13:00' }] }, 'body.availability.1'],
      ['an unknown platform "symbian"', { platforms: [{ platform: 'symbian', level: 'basic' }] }, 'body.platforms.0.platform'],
      ['the same platform twice', { platforms: [{ platform: 'android', level: 'good' }, { platform: 'android', level: 'good' }] }, 'body.platforms.1'],
      ['an empty platform list', { platforms: [] }, 'body.platforms'],
      ['active given as a string', { active: 'false' }, 'body.active'],
      ['an end time of 25:00', { availability: [{ weekday: 'fri', start: '10:00', end: '25:00' }] }, 'body.availability.0.end'],
    ]));
  });

  describe('GET /guides', () => {
    refuses(queryCases(() => '/guides', [
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
    ]));
  });
});

describe('Seniors', () => {
  describe('POST /seniors', () => {
    refuses(bodyCases('post', () => '/seniors', valid.senior, [
      ['a device on an unknown platform "symbian"', { devices: [{ platform: 'symbian', kind: 'phone' }] }, 'body.devices.0.platform'],
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
    ]));
  });

  describe('PATCH /seniors/:id', () => {
    refuses(bodyCases('patch', () => `/seniors/${d.senior.id}`, () => ({}), [
      ['a device on an unknown platform "symbian"', { devices: [{ platform: 'symbian', kind: 'phone' }] }, 'body.devices.0.platform'],
      ['a null consentGivenAt', { consentGivenAt: null }, 'body.consentGivenAt'],
      ['a blank display name', { displayName: ' ' }, 'body.displayName'],
      ['an unknown gender', { gender: 'robot' }, 'body.gender'],
    ]));
  });

  describe('GET /seniors', () => {
    refuses(queryCases(() => '/seniors', [
      ['an empty search', 'q=', 'query.q'],
      ['a search over 60 characters', `q=${'a'.repeat(61)}`, 'query.q'],
      ['a malformed municipalityId filter', 'municipalityId=1', 'query.municipalityId'],
    ]));
  });
});

describe('Registrations', () => {
  const registrationsOf = async (sessionId: string, seniorId: string) =>
    t.dataSource.getRepository(Registration).countBy({ sessionId, seniorId });

  describe('POST /sessions/:id/registrations', () => {
    refuses(bodyCases('post', () => `/sessions/${d.session.id}/registrations`, () => ({ seniorId: d.otherSenior.id }), [
      ['a missing seniorId', { seniorId: undefined }, 'body.seniorId'],
      ['a seniorId that is a number', { seniorId: 42 }, 'body.seniorId'],
      ['an empty device list', { devices: [] }, 'body.devices'],
      ['a device on an unknown platform "symbian"', { devices: [{ platform: 'symbian', kind: 'phone' }] }, 'body.devices.0.platform'],
      ['an unknown topic', { topic: 'gaming' }, 'body.topic'],
      ['an unknown seniorId', { seniorId: unknownId() }, 'body.seniorId', 422, 'unknown_reference'],
      ['a senior of another municipality', {}, 'body.seniorId', 422, 'unknown_reference'],
    ]));

    it('refuses to register a senior twice (409 already_registered), and keeps one registration row', async () => {
      expect(await registrationsOf(d.session.id, d.senior.id)).toBe(1);
      await expectRejected(send('post', `/sessions/${d.session.id}/registrations`, { seniorId: d.senior.id }), 409, 'already_registered', 'body.seniorId');
      expect(await registrationsOf(d.session.id, d.senior.id)).toBe(1);
    });

    it('refuses a registration for a cancelled session (409 session_cancelled)', async () => {
      await expectRejected(send('post', `/sessions/${d.cancelledSession.id}/registrations`, { seniorId: d.senior.id }), 409, 'session_cancelled', null);
      expect(await registrationsOf(d.cancelledSession.id, d.senior.id)).toBe(0);
    });

    it('refuses a registration for a session that is over (409 session_over)', async () => {
      await expectRejected(send('post', `/sessions/${d.pastSession.id}/registrations`, { seniorId: d.senior.id }), 409, 'session_over', null);
    });
  });

  describe('POST /registrations/:id/cancel', () => {
    it('refuses to cancel a registration for a session that is over (409 session_over): the seat was history', async () => {
      await expectRejected(send('post', `/registrations/${d.pastRegistration.id}/cancel`), 409, 'session_over', null);
    });
  });

  describe('GET /sessions/:id/registrations', () => {
    refuses(queryCases(() => `/sessions/${d.session.id}/registrations`, [['an unknown status', 'status=gone', 'query.status']]));
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
  ])('refuses the invalid ISO week "%s" (%s) with 400, naming params.week', async (w) => {
    await expectRejected(week(w), 400, 'validation_failed', 'params.week');
  });

  it('answers the week of an association (not a municipality) with 404 not_found', async () => {
    await expectRejected(week('2026-W49', d.association.id), 404, 'not_found', 'params.id');
  });
});

// ---------------------------------------------------------------------------------------------

describe('Coverage of this file', () => {
  it('has sent bad input to every operation in the OpenAPI document', async () => {
    const doc = (await api().get('/api/v1/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path })));
    const missing = operations.filter(({ method, path }) => {
      const re = new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      return !hit.some((h) => h.method === method && re.test(h.path));
    });
    expect(missing.map((o) => `${o.method} ${o.path}`)).toEqual([]);
  });
});
