import { useState } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import type { Identity } from '../../../shared/domain/identity.js';
import { errorText } from '../error-text.js';
import type { IdentityState } from '../hooks/useIdentity.js';
import { roleLabel } from '../role-label.js';

interface Props {
  readonly api: ScribeApi;
  readonly state: IdentityState;
  /** The browser mode: the page opens the EHR's sign-in page in a new tab (its browser is the system browser). */
  readonly inBrowser: boolean;
}

const shownName = (identity: Identity) => identity.displayName ?? identity.actorId;

/**
 * The header's who-am-I: the signed-in person's name and role, and Sign in with the EHR, Sign out and
 * Switch user. Signing in opens the EHR's own sign-in page (the system browser in the desktop app, a
 * new tab in the browser mode); the header follows auth:changed once the EHR answers.
 */
export function SignInControls({ api, state, inBrowser }: Props) {
  const { identity, auth } = state;
  const [error, setError] = useState<string | undefined>(undefined);
  /** The EHR's sign-in address when the browser refused to open a tab: offered as a link instead. */
  const [blocked, setBlocked] = useState<string | undefined>(undefined);

  if (!identity) return <span className="muted">Connecting…</span>;
  const signedIn = identity.signedIn !== null;
  const signingIn = auth?.state === 'signing_in';
  const ehr = identity.signIn.ehrName;

  const signIn = async (switchUser: boolean) => {
    setError(undefined);
    setBlocked(undefined);
    try {
      // Switch user: whoever was signed in stops acting at once, before the EHR asks who comes next.
      if (switchUser) await api.auth.signOut();
      const started = await api.auth.signIn({ mode: 'standalone', ...(switchUser ? { switchUser } : {}) });
      if (started.openInBrowser && inBrowser && !window.open(started.openInBrowser, '_blank', 'noopener'))
        setBlocked(started.openInBrowser);
      state.reload();
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  const run = async (operation: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await operation();
      state.reload();
    } catch (failure) {
      setError(errorText(failure));
    }
  };

  return (
    <div className="sign-in-controls">
      <span>
        <span className="visually-hidden">{signedIn ? `Signed in with ${ehr} as ` : 'Using this computer as '}</span>
        <span className="user-id">{shownName(identity)}</span>
        <span className="role-tag">{roleLabel(identity.role)}</span>
      </span>
      {signingIn ? (
        <>
          <span role="status">Finish signing in on {ehr}’s page…</span>
          {blocked ? (
            <a href={blocked} target="_blank" rel="noopener noreferrer" className="header-link">
              Open the sign-in page
            </a>
          ) : null}
          <button type="button" className="button-small header-button" onClick={() => void run(() => api.auth.cancel())}>
            Cancel sign-in
          </button>
        </>
      ) : signedIn ? (
        <>
          <button type="button" className="button-small header-button" onClick={() => void signIn(true)}>
            Switch user
          </button>
          <button type="button" className="button-small header-button" onClick={() => void run(() => api.auth.signOut())}>
            Sign out
          </button>
        </>
      ) : identity.signIn.available ? (
        <button type="button" className="button-small header-button" onClick={() => void signIn(false)}>
          Sign in with {ehr}
        </button>
      ) : null}
      {(error ?? (auth?.problem && !signingIn ? auth.problem.message : undefined)) ? (
        <span className="header-warning" role="alert">
          {error ?? auth?.problem?.message}
        </span>
      ) : null}
    </div>
  );
}
