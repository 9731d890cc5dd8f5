import express, { type Request, type Response, type Router } from 'express';
import { type z } from 'zod';
import { type Owner, type Principal, type Role, sees } from '../domain/access';
import {
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  UnprocessableError,
  type ErrorDetail,
  ValidationError,
} from '../domain/errors';
import { textProblem } from '../contract/text';
import { runAs } from '../lib/context';
import { type OwnedKind, seenFromScope } from '../services/ownership';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** An id in the request whose owner must be visible to the caller. */
export interface OwnerRef {
  in: 'params' | 'body';
  key: string;
  kind: OwnedKind;
}

/**
 * Who may call a route: anyone (`public`: login, health, guides' signed links, which check
 * their own token), or the listed roles, and then only for what they own.
 */
export type Access = 'public' | { roles: readonly Role[]; owners?: OwnerRef[] };

export interface HandlerContext<Pub extends boolean = false> {
  req: Request;
  principal: Pub extends true ? Principal | null : Principal;
}

/**
 * One route, declared once: its schemas validate the request, type the handler, and become
 * the OpenAPI document; its access rule is checked before the handler runs. The handler
 * parses nothing and checks no permission itself.
 */
export interface RouteDef<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
  R extends Schema,
> {
  method: Method;
  path: string;
  tag: string;
  summary: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /** 200 unless given; 201 for creations, 204 for no content. */
  status?: number;
  /** A file instead of JSON (CSV, a printable page): the handler returns the text, sent with this type. */
  produces?: 'text/csv; charset=utf-8' | 'text/html; charset=utf-8' | typeof XLSX;
  /**
   * A file sent as the body (an import): its bytes reach the handler as `body` (a Buffer), of
   * these media types and at most this size; the body schema is not used.
   */
  upload?: { types: readonly string[]; limit: string };
  /** With `produces`: the file name a download gets. */
  filename?: (input: { params: Out<P>; query: Out<Q> }) => string;
  handler: (
    input: { params: Out<P>; query: Out<Q>; body: Out<B> },
    ctx: HandlerContext,
  ) => Promise<z.input<R> | InSlices<z.input<R>>>;
}

/** Items of a list answered in one slice: an answer's own work between two let-ins stays short. */
const SLICE_ITEMS = 500;

/**
 * A JSON answer with one long list (a county's plan has thousands of assignments), mapped and
 * written in slices with other requests let in between: written at once it would hold every
 * other request on the instance while it is worked out. The client gets the same JSON.
 */
export class InSlices<T> {
  private constructor(
    private readonly head: object,
    private readonly key: string,
    private readonly items: readonly unknown[],
    private readonly map: (item: never) => unknown,
  ) {}

  /** `head` with `key` (its last field) the items, each mapped by `map`. */
  static of<T, K extends keyof T & string, I>(
    head: Omit<T, K>,
    key: K,
    items: readonly I[],
    map: (item: I) => T[K] extends readonly (infer E)[] ? E : never,
  ): InSlices<T> {
    return new InSlices<T>(head, key, items, map);
  }

  /** The answer as one value (to check it against its schema). */
  whole(): T {
    return { ...this.head, [this.key]: this.items.map(this.map as (item: unknown) => unknown) } as T;
  }

  /** Sends it: its head, then its list a slice at a time, minding the client's pace. */
  async send(res: Response, status: number): Promise<void> {
    // The head without the list, then the list as its last field, whatever the head held.
    const { [this.key]: _list, ...rest } = this.head as Record<string, unknown>;
    const head = JSON.stringify(rest);
    let open = `${head.slice(0, -1)}${head === '{}' ? '' : ','}${JSON.stringify(this.key)}:[`;
    const map = this.map as (item: unknown) => unknown;
    res.status(status).type('json');
    try {
      for (let i = 0; i < this.items.length; i += SLICE_ITEMS) {
        if (res.destroyed) return;
        const slice = this.items.slice(i, i + SLICE_ITEMS).map((item) => JSON.stringify(map(item)));
        if (!res.write(open + (i ? ',' : '') + slice.join(','))) await drained(res);
        open = '';
        await new Promise((resolve) => setImmediate(resolve));
      }
      res.end(`${open}]}`);
    } catch (err) {
      // Begun, it cannot become an error answer: the client sees it cut short. Not begun, the error handler answers.
      if (res.headersSent) res.destroy(err as Error);
      throw err;
    }
  }
}

