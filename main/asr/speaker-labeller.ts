import type { Speaker } from '../../shared/domain/transcript.js';
import { cueScore } from './speaker-cues.js';
import { addressesThirdVoice, thirdVoiceScore } from './speaker-third-voice-cues.js';

/**
 * Who said each piece of the transcript: clinician, patient or someone else (a relative, a
 * caregiver, an interpreter, a nurse), from the words and the turn-taking, without a voice model.
 * A hidden Markov model decoded with Viterbi, with four states: the patient, a third voice, and the
 * clinician talking with the patient or talking with the third voice (so the conversation goes back
 * to whoever the clinician was talking with):
 *
 * - evidence per segment: the lexical cue score (./speaker-cues.ts: questions, examination and
 *   plan language, second person → clinician; first-person symptom reports, short answers,
 *   "doctor" → patient), the third-voice score (./speaker-third-voice-cues.ts: "I'm her daughter",
 *   "I'm the interpreter", "she says", speaking of the patient as he / she or "we" → third voice;
 *   "I", "my" and dictation language → not), and whether the clinician speaks to someone else ("are
 *   you his wife?", "does she…?");
 * - turn-taking between segments: a change of speaker is likely after a question, and after a
 *   pause long enough for the voice-activity detector to close a segment; pieces of one segment
 *   (no pause between them) usually share a speaker; a third voice comes in rarely, and once the
 *   clinician talks with it, it usually answers;
 * - the clinician usually opens the visit.
 *
 * How good it is (bench/speaker-labelling.ts, `npm run bench`), against the corpora's own labels,
 * with the settings below tuned on ACI-Bench train, MTS-Dialog train and PriMock57 consultations
 * 1-20, scored on the rest:
 * - ACI-Bench validation (20 visits, every turn cut into sentences as Whisper cuts speech, turn
 *   boundaries hidden): 80.2 % of segments, 83.8 % of words labelled right (77.8 % / 82.3 % with
 *   the earlier two-state model); labelling everything as each visit's majority speaker gets 60.8 %;
 * - PriMock57 consultations 21-40 (real utterance timings from separate doctor and patient
 *   channels, grouped into segments wherever a 400 ms pause would close one; no third voices):
 *   79.7 % of segments, 88.4 % of words (two-state 79.5 % / 88.3 %); majority 58.4 %; nothing
 *   labelled `other`;
 * - MTS-Dialog validation (84 conversations of 4+ sentences, text only): 83.4 % of segments
 *   (two-state 81.7 %);
 * - `other` on those held-out sets: ACI-Bench's one visit with a relative (a mother speaking for her
 *   baby), precision 70 %, recall 65 %; MTS-Dialog's relatives and visiting clinicians, precision
 *   71 %, recall 49 %. A relative or interpreter who speaks of the patient is found; one who
 *   answers "yes" / "okay", and a second clinician (who talks like the clinician), mostly is not.
 * Most errors are short, cue-less replies ("okay", "mm-hmm"); some ACI-Bench labels are themselves
 * swapped (its ASR subsets), and some call a parent the patient. A voice (diarization) model would
 * do better on short segments and on third voices; none runs here.
 */

export interface SpeakerInput {
  readonly startMs: number;
  readonly endMs: number;
  readonly text: string;
  /** The cue scores when already known (a growing transcript is labelled again and again). */
  readonly cue?: number;
  readonly thirdVoice?: number;
  readonly addressee?: number;
  /**
   * The speech segment the piece came from: the voice-activity detector closes a segment only after
   * a pause, so pieces of one segment were said without one.
   */
  readonly group?: string;
}

export type LabelledSpeaker = Extract<Speaker, 'clinician' | 'patient' | 'other'>;

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
  /** Probability that a change of speaker away from the clinician's conversation with the patient brings in a third voice. */
  readonly thirdVoiceEntry: number;
  /** Probability that the patient, not the third voice, answers once the clinician is talking with the third voice. */
  readonly patientAfterThirdVoice: number;
  /** Probability that the clinician turns from one listener to the other without anyone else speaking. */
  readonly switchListener: number;
  /** How much one point of third-voice score (./speaker-third-voice-cues.ts) weighs. */
  readonly thirdVoiceScale: number;
  /** How much one point of "the clinician is talking to someone else" weighs. */
  readonly addresseeScale: number;
}

/**
 * Set by grid searches on ACI-Bench train and PriMock57 consultations 1-20 (the first eight), and
 * with MTS-Dialog train added (the last five); scored on the rest.
 */
