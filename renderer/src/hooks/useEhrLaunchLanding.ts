import { useEffect, useRef } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import type { AuthStatus } from '../../../shared/domain/auth.js';
import { navigate } from '../routes.js';

/**
 * Launched from a chart in the EHR (SMART EHR launch): once signed in, the app opens that
 * encounter's visit (made from the EHR's details if there is none yet), or with a patient and no
 * encounter, that patient's unsigned visit of today (else a new one for them), once per launch.
 */
export function useEhrLaunchLanding(api: ScribeApi, auth: AuthStatus | undefined): void {
  const landed = useRef<string | undefined>(undefined);
  const context = auth?.state === 'signed_in' && auth.launch === 'ehr' ? auth.context : undefined;
  const encounterId = context?.encounterId ?? null;
  const patientId = encounterId ? null : (context?.patientId ?? null);
  const key = encounterId || patientId ? `${auth?.user?.id ?? ''}/${encounterId ?? `patient:${patientId}`}` : undefined;
  const signedOut = auth !== undefined && auth.state !== 'signed_in';
  useEffect(() => {
    // A new session (after sign-out, or a new launch) lands again.
    if (signedOut) landed.current = undefined;
    if (!key || landed.current === key) return;
    landed.current = key;
    const opened = encounterId ? api.ehr.startVisit({ encounterId }) : patientId ? api.ehr.openPatientVisit({ patientId }) : undefined;
    opened?.then(
      (started) => navigate('visits', started.visit.id),
      () => undefined,
    );
  }, [api, encounterId, patientId, key, signedOut]);
}