/** Until the client has taken what was written (or is gone), with no listener left behind. */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}

/** Any route, once declared: its input is checked by its own schemas, so it is opaque (`never`) here. */
export type AnyRoute = Omit<
  RouteDef<Schema | undefined, Schema | undefined, Schema | undefined, Schema>,
  'handler' | 'filename'
> & {
  handler: (input: never, ctx: HandlerContext) => Promise<unknown>;
  filename?: (input: never) => string;
};

export function route<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
  R extends Schema,
>(def: RouteDef<P, Q, B, R>): AnyRoute {
  return def;
}

export interface Gatekeeper {
  /** The principal behind a bearer token; throws UnauthenticatedError. */
  authenticate(token: string): Promise<{ principal: Principal }>;
  /** The owners of these resources (null: no such one), in order, read in one statement. */
  ownersOf(refs: { kind: OwnedKind; id: string }[]): Promise<(Owner | null)[]>;
}

/** After `refuseNonText`: every string of the request is text by then. */
function parse(schema: Schema | undefined, value: unknown, where: 'params' | 'query' | 'body'): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({ field: [where, ...i.path].join('.'), issue: i.message }));
  throw new ValidationError(`The request ${where} is not valid`, details);
}

/** The one check of text for every route, before any schema: a 400 invalid_text naming each field at fault. */
function refuseNonText(req: Request, withBody: boolean): void {
  const bad = [
    ...textProblems(req.params, ['params']),
    ...textProblems(req.query, ['query']),
    ...(withBody ? textProblems(req.body, ['body']) : []),
  ];
  if (bad.length) throw new ValidationError('The request holds characters that are not text', bad, 'invalid_text');
}

/** Every string in a body, query or path that `textProblem` refuses, by its path. `key`: the field it is (an item of a list is its list's field). */
function textProblems(value: unknown, path: (string | number)[], key = ''): ErrorDetail[] {
  if (typeof value === 'string') {
    const issue = textProblem(key, value);
    return issue ? [{ field: path.join('.'), issue }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => textProblems(v, [...path, i], key));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [
      ...(textProblem('', k) ? [{ field: [...path, k].join('.'), issue: 'the field name is not text' }] : []),
      ...textProblems(v, [...path, k], k),
    ]);
  return [];
}

/** An uploaded file's bytes; a 400 naming the body when none came, or of another type. */
function fileOf(req: Request, types: readonly string[]): Buffer {
  if (Buffer.isBuffer(req.body) && req.body.length > 0) return req.body;
  throw new ValidationError('Send the file itself as the body', [
    { field: 'body', issue: `a file of type ${types.join(' or ')}` },
  ]);
}

export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const [scheme, token] = header.split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token)
    throw new UnauthenticatedError('invalid_token', 'Send the token as: Authorization: Bearer <token>');
  return token;
}

/**
 * The one authorisation check. Unknown caller: 401. A role that may not do this at all: 403.
 * Something of another organisation: the same 404 (or 422 for an id in a body) as something
 * that does not exist, so nothing about it can be inferred.
 */
async function authorise(def: AnyRoute, req: Request, gate: Gatekeeper): Promise<Principal | null> {
  // A public route (login, a guide's link) ignores whatever credentials come along out of habit.
  if (def.access === 'public') {
    try {
      const token = bearerToken(req);
      return token ? (await gate.authenticate(token)).principal : null;
    } catch {
      return null;
    }
  }
  const token = bearerToken(req);
  if (!token) throw new UnauthenticatedError();
  const { principal } = await gate.authenticate(token);
  if (!def.access.roles.includes(principal.role)) throw new ForbiddenError();
  return principal;
}

