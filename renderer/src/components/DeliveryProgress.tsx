import type { OutboxJobSummary } from '../../../shared/domain/outbox.js';
import { clockTime } from '../format.js';
import { adviceFor, plainReason, whereLabel } from '../outbox-advice.js';
import { routeHref } from '../routes.js';
import { DeliveryReceipt } from './DeliveryReceipt.js';
import { DetailsForIt } from './DetailsForIt.js';
import '../lists.css';

const steps = ['Signed', 'Queued', 'Sending', 'Delivered'] as const;

/** The step the job is at; a failed or unknown delivery stopped at Sending, which is marked as stopped rather than current. */
function stepReached(job: OutboxJobSummary | undefined): { at: number; stopped: boolean } {
  if (!job) return { at: 0, stopped: false };
  if (job.state === 'delivered') return { at: steps.length, stopped: false };
  if (job.state === 'failed' || job.state === 'unknown_outcome') return { at: 2, stopped: true };
  if (job.state === 'sending') return { at: 2, stopped: false };
  return { at: 1, stopped: false };
}

function LastError({ job }: { job: OutboxJobSummary }) {
  return job.lastError ? (
    <DetailsForIt>
      <p>
        {job.lastErrorCode ? (
          <>
            <code>{job.lastErrorCode}</code>:{' '}
          </>
        ) : null}
        {job.lastError}
      </p>
    </DetailsForIt>
  ) : null;
}

/** A signed note on its way to the EHR: the steps, the EHR's receipt, or what went wrong and what to do. */
export function DeliveryProgress({ job }: { job: OutboxJobSummary | undefined }) {
  const { at, stopped } = stepReached(job);
  const classOf = (index: number) => (index < at ? 'step-done' : index === at ? (stopped ? 'step-stopped' : 'step-current') : 'step-todo');
  return (
    <div className="delivery-progress">
      <ol className="delivery-steps" aria-label="Delivery progress">
        {steps.map((step, index) => (
          <li key={step} className={classOf(index)} aria-current={index === at && !stopped ? 'step' : undefined}>
            {step}
            {index < at ? <span className="visually-hidden"> (done)</span> : null}
            {index === at && stopped ? <span> (stopped)</span> : null}
          </li>
        ))}
      </ol>
      <div role="status">
        {!job ? <p className="muted">Waiting for the outbox…</p> : null}
        {job?.state === 'delivered' ? (
          <div className="result-ok">
            <p>
              Delivered to the EHR ({whereLabel(job)}){job.deliveredAt ? ` at ${clockTime(job.deliveredAt)}` : ''}.
            </p>
            {job.receipt ? <DeliveryReceipt receipt={job.receipt} /> : null}
          </div>
        ) : null}
        {job && (job.state === 'queued' || job.state === 'sending') && job.lastError ? (
          <div className="notice">
            <p>
              Not delivered yet (attempt {job.attempts}): {plainReason(job)}
              {job.nextAttemptAt ? ` Next attempt at ${clockTime(job.nextAttemptAt)}.` : ''} It is sent again automatically; nothing is
              lost.
            </p>
            <LastError job={job} />
          </div>
        ) : null}
      </div>
      {job?.state === 'failed' || job?.state === 'unknown_outcome' ? (
        <div className="alert" role="alert">
          <p>
            <strong>Not delivered.</strong> {plainReason(job)}
          </p>
          <p>{adviceFor(job)}</p>
          <p>
            <a href={routeHref('outbox')}>Open the outbox</a> to {job.state === 'failed' ? 'retry' : 'say what you found in the EHR'}.
          </p>
          <LastError job={job} />
        </div>
      ) : null}
    </div>
  );
}
