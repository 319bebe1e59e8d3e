import { useApp, useRecorderState } from '../app-context.js';
import { duration, spokenDuration } from '../format.js';
import { routeHref } from '../routes.js';

/** In the header on every view while a recording runs: how long, a way back to it, and Stop. */
export function RecordingIndicator() {
  const { recorder } = useApp();
  const state = useRecorderState(recorder);
  if (state.phase === 'idle' || !state.visitId) return null;
  const label =
    state.phase === 'paused'
      ? 'Recording paused'
      : state.phase === 'starting'
        ? 'Starting recording'
        : state.phase === 'stopping'
          ? 'Stopping'
          : 'Recording';
  return (
    <div className={`recording-indicator recording-indicator-${state.phase}`}>
      <span className="recording-dot" aria-hidden="true" />
      <a href={routeHref('visits', state.visitId)}>
        {label}
        <span className="visually-hidden">, {spokenDuration(state.storedMs)} saved. Go to the recording.</span>
        <span aria-hidden="true"> {duration(state.storedMs)}</span>
      </a>
      {state.phase === 'recording' || state.phase === 'paused' ? (
        <button type="button" className="button-header" onClick={() => void recorder.stop()}>
          Stop
        </button>
      ) : null}
    </div>
  );
}
