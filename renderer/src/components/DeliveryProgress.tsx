import type { OutboxJobSummary } from '../../../shared/domain/outbox.js';
import { clockTime } from '../format.js';
import { adviceFor, whereLabel } from '../outbox-advice.js';
import { routeHref } from '../routes.js';
import { DeliveryReceipt } from './DeliveryReceipt.js';

const steps = ['Signed', 'Queued', 'Sending', 'Delivered'] as const;

function stepReached(job: OutboxJobSummary | undefined): number {
  if (!job) return 0;
  if (job.state === 'delivered') return steps.length;
  if (job.state === 'sending') return 2;
  return 1;
}

/** A signed note on its way to the EHR: the steps, the EHR's receipt, or what went wrong and what to do. */
export function DeliveryProgress({ job }: { job: OutboxJobSummary | undefined }) {
  const reached = stepReached(job);
  return (
    <div className="delivery-progress">
      <ol className="delivery-steps" aria-label="Delivery progress">
        {steps.map((step, index) => (
          <li
            key={step}
            className={index < reached ? 'step-done' : index === reached ? 'step-current' : 'step-todo'}
            aria-current={index === reached ? 'step' : undefined}
          >
            {step}
            {index < reached ? <span className="visually-hidden"> (done)</span> : null}
          </li>
        ))}
      </ol>
      <div role="status">
        {!job ? <p className="muted">Waiting for the outbox…</p> : null}
        {job?.state === 'delivered' ? (
          <div className="result-ok">
            <p>
              Delivered to the EHR ({whereLabel(job)}){job.deliveredAt ? ` at ${clockTime(job.deliveredAt)}` : ''}. The EHR’s receipt:
            </p>
            {job.receipt ? <DeliveryReceipt receipt={job.receipt} /> : null}
          </div>
        ) : null}
        {job && (job.state === 'queued' || job.state === 'sending') && job.lastError ? (
          <p className="notice">
            Not delivered yet (attempt {job.attempts}): {job.lastError}
            {job.nextAttemptAt ? ` Next attempt at ${clockTime(job.nextAttemptAt)}.` : ''} It is sent again automatically; nothing is lost.
          </p>
        ) : null}
      </div>
      {job?.state === 'failed' ? (
        <div className="alert" role="alert">
          <p>
            <strong>Not delivered.</strong> {job.lastError ?? 'The EHR did not accept the note.'}
          </p>
          <p>{adviceFor(job)}</p>
          <p>
            <a href={routeHref('outbox')}>Open the outbox</a> to retry.
          </p>
        </div>
      ) : null}
    </div>
  );
}
