/**
 * Streaming band-limited resampler: polyphase windowed-sinc (Kaiser window), which low-passes at
 * the lower of the two Nyquist frequencies before decimating, so 44.1/48 kHz sources do not alias
 * into the 16 kHz recording. Exact rational stepping (no drift over hours); phases are tabulated, at
 * most MAX_PHASES of them (for unusual rate pairs the nearest phase is used, a timing error under
 * 1/1024 of a sample). Each phase's taps sum to one, so DC and level are kept.
 *
 * The one resampler of the app: the renderer's AudioWorklet brings the microphone to 16 kHz with it
 * (a render quantum at a time, never flushed), and an imported file is brought to 16 kHz with it
 * (flushed at the end, so the length is exact).
 */
export interface ResamplerOptions {
  /** Sinc zero crossings on each side of the centre: filter length, i.e. sharpness. */
  readonly zeroCrossings?: number;
  /** Passband edge as a fraction of the output Nyquist frequency. */
  readonly rolloff?: number;
  /** Kaiser window beta: stopband attenuation (7 gives about 70 dB). */
  readonly kaiserBeta?: number;
}

const MAX_PHASES = 1024;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Zeroth-order modified Bessel function of the first kind, by its series. */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k += 1) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

export class Resampler {
  readonly inRate: number;
  readonly outRate: number;
  private readonly step: number;
  private readonly phases: number;
  private readonly tablePhases: number;
  private readonly halfTaps: number;
  private readonly table: Float32Array;
  /** Input samples kept, the first of which is input index `bufferStart`. */
  private buffer: Float32Array;
  private bufferStart: number;
  /** Next output sample sits at input position `index + frac / phases`. */
  private index = 0;
  private frac = 0;
  private consumed = 0;
  private produced = 0;

  constructor(inRate: number, outRate: number, options: ResamplerOptions = {}) {
    if (!Number.isInteger(inRate) || !Number.isInteger(outRate) || inRate <= 0 || outRate <= 0)
      throw new RangeError('sample rates must be positive integers');
    this.inRate = inRate;
    this.outRate = outRate;
    const g = gcd(inRate, outRate);
    this.phases = outRate / g;
    this.step = inRate / g;
    this.tablePhases = Math.min(this.phases, MAX_PHASES);
    // Defaults: the transition band lies between about 0.81 and 0.99 of the lower Nyquist frequency
    // (6.5 to 7.9 kHz for a 16 kHz output), so nothing above it folds back into speech.
    const zeroCrossings = options.zeroCrossings ?? 24;
    const rolloff = options.rolloff ?? 0.9;
    const beta = options.kaiserBeta ?? 7;
    // Cutoff relative to the input's Nyquist frequency: below 1 when decimating.
    const cutoff = Math.min(1, outRate / inRate) * rolloff;
    const halfWidth = zeroCrossings / cutoff;
    this.halfTaps = Math.ceil(halfWidth);
    const taps = 2 * this.halfTaps;
    this.table = new Float32Array(this.tablePhases * taps);
    const i0Beta = besselI0(beta);
    for (let p = 0; p < this.tablePhases; p += 1) {
      const offset = p / this.tablePhases;
      let sum = 0;
      for (let t = 0; t < taps; t += 1) {
        // Tap t weighs input index (centre - halfTaps + 1 + t), at distance d from the output position.
        const d = t - this.halfTaps + 1 - offset;
        const x = d / halfWidth;
        let h = 0;
        if (Math.abs(x) < 1) {
          const sinc = d === 0 ? 1 : Math.sin(Math.PI * cutoff * d) / (Math.PI * cutoff * d);
          h = cutoff * sinc * (besselI0(beta * Math.sqrt(1 - x * x)) / i0Beta);
        }
        this.table[p * taps + t] = h;
        sum += h;
      }
      for (let t = 0; t < taps; t += 1) this.table[p * taps + t]! /= sum;
    }
    // Silence before the first sample, so the first outputs have their left-hand context.
    this.buffer = new Float32Array(this.halfTaps);
    this.bufferStart = -this.halfTaps;
  }

  /** Resamples the next block of input; returns what can be computed so far. */
  process(input: Float32Array): Float32Array {
    this.consumed += input.length;
    return this.run(input, false);
  }

  /** No more input: returns the remaining output, so the total is round(inputs × out / in). */
  flush(): Float32Array {
    return this.run(new Float32Array(this.halfTaps + 2), true);
  }

  private run(input: Float32Array, final: boolean): Float32Array {
    const joined = new Float32Array(this.buffer.length + input.length);
    joined.set(this.buffer);
    joined.set(input, this.buffer.length);
    const available = this.bufferStart + joined.length;
    const limit = final ? Math.round((this.consumed * this.outRate) / this.inRate) : Number.POSITIVE_INFINITY;
    const out: number[] = [];
    const taps = 2 * this.halfTaps;
    const { table, step, phases, tablePhases } = this;
    while (this.produced < limit) {
      let centre = this.index;
      let phase = tablePhases === phases ? this.frac : Math.round((this.frac * tablePhases) / phases);
      if (phase === tablePhases) {
        phase = 0;
        centre += 1;
      }
      const first = centre - this.halfTaps + 1;
      if (first + taps > available) break;
      const base = first - this.bufferStart;
      const row = phase * taps;
      let acc = 0;
      for (let t = 0; t < taps; t += 1) acc += joined[base + t]! * table[row + t]!;
      out.push(acc);
      this.produced += 1;
      this.frac += step;
      this.index += Math.floor(this.frac / phases);
      this.frac %= phases;
    }
    // Keep only what later outputs can still reach.
    const keepFrom = Math.min(this.index - this.halfTaps, available);
    const drop = Math.max(0, keepFrom - this.bufferStart);
    this.buffer = joined.slice(drop);
    this.bufferStart += drop;
    return Float32Array.from(out);
  }
}
