import { useCallback, useEffect, useState } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import type { AuthStatus } from '../../../shared/domain/auth.js';
import type { Identity } from '../../../shared/domain/identity.js';

export interface IdentityState {
  /** Who acts now; undefined until first loaded (or when the app is not reachable). */
  readonly identity: Identity | undefined;
  /** Sign-in with the EHR: signing in, the chart an EHR launch opened, why the last attempt failed. */
  readonly auth: AuthStatus | undefined;
  reload(): void;
}

/** Who is using the app, kept current: reloaded whenever sign-in changes (auth:changed) or the settings do. */
export function useIdentity(api: ScribeApi): IdentityState {
  const [identity, setIdentity] = useState<Identity | undefined>(undefined);
  const [auth, setAuth] = useState<AuthStatus | undefined>(undefined);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);

  useEffect(() => {
    let current = true;
    api.auth.whoami().then(
      (next) => current && setIdentity(next),
      () => undefined,
    );
    api.auth.status().then(
      (next) => current && setAuth(next),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [api, generation]);

  useEffect(() => {
    const offAuth = api.on('auth:changed', reload);
    const offSettings = api.on('settings:changed', reload);
    return () => {
      offAuth();
      offSettings();
    };
  }, [api, reload]);

  return { identity, auth, reload };
}