export const DEFAULT_SPEAKER_MODEL: SpeakerModel = {
  cueScale: 2.5,
  clinicianBias: 0.6,
  clinicianFirst: 0.7,
  changeWithinSegment: 0.4,
  changeAfterPause: 0.5,
  changeUnknownGap: 0.5,
  changeAfterQuestion: 0.4,
  pauseMs: 300,
  thirdVoiceEntry: 0.1,
  patientAfterThirdVoice: 0.1,
  switchListener: 0.05,
  thirdVoiceScale: 2,
  addresseeScale: 0.5,
};

/** Every cue score of one piece of speech, worked out once. */
export function speakerCues(text: string): { cue: number; thirdVoice: number; addressee: number } {
  return { cue: cueScore(text), thirdVoice: thirdVoiceScore(text), addressee: addressesThirdVoice(text) };
}

const clamp = (p: number) => Math.min(0.97, Math.max(0.03, p));
const ln = (p: number) => Math.log(Math.max(1e-9, p));

// Hidden states: who speaks, and for the clinician whom they are talking with.
const CLINICIAN_TO_PATIENT = 0;
const PATIENT = 1;
const CLINICIAN_TO_OTHER = 2;
const OTHER = 3;
const STATES = [CLINICIAN_TO_PATIENT, PATIENT, CLINICIAN_TO_OTHER, OTHER] as const;
const LABEL: readonly LabelledSpeaker[] = ['clinician', 'patient', 'clinician', 'other'];

/** Log transition probabilities [from][to], given the probability `change` that the speaker changes. */
function transitions(change: number, model: SpeakerModel): number[][] {
  const c = clamp(change);
  const e = model.thirdVoiceEntry;
  const r = model.patientAfterThirdVoice;
  const s = model.switchListener;
  const t = [
    [(1 - c) * (1 - s), c * (1 - e), (1 - c) * s, c * e],
    [c * (1 - e), 1 - c, 0, c * e],
    [(1 - c) * s, c * r, (1 - c) * (1 - s), c * (1 - r)],
    [0, c * r, c * (1 - r), 1 - c],
  ];
  return t.map((row) => row.map(ln));
}

/** Labels every segment; `gaps` false means the times carry no information (text-only sources). */
export function labelSpeakers(
  segments: readonly SpeakerInput[],
  model: SpeakerModel = DEFAULT_SPEAKER_MODEL,
  options: { gaps?: boolean } = {},
): LabelledSpeaker[] {
  const n = segments.length;
  if (n === 0) return [];
  const useGaps = options.gaps ?? true;
  // Log scores per state; back-pointers per step.
  const emit = segments.map((seg) => {
    const score = model.cueScale * (seg.cue ?? cueScore(seg.text)) + model.clinicianBias;
    const addressee = model.addresseeScale * (seg.addressee ?? addressesThirdVoice(seg.text));
    const third = model.thirdVoiceScale * (seg.thirdVoice ?? thirdVoiceScore(seg.text));
    return [score / 2 - addressee / 2, -score / 2, score / 2 + addressee / 2, -score / 2 + third];
  });
  const first = model.clinicianFirst;
  const e = model.thirdVoiceEntry;
  let prev = [ln(first * (1 - e)), ln((1 - first) * (1 - e)), ln(first * e), ln((1 - first) * e)].map((p, k) => p + emit[0]![k]!);
  const back: number[][] = [];
  for (let i = 1; i < n; i += 1) {
    const before = segments[i - 1]!;
    const current = segments[i]!;
    const paused =
      before.group !== undefined && current.group !== undefined
        ? before.group !== current.group
        : useGaps
          ? current.startMs - before.endMs >= model.pauseMs
          : undefined;
    let change = paused === undefined ? model.changeUnknownGap : paused ? model.changeAfterPause : model.changeWithinSegment;
    if (/\?\s*$/.test(before.text)) change += model.changeAfterQuestion;
    const t = transitions(change, model);
    const next: number[] = [];
    const ptr: number[] = [];
    for (const to of STATES) {
      let best = Number.NEGATIVE_INFINITY;
      let from = to as number;
      for (const k of STATES) {
        const v = prev[k]! + t[k]![to]!;
        if (v > best) {
          best = v;
          from = k;
        }
      }
      ptr.push(from);
      next.push(best + emit[i]![to]!);
    }
    back.push(ptr);
    prev = next;
  }
  const labels = new Array<LabelledSpeaker>(n);
  let state = prev.indexOf(Math.max(...prev));
  for (let i = n - 1; i >= 0; i -= 1) {
    labels[i] = LABEL[state]!;
    if (i > 0) state = back[i - 1]![state]!;
  }
  return labels;
}
