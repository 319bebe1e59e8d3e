import { useState } from 'react';
import type { SettingsView, TranscriptionEngine } from '../../../shared/domain/policy.js';
import { isTechnical, plainMessage } from '../error-text.js';
import type { TranscriptionState } from '../hooks/useTranscription.js';
import { DetailsForIt } from './DetailsForIt.js';

const engineLabels: Record<TranscriptionEngine, string> = { local: 'on this computer', openai: 'by the OpenAI-compatible service' };

interface Props {
  readonly transcription: TranscriptionState;
  readonly settings: SettingsView | undefined;
  /** True once the recording has stopped (a final transcript can then be made). */
  readonly recordingDone: boolean;
  readonly transcriptFinal: boolean;
}

/**
 * Where transcription stands for the visit: following the recording live, working through stored
 * audio, final, or stopped with a reason, with a way to start it (again) and the engine to use.
 */
export function TranscriptionProgress({ transcription, settings, recordingDone, transcriptFinal }: Props) {
  const allowed = settings?.settings.transcriptionEngines.value ?? ['local'];
  const [engine, setEngine] = useState<TranscriptionEngine | ''>('');
  const status = transcription.status;
  const state = status?.state ?? 'idle';
  const model = status?.model ? ` (${status.model})` : '';
  const where = status?.engine ? engineLabels[status.engine] : '';
  const canStart = recordingDone && !transcriptFinal && state !== 'running' && state !== 'following' && allowed.length > 0;

  return (
    <div className="transcription-progress">
      <div role="status">
        {state === 'following' ? (
          <p>
            Transcribing live {where}
            {model}: {status?.transcriptSegments ?? 0} lines so far.
          </p>
        ) : null}
        {state === 'running' && status ? (
          <>
            <p>
              Transcribing {where}
              {model}: {status.segmentsDone} of {status.segmentsDone + status.segmentsPending} speech segments done.
            </p>
            <progress
              max={Math.max(1, status.segmentsDone + status.segmentsPending)}
              value={status.segmentsDone}
              aria-label="Transcription progress"
            />
          </>
        ) : null}
        {transcriptFinal ? <p className="muted">The transcript is final.</p> : null}
        {!transcriptFinal && recordingDone && (state === 'idle' || state === 'finished') ? (
          <p className="muted">This visit’s audio is not transcribed yet.</p>
        ) : null}
      </div>
      {(state === 'failed' || state === 'cancelled') && !transcriptFinal ? (
        <div className="alert" role="alert">
          <p>
            Transcription {state === 'failed' ? 'stopped' : 'was cancelled'}
            {status?.error ? `: ${plainMessage(status.error.message)}` : '.'} The audio is kept; it can be transcribed again.
          </p>
          {status?.error && isTechnical(status.error.message) ? (
            <DetailsForIt>
              <p>{status.error.message}</p>
            </DetailsForIt>
          ) : null}
        </div>
      ) : null}
      {transcription.error ? (
        <p className="alert" role="alert">
          {transcription.error}
        </p>
      ) : null}
      {canStart ? (
        <div className="transcribe-controls">
          {allowed.length > 1 ? (
            <label className="inline-field">
              Engine{' '}
              <select value={engine} onChange={(event) => setEngine(event.currentTarget.value as TranscriptionEngine | '')}>
                <option value="">Workstation default</option>
                {allowed.map((name) => (
                  <option key={name} value={name}>
                    {name === 'local' ? 'On this computer (Whisper)' : 'OpenAI-compatible service'}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <button type="button" className="button-secondary" onClick={() => transcription.start(engine || undefined)}>
            {state === 'failed' || state === 'cancelled' ? 'Transcribe again' : 'Transcribe now'}
          </button>
        </div>
      ) : null}
    </div>
  );
}
