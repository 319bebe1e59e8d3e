import type { VisitSummary } from '../../../shared/api/contract.js';
import type { OutboxJobSummary } from '../../../shared/domain/outbox.js';
import { DEMO_EHR_LABEL } from '../../../shared/domain/demo-ehr.js';
import { clockTime, dateTime } from '../format.js';
import { adviceFor, plainReason } from '../outbox-advice.js';
import { DeliveryReceipt } from './DeliveryReceipt.js';
import { DetailsForIt } from './DetailsForIt.js';
import { clinicianOf } from './ListFilters.js';

export const stateLabels: Record<OutboxJobSummary['state'], { label: string; tone: string }> = {
  queued: { label: 'Waiting to send', tone: 'active' },
  sending: { label: 'Sending', tone: 'active' },
  delivered: { label: 'Delivered', tone: 'done' },
  failed: { label: 'Failed', tone: 'failed' },
  unknown_outcome: { label: 'Check the EHR', tone: 'failed' },
};

export interface JobActions {
  readonly onRetry: () => void;
  readonly onConfirm: (delivered: boolean) => void;
  readonly busy: boolean;
  /** Clinicians and administrators answer for an unknown outcome. */
  readonly mayConfirm: boolean;
  /** The app uses the demo EHR it started: the receipt names it. */
  readonly demoEhr: boolean;
}

/** The EHR's own words and the error code, for IT: they may quote FHIR paths and server messages. */
function ServerWords({ job }: { job: OutboxJobSummary }) {
  if (!job.lastError && !job.lastErrorCode) return null;
  return (
    <DetailsForIt>
      <p>
        {job.lastErrorCode ? (
          <>
            <code>{job.lastErrorCode}</code>
            {job.lastError ? ': ' : ''}
          </>
        ) : null}
        {job.lastError}
      </p>
      <p className="muted">Job {job.id}</p>
    </DetailsForIt>
  );
}

/** What tells a patient's visits apart: reason, clinician and scheduled time, under the patient's name. */
export function VisitIdentity({ visit }: { visit: VisitSummary | undefined }) {
  if (!visit || visit.damaged) return null;
  const parts = [visit.reasonForVisit, clinicianOf(visit), visit.scheduledAt ? `scheduled ${dateTime(visit.scheduledAt)}` : undefined];
  const text = parts.filter(Boolean).join(' · ');
  return text ? <span className="visit-identity muted">{text}</span> : null;
}

/** A job's outcome in plain words, what to do, and the server's own words under "Details for IT". */
export function JobDetail({ job, onRetry, onConfirm, busy, mayConfirm, demoEhr }: { job: OutboxJobSummary } & JobActions) {
  if (job.state === 'delivered')
    return job.receipt ? (
      <DeliveryReceipt receipt={job.receipt} {...(demoEhr ? { ehr: `The ${DEMO_EHR_LABEL}` } : {})} />
    ) : (
      <span className="muted">Delivered</span>
    );
  if (job.state === 'unknown_outcome') {
    return (
      <div className="job-failure">
        <p>
          <strong>Not known whether it arrived:</strong> {plainReason(job)}
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
        <ServerWords job={job} />
      </div>
    );
  }
  if (job.state === 'failed') {
    return (
      <div className="job-failure">
        <p>
          <strong>Reason:</strong> {plainReason(job)}
        </p>
        <p>
          <strong>What to do:</strong> {adviceFor(job)}
        </p>
        <button type="button" className="button-small" onClick={onRetry} aria-disabled={busy || undefined}>
          {busy ? 'Retrying…' : 'Retry'}
        </button>
        <ServerWords job={job} />
      </div>
    );
  }
  if (job.lastError) {
    return (
      <div>
        <p>
          Not delivered yet: {plainReason(job)} {job.nextAttemptAt ? `Next attempt at ${clockTime(job.nextAttemptAt)}.` : ''} It is sent
          again automatically.
        </p>
        <ServerWords job={job} />
      </div>
    );
  }
  return <span className="muted">{job.state === 'sending' ? 'Sending now…' : 'Waiting for the next send.'}</span>;
}
