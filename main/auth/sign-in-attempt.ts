import { randomBytes } from 'node:crypto';
import type { JWTVerifyGetKey } from 'jose';
import type { LaunchKind, SignedInUser } from '../../shared/domain/auth.js';
import type { Logger } from '../log/logger.js';
import { race } from '../fhir/smart-backend-auth.js';
import {
  ehrDidNotAnswer,
  launchNotOn,
  notABearerToken,
  signInAddressesChanged,
  signInCouldNotStart,
  signInTimedOut,
} from './auth-errors.js';
import { problemPage, signedInPage } from './browser-pages.js';
import { isSignInUrlAllowed } from './browser-url.js';
import { identifyClinician } from './clinician-identity.js';
import type { FhirclientClient, FhirclientState } from './fhirclient-node.js';
import { fhirclientFor } from './fhirclient-node.js';
import { startLoopbackListener } from './loopback-listener.js';
import type { ListenerAnswer, LoopbackListener } from './loopback-listener.js';
import type { MemoryStorage } from './memory-storage.js';
import { createMemoryStorage } from './memory-storage.js';
import { checkCallback, tokenExchangeError } from './oauth-responses.js';
import type { UsableSignInConfig } from './sign-in-config.js';
import type { SignInError } from './sign-in-error.js';
import { asSignInError } from './sign-in-error.js';
import type { SmartEndpoints } from './smart-discovery.js';
import { discoverSmartEndpoints } from './smart-discovery.js';

/**
 * One sign-in, from the authorization request to the verified clinician (RFC 8252): the EHR's
 * SMART endpoints read fresh, a loopback redirect URI on 127.0.0.1 (a new random port per
 * standalone sign-in; an EHR launch borrows the launch listener), a random `state` and PKCE (S256)
 * binding the response to this request, the code exchanged by fhirclient, the id_token verified.
 * It ends exactly once: with a grant, or with why not. A new attempt per sign-in, so nothing of
 * one can leak into the next.
 */

/** What a completed sign-in hands over: the tokens (in memory) and who they belong to. */
export interface SignInGrant {
  readonly client: FhirclientClient;
  readonly storage: MemoryStorage;
  readonly user: SignedInUser;
  readonly launch: LaunchKind;
  readonly fhirBaseUrl: string;
  readonly clientId: string;
  readonly revocationEndpoint: string | undefined;
}

export type AttemptOutcome =
  { readonly kind: 'signed_in'; readonly grant: SignInGrant } | { readonly kind: 'failed'; readonly error: SignInError };

export interface AuthorizationRequest {
  /** The EHR's authorization URL with this attempt's state, PKCE challenge and redirect URI. */
  readonly url: string;
  readonly authorizationEndpoint: string;
}

export interface SignInAttemptOptions<Report> {
  readonly config: UsableSignInConfig;
  /** Switch user: the EHR shows its login page even while its own browser session lasts (OIDC prompt=login). */
  readonly prompt?: 'login';
  /** An EHR launch: the EHR's launch id, and the launch listener, which the attempt borrows and never closes. */
  readonly ehr?: { readonly launch: string; readonly listener: () => LoopbackListener | undefined };
  readonly fetch: typeof fetch;
  readonly now: () => number;
  /** Each request to the EHR. */
  readonly requestTimeoutMs: number;
  /** How long the attempt waits for the clinician in the browser, once the authorization URL is out. */
  readonly signInTimeoutMs: number;
  readonly keySet: (jwksUri: string) => JWTVerifyGetKey;
  readonly logger: Logger;
  /** Runs once, synchronously, the moment the attempt ends; `done` resolves to what it returns. */
  readonly settle: (outcome: AttemptOutcome) => Report;
}

export interface SignInAttempt<Report> {
  readonly launch: LaunchKind;
  readonly done: Promise<Report>;
  /** Reads the EHR's endpoints and opens the redirect URI; rejects with why the attempt ended when it cannot. */
  start(): Promise<AuthorizationRequest>;
  /** The authorization response, as the browser brings it to `/callback`. */
  callback(query: URLSearchParams): Promise<ListenerAnswer>;
  /** Ends the attempt without a session (cancelled, superseded, no browser); nothing once it has ended. */
  abandon(error: SignInError): void;
  /** Whether the attempt is still running on `listener`. */
  isOn(listener: LoopbackListener): boolean;
}

/** What the authorization response must match, known once the authorization URL is out. */
interface Waiting {
  readonly stateKey: string;
  readonly storage: MemoryStorage;
  readonly endpoints: SmartEndpoints;
  readonly origin: string;
}

function withPrompt(url: string, prompt: 'login'): string {
  const parsed = new URL(url);
  parsed.searchParams.set('prompt', prompt);
  return parsed.href;
}

const isTimeout = (error: unknown) => (error as { name?: unknown } | undefined)?.name === 'TimeoutError';

