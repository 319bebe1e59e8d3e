import { randomBytes, randomUUID } from 'node:crypto';
import type { JWTVerifyGetKey } from 'jose';
import type { AuthChanged, AuthProblem, AuthStatus, LaunchKind, SignInRequest } from '../../shared/domain/auth.js';
import type { Actor } from '../kernel/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Logger } from '../log/logger.js';
import { nullLogger } from '../log/logger.js';
import type { BackendTokenSource } from '../fhir/smart-backend-auth.js';
import { race } from '../fhir/smart-backend-auth.js';
import { problemPage, signedInPage } from './browser-pages.js';
import type { BrowserOpener } from './browser-url.js';
import { isSignInUrlAllowed } from './browser-url.js';
import { silenceFhirclientDebug } from './fhirclient-debug.js';
import type { FhirclientState } from './fhirclient-node.js';
import { fhirclientFor } from './fhirclient-node.js';
import { remoteKeySets, verifyIdToken } from './id-token.js';
import { startLoopbackListener } from './loopback-listener.js';
import type { ListenerAnswer, LoopbackListener } from './loopback-listener.js';
import type { MemoryStorage } from './memory-storage.js';
import { createMemoryStorage } from './memory-storage.js';
import { checkCallback, checkLaunch, tokenExchangeError } from './oauth-responses.js';
import { readPractitionerName } from './practitioner-name.js';
import type { SignInConfig, UsableSignInConfig } from './sign-in-config.js';
import { isUsable } from './sign-in-config.js';
import { asSignInError, SignInError } from './sign-in-error.js';
import type { SmartEndpoints } from './smart-discovery.js';
import { discoverSmartEndpoints } from './smart-discovery.js';
import { revokeToken } from './token-revocation.js';
import type { UserSession } from './user-session.js';
import { createUserSession } from './user-session.js';

/**
 * Clinician sign-in with SMART on FHIR, the way RFC 8252 says native apps should do OAuth: the
 * system browser shows the EHR's own sign-in page, the authorization response comes back to a
 * loopback listener on 127.0.0.1 (a fresh random port per standalone sign-in), the code is bound
 * to this sign-in by PKCE (S256) and the response by `state`. fhirclient builds the authorization
 * request, exchanges the code and refreshes the token; this service gives it only values it has
 * checked, verifies the id_token, and keeps every token in this process's memory. The renderer
 * learns who is signed in and until when (AuthStatus), never a token.
 *
 * EHR launch: the EHR opens `http://127.0.0.1:<fhirLaunchPort>/launch?iss=…&launch=…` in the
 * system browser; when `iss` is the configured FHIR server, the same listener redirects the
 * browser to the EHR's authorization endpoint with that `launch`, and receives the response at
 * `/callback` on the same port.
 */
export interface AuthService {
  status(): AuthStatus;
  /** Opens the EHR's sign-in page in the system browser; resolves once it is open (state signing_in). */
  signIn(request: SignInRequest): Promise<AuthStatus>;
  /** The running sign-in's outcome (never rejects); the current status when none is running. */
  settled(): Promise<AuthStatus>;
  /** Abandons the running sign-in, if any. */
  cancel(): AuthStatus;
  /** Ends the session: tokens revoked at the EHR where it offers revocation, then forgotten. */
  signOut(): Promise<AuthStatus>;
  /** The signed-in clinician as the API's actor; undefined when nobody is signed in. */
  actor(): Actor | undefined;
  /** Access tokens of whoever is signed in at the time of the call, for FHIR calls in the clinician's name. */
  readonly tokens: BackendTokenSource;
  /** Starts (or moves, or stops) the EHR launch listener as the settings say; returns the launch URL, or null. */
  startLaunchListener(): Promise<string | null>;
  /** Settings changed: a session for another EHR or client id ends; the launch listener follows its port. */
  settingsChanged(keys: readonly string[]): void;
  close(): Promise<void>;
}

export interface AuthServiceOptions {
  /** Read at every sign-in, so a settings change applies to the next one. */
  readonly config: () => SignInConfig;
  readonly openBrowser: BrowserOpener;
  readonly audit?: Pick<AuditLog, 'append'>;
  readonly logger?: Logger;
  readonly onChanged?: (change: AuthChanged) => void;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  /** How long a sign-in waits for the clinician in the browser (default 5 minutes). */
  readonly signInTimeoutMs?: number;
  /** Each request to the EHR (default 15 s). */
  readonly requestTimeoutMs?: number;
  /** The EHR's id_token keys; default: fetched from its jwks_uri and cached. */
  readonly keySet?: (jwksUri: string) => JWTVerifyGetKey;
}

