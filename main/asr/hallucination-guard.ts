import type { AudioStats } from './audio-stats.js';
import type { RecognizedSegment } from './engine.js';

/**
 * Whisper's known failure modes, kept out of the transcript. Whisper was trained on subtitles, so
 * on silence, hiss or a fan it "hears" the lines subtitles end with ("Thank you.", "Thanks for
 * watching"), repeats the previous line, or loops one phrase until its token budget runs out. Each
 * rule below reads the text together with the audio under it and the engine's own doubts:
 *
 * - silence: nothing under the text reached the level of quiet speech (-50 dBFS);
 * - noise: the level under the text stays flat (speech rises and falls with each syllable);
 * - no_speech: Whisper itself rated "no speech" likely and its tokens unlikely (its own rule:
 *   no-speech probability > 0.6 with mean log-probability < -1);
 * - non-speech tags: [BLANK_AUDIO], (music), ♪ … are removed, and nothing left means nothing said;
 * - loops: a phrase repeated back to back (3+ times, 4+ for one or two words) is kept once;
 * - stock phrases: subtitle credits and video outros ("Thanks for watching") always go; closers
 *   people also say ("Thank you.") stay only when the audio clearly is speech of about their
 *   length and the engine was sure: over a longer stretch of sound they are what Whisper says when
 *   it heard nothing it knew;
 * - repeated lines: a line of three words or more identical to one of the last few kept lines;
 * - rate: more words than anyone says in the time (over 8 a second).
 *
 * What is dropped is counted by reason (never logged as text). Nothing here can add words.
 */
export type DropReason = 'silence' | 'noise' | 'no_speech' | 'non_speech' | 'stock_phrase' | 'repeated_line' | 'implausible_rate';

export type GuardVerdict =
  | { readonly keep: true; readonly text: string; readonly confidence: number | undefined; readonly looped: boolean }
  | { readonly keep: false; readonly reason: DropReason };

export interface GuardOptions {
  readonly silenceDb: number;
  readonly noiseModulationDb: number;
  /** A stock phrase is believed only over speech-like audio of about its own length. */
  readonly stockPhraseMs: (words: number) => number;
  readonly maxWordsPerSecond: number;
  /** How many recent lines a repeat is checked against. */
  readonly recentLines: number;
}

export const DEFAULT_GUARD_OPTIONS: GuardOptions = {
  silenceDb: -50,
  noiseModulationDb: 1.0,
  stockPhraseMs: (words) => 2500 + 500 * words,
  maxWordsPerSecond: 8,
  recentLines: 3,
};

/**
 * Lines from subtitle credits and video outros: nobody says them in a clinic, so they are always
 * dropped (normalised: lower case, no punctuation).
 */
const NEVER_SAID = new Set([
  'thanks for watching',
  'thank you for watching',
  'thanks for watching and see you next time',
  'thank you so much for watching',
  'thanks for listening',
  'thank you for listening',
  'please subscribe',
  'please like and subscribe',
  'like and subscribe',
  'subscribe to my channel',
  'see you in the next video',
  'see you next time',
  'subtitles by the amara org community',
  'subtitles by',
  'transcription by',
  'transcribed by',
  'amara org',
]);

/** Closers Whisper says over silence that people also really say: believed only with evidence. */
const CLOSERS = new Set(['thank you', 'thank you very much', 'thank you so much', 'thanks', 'bye', 'bye bye', 'you', 'the end']);

const NON_SPEECH = [
  /\[[^\]]*\]/g, // [BLANK_AUDIO], [Music], [ Silence ]
  /\((?:[^)]*?\b(?:music|silence|blank|noise|applause|laugh\w*|sigh\w*|cough\w*|static|beep\w*|breath\w*|inaudible|indistinct|no speech)\b[^)]*)\)/gi,
  /[♪♫🎵🎶][^♪♫🎵🎶]*[♪♫🎵🎶]?/gu,
  /\*[^*]{1,40}\*/g, // *coughs*
];

