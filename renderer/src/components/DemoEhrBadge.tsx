import { useEffect, useState } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import { DEMO_EHR_LABEL } from '../../../shared/domain/demo-ehr.js';

/** Whether the app is connected to the demo EHR it started itself; follows settings changes. */
export function useDemoEhrInUse(api: ScribeApi): boolean {
  const [inUse, setInUse] = useState(false);
  useEffect(() => {
    let current = true;
    const load = () =>
      api.ehr.demoStatus({}).then(
        (status) => current && setInUse(status.inUse),
        () => undefined,
      );
    void load();
    const off = api.on('settings:changed', () => void load());
    return () => {
      current = false;
      off();
    };
  }, [api]);
  return inUse;
}

/** In Settings' EHR connection part: that the app is connected to its own demo EHR, and what that means. */
export function DemoEhrConnection({ inUse }: { inUse: boolean }) {
  return inUse ? (
    <p className="demo-ehr-note">
      Connected to the <strong>{DEMO_EHR_LABEL}</strong>: it runs inside this app, holds made-up patients only, and forgets everything when
      the app stops. No real EHR is set up on this workstation.
    </p>
  ) : null;
}

/** "Demo EHR — synthetic patients", wherever the app names the EHR it is connected to. */
export function DemoEhrBadge({ inUse }: { inUse: boolean }) {
  return inUse ? <span className="badge demo-ehr-badge">{DEMO_EHR_LABEL}</span> : null;
}
