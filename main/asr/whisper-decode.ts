import type { DecodedChunk } from './whisper-protocol.js';

/**
 * The arithmetic around Whisper decoding that does not need the model: token budgets, the prompt
 * prefix, confidence from token probabilities, and placing the decoder's timestamps in the visit.
 */

/** Whisper's context is 448 tokens; a prompt may take at most half of it, less <|startofprev|>. */
export const MAX_PROMPT_TOKENS = 223;

/**
 * Tokens to allow for `seconds` of audio. People say at most ~4 words a second (~1.4 tokens each)
 * plus two timestamps per phrase; a limit near that stops a decoder stuck in a loop early, and is
 * itself a hallucination signal when reached.
 */
export function maxNewTokensFor(seconds: number): number {
  return Math.max(16, Math.min(220, Math.ceil(seconds * 8) + 12));
}

export interface PrefixTokens {
  readonly startOfTranscript: number;
  readonly startOfPrevious: number | undefined;
  /** Multilingual models: the language and task tokens that follow <|startoftranscript|>. */
  readonly languageAndTask: readonly number[];
}

/** `<|startofprev|> prompt… <|startoftranscript|> [<|en|> <|transcribe|>]`: the prompt's tail is kept when too long. */
export function decoderPrefix(tokens: PrefixTokens, promptIds: readonly number[]): { ids: number[]; promptLength: number } {
  const init = [tokens.startOfTranscript, ...tokens.languageAndTask];
  if (promptIds.length === 0 || tokens.startOfPrevious === undefined) return { ids: init, promptLength: 0 };
  const prompt = [tokens.startOfPrevious, ...promptIds.slice(-MAX_PROMPT_TOKENS)];
  return { ids: [...prompt, ...init], promptLength: prompt.length };
}

export function logSoftmaxAt(logits: Float32Array, index: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i += 1) if (logits[i]! > max) max = logits[i]!;
  if (!Number.isFinite(max)) return Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (let i = 0; i < logits.length; i += 1) sum += Math.exp(logits[i]! - max);
  return logits[index]! - max - Math.log(sum);
}

/**
 * Follows decoding step by step. Each step's logits are kept until the next step shows which token
 * was chosen; by then the later logits processors (timestamp rules) have filtered the same buffer
 * in place, so the log-probability is taken after Whisper's rules, as openai-whisper does. The
 * no-speech probability is read from the first step's raw logits, before any rule touched them.
 */
export class DecodeProbe {
  private previous: Float32Array | undefined;
  private sum = 0;
  private count = 0;
  noSpeechProb: number | undefined;

  constructor(private readonly noSpeechToken: number | undefined) {}

  /** Called with the sequence so far and the logits for the next token (batch of one). */
  observe(sequence: readonly bigint[], logits: Float32Array): void {
    if (this.previous) this.add(this.previous, Number(sequence[sequence.length - 1]));
    if (this.noSpeechProb === undefined && this.noSpeechToken !== undefined && this.noSpeechToken < logits.length) {
      this.noSpeechProb = Math.exp(logSoftmaxAt(logits, this.noSpeechToken));
    }
    this.previous = logits;
  }

  /** The token chosen at the last step (it was never followed by another observe). */
  finish(lastToken: number | undefined): void {
    if (this.previous && lastToken !== undefined) this.add(this.previous, lastToken);
    this.previous = undefined;
  }

  get avgLogprob(): number | undefined {
    return this.count > 0 ? this.sum / this.count : undefined;
  }

  private add(logits: Float32Array, token: number): void {
    const value = logSoftmaxAt(logits, token);
    if (Number.isFinite(value)) {
      this.sum += value;
      this.count += 1;
    }
  }
}

/** 0..1 from a mean log-probability: the geometric-mean probability of the chosen tokens. */
export function confidenceFrom(avgLogprob: number | undefined | null): number | undefined {
  if (avgLogprob === undefined || avgLogprob === null || !Number.isFinite(avgLogprob)) return undefined;
  return Math.min(1, Math.max(0, Math.exp(avgLogprob)));
}

export interface PlacedText {
  readonly startMs: number;
  readonly endMs: number;
  readonly text: string;
}

/**
 * Puts the decoder's chunks (seconds from the start of the window it heard) into the visit's
 * timeline. Whisper's timestamps are trusted only as far as they are possible: never before the
 * window or the previous chunk, never after the window's end (the window is padded to 30 s, so a
 * decoder may "see" time that is not there), a missing start follows the previous chunk, a missing
 * end is the window's end.
 */
export function placeChunks(chunks: readonly DecodedChunk[], window: { startMs: number; endMs: number }): PlacedText[] {
  const placed: PlacedText[] = [];
  let floor = window.startMs;
  for (const chunk of chunks) {
    const text = chunk.text.trim();
    if (text === '') continue;
    const at = (seconds: number | null, fallback: number) =>
      seconds === null || !Number.isFinite(seconds)
        ? fallback
        : Math.min(window.endMs, Math.max(window.startMs, Math.round(window.startMs + seconds * 1000)));
    const startMs = Math.max(floor, at(chunk.start, floor));
    const endMs = Math.max(startMs, at(chunk.end, window.endMs));
    placed.push({ startMs, endMs, text });
    floor = endMs;
  }
  return placed;
}
