import type { OperationOutcome } from '@medplum/fhirtypes';
import { ScribeError } from '../kernel/errors.js';

/**
 * unknown: a write may or may not have reached the server and the server cannot be asked reliably:
 * it is held for a person to check, never resent blindly and never called delivered.
 */
export type FailureKind = 'retry' | 'failed' | 'unreachable' | 'unknown';

/**
 * A delivery that did not succeed, classified once. `message` is safe to log (kind and code only);
 * `reason` is for people and may quote the server, which may echo data: the outbox stores it
 * encrypted and nothing logs it.
 */
export class FhirDeliveryError extends Error {
  readonly kind: FailureKind;
  readonly code: string;
  readonly reason: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(
    kind: FailureKind,
    code: string,
    reason: string,
    options: { status?: number | undefined; retryAfterMs?: number | undefined; cause?: unknown } = {},
  ) {
    super(`FHIR delivery ${kind}: ${code}${options.status ? ` (HTTP ${options.status})` : ''}`, { cause: options.cause });
    this.name = 'FhirDeliveryError';
    this.kind = kind;
    this.code = code;
    this.reason = reason;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Nothing was sent: the server refused the connection or its name did not resolve. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TLS = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|ERR_SSL_)/;

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const nested = (e as { errors?: unknown[] }).errors;
    if (Array.isArray(nested) && nested.length > 0) return errorCode(nested[0]);
  }
  return undefined;
}

/** A failure below HTTP: no status line came back. */
export function classifyNetworkError(error: unknown, jobSignal: AbortSignal | undefined, what: string): FhirDeliveryError {
  if (error instanceof FhirDeliveryError) return error;
  const name = (error as { name?: unknown } | undefined)?.name;
  if (jobSignal?.aborted)
    return new FhirDeliveryError('retry', 'aborted', `The ${what} was cut short before an answer came back; it will be resent.`, {
      cause: error,
    });
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new FhirDeliveryError(
      'retry',
      'timeout',
      `The EHR did not answer the ${what} in time; it will be resent (a resend never duplicates the note).`,
      { cause: error },
    );
  }
  const code = errorCode(error);
  if (code && UNREACHABLE.has(code))
    return new FhirDeliveryError('unreachable', 'unreachable', `The EHR could not be reached (${code}).`, { cause: error });
  if (code && TLS.test(code))
    return new FhirDeliveryError('unreachable', 'tls_error', `The EHR's TLS certificate was not accepted (${code}).`, { cause: error });
  return new FhirDeliveryError(
    'retry',
    'connection_lost',
    `The connection to the EHR was lost during the ${what}${code ? ` (${code})` : ''}; it will be resent.`,
    { cause: error },
  );
}

/** Retry-After as seconds or an HTTP date, capped at an hour. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), 3_600_000) : undefined;
}

/** The OperationOutcome's issues in one line: severity, code, text, location. */
export function operationOutcomeText(body: unknown): string | undefined {
  const outcome = body as OperationOutcome | undefined;
  if (outcome?.resourceType !== 'OperationOutcome' || !outcome.issue?.length) return undefined;
  const text = outcome.issue
    .map((i) => {
      const words = i.details?.text ?? i.diagnostics ?? i.code;
      const where = i.expression?.length ? ` (at ${i.expression.join(', ')})` : '';
      return `${i.severity} ${i.code}: ${words}${where}`;
    })
    .join('; ');
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

const PERMANENT_CODES: Readonly<Record<number, string>> = {
  400: 'bad_request',
  403: 'forbidden',
  404: 'not_found',
  405: 'not_supported',
  409: 'conflict',
  410: 'gone',
  412: 'precondition_failed',
  413: 'too_large',
  415: 'unsupported_media_type',
  422: 'rejected',
  501: 'not_supported',
};

/** An HTTP answer that is not a success (401 is handled by the caller: it re-authenticates once). */
export function classifyHttpFailure(status: number, body: unknown, retryAfterHeader: string | null, what: string): FhirDeliveryError {
  const details = operationOutcomeText(body);
  const said = details ? `: ${details}` : '.';
  if (status === 408 || status === 429 || (status >= 500 && status !== 501)) {
    const retryAfterMs = parseRetryAfter(retryAfterHeader);
    const code = status === 429 ? 'rate_limited' : status === 408 ? 'timeout' : 'server_error';
    return new FhirDeliveryError('retry', code, `The EHR answered the ${what} with HTTP ${status}${said}`, { status, retryAfterMs });
  }
  const code = PERMANENT_CODES[status] ?? (status === 401 ? 'unauthorized' : 'http_error');
  return new FhirDeliveryError('failed', code, `The EHR refused the ${what} (HTTP ${status})${said}`, { status });
}

export const noFhirServer = () =>
  new ScribeError('unavailable', 'No FHIR server is set up (setting fhirBaseUrl).', { reason: 'fhir.not_configured' });

export const fhirClientIncomplete = () =>
  new ScribeError(
    'unavailable',
    'The FHIR connection needs a client id and a private key file (settings fhirClientId, fhirPrivateKeyFile).',
    {
      reason: 'fhir.client_incomplete',
    },
  );

export const fhirKeyFileUnreadable = () =>
  new ScribeError('unavailable', 'The FHIR private key file cannot be read.', { reason: 'fhir.key_file_unreadable' });

export const notAFhirKeyFile = () =>
  new ScribeError('unavailable', 'The FHIR private key file is not a key file this app can use ({ "alg", "privateKey" as a JWK }).', {
    reason: 'fhir.key_file_invalid',
  });
