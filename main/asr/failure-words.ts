import type { TranscriptionEngine as EngineName } from '../../shared/domain/policy.js';
import type { TranscriptionFailure } from '../../shared/domain/transcription.js';
import { ScribeError } from '../kernel/errors.js';

const SERVICE_DOWN = 'The transcription service could not be reached or did not answer.';

/** What a clinician reads, by reason id: what went wrong, never how to fix it in IT terms (that is the detail). */
const PLAIN: Readonly<Record<string, string>> = {
  'asr.model_not_installed': 'No speech model is installed on this computer, so the recording could not be turned into a transcript.',
  'asr.model_invalid': 'The speech model on this computer is damaged and could not be loaded.',
  'asr.engine_failed': 'The speech engine on this computer stopped while working on this recording.',
  'asr.not_configured': 'No transcription service is set up on this computer.',
  'asr.unauthorized': 'The transcription service did not accept this computer’s sign-in.',
  'asr.rejected': 'The transcription service could not accept this recording.',
  'asr.unreachable': SERVICE_DOWN,
  'asr.timeout': SERVICE_DOWN,
  'asr.server_error': SERVICE_DOWN,
  'asr.rate_limited': 'The transcription service is busy and asked to be tried later.',
  'asr.invalid_response': 'The transcription service answered with something that was not a transcript.',
  'asr.no_audio': 'This visit has no recorded audio to transcribe.',
  'asr.audio_removed': 'The recording of this visit could not be read.',
  'policy.refused': 'Your organisation’s settings do not allow this transcription engine on this computer.',
  'settings.refused': 'This transcription engine is turned off in the settings of this computer.',
};

const UNEXPECTED = 'Transcription stopped because of an unexpected problem.';

/**
 * Why a run failed, kept with the visit: a stable reason id, words for the clinician, and the
 * error's own message (safe to log, written for IT: it may name folders or settings) as the detail.
 */
export function describeFailure(error: unknown, engine: EngineName, at: Date): TranscriptionFailure {
  const reason = error instanceof ScribeError ? error.reason : 'asr.unexpected';
  return {
    reason,
    message: PLAIN[reason] ?? UNEXPECTED,
    detail: error instanceof ScribeError ? error.message : `Unexpected ${error instanceof Error ? error.name : typeof error}.`,
    engine,
    at: at.toISOString(),
  };
}

/** Failures that say nothing about the visit's audio or this computer's engines: the visit is not held for them. */
const NOT_HELD: ReadonlySet<string> = new Set([
  'asr.cancelled',
  'asr.shutting_down',
  'asr.engine_busy',
  'asr.imported_transcript',
  'transcript.final',
]);

export const holdsVisit = (error: unknown): boolean => !(error instanceof ScribeError && NOT_HELD.has(error.reason));
