import { useId, useState } from 'react';
import type { CaptureStatus } from '../../../shared/domain/capture.js';
import { useApp, useRecorderState } from '../app-context.js';
import { errorText } from '../error-text.js';
import { duration } from '../format.js';

/**
 * A recording cut off by a crash or power loss: its audio is kept up to the last stored second.
 * The clinician either goes on recording into the same visit or finishes it as it is.
 */
export function RecoveryPanel({ status, onChanged, deviceId }: { status: CaptureStatus; onChanged: () => void; deviceId: string }) {
  const { api, recorder, announce } = useApp();
  const recorderState = useRecorderState(recorder);
  const heading = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const consentMissing = status.consentRequired && status.consent === null;

  const resume = async () => {
    if (busy || consentMissing) return;
    setBusy(true);
    setError(undefined);
    const started = await recorder.start(status.visitId, {
      mode: 'resume_interrupted',
      firstSeq: status.nextSeq,
      deviceId: deviceId || undefined,
    });
    setBusy(false);
    onChanged();
    if (started) announce('Recording resumed into the same visit.');
  };

  const finish = async () => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.capture.recover({ visitId: status.visitId, action: 'finish' });
      announce('The recording was finished with the audio stored so far.');
      onChanged();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel panel-attention" aria-labelledby={heading}>
      <h2 id={heading}>Recording interrupted</h2>
      <p>
        This visit’s recording stopped unexpectedly (the app or computer closed while it ran). The {duration(status.durationMs)} of audio
        stored before that is kept
        {status.gaps.length > 0 ? ', with a short gap where frames never arrived' : ''}.
      </p>
      {consentMissing ? <p className="muted">Consent must be recorded before recording resumes.</p> : null}
      {error || (recorderState.visitId === status.visitId && recorderState.error) ? (
        <p className="alert" role="alert">
          {error ?? recorderState.error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="button" className="button-primary" onClick={() => void resume()} aria-disabled={busy || consentMissing || undefined}>
          Resume recording into this visit
        </button>
        <button type="button" className="button-secondary" onClick={() => void finish()} aria-disabled={busy || undefined}>
          Finish with the audio so far
        </button>
      </div>
    </section>
  );
}
