import { useId, useState } from 'react';
import type { SettingsView, TranscriptionEngine } from '../../../shared/domain/policy.js';
import { isLoopbackUrl } from '../../../shared/domain/policy.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { useApp } from '../app-context.js';
import { errorText } from '../error-text.js';
import type { TranscriptionState } from '../hooks/useTranscription.js';
import { navigate } from '../routes.js';
import { DetailsForIt } from './DetailsForIt.js';
import { SpeechModelPanel } from './SpeechModelPanel.js';
import { TranscriptImport } from './TranscriptImport.js';
import { BLANK_SOAP_SECTIONS } from './TranscriptionFailedNote.js';

const ENGINE_WORDS: Record<TranscriptionEngine, string> = {
  local: 'the speech model on this computer',
  openai: 'the transcription service',
};

const MODEL_REASONS = new Set(['asr.model_not_installed', 'asr.model_invalid']);

/** Engines the settings (and so the policy) let this visit try, other than the one that failed. */
function otherEngines(settings: SettingsView | undefined, failed: TranscriptionEngine | undefined): TranscriptionEngine[] {
  if (!settings) return [];
  const s = settings.settings;
  const cloudUsable = s.openaiBaseUrls.value.some((url) => s.audioMayLeaveDevice.value || isLoopbackUrl(url));
  return s.transcriptionEngines.value.filter((engine) => engine !== failed && (engine === 'local' || cloudUsable));
}

interface Props {
  readonly visit: Visit;
  readonly transcription: TranscriptionState;
  readonly settings: SettingsView | undefined;
}

/**
 * A recorded visit whose transcription failed: why, in plain words (the technical detail for IT
 * behind a disclosure), and every way on from here: try again, another engine, import a
 * transcript, write the note by hand, or install the speech model (then it is tried again). The recording is kept.
 */
export function TranscriptionFailedPanel({ visit, transcription, settings }: Props) {
  const { api, user, announce } = useApp();
  const heading = useId();
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  if (visit.state !== 'transcription_failed') return null;

  const failure = transcription.status?.failure;
  const editor = user?.role === 'clinician' || user?.role === 'scribe';
  const others = otherEngines(settings, failure?.engine);

  const writeByHand = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.note.save({
        visitId: visit.id,
        note: { visitId: visit.id, template: 'soap', sections: [...BLANK_SOAP_SECTIONS], codes: [], drafter: { engine: 'offline' } },
      });
      announce('An empty note is ready to write in Review.');
      navigate('review', visit.id);
    } catch (failed) {
      setError(errorText(failed));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel transcription-failed-panel" aria-labelledby={heading}>
      <h2 id={heading}>The note was not drafted: the recording could not be transcribed</h2>
      <p className="alert" role="alert">
        {failure?.message ?? 'Transcription of this recording failed.'} The recording is kept on this computer and can be transcribed later.
      </p>
      {transcription.error ? <p className="notice">Trying again did not work this time.</p> : null}
      {error ? (
        <p className="alert" role="alert">
          {error}
        </p>
      ) : null}
      {editor ? (
        <>
          <div className="form-actions">
            <button type="button" className="button-secondary" onClick={() => transcription.start(failure?.engine)}>
              Try again
            </button>
            {others.map((engine) => (
              <button key={engine} type="button" className="button-secondary" onClick={() => transcription.start(engine)}>
                Transcribe with {ENGINE_WORDS[engine]}
              </button>
            ))}
            <button type="button" className="button-secondary" aria-disabled={busy || undefined} onClick={() => void writeByHand()}>
              Write the note by hand
            </button>
          </div>
          {failure && MODEL_REASONS.has(failure.reason) ? <SpeechModelPanel onInstalled={() => transcription.start('local')} /> : null}
          <h3>Import a transcript</h3>
          <TranscriptImport visitId={visit.id} replace />
        </>
      ) : (
        <p className="muted">A clinician or scribe can try again, import a transcript or write the note.</p>
      )}
      <DetailsForIt>
        <dl>
          <dt>Reason</dt>
          <dd>
            <code>{failure?.reason ?? 'unknown'}</code>
          </dd>
          <dt>Engine</dt>
          <dd>{failure?.engine ?? 'unknown'}</dd>
          <dt>When</dt>
          <dd>{failure?.at ?? 'unknown'}</dd>
          <dt>What the engine said</dt>
          <dd>{failure?.detail ?? 'nothing recorded'}</dd>
          {transcription.error ? (
            <>
              <dt>Last attempt</dt>
              <dd>{transcription.error}</dd>
            </>
          ) : null}
        </dl>
      </DetailsForIt>
    </section>
  );
}
