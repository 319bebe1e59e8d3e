import { useCallback, useEffect, useRef, useState } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import type { CaptureStatus } from '../../../shared/domain/capture.js';
import { errorText } from '../error-text.js';

export interface CaptureStatusState {
  readonly status: CaptureStatus | undefined;
  readonly error: string | undefined;
  readonly reload: () => void;
}

/** The store's view of a visit's recording (consent, frames, duration), refreshed when the visit changes. */
export function useCaptureStatus(api: ScribeApi, visitId: string): CaptureStatusState {
  const [status, setStatus] = useState<CaptureStatus | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const ticket = useRef(0);
  const reload = useCallback(() => {
    const mine = ++ticket.current;
    api.capture.status({ visitId }).then(
      (next) => {
        if (mine !== ticket.current) return;
        setStatus(next);
        setError(undefined);
      },
      (failure: unknown) => mine === ticket.current && setError(errorText(failure)),
    );
  }, [api, visitId]);
  useEffect(() => {
    reload();
    const off = api.on('visit:changed', (event) => event.visitId === visitId && reload());
    return () => {
      off();
      ticket.current++;
    };
  }, [api, visitId, reload]);
  return { status, error, reload };
}
