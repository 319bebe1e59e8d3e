import { useEffect, useId, useState } from 'react';
import type { VisitSummary } from '../../../shared/api/contract.js';
import type { OutboxJobSummary } from '../../../shared/domain/outbox.js';
import { DEMO_EHR_LABEL } from '../../../shared/domain/demo-ehr.js';
import { useApp } from '../app-context.js';
import { useDemoEhrInUse } from '../components/DemoEhrBadge.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { ANY, clinicianOf, ListFilters, matches, optionsOf } from '../components/ListFilters.js';
import type { ListFilter } from '../components/ListFilters.js';
import { JobDetail, stateLabels, VisitIdentity } from '../components/OutboxJobDetail.js';
import { dateTime, plural, timeAgo } from '../format.js';
import { useOutbox } from '../hooks/useOutbox.js';
import { whereLabel } from '../outbox-advice.js';
import { routeHref } from '../routes.js';

/** Every signed note on its way to the EHR: state, attempts, the last error in plain words, and retry. */
export function OutboxView() {
  const { api, announce, user } = useApp();
  const mayConfirm = user?.role === 'clinician' || user?.role === 'admin';
  const heading = useId();
  const { jobs, error, reload } = useOutbox(api);
  const demoEhr = useDemoEhrInUse(api);
  const [visits, setVisits] = useState<ReadonlyMap<string, VisitSummary>>(new Map());
  const [filter, setFilter] = useState<ListFilter>(ANY);
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);
  // The failure itself, so its plain words and its details for IT can be told apart.
  const [actionError, setActionError] = useState<unknown>(undefined);

  useEffect(() => {
    let current = true;
    api.visit.list({ limit: 1000 }).then(
      (result) => current && setVisits(new Map(result.visits.map((visit) => [visit.id, visit]))),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [api, jobs?.length]);

  const sendNow = async () => {
    if (busy) return;
    setBusy('run');
    setActionError(undefined);
    setMessage(undefined);
    try {
      const summary = await api.outbox.run();
      const text = `Sent now: ${summary.delivered} delivered, ${summary.retrying} to retry, ${summary.failed} failed.`;
      setMessage(text);
      announce(text);
    } catch (failure) {
      setActionError(failure);
    } finally {
      setBusy(undefined);
      reload();
    }
  };

  const retry = async (job: OutboxJobSummary) => {
    if (busy) return;
    setBusy(job.id);
    setActionError(undefined);
    try {
      await api.outbox.retry({ jobId: job.id });
      await api.outbox.run();
      announce('The note was sent again.');
    } catch (failure) {
      setActionError(failure);
    } finally {
      setBusy(undefined);
      reload();
    }
  };

  const confirm = async (job: OutboxJobSummary, delivered: boolean) => {
    if (busy) return;
    setBusy(job.id);
    setActionError(undefined);
    try {
      await api.outbox.confirm({ jobId: job.id, delivered });
      if (!delivered) await api.outbox.run();
      announce(delivered ? 'Marked as delivered.' : 'The note was sent again.');
    } catch (failure) {
      setActionError(failure);
    } finally {
      setBusy(undefined);
      reload();
    }
  };

  const failed = jobs?.filter((job) => job.state === 'failed' || job.state === 'unknown_outcome').length ?? 0;
  const rows = (jobs ?? []).map((job) => ({ job, state: job.state, clinician: clinicianOf(visits.get(job.visitId)) }));
  const options = optionsOf(rows, (state) => stateLabels[state as OutboxJobSummary['state']]?.label ?? state, filter);
  const shown = rows.filter((row) => matches(filter, row.state, row.clinician));
  const nameOf = (visitId: string) => {
    const visit = visits.get(visitId);
    return visit && !visit.damaged ? (visit.patientName ?? 'Unnamed patient') : 'Visit';
  };
  return (
    <div className="view">
      <h1 tabIndex={-1}>Outbox</h1>
      <section className="panel" aria-labelledby={heading}>
        <div className="panel-header">
          <h2 id={heading}>Signed notes to the EHR</h2>
          <button type="button" className="button-secondary" onClick={() => void sendNow()} aria-disabled={busy !== undefined || undefined}>
            {busy === 'run' ? 'Sending…' : 'Send now'}
          </button>
        </div>
        {demoEhr ? (
          <p className="demo-ehr-note">
            Notes go to the {DEMO_EHR_LABEL}, which runs inside this app. <a href={routeHref('received')}>See what the EHR received</a>.
          </p>
        ) : null}
        {failed > 0 ? (
          <p className="alert" role="alert">
            {plural(failed, 'note was not delivered and needs', 'notes were not delivered and need')} someone to act: see “What to do”
            below.
          </p>
        ) : null}
        {error ? (
          <p className="alert" role="alert">
            {error}
          </p>
        ) : null}
        {actionError !== undefined ? <ErrorNotice error={actionError} /> : null}
        <p role="status" className="form-status">
          {message ?? ''}
        </p>
        {jobs === undefined && !error ? <p className="muted">Loading…</p> : null}
        {jobs?.length === 0 ? <p className="empty-state">Signed notes waiting to be sent to the EHR appear here.</p> : null}
        {jobs && jobs.length > 0 ? (
          <ListFilters
            states={options.states}
            clinicians={options.clinicians}
            value={filter}
            onChange={setFilter}
            shown={shown.length}
            total={rows.length}
          />
        ) : null}
        {jobs && jobs.length > 0 && shown.length === 0 ? <p className="empty-state">No note matches these filters.</p> : null}
        {shown.length > 0 ? (
          <div className="table-scroll" role="region" aria-labelledby={heading} tabIndex={0}>
            <table className="visit-table outbox-table">
              <thead>
                <tr>
                  <th scope="col">Patient</th>
                  <th scope="col">To</th>
                  <th scope="col">State</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Signed</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {shown.map(({ job }) => (
                  <tr key={job.id}>
                    <th scope="row" className="patient-cell">
                      <a href={routeHref('review', job.visitId)}>{nameOf(job.visitId)}</a>
                      <VisitIdentity visit={visits.get(job.visitId)} />
                    </th>
                    <td>{demoEhr ? `${DEMO_EHR_LABEL} (${whereLabel(job)})` : whereLabel(job)}</td>
                    <td>
                      <span className={`badge badge-${stateLabels[job.state].tone}`}>{stateLabels[job.state].label}</span>
                    </td>
                    <td>{job.attempts}</td>
                    <td className="time-cell">
                      <time dateTime={job.createdAt}>{dateTime(job.createdAt)}</time>{' '}
                      <span className="muted">({timeAgo(job.createdAt)})</span>
                    </td>
                    <td className="job-detail">
                      <JobDetail
                        job={job}
                        onRetry={() => void retry(job)}
                        onConfirm={(delivered) => void confirm(job, delivered)}
                        busy={busy === job.id}
                        mayConfirm={mayConfirm}
                        demoEhr={demoEhr}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}
