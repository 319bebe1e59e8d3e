import type { KeyboardEvent } from 'react';
import { useEffect, useId, useRef, useState } from 'react';
import type { Transcript, TranscriptSegment } from '../../../shared/domain/transcript.js';
import { duration } from '../format.js';
import type { Playback } from '../hooks/usePlayback.js';
import { speakerLabel } from '../speaker.js';
import { TranscriptImport } from './TranscriptImport.js';

interface Props {
  readonly transcript: Transcript | null | undefined;
  readonly error: string | undefined;
  readonly playback: Playback;
  /** Stored audio length; 0 when the visit has no audio (an imported transcript). */
  readonly audioMs: number;
  /** Segment ids that support the selected note sentence or code. */
  readonly evidence: ReadonlySet<string>;
  readonly evidenceLabel: string | undefined;
  readonly visitId: string;
  /** A transcript file may be imported (no transcript, not recording, and the person may edit). */
  readonly importable: boolean;
}

/** The line being spoken at `positionMs`: the last line that started at or before it. */
function playingSegment(segments: readonly TranscriptSegment[], positionMs: number | undefined): string | undefined {
  if (positionMs === undefined) return undefined;
  let found: TranscriptSegment | undefined;
  for (const segment of segments) {
    if (segment.startMs <= positionMs) found = segment;
    else break;
  }
  return found && positionMs <= Math.max(found.endMs, found.startMs) + 1500 ? found.id : undefined;
}

function AudioBar({ playback, audioMs }: { playback: Playback; audioMs: number }) {
  const { state, positionMs } = playback;
  const playing = state.kind === 'playing' || state.kind === 'loading';
  if (audioMs === 0)
    return <p className="muted audio-bar">No audio is stored for this visit (its transcript was imported), so lines cannot be played.</p>;
  return (
    <div className="audio-bar">
      <button type="button" className="button-secondary" onClick={() => (playing ? playback.pause() : playback.play(positionMs ?? 0))}>
        {playing ? 'Pause audio' : state.kind === 'paused' ? 'Resume audio' : 'Play audio'}
      </button>
      <span className="audio-position" aria-live="off">
        {duration(positionMs ?? 0)} / {duration(audioMs)}
      </span>
      {state.kind === 'error' ? (
        <span className="field-error" role="alert">
          {state.message}
        </span>
      ) : null}
    </div>
  );
}

/**
 * The transcript beside the note: click (or Enter on) a line to hear it; while audio plays, the
 * line being spoken is marked and kept in view; the lines a selected note sentence came from are
 * highlighted.
 */
export function TranscriptPane({ transcript, error, playback, audioMs, evidence, evidenceLabel, visitId, importable }: Props) {
  const heading = useId();
  const list = useRef<HTMLOListElement>(null);
  const segments = transcript?.segments ?? [];
  const playingId = playback.state.kind === 'playing' ? playingSegment(segments, playback.positionMs) : undefined;
  // One tab stop for the whole transcript (arrow keys move between lines), so a long visit does
  // not put hundreds of stops between the keyboard and the note.
  const [activeId, setActiveId] = useState<string | undefined>(undefined);
  const tabStop = segments.some((s) => s.id === activeId) ? activeId : segments[0]?.id;

  const onKeyDown = (event: KeyboardEvent<HTMLOListElement>) => {
    const index = segments.findIndex((s) => s.id === tabStop);
    const next =
      event.key === 'ArrowDown'
        ? index + 1
        : event.key === 'ArrowUp'
          ? index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? segments.length - 1
              : undefined;
    if (next === undefined || index === -1) return;
    event.preventDefault();
    const target = segments[Math.max(0, Math.min(segments.length - 1, next))];
    if (!target) return;
    setActiveId(target.id);
    list.current?.querySelector<HTMLButtonElement>(`[data-segment="${CSS.escape(target.id)}"] button`)?.focus();
  };

  useEffect(() => {
    if (!playingId) return;
    list.current?.querySelector(`[data-segment="${CSS.escape(playingId)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [playingId]);

  const firstEvidence = segments.find((segment) => evidence.has(segment.id))?.id;
  useEffect(() => {
    if (!firstEvidence) return;
    list.current?.querySelector(`[data-segment="${CSS.escape(firstEvidence)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [firstEvidence, evidence]);

  return (
    <section className="panel transcript-pane" aria-labelledby={heading}>
      <div className="panel-header">
        <h2 id={heading}>Transcript</h2>
        {transcript ? (
          <span className="muted">{transcript.final ? `${segments.length} lines, final` : `${segments.length} lines so far`}</span>
        ) : null}
      </div>
      <AudioBar playback={playback} audioMs={audioMs} />
      <p className="evidence-status" role="status">
        {evidenceLabel ?? ''}
      </p>
      {error ? (
        <p className="alert" role="alert">
          {error}
        </p>
      ) : null}
      {transcript === undefined ? <p className="muted">Loading the transcript…</p> : null}
      {transcript === null ? <p className="empty-state">This visit has no transcript yet.</p> : null}
      {transcript === null && importable ? <TranscriptImport visitId={visitId} /> : null}
      {segments.length > 0 ? (
        <p id={`${heading}-keys`} className="visually-hidden">
          Up and down arrows move between lines; Enter plays from the line.
        </p>
      ) : null}
      {segments.length > 0 ? (
        <ol className="transcript-lines" ref={list} aria-labelledby={heading} onKeyDown={onKeyDown}>
          {segments.map((segment) => {
            const isEvidence = evidence.has(segment.id);
            const isPlaying = segment.id === playingId;
            return (
              <li
                key={segment.id}
                data-segment={segment.id}
                className={`transcript-row${isEvidence ? ' is-evidence' : ''}${isPlaying ? ' is-playing' : ''}`}
              >
                <button
                  type="button"
                  className="transcript-line-button"
                  aria-current={isPlaying ? 'true' : undefined}
                  tabIndex={segment.id === tabStop ? 0 : -1}
                  aria-describedby={segment.id === tabStop ? `${heading}-keys` : undefined}
                  onFocus={() => setActiveId(segment.id)}
                  onClick={() => audioMs > 0 && playback.play(segment.startMs)}
                  aria-disabled={audioMs === 0 || undefined}
                  title={audioMs > 0 ? 'Play from this line' : undefined}
                >
                  <span className="transcript-meta">
                    <span className="transcript-speaker">{speakerLabel(segment.speaker)}</span>
                    <span className="transcript-time">{duration(segment.startMs)}</span>
                  </span>
                  <span className="transcript-text">{segment.text}</span>
                  {isEvidence ? <span className="visually-hidden"> (source of the selected sentence)</span> : null}
                  {isPlaying ? <span className="visually-hidden"> (playing)</span> : null}
                </button>
              </li>
            );
          })}
        </ol>
      ) : null}
    </section>
  );
}
