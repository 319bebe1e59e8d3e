import { useCallback, useEffect, useRef, useState } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import { ApiCallError } from '../../../shared/api/errors.js';
import type { Transcript } from '../../../shared/domain/transcript.js';
import { errorText } from '../error-text.js';

export interface TranscriptState {
  /** Undefined until loaded; null when the visit has no transcript yet. */
  readonly transcript: Transcript | null | undefined;
  readonly error: string | undefined;
  readonly reload: () => void;
}

/**
 * A visit's transcript, fetched again whenever main says it grew or was finalised. Events only
 * carry counts; the text comes with transcript:get. Bursts of events collapse into one fetch at a
 * time, and a fetch that was overtaken by a newer event is followed by one more.
 */
export function useTranscript(api: ScribeApi, visitId: string): TranscriptState {
  const [transcript, setTranscript] = useState<Transcript | null | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const inFlight = useRef(false);
  const again = useRef(false);
  const alive = useRef(true);

  const load = useCallback(() => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    api.transcript
      .get({ visitId })
      .then(
        (next) => {
          if (!alive.current) return;
          setTranscript(next);
          setError(undefined);
        },
        (failure: unknown) => {
          if (!alive.current) return;
          if (failure instanceof ApiCallError && failure.code === 'not_found') {
            setTranscript(null);
            setError(undefined);
          } else setError(errorText(failure));
        },
      )
      .finally(() => {
        inFlight.current = false;
        if (again.current && alive.current) {
          again.current = false;
          load();
        }
      });
  }, [api, visitId]);

  useEffect(() => {
    alive.current = true;
    setTranscript(undefined);
    load();
    const off = api.on('transcript:changed', (event) => {
      if (event.visitId === visitId) load();
    });
    return () => {
      alive.current = false;
      off();
    };
  }, [api, visitId, load]);

  return { transcript, error, reload: load };
}
