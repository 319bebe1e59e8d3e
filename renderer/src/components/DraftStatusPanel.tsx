import { useEffect, useId, useRef } from 'react';
import type { AutoDraftStatus } from '../../../shared/domain/auto-draft.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { useApp } from '../app-context.js';
import { routeHref } from '../routes.js';

interface Props {
  readonly visit: Visit;
  readonly autoDraft: AutoDraftStatus | undefined;
  readonly transcriptFinal: boolean;
}

const DRAFTED: ReadonlySet<Visit['state']> = new Set(['draft_ready', 'in_review', 'ready_for_signature']);
const SIGNED: ReadonlySet<Visit['state']> = new Set(['signed', 'delivered', 'failed']);

/**
 * After the recording stops, what happens next on the visit page: the transcript finishing, the
 * note being drafted on its own, then "Draft ready" with the way to review it (or why it was not drafted).
 */
export function DraftStatusPanel({ visit, autoDraft, transcriptFinal }: Props) {
  const { announce } = useApp();
  const heading = useId();
  const state = visit.state;
  const ready = DRAFTED.has(state);
  const wasReady = useRef(ready);
  const review = routeHref('review', visit.id);

  useEffect(() => {
    if (ready && !wasReady.current) announce('Draft ready. Open it in Review.');
    wasReady.current = ready;
  }, [ready, announce]);

  let body;
  if (SIGNED.has(state)) {
    body = (
      <p className="result-ok">
        The note is signed. <a href={review}>See it and its delivery in Review</a>
      </p>
    );
  } else if (ready) {
    body = (
      <>
        <p className="result-ok">
          {state === 'draft_ready' ? 'Draft ready: the note was drafted from the transcript.' : 'The note is in review.'}
        </p>
        <p>
          <a className="button-primary" href={review}>
            Review the note
          </a>
        </p>
      </>
    );
  } else if (state === 'transcription_failed') {
    body = <p className="muted">No transcript yet: the ways on are shown with the reason above.</p>;
  } else if (autoDraft?.state === 'failed' || autoDraft?.state === 'skipped') {
    body = (
      <>
        <p className={autoDraft.state === 'failed' ? 'alert' : 'notice'}>{autoDraft.reason}</p>
        <p>
          <a href={review}>Open the visit in Review</a>
        </p>
      </>
    );
  } else if (autoDraft?.state === 'drafting') {
    body = <p>Drafting the note from the transcript…</p>;
  } else if (transcriptFinal) {
    body = (
      <p>
        The transcript is final. <a href={review}>Open the visit in Review to draft the note</a>
      </p>
    );
  } else {
    body = <p className="muted">The note is drafted as soon as transcription finishes.</p>;
  }

  return (
    <section className="panel draft-status-panel" aria-labelledby={heading}>
      <h2 id={heading}>Note</h2>
      <div role="status">{body}</div>
    </section>
  );
}
