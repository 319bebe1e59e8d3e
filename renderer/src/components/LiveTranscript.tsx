import type { ReactNode } from 'react';
import { useEffect, useId, useRef } from 'react';
import type { Transcript } from '../../../shared/domain/transcript.js';
import { duration } from '../format.js';
import { speakerLabel } from '../speaker.js';

/**
 * The transcript growing during the visit. It follows the newest line unless the reader scrolled
 * up to look at an earlier one. Screen readers are not interrupted by every new line (the clinician
 * is in the conversation); the log can be read at any time.
 */
export function LiveTranscript({
  transcript,
  recording,
  error,
  children,
}: {
  transcript: Transcript | null | undefined;
  recording: boolean;
  error: string | undefined;
  children?: ReactNode;
}) {
  const heading = useId();
  const log = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const count = transcript?.segments.length ?? 0;

  useEffect(() => {
    const element = log.current;
    if (element && pinned.current) element.scrollTop = element.scrollHeight;
  }, [count]);

  return (
    <section className="panel live-transcript" aria-labelledby={heading}>
      <div className="panel-header">
        <h2 id={heading}>Live transcript</h2>
        {count > 0 ? <span className="muted">{`${count} line${count === 1 ? '' : 's'}`}</span> : null}
      </div>
      {children}
      {error ? (
        <p className="alert" role="alert">
          {error}
        </p>
      ) : null}
      {count === 0 ? (
        <p className="empty-state">{recording ? 'Listening… the transcript appears here as people speak.' : 'No transcript yet.'}</p>
      ) : (
        // A log region is not a list: its lines are plain blocks (an <ol> with role="log" orphans its <li>s).
        <div
          className="transcript-log"
          ref={log}
          role="log"
          aria-live="off"
          aria-labelledby={heading}
          tabIndex={0}
          onScroll={(event) => {
            const element = event.currentTarget;
            pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
          }}
        >
          {transcript!.segments.map((segment) => (
            <div key={segment.id} className={`transcript-line speaker-${segment.speaker}`}>
              <span className="transcript-meta">
                <span className="transcript-speaker">{speakerLabel(segment.speaker)}</span>
                <span className="transcript-time">{duration(segment.startMs)}</span>
              </span>
              <span className="transcript-text">{segment.text}</span>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
