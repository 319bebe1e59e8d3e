import { z } from 'zod';
import { isLoopbackUrl } from '../../shared/domain/policy.js';
import {
  ehrDidNotAnswer,
  ehrUnreachable,
  insecureEndpoints,
  noIssuer,
  noPkce,
  noSigningKeys,
  noSmartConfiguration,
  smartConfigurationUnreadable,
} from './auth-errors.js';

/**
 * The EHR's SMART endpoints, read from {fhirBaseUrl}/.well-known/smart-configuration before every
 * sign-in (fhirclient reads it too, but keeps its first answer, or its first failure, for the life
 * of the process; ours is always fresh and checked). Every endpoint must be https, or http on this
 * machine (the sandbox): a sign-in page or token endpoint reached in clear text would expose the
 * clinician's credentials and tokens.
 */
export interface SmartEndpoints {
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  /** The OpenID Connect issuer and its keys: they prove the id_token (who signed in) came from the EHR. */
  readonly issuer: string;
  readonly jwksUri: string;
  readonly revocationEndpoint: string | undefined;
  readonly capabilities: readonly string[];
}

export interface DiscoveryOptions {
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
}

const SmartConfiguration = z.object({
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  issuer: z.url().optional(),
  jwks_uri: z.url().optional(),
  revocation_endpoint: z.url().optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
  capabilities: z.array(z.string()).optional(),
});

const OpenIdConfiguration = z.object({ issuer: z.url(), jwks_uri: z.url() });

/** https, or http to this machine; never with a user name or password in it. */
export function isSecureEndpoint(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.username !== '' || url.password !== '') return false;
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackUrl(value));
  } catch {
    return false;
  }
}

async function getJson(url: string, o: DiscoveryOptions): Promise<unknown> {
  let response: Response;
  try {
    response = await o.fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(o.timeoutMs) });
  } catch (cause) {
    const timedOut = (cause as { name?: unknown } | undefined)?.name === 'TimeoutError';
    throw timedOut ? ehrDidNotAnswer(cause) : ehrUnreachable(cause);
  }
  if (!response.ok) throw smartConfigurationUnreadable(response.status);
  return response.json().catch(() => undefined);
}

export async function discoverSmartEndpoints(fhirBaseUrl: string, o: DiscoveryOptions): Promise<SmartEndpoints> {
  const parsed = SmartConfiguration.safeParse(await getJson(`${fhirBaseUrl.replace(/\/+$/, '')}/.well-known/smart-configuration`, o));
  if (!parsed.success) throw noSmartConfiguration();
  const config = parsed.data;
  const insecure = [config.authorization_endpoint, config.token_endpoint, config.issuer, config.jwks_uri, config.revocation_endpoint].some(
    (url) => url !== undefined && !isSecureEndpoint(url),
  );
  if (insecure) throw insecureEndpoints();
  // RFC 8252 §8.1: a native app is a public client; only PKCE with S256 keeps a stolen code useless.
  if (!(config.code_challenge_methods_supported ?? []).includes('S256')) throw noPkce();
  if (!config.issuer) throw noIssuer();
  let jwksUri = config.jwks_uri;
  if (!jwksUri) {
    const oidc = OpenIdConfiguration.safeParse(await getJson(`${config.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, o));
    if (!oidc.success || oidc.data.issuer !== config.issuer || !isSecureEndpoint(oidc.data.jwks_uri)) throw noSigningKeys();
    jwksUri = oidc.data.jwks_uri;
  }
  return {
    authorizationEndpoint: config.authorization_endpoint,
    tokenEndpoint: config.token_endpoint,
    issuer: config.issuer,
    jwksUri,
    revocationEndpoint: config.revocation_endpoint,
    capabilities: config.capabilities ?? [],
  };
}
