import type { ApiErrorCode } from '../shared/api/errors.js';

/**
 * Base of every error we raise on purpose. `message` must be safe to show and to log:
 * no PHI, no secrets, no raw input. The API boundary maps `code` to the typed error response.
 */
export class ScribeError extends Error {
  readonly code: ApiErrorCode;
  constructor(code: ApiErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

export class NotFoundError extends ScribeError {
  constructor(what: string) {
    super('not_found', `${what} was not found.`);
  }
}

export class ForbiddenError extends ScribeError {
  constructor(message: string) {
    super('forbidden', message);
  }
}
