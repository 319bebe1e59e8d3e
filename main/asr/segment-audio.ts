import type { VisitId } from '../../shared/ids.js';
import { pcmPages } from '../capture/audio-reader.js';
import { int16View, msToSamples } from '../capture/pcm.js';
import type { AudioRepository } from '../store/audio-repository.js';

/**
 * The stored (decrypted) samples of one stretch of a visit's audio, for an engine. Read a page of
 * chunks at a time through the capture module's reader; a speech segment is at most ~30 s (1 MB).
 */
export function readSpeech(audio: AudioRepository, visitId: VisitId, startMs: number, endMs: number): Int16Array {
  const fromSample = msToSamples(startMs);
  const toSample = msToSamples(endMs);
  const out = new Int16Array(Math.max(0, toSample - fromSample));
  let at = 0;
  for (const page of pcmPages(audio, visitId, { fromSample, toSample })) {
    const samples = int16View(page);
    out.set(samples.subarray(0, out.length - at), at);
    at += samples.length;
    if (at >= out.length) break;
  }
  return at >= out.length ? out : out.subarray(0, at);
}
