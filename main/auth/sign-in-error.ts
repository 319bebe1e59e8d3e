import type { ApiErrorCode } from '../../shared/api/errors.js';
import type { AuthProblem } from '../../shared/domain/auth.js';
import { ScribeError } from '../kernel/errors.js';
import type { ScribeErrorOptions } from '../kernel/errors.js';

const API_CODES: Readonly<Record<AuthProblem, ApiErrorCode>> = {
  not_configured: 'unavailable',
  discovery_failed: 'unavailable',
  unsupported_server: 'unavailable',
  browser_failed: 'unavailable',
  access_denied: 'forbidden',
  authorization_failed: 'forbidden',
  token_exchange_failed: 'unavailable',
  identity_invalid: 'forbidden',
  not_a_practitioner: 'forbidden',
  timed_out: 'unavailable',
  cancelled: 'conflict',
  superseded: 'conflict',
  session_expired: 'forbidden',
  launch_refused: 'bad_request',
};

/**
 * A sign-in that did not complete, or a session that ended. `problem` is what the renderer's
 * AuthStatus shows; `reason` (`auth.…`, default `auth.<problem>`) names the exact situation. Raise
 * them through the factories in auth-errors.ts. `message` is written for the clinician and is safe
 * to log: it never holds a URL, a token, a code, or text the EHR sent.
 */
export class SignInError extends ScribeError {
  readonly problem: AuthProblem;
  constructor(problem: AuthProblem, message: string, options?: ScribeErrorOptions) {
    super(API_CODES[problem], message, { ...options, reason: options?.reason ?? `auth.${problem}` });
    this.problem = problem;
  }
}

/** Anything thrown during sign-in, as a SignInError; unknown failures become `fallback(cause)`. */
export function asSignInError(error: unknown, fallback: (cause: unknown) => SignInError): SignInError {
  return error instanceof SignInError ? error : fallback(error);
}
