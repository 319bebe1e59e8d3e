import { z } from 'zod';
import { IsoDateTime, VisitId } from '../ids.js';
import { TranscriptionEngine } from './policy.js';

/**
 * Transcription of a visit's audio by an engine (local Whisper or an OpenAI-compatible service).
 * Everything here is counts, states and safe messages: the text itself is read with transcript:get.
 */

export const TranscribeRequest = z.object({
  visitId: VisitId,
  /** Which engine; default: the workstation's default (local). */
  engine: TranscriptionEngine.optional(),
});
export type TranscribeRequest = z.infer<typeof TranscribeRequest>;

/**
 * idle: nothing has run in this process; following: caught up with a recording that goes on;
 * running: working through audio; finished: the transcript is final; failed / cancelled: stopped,
 * the stored audio is intact and transcription can be started again.
 */
export const TranscriptionState = z.enum(['idle', 'running', 'following', 'finished', 'failed', 'cancelled']);
export type TranscriptionState = z.infer<typeof TranscriptionState>;

/**
 * Why a visit's transcription failed for good (the visit is in transcription_failed): kept with the
 * visit, so it is still there after a restart. The audio is never deleted because of it.
 */
export const TranscriptionFailure = z.object({
  /** Stable dotted id, e.g. asr.model_not_installed. */
  reason: z.string(),
  /** For the clinician, in plain words: no commands, settings names or paths. */
  message: z.string(),
  /** The technical detail for IT (what the engine said, where it looked). Never PHI. */
  detail: z.string(),
  engine: TranscriptionEngine,
  at: IsoDateTime,
});
export type TranscriptionFailure = z.infer<typeof TranscriptionFailure>;

export const TranscriptionStatus = z.object({
  visitId: VisitId,
  state: TranscriptionState,
  engine: TranscriptionEngine.nullable(),
  /** The model that transcribes (e.g. whisper-base.en, gpt-4o-transcribe), never a URL or key. */
  model: z.string().nullable(),
  /** Speech segments transcribed in this run. */
  segmentsDone: z.number().int().nonnegative(),
  /** Closed speech segments waiting for the engine. */
  segmentsPending: z.number().int().nonnegative(),
  /** Pieces of engine output the hallucination guard kept out of the transcript. */
  segmentsDropped: z.number().int().nonnegative(),
  /** Segments the transcript holds now. */
  transcriptSegments: z.number().int().nonnegative(),
  final: z.boolean(),
  /** Why it failed, in words safe to show. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** Set while the visit is in transcription_failed: why, and what was tried. */
  failure: TranscriptionFailure.optional(),
});
export type TranscriptionStatus = z.infer<typeof TranscriptionStatus>;
