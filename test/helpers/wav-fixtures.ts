import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export type WavEncoding = 'pcm16' | 'pcm24' | 'float32';

export interface WavSpec {
  readonly sampleRate: number;
  readonly channels: number;
  readonly encoding: WavEncoding;
}

const bytesPer: Record<WavEncoding, number> = { pcm16: 2, pcm24: 3, float32: 4 };

/** A canonical WAV header (PCM or IEEE float) for `frames` frames. */
export function wavHeaderFor(spec: WavSpec, frames: number): Buffer {
  const width = bytesPer[spec.encoding];
  const dataBytes = frames * width * spec.channels;
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(spec.encoding === 'float32' ? 3 : 1, 20);
  h.writeUInt16LE(spec.channels, 22);
  h.writeUInt32LE(spec.sampleRate, 24);
  h.writeUInt32LE(spec.sampleRate * width * spec.channels, 28);
  h.writeUInt16LE(width * spec.channels, 32);
  h.writeUInt16LE(width * 8, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

function encode(value: number, encoding: WavEncoding, out: Buffer, offset: number): void {
  const v = Math.max(-1, Math.min(1, value));
  if (encoding === 'float32') out.writeFloatLE(v, offset);
  else if (encoding === 'pcm16') out.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(v * 32768))), offset);
  else out.writeIntLE(Math.max(-8388608, Math.min(8388607, Math.round(v * 8388608))), offset, 3);
}

/** Writes a WAV file block by block (an hour of audio never sits in memory). `sample(i, channel)` in [-1, 1]. */
export async function writeWav(file: string, spec: WavSpec, frames: number, sample: (i: number, channel: number) => number): Promise<void> {
  const out = createWriteStream(file);
  out.write(wavHeaderFor(spec, frames));
  const width = bytesPer[spec.encoding];
  const blockFrames = 16_384;
  for (let start = 0; start < frames; start += blockFrames) {
    const n = Math.min(blockFrames, frames - start);
    const block = Buffer.alloc(n * width * spec.channels);
    if (spec.encoding === 'pcm16') {
      const view = new Int16Array(block.buffer, block.byteOffset, n * spec.channels);
      for (let i = 0; i < n; i += 1) {
        for (let c = 0; c < spec.channels; c += 1)
          view[i * spec.channels + c] = Math.max(-32768, Math.min(32767, Math.round(sample(start + i, c) * 32768)));
      }
    } else {
      for (let i = 0; i < n; i += 1) {
        for (let c = 0; c < spec.channels; c += 1) encode(sample(start + i, c), spec.encoding, block, (i * spec.channels + c) * width);
      }
    }
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * A deterministic signal that looks like nothing else in a database file: tones plus seeded noise,
 * never silent, so any 32-byte run of it is distinctive.
 */
export function distinctiveSample(i: number, rate = 16_000): number {
  let x = (i * 2654435761) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 2246822519) >>> 0;
  x ^= x >>> 13;
  const noise = (x / 0xffffffff - 0.5) * 0.2;
  return 0.3 * Math.sin((2 * Math.PI * 220 * i) / rate) + 0.2 * Math.sin((2 * Math.PI * 1230 * i) / rate) + noise;
}

/** A prime period (about 6.25 s at 16 kHz): long files repeat it, so writing an hour costs a fraction of a second. */
export const DISTINCTIVE_PERIOD = 100_003;
let period: Buffer | undefined;

/** `distinctiveSample` as 16-bit PCM bytes, one period. */
export function distinctivePeriod(): Buffer {
  if (!period) {
    period = Buffer.alloc(DISTINCTIVE_PERIOD * 2);
    for (let i = 0; i < DISTINCTIVE_PERIOD; i += 1) period.writeInt16LE(Math.round(distinctiveSample(i) * 32767), i * 2);
  }
  return period;
}

/** A 16 kHz mono 16-bit WAV of `frames` samples of the repeating distinctive signal, written in streaming fashion. */
export async function writeDistinctiveWav(file: string, frames: number): Promise<void> {
  const out = createWriteStream(file);
  out.write(wavHeaderFor({ sampleRate: 16_000, channels: 1, encoding: 'pcm16' }, frames));
  const source = distinctivePeriod();
  for (let written = 0; written < frames;) {
    const at = written % DISTINCTIVE_PERIOD;
    const n = Math.min(DISTINCTIVE_PERIOD - at, frames - written);
    if (!out.write(source.subarray(at * 2, (at + n) * 2))) await once(out, 'drain');
    written += n;
  }
  out.end();
  await once(out, 'finish');
}

/** 16 kHz mono Int16 frames of `distinctiveSample`, as the renderer would send them. */
export function distinctiveFrame(seq: number, samplesPerFrame = 1600): Buffer {
  const frame = Buffer.alloc(samplesPerFrame * 2);
  for (let k = 0; k < samplesPerFrame; k += 1) {
    frame.writeInt16LE(Math.round(distinctiveSample(seq * samplesPerFrame + k) * 32767), k * 2);
  }
  return frame;
}

export const espeakAvailable = spawnSync('espeak-ng', ['--version'], { encoding: 'utf8' }).status === 0;
export const ESPEAK_MISSING = 'espeak-ng is not installed (apt-get install espeak-ng); speech fixtures cannot be made.';

/** Speech from espeak-ng as a WAV (22,050 Hz mono 16-bit). */
export function espeak(file: string, text: string, options: { wordsPerMinute?: number } = {}): void {
  const result = spawnSync('espeak-ng', ['-w', file, '-s', String(options.wordsPerMinute ?? 160), text], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`espeak-ng failed: ${result.stderr}`);
}

/** Reads a 16-bit PCM WAV that we wrote (44-byte header) into its samples. */
export function pcm16Samples(wav: Buffer): Int16Array {
  const dataOffset = wav.indexOf('data', 12, 'latin1') + 8;
  const copy = Buffer.from(wav.subarray(dataOffset));
  return new Int16Array(copy.buffer, copy.byteOffset, copy.length >> 1);
}
