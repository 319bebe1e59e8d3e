import type { ChangeEvent } from 'react';
import { useId, useState } from 'react';
import { useApp } from '../app-context.js';
import { errorText } from '../error-text.js';
import { decodeTextFile } from '../../../shared/text/decode-text-file.js';

const MAX_BYTES = 10_000_000;

/**
 * For a visit recorded elsewhere: a transcript file ("Speaker: text" lines, WebVTT, or JSON
 * segments) read in the browser and handed to transcript:import, which takes it whole or not at all.
 */
export function TranscriptImport({ visitId }: { visitId: string }) {
  const { api, announce } = useApp();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    setError(undefined);
    if (file.size > MAX_BYTES) {
      setError('That file is larger than 10 MB; a transcript file is much smaller. Check you chose the right file.');
      input.value = '';
      return;
    }
    setBusy(true);
    try {
      const content = decodeTextFile(new Uint8Array(await file.arrayBuffer()));
      if (content === undefined) {
        setError('That file is not a text file. Choose the transcript saved as .txt, .vtt or .json.');
        return;
      }
      const result = await api.transcript.import({ visitId, content });
      announce(`Transcript imported: ${result.segments} lines.`);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
      input.value = '';
    }
  };

  return (
    <div className="transcript-import">
      <label htmlFor={id}>Import a transcript made elsewhere (.txt, .vtt or .json)</label>
      <input
        id={id}
        type="file"
        accept=".txt,.vtt,.json,text/plain,text/vtt,application/json"
        disabled={busy}
        onChange={(event) => void onFile(event)}
      />
      {error ? (
        <p className="alert" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
