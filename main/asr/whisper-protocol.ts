/**
 * Messages between the local engine (main thread) and its Whisper worker. Audio goes in as
 * transferred Float32Array buffers; text comes back only to the engine, never to logs.
 */

export interface WhisperWorkerData {
  readonly modelsDir: string;
  /** The model's folder name under modelsDir (transformers.js resolves `localModelPath/modelId`). */
  readonly modelId: string;
  readonly dtype: WhisperDtype;
  readonly threads: number;
}

export interface WhisperDtype {
  readonly encoder_model: 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4';
  readonly decoder_model_merged: 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4';
}

export type ToWorker =
  | {
      readonly type: 'transcribe';
      readonly job: number;
      readonly audio: Float32Array;
      readonly prompt: string | null;
      readonly maxNewTokens: number;
    }
  | { readonly type: 'cancel'; readonly job: number };

/** Times in seconds from the start of the audio sent; null where Whisper gave none. */
export interface DecodedChunk {
  readonly text: string;
  readonly start: number | null;
  readonly end: number | null;
}

export interface DecodeStats {
  /** Mean log-probability of the generated tokens (after Whisper's timestamp rules), as Whisper computes it. */
  readonly avgLogprob: number | null;
  /** Softmax probability of <|nospeech|> / <|nocaptions|> at the first decoding step. */
  readonly noSpeechProb: number | null;
  readonly tokens: number;
  /** True when decoding stopped at the token limit rather than at end-of-text. */
  readonly truncated: boolean;
}

export type FromWorker =
  | { readonly type: 'ready'; readonly timestamps: boolean; readonly multilingual: boolean }
  | { readonly type: 'load_failed'; readonly reason: 'not_found' | 'invalid'; readonly errorName: string }
  | { readonly type: 'progress'; readonly job: number; readonly tokens: number }
  | {
      readonly type: 'result';
      readonly job: number;
      readonly chunks: DecodedChunk[];
      readonly stats: DecodeStats;
      readonly cancelled: boolean;
    }
  | { readonly type: 'failed'; readonly job: number; readonly errorName: string };
