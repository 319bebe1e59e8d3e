import type { ApiErrorCode } from '../../shared/api/errors.js';
import { ScribeError } from '../kernel/errors.js';

export type AsrFailure =
  | 'model_not_installed'
  | 'model_invalid'
  | 'engine_failed'
  | 'cancelled'
  | 'timeout'
  | 'not_configured'
  | 'unreachable'
  | 'unauthorized'
  | 'rate_limited'
  | 'server_error'
  | 'rejected'
  | 'invalid_response';

const CODES: Record<AsrFailure, ApiErrorCode> = {
  model_not_installed: 'unavailable',
  model_invalid: 'unavailable',
  engine_failed: 'unavailable',
  cancelled: 'conflict',
  timeout: 'unavailable',
  not_configured: 'unavailable',
  unreachable: 'unavailable',
  unauthorized: 'unavailable',
  rate_limited: 'unavailable',
  server_error: 'unavailable',
  rejected: 'unavailable',
  invalid_response: 'unavailable',
};

/** Failures that may pass if the same audio is sent again later. */
const RETRYABLE: ReadonlySet<AsrFailure> = new Set(['engine_failed', 'timeout', 'unreachable', 'rate_limited', 'server_error']);

/**
 * A transcription engine could not transcribe. The message is ours: it never carries a server's
 * body, the audio's words, or a library's message (which can hold paths or request details).
 */
export class AsrError extends ScribeError {
  readonly failure: AsrFailure;
  readonly status: number | undefined;
  // No `cause` on purpose for remote failures: the SDK's error holds the response body.
  constructor(failure: AsrFailure, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(CODES[failure], message, { reason: `asr.${failure}`, ...(options.cause === undefined ? {} : { cause: options.cause }) });
    this.failure = failure;
    this.status = options.status;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.failure);
  }
}

export const isCancelled = (error: unknown): boolean => error instanceof AsrError && error.failure === 'cancelled';

export const cancelledError = () => new AsrError('cancelled', 'Transcription was cancelled.');

export const noAudioToTranscribe = () =>
  new ScribeError('conflict', 'This visit has no recorded audio to transcribe yet.', { reason: 'asr.no_audio' });

export const audioRemoved = () =>
  new ScribeError('conflict', "The visit's audio was removed; nothing more to transcribe.", { reason: 'asr.audio_removed' });

export const importedTranscript = () =>
  new ScribeError('conflict', 'This visit has an imported transcript; it is not transcribed again.', { reason: 'asr.imported_transcript' });

export const engineBusy = (engine: string) =>
  new ScribeError('conflict', `This visit is already being transcribed with the ${engine} engine; cancel that first.`, {
    reason: 'asr.engine_busy',
    details: { engine },
  });

export const transcriptionClosing = () =>
  new ScribeError('unavailable', 'Transcription is shutting down.', { reason: 'asr.shutting_down' });

/** What a run that failed on something other than a ScribeError reports: the audio is kept. */
export const unexpectedFailure = () =>
  new ScribeError('internal', 'Transcription failed unexpectedly; the audio is kept and can be transcribed again.', {
    reason: 'asr.unexpected',
  });

export const liveNotStarted = () =>
  new ScribeError('internal', 'Live transcription could not start; the recording goes on.', { reason: 'asr.live_not_started' });

export const unknownEngineInEnv = () =>
  new ScribeError('bad_request', 'SCRIBE_ASR_ENGINE must be local or openai.', { reason: 'asr.env_engine_unknown' });
