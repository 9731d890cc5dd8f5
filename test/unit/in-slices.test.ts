import express, { type ErrorRequestHandler, type Response } from 'express';
import request from 'supertest';
import { InSlices } from '../../src/http/route';

/**
 * An answer with one long list (a county's plan) is written in slices, with other requests let in
 * between: the client still gets the very JSON one `res.json` would have sent.
 */

interface Answer {
  id: string;
  note: string | null;
  items: { n: number; text: string }[];
}

const HEAD = { id: 'x', note: 'ä "citat" \\ slut' };
const item = (n: number) => ({ n, text: `rad ${n}` });
const answerOf = (count: number, head: Omit<Answer, 'items'> = HEAD, map = item) =>
  InSlices.of<Answer, 'items', number>(
    head,
    'items',
    Array.from({ length: count }, (_, n) => n),
    map,
  );

/** An app answering GET / with `answer`, counting the writes and the listeners left on the answer. */
function app(answer: InSlices<Answer>, seen: { writes: number; listeners?: Record<string, number> }) {
  const handler: ErrorRequestHandler = (_err, _req, res, _next) => {
    if (!res.headersSent) res.status(500).json({ error: 'x' });
  };
  return express()
    .get('/', async (_req, res, next) => {
      const write = res.write.bind(res);
      res.write = ((...args: Parameters<typeof write>) => (seen.writes++, write(...args))) as typeof res.write;
      const before = { close: res.listenerCount('close'), drain: res.listenerCount('drain') };
      try {
        await answer.send(res, 201);
      } catch (err) {
        return next(err);
      }
      seen.listeners = {
        close: res.listenerCount('close') - before.close,
        drain: res.listenerCount('drain') - before.drain,
      };
    })
    .use(handler);
}

describe('An answer in slices', () => {
  it.each([0, 1, 499, 500, 501, 1234])('sends the same JSON as at once, with %i items', async (count) => {
    const seen = { writes: 0 };
    const res = await request(app(answerOf(count), seen))
      .get('/')
      .expect(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.text)).toEqual({ ...HEAD, items: Array.from({ length: count }, (_, n) => item(n)) });
    expect(JSON.parse(res.text)).toEqual(answerOf(count).whole());
    // One write for each slice of 500 (the head goes with the first), and the end.
    expect(seen.writes).toBe(Math.ceil(count / 500));
  });

  it('puts the list last whatever the head holds: an empty head, or one with the list already in it', async () => {
    const empty = await request(app(answerOf(2, {} as Omit<Answer, 'items'>), { writes: 0 })).get('/');
    expect(JSON.parse(empty.text)).toEqual({ items: [item(0), item(1)] });
    const withList = { id: 'y', items: 'old', note: null } as unknown as Omit<Answer, 'items'>;
    const res = await request(app(answerOf(2, withList), { writes: 0 })).get('/');
    expect(JSON.parse(res.text)).toEqual({ id: 'y', note: null, items: [item(0), item(1)] });
  });

  it('waits for the client between large slices and leaves no listener behind', async () => {
    const big = (n: number) => ({ n, text: 'x'.repeat(1_000) });
    const seen: { writes: number; listeners?: Record<string, number> } = { writes: 0 };
    const res = await request(app(answerOf(12_000, HEAD, big), seen))
      .get('/')
      .expect(201);
    expect((JSON.parse(res.text) as Answer).items).toHaveLength(12_000);
    expect(seen.writes).toBe(24);
    expect(seen.listeners).toEqual({ close: 0, drain: 0 });
  });

  it('answers 500 when the first slice fails (nothing sent yet), and cuts the answer short when a later one does', async () => {
    const failing = (at: number) =>
      answerOf(1_000, HEAD, (n) => {
        if (n === at) throw new Error('boom');
        return item(n);
      });
    await request(app(failing(3), { writes: 0 }))
      .get('/')
      .expect(500);
    await expect(request(app(failing(700), { writes: 0 })).get('/')).rejects.toThrow();
  });

  it('lets another request in between its slices', async () => {
    const order: string[] = [];
    const server = express()
      .get('/big', async (_req, res: Response) => {
        // The small request is sent as the big one begins to be written.
        setImmediate(
          () =>
            void request(server)
              .get('/small')
              .then(() => undefined),
        );
        await answerOf(50_000).send(res, 200);
        order.push('big written');
      })
      .get('/small', (_req, res) => {
        order.push('small handled');
        res.json({ ok: true });
      });
    const res = await request(server).get('/big').expect(200);
    expect((JSON.parse(res.text) as Answer).items).toHaveLength(50_000);
    // Written at once (res.json), the big answer would be done before the small request was read.
    expect(order[0]).toBe('small handled');
  });
});
