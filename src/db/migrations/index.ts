import { Initial1764000000000 } from './1764000000000-Initial';

/** In order. A new migration is added here as well as in its own file. */
export const migrations = [Initial1764000000000];
