import type { ChangeEvent } from 'react';
import { useId, useState } from 'react';
import { useApp } from '../app-context.js';
import { errorText } from '../error-text.js';
import { decodeTextFile } from '../../../shared/text/decode-text-file.js';

const MAX_BYTES = 10_000_000;

interface Props {
  readonly visitId: string;
  /** Replace what the visit's transcript holds (a failed transcription's partial one). */
  readonly replace?: boolean;
  readonly onImported?: (segments: number) => void;
}

/**
 * For a visit recorded elsewhere, or whose transcription failed: a transcript file ("Speaker: text"
 * lines, WebVTT, or JSON segments) read in the browser, or text pasted in, handed to
 * transcript:import, which takes it whole or not at all.
 */
export function TranscriptImport({ visitId, replace = false, onImported }: Props) {
  const { api, announce } = useApp();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [pasted, setPasted] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);

  const importText = async (content: string): Promise<boolean> => {
    setBusy(true);
    try {
      const result = await api.transcript.import({ visitId, content, replace });
      announce(`Transcript imported: ${result.segments} lines.`);
      onImported?.(result.segments);
      return true;
    } catch (failure) {
      setError(errorText(failure));
      return false;
    } finally {
      setBusy(false);
    }
  };

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
    const content = decodeTextFile(new Uint8Array(await file.arrayBuffer()));
    if (content === undefined) setError('That file is not a text file. Choose the transcript saved as .txt, .vtt or .json.');
    else await importText(content);
    input.value = '';
  };

  const onPaste = async () => {
    setError(undefined);
    if (pasted.trim() === '') return setError('Paste the transcript into the box first.');
    if (await importText(pasted)) setPasted('');
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
      <label htmlFor={`${id}-paste`}>Or paste it here, one turn per line (“Doctor: …”, “Patient: …”)</label>
      <textarea id={`${id}-paste`} rows={4} value={pasted} disabled={busy} onChange={(event) => setPasted(event.currentTarget.value)} />
      <button type="button" className="button-secondary" aria-disabled={busy || undefined} onClick={() => void onPaste()}>
        Import pasted transcript
      </button>
      {error ? (
        <p className="alert" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
