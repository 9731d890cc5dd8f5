import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { snapshot as takeSnapshot } from '../support/snapshot';
import { Assignment, GuideLink, OutboxMessage, OutboxSession, User } from '../../src/db/entities';
import type { Role } from '../../src/domain/access';
import { ReportBody } from '../../src/contract/attendance';
import type { CreateSession } from '../../src/contract/planning';
import { LinkSigner } from '../../src/lib/tokens';
import { MESSAGE_KINDS } from '../../src/mail/previews';
import type { Services } from '../../src/services';
import { type NewMessage, OutboxService } from '../../src/services/outbox.service';
import { buildGuide, buildSenior, buildSeries, buildVenue } from '../factories';
import { createTestApp, PASSWORD, type TestApp } from '../support/app';

/**
 * Isolation, tried as each role would. Two complete worlds, A and B: a municipality, an
 * association with a contract between them, venues, a series with its sessions, a closure, a
 * guide with a signed link, a senior and a registration, the guide put on the session by hand, a draft
 * plan of that week, a second guide who is free, an e-mail in the outbox, and two cafés that are over,
 * the senior seated at both: one not reported yet, one reported. A coordinator of one municipality
 * cannot read, list, change or infer anything of the other: what names the other's things is
 * answered exactly as what names nothing at all, and nothing is written. Viewers and
 * association staff see what their role allows and no more.
 *
 * The matrix below has a case for every operation of the OpenAPI document; a route added
 * without one fails "Coverage of the matrix".
 */

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Req = { method: Method; path: string; body?: object };

const NOW = '2026-11-24T09:00:00Z';
/** The ISO week holding each world's one-off session (Tuesday 1 December 2026) and its registration. */
const WEEK = '2026-W49';
const LINK_DAYS = 90;
/** The period each world's plan covers: the week of its one-off session. */
const PLAN = { from: '2026-11-30', to: '2026-12-06' };
/** The reporting period holding each world's cafés that are over (10 and 17 November 2026). */
const PERIOD = '2026-Q4';
/** The job POST /jobs/{name}/run is called with. */
const JOB = 'weekly';
const PUBLIC_OPS = [
  'POST /api/v1/auth/login',
  'POST /api/v1/guide/absences',
  'POST /api/v1/guide/absences/preview',
  'PUT /api/v1/guide/availability',
  'POST /api/v1/auth/password-reset',
  'GET /api/v1/auth/password-links/{token}',
  'POST /api/v1/auth/password-links/{token}',
  'GET /api/v1/guide/me',
  'POST /api/v1/guide/calendar',
  'GET /api/v1/answers/{token}',
  'POST /api/v1/answers/{token}',
  'GET /api/v1/guide/sessions/{id}/report-form',
  'GET /api/v1/guide/seniors',
  'POST /api/v1/guide/sessions/{id}/report',
  'PUT /api/v1/guide/sessions/{id}/report',
  'GET /api/v1/guide/sessions/{id}/queue',
  'POST /api/v1/guide/sessions/{id}/queue',
  'PATCH /api/v1/guide/sessions/{id}/queue/{entryId}',
];

let t: TestApp;

// ---------------------------------------------------------------------------------------------
// Two worlds
// ---------------------------------------------------------------------------------------------

type Account = Awaited<ReturnType<typeof account>>;
type World = Awaited<ReturnType<typeof buildWorld>>;

let accounts = 0;
/** A user of a role, with a known e-mail (to log in) and an API token whose id is known (to revoke). */
async function account(role: Role, organisationId: string | null) {
  const email = `${role}-${++accounts}-${randomUUID().slice(0, 8)}@isolation.example`;
  const user = await t.services.auth.createUser({ email, password: PASSWORD, role, organisationId });
  const { token, row } = await t.services.auth.createApiToken(user.id, 'isolation tests');
  return { user, email, token, tokenId: row.id };
}

const NAMES = {
  A: {
    municipality: 'Alingsås kommun',
    association: 'Föreningen Alfa',
    guide: 'Amina Alfasdotter',
    guide2: 'Arvid Alfasson',
    senior: 'Astrid Alfasdotter',
    phone: '070-111 11 11',
  },
  B: {
    municipality: 'Bollnäs kommun',
    association: 'Föreningen Beta',
    guide: 'Bashir Betasson',
    guide2: 'Bodil Betasdotter',
    senior: 'Birger Betasson',
    phone: '073-999 88 77',
  },
};

/** Puts a message in the outbox (as the services do, in a transaction) and returns its row. */
async function enqueue(msg: NewMessage) {
  await t.store.transaction((m) => OutboxService.enqueue(m, t.clock.now(), msg));
  return t.dataSource.getRepository(OutboxMessage).findOneByOrFail({ idempotencyKey: msg.idempotencyKey });
}

async function buildWorld(s: Services, label: 'A' | 'B') {
  const names = NAMES[label];
  const municipality = await s.organisations.create('municipality', { name: names.municipality, contactEmail: null });
  const association = await s.organisations.create('association', { name: names.association, contactEmail: null });
  const contract = await s.organisations.createContract({
    municipalityId: municipality.id,
    associationId: association.id,
    reference: `KS 2026/${label}`,
    startsOn: '2026-01-01',
    endsOn: '2027-12-31',
    reportingPeriod: 'quarter',
  });
  const venue = await s.venues.create(buildVenue(municipality.id, { name: `Biblioteket i ${names.municipality}` }));
  const venue2 = await s.venues.create(buildVenue(municipality.id, { name: `Medborgarhuset i ${names.municipality}` }));
  const series = (await s.series.create(buildSeries(venue.id))).series;
  const oneOff = (date: string): CreateSession => ({
    venueId: venue.id,
    date,
    startTime: '14:00',
    durationMinutes: 120,
    timeZone: 'Europe/Stockholm',
    seats: 4,
    minGuides: 2,
    maxGuides: 3,
    theme: null,
  });
  const session = await s.sessions.createOneOff(oneOff('2026-12-01'));
  const cancelledSession = await s.sessions.createOneOff(oneOff('2026-12-02'));
  await s.sessions.cancel(cancelledSession.id, 'Personalbrist');
  const closure = (
    await s.series.addClosure({
      municipalityId: municipality.id,
      venueId: null,
      name: 'Sportlov',
      startsOn: '2027-02-22',
      endsOn: '2027-02-26',
    })
  ).closure;
  const guide = await s.guides.create(buildGuide(association.id, municipality.id, { name: names.guide }));
  const senior = await s.seniors.create(
    buildSenior(municipality.id, { displayName: names.senior, phone: names.phone }),
  );
  const registration = await s.registrations.register(session.id, { seniorId: senior.id });
  // A regular place at the series, from far ahead (its sessions there are not the ones other cases use).
  const { regular } = await s.regulars.add({ seniorId: senior.id, seriesId: series.id, fromDate: '2027-06-01' });
  const link = await s.guideLinks.issue(guide.id, 'access');
  const coordinator = await account('coordinator', municipality.id);
  // The matching engine: the guide (free on Tuesday afternoons, as the session is) put on the session by
  // hand, a draft plan of its week, and then a second guide, free too and on nothing yet.
  const assignment = await s.planning.assign(session.id, guide.id);
  const { plan } = await s.planning.plan(municipality.id, { from: PLAN.from, to: PLAN.to, seed: 1, timeLimitMs: 200 });
  const guide2 = await s.guides.create(buildGuide(association.id, municipality.id, { name: names.guide2 }));
  const message = await enqueue({
    idempotencyKey: `isolation:${label}`,
    kind: 'weekly',
    municipalityId: municipality.id,
    to: `guide-${label.toLowerCase()}@isolation.example`,
    fromName: names.association,
    subject: `Ditt schema vecka 49 i ${names.municipality}`,
    text: 'Hej!',
    html: '<p>Hej!</p>',
    // To the world's guide, about its session: the outbox is listed by either.
    guideId: guide.id,
    sessionIds: [session.id],
  });
  // Attendance: two cafés that are over (made while the clock stood earlier), the senior seated at both.
  // The first is not reported yet; the second is (revision 1): the senior came, the guide worked.
  t.clock.set('2026-11-01T09:00:00Z');
  let pastSession: { id: string };
  let reportedSession: { id: string };
  try {
    pastSession = await s.sessions.createOneOff(oneOff('2026-11-10'));
    reportedSession = await s.sessions.createOneOff(oneOff('2026-11-17'));
    for (const past of [pastSession, reportedSession]) await s.registrations.register(past.id, { seniorId: senior.id });
  } finally {
    t.clock.set(NOW);
  }
  const { report } = await s.attendance.create(
    reportedSession.id,
    ReportBody.parse({
      came: [senior.id],
      guides: [{ guideId: guide.id, start: '14:00', end: '16:00' }],
      help: { topics: { bankid: 1 } },
      dayReport: `Lugnt i ${names.municipality}.`,
    }),
  );
  return {
    label,
    names,
    municipality,
    association,
    contract,
    venue,
    venue2,
    series,
    session,
    cancelledSession,
    closure,
    guide,
    guide2,
    senior,
    registration,
    regular,
    link: { id: link.link.id, token: link.token },
    coordinator,
    assignment,
    plan,
    message: { id: message.id, to: message.toAddress },
    pastSession,
    reportedSession,
    report: { id: report.id },
  };
}

/** Everything that would identify a world in an answer: its ids and its names. */
const fingerprints = (w: World) => [
  w.municipality.id,
  w.association.id,
  w.contract.id,
  w.venue.id,
  w.venue2.id,
  w.series.id,
  w.session.id,
  w.cancelledSession.id,
  w.closure.id,
  w.guide.id,
  w.guide2.id,
  w.senior.id,
  w.registration.id,
  w.link.id,
  w.coordinator.user.id,
  w.coordinator.tokenId,
  w.assignment.id,
  w.plan.id,
  w.message.id,
  w.message.to,
  w.pastSession.id,
  w.reportedSession.id,
  w.report.id,
  w.names.municipality,
  w.names.association,
  w.names.guide,
  w.names.guide2,
  w.names.senior,
  w.names.phone,
];

const W = {} as { A: World; B: World };
const tok = {} as { viewerA: Account; staffA: Account };
/** An e-mail of no municipality (the installation's own): only an admin sees or resends it. */
let installationMessage: { id: string };

beforeAll(async () => {
  t = await createTestApp(NOW);
  W.A = await buildWorld(t.services, 'A');
  W.B = await buildWorld(t.services, 'B');
  installationMessage = await enqueue({
    idempotencyKey: 'isolation:installation',
    kind: 'digest',
    municipalityId: null,
    to: 'drift@isolation.example',
    fromName: 'Bryggan',
    subject: 'Driftrapport',
    text: 'Hej!',
    html: '<p>Hej!</p>',
  });
  tok.viewerA = await account('viewer', W.A.municipality.id);
  tok.staffA = await account('association_staff', W.A.association.id);
});

afterAll(() => t?.close());

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const P = (path: string) => `/api/v1${path}`;
const anon = () => request(t.app);

function send(token: string | null, r: Req): request.Test {
  const agent = token === null ? anon() : t.http(token);
  const q = agent[r.method](r.path);
  return r.body === undefined ? q : q.send(r.body);
}

/** "GET /api/v1/venues/{id}" and an id → the request; {week} becomes WEEK, {period} PERIOD, {name} JOB. */
function fromOp(op: string, id?: string, body?: object): Req {
  const [method, path] = op.split(' ');
  return {
    method: method.toLowerCase() as Method,
    path: path
      .replace('{id}', id ?? '')
      .replace('{week}', WEEK)
      .replace('{period}', PERIOD)
      .replace('{name}', JOB)
      .replace('{date}', '2027-01-05'),
    body,
  };
}

/** The request with a query string added (`month=2026-12`). */
function withQuery(r: Req, query?: string): Req {
  return query ? { ...r, path: `${r.path}?${query}` } : r;
}

/** The same request with one id replaced (in the path and the body). */
function swap(r: Req, from: string, to: string): Req {
  return JSON.parse(JSON.stringify(r).split(from).join(to)) as Req;
}

const snapshot = () => takeSnapshot(t.dataSource);

const fieldsOf = (body: { error?: { details?: { field: string }[] } }) =>
  (body.error?.details ?? []).map((d) => d.field);
const errorOf = (res: request.Response) => ({ status: res.status, code: res.body?.error?.code as string | undefined });

/**
 * Sends `req` naming `foreignId` and the same request naming a random UUID instead; both must be
 * refused with `status`/`code` (naming `field`), alike (the bodies equal once the id is blanked
 * out), and nothing in the database may change.
 */
async function expectRefusedAlike(
  token: string | null,
  req: Req,
  foreignId: string,
  status: number,
  code: string,
  field: string | null,
) {
  const decoyId = randomUUID();
  const decoy = swap(req, foreignId, decoyId);
  const before = await snapshot();
  const real = await send(token, req);
  const fake = await send(token, decoy);
  const after = await snapshot();

  expect(errorOf(real)).toEqual({ status, code });
  expect(errorOf(fake)).toEqual(errorOf(real));
  expect(JSON.stringify(real.body).split(foreignId).join('<id>')).toEqual(
    JSON.stringify(fake.body).split(decoyId).join('<id>'),
  );
  if (field !== null) expect(fieldsOf(real.body)).toContain(field);
  expect(after).toEqual(before);
}

/** The role may not do this at all: 403 forbidden, and nothing written. */
async function expectForbidden(token: string, req: Req) {
  const before = await snapshot();
  const res = await send(token, req);
  const after = await snapshot();
  expect(errorOf(res)).toEqual({ status: 403, code: 'forbidden' });
  expect(after).toEqual(before);
}

const expectNoTraceOf = (w: World, text: string) => {
  const found = fingerprints(w).filter((f) => text.includes(f));
  expect(found).toEqual([]);
};

const ids = (body: { items: { id: string }[] }) => body.items.map((i) => i.id);

// ---------------------------------------------------------------------------------------------
// The matrix: one or more cases for every operation in the OpenAPI document
// ---------------------------------------------------------------------------------------------

/** The path names something of the other world. `refusal: 403`: coordinators may not call it at all. */
interface ByPathId {
  op: string;
  id: (other: World) => string;
  body?: (other: World) => object;
  /** A valid query string, where the operation needs one. */
  query?: string;
  refusal?: 403;
}