interface Attempt {
  readonly id: string;
  readonly launch: LaunchKind;
  readonly config: UsableSignInConfig;
  readonly done: Promise<AuthStatus>;
  readonly resolve: (status: AuthStatus) => void;
  listener?: LoopbackListener;
  ownsListener: boolean;
  stateKey?: string;
  storage?: MemoryStorage;
  endpoints?: SmartEndpoints;
  timer?: NodeJS.Timeout;
  finishing: boolean;
}

export function createAuthService(options: AuthServiceOptions): AuthService {
  silenceFhirclientDebug();
  const logger = options.logger ?? nullLogger;
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
  const signInTimeoutMs = options.signInTimeoutMs ?? 5 * 60_000;
  const keySetFor = options.keySet ?? remoteKeySets(requestTimeoutMs);

  let session: UserSession | undefined;
  let revocationEndpoint: string | undefined;
  let attempt: Attempt | undefined;
  let problem: { code: AuthProblem; message: string } | null = null;
  let launchListener: { listener: LoopbackListener; port: number } | undefined;
  let launchWanted = false;
  let expiryTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const status = (): AuthStatus => {
    const config = options.config();
    const until = session?.expiresAt();
    return {
      state: attempt ? 'signing_in' : session ? 'signed_in' : 'signed_out',
      configured: isUsable(config),
      fhirBaseUrl: session?.fhirBaseUrl ?? config.fhirBaseUrl,
      user: session?.user ?? null,
      launch: session?.launch ?? null,
      scopes: session?.scopes() ?? [],
      context: session?.context() ?? { patientId: null, encounterId: null },
      expiresAt: until === undefined ? null : new Date(until).toISOString(),
      refreshable: session?.refreshable() ?? false,
      launchUrl: launchListener ? `${launchListener.listener.origin}/launch` : null,
      problem,
    };
  };

  const emit = () => {
    try {
      options.onChanged?.({ state: attempt ? 'signing_in' : session ? 'signed_in' : 'signed_out', problem: problem?.code ?? null });
    } catch {
      // A listener's failure must not break sign-in.
    }
  };

  const audit = (actor: string, action: 'auth.signed_in' | 'auth.signed_out' | 'auth.session_ended', sessionId: string) => {
    try {
      options.audit?.append({ actor, action, objectType: 'auth_session', objectId: sessionId });
    } catch {
      logger.error('auth.audit_failed', { action });
    }
  };

  /** A revocation the EHR does not offer or answer still ends the session here. */
  const revoke = async (ended: UserSession, endpoint: string | undefined) => {
    const token = ended.revocable();
    if (!endpoint || !token) return;
    try {
      const status = await revokeToken({ endpoint, ...token, clientId: ended.clientId, fetch: doFetch, timeoutMs: Math.min(requestTimeoutMs, 5_000) });
      logger.info('auth.revoked', { status });
    } catch (error) {
      logger.warn('auth.revoke_failed', { type: error instanceof Error ? error.name : typeof error });
    }
  };

  // ---- sessions --------------------------------------------------------------------------------

  const clearExpiryTimer = () => {
    if (expiryTimer) clearTimeout(expiryTimer);
    expiryTimer = undefined;
  };

  const endSession = (ended: UserSession, error: SignInError, revokeTokens: boolean) => {
    if (session !== ended) return;
    session = undefined;
    clearExpiryTimer();
    problem = { code: error.problem, message: error.message };
    audit(ended.user.practitionerId, 'auth.session_ended', ended.id);
    logger.warn('auth.session_ended', { problem: error.problem });
    const endpoint = revocationEndpoint;
    void (revokeTokens ? revoke(ended, endpoint) : Promise.resolve()).finally(() => ended.forget());
    emit();
  };

  /** Renews a refreshable session a minute before its token runs out; ends one that cannot be renewed when it does. */
  const scheduleExpiry = () => {
    clearExpiryTimer();
    const current = session;
    const until = current?.expiresAt();
    if (!current || until === undefined) return;
    const refreshable = current.refreshable();
    const delay = Math.max(0, until - now() - (refreshable ? 60_000 : 0));
    expiryTimer = setTimeout(
      () => {
        if (session !== current) return;
        if (refreshable) current.refresh().catch(() => undefined);
        else endSession(current, new SignInError('session_expired', 'Your EHR session has ended. Sign in again to continue.'), false);
      },
      Math.min(delay, 2 ** 31 - 1),
    );
    expiryTimer.unref();
  };

  // ---- attempts --------------------------------------------------------------------------------

  const closeListenerOf = (a: Attempt) => {
    if (a.ownsListener && a.listener) void a.listener.close();
  };

  const fail = (a: Attempt, error: SignInError) => {
    if (attempt !== a) return;
    attempt = undefined;
    if (a.timer) clearTimeout(a.timer);
    a.storage?.clear();
    closeListenerOf(a);
    problem = { code: error.problem, message: error.message };
    logger.warn('auth.sign_in_failed', { launch: a.launch, problem: error.problem });
    a.resolve(status());
    emit();
  };

  const complete = (a: Attempt, fresh: UserSession, endpoints: SmartEndpoints) => {
    attempt = undefined;
    if (a.timer) clearTimeout(a.timer);
    closeListenerOf(a);
    // A session this one replaces is forgotten, not revoked: a sign-in from the same browser often
    // continues the same grant at the EHR, and revoking the old refresh token would end the new one too.
    if (session) audit(session.user.practitionerId, 'auth.session_ended', session.id);
    session?.forget();
    session = fresh;
    revocationEndpoint = endpoints.revocationEndpoint;
    problem = null;
    audit(fresh.user.practitionerId, 'auth.signed_in', fresh.id);
    logger.info('auth.signed_in', { launch: fresh.launch, scopes: fresh.scopes().length, refreshable: fresh.refreshable(), context: fresh.context().patientId !== null });
    scheduleExpiry();
    a.resolve(status());
    emit();
  };

  const ensureCurrent = (a: Attempt) => {
    if (attempt !== a) throw new SignInError('superseded', 'A newer sign-in replaced this one.');
  };

  /** Everything after the browser comes back with a code: exchange, identity, session. */
  const finish = async (a: Attempt, code: string): Promise<UserSession> => {
    const { listener, storage, stateKey, endpoints, config } = a;
    if (!listener || !storage || !stateKey || !endpoints) throw new SignInError('superseded', 'This sign-in is no longer waiting.');
    // The code goes in encoded: fhirclient puts it into the token request body as it is given.
    const client = await race(fhirclientFor(listener.origin, storage).ready({ stateKey, code: encodeURIComponent(code) }), AbortSignal.timeout(requestTimeoutMs));
    const response = client.state.tokenResponse ?? {};
    if (!response.access_token || (response.token_type !== undefined && !/^bearer$/i.test(response.token_type))) {
      throw new SignInError('token_exchange_failed', 'The EHR sent a token Ambient Scribe cannot use (not a bearer token).');
    }
    const identity = await verifyIdToken(response.id_token, { issuer: endpoints.issuer, audience: config.clientId, keys: keySetFor(endpoints.jwksUri), now });
    const accessToken = response.access_token;
    const displayName =
      identity.name ??
      (await readPractitionerName({
        fhirBaseUrl: config.fhirBaseUrl,
        practitionerId: identity.practitionerId,
        tokens: { token: () => Promise.resolve(accessToken), invalidate: () => undefined },
        timeoutMs: requestTimeoutMs,
        fetch: doFetch,
      }));
    const created: UserSession = createUserSession({
      id: randomUUID(),
      client,
      storage,
      user: { practitionerId: identity.practitionerId, fhirUser: identity.fhirUser, displayName },
      launch: a.launch,
      fhirBaseUrl: config.fhirBaseUrl,
      clientId: config.clientId,
      requestTimeoutMs,
      now,
      onRefreshed: () => {
        if (session !== created) return;
        logger.info('auth.refreshed', { refreshable: created.refreshable() });
        scheduleExpiry();
        emit();
      },
      onLost: (error) => endSession(created, error, false),
    });
    return created;
  };

  const callback = async (a: Attempt, query: URLSearchParams): Promise<ListenerAnswer> => {
    if (attempt !== a || !a.stateKey) return problemPage(409, 'This sign-in is no longer waiting. Start it again from Ambient Scribe.');
    const answer = checkCallback(query, a.stateKey);
    if (answer.kind === 'foreign') {
      // Not an answer to our request (forged, or stale): refused, and the real one can still arrive.
      logger.warn('auth.callback_refused', { reason: answer.reason });
      return problemPage(400, 'This sign-in response does not belong to the sign-in Ambient Scribe started, so it was ignored.');
    }
    if (a.finishing) return problemPage(409, 'This sign-in is already being completed.');
    a.finishing = true;
    if (answer.kind === 'failed') {
      fail(a, answer.error);
      return problemPage(answer.error.problem === 'access_denied' ? 403 : 400, answer.error.message);
    }
    try {
      const fresh = await finish(a, answer.code);
      if (attempt !== a || !a.endpoints) {
        fresh.forget();
        return problemPage(409, 'This sign-in was replaced by a newer one.');
      }
      complete(a, fresh, a.endpoints);
      return signedInPage();
    } catch (caught) {
      const failure = tokenExchangeError(caught);
      fail(a, failure);
      return problemPage(400, failure.message);
    }
  };

  /** Starts an attempt up to the authorization URL the browser must open. */
  const begin = async (launch: LaunchKind, ehrLaunch?: string): Promise<string> => {
    if (closed) throw new SignInError('cancelled', 'Ambient Scribe is closing.');
    const config = options.config();
    if (!isUsable(config)) {
      const missing = new SignInError('not_configured', 'Sign-in is not set up: it needs the FHIR server address and a sign-in client id (Settings, or ask IT).');
      problem = { code: missing.problem, message: missing.message };
      emit();
      throw missing;
    }
    if (attempt) fail(attempt, new SignInError('superseded', 'A newer sign-in replaced this one.'));
    let resolve!: (status: AuthStatus) => void;
    const done = new Promise<AuthStatus>((r) => (resolve = r));
    const a: Attempt = { id: randomUUID(), launch, config, done, resolve, ownsListener: launch === 'standalone', finishing: false };
    attempt = a;
    problem = null;
    logger.info('auth.sign_in_started', { launch });
    emit();
    try {
      const endpoints = await discoverSmartEndpoints(config.fhirBaseUrl, { fetch: doFetch, timeoutMs: requestTimeoutMs });
      ensureCurrent(a);
      if (launch === 'ehr') {
        if (!launchListener) throw new SignInError('launch_refused', 'EHR launch is not turned on.');
        a.listener = launchListener.listener;
      } else {
        a.listener = await startLoopbackListener({ port: 0, routes: { '/callback': (query) => callback(a, query) } });
      }
      ensureCurrent(a);
      const stateKey = randomBytes(32).toString('base64url');
      const storage = createMemoryStorage();
      const url = await race(
        fhirclientFor(a.listener.origin, storage).authorize({
          iss: config.fhirBaseUrl,
          ...(ehrLaunch === undefined ? {} : { launch: ehrLaunch }),
          clientId: config.clientId,
          scope: config.scope,
          redirectUri: `${a.listener.origin}/callback`,
          stateKey,
          pkceMode: 'required',
          noRedirect: true,
        }),
        AbortSignal.timeout(requestTimeoutMs),
      );
      // fhirclient read the SMART configuration itself and keeps it for the process's life: it must agree with ours.
      const state = (await storage.get(stateKey)) as FhirclientState | undefined;
      if (typeof url !== 'string' || !isSignInUrlAllowed(url, endpoints.authorizationEndpoint) || state?.tokenUri !== endpoints.tokenEndpoint || !state.codeVerifier) {
        throw new SignInError('unsupported_server', "The EHR's sign-in addresses changed while Ambient Scribe was running. Restart Ambient Scribe and sign in again.");
      }
      ensureCurrent(a);
      a.stateKey = stateKey;
      a.storage = storage;
      a.endpoints = endpoints;
      a.timer = setTimeout(() => fail(a, new SignInError('timed_out', 'Sign-in was not completed in the browser in time. Start it again when you are ready.')), signInTimeoutMs);
      a.timer.unref();
      return url;
    } catch (error) {
      const failure =
        (error as { name?: unknown } | undefined)?.name === 'TimeoutError'
          ? new SignInError('discovery_failed', 'The EHR did not answer in time. Check the network and try again.', { cause: error })
          : asSignInError(error, 'discovery_failed', 'Sign-in could not start with this EHR. Check the FHIR server address, then try again.');
      if (attempt === a) fail(a, failure);
      else if (a.ownsListener) void a.listener?.close();
      throw failure;
    }
  };

  // ---- EHR launch --------------------------------------------------------------------------------

  const launchRoute = async (query: URLSearchParams): Promise<ListenerAnswer> => {
    const config = options.config();
    if (!isUsable(config)) return problemPage(503, 'Ambient Scribe is not set up for sign-in yet (FHIR server address and sign-in client id).');
    const request = checkLaunch(query, config.fhirBaseUrl);
    if (request.kind === 'refused') {
      logger.warn('auth.launch_refused', { reason: request.reason });
      return problemPage(request.status, request.message);
    }
    try {
      return { redirect: await begin('ehr', request.launch) };
    } catch (error) {
      return problemPage(400, asSignInError(error, 'discovery_failed', 'Sign-in could not start with this EHR.').message);
    }
  };

  const launchCallback = (query: URLSearchParams): Promise<ListenerAnswer> =>
    attempt && launchListener && attempt.listener === launchListener.listener
      ? callback(attempt, query)
      : Promise.resolve(problemPage(409, 'No sign-in is waiting. Launch Ambient Scribe from the EHR again.'));

  const stopLaunchListener = async () => {
    const running = launchListener;
    launchListener = undefined;
    if (attempt?.listener && attempt.listener === running?.listener) fail(attempt, new SignInError('cancelled', 'EHR launch was turned off.'));
    await running?.listener.close();
  };

  const startLaunchListener = async (): Promise<string | null> => {
    launchWanted = true;
    const port = options.config().launchPort;
    if (launchListener && launchListener.port === port) return `${launchListener.listener.origin}/launch`;
    await stopLaunchListener();
    if (port === null || closed) return null;
    try {
      const listener = await startLoopbackListener({ port, routes: { '/launch': launchRoute, '/callback': launchCallback } });
      if (closed) {
        await listener.close();
        return null;
      }
      launchListener = { listener, port };
      logger.info('auth.launch_listening', { port: listener.port });
      return `${listener.origin}/launch`;
    } catch (error) {
      logger.warn('auth.launch_listener_failed', { port, code: (error as { code?: unknown }).code === 'EADDRINUSE' ? 'port_in_use' : 'failed' });
      return null;
    }
  };

  // ---- the service ---------------------------------------------------------------------------------

  const currentTokens: BackendTokenSource = {
    token(signal) {
      if (!session) return Promise.reject(new SignInError('session_expired', 'No clinician is signed in.'));
      return session.tokens.token(signal);
    },
    invalidate(token) {
      session?.tokens.invalidate(token);
    },
  };

  return {
    status,
    tokens: currentTokens,
    async signIn(request) {
      if (request.mode !== 'standalone') throw new SignInError('launch_refused', 'Only standalone sign-in can be started from the app.');
      const url = await begin('standalone');
      const a = attempt;
      const endpoints = a?.endpoints;
      if (!a || !endpoints) return status();
      try {
        await options.openBrowser(url, { authorizationEndpoint: endpoints.authorizationEndpoint });
      } catch (error) {
        const failure = asSignInError(error, 'browser_failed', 'The system browser could not be opened for sign-in.');
        fail(a, failure);
        throw failure;
      }
      return status();
    },
    settled: () => attempt?.done ?? Promise.resolve(status()),
    cancel() {
      if (attempt) fail(attempt, new SignInError('cancelled', 'Sign-in was cancelled.'));
      return status();
    },
    async signOut() {
      if (attempt) fail(attempt, new SignInError('cancelled', 'Sign-in was cancelled.'));
      const ended = session;
      if (ended) {
        session = undefined;
        clearExpiryTimer();
        audit(ended.user.practitionerId, 'auth.signed_out', ended.id);
        logger.info('auth.signed_out', {});
        const endpoint = revocationEndpoint;
        problem = null;
        emit();
        await revoke(ended, endpoint);
        ended.forget();
      }
      return status();
    },
    actor: () => (session ? { id: session.user.practitionerId, role: 'clinician' } : undefined),
    startLaunchListener,
    settingsChanged(keys) {
      const current = session;
      if (current && keys.some((k) => k === 'fhirBaseUrl' || k === 'fhirSignInClientId')) {
        const config = options.config();
        if (config.fhirBaseUrl !== current.fhirBaseUrl || config.clientId !== current.clientId) {
          endSession(current, new SignInError('session_expired', 'The EHR settings changed, so you were signed out. Sign in again.'), true);
        }
      }
      if (launchWanted && keys.includes('fhirLaunchPort')) void startLaunchListener();
    },
    async close() {
      closed = true;
      if (attempt) fail(attempt, new SignInError('cancelled', 'Ambient Scribe is closing.'));
      const ended = session;
      session = undefined;
      clearExpiryTimer();
      ended?.forget();
      await stopLaunchListener();
    },
  };
}
