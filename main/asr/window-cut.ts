import { SAMPLES_PER_MS } from '../../shared/domain/capture.js';
import { frameLevels, FRAME_SAMPLES, toFloat32 } from './audio-stats.js';

/** Without a voice-activity detector the audio is cut into windows Whisper can read whole. */
export const WINDOW_MS = 29_500;
/** Where a window ends without a detector: the quietest moment of its last seconds. */
const WINDOW_SEARCH_MS = 5_000;

/**
 * Shortens a window of audio starting at `fromMs` so it ends in the middle of the quietest 20 ms
 * frame of its last five seconds: a word is not cut in two between windows.
 */
export function cutAtQuietest(pcm: Int16Array, fromMs: number): { pcm: Int16Array; toMs: number } {
  const samples = toFloat32(pcm);
  const searchFrom = Math.max(0, samples.length - WINDOW_SEARCH_MS * SAMPLES_PER_MS);
  const levels = frameLevels(samples, searchFrom);
  let quietest = 0;
  for (let f = 1; f < levels.length; f += 1) if (levels[f]! < levels[quietest]!) quietest = f;
  const cut = Math.min(samples.length, searchFrom + quietest * FRAME_SAMPLES + FRAME_SAMPLES / 2);
  return { pcm: pcm.subarray(0, cut), toMs: fromMs + Math.round(cut / SAMPLES_PER_MS) };
}
