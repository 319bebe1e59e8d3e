import type { ApiErrorCode } from '../../shared/api/errors.js';

/** Safe facts about a failure (states, counts, field names): never PHI, secrets or raw input. */
export type ErrorDetails = Readonly<Record<string, string | number | boolean>>;

export interface ScribeErrorOptions {
  readonly cause?: unknown;
  /** Stable id of what went wrong (`visit.illegal_transition`): what the UI and tests match on. */
  readonly reason: string;
  readonly details?: ErrorDetails;
}

/**
 * Base of every error we raise on purpose. `message` must be safe to show and to log: no PHI, no
 * secrets, no raw input. The API boundary maps `code`, `reason` and `details` to the typed error
 * response. Raise them through the named factories in each folder's `*-errors.ts`, not inline.
 */
export class ScribeError extends Error {
  readonly code: ApiErrorCode;
  readonly reason: string;
  readonly details: ErrorDetails | undefined;
  constructor(code: ApiErrorCode, message: string, options: ScribeErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.reason = options.reason;
    this.details = options.details;
  }
}

/** `what` (`The visit`) was not found; `reason` says which kind of record (`visit.not_found`). */
export class NotFoundError extends ScribeError {
  constructor(what: string, reason: string) {
    super('not_found', `${what} was not found.`, { reason });
  }
}

/** This actor may not do this; `reason` says which permission (`note.edit_forbidden`). */
export class ForbiddenError extends ScribeError {
  constructor(message: string, reason: string, details?: ErrorDetails) {
    super('forbidden', message, { reason, details });
  }
}
