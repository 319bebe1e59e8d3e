import { useEffect, useState } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import type { AutoDraftStatus } from '../../../shared/domain/auto-draft.js';

/** Whether the visit's note is being drafted on its own (after the recording), read once and kept current from `visit:autoDraft`. */
export function useAutoDraft(api: ScribeApi, visitId: string): AutoDraftStatus | undefined {
  const [status, setStatus] = useState<AutoDraftStatus | undefined>(undefined);
  useEffect(() => {
    let current = true;
    let heard = false;
    setStatus(undefined);
    const off = api.on('visit:autoDraft', (event) => {
      if (event.visitId !== visitId) return;
      heard = true;
      setStatus(event);
    });
    api.visit.autoDraftStatus({ visitId }).then(
      // An event that arrived while the read was on its way is newer than the read.
      (read) => current && !heard && setStatus(read),
      () => undefined,
    );
    return () => {
      current = false;
      off();
    };
  }, [api, visitId]);
  return status;
}
