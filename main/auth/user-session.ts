import type { LaunchKind, SignedInUser } from '../../shared/domain/auth.js';
import type { BackendTokenSource } from '../fhir/smart-backend-auth.js';
import { race } from '../fhir/smart-backend-auth.js';
import type { FhirclientClient, FhirclientTokenResponse } from './fhirclient-node.js';
import { sessionEnded, sessionNotRenewed, signedOut, signedOutDuringRenewal } from './auth-errors.js';
import type { SignInError } from './sign-in-error.js';
import type { SignInGrant } from './sign-in-attempt.js';

/**
 * One signed-in clinician: fhirclient's client (holding the token response, in memory only), who
 * it is, and a token source other main-process services use for FHIR calls in the clinician's
 * name (the same interface as the backend-services token, so the write-back FHIR client takes
 * either). Refreshing is single-flight: however many callers find the token stale at once, one
 * refresh request goes out and all of them wait for it; refresh tokens that rotate would otherwise
 * be spent twice and the EHR would end the grant.
 */
export interface UserSession {
  readonly id: string;
  readonly user: SignedInUser;
  readonly launch: LaunchKind;
  readonly fhirBaseUrl: string;
  readonly clientId: string;
  /** Where the EHR revokes this session's tokens (RFC 7009), when it offers that. */
  readonly revocationEndpoint: string | undefined;
  readonly tokens: BackendTokenSource;
  scopes(): string[];
  context(): { patientId: string | null; encounterId: string | null };
  /** Epoch ms when the access token expires, if the EHR said. */
  expiresAt(): number | undefined;
  refreshable(): boolean;
  /** Renews the access token now (single-flight); a failure ends nothing by itself, see `onLost`. */
  refresh(): Promise<void>;
  /** The refresh token (or, without one, the access token) for revocation at sign-out; never logged. */
  revocable(): { token: string; hint: 'refresh_token' | 'access_token' } | undefined;
  /** Drops every token this session held. */
  forget(): void;
}

/** A completed sign-in's grant, and how this session keeps it. */
export interface UserSessionOptions extends SignInGrant {
  readonly id: string;
  readonly requestTimeoutMs: number;
  readonly now: () => number;
  /** The session renewed its token (context or scopes may have changed). */
  readonly onRefreshed: () => void;
  /** The session can no longer get a token: the caller ends it. */
  readonly onLost: (error: SignInError) => void;
}

/** A token this close to expiry is renewed before use, so it cannot lapse on its way to the EHR. */
const EARLY_MS = 30_000;

const tokenResponseOf = (client: FhirclientClient): FhirclientTokenResponse => client.state.tokenResponse ?? {};

export function createUserSession(o: UserSessionOptions): UserSession {
  let client: FhirclientClient | undefined = o.client;
  let stale = false;
  let pending: Promise<void> | undefined;

  const live = (): FhirclientClient => {
    if (!client) throw signedOut();
    return client;
  };
  const expiresAt = () => (client?.state.expiresAt === undefined ? undefined : client.state.expiresAt * 1000);
  const scopes = () => (client ? (tokenResponseOf(client).scope ?? client.state.scope ?? '').split(' ').filter(Boolean) : []);
  const refreshable = () => {
    if (!client || !tokenResponseOf(client).refresh_token) return false;
    const granted = scopes();
    return granted.includes('offline_access') || granted.includes('online_access');
  };

  const refreshOnce = (): Promise<void> =>
    (pending ??= (async () => {
      const current = live();
      if (!refreshable()) throw sessionEnded();
      try {
        await race(current.refresh({ signal: AbortSignal.timeout(o.requestTimeoutMs) }), AbortSignal.timeout(o.requestTimeoutMs + 1_000));
      } catch (cause) {
        const lost = sessionNotRenewed(cause);
        if (client === current) o.onLost(lost);
        throw lost;
      }
      if (client !== current) throw signedOutDuringRenewal();
      stale = false;
      o.onRefreshed();
    })().finally(() => {
      pending = undefined;
    }));

  const accessToken = () => {
    const token = tokenResponseOf(live()).access_token;
    if (!token) throw sessionEnded();
    return token;
  };

  return {
    id: o.id,
    user: o.user,
    launch: o.launch,
    fhirBaseUrl: o.fhirBaseUrl,
    clientId: o.clientId,
    revocationEndpoint: o.revocationEndpoint,
    scopes,
    context: () => {
      const response = client ? tokenResponseOf(client) : {};
      return {
        patientId: typeof response.patient === 'string' ? response.patient : null,
        encounterId: typeof response.encounter === 'string' ? response.encounter : null,
      };
    },
    expiresAt,
    refreshable,
    refresh: refreshOnce,
    tokens: {
      async token(signal) {
        const until = expiresAt();
        const fresh = !stale && (until === undefined || o.now() < until - EARLY_MS);
        if (fresh) return accessToken();
        if (!refreshable()) {
          const lost = sessionEnded();
          if (client) o.onLost(lost);
          throw lost;
        }
        await race(refreshOnce(), signal);
        return accessToken();
      },
      invalidate(token) {
        if (client && tokenResponseOf(client).access_token === token) stale = true;
      },
    },
    revocable() {
      const response = client ? tokenResponseOf(client) : {};
      if (response.refresh_token) return { token: response.refresh_token, hint: 'refresh_token' };
      if (response.access_token) return { token: response.access_token, hint: 'access_token' };
      return undefined;
    },
    forget() {
      client = undefined;
      o.storage.clear();
    },
  };
}
