import { createServer, IncomingMessage, type RequestListener, type Server, ServerResponse } from 'node:http';
import type { Express } from 'express';

/**
 * An HTTP server for an express app whose requests and answers are made as express's own from
 * the start.
 *
 * Express sets the prototype of every request and answer to its own (`Object.setPrototypeOf` in
 * `app.handle`), which V8 cannot make fast: every object a request made then outlived two
 * young-generation collections and was copied to the old generation. On this machine a bare
 * express route answered a third of the requests it answers with this server, and each of those
 * collections held the thread for 2–12 ms instead of 0.1–0.5 (expressjs/express#5998). Here the
 * server makes each request and answer with express's prototype already (as classes of its own,
 * which V8 handles well), so express's own `setPrototypeOf` changes nothing.
 *
 * `whileStarting` answers until `serve(app)` (the service takes its port before its database is
 * open, and answers 503 meanwhile). One app, served once, by one server. An express app mounted
 * in it (`app.use(sub)`) would set its own prototypes again; the service mounts routers only.
 */
export function appServer(whileStarting?: RequestListener): { server: Server; serve: (app: Express) => void } {
  class AppRequest extends IncomingMessage {}
  class AppResponse extends ServerResponse<AppRequest> {}
  const server = createServer<typeof AppRequest, typeof AppResponse>(
    { IncomingMessage: AppRequest, ServerResponse: AppResponse },
    whileStarting,
  );
  let served = false;
  return {
    server,
    serve: (app) => {
      if (served) throw new Error('appServer: one app, served once');
      // A second server would take the prototypes from the first: its requests would get the app's, not its own.
      if (adopted.has(app)) throw new Error('appServer: this app is served by another server already');
      served = true;
      adopted.add(app);
      adopt(app, 'request', AppRequest.prototype);
      adopt(app, 'response', AppResponse.prototype);
      if (whileStarting) server.off('request', whileStarting);
      server.on('request', app);
    },
  };
}

/** The apps whose prototypes a server took: each is served by one server only. */
const adopted = new WeakSet<Express>();

/** Makes `proto` what `app[key]` was (its prototype and own properties, `app`) and the app's from now on. */
function adopt(app: Express, key: 'request' | 'response', proto: object) {
  const theirs = app[key] as object;
  const { constructor: _ours, ...own } = Object.getOwnPropertyDescriptors(theirs);
  Object.setPrototypeOf(proto, Object.getPrototypeOf(theirs) as object);
  Object.defineProperties(proto, own);
  (app as unknown as Record<string, object>)[key] = proto;
}
