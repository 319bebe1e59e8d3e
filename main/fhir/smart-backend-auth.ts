import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import { z } from 'zod';
import { classifyHttpFailure, classifyNetworkError, FhirDeliveryError } from './fhir-errors.js';
import type { FhirSigningAlg, PrivateJwk } from './fhir-target-config.js';

/**
 * SMART Backend Services: the workstation proves who it is with a short-lived JWT signed by its
 * private key (private_key_jwt) and gets an access token. The token is cached until shortly before
 * it expires, concurrent callers share one refresh, and a token the server turned down (401) can
 * be dropped so the next call fetches a fresh one. Tokens and assertions are never logged.
 */
export interface BackendTokenSource {
  token(signal?: AbortSignal): Promise<string>;
  /** Forget `token` if it is the cached one: the server said it no longer accepts it. */
  invalidate(token: string): void;
}

export interface BackendAuthOptions {
  readonly baseUrl: string;
  readonly clientId: string;
  readonly privateKey: PrivateJwk;
  readonly signingAlg: FhirSigningAlg;
  readonly scope: string;
  readonly tokenUrl?: string | undefined;
  readonly requestTimeoutMs: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.number().positive().optional(),
  scope: z.string().optional(),
});

const SmartConfiguration = z.object({ token_endpoint: z.url() });

const OAuthError = z.object({ error: z.string().max(100), error_description: z.string().max(500).optional() });

interface Cached {
  readonly token: string;
  readonly refreshAt: number;
  readonly scope: string | undefined;
}

/** The token source delivery uses, plus what the server said it granted (for "test connection"). */
export interface InspectableTokenSource extends BackendTokenSource {
  /** The `scope` of the last token response; undefined before one, or when the server left it out. */
  grantedScope(): string | undefined;
}

/** Lets one caller stop waiting without cancelling the shared fetch others wait on. */
export function race<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function createBackendTokenSource(o: BackendAuthOptions): InspectableTokenSource {
  const doFetch = o.fetch ?? fetch;
  const now = o.now ?? Date.now;
  let key: ReturnType<typeof importJWK> | undefined;
  let tokenUrl: string | undefined = o.tokenUrl;
  let cached: Cached | undefined;
  let pending: Promise<Cached> | undefined;

  const get = async (url: string, what: string) => {
    let response: Response;
    try {
      response = await doFetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(o.requestTimeoutMs) });
    } catch (error) {
      throw classifyNetworkError(error, undefined, what);
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw classifyHttpFailure(response.status, body, response.headers.get('retry-after'), what);
    return body;
  };

  const discoverTokenUrl = async (): Promise<string> => {
    if (tokenUrl) return tokenUrl;
    const parsed = SmartConfiguration.safeParse(await get(`${o.baseUrl}/.well-known/smart-configuration`, 'SMART configuration request'));
    if (!parsed.success)
      throw new FhirDeliveryError(
        'failed',
        'auth_discovery',
        'The EHR does not publish a SMART token endpoint (/.well-known/smart-configuration).',
      );
    tokenUrl = parsed.data.token_endpoint;
    return tokenUrl;
  };

  const fetchToken = async (): Promise<Cached> => {
    const url = await discoverTokenUrl();
    key ??= importJWK(o.privateKey, o.signingAlg);
    let signingKey: Awaited<typeof key>;
    try {
      signingKey = await key;
    } catch (cause) {
      key = undefined;
      throw new FhirDeliveryError(
        'failed',
        'auth_key',
        `The workstation's private key cannot sign ${o.signingAlg} assertions; check the FHIR connection settings.`,
        { cause },
      );
    }
    const seconds = Math.floor(now() / 1000);
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: o.signingAlg, kid: o.privateKey.kid, typ: 'JWT' })
      .setIssuer(o.clientId)
      .setSubject(o.clientId)
      .setAudience(url)
      .setJti(randomUUID())
      .setIssuedAt(seconds)
      .setExpirationTime(seconds + 300)
      .sign(signingKey);
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: o.scope,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    });
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form,
        signal: AbortSignal.timeout(o.requestTimeoutMs),
      });
    } catch (error) {
      throw classifyNetworkError(error, undefined, 'token request');
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const oauth = OAuthError.safeParse(body);
      if (oauth.success && (response.status === 400 || response.status === 401)) {
        const said = `${oauth.data.error}${oauth.data.error_description ? `: ${oauth.data.error_description}` : ''}`;
        const code = oauth.data.error === 'invalid_scope' ? 'auth_scope' : 'auth_rejected';
        throw new FhirDeliveryError(
          'failed',
          code,
          `The EHR's authorization server refused this workstation (${said}). Check the client id, the scopes, and that the EHR holds this workstation's public key.`,
          {
            status: response.status,
          },
        );
      }
      throw classifyHttpFailure(response.status, body, response.headers.get('retry-after'), 'token request');
    }
    const parsed = TokenResponse.safeParse(body);
    if (!parsed.success)
      throw new FhirDeliveryError('retry', 'auth_bad_response', 'The authorization server sent a token response that could not be read.');
    const lifetimeMs = (parsed.data.expires_in ?? 300) * 1000;
    // Refresh a little early so a token never expires between our check and the EHR's.
    return { token: parsed.data.access_token, refreshAt: now() + lifetimeMs - Math.min(60_000, lifetimeMs / 5), scope: parsed.data.scope };
  };

  return {
    token(signal) {
      if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
      pending ??= fetchToken()
        .then((fresh) => {
          cached = fresh;
          return fresh;
        })
        .finally(() => {
          pending = undefined;
        });
      return race(
        pending.then((c) => c.token),
        signal,
      );
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
    grantedScope: () => cached?.scope,
  };
}
