import { useId } from 'react';

export function OutboxView() {
  const queueHeading = useId();
  return (
    <div className="view">
      <h1 tabIndex={-1}>Outbox</h1>
      <section className="panel" aria-labelledby={queueHeading}>
        <h2 id={queueHeading}>Waiting to be sent</h2>
        <p className="empty-state">Signed notes waiting to be sent to the EHR appear here.</p>
      </section>
    </div>
  );
}
