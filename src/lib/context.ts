import { AsyncLocalStorage } from 'node:async_hooks';

/** Who is acting in the current request or job, for the audit log. */
export interface Actor {
  type: 'user' | 'guide' | 'system';
  id: string | null;
}

const storage = new AsyncLocalStorage<Actor>();

export function runAs<T>(actor: Actor, work: () => T): T {
  return storage.run(actor, work);
}

export function currentActor(): Actor {
  return storage.getStore() ?? { type: 'system', id: null };
}
