import { useCallback, useEffect, useId } from 'react';
import type { CaptureStatus } from '../../../shared/domain/capture.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { RECORD_SHORTCUT, useApp, useRecorderState } from '../app-context.js';
import { duration, spokenDuration } from '../format.js';
import { useMicrophones } from '../hooks/useMicrophones.js';
import type { StartMode } from '../recording/recorder.js';
import type { ShortcutStartResult } from '../recording/record-shortcut.js';
import { routeHref } from '../routes.js';
import { CaptureWarnings } from './CaptureWarnings.js';
import { GlobalShortcutNote } from './GlobalShortcutNote.js';
import { LevelMeter } from './LevelMeter.js';

interface Props {
  readonly visit: Visit;
  readonly status: CaptureStatus;
  readonly onChanged: () => void;
  /** Where focus goes when someone tries to start before consent is recorded. */
  readonly consentTarget: () => HTMLElement | null;
  /** The chosen microphone ('' for the system default); kept by the page so recovery uses it too. */
  readonly deviceId: string;
  readonly onDeviceChange: (deviceId: string) => void;
}

/**
 * Microphone, start / pause / resume / stop, level, timer and warnings for one visit. The recording
 * itself lives in the app's Recorder, so moving to another view does not stop it.
 */
export function RecordingPanel({ visit, status, onChanged, consentTarget, deviceId, onDeviceChange }: Props) {
  const { recorder, announce, setShortcutStart } = useApp();
  const state = useRecorderState(recorder);
  const heading = useId();
  const micId = useId();
  const hintId = useId();
  const { microphones, refresh } = useMicrophones();

  const mine = state.visitId === visit.id;
  const phase = mine ? state.phase : 'idle';
  const otherRecording = state.phase !== 'idle' && !mine;
  const consentMissing = status.consentRequired && status.consent === null;
  const fresh = visit.state === 'not_started' && status.capture === 'idle';
  const orphaned = phase === 'idle' && (status.capture === 'recording' || status.capture === 'paused');
  const interrupted = visit.state === 'recording_interrupted';
  const finished = phase === 'idle' && !fresh && !orphaned && !interrupted;

  const start = useCallback(
    async (mode: StartMode) => {
      const started = await recorder.start(visit.id, { mode, firstSeq: status.nextSeq, deviceId: deviceId || undefined });
      onChanged();
      if (started) {
        refresh();
        announce('Recording started.');
      }
    },
    [recorder, visit.id, status.nextSeq, deviceId, onChanged, refresh, announce],
  );

  const requestStart = useCallback((): ShortcutStartResult => {
    if (consentMissing) {
      announce('Record the patient’s consent before recording.');
      consentTarget()?.focus();
      return 'needs_consent';
    }
    void start('start');
    return 'starting';
  }, [consentMissing, announce, consentTarget, start]);

  const stop = async () => {
    if (await recorder.stop()) {
      announce('Recording stopped. The visit is being transcribed.');
      onChanged();
    }
  };

  // The app-wide shortcut starts this visit's recording while this page is open and it can start.
  useEffect(() => {
    if (!fresh || otherRecording) return;
    setShortcutStart(requestStart);
    return () => setShortcutStart(undefined);
  }, [fresh, otherRecording, requestStart, setShortcutStart]);

  const recording = phase === 'recording' || phase === 'paused' || phase === 'stopping' || phase === 'starting';
  const shownMs = mine && state.phase !== 'idle' ? state.storedMs : Math.max(status.durationMs, mine ? state.storedMs : 0);

  return (
    <section className="panel recording-panel" aria-labelledby={heading}>
      <h2 id={heading}>Recording</h2>

      <div className="field">
        <label htmlFor={micId}>Microphone</label>
        <select id={micId} value={deviceId} onChange={(event) => onDeviceChange(event.currentTarget.value)} disabled={recording}>
          <option value="">System default microphone</option>
          {microphones
            .filter((mic) => mic.deviceId !== 'default')
            .map((mic) => (
              <option key={mic.deviceId} value={mic.deviceId}>
                {mic.label}
              </option>
            ))}
        </select>
      </div>

      <div className="recording-status">
        <p className="recording-timer" role="timer" aria-live="off">
          <span className="visually-hidden">Recorded: {spokenDuration(shownMs)}</span>
          <span aria-hidden="true">{duration(shownMs)}</span>
        </p>
        <p className={`recording-phase recording-phase-${phase}`}>
          {phase === 'recording'
            ? 'Recording'
            : phase === 'paused'
              ? 'Paused'
              : phase === 'starting'
                ? 'Starting…'
                : phase === 'stopping'
                  ? 'Saving the last audio…'
                  : fresh
                    ? 'Ready'
                    : orphaned
                      ? 'Recording, not from this window'
                      : interrupted
                        ? 'Interrupted'
                        : 'Stopped'}
        </p>
        <LevelMeter level={mine ? state.level : 0} active={phase === 'recording'} />
      </div>

      {mine ? <CaptureWarnings state={state} /> : null}
      {otherRecording && state.visitId ? (
        <p className="alert" role="alert">
          Another visit is being recorded. <a href={routeHref('visits', state.visitId)}>Go to that recording</a> and stop it first.
        </p>
      ) : null}

      <div className="recording-controls">
        {fresh && phase === 'idle' ? (
          <>
            <button
              type="button"
              className="button-primary button-record"
              onClick={requestStart}
              aria-disabled={consentMissing || otherRecording || undefined}
              aria-describedby={hintId}
              aria-keyshortcuts={RECORD_SHORTCUT.aria}
            >
              Start recording
            </button>
            <p id={hintId} className="muted">
              {consentMissing ? 'Record consent first. ' : ''}Shortcut: <kbd>{RECORD_SHORTCUT.label}</kbd> starts and stops recording from
              any page.
            </p>
            <GlobalShortcutNote />
          </>
        ) : null}
        {orphaned ? (
          <>
            <p>This visit is still being recorded, but this window lost the microphone (it was reloaded). Audio stored so far is kept.</p>
            <button type="button" className="button-primary" onClick={() => void start('continue')}>
              Continue recording here
            </button>
          </>
        ) : null}
        {phase === 'recording' ? (
          <button type="button" className="button-secondary" onClick={() => void recorder.pause()}>
            Pause
          </button>
        ) : null}
        {phase === 'paused' ? (
          <button type="button" className="button-secondary" onClick={() => void recorder.resume()}>
            Resume
          </button>
        ) : null}
        {phase === 'recording' || phase === 'paused' || (phase === 'stopping' && state.error) ? (
          <button type="button" className="button-danger" onClick={() => void stop()} aria-keyshortcuts={RECORD_SHORTCUT.aria}>
            Stop recording
          </button>
        ) : null}
      </div>

      {finished && !otherRecording ? (
        status.chunks > 0 ? (
          <p className="result-ok">
            Recording finished: {duration(status.durationMs)} of audio stored.{' '}
            <a href={routeHref('review', visit.id)}>Open the visit in Review</a>
          </p>
        ) : (
          <p className="muted">
            This visit was not recorded here (its transcript came from elsewhere).{' '}
            <a href={routeHref('review', visit.id)}>Open it in Review</a>
          </p>
        )
      ) : null}
    </section>
  );
}
