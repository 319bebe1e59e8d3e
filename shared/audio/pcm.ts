/**
 * 16-bit PCM and floats in -1..1, as main (stored audio, engines, the detector) and the renderer
 * (the worklet's frames, playback) both convert them: full scale is 32768 each way, clamped.
 */

/** Int16 samples as floats, into `out` (which may be a view into a larger buffer). */
export function int16ToFloat(
  samples: Int16Array,
  out: Float32Array<ArrayBuffer> = new Float32Array(samples.length),
): Float32Array<ArrayBuffer> {
  for (let i = 0; i < samples.length; i += 1) out[i] = samples[i]! / 32768;
  return out;
}

export function floatToInt16(samples: Float32Array): Int16Array<ArrayBuffer> {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i += 1) {
    const v = Math.round(samples[i]! * 32768);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}