async function checkOwners(
  def: AnyRoute,
  input: Record<'params' | 'body', unknown>,
  principal: Principal | null,
  gate: Gatekeeper,
) {
  if (def.access === 'public' || !principal || !def.access.owners?.length) return;
  const asked = def.access.owners.flatMap((ref) => {
    const id = (input[ref.in] as Record<string, unknown> | undefined)?.[ref.key];
    return typeof id === 'string' ? [{ ref, id, seen: seenFromScope(principal, ref.kind, id) }] : [];
  });
  // What the principal's own scope cannot say is read in one statement (nothing, often).
  const unknown = asked.filter((a) => a.seen === null);
  const owners = unknown.length ? await gate.ownersOf(unknown.map(({ ref, id }) => ({ kind: ref.kind, id }))) : [];
  for (const { ref, id, seen } of asked) {
    const owner = seen === null ? owners[unknown.findIndex((a) => a.ref === ref)] : null;
    if (seen ?? (owner && sees(principal, owner))) continue;
    if (ref.in === 'params') throw new NotFoundError(ref.kind, id);
    throw new UnprocessableError('unknown_reference', `body.${ref.key} does not name a known ${ref.kind}`, [
      { field: `body.${ref.key}`, issue: `no ${ref.kind} with this id` },
    ]);
  }
}

/**
 * Mounts routes on a router. With `checkResponses` (on in tests) every answer is also checked
 * against its response schema, so the OpenAPI document cannot drift from what is sent.
 */
export function mount(
  router: Router,
  routes: AnyRoute[],
  gate: Gatekeeper,
  options: { checkResponses?: boolean } = {},
): Router {
  // Routes go in a router of their own per first segment (/sessions, /guides …): a request is
  // matched against a couple of dozen prefixes and then its group's routes, not against all 118
  // in turn (issue 20: the router's matching was a few per cent of every request's CPU).
  const groups = new Map<string, Router>();
  for (const def of routes) {
    const [, first, rest] = /^(\/[^/:]+)(\/.*)?$/.exec(def.path) ?? [];
    if (!first) throw new Error(`${def.path}: a route's path starts with a fixed segment`);
    let group = groups.get(first);
    if (!group) {
      group = express.Router();
      groups.set(first, group);
      router.use(first, group);
    }
    const upload = def.upload ? [express.raw({ type: [...def.upload.types], limit: def.upload.limit })] : [];
    // For the log of a failed request, an upload's refused body too: the route as written (the
    // group's segment as mounted, not as the request spelled it), never the path's values.
    const noteRoute = (req: Request, res: Response, next: () => void) => {
      res.locals.route = `${req.baseUrl.slice(0, req.baseUrl.length - first.length)}${first}${rest ?? ''}`;
      next();
    };
    group[def.method](rest ?? '/', noteRoute, ...upload, async (req: Request, res: Response) => {
      const principal = await authorise(def, req, gate);
      refuseNonText(req, !def.upload);
      const input = {
        params: parse(def.params, req.params, 'params'),
        query: parse(def.query, req.query, 'query'),
        body: def.upload ? fileOf(req, def.upload.types) : parse(def.body, req.body, 'body'),
      };
      await checkOwners(def, input, principal, gate);
      const actor = principal ? { type: 'user' as const, id: principal.userId } : { type: 'system' as const, id: null };
      const result = await runAs(actor, () => def.handler(input as never, { req, principal: principal as Principal }));
      // A file (an xlsx workbook) is bytes, not the text its schema names: only text answers are checked.
      if (options.checkResponses && !Buffer.isBuffer(result)) {
        const checked = def.response.safeParse(result instanceof InSlices ? result.whole() : result);
        if (!checked.success)
          throw new Error(
            `Response of ${def.method.toUpperCase()} ${def.path} breaks its schema: ${checked.error.message}`,
          );
      }
      const status = def.status ?? 200;
      if (def.produces) {
        if (def.filename) res.attachment(def.filename(input as never));
        res.status(status).type(def.produces).send(result);
      } else if (status === 204) res.status(204).end();
      else if (result instanceof InSlices) await result.send(res, status);
      else res.status(status).json(result);
    });
  }
  return router;
}
