import express from 'express';
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

function app(count: number, writes: number[]) {
  const items = Array.from({ length: count }, (_, n) => n);
  return express().get('/', async (_req, res) => {
    const answer = InSlices.of<Answer, 'items', number>(
      { id: 'x', note: 'ä "citat" \\ slut' },
      'items',
      items,
      (n) => ({
        n,
        text: `rad ${n}`,
      }),
    );
    const write = res.write.bind(res);
    let n = 0;
    res.write = ((...args: Parameters<typeof write>) => (n++, write(...args))) as typeof res.write;
    res.on('finish', () => writes.push(n));
    await answer.send(res, 201);
  });
}

describe('An answer in slices', () => {
  it.each([0, 1, 499, 500, 501, 1234])('sends the same JSON as at once, with %i items', async (count) => {
    const writes: number[] = [];
    const res = await request(app(count, writes)).get('/').expect(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const whole = InSlices.of<Answer, 'items', number>({ id: 'x', note: 'ä "citat" \\ slut' }, 'items', [], () => ({
      n: 0,
      text: '',
    })).whole();
    expect(JSON.parse(res.text)).toEqual({
      ...whole,
      items: Array.from({ length: count }, (_, n) => ({ n, text: `rad ${n}` })),
    });
    // One write for each slice of 500 (the head goes with the first), and the end.
    expect(writes).toEqual([Math.ceil(count / 500)]);
  });

  it('lets another request in between its slices', async () => {
    const order: string[] = [];
    const items = Array.from({ length: 50_000 }, (_, n) => n);
    const server = express()
      .get('/big', async (_req, res) => {
        const answer = InSlices.of<Answer, 'items', number>({ id: 'big', note: null }, 'items', items, (n) => ({
          n,
          text: String(n),
        }));
        res.on('finish', () => order.push('big'));
        // The small request arrives while the big one is written.
        setImmediate(
          () =>
            void request(server)
              .get('/small')
              .then(() => order.push('small answered')),
        );
        await answer.send(res, 200);
      })
      .get('/small', (_req, res) => void res.json({ ok: true }));
    const res = await request(server).get('/big').expect(200);
    expect((JSON.parse(res.text) as Answer).items).toHaveLength(50_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(order[0]).toBe('small answered');
  });
});
