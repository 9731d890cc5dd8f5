import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { UnauthenticatedError } from '../../src/domain/errors';
import { errorHandler } from '../../src/http/middleware/errors';
import { type AnyRoute, mount, route } from '../../src/http/route';
import { createLogger } from '../../src/lib/logger';

/**
 * The log line of a 500 names the route as written, whole, though `mount` puts the API's routes
 * in a router per first segment, and never the values in the path.
 */
describe('errorHandler', () => {
  it("logs the whole route of a failed request, through the routers it went by, without the path's values", async () => {
    const lines: string[] = [];
    const failing = (path: string): AnyRoute =>
      route({
        method: 'get',
        path,
        tag: 'test',
        summary: 'fails',
        access: 'public',
        params: z.object({ id: z.string().optional(), period: z.string().optional() }),
        response: z.object({}),
        handler: () => Promise.reject(new Error('boom')),
      });
    const gate = {
      authenticate: () => Promise.reject(new UnauthenticatedError()),
      ownersOf: () => Promise.resolve([]),
    };
    const app = express();
    app.use(
      '/api/v1',
      mount(express.Router(), [failing('/contracts/:id/reports/:period'), failing('/contracts')], gate),
    );
    app.use(errorHandler(createLogger('error', { write: (line) => void lines.push(line) })));

    await request(app).get('/api/v1/contracts/c0ffee-42/reports/2027-02').expect(500);
    await request(app).get('/api/v1/contracts').expect(500);
    expect(lines.map((l) => JSON.parse(l).route)).toEqual([
      '/api/v1/contracts/:id/reports/:period',
      '/api/v1/contracts',
    ]);
    expect(lines.join('\n')).not.toMatch(/c0ffee|2027-02/);
  });
});
