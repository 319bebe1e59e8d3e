import { useEffect, useRef } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import type { AuthStatus } from '../../../shared/domain/auth.js';
import { navigate } from '../routes.js';

/**
 * Launched from a chart in the EHR (SMART EHR launch): once signed in, the app opens that
 * encounter's visit (made from the EHR's details if there is none yet), once per launch.
 */
export function useEhrLaunchLanding(api: ScribeApi, auth: AuthStatus | undefined): void {
  const landed = useRef<string | undefined>(undefined);
  const encounterId = auth?.state === 'signed_in' && auth.launch === 'ehr' ? auth.context.encounterId : null;
  const key = encounterId ? `${auth?.user?.id ?? ''}/${encounterId}` : undefined;
  const signedOut = auth !== undefined && auth.state !== 'signed_in';
  useEffect(() => {
    // A new session (after sign-out, or a new launch) lands again.
    if (signedOut) landed.current = undefined;
    if (!encounterId || !key || landed.current === key) return;
    landed.current = key;
    api.ehr.startVisit({ encounterId }).then(
      (started) => navigate('visits', started.visit.id),
      () => undefined,
    );
  }, [api, encounterId, key, signedOut]);
}