const byPathId: ByPathId[] = [
  { op: 'DELETE /api/v1/auth/tokens/{id}', id: (o) => o.coordinator.tokenId },
  { op: 'GET /api/v1/municipalities/{id}', id: (o) => o.municipality.id },
  {
    op: 'PATCH /api/v1/municipalities/{id}',
    id: (o) => o.municipality.id,
    body: () => ({ name: 'Övertaget' }),
    refusal: 403,
  },
  { op: 'GET /api/v1/municipalities/{id}/weeks/{week}', id: (o) => o.municipality.id },
  { op: 'GET /api/v1/municipalities/{id}/weeks/{week}/plan', id: (o) => o.municipality.id },
  { op: 'GET /api/v1/associations/{id}', id: (o) => o.association.id },
  {
    op: 'PATCH /api/v1/associations/{id}',
    id: (o) => o.association.id,
    body: () => ({ name: 'Övertaget' }),
    refusal: 403,
  },
  { op: 'GET /api/v1/contracts/{id}', id: (o) => o.contract.id },
  {
    op: 'PATCH /api/v1/contracts/{id}',
    id: (o) => o.contract.id,
    body: () => ({ endsOn: '2030-12-31' }),
    refusal: 403,
  },
  { op: 'GET /api/v1/venues/{id}', id: (o) => o.venue.id },
  { op: 'PATCH /api/v1/venues/{id}', id: (o) => o.venue.id, body: () => ({ seats: 12 }) },
  {
    op: 'PUT /api/v1/venues/{id}/travel',
    id: (o) => o.venue.id,
    body: (o) => ({ toVenueId: o.venue2.id, minutes: 15 }),
  },
  { op: 'GET /api/v1/series/{id}', id: (o) => o.series.id },
  { op: 'PATCH /api/v1/series/{id}', id: (o) => o.series.id, body: () => ({ seats: 9 }) },
  { op: 'POST /api/v1/series/{id}/preview', id: (o) => o.series.id, body: () => ({ seats: 9 }) },
  { op: 'POST /api/v1/series/{id}/archive', id: (o) => o.series.id, body: () => ({}) },
  { op: 'POST /api/v1/series/{id}/archive/preview', id: (o) => o.series.id, body: () => ({}) },
  { op: 'GET /api/v1/sessions/{id}', id: (o) => o.session.id },
  { op: 'PATCH /api/v1/sessions/{id}', id: (o) => o.session.id, body: () => ({ seats: 6 }) },
  { op: 'POST /api/v1/sessions/{id}/cancel', id: (o) => o.session.id, body: () => ({ reason: 'Sjukdom' }) },
  { op: 'POST /api/v1/sessions/{id}/restore', id: (o) => o.cancelledSession.id },
  { op: 'GET /api/v1/closures/{id}', id: (o) => o.closure.id },
  { op: 'DELETE /api/v1/closures/{id}', id: (o) => o.closure.id },
  { op: 'POST /api/v1/closures/{id}/removal/preview', id: (o) => o.closure.id },
  { op: 'GET /api/v1/guides/{id}', id: (o) => o.guide.id },
  {
    op: 'POST /api/v1/guides/{id}/absences',
    id: (o) => o.guide.id,
    body: () => ({ from: '2027-01-05', to: '2027-01-06' }),
  },
  {
    op: 'POST /api/v1/guides/{id}/absences/preview',
    id: (o) => o.guide.id,
    body: () => ({ from: '2026-11-30', to: '2026-12-06' }),
  },
  { op: 'DELETE /api/v1/guides/{id}/absences/{date}', id: (o) => o.guide.id },
  {
    op: 'PUT /api/v1/guides/{id}/availability',
    id: (o) => o.guide.id,
    body: () => ({ windows: [{ weekday: 'sun', start: '10:00', end: '12:00' }] }),
  },
  { op: 'PATCH /api/v1/guides/{id}', id: (o) => o.guide.id, body: () => ({ active: false }) },
  { op: 'POST /api/v1/guides/{id}/links', id: (o) => o.guide.id, body: () => ({ purpose: 'access' }) },
  { op: 'GET /api/v1/guides/{id}/links', id: (o) => o.guide.id },
  { op: 'POST /api/v1/guide-links/{id}/revoke', id: (o) => o.link.id },
  { op: 'GET /api/v1/seniors/{id}', id: (o) => o.senior.id },
  { op: 'PATCH /api/v1/seniors/{id}', id: (o) => o.senior.id, body: () => ({ displayName: 'Övertagen' }) },
  { op: 'GET /api/v1/seniors/{id}/export', id: (o) => o.senior.id },
  { op: 'POST /api/v1/seniors/{id}/erase', id: (o) => o.senior.id },
  { op: 'POST /api/v1/sessions/{id}/registrations', id: (o) => o.session.id, body: (o) => ({ seniorId: o.senior.id }) },
  { op: 'GET /api/v1/sessions/{id}/registrations', id: (o) => o.session.id },
  { op: 'GET /api/v1/registrations/{id}', id: (o) => o.registration.id },
  { op: 'GET /api/v1/seniors/{id}/regulars', id: (o) => o.senior.id },
  ...(['guides', 'seniors'] as const).flatMap((kind) => [
    ...(['csv', 'xlsx'] as const).map((format) => ({
      op: `GET /api/v1/municipalities/{id}/exports/${kind}.${format}`,
      id: (o: World) => o.municipality.id,
    })),
  ]),
  { op: 'GET /api/v1/seniors/{id}/sessions', id: (o) => o.senior.id },
  { op: 'POST /api/v1/regulars/{id}/end', id: (o) => o.regular.id, body: () => ({ fromDate: '2027-01-05' }) },
  { op: 'POST /api/v1/registrations/{id}/cancel', id: (o) => o.registration.id },
  {
    op: 'POST /api/v1/municipalities/{id}/plans',
    id: (o) => o.municipality.id,
    body: () => ({ ...PLAN, seed: 1, timeLimitMs: 200 }),
  },
  { op: 'POST /api/v1/municipalities/{id}/plans/publish', id: (o) => o.municipality.id, body: () => PLAN },
  { op: 'POST /api/v1/municipalities/{id}/plans/publish/preview', id: (o) => o.municipality.id, body: () => PLAN },
  { op: 'GET /api/v1/plans/{id}', id: (o) => o.plan.id },
  { op: 'GET /api/v1/sessions/{id}/assignments', id: (o) => o.session.id },
  { op: 'POST /api/v1/sessions/{id}/assignments', id: (o) => o.session.id, body: (o) => ({ guideId: o.guide2.id }) },
  { op: 'PATCH /api/v1/assignments/{id}', id: (o) => o.assignment.id, body: () => ({ pinned: false }) },
  { op: 'DELETE /api/v1/assignments/{id}', id: (o) => o.assignment.id },
  { op: 'GET /api/v1/assignments/{id}/substitutes', id: (o) => o.assignment.id },
  { op: 'POST /api/v1/assignments/{id}/swap', id: (o) => o.assignment.id, body: (o) => ({ guideId: o.guide2.id }) },
  { op: 'GET /api/v1/sessions/{id}/candidates', id: (o) => o.session.id },
  { op: 'GET /api/v1/municipalities/{id}/guide-hours', id: (o) => o.municipality.id, query: 'month=2026-11' },
  { op: 'POST /api/v1/outbox/{id}/resend', id: (o) => o.message.id },
  // Attendance: cafés of the other world that are over, so that only the owner check stands in the way
  // (the first is not reported: a POST would record it; the second is, at revision 1: a PUT would correct it).
  { op: 'POST /api/v1/sessions/{id}/report', id: (o) => o.pastSession.id, body: (o) => ({ came: [o.senior.id] }) },
  {
    op: 'PUT /api/v1/sessions/{id}/report',
    id: (o) => o.reportedSession.id,
    body: (o) => ({ came: [o.senior.id], revision: 1, dayReport: 'Övertagen' }),
  },
  { op: 'GET /api/v1/sessions/{id}/report', id: (o) => o.reportedSession.id },
  { op: 'GET /api/v1/sessions/{id}/report-form', id: (o) => o.reportedSession.id },
  { op: 'GET /api/v1/contracts/{id}/reports/{period}', id: (o) => o.contract.id },
  { op: 'GET /api/v1/contracts/{id}/report-period', id: (o) => o.contract.id },
  { op: 'GET /api/v1/contracts/{id}/reports/{period}/csv', id: (o) => o.contract.id },
  { op: 'GET /api/v1/contracts/{id}/reports/{period}/print', id: (o) => o.contract.id },
];

/** A create or change of the caller's own that references the other world in its body. */
interface ByBodyRef {
  op: string;
  what: string;
  /** The caller's own thing the path names, if the path has an id. */
  pathId?: (own: World) => string;
  body: (own: World, other: World) => object;
  ref: (other: World) => string;
  field: string;
  refusal?: 403;
  /** The 422's code: unknown_reference unless told (the attendance form says invalid_attendance). */
  code?: string;
}

const byBodyRef: ByBodyRef[] = [
  {
    op: 'POST /api/v1/users',
    what: 'a coordinator for the other municipality',
    body: (_own, o) => ({
      email: 'infiltrat@example.org',
      password: 'a long enough password',
      role: 'coordinator',
      organisationId: o.municipality.id,
    }),
    ref: (o) => o.municipality.id,
    field: '',
    refusal: 403,
  },
  {
    op: 'POST /api/v1/contracts',
    what: 'a contract with the other association',
    body: (own, o) => ({
      municipalityId: own.municipality.id,
      associationId: o.association.id,
      startsOn: '2027-01-01',
      endsOn: '2027-12-31',
    }),
    ref: (o) => o.association.id,
    field: '',
    refusal: 403,
  },
  {
    op: 'POST /api/v1/venues',
    what: 'a venue in the other municipality',
    body: (_own, o) => buildVenue(o.municipality.id),
    ref: (o) => o.municipality.id,
    field: 'body.municipalityId',
  },
  {
    op: 'PUT /api/v1/venues/{id}/travel',
    what: "travel from one's own venue to the other's",
    pathId: (own) => own.venue.id,
    body: (_own, o) => ({ toVenueId: o.venue.id, minutes: 20 }),
    ref: (o) => o.venue.id,
    field: 'body.toVenueId',
  },
  {
    op: 'POST /api/v1/series',
    what: "a series at the other's venue",
    body: (_own, o) => buildSeries(o.venue.id),
    ref: (o) => o.venue.id,
    field: 'body.venueId',
  },
  {
    op: 'POST /api/v1/regulars',
    what: "one's senior as a regular of the other's café",
    body: (own, o) => ({ seniorId: own.senior.id, seriesId: o.series.id, fromDate: '2027-01-05' }),
    ref: (o) => o.series.id,
    field: 'body.seriesId',
  },
  {
    op: 'POST /api/v1/regulars',
    what: "the other's senior as a regular of one's own café",
    body: (own, o) => ({ seniorId: o.senior.id, seriesId: own.series.id, fromDate: '2027-01-05' }),
    ref: (o) => o.senior.id,
    field: 'body.seniorId',
  },
  {
    op: 'POST /api/v1/series/preview',
    what: "a preview of a series at the other's venue (its skipped dates would tell of the other's closures)",
    body: (_own, o) => buildSeries(o.venue.id),
    ref: (o) => o.venue.id,
    field: 'body.venueId',
  },
  {
    op: 'POST /api/v1/series/{id}/preview',
    what: "a preview of moving one's series to the other's venue",
    pathId: (own) => own.series.id,
    body: (_own, o) => ({ venueId: o.venue.id }),
    ref: (o) => o.venue.id,
    field: 'body.venueId',
  },
  {
    op: 'PATCH /api/v1/series/{id}',
    what: "moving one's series to the other's venue",
    pathId: (own) => own.series.id,
    body: (_own, o) => ({ venueId: o.venue.id }),
    ref: (o) => o.venue.id,
    field: 'body.venueId',
  },
  {
    op: 'POST /api/v1/sessions',
    what: "a session at the other's venue",
    body: (_own, o) => ({
      venueId: o.venue.id,
      date: '2026-12-08',
      startTime: '14:00',
      durationMinutes: 120,
      seats: 6,
    }),
    ref: (o) => o.venue.id,
    field: 'body.venueId',
  },
  {
    op: 'PATCH /api/v1/sessions/{id}',
    what: "moving one's session to the other's venue",
    pathId: (own) => own.session.id,
    body: (_own, o) => ({ venueId: o.venue.id }),
    ref: (o) => o.venue.id,
    field: 'body.venueId',
  },
  {
    op: 'POST /api/v1/closures/preview',
    what: "a preview of closing the other municipality (it would list the other's sessions)",
    body: (_own, o) => ({
      municipalityId: o.municipality.id,
      venueId: null,
      name: 'Höstlov',
      startsOn: '2027-10-25',
      endsOn: '2027-10-29',
    }),
    ref: (o) => o.municipality.id,
    field: 'body.municipalityId',
  },
  {
    op: 'POST /api/v1/users/invitations',
    what: 'an invitation for a coordinator of the other municipality',
    body: (_own, o) => ({ email: 'infiltrat@example.org', role: 'coordinator', organisationId: o.municipality.id }),
    ref: (o) => o.municipality.id,
    field: '',
    refusal: 403,
  },
  {
    op: 'POST /api/v1/closures',
    what: 'closing the other municipality',
    body: (_own, o) => ({
      municipalityId: o.municipality.id,
      venueId: null,
      name: 'Höstlov',
      startsOn: '2027-10-25',
      endsOn: '2027-10-29',
    }),
    ref: (o) => o.municipality.id,
    field: 'body.municipalityId',
  },
  {
    op: 'POST /api/v1/closures',
    what: "closing the other's venue under one's own municipality",
    body: (own, o) => ({
      municipalityId: own.municipality.id,
      venueId: o.venue.id,
      name: 'Höstlov',
      startsOn: '2027-10-25',
      endsOn: '2027-10-29',
    }),
    ref: (o) => o.venue.id,
    field: 'body.venueId',
  },
  {
    op: 'POST /api/v1/guides',
    what: 'a guide in the other municipality',
    body: (own, o) => buildGuide(own.association.id, o.municipality.id),
    ref: (o) => o.municipality.id,
    field: 'body.municipalityId',
  },
  {
    op: 'POST /api/v1/guides',
    what: 'a guide of the other (uncontracted) association',
    body: (own, o) => buildGuide(o.association.id, own.municipality.id),
    ref: (o) => o.association.id,
    field: 'body.associationId',
  },
  {
    op: 'POST /api/v1/seniors',
    what: 'a senior in the other municipality',
    body: (_own, o) => buildSenior(o.municipality.id),
    ref: (o) => o.municipality.id,
    field: 'body.municipalityId',
  },
  {
    op: 'POST /api/v1/sessions/{id}/registrations',
    what: "the other's senior on one's own session",
    pathId: (own) => own.session.id,
    body: (_own, o) => ({ seniorId: o.senior.id }),
    ref: (o) => o.senior.id,
    field: 'body.seniorId',
  },
  {
    op: 'POST /api/v1/sessions/{id}/assignments',
    what: "the other's free guide on one's own session",
    pathId: (own) => own.session.id,
    body: (_own, o) => ({ guideId: o.guide2.id }),
    ref: (o) => o.guide2.id,
    field: 'body.guideId',
  },
  {
    op: 'POST /api/v1/sessions/{id}/assignments',
    what: "the other's guide (already on the other's session) on one's own session",
    pathId: (own) => own.session.id,
    body: (_own, o) => ({ guideId: o.guide.id }),
    ref: (o) => o.guide.id,
    field: 'body.guideId',
  },
  {
    op: 'POST /api/v1/assignments/{id}/swap',
    what: "the other's free guide in place of one's own guide",
    pathId: (own) => own.assignment.id,
    body: (_own, o) => ({ guideId: o.guide2.id }),
    ref: (o) => o.guide2.id,
    field: 'body.guideId',
  },
  // The attendance form after one's own café that is over: the rest of the form is valid, so only the other's id is at fault.
  {
    op: 'POST /api/v1/sessions/{id}/report',
    what: "the other's senior as having come to one's own café",
    pathId: (own) => own.pastSession.id,
    body: (own, o) => ({ came: [own.senior.id, o.senior.id] }),
    ref: (o) => o.senior.id,
    field: 'body.came.1',
    code: 'invalid_attendance',
  },
  {
    op: 'POST /api/v1/sessions/{id}/report',
    what: "the other's senior as a walk-in at one's own café",
    pathId: (own) => own.pastSession.id,
    body: (own, o) => ({ came: [own.senior.id], walkIns: { seniorIds: [o.senior.id] } }),
    ref: (o) => o.senior.id,
    field: 'body.walkIns.seniorIds.0',
    code: 'invalid_attendance',
  },
  {
    op: 'POST /api/v1/sessions/{id}/report',
    what: "the other's guide as having worked one's own café",
    pathId: (own) => own.pastSession.id,
    body: (own, o) => ({
      came: [own.senior.id],
      guides: [
        { guideId: own.guide.id, start: '14:00', end: '16:00' },
        { guideId: o.guide.id, start: '14:00', end: '16:00' },
      ],
    }),
    ref: (o) => o.guide.id,
    field: 'body.guides.1.guideId',
    code: 'invalid_attendance',
  },
  {
    op: 'PUT /api/v1/sessions/{id}/report',
    what: "the other's senior as a walk-in, correcting one's own report",
    pathId: (own) => own.reportedSession.id,
    body: (own, o) => ({ came: [own.senior.id], walkIns: { seniorIds: [o.senior.id] }, revision: 1 }),
    ref: (o) => o.senior.id,
    field: 'body.walkIns.seniorIds.0',
    code: 'invalid_attendance',
  },
  {
    op: 'PUT /api/v1/sessions/{id}/report',
    what: "the other's guide, correcting one's own report",
    pathId: (own) => own.reportedSession.id,
    body: (own, o) => ({ came: [own.senior.id], guides: [{ guideId: o.guide.id, status: 'no_show' }], revision: 1 }),
    ref: (o) => o.guide.id,
    field: 'body.guides.0.guideId',
    code: 'invalid_attendance',
  },
];

