import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { SpeechModelProgress, SpeechModelSource, SpeechModelStatus } from '../../../shared/domain/speech-model.js';
import { useApp } from '../app-context.js';
import { errorText } from '../error-text.js';
import { DetailsForIt } from './DetailsForIt.js';
import '../speech-model.css';

export interface SpeechModelPanelProps {
  /** Called once the model is installed (for example to offer "Transcribe again"). */
  readonly onInstalled?: () => void;
}

const megabytes = (bytes: number) => `${Math.max(1, Math.round(bytes / 1e6))} MB`;

/** Failures that a second try picks up where the first stopped. */
const RESUMABLE = new Set(['speech_model.interrupted', 'speech_model.unreachable', 'speech_model.disk_full', 'speech_model.cancelled']);

function sourceWords(source: SpeechModelSource): string {
  switch (source.kind) {
    case 'hub':
      return 'It is downloaded from the internet and checked before use.';
    case 'mirror':
      return 'It is downloaded from your organisation’s server and checked before use.';
    case 'folder':
      return 'It is copied from your organisation’s shared folder and checked before use.';
    case 'forbidden':
      return 'Your organisation installs the speech model on this computer: ask IT.';
  }
}

function sourceDetail(source: SpeechModelSource): string {
  if (source.kind === 'folder') return `shared folder ${source.folder}`;
  if (source.kind === 'forbidden') return 'downloads forbidden by the machine policy (speechModelDownloadsAllowed), no shared folder';
  return `${source.kind === 'hub' ? 'public hub' : 'mirror'} ${source.url}`;
}

function TechnicalDetails({ status }: { status: SpeechModelStatus }) {
  const install = status.install;
  return (
    <DetailsForIt>
      <dl className="details">
        <dt>Model</dt>
        <dd>
          {status.pinned.id} at revision <code>{status.pinned.revision}</code>
        </dd>
        <dt>Source</dt>
        <dd>
          {sourceDetail(install?.source ?? status.source)}
          {status.sourceLocked ? ' (set by the machine policy)' : ''}
        </dd>
        <dt>Models folder</dt>
        <dd>
          <code>{status.modelsFolder}</code>
        </dd>
        {status.inUse ? (
          <>
            <dt>In use</dt>
            <dd>
              <code>{status.inUse.folder}</code>
            </dd>
          </>
        ) : null}
        {install?.error ? (
          <>
            <dt>Last error</dt>
            <dd>
              <code>{install.error.reason}</code>
              {install.error.file ? (
                <>
                  {' '}
                  (file <code>{install.error.file}</code>)
                </>
              ) : null}
            </dd>
          </>
        ) : null}
      </dl>
      {install ? (
        <table className="speech-model-files">
          <caption>Files and their pinned SHA-256</caption>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Bytes</th>
              <th scope="col">SHA-256</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {install.files.map((file) => (
              <tr key={file.path}>
                <td>
                  <code>{file.path}</code>
                </td>
                <td>
                  {file.bytesDone} / {file.bytesTotal}
                </td>
                <td>
                  <code>{file.sha256}</code>
                </td>
                <td>{file.state}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </DetailsForIt>
  );
}

function Downloading({ progress, onStop }: { progress: SpeechModelProgress; onStop: () => void }) {
  const percent = progress.bytesTotal === 0 ? 0 : Math.floor((100 * progress.bytesDone) / progress.bytesTotal);
  return (
    <div className="speech-model-progress">
      {/* Not a live region: read out every quarter second it would drown everything else; the bar carries the value. */}
      <p>
        Installing the speech model: {percent} % ({megabytes(progress.bytesDone)} of {megabytes(progress.bytesTotal)}).
      </p>
      <progress max={Math.max(1, progress.bytesTotal)} value={progress.bytesDone} aria-label="Speech model download" />
      <div className="form-actions">
        <button type="button" className="button-secondary" onClick={onStop}>
          Stop
        </button>
      </div>
    </div>
  );
}

/**
 * Which speech model transcription uses on this computer, and "Install speech model" when there is
 * none: the pinned model from where the organisation says, with a progress bar, checked file by file
 * before it is used. Shown in Settings and offered where transcription failed for want of a model.
 */
export function SpeechModelPanel({ onInstalled }: SpeechModelPanelProps = {}) {
  const { api } = useApp();
  const heading = useId();
  const [status, setStatus] = useState<SpeechModelStatus | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const installedCallback = useRef(onInstalled);
  installedCallback.current = onInstalled;

  const refresh = useCallback(() => {
    api.models.status().then(setStatus, (failure: unknown) => setError(errorText(failure)));
  }, [api]);

  useEffect(() => {
    refresh();
    return api.on('models:progress', (progress) => {
      setStatus((current) => (current ? { ...current, install: progress } : current));
      if (progress.state === 'installed') {
        refresh();
        installedCallback.current?.();
      }
    });
  }, [api, refresh]);

  const install = () => {
    setError(undefined);
    api.models.install().then(setStatus, (failure: unknown) => setError(errorText(failure)));
  };
  const stop = () => {
    api.models.cancel().then(setStatus, (failure: unknown) => setError(errorText(failure)));
  };

  const progress = status?.install ?? null;
  const downloading = progress?.state === 'downloading';
  const failed = progress && (progress.state === 'failed' || progress.state === 'cancelled') ? progress : null;
  const installed = status !== undefined && !downloading && (status.pinnedInstalled || status.inUse !== null);
  const forbidden = status?.source.kind === 'forbidden';

  return (
    <section className="panel speech-model-panel" aria-labelledby={heading}>
      <h2 id={heading}>Speech model</h2>
      {status === undefined && !error ? <p className="muted">Loading…</p> : null}
      {installed ? (
        <p className="speech-model-installed" role="status">
          Speech model installed. Visits are transcribed on this computer.
        </p>
      ) : null}
      {status && !installed && !downloading ? (
        <>
          <p>No speech model is installed, so visits cannot be transcribed on this computer. {sourceWords(status.source)}</p>
          {failed ? (
            <div className="alert" role="alert">
              <p>{RESUMABLE.has(failed.error?.reason ?? '') ? 'Download interrupted.' : 'The speech model was not installed.'}</p>
              {failed.error ? <p>{failed.error.message}</p> : null}
            </div>
          ) : null}
          {!forbidden ? (
            <div className="form-actions">
              <button type="button" onClick={install}>
                {failed && RESUMABLE.has(failed.error?.reason ?? '')
                  ? 'Resume'
                  : failed
                    ? 'Try again'
                    : `Install speech model (${megabytes(status.pinned.bytes)})`}
              </button>
            </div>
          ) : null}
        </>
      ) : null}
      {downloading && progress ? <Downloading progress={progress} onStop={stop} /> : null}
      {error ? (
        <p className="alert" role="alert">
          {error}
        </p>
      ) : null}
      {status ? <TechnicalDetails status={status} /> : null}
    </section>
  );
}
