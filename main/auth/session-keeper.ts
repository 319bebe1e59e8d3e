import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.js';
import type { Actor } from '../kernel/actor.js';
import type { Logger } from '../log/logger.js';
import type { BackendTokenSource } from '../fhir/smart-backend-auth.js';
import { ehrSettingsChanged, nobodySignedIn, sessionEnded } from './auth-errors.js';
import { actorOf } from './clinician-identity.js';
import type { SignInGrant } from './sign-in-attempt.js';
import type { SignInConfig } from './sign-in-config.js';
import type { SignInError } from './sign-in-error.js';
import { revokeToken } from './token-revocation.js';
import type { UserSession } from './user-session.js';
import { createUserSession } from './user-session.js';

/**
 * The signed-in clinician, at most one per process: it renews the access token a minute before it
 * runs out (halfway through a shorter life) or ends a session that cannot be renewed when it does,
 * ends a session whose EHR or client id changed in settings, and at sign-out revokes the tokens at
 * the EHR before forgetting them. Every start and end of a session is audited under the
 * signed-in user's id (their Practitioner id for a clinician).
 */
export interface SessionKeeper {
  session(): UserSession | undefined;
  /** The signed-in clinician as the API's actor; undefined when nobody is signed in. */
  actor(): Actor | undefined;
  /** Access tokens of whoever is signed in at the time of the call. */
  readonly tokens: BackendTokenSource;
  /** A completed sign-in becomes the session, replacing any other. */
  adopt(grant: SignInGrant): void;
  /** Ends the session at the clinician's request: tokens revoked at the EHR where it offers that, then forgotten. */
  signOut(): Promise<void>;
  /** Ends a session for another EHR or client id than `config` names, revoking its tokens. */
  followSettings(config: SignInConfig): void;
  /** Forgets the session without revoking or announcing anything: the process is ending. */
  close(): void;
}

export interface SessionKeeperOptions {
  readonly audit?: Pick<AuditLog, 'append'>;
  readonly logger: Logger;
  readonly fetch: typeof fetch;
  readonly now: () => number;
  readonly requestTimeoutMs: number;
  /** The session renewed its token (scopes or context may have changed). */
  readonly onRenewed: () => void;
  /** The session ended: why, when it was lost (expired, not renewed, settings changed); null when the clinician signed out. */
  readonly onEnded: (why: SignInError | null) => void;
}

/** Renewal starts this long before the access token runs out, or halfway through a shorter life. */
const RENEW_EARLY_MS = 60_000;

export function createSessionKeeper(o: SessionKeeperOptions): SessionKeeper {
  let session: UserSession | undefined;
  let expiryTimer: NodeJS.Timeout | undefined;

  const audit = (ended: UserSession, action: 'auth.signed_in' | 'auth.signed_out' | 'auth.session_ended') => {
    try {
      o.audit?.append({ actor: ended.user.id, action, objectType: 'auth_session', objectId: ended.id });
    } catch {
      o.logger.error('auth.audit_failed', { action });
    }
  };

  /** A revocation the EHR does not offer or answer still ends the session here. */
  const revoke = async (ended: UserSession) => {
    const token = ended.revocable();
    if (!ended.revocationEndpoint || !token) return;
    try {
      const status = await revokeToken({
        endpoint: ended.revocationEndpoint,
        ...token,
        clientId: ended.clientId,
        fetch: o.fetch,
        timeoutMs: Math.min(o.requestTimeoutMs, 5_000),
      });
      o.logger.info('auth.revoked', { status });
    } catch (error) {
      o.logger.warn('auth.revoke_failed', { type: error instanceof Error ? error.name : typeof error });
    }
  };

  /** The session, no longer kept (its tokens are still held until `forget`). */
  const release = (): UserSession | undefined => {
    const released = session;
    session = undefined;
    if (expiryTimer) clearTimeout(expiryTimer);
    expiryTimer = undefined;
    return released;
  };

  const lose = (lost: UserSession, why: SignInError, revokeTokens: boolean) => {
    if (session !== lost) return;
    release();
    audit(lost, 'auth.session_ended');
    o.logger.warn('auth.session_ended', { problem: why.problem });
    void (revokeTokens ? revoke(lost) : Promise.resolve()).finally(() => lost.forget());
    o.onEnded(why);
  };

  const scheduleExpiry = (current: UserSession) => {
    if (expiryTimer) clearTimeout(expiryTimer);
    expiryTimer = undefined;
    const until = current.expiresAt();
    if (until === undefined) return;
    const refreshable = current.refreshable();
    const remaining = until - o.now();
    // A token that lasts under a minute would otherwise be renewed at once, and again after each renewal.
    const delay = Math.max(0, remaining - (refreshable ? Math.min(RENEW_EARLY_MS, remaining / 2) : 0));
    expiryTimer = setTimeout(
      () => {
        if (session !== current) return;
        if (refreshable) current.refresh().catch(() => undefined);
        else lose(current, sessionEnded(), false);
      },
      Math.min(delay, 2 ** 31 - 1),
    );
    expiryTimer.unref();
  };

  return {
    session: () => session,
    actor: () => (session ? actorOf(session.user) : undefined),
    tokens: {
      token(signal) {
        if (!session) return Promise.reject(nobodySignedIn());
        return session.tokens.token(signal);
      },
      invalidate(token) {
        session?.tokens.invalidate(token);
      },
    },
    adopt(grant) {
      const replaced = release();
      // A session this one replaces is forgotten, not revoked: a sign-in from the same browser often
      // continues the same grant at the EHR, and revoking the old refresh token would end the new one too.
      if (replaced) {
        audit(replaced, 'auth.session_ended');
        replaced.forget();
      }
      const fresh: UserSession = createUserSession({
        id: randomUUID(),
        ...grant,
        requestTimeoutMs: o.requestTimeoutMs,
        now: o.now,
        onRefreshed: () => {
          if (session !== fresh) return;
          o.logger.info('auth.refreshed', { refreshable: fresh.refreshable() });
          scheduleExpiry(fresh);
          o.onRenewed();
        },
        onLost: (error) => lose(fresh, error, false),
      });
      session = fresh;
      audit(fresh, 'auth.signed_in');
      o.logger.info('auth.signed_in', {
        launch: fresh.launch,
        scopes: fresh.scopes().length,
        refreshable: fresh.refreshable(),
        context: fresh.context().patientId !== null,
      });
      scheduleExpiry(fresh);
    },
    async signOut() {
      const ended = release();
      if (!ended) return;
      audit(ended, 'auth.signed_out');
      o.logger.info('auth.signed_out', {});
      o.onEnded(null);
      await revoke(ended);
      ended.forget();
    },
    followSettings(config) {
      const current = session;
      if (current && (config.fhirBaseUrl !== current.fhirBaseUrl || config.clientId !== current.clientId))
        lose(current, ehrSettingsChanged(), true);
    },
    close() {
      release()?.forget();
    },
  };
}
