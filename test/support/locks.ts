import type { EntityManager } from 'typeorm';
import * as waitlist from '../../src/services/waitlist';

/**
 * Another request's change committing in the gap before the code under test locks this café
 * (`lockSession`): `meanwhile` runs just before the lock is taken. Restore the spy after.
 */
export function justBeforeLocking(sessionId: string, meanwhile: (m: EntityManager) => Promise<unknown>) {
  const real = waitlist.lockSession;
  return jest.spyOn(waitlist, 'lockSession').mockImplementation(async (m, id) => {
    if (id === sessionId) await meanwhile(m);
    return real(m, id);
  });
}
