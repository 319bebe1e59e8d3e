import { ScribeError } from '../kernel/errors.js';

/** Recording was asked for before the patient's consent was recorded, and policy requires it. */
export class ConsentRequiredError extends ScribeError {
  constructor() {
    super('forbidden', "Record the patient's consent to recording for this visit before starting.");
  }
}

/** The recording is not in a state that allows this step; the message says which step is possible. */
export class CaptureStateError extends ScribeError {
  constructor(message: string) {
    super('conflict', message);
  }
}

/** The voice-activity model could not be found or loaded. Audio is still stored; only segments wait. */
export class VadUnavailableError extends ScribeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('unavailable', message, options);
  }
}

export type AudioImportProblem = 'empty' | 'not_audio' | 'unsupported_format' | 'invalid_header' | 'truncated' | 'damaged' | 'no_audio' | 'unreadable';

/**
 * A file that cannot be imported, with what is wrong with it. Messages never name the file (its
 * name may hold a patient's name) and never quote its content.
 */
export class AudioImportError extends ScribeError {
  readonly problem: AudioImportProblem;
  constructor(problem: AudioImportProblem, message: string, options?: { cause?: unknown }) {
    super('bad_request', message, options);
    this.problem = problem;
  }
}
