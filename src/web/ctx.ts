import type { Session } from './api';

/** What a logged-in page knows: the login, the municipality chosen, and whether the role plans. */
export interface Ctx {
  session: Session;
  municipalityId: string;
  planner: boolean;
}
