import { useCallback, useEffect, useRef, useState } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import type { VisitSummary } from '../../../shared/api/contract.js';
import { errorText } from '../error-text.js';

export interface TodaysVisits {
  /** Undefined until the first list arrives; kept while a refresh runs or fails. */
  readonly visits: readonly VisitSummary[] | undefined;
  readonly loading: boolean;
  readonly error: string | undefined;
  readonly reload: () => void;
}

/** Local midnight as an instant, worked out at each load so a window left open overnight rolls over. */
function startOfToday(): string {
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  return midnight.toISOString();
}

function newestFirst(visits: readonly VisitSummary[]): VisitSummary[] {
  return [...visits].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Today's visits, reloaded whenever main reports a visit changed. Only the latest load's answer counts. */
export function useTodaysVisits(api: ScribeApi): TodaysVisits {
  const [visits, setVisits] = useState<readonly VisitSummary[] | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | undefined>(undefined);
  const latest = useRef(0);

  const reload = useCallback(() => {
    const ticket = ++latest.current;
    setLoading(true);
    api.visit.list({ since: startOfToday() }).then(
      (result) => {
        if (ticket !== latest.current) return;
        setVisits(newestFirst(result.visits));
        setError(undefined);
        setLoading(false);
      },
      (failure: unknown) => {
        if (ticket !== latest.current) return;
        setError(errorText(failure));
        setLoading(false);
      },
    );
  }, [api]);

  useEffect(() => {
    reload();
    // Drafts and deliveries move visits on too; their events say so.
    const offs = [api.on('visit:changed', reload), api.on('note:changed', reload), api.on('outbox:changed', reload)];
    return () => {
      for (const off of offs) off();
      latest.current++; // answers still in flight belong to an unmounted view
    };
  }, [api, reload]);

  return { visits, loading, error, reload };
}
