import { int16ToFloat } from '../../shared/audio/pcm.js';
import { SAMPLES_PER_MS } from '../../shared/domain/capture.js';

/** Analysis frames of 20 ms: short enough to see syllables, long enough to average a pitch period. */
export const FRAME_SAMPLES = 20 * SAMPLES_PER_MS;
/** Below this a frame is digital silence; clamping keeps log(0) out of the statistics. */
const FLOOR_DB = -90;

export function toFloat32(pcm: Int16Array | Float32Array): Float32Array {
  return pcm instanceof Float32Array ? pcm : int16ToFloat(pcm);
}

/** Loudness of each 20 ms frame in dBFS (a sine at full scale is -3 dB). */
export function frameLevels(samples: Float32Array, from = 0, to = samples.length): Float32Array {
  const start = Math.max(0, from);
  const end = Math.min(samples.length, to);
  const frames = Math.max(0, Math.ceil((end - start) / FRAME_SAMPLES));
  const levels = new Float32Array(frames);
  for (let f = 0; f < frames; f += 1) {
    const a = start + f * FRAME_SAMPLES;
    const b = Math.min(end, a + FRAME_SAMPLES);
    let sum = 0;
    for (let i = a; i < b; i += 1) sum += samples[i]! * samples[i]!;
    const meanSquare = sum / Math.max(1, b - a);
    levels[f] = Math.max(FLOOR_DB, 10 * Math.log10(meanSquare + 1e-12));
  }
  return levels;
}

/** What the hallucination guard needs to know about the audio under a piece of text. */
export interface AudioStats {
  readonly durationMs: number;
  /** The loudest 20 ms frame, dBFS. */
  readonly peakDb: number;
  /** The 90th-percentile frame: robust against a single click. */
  readonly loudDb: number;
  /**
   * How much the level moves from frame to frame (dB, mean absolute change between neighbouring
   * frames). Speech rises and falls with its syllables several times a second; fans, hum and hiss
   * stay level.
   */
  readonly modulationDb: number;
}

export function audioStats(samples: Float32Array, from = 0, to = samples.length): AudioStats {
  const levels = frameLevels(samples, from, to);
  const durationMs = Math.max(0, Math.round((Math.min(samples.length, to) - Math.max(0, from)) / SAMPLES_PER_MS));
  if (levels.length === 0) return { durationMs, peakDb: FLOOR_DB, loudDb: FLOOR_DB, modulationDb: 0 };
  const sorted = Float32Array.from(levels).sort();
  let change = 0;
  for (let f = 1; f < levels.length; f += 1) change += Math.abs(levels[f]! - levels[f - 1]!);
  return {
    durationMs,
    peakDb: sorted[sorted.length - 1]!,
    loudDb: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))]!,
    modulationDb: levels.length > 1 ? change / (levels.length - 1) : 0,
  };
}

export interface SampleWindow {
  readonly start: number;
  readonly end: number;
}

/**
 * Cuts audio into windows of at most `maxSamples`, each cut placed at the quietest frame of the
 * window's last `searchSamples` (a pause, when there is one), so no word is cut in two if it can
 * be helped. Whisper reads 30 s at a time; an upload has a size limit.
 */
export function splitAtPauses(
  samples: Float32Array,
  maxSamples: number,
  searchSamples = Math.min(5 * 16_000, Math.floor(maxSamples / 3)),
): SampleWindow[] {
  const windows: SampleWindow[] = [];
  let start = 0;
  while (samples.length - start > maxSamples) {
    const limit = start + maxSamples;
    const from = Math.max(start + FRAME_SAMPLES, limit - searchSamples);
    const levels = frameLevels(samples, from, limit);
    let quietest = levels.length - 1;
    for (let f = levels.length - 1; f >= 0; f -= 1) if (levels[f]! < levels[quietest]!) quietest = f;
    // The middle of the quietest (whole) frame; never past the limit.
    const cut = Math.min(limit, from + quietest * FRAME_SAMPLES + Math.floor(FRAME_SAMPLES / 2));
    windows.push({ start, end: cut });
    start = cut;
  }
  if (samples.length > start || windows.length === 0) windows.push({ start, end: samples.length });
  return windows;
}
