import { useCallback, useRef, useState } from 'react';
import { useApp, useRecorderState } from '../app-context.js';
import { ConsentPanel } from '../components/ConsentPanel.js';
import { DraftStatusPanel } from '../components/DraftStatusPanel.js';
import { EraseVisitPanel } from '../components/EraseVisitPanel.js';
import { LiveTranscript } from '../components/LiveTranscript.js';
import { RecordingPanel } from '../components/RecordingPanel.js';
import { RecoveryPanel } from '../components/RecoveryPanel.js';
import { TranscriptionBanner } from '../components/TranscriptionBanner.js';
import { TranscriptionFailedPanel } from '../components/TranscriptionFailedPanel.js';
import { VisitHeading } from '../components/VisitHeading.js';
import { useAutoDraft } from '../hooks/useAutoDraft.js';
import { useCaptureStatus } from '../hooks/useCaptureStatus.js';
import { useSettings } from '../hooks/useSettings.js';
import { useTranscript } from '../hooks/useTranscript.js';
import { useTranscription } from '../hooks/useTranscription.js';
import { TranscriptionProgress } from '../components/TranscriptionProgress.js';
import { useVisit } from '../hooks/useVisit.js';
import { routeHref } from '../routes.js';

/**
 * One visit during the encounter: consent (then how the visit moves on) on the left; where
 * transcription happens, recording and the transcript as it grows on the right, so Start recording
 * is in view as the page opens. Erasing the visit comes last.
 */
export function VisitView({ visitId }: { visitId: string }) {
  const { api, recorder } = useApp();
  const visit = useVisit(api, visitId);
  const capture = useCaptureStatus(api, visitId);
  const settings = useSettings(api);
  const transcript = useTranscript(api, visitId);
  const transcription = useTranscription(api, visitId);
  const autoDraft = useAutoDraft(api, visitId);
  const recorderState = useRecorderState(recorder);
  const consentArea = useRef<HTMLDivElement>(null);
  const [deviceId, setDeviceId] = useState('');
  const consentTarget = useCallback(() => consentArea.current?.querySelector<HTMLElement>('input, button') ?? null, []);

  if (visit.status === 'loading') {
    return (
      <div className="view">
        <h1 tabIndex={-1}>Visit</h1>
        <p role="status" className="muted">
          Loading the visit…
        </p>
      </div>
    );
  }
  if (visit.status === 'error') {
    return (
      <div className="view">
        <h1 tabIndex={-1}>Visit</h1>
        <p className="alert" role="alert">
          {visit.message}
        </p>
        <p>
          <a href={routeHref('visits')}>Back to today’s visits</a>
        </p>
      </div>
    );
  }

  const status = capture.status;
  const recordingHere = recorderState.visitId === visitId && recorderState.phase !== 'idle';
  const state = visit.visit.state;
  // Once the recording is over, the page follows the visit on: transcription finishing, then the draft.
  const afterRecording =
    !recordingHere &&
    (status?.capture === 'stopped' || !(state === 'not_started' || state === 'recording' || state === 'recording_interrupted'));
  return (
    <div className="view">
      <p className="breadcrumb">
        <a href={routeHref('visits')}>Today’s visits</a>
      </p>
      <VisitHeading visit={visit.visit} prefix="Visit" />
      {capture.error ? (
        <p className="alert" role="alert">
          {capture.error}
        </p>
      ) : null}
      {status ? (
        <div className="record-layout">
          <div className="record-controls-column">
            {visit.visit.state === 'recording_interrupted' && !recordingHere ? (
              <RecoveryPanel status={status} onChanged={capture.reload} deviceId={deviceId} />
            ) : null}
            <div ref={consentArea}>
              <ConsentPanel status={status} onRecorded={capture.reload} />
            </div>
            <TranscriptionFailedPanel visit={visit.visit} transcription={transcription} settings={settings.view} />
            {afterRecording ? (
              <DraftStatusPanel visit={visit.visit} autoDraft={autoDraft} transcriptFinal={transcript.transcript?.final ?? false} />
            ) : null}
          </div>
          <div className="record-side-column">
            <TranscriptionBanner settings={settings.view} engine={transcription.status?.engine} model={transcription.status?.model} />
            <RecordingPanel
              visit={visit.visit}
              status={status}
              onChanged={capture.reload}
              consentTarget={consentTarget}
              deviceId={deviceId}
              onDeviceChange={setDeviceId}
            />
            <LiveTranscript transcript={transcript.transcript} recording={recordingHere} error={transcript.error}>
              <TranscriptionProgress
                transcription={transcription}
                settings={settings.view}
                recordingDone={status.capture === 'stopped'}
                transcriptFinal={transcript.transcript?.final ?? false}
              />
            </LiveTranscript>
            {recordingHere ? null : <EraseVisitPanel visit={visit.visit} settings={settings.view} />}
          </div>
        </div>
      ) : (
        <p role="status" className="muted">
          Loading the recording…
        </p>
      )}
    </div>
  );
}
