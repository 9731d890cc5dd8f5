import { Request, Response, Router } from 'express';
import { z } from 'zod';
import { ValidationError } from '../domain/errors';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/**
 * One route, declared once: its schemas validate the request, type the handler, and
 * become the OpenAPI document (src/http/openapi.ts). The handler parses nothing itself.
 */
export interface RouteDef<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined, R extends Schema> {
  method: Method;
  path: string;
  tag: string;
  summary: string;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /** 200 unless given; 201 for creations, 204 for no content. */
  status?: number;
  handler: (input: { params: Out<P>; query: Out<Q>; body: Out<B> }, req: Request) => Promise<z.input<R>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteDef<any, any, any, any>;

export function route<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined, R extends Schema>(
  def: RouteDef<P, Q, B, R>,
): AnyRoute {
  return def;
}

function parse(schema: Schema | undefined, value: unknown, where: 'params' | 'query' | 'body'): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({ field: [where, ...i.path].join('.'), issue: i.message }));
  throw new ValidationError(`The request ${where} is not valid`, details);
}

/**
 * Mounts routes on a router. With `checkResponses` (on in tests) every answer is also checked
 * against its response schema, so the OpenAPI document cannot drift from what is sent.
 */
export function mount(router: Router, routes: AnyRoute[], options: { checkResponses?: boolean } = {}): Router {
  for (const def of routes) {
    router[def.method](def.path, async (req: Request, res: Response) => {
      const input = {
        params: parse(def.params, req.params, 'params'),
        query: parse(def.query, req.query, 'query'),
        body: parse(def.body, req.body, 'body'),
      };
      const result = await def.handler(input as never, req);
      if (options.checkResponses) {
        const checked = def.response.safeParse(result);
        if (!checked.success) throw new Error(`Response of ${def.method.toUpperCase()} ${def.path} breaks its schema: ${checked.error.message}`);
      }
      const status = def.status ?? 200;
      if (status === 204) res.status(204).end();
      else res.status(status).json(result);
    });
  }
  return router;
}
