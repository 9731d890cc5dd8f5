import type { Reason } from './matching/reasons';

/**
 * Errors carry a kind, not an HTTP status: services throw these, and one middleware
 * (src/http/middleware/errors.ts) maps each kind to a status and a JSON body.
 */
export interface ErrorDetail {
  /** Dotted path of the field at fault, e.g. `body.availability.1.end`. */
  field: string;
  issue: string;
  /** Where a hard rule is at fault, the engine's reason code and parameters (pages word it). */
  reason?: Reason;
}

export abstract class DomainError extends Error {
  abstract readonly kind:
    | 'validation'
    | 'not_found'
    | 'conflict'
    | 'unprocessable'
    | 'unauthenticated'
    | 'forbidden'
    | 'rate_limited'
    | 'unavailable';
  constructor(
    /** Machine-readable code, stable across releases, e.g. `already_registered`. */
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request is malformed: wrong types, missing fields, bad formats. */
export class ValidationError extends DomainError {
  readonly kind = 'validation' as const;
  constructor(message: string, details: ErrorDetail[] = [], code = 'validation_failed') {
    super(code, message, details);
  }
}

/** Well-formed, but breaks a rule of the domain (end before start, unknown venue id in a body …). */
export class UnprocessableError extends DomainError {
  readonly kind = 'unprocessable' as const;
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found' as const;
  constructor(resource: string, id: string) {
    super('not_found', `${resource} ${id} was not found`, [
      { field: 'params.id', issue: `no ${resource} with this id` },
    ]);
  }
}

/** The id in the path names nothing (or nothing the caller may see). */
/** The request clashes with the current state: a double registration, a stale version. */
export class ConflictError extends DomainError {
  readonly kind = 'conflict' as const;
}

/** No credentials, or credentials we do not accept (unknown, expired, revoked, malformed). */
export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated' as const;
  constructor(code = 'unauthenticated', message = 'Log in, or send a valid bearer token') {
    super(code, message);
  }
}

/** The caller's role may not do this at all. (Another organisation's things answer NotFound instead.) */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden' as const;
  constructor(message = 'Your role may not do this') {
    super('forbidden', message);
  }
}

export class RateLimitedError extends DomainError {
  readonly kind = 'rate_limited' as const;
  constructor(readonly retryAfterSeconds: number) {
    super('too_many_attempts', 'Too many failed attempts; wait and try again');
  }
}

/** The database would not store the write (a full disk, a read-only file, a lost connection): nothing was stored. */
export class StorageUnavailableError extends DomainError {
  readonly kind = 'unavailable' as const;
  constructor(cause?: unknown) {
    super(
      'storage_unavailable',
      'The database cannot store changes right now; the change may not be stored. Try again later',
    );
    this.cause = cause;
  }
}

/** Every thread of the planner is busy and its queue is full: plan again in a while. */
export class PlannerBusyError extends DomainError {
  readonly kind = 'unavailable' as const;
  readonly retryAfterSeconds = 10;
  constructor() {
    super('planner_busy', 'Other plans are being worked out and the queue is full; try again in a while');
  }
}

/** The planner's worker stopped before the plan was done (out of memory, or stuck): nothing was stored. */
export class PlannerFailedError extends DomainError {
  readonly kind = 'unavailable' as const;
  readonly retryAfterSeconds = 10;
  constructor() {
    super('planner_failed', 'The planner stopped before the plan was done; nothing was stored. Try again in a while');
  }
}
