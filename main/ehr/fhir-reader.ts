import type { BackendTokenSource } from '../fhir/smart-backend-auth.js';
import { FhirDeliveryError } from '../fhir/fhir-errors.js';
import { EhrError } from './ehr-error.js';

/**
 * Read-only FHIR GETs for the schedule and patient search: a bearer token from whichever source
 * is in use (the clinician's SMART session or the workstation's backend-services token), one retry
 * with a fresh token after a 401, a timeout, and every failure as an EhrError. Nothing about the
 * request (URL, query) or the answer is logged or put in an error message.
 */
export interface FhirReader {
  /** GET `{base}/{path}`; the JSON body of a 2xx answer. */
  get(path: string, what: string, signal?: AbortSignal): Promise<unknown>;
  /** GET an absolute URL the server gave (a Bundle's `next` link); refused unless it is on the same server. */
  getUrl(url: string, what: string, signal?: AbortSignal): Promise<unknown>;
}

export interface FhirReaderOptions {
  readonly baseUrl: string;
  readonly tokens: BackendTokenSource;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
}

const NETWORK_CODES =
  /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL|EPIPE|UND_ERR_[A-Z_]+|CERT_[A-Z_]+|ERR_TLS_[A-Z_]+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_[A-Z_]+)$/;

function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.test(code)) return code;
  }
  return undefined;
}

/** A token failure from the backend-services source or the clinician's session, as an EhrError. */
function tokenFailure(error: unknown): EhrError {
  if (error instanceof EhrError) return error;
  if (error instanceof FhirDeliveryError) {
    if (error.kind === 'unreachable' || error.code === 'timeout' || error.code === 'connection_lost')
      return EhrError.unreachable(error.code, error);
    return new EhrError(
      'unauthorized',
      `The EHR's authorization server did not give this workstation access (${error.code}). Check the FHIR connection settings.`,
      { cause: error },
    );
  }
  if ((error as { name?: unknown })?.name === 'SignInError') {
    return new EhrError('unauthorized', 'Your EHR session has ended. Sign in again to see your schedule.', { cause: error });
  }
  const code = networkCode(error);
  if (code) return EhrError.unreachable(code, error);
  return new EhrError('unauthorized', 'No access token for the EHR could be obtained.', { cause: error });
}

export function createFhirReader(o: FhirReaderOptions): FhirReader {
  const doFetch = o.fetch ?? fetch;
  const base = o.baseUrl.replace(/\/+$/, '');

  const request = async (url: string, what: string, signal: AbortSignal | undefined): Promise<unknown> => {
    for (let attempt = 0; ; attempt += 1) {
      let token: string;
      try {
        token = await o.tokens.token(signal);
      } catch (error) {
        throw tokenFailure(error);
      }
      const timeout = AbortSignal.timeout(o.timeoutMs);
      let response: Response;
      let text: string;
      try {
        response = await doFetch(url, {
          headers: { accept: 'application/fhir+json', authorization: `Bearer ${token}` },
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
        text = await response.text();
      } catch (error) {
        const name = (error as { name?: unknown })?.name;
        if (name === 'TimeoutError' || (name === 'AbortError' && timeout.aborted))
          throw EhrError.unreachable(`no answer within ${Math.round(o.timeoutMs / 1000)} s`, error);
        if (name === 'AbortError') throw error;
        throw EhrError.unreachable(networkCode(error), error);
      }
      if (response.status === 401 && attempt === 0) {
        o.tokens.invalidate(token);
        continue;
      }
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
        if (response.ok) throw EhrError.badResponse(what, response.status);
      }
      if (response.status === 401 || response.status === 403) {
        throw new EhrError(
          'unauthorized',
          `The EHR refused access to the ${what} (HTTP ${response.status}). Check the FHIR connection's scopes, or sign in again.`,
          { status: response.status },
        );
      }
      if (!response.ok)
        throw EhrError.server(response.status, (body as { resourceType?: unknown } | undefined)?.resourceType === 'OperationOutcome');
      return body;
    }
  };

  return {
    get: (path, what, signal) => request(`${base}/${path}`, what, signal),
    getUrl(url, what, signal) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw EhrError.badResponse(what);
      }
      // A next link elsewhere would carry the bearer token to another server.
      if (parsed.origin !== new URL(base).origin) throw EhrError.badResponse(what);
      return request(parsed.href, what, signal);
    },
  };
}
