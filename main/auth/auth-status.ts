import type { AuthChanged, AuthState, AuthStatus } from '../../shared/domain/auth.js';
import type { SignInConfig } from './sign-in-config.js';
import { isUsable } from './sign-in-config.js';
import type { SignInError } from './sign-in-error.js';
import type { UserSession } from './user-session.js';

/** What the renderer may know about sign-in, from the parts that hold it: never a token. */
export interface AuthParts {
  readonly signingIn: boolean;
  readonly session: UserSession | undefined;
  readonly config: SignInConfig;
  readonly launchUrl: string | null;
  /** Why the last sign-in failed or the last session ended; null once a sign-in starts or the clinician signs out. */
  readonly problem: SignInError | null;
}

const stateOf = (p: Pick<AuthParts, 'signingIn' | 'session'>): AuthState =>
  p.signingIn ? 'signing_in' : p.session ? 'signed_in' : 'signed_out';

export function authStatus(p: AuthParts): AuthStatus {
  const { session } = p;
  const until = session?.expiresAt();
  return {
    state: stateOf(p),
    configured: isUsable(p.config),
    fhirBaseUrl: session?.fhirBaseUrl ?? p.config.fhirBaseUrl,
    user: session?.user ?? null,
    launch: session?.launch ?? null,
    scopes: session?.scopes() ?? [],
    context: session?.context() ?? { patientId: null, encounterId: null },
    expiresAt: until === undefined ? null : new Date(until).toISOString(),
    refreshable: session?.refreshable() ?? false,
    launchUrl: p.launchUrl,
    problem: p.problem ? { code: p.problem.problem, message: p.problem.message } : null,
  };
}

export const authChanged = (p: Pick<AuthParts, 'signingIn' | 'session' | 'problem'>): AuthChanged => ({
  state: stateOf(p),
  problem: p.problem?.problem ?? null,
});
