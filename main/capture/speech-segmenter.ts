/**
 * Turns per-window speech probabilities into speech segments, incrementally: a segment is emitted
 * only once it is closed (enough silence followed it, or the audio ended), and an emitted segment
 * never changes as more audio arrives. The rules follow Silero's `get_speech_timestamps`
 * (hysteresis between two thresholds, minimum speech and silence, padding, and long speech split at
 * its last pause), rewritten for a stream. Positions are in samples from the start of the recording.
 */
export interface SegmenterOptions {
  readonly sampleRate: number;
  readonly windowSamples: number;
  /** Probability at which speech starts. */
  readonly threshold: number;
  /** Probability under which speech may end; the gap to `threshold` avoids flapping. */
  readonly negThreshold: number;
  readonly minSpeechMs: number;
  readonly minSilenceMs: number;
  /** Added on both sides of a segment, within the audio and never overlapping the previous segment. */
  readonly speechPadMs: number;
  /** Longer speech is split (at its last pause when there was one): transcription engines take ~30 s. */
  readonly maxSpeechMs: number;
  /** A pause at least this long is remembered as a place to split over-long speech. */
  readonly minSilenceAtMaxSpeechMs: number;
}

export const DEFAULT_SEGMENTER_OPTIONS: SegmenterOptions = {
  sampleRate: 16_000,
  windowSamples: 512,
  threshold: 0.5,
  negThreshold: 0.35,
  minSpeechMs: 250,
  minSilenceMs: 400,
  speechPadMs: 120,
  maxSpeechMs: 30_000,
  minSilenceAtMaxSpeechMs: 98,
};

export interface SampleSpan {
  readonly startSample: number;
  readonly endSample: number;
}

export class SpeechSegmenter {
  private readonly o: SegmenterOptions;
  private readonly minSpeech: number;
  private readonly minSilence: number;
  private readonly pad: number;
  private readonly maxSpeech: number;
  private readonly minSilenceAtMax: number;
  /** Start of the next window, i.e. how much audio has been seen. */
  private position: number;
  /** End of the last emitted segment (padded): the next one never starts before it. */
  private floor: number;
  private triggered = false;
  private start = 0;
  private tempEnd = 0;
  private prevEnd = 0;
  private nextStart = 0;

  /** `fromSample`: where this stream starts in the recording; `floor`: end of the last segment already emitted. */
  constructor(options: Partial<SegmenterOptions> = {}, fromSample = 0, floor = fromSample) {
    this.o = { ...DEFAULT_SEGMENTER_OPTIONS, ...options };
    if (this.o.negThreshold > this.o.threshold) throw new RangeError('negThreshold must not exceed threshold');
    const samples = (ms: number) => Math.round((ms * this.o.sampleRate) / 1000);
    this.minSpeech = samples(this.o.minSpeechMs);
    this.minSilence = samples(this.o.minSilenceMs);
    this.pad = Math.min(samples(this.o.speechPadMs), this.minSilence);
    this.maxSpeech = samples(this.o.maxSpeechMs) - 2 * this.pad;
    this.minSilenceAtMax = samples(this.o.minSilenceAtMaxSpeechMs);
    this.position = fromSample;
    this.floor = floor;
  }

  /** Audio seen so far (the end of the last window pushed). */
  get samplesSeen(): number {
    return this.position;
  }

  /** True while inside possible speech: restarting here would need the audio since `start`. */
  get inSpeech(): boolean {
    return this.triggered;
  }

  /** One window's speech probability; returns the segments this window closed (usually none). */
  push(probability: number): SampleSpan[] {
    const cur = this.position;
    this.position += this.o.windowSamples;
    const closed: SampleSpan[] = [];

    if (probability >= this.o.threshold && this.tempEnd) {
      this.tempEnd = 0;
      if (this.nextStart < this.prevEnd) this.nextStart = cur;
    }
    if (probability >= this.o.threshold && !this.triggered) {
      this.triggered = true;
      this.start = cur;
      return closed;
    }
    if (this.triggered && cur - this.start > this.maxSpeech) {
      if (this.prevEnd) {
        closed.push(this.emit(this.start, this.prevEnd));
        if (this.nextStart < this.prevEnd) this.triggered = false;
        else this.start = this.nextStart;
      } else {
        closed.push(this.emit(this.start, cur));
        this.triggered = false;
      }
      this.prevEnd = this.nextStart = this.tempEnd = 0;
      return closed;
    }
    if (probability < this.o.negThreshold && this.triggered) {
      if (!this.tempEnd) this.tempEnd = cur;
      if (cur - this.tempEnd > this.minSilenceAtMax) this.prevEnd = this.tempEnd;
      if (cur - this.tempEnd < this.minSilence) return closed;
      if (this.tempEnd - this.start > this.minSpeech) closed.push(this.emit(this.start, this.tempEnd));
      this.prevEnd = this.nextStart = this.tempEnd = 0;
      this.triggered = false;
    }
    return closed;
  }

  /** The audio ended at `endSample`: closes speech still open. The segmenter takes no more input after. */
  finish(endSample = this.position): SampleSpan[] {
    const end = Math.min(endSample, this.position);
    const closed: SampleSpan[] = [];
    if (this.triggered && end - this.start > this.minSpeech) closed.push(this.emit(this.start, end, end));
    this.triggered = false;
    return closed;
  }

  private emit(start: number, end: number, limit = this.position): SampleSpan {
    const span = { startSample: Math.max(start - this.pad, this.floor, 0), endSample: Math.min(end + this.pad, limit) };
    this.floor = span.endSample;
    return span;
  }
}
