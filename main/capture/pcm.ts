import { SAMPLES_PER_MS } from '../../shared/domain/capture.js';

/** An Int16 view of little-endian PCM bytes, copying only when the bytes are not 2-byte aligned. */
export function int16View(bytes: Buffer | Uint8Array): Int16Array {
  if (bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1);
  const copy = new Uint8Array(bytes.byteLength & ~1);
  copy.set(bytes.subarray(0, copy.length));
  return new Int16Array(copy.buffer);
}

export const samplesToMs = (samples: number) => Math.floor(samples / SAMPLES_PER_MS);
export const msToSamples = (ms: number) => Math.round(ms * SAMPLES_PER_MS);
