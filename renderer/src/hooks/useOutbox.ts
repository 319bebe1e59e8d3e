import { useCallback, useEffect, useRef, useState } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import type { OutboxJobSummary } from '../../../shared/domain/outbox.js';
import { errorText } from '../error-text.js';

export interface OutboxState {
  readonly jobs: readonly OutboxJobSummary[] | undefined;
  readonly error: string | undefined;
  readonly reload: () => void;
}

/** Every outbox job, reloaded whenever one changes state. */
export function useOutbox(api: ScribeApi): OutboxState {
  const [jobs, setJobs] = useState<readonly OutboxJobSummary[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const ticket = useRef(0);
  const reload = useCallback(() => {
    const mine = ++ticket.current;
    api.outbox.list().then(
      (result) => {
        if (mine !== ticket.current) return;
        setJobs([...result.jobs].sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
        setError(undefined);
      },
      (failure: unknown) => mine === ticket.current && setError(errorText(failure)),
    );
  }, [api]);
  useEffect(() => {
    reload();
    const off = api.on('outbox:changed', reload);
    // Retries are scheduled in main; look again now and then so "next attempt" stays true.
    const timer = setInterval(reload, 15_000);
    return () => {
      off();
      clearInterval(timer);
      ticket.current++;
    };
  }, [api, reload]);
  return { jobs, error, reload };
}
