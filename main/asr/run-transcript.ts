import type { TranscriptSegment } from '../../shared/domain/transcript.js';
import type { LabelledSpeaker } from './speaker-labeller.js';
import { labelSpeakers, speakerCues } from './speaker-labeller.js';

/** One piece of engine output kept in the transcript, with what speaker labelling needs of it. */
export interface Piece {
  readonly id: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly text: string;
  readonly confidence: number | undefined;
  readonly cue: number;
  readonly thirdVoice: number;
  readonly addressee: number;
  /** The speech segment it came from (pieces of one were said without a pause); none for fixed windows. */
  readonly group: string | undefined;
  speaker: TranscriptSegment['speaker'];
}

/** Speech segment `a<index>`, piece `.k`. */
const SEGMENT_ID = /^a(\d+)\.\d+$/;
/** Windows carry their whole span (`w<from>-<to>`), so a later run resumes exactly where the last window ended. */
const WINDOW_ID = /^w\d+-(\d+)\.\d+$/;
/** Speech segments group their pieces; fixed windows hold many turns and group nothing. */
const speechGroup = (inputId: string) => (inputId.startsWith('a') ? inputId : undefined);

/** A piece of recognised text from the engine input `inputId`, before speakers are labelled. */
export function newPiece(
  inputId: string,
  k: number,
  part: { startMs: number; endMs: number; text: string; confidence: number | undefined },
): Piece {
  return { id: `${inputId}.${k}`, ...part, ...speakerCues(part.text), group: speechGroup(inputId), speaker: 'unknown' };
}

/**
 * The transcript as one run knows it, in time order: what it resumes from, and which stored segments
 * change when new pieces arrive (speakers are labelled again over the whole conversation).
 */
export class RunTranscript {
  private readonly pieces: Piece[];

  constructor(stored: readonly TranscriptSegment[]) {
    this.pieces = stored.map((s) => ({
      ...s,
      confidence: s.confidence,
      ...speakerCues(s.text),
      group: speechGroup(s.id.split('.')[0] ?? s.id),
    }));
  }

  get size(): number {
    return this.pieces.length;
  }

  /** The last few lines, so the hallucination guard knows what was said just before. */
  lastTexts(count: number): string[] {
    return this.pieces.slice(-count).map((p) => p.text);
  }

  /** Speech segments (by index) already in the transcript. */
  segmentsDone(): Set<number> {
    const done = new Set<number>();
    for (const piece of this.pieces) {
      const segment = SEGMENT_ID.exec(piece.id);
      if (segment) done.add(Number(segment[1]));
    }
    return done;
  }

  /** Where the last fixed window stored ends (0 without one). */
  windowsEndMs(): number {
    let end = 0;
    for (const piece of this.pieces) {
      const window = WINDOW_ID.exec(piece.id);
      if (window) end = Math.max(end, Number(window[1]));
    }
    return end;
  }

  /** Adds pieces, labels the whole transcript again, and returns the segments that are new or changed speaker. */
  add(fresh: readonly Piece[]): TranscriptSegment[] {
    this.pieces.push(...fresh);
    this.pieces.sort((a, b) => a.startMs - b.startMs);
    const labels = labelSpeakers(this.pieces);
    const freshIds = new Set(fresh.map((p) => p.id));
    const changed: TranscriptSegment[] = [];
    this.pieces.forEach((piece, i) => {
      const speaker: LabelledSpeaker = labels[i]!;
      if (!freshIds.has(piece.id) && piece.speaker === speaker) return;
      piece.speaker = speaker;
      changed.push({
        id: piece.id,
        startMs: piece.startMs,
        endMs: piece.endMs,
        speaker,
        text: piece.text,
        ...(piece.confidence === undefined ? {} : { confidence: Math.round(piece.confidence * 1000) / 1000 }),
      });
    });
    return changed;
  }
}
