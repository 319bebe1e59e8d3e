import { useEffect, useId, useState } from 'react';
import type { OutboxJobSummary } from '../../../shared/domain/outbox.js';
import { useApp } from '../app-context.js';
import { DeliveryReceipt } from '../components/DeliveryReceipt.js';
import { errorText } from '../error-text.js';
import { clockTime, dateTime, plural } from '../format.js';
import { useOutbox } from '../hooks/useOutbox.js';
import { adviceFor, whereLabel } from '../outbox-advice.js';
import { routeHref } from '../routes.js';

const stateLabels: Record<OutboxJobSummary['state'], { label: string; tone: string }> = {
  queued: { label: 'Waiting to send', tone: 'active' },
  sending: { label: 'Sending', tone: 'active' },
  delivered: { label: 'Delivered', tone: 'done' },
  failed: { label: 'Failed', tone: 'failed' },
  unknown_outcome: { label: 'Check the EHR', tone: 'failed' },
};

interface JobActions {
  readonly onRetry: () => void;
  readonly onConfirm: (delivered: boolean) => void;
  readonly busy: boolean;
  /** Clinicians and administrators answer for an unknown outcome. */
  readonly mayConfirm: boolean;
}

function JobDetail({ job, onRetry, onConfirm, busy, mayConfirm }: { job: OutboxJobSummary } & JobActions) {
  if (job.state === 'delivered') return job.receipt ? <DeliveryReceipt receipt={job.receipt} /> : <span className="muted">Delivered</span>;
  if (job.state === 'unknown_outcome') {
    return (
      <div className="job-failure">
        <p>
          <strong>Not known whether it arrived:</strong> {job.lastError ?? 'The EHR could not be asked whether it has the note.'}
        </p>
        <p>
          <strong>What to do:</strong> open the patient’s chart in the EHR and look for this note. It is not sent again until someone says
          what they found.
        </p>
        {mayConfirm ? (
          <div className="button-row">
            <button type="button" className="button-small" onClick={() => onConfirm(true)} aria-disabled={busy || undefined}>
              It is in the EHR
            </button>
            <button
              type="button"
              className="button-small button-secondary"
              onClick={() => onConfirm(false)}
              aria-disabled={busy || undefined}
            >
              It is not there: send it
            </button>
          </div>
        ) : (
          <p className="muted">A clinician or an administrator confirms this.</p>
        )}
      </div>
    );
  }
  if (job.state === 'failed') {
    return (
      <div className="job-failure">
        <p>
          <strong>Reason:</strong> {job.lastError ?? 'The EHR did not accept the note.'}
        </p>
        <p>
          <strong>What to do:</strong> {adviceFor(job)}
        </p>
        <button type="button" className="button-small" onClick={onRetry} aria-disabled={busy || undefined}>
          {busy ? 'Retrying…' : 'Retry'}
        </button>
      </div>
    );
  }
  if (job.lastError) {
    return (
      <p>
        Not delivered yet: {job.lastError} {job.nextAttemptAt ? `Next attempt at ${clockTime(job.nextAttemptAt)}.` : ''} It is sent again
        automatically.
      </p>
    );
  }
  return <span className="muted">{job.state === 'sending' ? 'Sending now…' : 'Waiting for the next send.'}</span>;
}

/** Every signed note on its way to the EHR: state, attempts, the last error in plain words, and retry. */
export function OutboxView() {
  const { api, announce, user } = useApp();
  const mayConfirm = user?.role === 'clinician' || user?.role === 'admin';
  const heading = useId();
  const { jobs, error, reload } = useOutbox(api);
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [actionError, setActionError] = useState<string | undefined>(undefined);

  useEffect(() => {
    let current = true;
    api.visit.list({ limit: 1000 }).then(
      (result) => current && setNames(new Map(result.visits.map((visit) => [visit.id, visit.patientName ?? 'Unnamed patient']))),
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
      setActionError(errorText(failure));
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
      setActionError(errorText(failure));
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
      setActionError(errorText(failure));
    } finally {
      setBusy(undefined);
      reload();
    }
  };

  const failed = jobs?.filter((job) => job.state === 'failed' || job.state === 'unknown_outcome').length ?? 0;
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
        {failed > 0 ? (
          <p className="alert" role="alert">
            {plural(failed, 'note was', 'notes were')} not delivered and need someone to act: see “What to do” below.
          </p>
        ) : null}
        {error ? (
          <p className="alert" role="alert">
            {error}
          </p>
        ) : null}
        {actionError ? (
          <p className="alert" role="alert">
            {actionError}
          </p>
        ) : null}
        <p role="status" className="form-status">
          {message ?? ''}
        </p>
        {jobs === undefined && !error ? <p className="muted">Loading…</p> : null}
        {jobs?.length === 0 ? <p className="empty-state">Signed notes waiting to be sent to the EHR appear here.</p> : null}
        {jobs && jobs.length > 0 ? (
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
                {jobs.map((job) => (
                  <tr key={job.id}>
                    <th scope="row" className="patient-cell">
                      <a href={routeHref('review', job.visitId)}>{names.get(job.visitId) ?? 'Visit'}</a>
                    </th>
                    <td>{whereLabel(job)}</td>
                    <td>
                      <span className={`badge badge-${stateLabels[job.state].tone}`}>{stateLabels[job.state].label}</span>
                    </td>
                    <td>{job.attempts}</td>
                    <td className="time-cell">
                      <time dateTime={job.createdAt}>{dateTime(job.createdAt)}</time>
                    </td>
                    <td className="job-detail">
                      <JobDetail
                        job={job}
                        onRetry={() => void retry(job)}
                        onConfirm={(delivered) => void confirm(job, delivered)}
                        busy={busy === job.id}
                        mayConfirm={mayConfirm}
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
