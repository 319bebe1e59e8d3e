import { useId, useState } from 'react';
import { useApp } from '../app-context.js';
import { NewVisitForm } from '../components/NewVisitForm.js';
import { PatientSearch } from '../components/PatientSearch.js';
import { TodaySchedule } from '../components/TodaySchedule.js';
import { VisitTable } from '../components/VisitTable.js';
import { useSchedule } from '../hooks/useSchedule.js';
import { useTodaysVisits } from '../hooks/useTodaysVisits.js';
import '../ehr.css';

export function VisitsView() {
  const { api } = useApp();
  const listHeading = useId();
  const formHeading = useId();
  const { visits, loading, error, reload } = useTodaysVisits(api);
  const [everyone, setEveryone] = useState(false);
  const schedule = useSchedule(api, everyone);

  return (
    <div className="view">
      <h1 tabIndex={-1}>Visits</h1>
      <div className="visits-layout">
        <div className="visits-main">
          <TodaySchedule api={api} state={schedule} visits={visits} everyone={everyone} onEveryoneChange={setEveryone} />
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
        </div>
        <section className="panel" aria-labelledby={formHeading}>
          <h2 id={formHeading}>New visit</h2>
          <PatientSearch api={api} onCreated={reload} />
          <h3 className="manual-entry">Or enter the patient by hand</h3>
          <p className="muted">When the EHR cannot be reached, or the patient is not on it yet.</p>
          <NewVisitForm api={api} onCreated={reload} />
        </section>
      </div>
    </div>
  );
}