/** Operations only an admin may call, which name nothing of either world. */
const adminOnly: { op: string; body?: () => object; id?: () => string }[] = [
  { op: 'POST /api/v1/municipalities', body: () => ({ name: 'Ny kommun', contactEmail: null }) },
  { op: 'POST /api/v1/associations', body: () => ({ name: 'Ny förening', contactEmail: null }) },
  { op: 'GET /api/v1/users' },
  // Accounts are the admins' (a coordinator's own password is POST /auth/password).
  { op: 'PATCH /api/v1/users/{id}', body: () => ({ role: 'admin' }), id: () => W.B.coordinator.user.id },
  { op: 'POST /api/v1/users/{id}/invitation', id: () => W.B.coordinator.user.id },
  { op: 'POST /api/v1/users/{id}/deactivate', id: () => W.B.coordinator.user.id },
  { op: 'POST /api/v1/users/{id}/reactivate', id: () => W.B.coordinator.user.id },
  { op: 'POST /api/v1/users/{id}/unlock', id: () => W.B.coordinator.user.id },
  // A scheduled job runs for every municipality at once.
  { op: 'POST /api/v1/jobs/{name}/run' },
];

/** Lists: unfiltered, only one's own; filtered by the other's ids, an empty page, as for an unknown id. */
interface ListCase {
  op: string;
  /** An item of one's own the list must show (the audit log: checked by its entries' municipality instead). */
  own?: (own: World) => string;
  filters: { key: string; value: (other: World) => string }[];
}

const byMunicipality = { key: 'municipalityId', value: (o: World) => o.municipality.id };
const lists: ListCase[] = [
  { op: 'GET /api/v1/municipalities', own: (w) => w.municipality.id, filters: [] },
  { op: 'GET /api/v1/associations', own: (w) => w.association.id, filters: [] },
  {
    op: 'GET /api/v1/contracts',
    own: (w) => w.contract.id,
    filters: [byMunicipality, { key: 'associationId', value: (o) => o.association.id }],
  },
  { op: 'GET /api/v1/venues', own: (w) => w.venue.id, filters: [byMunicipality] },
  {
    op: 'GET /api/v1/series',
    own: (w) => w.series.id,
    filters: [byMunicipality, { key: 'venueId', value: (o) => o.venue.id }],
  },
  {
    op: 'GET /api/v1/sessions',
    own: (w) => w.session.id,
    filters: [
      byMunicipality,
      { key: 'venueId', value: (o) => o.venue.id },
      { key: 'seriesId', value: (o) => o.series.id },
    ],
  },
  { op: 'GET /api/v1/closures', own: (w) => w.closure.id, filters: [byMunicipality] },
  {
    op: 'GET /api/v1/guides',
    own: (w) => w.guide.id,
    filters: [byMunicipality, { key: 'associationId', value: (o) => o.association.id }],
  },
  {
    op: 'GET /api/v1/seniors',
    own: (w) => w.senior.id,
    filters: [byMunicipality, { key: 'q', value: (o) => o.names.senior }, { key: 'q', value: (o) => o.names.phone }],
  },
  {
    op: 'GET /api/v1/audit',
    filters: [
      byMunicipality,
      { key: 'entityId', value: (o) => o.senior.id },
      { key: 'entityId', value: (o) => o.series.id },
    ],
  },
  {
    op: 'GET /api/v1/outbox',
    own: (w) => w.message.id,
    filters: [
      byMunicipality,
      { key: 'guideId', value: (o) => o.guide.id },
      { key: 'sessionId', value: (o) => o.session.id },
    ],
  },
];

/** Operations that show made-up people and places only: nothing of either world, to whoever may call them. */
const madeUp: { op: string; paths: () => string[] }[] = [
  ...(['guides', 'seniors'] as const).flatMap((kind) =>
    (['csv', 'xlsx'] as const).map((format) => ({
      op: `GET /api/v1/imports/templates/${kind}.${format}`,
      paths: () => [P(`/imports/templates/${kind}.${format}`)],
    })),
  ),
  { op: 'GET /api/v1/mail/previews/{kind}', paths: () => MESSAGE_KINDS.map((kind) => P(`/mail/previews/${kind}`)) },
];

/** The session of each world's assignment ends then; a guide's answer links expire with it. */
const SESSION_ENDS = new Date('2026-12-01T15:00:00Z');
/** A confirm link for the assignment of world w's guide, as the guide's e-mail carries it. */
const confirmLink = (w: World) => new LinkSigner(t.settings.authSecret).sign(w.assignment.id, 'confirm', SESSION_ENDS);
const answerPath = (token: string) => P(`/answers/${encodeURIComponent(token)}`);

/** A guide's own route: the request with the guide's signed link (and any more of the query) in its query string. */
function viaLink(op: string, token: string, id?: string, body?: object, query: Record<string, string> = {}): Req {
  const r = fromOp(op, id, body);
  return { ...r, path: `${r.path}?${new URLSearchParams({ token, ...query }).toString()}` };
}
/** A fresh signed access link of a guide (each world's first guide has w.link). */
const linkFor = async (guideId: string) => (await t.services.guideLinks.issue(guideId, 'access')).token;

/**
 * A café of world w that is over on `date` (a Tuesday when a guide is scheduled: the guides are free on Tuesday
 * afternoons), at its second venue, with the world's senior seated; with `scheduled`, that guide on its published schedule.
 * Made while the clock stood earlier.
 */
async function cafeOver(w: World, date: string, scheduled?: string): Promise<{ id: string }> {
  const s = t.services;
  t.clock.set('2026-11-01T09:00:00Z');
  try {
    const cafe = await s.sessions.createOneOff({
      venueId: w.venue2.id,
      date,
      startTime: '14:00',
      durationMinutes: 120,
      timeZone: 'Europe/Stockholm',
      seats: 4,
      minGuides: 2,
      maxGuides: 3,
      theme: null,
    });
    await s.registrations.register(cafe.id, { seniorId: w.senior.id });
    if (scheduled) {
      await s.planning.assign(cafe.id, scheduled);
      await s.planning.publish(w.municipality.id, date, date);
    }
    return cafe;
  } finally {
    t.clock.set(NOW);
  }
}

