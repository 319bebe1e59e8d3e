import type { ConsentGiver } from '../../shared/domain/capture.js';
import type { VisitState } from '../../shared/domain/visit.js';
import type { ErrorDetails } from '../kernel/errors.js';
import { NotFoundError, ScribeError } from '../kernel/errors.js';

/** The recording is not in a state that allows this step; the message says which step is possible. */
export class CaptureStateError extends ScribeError {
  constructor(message: string, reason: string, details?: ErrorDetails) {
    super('conflict', message, { reason, details });
  }
}

/** The voice-activity model could not be found or loaded. Audio is still stored; only segments wait. */
export class VadUnavailableError extends ScribeError {
  constructor(message: string, reason: string, options?: { cause?: unknown }) {
    super('unavailable', message, { reason, cause: options?.cause });
  }
}

export type AudioImportProblem =
  'empty' | 'not_audio' | 'unsupported_format' | 'invalid_header' | 'truncated' | 'damaged' | 'no_audio' | 'unreadable';

/**
 * A file that cannot be imported, with what is wrong with it. Messages never name the file (its
 * name may hold a patient's name) and never quote its content.
 */
export class AudioImportError extends ScribeError {
  readonly problem: AudioImportProblem;
  constructor(problem: AudioImportProblem, message: string, options?: { cause?: unknown }) {
    super('bad_request', message, { reason: `audio_file.${problem}`, cause: options?.cause });
    this.problem = problem;
  }
}

/** A visit's state in words, for messages that say why a step is not possible now. */
export const describeState: Readonly<Record<VisitState, string>> = {
  not_started: 'not started',
  recording: 'being recorded',
  recording_interrupted: 'an interrupted recording',
  transcribing: 'recorded already',
  transcription_failed: 'recorded already',
  draft_ready: 'drafted already',
  in_review: 'in review',
  ready_for_signature: 'ready for signature',
  signed: 'signed',
  delivered: 'delivered',
  failed: 'failed delivery',
};

const wrongState = (message: string, reason: string, details?: ErrorDetails) => new CaptureStateError(message, reason, details);

// ---- consent ----------------------------------------------------------------------------------------

/** Recording was asked for before the patient's consent was recorded, and policy requires it. */
export const consentRequired = () =>
  new ScribeError('forbidden', "Record the patient's consent to recording for this visit before starting.", {
    reason: 'capture.consent_required',
  });

export const consentTimeInFuture = () =>
  new ScribeError('bad_request', 'The time consent was given cannot be in the future.', { reason: 'consent.time_in_future' });

export const representativeNameMissing = (givenBy: ConsentGiver) =>
  new ScribeError('bad_request', `Name the ${givenBy} who gave consent.`, {
    reason: 'consent.representative_name_missing',
    details: { givenBy },
  });

// ---- recording --------------------------------------------------------------------------------------

export const notRecording = () => wrongState('This visit is not being recorded; start the recording first.', 'capture.not_recording');

export const recordingInterrupted = () =>
  wrongState("This visit's recording was interrupted; resume it or finish it.", 'capture.interrupted');

export const recordingStopped = () => wrongState("This visit's recording has already stopped.", 'capture.already_stopped');

export const audioBeingImported = () => wrongState('Audio is being imported into this visit.', 'capture.importing');

export const recordedElsewhere = () =>
  wrongState('This visit is being recorded in another window or process.', 'capture.recorded_elsewhere');

export const notStartable = (state: VisitState) =>
  wrongState(`Recording starts only on a visit not started yet; this one is ${describeState[state]}.`, 'capture.not_startable', { state });

/** Another window or process moved the visit between our read and our write. */
export const visitChangedMeanwhile = () =>
  wrongState('This visit was changed by someone else just now; try again.', 'capture.changed_meanwhile');

export const recordingChangedMeanwhile = () =>
  wrongState('This recording was changed by someone else just now; check its state.', 'capture.changed_meanwhile');

export const recordingPaused = () => wrongState('The recording is paused; resume it before sending audio.', 'capture.paused');

export const invalidFrame = (maxBytes: number) =>
  new ScribeError('bad_request', `A frame holds whole 16-bit samples, at most ${maxBytes} bytes.`, {
    reason: 'capture.invalid_frame',
    details: { maxBytes },
  });

export const frameConflict = (seq: number) =>
  wrongState(`Frame ${seq} is already stored with different audio; it was not replaced.`, 'capture.frame_conflict', { seq });

export const frameTooLate = (seq: number) =>
  wrongState(`Frame ${seq} arrived after later frames; its gap stays recorded.`, 'capture.frame_late', { seq });

export const notRecoverable = (state: VisitState) =>
  wrongState(`Only an interrupted recording can be recovered; this visit is ${describeState[state]}.`, 'capture.not_recoverable', {
    state,
  });

// ---- import and export ------------------------------------------------------------------------------

export const importNeedsNewVisit = () =>
  wrongState(
    'Audio can be imported only into a visit that has not been recorded yet; this one already has a recording.',
    'capture.import_needs_new_visit',
  );

export const importTakenOver = () =>
  wrongState('The import was taken over by another process; nothing was imported.', 'capture.import_taken_over');

export const visitChangedDuringImport = () =>
  wrongState('This visit was changed by someone else during the import; nothing was imported.', 'capture.changed_during_import');

export const importFailed = (cause: unknown) =>
  new ScribeError('internal', 'The import failed before it completed; nothing was imported.', { reason: 'capture.import_failed', cause });

export const audioNotFound = () => new NotFoundError("The visit's audio", 'capture.audio_not_found');

export const exportWhileImporting = () => wrongState("The visit's audio is still being imported.", 'capture.importing');

/** An export never overwrites a file. */
export const exportFileExists = () =>
  new ScribeError('conflict', 'That file already exists; choose a new name.', { reason: 'file.already_exists' });

export const exportNotWritten = (cause: unknown) =>
  new ScribeError('unavailable', 'The audio could not be written to that file; check the folder exists and is writable.', {
    reason: 'capture.export_failed',
    cause,
  });

// ---- voice-activity detection -----------------------------------------------------------------------

export const vadModelMissing = (file: string) =>
  new VadUnavailableError(
    `The voice-activity model (${file}) is not installed with the app; audio is recorded, speech segments wait for it.`,
    'vad.model_missing',
  );

export const vadRuntimeUnavailable = (cause: unknown) =>
  new VadUnavailableError('The ONNX runtime for voice-activity detection could not be loaded on this machine.', 'vad.runtime_unavailable', {
    cause,
  });

export const vadModelUnloadable = (cause: unknown) =>
  new VadUnavailableError('The voice-activity model could not be loaded; it may be damaged.', 'vad.model_unloadable', { cause });

export const vadModelUnexpected = () =>
  new VadUnavailableError('The voice-activity model is not Silero VAD v5 (unexpected inputs or outputs).', 'vad.model_unexpected');

export const vadNoProbability = () => new VadUnavailableError('The voice-activity model returned no probability.', 'vad.no_probability');
