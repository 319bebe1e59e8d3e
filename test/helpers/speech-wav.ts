/**
 * Spoken test audio made with espeak-ng (synthetic voices, never real patients), and the small
 * signal measures the capture tests compare recordings with.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

export const espeakMissing: string | undefined =
  spawnSync('espeak-ng', ['--version'], { stdio: 'ignore' }).status === 0
    ? undefined
    : 'espeak-ng is not installed (apt-get install espeak-ng)';

export interface MonoAudio {
  readonly sampleRate: number;
  readonly samples: Float32Array;
}

/** Reads a 16-bit PCM WAV (any rate, mono or stereo, downmixed) from a buffer. */
export function parseWav(bytes: Buffer): MonoAudio {
  if (bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WAVE') throw new Error('not a WAV file');
  let offset = 12;
  let channels = 1;
  let sampleRate = 0;
  let bits = 16;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('latin1', offset, offset + 4);
    let size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      channels = bytes.readUInt16LE(body + 2);
      sampleRate = bytes.readUInt32LE(body + 4);
      bits = bytes.readUInt16LE(body + 14);
    } else if (id === 'data') {
      if (bits !== 16) throw new Error(`expected 16-bit samples, got ${bits}`);
      // espeak-ng writes 0x7fffffff as the size when it streams; take what is there.
      if (size > bytes.length - body) size = bytes.length - body;
      const frames = Math.floor(size / (2 * channels));
      const samples = new Float32Array(frames);
      for (let i = 0; i < frames; i += 1) {
        let sum = 0;
        for (let c = 0; c < channels; c += 1) sum += bytes.readInt16LE(body + (i * channels + c) * 2);
        samples[i] = sum / channels / 32768;
      }
      return { sampleRate, samples };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('WAV file has no data chunk');
}

export function readWav(file: string): MonoAudio {
  return parseWav(readFileSync(file));
}

export function writeWav16(file: string, audio: MonoAudio): void {
  const data = Buffer.alloc(audio.samples.length * 2);
  for (let i = 0; i < audio.samples.length; i += 1)
    data.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(audio.samples[i]! * 32767))), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(audio.sampleRate, 24);
  header.writeUInt32LE(audio.sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  writeFileSync(file, Buffer.concat([header, data]));
}

/** One utterance from espeak-ng as samples (22 050 Hz mono). */
export function speak(text: string, voice = 'en-us', wordsPerMinute = 165): MonoAudio {
  const result = spawnSync('espeak-ng', ['-v', voice, '-s', String(wordsPerMinute), '--stdout', text], { maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`espeak-ng failed: ${result.stderr.toString()}`);
  return parseWav(result.stdout);
}

export interface DialogueLine {
  readonly speaker: 'clinician' | 'patient';
  readonly text: string;
}

export interface Dialogue {
  readonly audio: MonoAudio;
  readonly durationMs: number;
  /** Where each line sits in the audio: ready to import as a JSON transcript. */
  readonly segments: readonly { startMs: number; endMs: number; speaker: string; text: string }[];
}

/**
 * A dialogue as one WAV: a lead-in of silence (Chromium's fake microphone starts 20–60 ms late),
 * then each line in its speaker's voice with a short pause between lines.
 */
export function dialogue(lines: readonly DialogueLine[], options: { leadMs?: number; gapMs?: number; tailMs?: number } = {}): Dialogue {
  const leadMs = options.leadMs ?? 1000;
  const gapMs = options.gapMs ?? 250;
  const parts = lines.map((line) => ({ line, audio: speak(line.text, line.speaker === 'clinician' ? 'en-us' : 'en-us+f3') }));
  const rate = parts[0]?.audio.sampleRate ?? 22_050;
  const gap = Math.round((gapMs / 1000) * rate);
  const total =
    Math.round((leadMs / 1000) * rate) +
    parts.reduce((sum, p) => sum + p.audio.samples.length + gap, 0) -
    gap +
    Math.round(((options.tailMs ?? 0) / 1000) * rate);
  const samples = new Float32Array(total);
  let at = Math.round((leadMs / 1000) * rate);
  const segments = parts.map(({ line, audio }, index) => {
    samples.set(audio.samples, at);
    const startMs = Math.round((at / rate) * 1000);
    at += audio.samples.length;
    const endMs = Math.round((at / rate) * 1000);
    if (index < parts.length - 1) at += gap;
    return { startMs, endMs, speaker: line.speaker, text: line.text };
  });
  return { audio: { sampleRate: rate, samples }, durationMs: Math.round((total / rate) * 1000), segments };
}

/** RMS per window of `windowMs`. */
export function rmsEnvelope(audio: MonoAudio, windowMs = 50): number[] {
  const size = Math.round((audio.sampleRate * windowMs) / 1000);
  const out: number[] = [];
  for (let start = 0; start + size <= audio.samples.length; start += size) {
    let sum = 0;
    for (let i = start; i < start + size; i += 1) sum += audio.samples[i]! * audio.samples[i]!;
    out.push(Math.sqrt(sum / size));
  }
  return out;
}

export function pearson(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  if (n < 2) return 0;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i += 1) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i += 1) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    cov += da * db;
    va += da * da;
    vb += db * db;
  }
  return va === 0 || vb === 0 ? 0 : cov / Math.sqrt(va * vb);
}

/**
 * The best correlation of two envelopes over lags of 0..maxLag windows (the recording starts a
 * little after the source because the fake device starts late), and the lag it was found at.
 */
export function bestAlignedCorrelation(
  source: readonly number[],
  recorded: readonly number[],
  maxLag: number,
): { correlation: number; lag: number } {
  let best = { correlation: -1, lag: 0 };
  for (let lag = -maxLag; lag <= maxLag; lag += 1) {
    const a = lag >= 0 ? source : source.slice(-lag);
    const b = lag >= 0 ? recorded.slice(lag) : recorded;
    const n = Math.min(a.length, b.length);
    const correlation = pearson(a.slice(0, n), b.slice(0, n));
    if (correlation > best.correlation) best = { correlation, lag };
  }
  return best;
}
