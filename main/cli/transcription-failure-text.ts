import type { TranscriptionFailure } from '../../shared/domain/transcription.js';

/** `scribe visit show` for a visit whose transcription failed: why, what still works, then the detail for IT. */
export function formatTranscriptionFailure(visitId: string, failure: TranscriptionFailure): string {
  return [
    `Not transcribed: ${failure.message}`,
    `           The recording is kept. Try again: scribe visit transcribe ${visitId}`,
    `           or import a transcript: scribe visit import-transcript ${visitId} FILE`,
    `Reason     ${failure.reason} (${failure.engine} engine, ${failure.at})`,
    `Detail     ${failure.detail}`,
  ].join('\n');
}
