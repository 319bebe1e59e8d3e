import { int16ToFloat } from '../../../shared/audio/pcm.js';

/** Base64 of 16-bit little-endian samples → floats in -1..1, for WebAudio. */
export function base64ToFloat32(base64: string): Float32Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length & ~1);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return int16ToFloat(new Int16Array(bytes.buffer));
}
