import { timingSafeEqual } from 'node:crypto';
import { normalizeBaseUrl } from './sign-in-config.js';
import {
  accessDenied,
  authorizationRefused,
  noAuthorizationCode,
  tokenEndpointUnreachable,
  tokenExchangeRefused,
  tokenExchangeTimedOut,
} from './auth-errors.js';
import { SignInError } from './sign-in-error.js';

/**
 * What arrives from outside during a sign-in, checked before anything acts on it: the
 * authorization response at the loopback callback, an EHR launch request, and the errors the EHR
 * answers with. Error codes are quoted only from the lists the specifications define; free text
 * from the EHR (error_description, response bodies) is never passed on.
 */

const AUTHORIZATION_ERRORS = new Set([
  'invalid_request',
  'unauthorized_client',
  'access_denied',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
  'login_required',
  'consent_required',
  'interaction_required',
]);
const TOKEN_ERRORS = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
];
/** RFC 6749 Appendix A.11: VSCHAR. */
const CODE = /^[\x20-\x7E]{1,4096}$/;
const LAUNCH = /^[\x21-\x7E]{1,2048}$/;

/** Compares secrets without telling a timing observer how much of a guess was right. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type CallbackCheck =
  | { readonly kind: 'foreign'; readonly reason: 'state_missing' | 'state_mismatch' }
  | { readonly kind: 'failed'; readonly error: SignInError }
  | { readonly kind: 'code'; readonly code: string };

/**
 * The authorization response (RFC 6749 §4.1.2). `foreign`: not an answer to our request (no or
 * another state), to be ignored while the real one may still come; `failed`: our request, refused
 * or unusable; `code`: ours, with a code to exchange.
 */
export function checkCallback(query: URLSearchParams, expectedState: string): CallbackCheck {
  const state = query.get('state');
  if (state === null) return { kind: 'foreign', reason: 'state_missing' };
  if (!sameSecret(state, expectedState)) return { kind: 'foreign', reason: 'state_mismatch' };
  const error = query.get('error');
  if (error !== null) {
    if (error === 'access_denied') return { kind: 'failed', error: accessDenied() };
    return { kind: 'failed', error: authorizationRefused(AUTHORIZATION_ERRORS.has(error) ? error : 'unknown error') };
  }
  const code = query.get('code');
  if (code === null || !CODE.test(code)) return { kind: 'failed', error: noAuthorizationCode() };
  return { kind: 'code', code };
}

export type LaunchCheck =
  | { readonly kind: 'refused'; readonly status: number; readonly reason: string; readonly message: string }
  | { readonly kind: 'launch'; readonly launch: string };

/**
 * An EHR launch (`?iss=…&launch=…`). Any web page can send a browser to the launch URL, so only the
 * EHR configured in settings may launch: another `iss` would make the app sign in somewhere else.
 */
export function checkLaunch(query: URLSearchParams, fhirBaseUrl: string): LaunchCheck {
  const iss = query.get('iss');
  const launch = query.get('launch');
  if (iss === null || launch === null || !LAUNCH.test(launch))
    return { kind: 'refused', status: 400, reason: 'incomplete', message: 'This launch does not name its EHR and launch context.' };
  if (normalizeBaseUrl(iss) !== normalizeBaseUrl(fhirBaseUrl)) {
    return {
      kind: 'refused',
      status: 403,
      reason: 'iss_not_configured',
      message: 'This launch came from an EHR Ambient Scribe is not set up for, so it was refused.',
    };
  }
  return { kind: 'launch', launch };
}

/** fhirclient's HttpError carries the status and, on a line of its message, the OAuth error code; only known codes are quoted. */
export function tokenExchangeError(error: unknown): SignInError {
  if (error instanceof SignInError) return error;
  if ((error as { name?: unknown } | undefined)?.name === 'TimeoutError') return tokenExchangeTimedOut(error);
  const status = (error as { status?: unknown } | undefined)?.status;
  if (typeof status === 'number') {
    const lines = (error instanceof Error ? error.message : '').split('\n');
    const oauth = TOKEN_ERRORS.find((code) => lines.some((line) => line === code || line.startsWith(`${code}:`)));
    return tokenExchangeRefused(status, oauth, error);
  }
  return tokenEndpointUnreachable(error);
}