/** Lower case, letters, digits and apostrophes only, single spaces: for comparing lines. */
export function normalizeLine(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function stripNonSpeech(text: string): string {
  let out = text;
  for (const pattern of NON_SPEECH) out = out.replace(pattern, ' ');
  return out.replace(/\s+/g, ' ').trim();
}

/**
 * Keeps one copy of any phrase repeated back to back: n-grams of 3+ words repeated 3 or more times,
 * of one or two words repeated 4 or more times ("no, no, no" stays).
 */
export function collapseLoops(text: string): { text: string; looped: boolean } {
  let words = text.split(/\s+/).filter((w) => w !== '');
  let looped = false;
  const key = (w: string) => normalizeLine(w);
  for (let changed = true; changed;) {
    changed = false;
    for (let n = 1; n <= Math.floor(words.length / 3) && !changed; n += 1) {
      const needed = n <= 2 ? 4 : 3;
      for (let i = 0; i + n * needed <= words.length && !changed; i += 1) {
        let repeats = 1;
        while (
          i + (repeats + 1) * n <= words.length &&
          words.slice(i + repeats * n, i + (repeats + 1) * n).every((w, k) => key(w) === key(words[i + k]!))
        )
          repeats += 1;
        if (repeats >= needed) {
          words = [...words.slice(0, i + n), ...words.slice(i + repeats * n)];
          looped = true;
          changed = true;
        }
      }
    }
  }
  return { text: words.join(' '), looped };
}

export interface HallucinationGuard {
  /** Judges one piece of engine output with the audio under it; kept lines are remembered for the repeat rule. */
  check(segment: RecognizedSegment, audio: AudioStats): GuardVerdict;
  /** Lines already in the transcript (after a restart), for the repeat rule. */
  remember(text: string): void;
}

export function createHallucinationGuard(options: Partial<GuardOptions> = {}): HallucinationGuard {
  const o = { ...DEFAULT_GUARD_OPTIONS, ...options };
  const recent: string[] = [];
  const remember = (line: string) => {
    recent.push(line);
    if (recent.length > o.recentLines) recent.shift();
  };

  function judge(segment: RecognizedSegment, audio: AudioStats): GuardVerdict {
    if (audio.peakDb < o.silenceDb) return { keep: false, reason: 'silence' };
    if (audio.durationMs >= 400 && audio.modulationDb < o.noiseModulationDb) return { keep: false, reason: 'noise' };
    if ((segment.noSpeechProb ?? 0) > 0.6 && (segment.avgLogprob ?? Number.NEGATIVE_INFINITY) < -1)
      return { keep: false, reason: 'no_speech' };

    const spoken = stripNonSpeech(segment.text);
    if (normalizeLine(spoken) === '') return { keep: false, reason: 'non_speech' };
    const { text, looped } = collapseLoops(spoken);
    const line = normalizeLine(text);
    const words = line.split(' ').length;

    if (NEVER_SAID.has(line)) return { keep: false, reason: 'stock_phrase' };
    if (CLOSERS.has(line)) {
      const sure = (segment.noSpeechProb ?? 0) < 0.2 && (segment.avgLogprob ?? 0) > -0.5 && !looped;
      const fits = audio.durationMs <= o.stockPhraseMs(words) && audio.modulationDb >= 2 * o.noiseModulationDb;
      if (!sure || !fits) return { keep: false, reason: 'stock_phrase' };
    }
    if (words >= 3 && recent.includes(line)) return { keep: false, reason: 'repeated_line' };
    if (words / Math.max(1, audio.durationMs / 1000) > o.maxWordsPerSecond) return { keep: false, reason: 'implausible_rate' };
    // A loop is a sign the decoder lost its way: what is left is kept but trusted less.
    const confidence =
      segment.confidence === undefined ? undefined : looped || segment.hitTokenLimit ? segment.confidence / 2 : segment.confidence;
    return { keep: true, text, confidence, looped };
  }

  return {
    check(segment, audio) {
      const verdict = judge(segment, audio);
      if (verdict.keep) remember(normalizeLine(verdict.text));
      return verdict;
    },
    remember: (text) => remember(normalizeLine(text)),
  };
}
