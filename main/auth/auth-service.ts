import type { JWTVerifyGetKey } from 'jose';
import type { AuthChanged, AuthStatus, SignInRequest, SignInStarted } from '../../shared/domain/auth.js';
import type { Actor } from '../kernel/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Logger } from '../log/logger.js';
import { nullLogger } from '../log/logger.js';
import type { BackendTokenSource } from '../fhir/smart-backend-auth.js';
import { appClosing, browserFailed, notConfigured, onlyStandaloneFromApp, signInCancelled, superseded } from './auth-errors.js';
import { authChanged, authStatus } from './auth-status.js';
import type { BrowserOpener } from './browser-url.js';
import { createEhrLaunchListener } from './ehr-launch-listener.js';
import { silenceFhirclientDebug } from './fhirclient-debug.js';
import { remoteKeySets } from './id-token.js';
import { createSessionKeeper } from './session-keeper.js';
import { createSignInAttempt } from './sign-in-attempt.js';
import type { AuthorizationRequest, SignInAttempt } from './sign-in-attempt.js';
import type { SignInConfig } from './sign-in-config.js';
import { isUsable } from './sign-in-config.js';
import type { SignInError } from './sign-in-error.js';
import { asSignInError } from './sign-in-error.js';

/**
 * Clinician sign-in with SMART on FHIR, the way RFC 8252 says native apps should do OAuth, put
 * together from three parts: a sign-in attempt per sign-in (system browser, loopback redirect URI,
 * PKCE and state, code exchange, verified id_token: sign-in-attempt.ts), the session keeper (the
 * signed-in clinician, renewal and expiry, sign-out with revocation: session-keeper.ts) and the EHR
 * launch listener (ehr-launch-listener.ts). Every token stays in this process's memory; the
 * renderer learns who is signed in and until when (AuthStatus), never a token.
 *
 * This service holds only which attempt is running (at most one: a new sign-in supersedes it) and
 * why the last one failed or the last session ended.
 */
export interface AuthService {
  status(): AuthStatus;
  /**
   * Opens the EHR's sign-in page in the system browser, or, with `openInPage` (the browser mode,
   * whose page runs in the system browser), hands its address back for the page to open in a new
   * tab; resolves once it is out (state signing_in).
   */
  signIn(request: SignInRequest, options?: { readonly openInPage?: boolean }): Promise<SignInStarted>;
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

export function createAuthService(options: AuthServiceOptions): AuthService {
  silenceFhirclientDebug();
  const logger = options.logger ?? nullLogger;
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
  const signInTimeoutMs = options.signInTimeoutMs ?? 5 * 60_000;
  const keySet = options.keySet ?? remoteKeySets(requestTimeoutMs);

  let attempt: SignInAttempt<AuthStatus> | undefined;
  let problem: SignInError | null = null;
  let closed = false;

  const parts = () => ({ signingIn: attempt !== undefined, session: keeper.session(), problem });
  const status = (): AuthStatus => authStatus({ ...parts(), config: options.config(), launchUrl: launches.url() });
  const emit = () => {
    try {
      options.onChanged?.(authChanged(parts()));
    } catch {
      // A listener's failure must not break sign-in.
    }
  };

  const keeper = createSessionKeeper({
    audit: options.audit,
    logger,
    fetch: doFetch,
    now,
    requestTimeoutMs,
    onRenewed: emit,
    onEnded: (why) => {
      problem = why;
      emit();
    },
  });

  /** Starts an attempt up to the authorization URL the browser must open; a running one is superseded. */
  const begin = async (
    ehrLaunch?: string,
    prompt?: 'login',
  ): Promise<{ readonly started: SignInAttempt<AuthStatus>; readonly request: AuthorizationRequest }> => {
    if (closed) throw appClosing();
    const config = options.config();
    if (!isUsable(config)) {
      problem = notConfigured();
      emit();
      throw problem;
    }
    attempt?.abandon(superseded());
    const started = createSignInAttempt<AuthStatus>({
      config,
      ...(ehrLaunch === undefined ? {} : { ehr: { launch: ehrLaunch, listener: () => launches.listener() } }),
      ...(prompt ? { prompt } : {}),
      fetch: doFetch,
      now,
      requestTimeoutMs,
      signInTimeoutMs,
      keySet,
      logger,
      settle: (outcome) => {
        attempt = undefined;
        if (outcome.kind === 'signed_in') keeper.adopt(outcome.grant);
        problem = outcome.kind === 'failed' ? outcome.error : null;
        const settled = status();
        emit();
        return settled;
      },
    });
    attempt = started;
    problem = null;
    logger.info('auth.sign_in_started', { launch: started.launch });
    emit();
    return { started, request: await started.start() };
  };

  const launches = createEhrLaunchListener({
    config: options.config,
    logger,
    launch: async (launchId) => (await begin(launchId)).request.url,
    signInOn: (listener) => (attempt?.isOn(listener) ? attempt : undefined),
  });

  return {
    status,
    tokens: keeper.tokens,
    async signIn(request, how = {}) {
      if (request.mode !== 'standalone') throw onlyStandaloneFromApp();
      const { started, request: authorization } = await begin(undefined, request.switchUser ? 'login' : undefined);
      if (how.openInPage) return { ...status(), openInBrowser: authorization.url };
      try {
        await options.openBrowser(authorization.url, { authorizationEndpoint: authorization.authorizationEndpoint });
      } catch (error) {
        const failure = asSignInError(error, browserFailed);
        started.abandon(failure);
        throw failure;
      }
      return { ...status(), openInBrowser: null };
    },
    settled: () => attempt?.done ?? Promise.resolve(status()),
    cancel() {
      attempt?.abandon(signInCancelled());
      return status();
    },
    async signOut() {
      attempt?.abandon(signInCancelled());
      await keeper.signOut();
      return status();
    },
    actor: () => keeper.actor(),
    startLaunchListener: () => launches.start(),
    settingsChanged(keys) {
      if (keys.some((k) => k === 'fhirBaseUrl' || k === 'fhirSignInClientId')) keeper.followSettings(options.config());
      launches.settingsChanged(keys);
    },
    async close() {
      closed = true;
      attempt?.abandon(appClosing());
      keeper.close();
      await launches.close();
    },
  };
}
