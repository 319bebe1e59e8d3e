import { useCallback, useEffect, useRef, useState } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import type { Schedule } from '../../../shared/domain/ehr.js';
import { errorText } from '../error-text.js';

export interface TodaysSchedule {
  /** Undefined until the first answer; kept while a refresh runs or fails. */
  readonly schedule: Schedule | undefined;
  readonly loading: boolean;
  readonly error: string | undefined;
  readonly reload: () => void;
}

/**
 * Today's encounters from the EHR, read when the view opens and on Refresh. Not on every visit
 * event: each read is a PHI lookup the EHR and our audit log record, and the visits' live states
 * come from the local visit list instead.
 */
export function useSchedule(api: ScribeApi, everyone: boolean): TodaysSchedule {
  const [schedule, setSchedule] = useState<Schedule | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | undefined>(undefined);
  const latest = useRef(0);

  const reload = useCallback(() => {
    const ticket = ++latest.current;
    setLoading(true);
    api.ehr.schedule({ everyone }).then(
      (result) => {
        if (ticket !== latest.current) return;
        setSchedule(result);
        setError(undefined);
        setLoading(false);
      },
      (failure: unknown) => {
        if (ticket !== latest.current) return;
        setError(errorText(failure));
        setLoading(false);
      },
    );
  }, [api, everyone]);

  useEffect(() => {
    reload();
    return () => {
      latest.current++;
    };
  }, [reload]);

  return { schedule, loading, error, reload };
}
