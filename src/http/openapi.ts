import { z } from 'zod';
import type { AnyRoute } from './route';
import { ErrorBody } from '../contract/common';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;

/** OpenAPI 3.1 from the same zod schemas that validate requests (3.1 speaks JSON Schema 2020-12). */
export function buildOpenApi(routes: AnyRoute[], info: { title: string; version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  // One schema for every error answer: each route's copy would be the same.
  const errorSchema = jsonSchema(ErrorBody, 'output');
  const errorResponse = (description: string) => ({
    description,
    content: { 'application/json': { schema: errorSchema } },
  });
  for (const r of routes) {
    const path = `/api/v1${r.path.replace(/:(\w+)/g, '{$1}')}`;
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['path', r.params],
      ['query', r.query],
    ] as const) {
      if (!schema) continue;
      const js = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(js.properties ?? {})) {
        parameters.push({
          name,
          in: where,
          required: where === 'path' || (js.required ?? []).includes(name),
          schema: s,
        });
      }
    }
    const status = String(r.status ?? 200);
    paths[path] ??= {};
    paths[path][r.method] = {
      tags: [r.tag],
      security: r.access === 'public' ? [] : [{ bearer: [] }],
      summary: r.summary,
      operationId: `${r.method}${r.path.replace(/[/:](\w)/g, (_m, c: string) => c.toUpperCase()).replace(/\W/g, '')}`,
      parameters,
      ...(r.upload
        ? {
            requestBody: {
              required: true,
              content: Object.fromEntries(
                r.upload.types.map((t) => [t, { schema: { type: 'string', format: 'binary' } }]),
              ),
            },
          }
        : r.body
          ? {
              requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } },
            }
          : {}),
      responses: {
        [status]:
          status === '204'
            ? { description: 'Done' }
            : {
                description: 'OK',
                content: { [r.produces ?? 'application/json']: { schema: jsonSchema(r.response, 'output') } },
              },
        '400': errorResponse('Malformed request: the details name each field at fault'),
        ...(r.access === 'public'
          ? {}
          : {
              '401': errorResponse('No token, or one that is unknown, expired or revoked'),
              '403': errorResponse('Your role may not do this'),
            }),
        ...(r.params ? { '404': errorResponse('Not found') } : {}),
        ...(r.method !== 'get'
          ? {
              '409': errorResponse('Conflicts with the current state'),
              '422': errorResponse('Breaks a rule of the domain'),
            }
          : {}),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'A login token (POST /api/v1/auth/login) or an API token',
        },
      },
    },
    paths,
  };
}
