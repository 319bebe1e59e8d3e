import type { Speaker } from '../../shared/domain/transcript.js';
import { cueScore } from './speaker-cues.js';

/**
 * Who said each piece of the transcript: clinician or patient, from the words and the turn-taking,
 * without a voice model. A two-state hidden Markov model decoded with Viterbi:
 *
 * - evidence per segment: the lexical cue score (./speaker-cues.ts: questions, examination and
 *   plan language, second person → clinician; first-person symptom reports, short answers,
 *   "doctor" → patient);
 * - turn-taking between segments: a change of speaker is likely after a question, and after a
 *   pause long enough for the voice-activity detector to close a segment; pieces of one segment
 *   (no pause between them) usually share a speaker;
 * - the clinician usually opens the visit.
 *
 * How good it is (bench/speaker-labelling.ts, `npm run bench`), against the corpora's own labels,
 * with the settings below tuned on ACI-Bench train and PriMock57 consultations 1-20:
 * - ACI-Bench validation (20 visits, every turn cut into sentences as Whisper cuts speech, turn
 *   boundaries hidden): 77.8 % of segments, 82.3 % of words labelled right; labelling everything
 *   as each visit's majority speaker gets 60.8 %;
 * - PriMock57 consultations 21-40 (real utterance timings from separate doctor and patient
 *   channels, grouped into segments wherever a 400 ms pause would close one): 79.5 % of segments,
 *   88.3 % of words; majority 58.4 %.
 * Most errors are short, cue-less replies ("okay", "mm-hmm"); some ACI-Bench labels are themselves
 * swapped (its ASR subsets). A third voice (a relative, an interpreter) is not told apart: it gets
 * whichever of the two labels its words suggest, so `other` is never produced here. A voice
 * (diarization) model would do better on the short segments; none runs here.
 */

export interface SpeakerInput {
  readonly startMs: number;
  readonly endMs: number;
  readonly text: string;
  /** The cue score when already known (a growing transcript is labelled again and again). */
  readonly cue?: number;
  /**
   * The speech segment the piece came from: the voice-activity detector closes a segment only after
   * a pause, so pieces of one segment were said without one.
   */
  readonly group?: string;
}

export type TwoSpeakers = Extract<Speaker, 'clinician' | 'patient'>;

export interface SpeakerModel {
  /** How much one point of cue score weighs against turn-taking. */
  readonly cueScale: number;
  /** Log-odds added to every segment: clinicians speak more of a visit's segments. */
  readonly clinicianBias: number;
  /** Probability the clinician speaks first. */
  readonly clinicianFirst: number;
  /** Probability of a change of speaker: between pieces of one segment, after a pause, when timing is unknown. */
  readonly changeWithinSegment: number;
  readonly changeAfterPause: number;
  readonly changeUnknownGap: number;
  /** Added after a question. */
  readonly changeAfterQuestion: number;
  /** A gap at least this long counts as a pause (the VAD closes segments after 400 ms of silence). */
  readonly pauseMs: number;
}

/** Set by a grid search on ACI-Bench train and PriMock57 consultations 1-20; scored on the rest. */
export const DEFAULT_SPEAKER_MODEL: SpeakerModel = {
  cueScale: 2.5,
  clinicianBias: 0.6,
  clinicianFirst: 0.7,
  changeWithinSegment: 0.4,
  changeAfterPause: 0.5,
  changeUnknownGap: 0.5,
  changeAfterQuestion: 0.4,
  pauseMs: 300,
};

const clamp = (p: number) => Math.min(0.97, Math.max(0.03, p));

/** Labels every segment; `gaps` false means the times carry no information (text-only sources). */
export function labelSpeakers(segments: readonly SpeakerInput[], model: SpeakerModel = DEFAULT_SPEAKER_MODEL, options: { gaps?: boolean } = {}): TwoSpeakers[] {
  const n = segments.length;
  if (n === 0) return [];
  const useGaps = options.gaps ?? true;
  // States: 0 clinician, 1 patient. Log scores; back-pointers per step.
  const emit = segments.map((s) => {
    const score = model.cueScale * (s.cue ?? cueScore(s.text)) + model.clinicianBias;
    return [score / 2, -score / 2] as const;
  });
  let prev = [Math.log(model.clinicianFirst) + emit[0]![0], Math.log(1 - model.clinicianFirst) + emit[0]![1]];
  const back: [number, number][] = [];
  for (let i = 1; i < n; i += 1) {
    const before = segments[i - 1]!;
    const current = segments[i]!;
    const paused =
      before.group !== undefined && current.group !== undefined ? before.group !== current.group : useGaps ? current.startMs - before.endMs >= model.pauseMs : undefined;
    let change = paused === undefined ? model.changeUnknownGap : paused ? model.changeAfterPause : model.changeWithinSegment;
    if (/\?\s*$/.test(before.text)) change += model.changeAfterQuestion;
    const stay = Math.log(1 - clamp(change));
    const move = Math.log(clamp(change));
    const next = [0, 0];
    const ptr: [number, number] = [0, 0];
    for (const to of [0, 1] as const) {
      const fromSame = prev[to]! + stay;
      const fromOther = prev[1 - to]! + move;
      ptr[to] = fromSame >= fromOther ? to : 1 - to;
      next[to] = Math.max(fromSame, fromOther) + emit[i]![to];
    }
    back.push(ptr);
    prev = next;
  }
  const labels = new Array<TwoSpeakers>(n);
  let state = prev[0]! >= prev[1]! ? 0 : 1;
  for (let i = n - 1; i >= 0; i -= 1) {
    labels[i] = state === 0 ? 'clinician' : 'patient';
    if (i > 0) state = back[i - 1]![state]!;
  }
  return labels;
}
