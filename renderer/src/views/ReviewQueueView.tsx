import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { VisitSummary } from '../../../shared/api/contract.js';
import type { VisitState } from '../../../shared/domain/visit.js';
import { useApp } from '../app-context.js';
import { VisitTable } from '../components/VisitTable.js';
import { errorText } from '../error-text.js';

const QUEUE_STATES: VisitState[] = ['transcribing', 'transcription_failed', 'draft_ready', 'in_review', 'ready_for_signature', 'failed'];

/** Oldest first: the draft waiting longest is reviewed first. */
function oldestFirst(visits: readonly VisitSummary[]): VisitSummary[] {
  return [...visits].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Every visit waiting for someone: drafts to review, notes ready to sign, deliveries that failed. */
export function ReviewQueueView() {
  const { api } = useApp();
  const heading = useId();
  const [visits, setVisits] = useState<readonly VisitSummary[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const ticket = useRef(0);

  const reload = useCallback(() => {
    const mine = ++ticket.current;
    api.visit.list({ states: QUEUE_STATES, limit: 500 }).then(
      (result) => {
        if (mine !== ticket.current) return;
        setVisits(oldestFirst(result.visits));
        setError(undefined);
      },
      (failure: unknown) => mine === ticket.current && setError(errorText(failure)),
    );
  }, [api]);

  useEffect(() => {
    reload();
    const offs = [api.on('visit:changed', reload), api.on('note:changed', reload), api.on('outbox:changed', reload)];
    return () => {
      for (const off of offs) off();
      ticket.current++;
    };
  }, [api, reload]);

  return (
    <div className="view">
      <h1 tabIndex={-1}>Review</h1>
      <section className="panel" aria-labelledby={heading}>
        <h2 id={heading}>Drafts to review</h2>
        {error ? (
          <p className="alert" role="alert">
            {error}
          </p>
        ) : null}
        {visits === undefined && !error ? <p className="muted">Loading…</p> : null}
        {visits?.length === 0 ? (
          <p className="empty-state">Nothing to review. Visits appear here once they are recorded and transcribed.</p>
        ) : null}
        {visits && visits.length > 0 ? <VisitTable visits={visits} labelledBy={heading} /> : null}
      </section>
    </div>
  );
}
