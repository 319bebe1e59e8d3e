import { useCallback, useEffect, useState } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import type { TranscriptionEngine } from '../../../shared/domain/policy.js';
import type { TranscriptionStatus } from '../../../shared/domain/transcription.js';
import { errorText } from '../error-text.js';

export interface TranscriptionState {
  readonly status: TranscriptionStatus | undefined;
  readonly error: string | undefined;
  /** Transcribes what is not yet transcribed (and finalises a stopped recording); progress arrives as events. */
  readonly start: (engine?: TranscriptionEngine) => void;
}

/** The visit's transcription run: engine, model, progress and a safe error, kept current from events. */
export function useTranscription(api: ScribeApi, visitId: string): TranscriptionState {
  const [status, setStatus] = useState<TranscriptionStatus | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);

  useEffect(() => {
    let current = true;
    api.transcription.status({ visitId }).then(
      (next) => current && setStatus(next),
      () => undefined,
    );
    const off = api.on('transcription:progress', (event) => {
      if (event.visitId !== visitId) return;
      setStatus(event);
      setError(undefined);
    });
    return () => {
      current = false;
      off();
    };
  }, [api, visitId]);

  const start = useCallback(
    (engine?: TranscriptionEngine) => {
      setError(undefined);
      api.visit.transcribe({ visitId, ...(engine ? { engine } : {}) }).then(setStatus, (failure: unknown) => setError(errorText(failure)));
    },
    [api, visitId],
  );

  return { status, error, start };
}
