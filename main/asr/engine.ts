import type { TranscriptionEngine as EngineName } from '../../shared/domain/policy.js';

/** 16 kHz mono speech with its place in the visit's audio: a closed VAD segment, or a window of it. */
export interface SpeechInput {
  /** Ours (e.g. `a12` for speech segment 12): engine output segments are named after it. */
  readonly id: string;
  readonly startMs: number;
  /** Int16 as stored, or floats in [-1, 1]. */
  readonly pcm: Int16Array | Float32Array;
}

/**
 * One stretch of text an engine heard, with times in the visit's audio. The diagnostics are
 * Whisper's own where the engine reports them; the hallucination guard reads them.
 */
export interface RecognizedSegment {
  /** The SpeechInput it came from. */
  readonly inputId: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly text: string;
  /** 0..1, from the mean token log-probability; undefined when the engine does not say. */
  readonly confidence?: number;
  readonly avgLogprob?: number;
  /** Probability the engine gave to "there is no speech here". */
  readonly noSpeechProb?: number;
  /** The decoder stopped at its token limit, not at end-of-text: typical of a loop. */
  readonly hitTokenLimit?: boolean;
}

export type EngineProgress =
  { readonly phase: 'loading' } | { readonly phase: 'transcribing'; readonly inputsDone: number; readonly inputsTotal: number };

export interface TranscribeOptions {
  readonly signal?: AbortSignal;
  /** Vocabulary to expect (medications, problems): never names or identifiers (./transcription-prompt.ts). */
  readonly prompt?: string;
  readonly onProgress?: (progress: EngineProgress) => void;
}

/**
 * One interface for every engine. `transcribe` takes speech segments and resolves with what was
 * said in them, in order; it rejects with an AsrError (`cancelled` once the signal aborts). Engines
 * never see visit ids or patient data beyond the audio and the vocabulary prompt.
 */
export interface TranscriptionEngine {
  readonly name: EngineName;
  /** The model's name for status and the record (never a URL or key). */
  readonly model: string;
  transcribe(inputs: readonly SpeechInput[], options?: TranscribeOptions): Promise<RecognizedSegment[]>;
  /** Frees the worker / connections; the engine may be used again afterwards. */
  close(): Promise<void>;
}
