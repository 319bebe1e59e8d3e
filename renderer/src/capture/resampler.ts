/**
 * Streaming windowed-sinc resampler (Blackman window) from the device rate to 16 kHz. The low-pass
 * cutoff sits just below the output's Nyquist frequency, so the 44.1/48 kHz microphone signal does
 * not alias into the band Whisper listens to. Pure code: it runs in the AudioWorklet and in Node tests.
 */
export class StreamingResampler {
  private pending: Float32Array;
  private time: number;
  private readonly step: number;
  private readonly cutoff: number;

  constructor(
    readonly inputRate: number,
    readonly outputRate = 16_000,
    private readonly halfTaps = 24,
  ) {
    if (!(inputRate > 0) || !(outputRate > 0)) throw new RangeError('Sample rates must be positive.');
    this.step = inputRate / outputRate;
    // Normalised to the input's Nyquist frequency; 0.9 leaves room for the window's transition band.
    this.cutoff = Math.min(1, outputRate / inputRate) * 0.9;
    // Leading zeros so the first output sample is centred on the first input sample.
    this.pending = new Float32Array(halfTaps);
    this.time = halfTaps;
  }

  private kernel(x: number): number {
    if (Math.abs(x) >= this.halfTaps) return 0;
    const u = this.cutoff * x;
    const sinc = u === 0 ? 1 : Math.sin(Math.PI * u) / (Math.PI * u);
    const w = 0.42 + 0.5 * Math.cos((Math.PI * x) / this.halfTaps) + 0.08 * Math.cos((2 * Math.PI * x) / this.halfTaps);
    return this.cutoff * sinc * w;
  }

  push(input: Float32Array): Float32Array {
    const joined = new Float32Array(this.pending.length + input.length);
    joined.set(this.pending);
    joined.set(input, this.pending.length);
    const out: number[] = [];
    while (Math.floor(this.time) + this.halfTaps < joined.length) {
      const centre = Math.floor(this.time);
      let acc = 0;
      for (let j = centre - this.halfTaps + 1; j <= centre + this.halfTaps; j += 1) acc += joined[j]! * this.kernel(this.time - j);
      out.push(acc);
      this.time += this.step;
    }
    const keepFrom = Math.max(0, Math.floor(this.time) - this.halfTaps + 1);
    this.pending = joined.slice(keepFrom);
    this.time -= keepFrom;
    return Float32Array.from(out);
  }
}

/** Averages the channels of one render quantum into mono. */
export function downmix(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0]!;
  const mono = new Float32Array(channels[0]?.length ?? 0);
  for (const channel of channels) for (let i = 0; i < mono.length; i += 1) mono[i]! += channel[i]! / channels.length;
  return mono;
}

export function toInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i += 1) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    out[i] = s < 0 ? Math.round(s * 0x8000) : Math.round(s * 0x7fff);
  }
  return out;
}

/** Root-mean-square level of a block, 0..1, for the input meter and the silent-microphone warning. */
export function rms(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}
