import { useId } from 'react';
import { useApp } from '../app-context.js';
import { NewVisitForm } from '../components/NewVisitForm.js';
import { VisitTable } from '../components/VisitTable.js';
import { useTodaysVisits } from '../hooks/useTodaysVisits.js';

export function VisitsView() {
  const { api } = useApp();
  const listHeading = useId();
  const formHeading = useId();
  const { visits, loading, error, reload } = useTodaysVisits(api);

  return (
    <div className="view">
      <h1 tabIndex={-1}>Visits</h1>
      <div className="visits-layout">
        <section className="panel" aria-labelledby={listHeading} aria-busy={loading || undefined}>
          <div className="panel-header">
            <h2 id={listHeading}>Today’s visits</h2>
            <button type="button" className="button-secondary" onClick={reload}>
              Refresh
            </button>
          </div>
          {error ? (
            <div className="alert" role="alert">
              <p>{error}</p>
              {visits ? <p>The list below may be out of date.</p> : null}
            </div>
          ) : null}
          {visits === undefined ? (
            loading ? (
              <p role="status" className="muted">
                Loading today’s visits…
              </p>
            ) : null
          ) : visits.length === 0 ? (
            <p className="empty-state">No visits today. Start one with New visit.</p>
          ) : (
            <>
              <p className="muted">Open a visit by its patient to record it, or to review its note once recorded.</p>
              <VisitTable visits={visits} labelledBy={listHeading} />
            </>
          )}
        </section>
        <section className="panel" aria-labelledby={formHeading}>
          <h2 id={formHeading}>New visit</h2>
          <NewVisitForm api={api} onCreated={reload} />
        </section>
      </div>
    </div>
  );
}
