import { createWorld } from '../factories';
import { createTestApp, type TestApp } from './app';

export type World = Awaited<ReturnType<typeof createWorld>>;

/** A fresh app and a small world (municipality, association, venue) for every test of a describe. */
export function useWorld(now: string | undefined, set: (t: TestApp, world: World) => void): void {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(now);
    set(t, await createWorld(t.services));
  });
  afterEach(() => t.close());
}
