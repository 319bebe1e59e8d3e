import { useId } from 'react';

export function ReviewView() {
  const queueHeading = useId();
  return (
    <div className="view">
      <h1 tabIndex={-1}>Review</h1>
      <section className="panel" aria-labelledby={queueHeading}>
        <h2 id={queueHeading}>Drafts to review</h2>
        <p className="empty-state">Drafts waiting for review appear here once a visit has been transcribed.</p>
      </section>
    </div>
  );
}