export function createSignInAttempt<Report>(o: SignInAttemptOptions<Report>): SignInAttempt<Report> {
  const launch: LaunchKind = o.ehr ? 'ehr' : 'standalone';
  const ownsListener = o.ehr === undefined;
  let resolveDone!: (report: Report) => void;
  const done = new Promise<Report>((resolve) => (resolveDone = resolve));
  /** undefined while running; null once signed in; the error it failed with. */
  let ended: SignInError | null | undefined;
  let listener: LoopbackListener | undefined;
  let waiting: Waiting | undefined;
  let timer: NodeJS.Timeout | undefined;
  let exchanging = false;

  const closeListener = () => {
    const open = listener;
    listener = undefined;
    if (ownsListener) void open?.close();
  };

  const end = (outcome: AttemptOutcome) => {
    if (ended !== undefined) return;
    ended = outcome.kind === 'failed' ? outcome.error : null;
    if (timer) clearTimeout(timer);
    if (outcome.kind === 'failed') {
      waiting?.storage.clear();
      o.logger.warn('auth.sign_in_failed', { launch, problem: outcome.error.problem });
    }
    closeListener();
    resolveDone(o.settle(outcome));
  };

  /** While starting, an attempt can only have ended by failing (cancelled, superseded, closing). */
  const throwIfEnded = () => {
    if (ended) throw ended;
  };

  /** Everything after the browser comes back with a code: exchange, identity, grant. */
  const exchange = async (w: Waiting, code: string): Promise<SignInGrant> => {
    // The code goes in encoded: fhirclient puts it into the token request body as it is given.
    const client = await race(
      fhirclientFor(w.origin, w.storage).ready({ stateKey: w.stateKey, code: encodeURIComponent(code) }),
      AbortSignal.timeout(o.requestTimeoutMs),
    );
    const response = client.state.tokenResponse ?? {};
    if (!response.access_token || (response.token_type !== undefined && !/^bearer$/i.test(response.token_type))) throw notABearerToken();
    const user = await identifyClinician({
      idToken: response.id_token,
      accessToken: response.access_token,
      issuer: w.endpoints.issuer,
      clientId: o.config.clientId,
      keys: o.keySet(w.endpoints.jwksUri),
      fhirBaseUrl: o.config.fhirBaseUrl,
      now: o.now,
      fetch: o.fetch,
      timeoutMs: o.requestTimeoutMs,
      userRoles: o.config.userRoles ?? {},
    });
    return {
      client,
      storage: w.storage,
      user,
      launch,
      fhirBaseUrl: o.config.fhirBaseUrl,
      clientId: o.config.clientId,
      revocationEndpoint: w.endpoints.revocationEndpoint,
    };
  };

  const callback = async (query: URLSearchParams): Promise<ListenerAnswer> => {
    if (ended !== undefined || !waiting) return problemPage(409, 'This sign-in is no longer waiting. Start it again from Ambient Scribe.');
    const answer = checkCallback(query, waiting.stateKey);
    if (answer.kind === 'foreign') {
      // Not an answer to our request (forged, or stale): refused, and the real one can still arrive.
      o.logger.warn('auth.callback_refused', { reason: answer.reason });
      return problemPage(400, 'This sign-in response does not belong to the sign-in Ambient Scribe started, so it was ignored.');
    }
    if (exchanging) return problemPage(409, 'This sign-in is already being completed.');
    exchanging = true;
    if (answer.kind === 'failed') {
      end({ kind: 'failed', error: answer.error });
      return problemPage(answer.error.problem === 'access_denied' ? 403 : 400, answer.error.message);
    }
    try {
      const grant = await exchange(waiting, answer.code);
      if (ended !== undefined) {
        grant.storage.clear();
        return problemPage(409, 'This sign-in was replaced by a newer one.');
      }
      end({ kind: 'signed_in', grant });
      return signedInPage();
    } catch (caught) {
      const failure = tokenExchangeError(caught);
      end({ kind: 'failed', error: failure });
      return problemPage(400, failure.message);
    }
  };

  const start = async (): Promise<AuthorizationRequest> => {
    try {
      const endpoints = await discoverSmartEndpoints(o.config.fhirBaseUrl, { fetch: o.fetch, timeoutMs: o.requestTimeoutMs });
      throwIfEnded();
      listener = o.ehr ? o.ehr.listener() : await startLoopbackListener({ port: 0, routes: { '/callback': callback } });
      throwIfEnded();
      if (!listener) throw launchNotOn();
      const stateKey = randomBytes(32).toString('base64url');
      const storage = createMemoryStorage();
      const built = await race(
        fhirclientFor(listener.origin, storage).authorize({
          iss: o.config.fhirBaseUrl,
          ...(o.ehr ? { launch: o.ehr.launch } : {}),
          clientId: o.config.clientId,
          scope: o.config.scope,
          redirectUri: `${listener.origin}/callback`,
          stateKey,
          pkceMode: 'required',
          noRedirect: true,
        }),
        AbortSignal.timeout(o.requestTimeoutMs),
      );
      const url = o.prompt && typeof built === 'string' ? withPrompt(built, o.prompt) : built;
      // fhirclient read the SMART configuration itself and keeps it for the process's life: it must agree with ours.
      const state = (await storage.get(stateKey)) as FhirclientState | undefined;
      if (
        typeof url !== 'string' ||
        !isSignInUrlAllowed(url, endpoints.authorizationEndpoint) ||
        state?.tokenUri !== endpoints.tokenEndpoint ||
        !state.codeVerifier
      ) {
        throw signInAddressesChanged();
      }
      throwIfEnded();
      waiting = { stateKey, storage, endpoints, origin: listener.origin };
      timer = setTimeout(() => end({ kind: 'failed', error: signInTimedOut() }), o.signInTimeoutMs);
      timer.unref();
      return { url, authorizationEndpoint: endpoints.authorizationEndpoint };
    } catch (error) {
      const failure = isTimeout(error) ? ehrDidNotAnswer(error) : asSignInError(error, signInCouldNotStart);
      end({ kind: 'failed', error: failure });
      // Ended while starting (cancelled, superseded): a listener it opened since is closed too.
      closeListener();
      throw failure;
    }
  };

  return {
    launch,
    done,
    start,
    callback,
    abandon: (error) => end({ kind: 'failed', error }),
    isOn: (l) => ended === undefined && listener === l,
  };
}