/** A fresh coordinator of world w, and the reset link their mail would carry. */
async function resetLink(w: World): Promise<{ token: string; email: string }> {
  const mine = await account('coordinator', w.municipality.id);
  await t.services.accounts.requestReset(mine.email, `isolation-${randomUUID()}`);
  const mail = await t.dataSource
    .getRepository(OutboxMessage)
    .findOneByOrFail({ toAddress: mine.email, kind: 'password_reset' });
  return { token: decodeURIComponent(/losenord#(\S+)/.exec(mail.text)![1]), email: mine.email };
}

/** Self-service and public operations: they act only on the caller's own things. */
/**
 * A café of world w on now's day (Tuesday 24 November 2026, 14:00–16:00; made once), with w's guide
 * on its published schedule and the senior seated, and a new walk-in named Queuey in its queue; `during` runs
 * `work` while the café is on (the guide's link reaches its queue then only).
 */
const cafesOn = new Map<string, Promise<string>>();
async function cafeOn(w: World) {
  const s = t.services;
  if (!cafesOn.has(w.label))
    cafesOn.set(
      w.label,
      (async () => {
        const was = t.clock.now();
        t.clock.set('2026-11-20T09:00:00Z');
        try {
          const cafe = await s.sessions.createOneOff({
            venueId: w.venue2.id,
            date: '2026-11-24',
            startTime: '14:00',
            durationMinutes: 120,
            timeZone: 'Europe/Stockholm',
            seats: 4,
            minGuides: 2,
            maxGuides: 3,
            theme: null,
          });
          await s.registrations.register(cafe.id, { seniorId: w.senior.id });
          // On its published schedule without a publish (which would mail the guide: the outbox cases count mail).
          const at = t.clock.now();
          await t.dataSource.getRepository(Assignment).insert({
            id: randomUUID(),
            sessionId: cafe.id,
            guideId: w.guide.id,
            status: 'published',
            pinned: false,
            source: 'manual',
            reasons: [],
            planId: null,
            createdAt: at,
            updatedAt: at,
            publishedAt: at,
          });
          return cafe.id;
        } finally {
          t.clock.set(was);
        }
      })(),
    );
  const id = await cafesOn.get(w.label)!;
  const entry = await s.queue.add(id, { kind: 'walk_in', platform: 'ios', topic: 'email', firstName: 'Queuey' });
  return { id, entryId: entry.id };
}
async function during<T>(work: () => Promise<T>): Promise<T> {
  t.clock.set('2026-11-24T13:30:00Z');
  try {
    return await work();
  } finally {
    t.clock.set(NOW);
  }
}
const queuePath = (cafe: { id: string; entryId?: string }, entry = false, token?: string) =>
  P(
    `${token ? '/guide' : ''}/sessions/${cafe.id}/queue${entry ? `/${cafe.entryId}` : ''}${token ? `?token=${encodeURIComponent(token)}` : ''}`,
  );
/** The queue's operations: the request each makes of a café (its entry for PATCH), through a guide's link if given. */
const QUEUE_OPS = [
  { op: 'GET', method: 'get' as const, entry: false, body: undefined },
  {
    op: 'POST',
    method: 'post' as const,
    entry: false,
    body: { kind: 'walk_in', platform: 'android', topic: 'bankid' },
  },
  // A user takes the walk-in off (added by mistake); a guide takes it.
  { op: 'PATCH', method: 'patch' as const, entry: true, body: { status: 'removed' }, guideBody: { status: 'helping' } },
];
const queueCases: Own[] = QUEUE_OPS.flatMap(({ op, method, entry, body, guideBody }) => [
  {
    op: `${op} /api/v1/sessions/{id}/queue${entry ? '/{entryId}' : ''}`,
    what: "the café's queue for its own municipality's users; the other's coordinator and staff get 404 as for an unknown café, and see no name",
    check: async (me, other) => {
      const cafe = await cafeOn(me);
      const req = (c: { id: string; entryId?: string }): Req => ({ method, path: queuePath(c, entry), body });
      for (const token of [other.coordinator.token]) {
        await expectRefusedAlike(token, req(cafe), cafe.id, 404, 'not_found', 'params.id');
      }
      // The other's café named with an entry of one's own: 404 for the entry.
      const theirs = await cafeOn(other);
      if (entry) {
        const res = await send(me.coordinator.token, req({ id: me.session.id, entryId: theirs.entryId }));
        expect(errorOf(res)).toEqual({ status: 404, code: 'not_found' });
      }
      const res = await send(me.coordinator.token, req(cafe));
      expect(res.status).toBeLessThan(300);
      expectNoTraceOf(other, res.text);
    },
  },
  {
    op: `${op} /api/v1/guide/sessions/{id}/queue${entry ? '/{entryId}' : ''}`,
    what: "a guide's link reaches the queue of a café the guide is on duty at, while it is on: never the other world's, nor one not on duty, nor before",
    check: async (me, other) => {
      const cafe = await cafeOn(me);
      const req = (token: string, c: { id: string; entryId?: string } = cafe): Req => ({
        method,
        path: queuePath(c, entry, token),
        body: guideBody ?? body,
      });
      // Before the café's window: as for an unknown café.
      await expectRefusedAlike(null, req(me.link.token), cafe.id, 404, 'not_found', 'params.id');
      await during(async () => {
        await expectRefusedAlike(null, req(other.link.token), cafe.id, 404, 'not_found', 'params.id');
        await expectRefusedAlike(null, req(await linkFor(me.guide2.id)), cafe.id, 404, 'not_found', 'params.id');
        // The other coordinator's bearer token neither widens nor changes what the link reaches.
        const theirs = await cafeOn(other);
        const res = await send(other.coordinator.token, req(me.link.token, theirs));
        expect(errorOf(res)).toEqual({ status: 404, code: 'not_found' });
        if (entry) {
          const cross = await send(null, req(me.link.token, { id: cafe.id, entryId: theirs.entryId }));
          expect(errorOf(cross)).toEqual({ status: 404, code: 'not_found' });
        }
        if (method === 'post') {
          // A check-in by the other world's seat: 422 as for a seat not at this café, naming nothing of theirs.
          const seat = await send(null, {
            method,
            path: queuePath(cafe, false, me.link.token),
            body: { kind: 'registered', registrationId: other.registration.id },
          });
          expect(errorOf(seat)).toEqual({ status: 422, code: 'unknown_reference' });
          expectNoTraceOf(other, seat.text);
        }
        const ok = await send(null, req(me.link.token));
        expect(ok.status).toBeLessThan(300);
        expectNoTraceOf(other, ok.text);
      });
    },
  },
]);

interface Own {
  op: string;
  what: string;
  check: (own: World, other: World) => Promise<void>;
}

const own: Own[] = [
  ...queueCases,
  {
    op: 'POST /api/v1/auth/login',
    what: 'a login gives a session that sees only its own municipality',
    check: async (me, other) => {
      const login = await anon()
        .post(P('/auth/login'))
        .send({ email: me.coordinator.email, password: PASSWORD })
        .expect(200);
      const who = await send(login.body.token, { method: 'get', path: P('/auth/me') }).expect(200);
      expect(who.body).toMatchObject({ municipalityIds: [me.municipality.id], associationIds: [me.association.id] });
      await send(login.body.token, { method: 'get', path: P(`/sessions/${other.session.id}`) }).expect(404);
    },
  },
  {
    op: 'POST /api/v1/auth/logout',
    what: "logging out ends one's own session only",
    check: async (me, other) => {
      const login = await anon()
        .post(P('/auth/login'))
        .send({ email: me.coordinator.email, password: PASSWORD })
        .expect(200);
      await send(login.body.token, { method: 'post', path: P('/auth/logout') }).expect(200);
      expect(errorOf(await send(login.body.token, { method: 'get', path: P('/auth/me') }))).toEqual({
        status: 401,
        code: 'invalid_token',
      });
      await send(me.coordinator.token, { method: 'get', path: P('/auth/me') }).expect(200);
      await send(other.coordinator.token, { method: 'get', path: P('/auth/me') }).expect(200);
    },
  },
  {
    op: 'GET /api/v1/auth/me',
    what: "says one may see one's own municipality and contracted association, nothing of the other",
    check: async (me, other) => {
      const res = await send(me.coordinator.token, { method: 'get', path: P('/auth/me') }).expect(200);
      expect(res.body).toMatchObject({
        role: 'coordinator',
        organisationId: me.municipality.id,
        municipalityIds: [me.municipality.id],
        associationIds: [me.association.id],
      });
      expectNoTraceOf(other, res.text);
    },
  },
  {
    op: 'POST /api/v1/auth/tokens',
    what: 'a new API token is as limited as its owner',
    check: async (me, other) => {
      // API tokens are made from a login (an API token cannot breed more).
      const login = await send(null, {
        method: 'post',
        path: P('/auth/login'),
        body: { email: me.coordinator.email, password: PASSWORD },
      }).expect(200);
      const made = await send(login.body.token, {
        method: 'post',
        path: P('/auth/tokens'),
        body: { name: 'Integration' },
      }).expect(201);
      const who = await send(made.body.token, { method: 'get', path: P('/auth/me') }).expect(200);
      expect(who.body).toMatchObject({ id: me.coordinator.user.id, municipalityIds: [me.municipality.id] });
      await send(made.body.token, { method: 'get', path: P(`/venues/${other.venue.id}`) }).expect(404);
      const theirs = await send(other.coordinator.token, { method: 'get', path: P('/auth/tokens') }).expect(200);
      expect(ids(theirs.body)).not.toContain(made.body.id);
    },
  },
  {
    op: 'GET /api/v1/imports/progress/{progress}',
    what: "an import's progress is two counts by a random id; an unknown one is 404",
    check: async (me) => {
      const res = await send(me.coordinator.token, { method: 'get', path: P(`/imports/progress/${randomUUID()}`) });
      expect(errorOf(res)).toEqual({ status: 404, code: 'not_found' });
    },
  },
  ...(['guides', 'seniors'] as const).flatMap((kind) =>
    (['', '/preview'] as const).map((suffix) => ({
      op: `POST /api/v1/municipalities/{id}/imports/${kind}${suffix}`,
      what: `a ${kind} import into the other municipality answers as an unknown one (404) and writes nothing`,
      check: async (me: World, other: World) => {
        const before = await snapshot();
        const res = await send(me.coordinator.token, {
          method: 'post',
          path: P(`/municipalities/${other.municipality.id}/imports/${kind}${suffix}`),
        })
          .set('Content-Type', 'text/csv')
          .send(Buffer.from('Namn;Telefon\nX;070-000 00 00'));
        expect(errorOf(res)).toEqual({ status: 404, code: 'not_found' });
        expect(await snapshot()).toEqual(before);
      },
    })),
  ),
  {
    op: 'POST /api/v1/auth/password-reset',
    what: 'mails a link to the address asked for only, and the link opens that account alone',
    check: async (me, other) => {
      const mine = await account('coordinator', me.municipality.id);
      const toOther = () => t.dataSource.getRepository(OutboxMessage).countBy({ toAddress: other.coordinator.email });
      const before = await toOther();
      await anon().post(P('/auth/password-reset')).send({ email: mine.email }).expect(202);
      expect(await toOther()).toBe(before);
      const mail = await t.dataSource
        .getRepository(OutboxMessage)
        .findOneByOrFail({ toAddress: mine.email, kind: 'password_reset' });
      expect(mail.text).not.toContain(other.coordinator.email);
      expectNoTraceOf(other, mail.text);
    },
  },
  {
    op: 'GET /api/v1/auth/password-links/{token}',
    what: "a link names its own account, and nothing of the other's",
    check: async (me, other) => {
      const { token, email } = await resetLink(me);
      const res = await anon()
        .get(P(`/auth/password-links/${token}`))
        .expect(200);
      expect(res.body.email).toBe(email);
      expectNoTraceOf(other, res.text);
    },
  },
  {
    op: 'POST /api/v1/auth/password-links/{token}',
    what: "a link sets its own account's password, and the login it gives sees its own municipality only",
    check: async (me, other) => {
      const { token, email } = await resetLink(me);
      const res = await anon()
        .post(P(`/auth/password-links/${token}`))
        .send({ password: 'ett nytt och långt lösenord' })
        .expect(200);
      expect(res.body.user.email).toBe(email);
      await send(res.body.token, { method: 'get', path: P(`/venues/${other.venue.id}`) }).expect(404);
      await anon().post(P('/auth/login')).send({ email: other.coordinator.email, password: PASSWORD }).expect(200);
    },
  },
  {
    op: 'POST /api/v1/auth/password',
    what: "changes one's own password only: the other coordinator still logs in with theirs",
    check: async (me, other) => {
      const mine = await account('coordinator', me.municipality.id);
      const login = await anon().post(P('/auth/login')).send({ email: mine.email, password: PASSWORD }).expect(200);
      await send(login.body.token, {
        method: 'post',
        path: P('/auth/password'),
        body: { currentPassword: PASSWORD, newPassword: 'ett nytt och långt lösenord' },
      }).expect(200);
      await anon()
        .post(P('/auth/login'))
        .send({ email: mine.email, password: 'ett nytt och långt lösenord' })
        .expect(200);
      await anon().post(P('/auth/login')).send({ email: other.coordinator.email, password: PASSWORD }).expect(200);
    },
  },
  {
    op: 'GET /api/v1/auth/tokens',
    what: "lists one's own tokens, never the other coordinator's",
    check: async (me, other) => {
      const res = await send(me.coordinator.token, { method: 'get', path: P('/auth/tokens') }).expect(200);
      expect(ids(res.body)).toContain(me.coordinator.tokenId);
      expectNoTraceOf(other, res.text);
    },
  },
  {
    op: 'GET /api/v1/guide/me',
    what: "a guide's link shows that guide and nothing of the other world, whoever's bearer comes along",
    check: async (me, other) => {
      const res = await anon().get(P('/guide/me')).query({ token: me.link.token }).expect(200);
      expect(res.body).toMatchObject({ id: me.guide.id, name: me.names.guide });
      expectNoTraceOf(other, res.text);
      // The other coordinator's bearer token neither widens nor changes what the link shows.
      const withBearer = await send(other.coordinator.token, {
        method: 'get',
        path: P(`/guide/me?token=${encodeURIComponent(me.link.token)}`),
      }).expect(200);
      expect(withBearer.body).toEqual(res.body);
    },
  },
  ...(['POST /api/v1/guide/absences', 'POST /api/v1/guide/absences/preview'] as const).map((op) => ({
    op,
    what: "a guide's absence gives up that guide's own cafés only, and tells nothing of the other world",
    check: async (me: World, other: World) => {
      const theirs = await t.dataSource.getRepository(Assignment).countBy({ guideId: other.guide.id });
      const res = await send(null, {
        method: 'post',
        path: `${op.split(' ')[1]}?${new URLSearchParams({ token: me.link.token }).toString()}`,
        // The preview spans the week of the worlds' cafés; the real one days without cafés (the worlds are shared).
        body: op.endsWith('preview')
          ? { from: '2026-11-30', to: '2026-12-06' }
          : { from: '2027-01-05', to: '2027-01-06' },
      });
      expect(res.status).toBe(op.endsWith('preview') ? 200 : 201);
      expectNoTraceOf(other, res.text);
      expect(await t.dataSource.getRepository(Assignment).countBy({ guideId: other.guide.id })).toBe(theirs);
    },
  })),
  {
    op: 'PUT /api/v1/guide/availability',
    what: "a guide sets their own windows only; the other world's guide keeps theirs",
    check: async (me, other) => {
      const before = (
        await send(other.coordinator.token, { method: 'get', path: P(`/guides/${other.guide.id}`) }).expect(200)
      ).body.availability;
      await send(null, {
        method: 'put',
        path: `${P('/guide/availability')}?${new URLSearchParams({ token: me.link.token }).toString()}`,
        body: {
          validFrom: '2027-08-16',
          validTo: '2027-12-20',
          windows: [{ weekday: 'mon', start: '15:00', end: '18:00' }],
        },
      }).expect(200);
      const after = (
        await send(other.coordinator.token, { method: 'get', path: P(`/guides/${other.guide.id}`) }).expect(200)
      ).body.availability;
      expect(after).toEqual(before);
    },
  },
  {
    op: 'POST /api/v1/guide/calendar',
    what: "a guide's link makes a calendar feed of that guide only, with nothing of the other world, whoever's bearer comes along; the other's cannot be forged",
    check: async (me, other) => {
      const links = async (w: World) =>
        await t.dataSource
          .getRepository(GuideLink)
          .find({ where: { guideId: w.guide.id }, select: { id: true, purpose: true } });
      const make = (token: string, bearer: string | null = null) =>
        send(bearer, { method: 'post', path: `${P('/guide/calendar')}?${new URLSearchParams({ token }).toString()}` });
      const mineBefore = await links(me);
      const theirsBefore = await links(other);

      // The other's link id in one's own signed link breaks the signature: nothing issued.
      const before = await snapshot();
      const parts = me.link.token.split('.');
      parts[0] = other.link.id;
      expect(errorOf(await make(parts.join('.')))).toEqual({ status: 401, code: 'invalid_link' });
      expect(await snapshot()).toEqual(before);

      const res = await make(me.link.token).expect(201);
      expectNoTraceOf(other, res.text);
      const feed = await anon().get(new URL(res.body.url).pathname).expect(200);
      expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
      expect(feed.text).toContain(me.names.association);
      expectNoTraceOf(other, feed.text);
      // The other coordinator's bearer token neither widens nor changes whose feed it is.
      const withBearer = await make(me.link.token, other.coordinator.token).expect(201);
      const feed2 = await anon().get(new URL(withBearer.body.url).pathname).expect(200);
      expect(feed2.text).toEqual(feed.text);
      // Asked again, the guide gets the same feed address: one link, not one per click.
      expect(withBearer.body.url).toBe(res.body.url);
      const mineAfter = await links(me);
      expect(mineAfter.length).toBe(mineBefore.length + 1);
      expect(mineAfter.filter((l) => !mineBefore.some((b) => b.id === l.id)).map((l) => l.purpose)).toEqual([
        'calendar',
      ]);
      expect(await links(other)).toEqual(theirsBefore);
    },
  },
  {
    op: 'GET /api/v1/answers/{token}',
    what: "a guide's answer link shows that guide's session and nothing of the other world, changes nothing, and cannot be turned into the other's",
    check: async (me, other) => {
      const before = await snapshot();
      const res = await anon()
        .get(answerPath(confirmLink(me)))
        .expect(200);
      expect(res.body).toMatchObject({
        answer: 'confirm',
        session: { endsAt: SESSION_ENDS.toISOString(), venue: `Biblioteket i ${me.names.municipality}` },
      });
      expectNoTraceOf(other, res.text);
      // The other coordinator's bearer token neither widens nor changes what the link shows.
      const withBearer = await send(other.coordinator.token, {
        method: 'get',
        path: answerPath(confirmLink(me)),
      }).expect(200);
      expect(withBearer.body).toEqual(res.body);
      // The other's assignment id in one's own signed link breaks the signature.
      const swapped = await anon().get(answerPath(confirmLink(me).replace(me.assignment.id, other.assignment.id)));
      expect(errorOf(swapped)).toEqual({ status: 401, code: 'invalid_link' });
      expect(await snapshot()).toEqual(before);
    },
  },
  {
    op: 'POST /api/v1/answers/{token}',
    what: "a guide's answer link confirms that guide's assignment only, whoever's bearer comes along; the other's cannot be forged",
    check: async (me, other) => {
      const assignment = (w: World) => t.dataSource.getRepository(Assignment).findOneByOrFail({ id: w.assignment.id });
      const theirs = await assignment(other);
      const before = await snapshot();
      const forged = await send(me.coordinator.token, {
        method: 'post',
        path: answerPath(confirmLink(me).replace(me.assignment.id, other.assignment.id)),
      });
      expect(errorOf(forged)).toEqual({ status: 401, code: 'invalid_link' });
      expect(await snapshot()).toEqual(before);

      const res = await anon()
        .post(answerPath(confirmLink(me)))
        .expect(200);
      expect(res.body).toMatchObject({
        answer: 'confirm',
        outcome: 'confirmed',
        session: { venue: `Biblioteket i ${me.names.municipality}` },
      });
      expectNoTraceOf(other, res.text);
      expect(await assignment(me)).toMatchObject({ response: 'confirmed' });
      // Again, with the other coordinator's bearer token: the same answer, and still only one's own.
      const again = await send(other.coordinator.token, { method: 'post', path: answerPath(confirmLink(me)) }).expect(
        200,
      );
      expect(again.body).toEqual(res.body);
      expect(await assignment(other)).toEqual(theirs);
    },
  },
  {
    op: 'GET /api/v1/guide/sessions/{id}/report-form',
    what: "a guide's link opens the form of a café that guide worked, with nothing of the other world; the other's guide, and a guide not on it, get 404 as for an unknown session",
    check: async (me, other) => {
      const op = 'GET /api/v1/guide/sessions/{id}/report-form';
      const res = await send(null, viaLink(op, me.link.token, me.reportedSession.id)).expect(200);
      expect(res.body).toMatchObject({
        sessionId: me.reportedSession.id,
        revision: 1,
        venue: `Biblioteket i ${me.names.municipality}`,
        // A week after the café the link names nobody, and gives the seat's id, not the senior's.
        seated: [{ displayName: null }],
      });
      expect(res.body.seated[0].seniorId).not.toBe(me.senior.id);
      expect(res.text).not.toContain(me.names.senior);
      expectNoTraceOf(other, res.text);
      // The other coordinator's bearer token neither widens nor changes what the link shows.
      const withBearer = await send(other.coordinator.token, viaLink(op, me.link.token, me.reportedSession.id)).expect(
        200,
      );
      expect(withBearer.body).toEqual(res.body);
      // The other world's guide, with their own valid link.
      await expectRefusedAlike(
        null,
        viaLink(op, other.link.token, me.reportedSession.id),
        me.reportedSession.id,
        404,
        'not_found',
        'params.id',
      );
      await expectRefusedAlike(
        null,
        viaLink(op, other.link.token, me.pastSession.id),
        me.pastSession.id,
        404,
        'not_found',
        'params.id',
      );
      // A guide of this world who neither is on its schedule nor worked it; and the guide on a session they have only a draft assignment on.
      await expectRefusedAlike(
        null,
        viaLink(op, await linkFor(me.guide2.id), me.reportedSession.id),
        me.reportedSession.id,
        404,
        'not_found',
        'params.id',
      );
      await expectRefusedAlike(
        null,
        viaLink(op, me.link.token, me.session.id),
        me.session.id,
        404,
        'not_found',
        'params.id',
      );
    },
  },
  {
    op: 'GET /api/v1/guide/seniors',
    what: "a guide's name search finds seniors of the guide's own municipality only: never the other's, by name, start of name or phone, nor a namesake",
    check: async (me, other) => {
      const search = (token: string, q: string, bearer: string | null = null) =>
        send(bearer, viaLink('GET /api/v1/guide/seniors', token, undefined, undefined, { q }));
      const found = await search(me.link.token, me.names.senior).expect(200);
      expect(found.body).toEqual({ items: [{ id: me.senior.id, displayName: me.names.senior }] });
      expectNoTraceOf(other, found.text);
      // The other's senior: nothing, the same as for a name nobody has.
      const decoy = await search(me.link.token, 'Zyxwvu').expect(200);
      expect(decoy.body).toEqual({ items: [] });
      for (const q of [other.names.senior, other.names.senior.slice(0, 3), other.names.phone]) {
        const res = await search(me.link.token, q).expect(200);
        expect({ q, body: res.body }).toEqual({ q, body: decoy.body });
      }
      // Namesakes in both municipalities: each guide finds their own only, whoever's bearer comes along.
      const name = `Tvilling ${randomUUID().slice(0, 8)}`;
      const mine = await t.services.seniors.create(buildSenior(me.municipality.id, { displayName: name }));
      const theirs = await t.services.seniors.create(buildSenior(other.municipality.id, { displayName: name }));
      const namesake = await search(me.link.token, name).expect(200);
      expect(namesake.body).toEqual({ items: [{ id: mine.id, displayName: name }] });
      expect((await search(other.link.token, name).expect(200)).body).toEqual({
        items: [{ id: theirs.id, displayName: name }],
      });
      expect((await search(me.link.token, name, other.coordinator.token).expect(200)).body).toEqual(namesake.body);
    },
  },
  {
    op: 'POST /api/v1/guide/sessions/{id}/report',
    what: "a guide records only a café on their published schedule; the other's guide, and a guide not on it, get 404 as for an unknown session and write nothing",
    check: async (me, other) => {
      const op = 'POST /api/v1/guide/sessions/{id}/report';
      const cafe = await cafeOver(me, '2026-11-03', me.guide2.id);
      const form = {
        came: [me.senior.id],
        guides: [{ guideId: me.guide2.id, start: '14:00', end: '16:00' }],
        dayReport: 'Lugnt.',
      };
      await expectRefusedAlike(
        null,
        viaLink(op, other.link.token, cafe.id, form),
        cafe.id,
        404,
        'not_found',
        'params.id',
      );
      await expectRefusedAlike(null, viaLink(op, me.link.token, cafe.id, form), cafe.id, 404, 'not_found', 'params.id');
      // The world's own café that is over, which nobody has reported: the other's guide cannot record it either.
      await expectRefusedAlike(
        null,
        viaLink(op, other.link.token, me.pastSession.id, { came: [me.senior.id] }),
        me.pastSession.id,
        404,
        'not_found',
        'params.id',
      );
      // The guide on its published schedule records it (so the refusals above are the guide check).
      const made = await send(null, viaLink(op, await linkFor(me.guide2.id), cafe.id, form)).expect(201);
      expect(made.body).toMatchObject({
        sessionId: cafe.id,
        revision: 1,
        guides: [expect.objectContaining({ guideId: me.guide2.id, status: 'worked' })],
      });
      expectNoTraceOf(other, made.text);
    },
  },
  {
    op: 'PUT /api/v1/guide/sessions/{id}/report',
    what: "a guide corrects only a café they worked; the other's guide, and a guide who did not work it, get 404 as for an unknown session and change nothing",
    check: async (me, other) => {
      const op = 'PUT /api/v1/guide/sessions/{id}/report';
      const cafe = await cafeOver(me, '2026-11-05');
      const worked = [{ guideId: me.guide2.id, start: '14:00', end: '16:00' }];
      await t.services.attendance.create(cafe.id, ReportBody.parse({ came: [me.senior.id], guides: worked }));
      const correction = { came: [me.senior.id], guides: worked, dayReport: 'Rättat av guiden.', revision: 1 };
      await expectRefusedAlike(
        null,
        viaLink(op, other.link.token, cafe.id, correction),
        cafe.id,
        404,
        'not_found',
        'params.id',
      );
      await expectRefusedAlike(
        null,
        viaLink(op, me.link.token, cafe.id, correction),
        cafe.id,
        404,
        'not_found',
        'params.id',
      );
      // The world's reported café, which its guide worked: the other's guide cannot correct it (it stays at revision 1).
      await expectRefusedAlike(
        null,
        viaLink(op, other.link.token, me.reportedSession.id, {
          came: [me.senior.id],
          revision: 1,
          dayReport: 'Övertagen',
        }),
        me.reportedSession.id,
        404,
        'not_found',
        'params.id',
      );
      // The guide who worked it corrects it (so the refusals above are the guide check).
      const fixed = await send(null, viaLink(op, await linkFor(me.guide2.id), cafe.id, correction)).expect(200);
      expect(fixed.body).toMatchObject({ sessionId: cafe.id, revision: 2, dayReport: 'Rättat av guiden.' });
      expectNoTraceOf(other, fixed.text);
    },
  },
];

/** A contract's report for PERIOD, in each of its forms, and what of its own world each shows (the printed page has no guide table). */
const REPORT_FORMS: { form: string; path: (w: World) => string; has: (w: World) => string[] }[] = [
  {
    form: 'JSON',
    path: (w) => P(`/contracts/${w.contract.id}/reports/${PERIOD}`),
    has: (w) => [w.names.municipality, w.names.association, w.names.guide],
  },
  {
    form: 'CSV',
    path: (w) => P(`/contracts/${w.contract.id}/reports/${PERIOD}/csv`),
    has: (w) => [w.names.municipality, w.names.association, w.names.guide],
  },
  {
    form: 'a printable page',
    path: (w) => P(`/contracts/${w.contract.id}/reports/${PERIOD}/print`),
    has: (w) => [w.names.municipality, w.names.association],
  },
];
const expectAll = (text: string, wanted: string[]) => expect(wanted.filter((x) => !text.includes(x))).toEqual([]);
/** The report operations, for refusals of the other world's contract. */
const REPORT_OPS = [
  'GET /api/v1/contracts/{id}/reports/{period}',
  'GET /api/v1/contracts/{id}/reports/{period}/csv',
  'GET /api/v1/contracts/{id}/reports/{period}/print',
];

const sides = (me: 'A' | 'B') => ({ me: W[me], other: W[me === 'A' ? 'B' : 'A'] });

describe.each([
  { me: 'A' as const, them: 'B' as const },
  { me: 'B' as const, them: 'A' as const },
])('A coordinator of municipality $me, facing municipality $them', ({ me }) => {
  const coordinator = () => sides(me).me.coordinator.token;

  describe('cannot read, change or infer anything named by id in the path', () => {
    const rows = byPathId.map((c) => ({
      ...c,
      answer: c.refusal === 403 ? '403 forbidden (admins only)' : '404 not_found',
    }));
    it.each(rows)(
      '$op → $answer, the same as for an unknown id; nothing written',
      async ({ op, id, body, query, refusal }) => {
        const { other } = sides(me);
        const req = withQuery(fromOp(op, id(other), body?.(other)), query);
        if (refusal === 403) await expectRefusedAlike(coordinator(), req, id(other), 403, 'forbidden', null);
        else await expectRefusedAlike(coordinator(), req, id(other), 404, 'not_found', 'params.id');
      },
    );
  });

  describe('cannot reference the other municipality in a body', () => {
    const rows = byBodyRef.map((c) => ({
      ...c,
      answer:
        c.refusal === 403 ? '403 forbidden (admins only)' : `422 ${c.code ?? 'unknown_reference'} naming ${c.field}`,
    }));
    it.each(rows)(
      '$op: $what → $answer, the same as for an unknown id; nothing written',
      async ({ op, pathId, body, ref, field, refusal, code }) => {
        const { me: mine, other } = sides(me);
        const req = fromOp(op, pathId?.(mine), body(mine, other));
        if (refusal === 403) await expectRefusedAlike(coordinator(), req, ref(other), 403, 'forbidden', null);
        else await expectRefusedAlike(coordinator(), req, ref(other), 422, code ?? 'unknown_reference', field);
      },
    );
  });

  describe('may not call what only an admin may', () => {
    it.each(adminOnly)('$op → 403 forbidden, nothing written', async ({ op, body, id }) => {
      await expectForbidden(coordinator(), fromOp(op, id?.(), body?.()));
    });
  });

  describe('lists only its own', () => {
    it.each(lists)('$op: unfiltered, its own and no trace of the other', async ({ op, own: ownId }) => {
      const { me: mine, other } = sides(me);
      const res = await send(coordinator(), { method: 'get', path: `${fromOp(op).path}?limit=500` }).expect(200);
      expect(res.body.total).toBeGreaterThan(0);
      if (ownId) expect(ids(res.body)).toContain(ownId(mine));
      for (const item of res.body.items as { municipalityId?: string | null }[]) {
        if ('municipalityId' in item) expect(item.municipalityId).toBe(mine.municipality.id);
      }
      expectNoTraceOf(other, res.text);
    });

    const filtered = lists.flatMap(({ op, filters }) => filters.map(({ key, value }) => ({ op, key, value })));
    it.each(filtered)(
      "$op?$key=<the other's> → an empty page, the same as for an unknown one",
      async ({ op, key, value }) => {
        const { other } = sides(me);
        const path = fromOp(op).path;
        const real = await send(coordinator(), { method: 'get', path }).query({ [key]: value(other) });
        const decoy = await send(coordinator(), { method: 'get', path }).query({
          [key]: key === 'q' ? 'Zyxwvu' : randomUUID(),
        });
        expect({ status: real.status, body: real.body }).toEqual({
          status: 200,
          body: { items: [], total: 0, limit: 50, offset: 0 },
        });
        expect(real.body).toEqual(decoy.body);
      },
    );
  });

  describe('self-service acts only on its own', () => {
    it.each(own)('$op: $what', async ({ check }) => {
      const { me: mine, other } = sides(me);
      await check(mine, other);
    });
  });

  describe('sees made-up people only where examples are shown', () => {
    it.each(madeUp)('$op: no trace of either world', async ({ paths }) => {
      const { me: mine, other } = sides(me);
      for (const path of paths()) {
        const res = await send(coordinator(), { method: 'get', path }).expect(200);
        // A workbook is zipped: its bytes read as text would hide nothing, and a template holds made-up rows only.
        const text = res.text ?? String(res.body);
        expectNoTraceOf(mine, text);
        expectNoTraceOf(other, text);
      }
    });
  });

  describe("attendance and reports: one's own only", () => {
    it('reads the attendance of its own café, with its senior and guide, and nothing of the other', async () => {
      const { me: mine, other } = sides(me);
      const res = await send(coordinator(), fromOp('GET /api/v1/sessions/{id}/report', mine.reportedSession.id)).expect(
        200,
      );
      expect(res.body).toMatchObject({ id: mine.report.id, sessionId: mine.reportedSession.id, revision: 1 });
      expect(res.body.seniors).toEqual([expect.objectContaining({ seniorId: mine.senior.id, present: true })]);
      expect(res.body.guides).toEqual([
        expect.objectContaining({ guideId: mine.guide.id, status: 'worked', minutes: 120 }),
      ]);
      expectNoTraceOf(other, res.text);
    });

    it("reads the after-café form of its own café, the same as its guide's link shows, and nothing of the other", async () => {
      const { me: mine, other } = sides(me);
      const res = await send(
        coordinator(),
        fromOp('GET /api/v1/sessions/{id}/report-form', mine.reportedSession.id),
      ).expect(200);
      expect(res.body).toMatchObject({
        sessionId: mine.reportedSession.id,
        revision: 1,
        venue: `Biblioteket i ${mine.names.municipality}`,
        seated: [{ seniorId: mine.senior.id, displayName: mine.names.senior }],
        current: {
          came: [mine.senior.id],
          guides: [{ guideId: mine.guide.id, status: 'worked', start: '14:00', end: '16:00' }],
        },
      });
      expectNoTraceOf(other, res.text);
      const viaGuide = await send(
        null,
        viaLink('GET /api/v1/guide/sessions/{id}/report-form', mine.link.token, mine.reportedSession.id),
      ).expect(200);
      // The same form, but a guide's link names a senior only to their own guide, from the day before
      // the café to the day after: a week on, the seat shows without a name, by the seat's id.
      const seat = viaGuide.body.seated[0].seniorId;
      expect(seat).not.toBe(mine.senior.id);
      expect(viaGuide.body).toEqual({
        ...res.body,
        seated: [{ ...res.body.seated[0], seniorId: seat, displayName: null }],
        current: { ...res.body.current, came: [seat] },
      });
    });

    it.each(REPORT_FORMS)(
      "reads its own contract's report as $form, with nothing of the other",
      async ({ path, has }) => {
        const { me: mine, other } = sides(me);
        const res = await send(coordinator(), { method: 'get', path: path(mine) }).expect(200);
        expectAll(res.text, has(mine));
        expectNoTraceOf(other, res.text);
      },
    );
  });

  describe("the matching engine and the roster's hours: one's own guides only", () => {
    it('ranks who could join its own session from its own guides: the free second guide, not the one already on it, nothing of the other', async () => {
      const { me: mine, other } = sides(me);
      const res = await send(coordinator(), fromOp('GET /api/v1/sessions/{id}/candidates', mine.session.id)).expect(
        200,
      );
      const ids = res.body.items.map((c: { guideId: string }) => c.guideId);
      expect(ids).toContain(mine.guide2.id);
      expect(ids).not.toContain(mine.guide.id);
      expect(res.body.items.find((c: { guideId: string }) => c.guideId === mine.guide2.id)).toMatchObject({
        gain: expect.any(Number),
        blockedBy: [],
      });
      expectNoTraceOf(other, res.text);
    });

    it("sums its own guides' hours of a month, with nothing of the other: December holds the guide's draft on the session (14:00–16:00)", async () => {
      const { me: mine, other } = sides(me);
      const res = await send(
        coordinator(),
        withQuery(fromOp('GET /api/v1/municipalities/{id}/guide-hours', mine.municipality.id), 'month=2026-12'),
      ).expect(200);
      expect(res.body).toEqual({
        month: '2026-12',
        items: [{ guideId: mine.guide.id, plannedMinutes: 120, peakWeekMinutes: 120, workedMinutes: 0 }],
      });
      expectNoTraceOf(other, res.text);
    });
  });

  describe("the outbox: one's own municipality's messages only", () => {
    it('cannot resend or list a message of no municipality (admins only): 404, as for an unknown id', async () => {
      await expectRefusedAlike(
        coordinator(),
        fromOp('POST /api/v1/outbox/{id}/resend', installationMessage.id),
        installationMessage.id,
        404,
        'not_found',
        'params.id',
      );
      const list = await send(coordinator(), { method: 'get', path: P('/outbox?limit=500') }).expect(200);
      expect(ids(list.body)).not.toContain(installationMessage.id);
    });

    it("lists its own guide's and session's messages by them", async () => {
      const { me: mine, other } = sides(me);
      // Exactly the messages stored for that guide, or about that café (other cases may have mailed the guide too).
      const toGuide = (await t.dataSource.getRepository(OutboxMessage).findBy({ guideId: mine.guide.id })).map(
        (m) => m.id,
      );
      const aboutCafe = (await t.dataSource.getRepository(OutboxSession).findBy({ sessionId: mine.session.id })).map(
        (l) => l.messageId,
      );
      for (const [query, expected] of [
        [{ guideId: mine.guide.id }, toGuide],
        [{ sessionId: mine.session.id }, aboutCafe],
      ] as const) {
        const res = await send(coordinator(), { method: 'get', path: P('/outbox') })
          .query(query)
          .expect(200);
        expect(ids(res.body).sort()).toEqual([...expected].sort());
        expect(ids(res.body)).toContain(mine.message.id);
        for (const item of res.body.items)
          expect(item).toMatchObject({ guideId: mine.guide.id, guideName: mine.names.guide });
        expectNoTraceOf(other, res.text);
      }
    });

    it("resends its own municipality's message", async () => {
      const { me: mine } = sides(me);
      const res = await send(coordinator(), fromOp('POST /api/v1/outbox/{id}/resend', mine.message.id)).expect(200);
      expect(res.body).toMatchObject({
        id: mine.message.id,
        municipalityId: mine.municipality.id,
        status: 'queued',
        attempts: 0,
      });
    });
  });
});

describe('Coverage of the matrix', () => {
  it('has an isolation case for every operation in the OpenAPI document', async () => {
    const doc = (await t.http(W.A.coordinator.token).get(P('/openapi.json')).expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const covered = new Set([...byPathId, ...byBodyRef, ...adminOnly, ...lists, ...own, ...madeUp].map((c) => c.op));
    expect(operations.filter((o) => !covered.has(o))).toEqual([]);
    // … and no case for an operation that is not there (a typo would test nothing).
    expect([...covered].filter((o) => !operations.includes(o))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Role rules within one's own municipality
// ---------------------------------------------------------------------------------------------

/** Every write in the API, aimed at world A's own things with a valid body (not /auth: that is one's own account). */
const writesOnA: { op: string; req: () => Req }[] = [
  ...(['guides', 'seniors'] as const).flatMap((kind) =>
    (['', '/preview'] as const).map((suffix) => {
      const op = `POST /api/v1/municipalities/{id}/imports/${kind}${suffix}`;
      return { op, req: () => fromOp(op, W.A.municipality.id) };
    }),
  ),
  {
    op: 'POST /api/v1/regulars',
    req: () =>
      fromOp('POST /api/v1/regulars', undefined, {
        seniorId: W.A.senior.id,
        seriesId: W.A.series.id,
        fromDate: '2027-01-05',
      }),
  },
  {
    op: 'POST /api/v1/regulars/{id}/end',
    req: () => fromOp('POST /api/v1/regulars/{id}/end', W.A.regular.id, { fromDate: '2027-01-05' }),
  },
  ...(
    [
      ['POST /api/v1/guides/{id}/absences', { from: '2027-01-05', to: '2027-01-06' }],
      ['POST /api/v1/guides/{id}/absences/preview', { from: '2027-01-05', to: '2027-01-06' }],
      ['DELETE /api/v1/guides/{id}/absences/{date}', undefined],
      ['PUT /api/v1/guides/{id}/availability', { windows: [{ weekday: 'sun', start: '10:00', end: '12:00' }] }],
    ] as const
  ).map(([op, body]) => ({ op, req: () => fromOp(op, W.A.guide.id, body) })),
  ...[
    [
      'POST /api/v1/users/invitations',
      undefined,
      { email: 'ny@isolation.example', role: 'viewer', organisationId: '' },
    ],
    ['POST /api/v1/users/{id}/invitation', 'coordinator', undefined],
    ['PATCH /api/v1/users/{id}', 'coordinator', { role: 'admin' }],
    ['POST /api/v1/users/{id}/deactivate', 'coordinator', undefined],
    ['POST /api/v1/users/{id}/reactivate', 'coordinator', undefined],
    ['POST /api/v1/users/{id}/unlock', 'coordinator', undefined],
  ].map(([op, user, body]) => ({
    op: op as string,
    req: () =>
      fromOp(
        op as string,
        user ? W.A.coordinator.user.id : undefined,
        body && 'organisationId' in (body as object)
          ? { ...(body as object), organisationId: W.A.municipality.id }
          : (body as object | undefined),
      ),
  })),
  {
    op: 'PATCH /api/v1/contracts/{id}',
    req: () => fromOp('PATCH /api/v1/contracts/{id}', W.A.contract.id, { endsOn: '2030-12-31' }),
  },
  {
    op: 'POST /api/v1/series/preview',
    req: () => fromOp('POST /api/v1/series/preview', undefined, buildSeries(W.A.venue.id)),
  },
  {
    op: 'POST /api/v1/series/{id}/preview',
    req: () => fromOp('POST /api/v1/series/{id}/preview', W.A.series.id, { seats: 9 }),
  },
  { op: 'POST /api/v1/series/{id}/archive', req: () => fromOp('POST /api/v1/series/{id}/archive', W.A.series.id, {}) },
  {
    op: 'POST /api/v1/series/{id}/archive/preview',
    req: () => fromOp('POST /api/v1/series/{id}/archive/preview', W.A.series.id, {}),
  },
  {
    op: 'POST /api/v1/closures/preview',
    req: () =>
      fromOp('POST /api/v1/closures/preview', undefined, {
        municipalityId: W.A.municipality.id,
        name: 'Höstlov',
        startsOn: '2027-10-25',
        endsOn: '2027-10-29',
      }),
  },
  {
    op: 'POST /api/v1/closures/{id}/removal/preview',
    req: () => fromOp('POST /api/v1/closures/{id}/removal/preview', W.A.closure.id),
  },
  {
    op: 'POST /api/v1/municipalities',
    req: () => fromOp('POST /api/v1/municipalities', undefined, { name: 'Ny kommun' }),
  },
  {
    op: 'PATCH /api/v1/municipalities/{id}',
    req: () => fromOp('PATCH /api/v1/municipalities/{id}', W.A.municipality.id, { name: 'Nytt namn' }),
  },
  {
    op: 'POST /api/v1/associations',
    req: () => fromOp('POST /api/v1/associations', undefined, { name: 'Ny förening' }),
  },
  {
    op: 'PATCH /api/v1/associations/{id}',
    req: () => fromOp('PATCH /api/v1/associations/{id}', W.A.association.id, { name: 'Nytt namn' }),
  },
  {
    op: 'POST /api/v1/contracts',
    req: () =>
      fromOp('POST /api/v1/contracts', undefined, {
        municipalityId: W.A.municipality.id,
        associationId: W.A.association.id,
        startsOn: '2028-01-01',
        endsOn: '2028-12-31',
      }),
  },
  {
    op: 'POST /api/v1/users',
    req: () =>
      fromOp('POST /api/v1/users', undefined, {
        email: 'ny@example.org',
        password: 'a long enough password',
        role: 'coordinator',
        organisationId: W.A.municipality.id,
      }),
  },
  { op: 'POST /api/v1/venues', req: () => fromOp('POST /api/v1/venues', undefined, buildVenue(W.A.municipality.id)) },
  { op: 'PATCH /api/v1/venues/{id}', req: () => fromOp('PATCH /api/v1/venues/{id}', W.A.venue.id, { seats: 12 }) },
  {
    op: 'PUT /api/v1/venues/{id}/travel',
    req: () => fromOp('PUT /api/v1/venues/{id}/travel', W.A.venue.id, { toVenueId: W.A.venue2.id, minutes: 15 }),
  },
  { op: 'POST /api/v1/series', req: () => fromOp('POST /api/v1/series', undefined, buildSeries(W.A.venue.id)) },
  { op: 'PATCH /api/v1/series/{id}', req: () => fromOp('PATCH /api/v1/series/{id}', W.A.series.id, { seats: 9 }) },
  {
    op: 'POST /api/v1/sessions',
    req: () =>
      fromOp('POST /api/v1/sessions', undefined, {
        venueId: W.A.venue.id,
        date: '2026-12-08',
        startTime: '14:00',
        durationMinutes: 120,
        seats: 6,
      }),
  },
  { op: 'PATCH /api/v1/sessions/{id}', req: () => fromOp('PATCH /api/v1/sessions/{id}', W.A.session.id, { seats: 6 }) },
  {
    op: 'POST /api/v1/sessions/{id}/cancel',
    req: () => fromOp('POST /api/v1/sessions/{id}/cancel', W.A.session.id, { reason: 'Sjukdom' }),
  },
  {
    op: 'POST /api/v1/sessions/{id}/restore',
    req: () => fromOp('POST /api/v1/sessions/{id}/restore', W.A.cancelledSession.id),
  },
  {
    op: 'POST /api/v1/closures',
    req: () =>
      fromOp('POST /api/v1/closures', undefined, {
        municipalityId: W.A.municipality.id,
        venueId: null,
        name: 'Höstlov',
        startsOn: '2027-10-25',
        endsOn: '2027-10-29',
      }),
  },
  { op: 'DELETE /api/v1/closures/{id}', req: () => fromOp('DELETE /api/v1/closures/{id}', W.A.closure.id) },
  {
    op: 'POST /api/v1/guides',
    req: () => fromOp('POST /api/v1/guides', undefined, buildGuide(W.A.association.id, W.A.municipality.id)),
  },
  { op: 'PATCH /api/v1/guides/{id}', req: () => fromOp('PATCH /api/v1/guides/{id}', W.A.guide.id, { active: false }) },
  {
    op: 'POST /api/v1/guides/{id}/links',
    req: () => fromOp('POST /api/v1/guides/{id}/links', W.A.guide.id, { purpose: 'access' }),
  },
  {
    op: 'POST /api/v1/guide-links/{id}/revoke',
    req: () => fromOp('POST /api/v1/guide-links/{id}/revoke', W.A.link.id),
  },
  {
    op: 'POST /api/v1/seniors',
    req: () => fromOp('POST /api/v1/seniors', undefined, buildSenior(W.A.municipality.id)),
  },
  {
    op: 'PATCH /api/v1/seniors/{id}',
    req: () => fromOp('PATCH /api/v1/seniors/{id}', W.A.senior.id, { displayName: 'Ändrad' }),
  },
  { op: 'POST /api/v1/seniors/{id}/erase', req: () => fromOp('POST /api/v1/seniors/{id}/erase', W.A.senior.id) },
  {
    op: 'POST /api/v1/sessions/{id}/registrations',
    req: () =>
      fromOp('POST /api/v1/sessions/{id}/registrations', W.A.session.id, { seniorId: W.A.senior.id, topic: 'bankid' }),
  },
  {
    op: 'POST /api/v1/registrations/{id}/cancel',
    req: () => fromOp('POST /api/v1/registrations/{id}/cancel', W.A.registration.id),
  },
  {
    op: 'POST /api/v1/municipalities/{id}/plans',
    req: () =>
      fromOp('POST /api/v1/municipalities/{id}/plans', W.A.municipality.id, { ...PLAN, seed: 2, timeLimitMs: 200 }),
  },
  {
    op: 'POST /api/v1/municipalities/{id}/plans/publish',
    req: () => fromOp('POST /api/v1/municipalities/{id}/plans/publish', W.A.municipality.id, PLAN),
  },
  {
    op: 'POST /api/v1/municipalities/{id}/plans/publish/preview',
    req: () => fromOp('POST /api/v1/municipalities/{id}/plans/publish/preview', W.A.municipality.id, PLAN),
  },
  {
    op: 'POST /api/v1/sessions/{id}/assignments',
    req: () => fromOp('POST /api/v1/sessions/{id}/assignments', W.A.session.id, { guideId: W.A.guide2.id }),
  },
  {
    op: 'PATCH /api/v1/assignments/{id}',
    req: () => fromOp('PATCH /api/v1/assignments/{id}', W.A.assignment.id, { pinned: false }),
  },
  { op: 'DELETE /api/v1/assignments/{id}', req: () => fromOp('DELETE /api/v1/assignments/{id}', W.A.assignment.id) },
  {
    op: 'POST /api/v1/assignments/{id}/swap',
    req: () => fromOp('POST /api/v1/assignments/{id}/swap', W.A.assignment.id, { guideId: W.A.guide2.id }),
  },
  { op: 'POST /api/v1/outbox/{id}/resend', req: () => fromOp('POST /api/v1/outbox/{id}/resend', W.A.message.id) },
  {
    op: 'POST /api/v1/sessions/{id}/report',
    req: () => fromOp('POST /api/v1/sessions/{id}/report', W.A.pastSession.id, { came: [W.A.senior.id] }),
  },
  {
    op: 'PUT /api/v1/sessions/{id}/report',
    req: () =>
      fromOp('PUT /api/v1/sessions/{id}/report', W.A.reportedSession.id, { came: [W.A.senior.id], revision: 1 }),
  },
  { op: 'POST /api/v1/jobs/{name}/run', req: () => fromOp('POST /api/v1/jobs/{name}/run') },
  {
    op: 'POST /api/v1/sessions/{id}/queue',
    req: () =>
      fromOp('POST /api/v1/sessions/{id}/queue', W.A.session.id, { kind: 'registered', seniorId: W.A.senior.id }),
  },
  {
    op: 'PATCH /api/v1/sessions/{id}/queue/{entryId}',
    req: () => ({
      method: 'patch',
      path: P(`/sessions/${W.A.session.id}/queue/${randomUUID()}`),
      body: { status: 'helping', guideId: W.A.guide.id },
    }),
  },
];

/** What the guide roster lets association staff write; they also record attendance after the cafés they staff. */
const STAFF_WRITES = [
  'POST /api/v1/guides',
  // Association staff keep their guides, and may bring them in from a list.
  'POST /api/v1/municipalities/{id}/imports/guides',
  'POST /api/v1/municipalities/{id}/imports/guides/preview',
  'POST /api/v1/guides/{id}/absences',
  'POST /api/v1/guides/{id}/absences/preview',
  'DELETE /api/v1/guides/{id}/absences/{date}',
  'PUT /api/v1/guides/{id}/availability',
  'PATCH /api/v1/guides/{id}',
  'POST /api/v1/guides/{id}/links',
  'POST /api/v1/guide-links/{id}/revoke',
  'POST /api/v1/sessions/{id}/report',
  'PUT /api/v1/sessions/{id}/report',
  // … and run the live queue at them.
  'POST /api/v1/sessions/{id}/queue',
  'PATCH /api/v1/sessions/{id}/queue/{entryId}',
];

/** Reads of municipality A that are about seniors, registrations, guides, the audit log or accounts. */
const privateReadsOfA: { op: string; req: () => Req }[] = [
  { op: 'GET /api/v1/seniors', req: () => fromOp('GET /api/v1/seniors') },
  { op: 'GET /api/v1/seniors/{id}', req: () => fromOp('GET /api/v1/seniors/{id}', W.A.senior.id) },
  { op: 'GET /api/v1/seniors/{id}/export', req: () => fromOp('GET /api/v1/seniors/{id}/export', W.A.senior.id) },
  {
    op: 'GET /api/v1/sessions/{id}/registrations',
    req: () => fromOp('GET /api/v1/sessions/{id}/registrations', W.A.session.id),
  },
  { op: 'GET /api/v1/registrations/{id}', req: () => fromOp('GET /api/v1/registrations/{id}', W.A.registration.id) },
  { op: 'GET /api/v1/guides', req: () => fromOp('GET /api/v1/guides') },
  { op: 'GET /api/v1/guides/{id}', req: () => fromOp('GET /api/v1/guides/{id}', W.A.guide.id) },
  { op: 'GET /api/v1/guides/{id}/links', req: () => fromOp('GET /api/v1/guides/{id}/links', W.A.guide.id) },
  { op: 'GET /api/v1/audit', req: () => fromOp('GET /api/v1/audit') },
  { op: 'GET /api/v1/users', req: () => fromOp('GET /api/v1/users') },
  // Who could replace a guide is the planners' question (it ranks the roster).
  {
    op: 'GET /api/v1/assignments/{id}/substitutes',
    req: () => fromOp('GET /api/v1/assignments/{id}/substitutes', W.A.assignment.id),
  },
  {
    op: 'GET /api/v1/sessions/{id}/candidates',
    req: () => fromOp('GET /api/v1/sessions/{id}/candidates', W.A.session.id),
  },
  // Each guide's hours: for those who keep the roster (association staff see their own guides'; see their cases).
  {
    op: 'GET /api/v1/municipalities/{id}/guide-hours',
    req: () => withQuery(fromOp('GET /api/v1/municipalities/{id}/guide-hours', W.A.municipality.id), 'month=2026-12'),
  },
  // The outbox names guides and their addresses; what the mails look like is for those who plan and send them.
  { op: 'GET /api/v1/outbox', req: () => fromOp('GET /api/v1/outbox') },
  { op: 'GET /api/v1/mail/previews/{kind}', req: () => ({ method: 'get', path: P('/mail/previews/weekly') }) },
  // A café's attendance names seniors (by id) and each guide's hours: for those who record it.
  {
    op: 'GET /api/v1/sessions/{id}/report',
    req: () => fromOp('GET /api/v1/sessions/{id}/report', W.A.reportedSession.id),
  },
  // The after-café form names the seniors seated: for those who record attendance.
  {
    op: 'GET /api/v1/sessions/{id}/report-form',
    req: () => fromOp('GET /api/v1/sessions/{id}/report-form', W.A.reportedSession.id),
  },
  // The live queue names the seniors checked in and the walk-ins' first names.
  { op: 'GET /api/v1/sessions/{id}/queue', req: () => fromOp('GET /api/v1/sessions/{id}/queue', W.A.session.id) },
];
const STAFF_READS = [
  'GET /api/v1/guides',
  'GET /api/v1/guides/{id}',
  'GET /api/v1/guides/{id}/links',
  'GET /api/v1/sessions/{id}/report',
  'GET /api/v1/municipalities/{id}/guide-hours',
  'GET /api/v1/sessions/{id}/report-form',
  'GET /api/v1/sessions/{id}/queue',
];

/** Schedules of municipality A, which every role of A may read. */
const schedulesOfA: { what: string; path: () => string; has: () => string }[] = [
  { what: 'sessions', path: () => P('/sessions'), has: () => W.A.session.id },
  { what: 'a session', path: () => P(`/sessions/${W.A.session.id}`), has: () => W.A.session.id },
  { what: 'series', path: () => P('/series'), has: () => W.A.series.id },
  { what: 'a series', path: () => P(`/series/${W.A.series.id}`), has: () => W.A.series.id },
  { what: 'venues', path: () => P('/venues'), has: () => W.A.venue.id },
  { what: 'a venue', path: () => P(`/venues/${W.A.venue.id}`), has: () => W.A.venue.id },
  { what: 'closures', path: () => P('/closures'), has: () => W.A.closure.id },
  { what: 'a closure', path: () => P(`/closures/${W.A.closure.id}`), has: () => W.A.closure.id },
  {
    what: 'the week',
    path: () => P(`/municipalities/${W.A.municipality.id}/weeks/${WEEK}`),
    has: () => W.A.session.id,
  },
  { what: 'a plan', path: () => P(`/plans/${W.A.plan.id}`), has: () => W.A.assignment.id },
  {
    what: "a session's guides",
    path: () => P(`/sessions/${W.A.session.id}/assignments`),
    has: () => W.A.assignment.id,
  },
];

describe('Coverage of the role tables', () => {
  // Public writes (a guide's answer link) answer to the link, not to a role: the `own` cases of the matrix try them.
  it('aims a write at every write operation outside /auth and the public ones', async () => {
    const doc = (await t.http().get(P('/openapi.json')).expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const writes = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .filter((o) => !o.startsWith('GET ') && !o.includes(' /api/v1/auth/') && !PUBLIC_OPS.includes(o));
    expect(writes.filter((o) => !writesOnA.some((w) => w.op === o))).toEqual([]);
  });
});

describe('A viewer of municipality A', () => {
  const viewer = () => tok.viewerA.token;

  it.each(schedulesOfA)('reads $what of A', async ({ path, has }) => {
    const res = await send(viewer(), { method: 'get', path: path() }).expect(200);
    expect(res.text).toContain(has());
    expectNoTraceOf(W.B, res.text);
  });

  it.each(writesOnA)('may not $op (403 forbidden, nothing written)', async ({ req }) => {
    await expectForbidden(viewer(), req());
  });

  it.each(privateReadsOfA)('may not $op (403 forbidden)', async ({ req }) => {
    await expectForbidden(viewer(), req());
  });

  it("sees the week with its seats and demand, but no registrations and no senior's name or phone anywhere", async () => {
    const res = await send(viewer(), {
      method: 'get',
      path: P(`/municipalities/${W.A.municipality.id}/weeks/${WEEK}`),
    }).expect(200);
    const session = res.body.sessions.find((s: { id: string }) => s.id === W.A.session.id);
    expect(session).toMatchObject({ confirmed: 1, seatsLeft: 3, registrations: [] });
    for (const s of res.body.sessions) expect(s.registrations).toEqual([]);
    expect(res.text).not.toContain(W.A.names.senior);
    expect(res.text).not.toContain(W.A.names.phone);
    expect(res.text).not.toContain(W.A.senior.id);
    expect(res.text).not.toContain(W.A.registration.id);
    // The same week as a coordinator names the senior: the check above is not vacuous.
    const planner = await send(W.A.coordinator.token, {
      method: 'get',
      path: P(`/municipalities/${W.A.municipality.id}/weeks/${WEEK}`),
    }).expect(200);
    expect(planner.text).toContain(W.A.names.senior);
  });

  it.each(REPORT_FORMS)("reads the report of A's contract as $form, with nothing of B", async ({ path, has }) => {
    const res = await send(viewer(), { method: 'get', path: path(W.A) }).expect(200);
    expectAll(res.text, has(W.A));
    expectNoTraceOf(W.B, res.text);
  });

  it("cannot read the reports of B's contract: 404, as for an unknown id", async () => {
    for (const op of REPORT_OPS)
      await expectRefusedAlike(viewer(), fromOp(op, W.B.contract.id), W.B.contract.id, 404, 'not_found', 'params.id');
  });

  it("cannot see municipality B's schedules: 404 by id, empty lists", async () => {
    await expectRefusedAlike(
      viewer(),
      fromOp('GET /api/v1/sessions/{id}', W.B.session.id),
      W.B.session.id,
      404,
      'not_found',
      'params.id',
    );
    await expectRefusedAlike(
      viewer(),
      fromOp('GET /api/v1/municipalities/{id}/weeks/{week}', W.B.municipality.id),
      W.B.municipality.id,
      404,
      'not_found',
      'params.id',
    );
    await expectRefusedAlike(
      viewer(),
      fromOp('GET /api/v1/plans/{id}', W.B.plan.id),
      W.B.plan.id,
      404,
      'not_found',
      'params.id',
    );
    await expectRefusedAlike(
      viewer(),
      fromOp('GET /api/v1/sessions/{id}/assignments', W.B.session.id),
      W.B.session.id,
      404,
      'not_found',
      'params.id',
    );
    const res = await send(viewer(), { method: 'get', path: P('/sessions') })
      .query({ municipalityId: W.B.municipality.id })
      .expect(200);
    expect(res.body).toMatchObject({ items: [], total: 0 });
  });
});

describe('Staff of association A (contracted with municipality A only)', () => {
  const staff = () => tok.staffA.token;

  it("lists and reads association A's guides, not B's", async () => {
    const list = await send(staff(), { method: 'get', path: P('/guides?limit=500') }).expect(200);
    expect(ids(list.body)).toContain(W.A.guide.id);
    expectNoTraceOf(W.B, list.text);
    for (const g of list.body.items) expect(g.associationId).toBe(W.A.association.id);
    for (const filter of [{ associationId: W.B.association.id }, { municipalityId: W.B.municipality.id }]) {
      const filtered = await send(staff(), { method: 'get', path: P('/guides') })
        .query(filter)
        .expect(200);
      expect(filtered.body).toMatchObject({ items: [], total: 0 });
    }
    await send(staff(), { method: 'get', path: P(`/guides/${W.A.guide.id}`) }).expect(200);
    await send(staff(), { method: 'get', path: P(`/guides/${W.A.guide.id}/links`) }).expect(200);
    await expectRefusedAlike(
      staff(),
      fromOp('GET /api/v1/guides/{id}', W.B.guide.id),
      W.B.guide.id,
      404,
      'not_found',
      'params.id',
    );
    await expectRefusedAlike(
      staff(),
      fromOp('GET /api/v1/guides/{id}/links', W.B.guide.id),
      W.B.guide.id,
      404,
      'not_found',
      'params.id',
    );
  });

  it('creates and changes guides of association A, and makes links for them', async () => {
    const made = await send(staff(), {
      method: 'post',
      path: P('/guides'),
      body: buildGuide(W.A.association.id, W.A.municipality.id, { name: 'Nyanställd Guide' }),
    }).expect(201);
    expect(made.body).toMatchObject({ associationId: W.A.association.id, municipalityId: W.A.municipality.id });
    const changed = await send(staff(), {
      method: 'patch',
      path: P(`/guides/${made.body.id}`),
      body: { maxHoursPerWeek: 4 },
    }).expect(200);
    expect(changed.body.maxHoursPerWeek).toBe(4);
    await send(staff(), {
      method: 'post',
      path: P(`/guides/${made.body.id}/links`),
      body: { purpose: 'access' },
    }).expect(201);
  });

  it('cannot put a guide in municipality B or association B (422 unknown_reference), nor change or link B’s guides (404)', async () => {
    const inB = buildGuide(W.A.association.id, W.B.municipality.id);
    await expectRefusedAlike(
      staff(),
      { method: 'post', path: P('/guides'), body: inB },
      W.B.municipality.id,
      422,
      'unknown_reference',
      'body.municipalityId',
    );
    const ofB = buildGuide(W.B.association.id, W.A.municipality.id);
    await expectRefusedAlike(
      staff(),
      { method: 'post', path: P('/guides'), body: ofB },
      W.B.association.id,
      422,
      'unknown_reference',
      'body.associationId',
    );
    await expectRefusedAlike(
      staff(),
      fromOp('PATCH /api/v1/guides/{id}', W.B.guide.id, { active: false }),
      W.B.guide.id,
      404,
      'not_found',
      'params.id',
    );
    await expectRefusedAlike(
      staff(),
      fromOp('POST /api/v1/guides/{id}/links', W.B.guide.id, { purpose: 'access' }),
      W.B.guide.id,
      404,
      'not_found',
      'params.id',
    );
    await expectRefusedAlike(
      staff(),
      fromOp('POST /api/v1/guide-links/{id}/revoke', W.B.link.id),
      W.B.link.id,
      404,
      'not_found',
      'params.id',
    );
  });

  it('records and corrects the attendance of a café of municipality A, and reads what A has recorded', async () => {
    // A café of A that is over (made while the clock stood earlier), which nobody has reported.
    t.clock.set('2026-11-01T09:00:00Z');
    let cafe: { id: string };
    try {
      cafe = await t.services.sessions.createOneOff({
        venueId: W.A.venue2.id,
        date: '2026-11-12',
        startTime: '10:00',
        durationMinutes: 120,
        timeZone: 'Europe/Stockholm',
        seats: 6,
        minGuides: 2,
        maxGuides: 3,
        theme: null,
      });
    } finally {
      t.clock.set(NOW);
    }
    const form = {
      walkIns: { anonymous: [{ count: 3, ageBand: '75_plus' }] },
      help: { topics: { bankid: 2 } },
      guides: [{ guideId: W.A.guide.id, start: '10:00', end: '12:00' }],
    };
    const made = await send(staff(), { method: 'post', path: P(`/sessions/${cafe.id}/report`), body: form }).expect(
      201,
    );
    expect(made.body).toMatchObject({
      sessionId: cafe.id,
      revision: 1,
      guides: [expect.objectContaining({ guideId: W.A.guide.id, minutes: 120 })],
    });
    const corrected = await send(staff(), {
      method: 'put',
      path: P(`/sessions/${cafe.id}/report`),
      body: { ...form, dayReport: 'Tre kom utan anmälan.', revision: 1 },
    }).expect(200);
    expect(corrected.body).toMatchObject({ revision: 2, dayReport: 'Tre kom utan anmälan.' });
    const recorded = await send(staff(), fromOp('GET /api/v1/sessions/{id}/report', W.A.reportedSession.id)).expect(
      200,
    );
    expect(recorded.body).toMatchObject({ id: W.A.report.id });
    expectNoTraceOf(W.B, recorded.text);
  });

  it("cannot record, correct or read the attendance of municipality B's cafés (404, as for an unknown id), nor name B's guides in A's", async () => {
    await expectRefusedAlike(
      staff(),
      fromOp('POST /api/v1/sessions/{id}/report', W.B.pastSession.id, { came: [] }),
      W.B.pastSession.id,
      404,
      'not_found',
      'params.id',
    );
    await expectRefusedAlike(
      staff(),
      fromOp('PUT /api/v1/sessions/{id}/report', W.B.reportedSession.id, { came: [], revision: 1 }),
      W.B.reportedSession.id,
      404,
      'not_found',
      'params.id',
    );
    await expectRefusedAlike(
      staff(),
      fromOp('GET /api/v1/sessions/{id}/report', W.B.reportedSession.id),
      W.B.reportedSession.id,
      404,
      'not_found',
      'params.id',
    );
    const withB = { guides: [{ guideId: W.B.guide.id, start: '14:00', end: '16:00' }], revision: 1 };
    await expectRefusedAlike(
      staff(),
      fromOp('PUT /api/v1/sessions/{id}/report', W.A.reportedSession.id, withB),
      W.B.guide.id,
      422,
      'invalid_attendance',
      'body.guides.0.guideId',
    );
  });

  it("reads the hours of its own association's guides in municipality A, and not B's (404, as for an unknown id)", async () => {
    const hours = (id: string) => withQuery(fromOp('GET /api/v1/municipalities/{id}/guide-hours', id), 'month=2026-12');
    const res = await send(staff(), hours(W.A.municipality.id)).expect(200);
    expect(res.body).toEqual({
      month: '2026-12',
      items: [{ guideId: W.A.guide.id, plannedMinutes: 120, peakWeekMinutes: 120, workedMinutes: 0 }],
    });
    expectNoTraceOf(W.B, res.text);
    await expectRefusedAlike(staff(), hours(W.B.municipality.id), W.B.municipality.id, 404, 'not_found', 'params.id');
  });

  it("opens the after-café form of a café of A, and not of B's (404, as for an unknown id)", async () => {
    const res = await send(staff(), fromOp('GET /api/v1/sessions/{id}/report-form', W.A.reportedSession.id)).expect(
      200,
    );
    expect(res.body).toMatchObject({
      sessionId: W.A.reportedSession.id,
      revision: 1,
      guides: [],
      current: { guides: [expect.objectContaining({ guideId: W.A.guide.id })] },
    });
    expectNoTraceOf(W.B, res.text);
    await expectRefusedAlike(
      staff(),
      fromOp('GET /api/v1/sessions/{id}/report-form', W.B.reportedSession.id),
      W.B.reportedSession.id,
      404,
      'not_found',
      'params.id',
    );
    await expectRefusedAlike(
      staff(),
      fromOp('GET /api/v1/sessions/{id}/report-form', W.B.pastSession.id),
      W.B.pastSession.id,
      404,
      'not_found',
      'params.id',
    );
  });

  it.each(REPORT_FORMS)(
    'reads the report of its contract with A as $form, with nothing of B',
    async ({ path, has }) => {
      const res = await send(staff(), { method: 'get', path: path(W.A) }).expect(200);
      expectAll(res.text, has(W.A));
      expectNoTraceOf(W.B, res.text);
    },
  );

  it("cannot read the reports of B's contract: 404, as for an unknown id", async () => {
    for (const op of REPORT_OPS)
      await expectRefusedAlike(staff(), fromOp(op, W.B.contract.id), W.B.contract.id, 404, 'not_found', 'params.id');
  });

  it.each(privateReadsOfA.filter((r) => !STAFF_READS.includes(r.op)))(
    'may not $op: no seniors, registrations, audit or accounts (403)',
    async ({ req }) => {
      await expectForbidden(staff(), req());
    },
  );

  it.each(writesOnA.filter((w) => !STAFF_WRITES.includes(w.op)))(
    'may not $op (403 forbidden, nothing written)',
    async ({ req }) => {
      await expectForbidden(staff(), req());
    },
  );

  it.each(schedulesOfA)('reads $what of municipality A', async ({ path, has }) => {
    const res = await send(staff(), { method: 'get', path: path() }).expect(200);
    expect(res.text).toContain(has());
    expectNoTraceOf(W.B, res.text);
  });

  it("sees the week of A without seniors' names", async () => {
    const res = await send(staff(), {
      method: 'get',
      path: P(`/municipalities/${W.A.municipality.id}/weeks/${WEEK}`),
    }).expect(200);
    for (const s of res.body.sessions) expect(s.registrations).toEqual([]);
    expect(res.text).not.toContain(W.A.names.senior);
    expect(res.text).not.toContain(W.A.names.phone);
  });

  it("cannot see municipality B's sessions, series, venues, closures, week or contract: 404 by id, empty lists", async () => {
    const byId: [string, string][] = [
      ['GET /api/v1/sessions/{id}', W.B.session.id],
      ['GET /api/v1/series/{id}', W.B.series.id],
      ['GET /api/v1/venues/{id}', W.B.venue.id],
      ['GET /api/v1/closures/{id}', W.B.closure.id],
      ['GET /api/v1/municipalities/{id}/weeks/{week}', W.B.municipality.id],
      ['GET /api/v1/municipalities/{id}', W.B.municipality.id],
      ['GET /api/v1/associations/{id}', W.B.association.id],
      ['GET /api/v1/contracts/{id}', W.B.contract.id],
      ['GET /api/v1/plans/{id}', W.B.plan.id],
      ['GET /api/v1/sessions/{id}/assignments', W.B.session.id],
    ];
    for (const [op, id] of byId) await expectRefusedAlike(staff(), fromOp(op, id), id, 404, 'not_found', 'params.id');
    for (const path of [
      '/sessions',
      '/series',
      '/venues',
      '/closures',
      '/municipalities',
      '/associations',
      '/contracts',
    ]) {
      const all = await send(staff(), { method: 'get', path: P(`${path}?limit=500`) }).expect(200);
      expectNoTraceOf(W.B, all.text);
    }
    for (const path of ['/sessions', '/series', '/venues', '/closures']) {
      const filtered = await send(staff(), { method: 'get', path: P(path) })
        .query({ municipalityId: W.B.municipality.id })
        .expect(200);
      expect({ path, body: filtered.body }).toMatchObject({ path, body: { items: [], total: 0 } });
    }
  });

  it('sees its own contract and association', async () => {
    const contracts = await send(staff(), { method: 'get', path: P('/contracts') }).expect(200);
    expect(ids(contracts.body)).toEqual([W.A.contract.id]);
    await send(staff(), { method: 'get', path: P(`/contracts/${W.A.contract.id}`) }).expect(200);
    await send(staff(), { method: 'get', path: P(`/associations/${W.A.association.id}`) }).expect(200);
    const municipalities = await send(staff(), { method: 'get', path: P('/municipalities') }).expect(200);
    expect(ids(municipalities.body)).toEqual([W.A.municipality.id]);
  });

  it.each([
    ['associationId', () => W.B.association.id],
    ['municipalityId', () => W.B.municipality.id],
  ])("gets an empty page of contracts for ?%s=<B's>, the same as for an unknown id", async (key, value) => {
    const real = await send(staff(), { method: 'get', path: P('/contracts') }).query({ [key]: value() });
    const decoy = await send(staff(), { method: 'get', path: P('/contracts') }).query({ [key]: randomUUID() });
    expect({ status: real.status, body: real.body }).toEqual({
      status: 200,
      body: { items: [], total: 0, limit: 50, offset: 0 },
    });
    expect(real.body).toEqual(decoy.body);
  });
});

describe('An admin', () => {
  const admin = () => t.adminToken;

  it.each([
    ['municipalities', '/municipalities', (w: World) => w.municipality.id],
    ['associations', '/associations', (w: World) => w.association.id],
    ['contracts', '/contracts', (w: World) => w.contract.id],
    ['venues', '/venues', (w: World) => w.venue.id],
    ['series', '/series', (w: World) => w.series.id],
    ['sessions', '/sessions', (w: World) => w.session.id],
    ['closures', '/closures', (w: World) => w.closure.id],
    ['guides', '/guides', (w: World) => w.guide.id],
    ['seniors', '/seniors', (w: World) => w.senior.id],
  ])('lists the %s of both municipalities', async (_what, path, idOf) => {
    const res = await send(admin(), { method: 'get', path: P(`${path}?limit=500`) }).expect(200);
    expect(ids(res.body)).toEqual(expect.arrayContaining([idOf(W.A), idOf(W.B)]));
  });

  it('reads the seniors, registrations and weeks of both, with names', async () => {
    for (const w of [W.A, W.B]) {
      await send(admin(), { method: 'get', path: P(`/seniors/${w.senior.id}`) }).expect(200);
      await send(admin(), { method: 'get', path: P(`/registrations/${w.registration.id}`) }).expect(200);
      const week = await send(admin(), {
        method: 'get',
        path: P(`/municipalities/${w.municipality.id}/weeks/${WEEK}`),
      }).expect(200);
      expect(week.text).toContain(w.names.senior);
    }
    const audit = await send(admin(), { method: 'get', path: P('/audit?limit=500') }).expect(200);
    const seen = new Set(audit.body.items.map((e: { municipalityId: string | null }) => e.municipalityId));
    expect(seen.has(W.A.municipality.id) && seen.has(W.B.municipality.id)).toBe(true);
  });

  it("lists the outbox of both municipalities and the installation's own, and resends a message of no municipality", async () => {
    const res = await send(admin(), { method: 'get', path: P('/outbox?limit=500') }).expect(200);
    expect(ids(res.body)).toEqual(expect.arrayContaining([W.A.message.id, W.B.message.id, installationMessage.id]));
    const resent = await send(admin(), fromOp('POST /api/v1/outbox/{id}/resend', installationMessage.id)).expect(200);
    expect(resent.body).toMatchObject({ id: installationMessage.id, municipalityId: null, status: 'queued' });
  });

  it('reads the plans, the guides on the sessions and the substitutes of both', async () => {
    for (const w of [W.A, W.B]) {
      const plan = await send(admin(), { method: 'get', path: P(`/plans/${w.plan.id}`) }).expect(200);
      expect(plan.body).toMatchObject({
        municipalityId: w.municipality.id,
        assignments: expect.arrayContaining([expect.objectContaining({ id: w.assignment.id })]),
      });
      const onSession = await send(admin(), { method: 'get', path: P(`/sessions/${w.session.id}/assignments`) }).expect(
        200,
      );
      expect(ids(onSession.body)).toContain(w.assignment.id);
      const subs = await send(admin(), {
        method: 'get',
        path: P(`/assignments/${w.assignment.id}/substitutes`),
      }).expect(200);
      expect(subs.body.items.map((c: { guideId: string }) => c.guideId)).toContain(w.guide2.id);
      expectNoTraceOf(w === W.A ? W.B : W.A, subs.text);
    }
  });

  it('ranks the candidates for the sessions of both, each from its own municipality', async () => {
    for (const w of [W.A, W.B]) {
      const res = await send(admin(), fromOp('GET /api/v1/sessions/{id}/candidates', w.session.id)).expect(200);
      expect(res.body.items.map((c: { guideId: string }) => c.guideId)).toContain(w.guide2.id);
      expectNoTraceOf(w === W.A ? W.B : W.A, res.text);
    }
  });

  it(`runs a scheduled job now (${JOB}), once for this minute however often it is asked`, async () => {
    const tick = new Date(Math.floor(Date.parse(NOW) / 60_000) * 60_000).toISOString();
    const first = await send(admin(), fromOp('POST /api/v1/jobs/{name}/run')).expect(200);
    expect(first.body).toMatchObject({ job: JOB, tick, ran: true });
    const again = await send(admin(), fromOp('POST /api/v1/jobs/{name}/run')).expect(200);
    expect(again.body).toMatchObject({ job: JOB, tick, ran: false });
  });
});

// ---------------------------------------------------------------------------------------------
// Credentials
// ---------------------------------------------------------------------------------------------

describe('Without valid credentials', () => {
  it('answers every non-public operation without a token with 401 unauthenticated and WWW-Authenticate: Bearer', async () => {
    const doc = (await t.http().get(P('/openapi.json')).expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .filter((o) => !PUBLIC_OPS.includes(o));
    expect(operations.length).toBeGreaterThan(40);
    const before = await snapshot();
    const answers: Record<string, unknown> = {};
    for (const op of operations) {
      const res = await send(null, fromOp(op, W.A.municipality.id, op.startsWith('GET ') ? undefined : {}));
      answers[op] = { ...errorOf(res), wwwAuthenticate: res.headers['www-authenticate'] };
    }
    expect(await snapshot()).toEqual(before);
    const expected = Object.fromEntries(
      operations.map((op) => [op, { status: 401, code: 'unauthenticated', wwwAuthenticate: 'Bearer' }]),
    );
    expect(answers).toEqual(expected);
  });

  it.each([
    ['a malformed token', 'Bearer abc'],
    ['a well-formed token nobody was given', `Bearer bry_a_${'x'.repeat(43)}`],
    ['another scheme', `Basic ${Buffer.from('admin:admin').toString('base64')}`],
    ['a bearer with no token', 'Bearer'],
  ])('refuses %s with 401 invalid_token', async (_what, header) => {
    const res = await anon().get(P('/venues')).set('Authorization', header);
    expect(errorOf(res)).toEqual({ status: 401, code: 'invalid_token' });
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('refuses an API token once its owner has revoked it', async () => {
    const extra = await account('coordinator', W.A.municipality.id);
    await send(extra.token, { method: 'get', path: P('/venues') }).expect(200);
    // Another coordinator cannot revoke it …
    await send(W.B.coordinator.token, { method: 'delete', path: P(`/auth/tokens/${extra.tokenId}`) }).expect(404);
    await send(extra.token, { method: 'get', path: P('/venues') }).expect(200);
    // … its owner can.
    await send(extra.token, { method: 'delete', path: P(`/auth/tokens/${extra.tokenId}`) }).expect(200);
    const res = await send(extra.token, { method: 'get', path: P('/venues') });
    expect(errorOf(res)).toEqual({ status: 401, code: 'invalid_token' });
  });

  it("refuses a deactivated user's token at once (the token was in use just before)", async () => {
    const extra = await account('coordinator', W.A.municipality.id);
    await send(extra.token, { method: 'get', path: P('/venues') }).expect(200);
    await send(t.adminToken, { method: 'post', path: P(`/users/${extra.user.id}/deactivate`) }).expect(200);
    const res = await send(extra.token, { method: 'get', path: P('/venues') });
    expect(errorOf(res)).toEqual({ status: 401, code: 'invalid_token' });
  });

  // Another instance, or a script, deactivates in the database: this instance knows the caller
  // for at most 30 s more (README, "Logins and tokens on several instances"), then the token
  // dies with the account.
  it("refuses the token of an account deactivated in the database once this instance's 30 s are over", async () => {
    const extra = await account('coordinator', W.A.municipality.id);
    await send(extra.token, { method: 'get', path: P('/venues') }).expect(200);
    await t.dataSource.getRepository(User).update({ id: extra.user.id }, { active: false });
    const was = t.clock.now();
    try {
      t.clock.advance(30_000);
      const res = await send(extra.token, { method: 'get', path: P('/venues') });
      expect(errorOf(res)).toEqual({ status: 401, code: 'invalid_token' });
    } finally {
      t.clock.set(was);
    }
  });
});

describe("A guide's signed link", () => {
  const me = (token: string) => anon().get(P('/guide/me')).query({ token });
  const issue = async (w: World) =>
    (
      await send(w.coordinator.token, {
        method: 'post',
        path: P(`/guides/${w.guide.id}/links`),
        body: { purpose: 'access' },
      }).expect(201)
    ).body as { id: string; token: string };

  it("shows guide A's own page and nothing of B", async () => {
    const res = await me(W.A.link.token).expect(200);
    expect(res.body).toMatchObject({ id: W.A.guide.id, name: W.A.names.guide });
    expectNoTraceOf(W.B, res.text);
  });

  it('refuses a forged link (one character of the signature changed) with 401 invalid_link', async () => {
    const parts = W.A.link.token.split('.');
    const signature = parts[3];
    parts[3] = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    const res = await me(parts.join('.'));
    expect(errorOf(res)).toEqual({ status: 401, code: 'invalid_link' });
  });

  it("cannot be turned into guide B's link by swapping in B's link id", async () => {
    const parts = W.A.link.token.split('.');
    parts[0] = W.B.link.id;
    const res = await me(parts.join('.'));
    expect(errorOf(res)).toEqual({ status: 401, code: 'invalid_link' });
  });

  it("cannot be revoked or listed by municipality B's coordinator (404, as for an unknown id), and still works", async () => {
    const link = await issue(W.A);
    await expectRefusedAlike(
      W.B.coordinator.token,
      fromOp('POST /api/v1/guide-links/{id}/revoke', link.id),
      link.id,
      404,
      'not_found',
      'params.id',
    );
    await expectRefusedAlike(
      W.B.coordinator.token,
      fromOp('GET /api/v1/guides/{id}/links', W.A.guide.id),
      W.A.guide.id,
      404,
      'not_found',
      'params.id',
    );
    await me(link.token).expect(200);
  });

  it('is refused with 401 link_revoked once revoked by its coordinator', async () => {
    const link = await issue(W.A);
    await me(link.token).expect(200);
    const revoked = await send(W.A.coordinator.token, {
      method: 'post',
      path: P(`/guide-links/${link.id}/revoke`),
    }).expect(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const listed = await send(W.A.coordinator.token, {
      method: 'get',
      path: P(`/guides/${W.A.guide.id}/links`),
    }).expect(200);
    expect(listed.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: link.id, revokedAt: expect.any(String) })]),
    );
    expect(listed.text).not.toContain(link.token);
    const res = await me(link.token);
    expect(errorOf(res)).toEqual({ status: 401, code: 'link_revoked' });
    // The guide's other link still works.
    await me(W.A.link.token).expect(200);
  });

  it(`is refused with 401 link_expired after ${LINK_DAYS} days`, async () => {
    const link = await issue(W.A);
    try {
      t.clock.advance(LINK_DAYS * 86_400_000 - 1000);
      await me(link.token).expect(200);
      t.clock.advance(1000);
      const res = await me(link.token);
      expect(errorOf(res)).toEqual({ status: 401, code: 'link_expired' });
    } finally {
      t.clock.set(NOW);
    }
  });
});
