import { snapshot } from '../support/snapshot';
import { buildGuide, buildVenue, createWorld } from '../factories';
import { createTestApp, type TestApp } from '../support/app';

/**
 * A sweep over every text field of the OpenAPI document (bodies and queries): a NUL, another
 * control character, a direction override, a line break where one line is meant, and a value of
 * only invisible characters are each refused with 400 invalid_text naming the field, before
 * anything reaches the database (PostgreSQL answered a NUL with a 500), and nothing is written.
 */

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
};
type Operation = {
  parameters?: { name: string; in: string; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  security?: unknown[];
};

/** Each path to a string in a body schema, as the keys and list positions that reach it. */
function textPaths(schema: JsonSchema, path: (string | number)[] = []): (string | number)[][] {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.flatMap((v) => textPaths(v, path)).slice(0, 1);
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('string')) return path.length ? [path] : [];
  if (types.includes('array') && schema.items) return textPaths(schema.items, [...path, 0]);
  if (schema.properties) return Object.entries(schema.properties).flatMap(([k, v]) => textPaths(v, [...path, k]));
  return [];
}

/** A body holding `value` at `path` and nothing else: the text check comes before the schema's. */
function bodyWith(path: (string | number)[], value: string): unknown {
  const [head, ...rest] = path;
  const inner = rest.length ? bodyWith(rest, value) : value;
  return typeof head === 'number' ? [inner] : { [head]: inner };
}

const BAD: { what: string; value: string; issue: RegExp; multilineToo: boolean }[] = [
  { what: 'a NUL', value: 'Anna\u0000', issue: /control characters \(U\+0000\)/, multilineToo: true },
  { what: 'a bell', value: 'An\u0007na', issue: /control characters \(U\+0007\)/, multilineToo: true },
  {
    what: 'a right-to-left override',
    value: '\u202Eanna',
    issue: /direction overrides \(U\+202E\)/,
    multilineToo: true,
  },
  { what: 'only zero-width characters', value: '\u200B\u200D\u2060', issue: /visible characters/, multilineToo: true },
  { what: 'a line break', value: 'An\nna', issue: /one line/, multilineToo: false },
];

let t: TestApp;
let tokens: Record<string, string>;
let ops: { name: string; method: string; path: string; op: Operation }[];

beforeAll(async () => {
  t = await createTestApp();
  const world = await createWorld(t.services);
  tokens = {
    admin: t.adminToken,
    coordinator: await t.tokenFor('coordinator', world.municipality.id),
  };
  const doc = (await t.http().get('/api/v1/openapi.json').expect(200)).body as {
    paths: Record<string, Record<string, Operation>>;
  };
  ops = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, method, path, op })),
  );
});
afterAll(() => t.close());

const concrete = (path: string) =>
  path
    .replace('{week}', '2026-W49')
    .replace('{period}', '2027-Q1')
    .replace('{name}', 'weekly')
    .replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000');

/** As an admin where an admin may, else a coordinator; the guides' own routes take no login. */
async function send(method: string, path: string, body?: unknown) {
  for (const token of Object.values(tokens)) {
    const req = t.http(token)[method as 'post'](path);
    const res = await (body === undefined ? req : req.send(body as object));
    if (res.status !== 403) return res;
  }
  throw new Error(`no role may call ${method} ${path}`);
}

describe('Text fields: control characters, overrides, line breaks and invisible values', () => {
  it('refuses each in every text field of every body and query, naming the field, and writes nothing', async () => {
    const before = await snapshot(t.dataSource);
    const checked: string[] = [];
    const wrong: string[] = [];
    for (const { name, method, path, op } of ops) {
      const json = op.requestBody?.content['application/json']?.schema;
      const fields = [
        ...(json ? textPaths(json).map((p) => ({ where: 'body', path: p })) : []),
        ...(op.parameters ?? [])
          .filter((p) => p.in === 'query' && textPaths(p.schema, [p.name]).length)
          .map((p) => ({ where: 'query', path: [p.name] as (string | number)[] })),
      ];
      for (const field of fields) {
        const key = String([...field.path].reverse().find((k) => typeof k === 'string'));
        // Secrets are compared as given, never stored or shown as text: any character may be in them.
        if (['password', 'currentPassword', 'newPassword', 'token'].includes(key)) continue;
        const multiline = key === 'dayReport' || key === 'accessibilityNote';
        for (const bad of BAD.filter((b) => b.multilineToo || !multiline)) {
          const res =
            field.where === 'body'
              ? await send(method, concrete(path), bodyWith(field.path, bad.value))
              : await send(method, `${concrete(path)}?${key}=${encodeURIComponent(bad.value)}`);
          const at = `${field.where}.${field.path.join('.')}`;
          const detail = (res.body as { error?: { code: string; details: { field: string; issue: string }[] } }).error;
          if (
            res.status !== 400 ||
            detail?.code !== 'invalid_text' ||
            !detail.details.some((d) => d.field === at && bad.issue.test(d.issue))
          )
            wrong.push(`${name} ${at} with ${bad.what}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        }
        checked.push(`${name} ${field.where}.${field.path.join('.')}`);
      }
    }
    expect(wrong).toEqual([]);
    // The sweep reached the fields it is about (names, addresses, searches, the login).
    expect(checked).toEqual(
      expect.arrayContaining([
        'POST /api/v1/auth/login body.email',
        'POST /api/v1/venues body.name',
        'POST /api/v1/venues body.accessibilityNote',
        'POST /api/v1/seniors body.displayName',
        'POST /api/v1/guides body.name',
        'GET /api/v1/seniors query.q',
      ]),
    );
    expect(checked.length).toBeGreaterThan(100);
    expect(await snapshot(t.dataSource)).toEqual(before);
  });

  it('keeps line breaks in the fields written as several lines, and Persian names with their zero-width non-joiner', async () => {
    const world = await createWorld(t.services);
    const venue = await t
      .http()
      .post('/api/v1/venues')
      .send(buildVenue(world.municipality.id, { accessibilityNote: 'Hiss finns.\nRingklocka vid dörren.' }));
    expect(venue.status).toBe(201);
    expect(venue.body.accessibilityNote).toBe('Hiss finns.\nRingklocka vid dörren.');
    const guide = await t
      .http()
      .post('/api/v1/guides')
      .send(buildGuide(world.association.id, world.municipality.id, { name: 'مهسا\u200Cی احمدی' }));
    expect(guide.status).toBe(201);
    expect(guide.body.name).toBe('مهسا\u200Cی احمدی');
  });
});
