import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { Resampler } from '../../../shared/audio/resampler.js';

function tone(hz: number, rate: number, seconds: number, phase = 0): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i += 1) out[i] = 0.5 * Math.sin((2 * Math.PI * hz * i) / rate + phase);
  return out;
}

function resample(input: Float32Array, inRate: number, outRate: number, block = 4096): Float32Array {
  const r = new Resampler(inRate, outRate);
  const parts: Float32Array[] = [];
  for (let i = 0; i < input.length; i += block) parts.push(r.process(input.subarray(i, i + block)));
  parts.push(r.flush());
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** RMS away from the edges, where the filter has only half its input. */
function rms(x: Float32Array, edge = 1000): number {
  let sum = 0;
  for (let i = edge; i < x.length - edge; i += 1) sum += x[i]! * x[i]!;
  return Math.sqrt(sum / (x.length - 2 * edge));
}

const dB = (ratio: number) => 20 * Math.log10(ratio);

describe('resampler', () => {
  for (const inRate of [8_000, 11_025, 22_050, 32_000, 44_100, 48_000, 96_000]) {
    test(`${inRate} Hz → 16 kHz: exact length, speech band kept at unit gain`, () => {
      const input = tone(1000, inRate, 2);
      const out = resample(input, inRate, 16_000);
      assert.equal(out.length, 32_000);
      assert.ok(Math.abs(dB(rms(out) / rms(input, 0))) < 0.05, `gain ${dB(rms(out) / rms(input, 0)).toFixed(3)} dB`);
    });
  }

  test('removes what would alias: a 10 kHz tone at 44.1 kHz does not fold back to 6 kHz', () => {
    const input = tone(10_000, 44_100, 2);
    assert.ok(dB(rms(resample(input, 44_100, 16_000)) / rms(input, 0)) < -60);
  });

  test('removes tones just above the new Nyquist frequency (8.5 kHz at 48 kHz)', () => {
    const input = tone(8_500, 48_000, 2);
    assert.ok(dB(rms(resample(input, 48_000, 16_000)) / rms(input, 0)) < -60);
  });

  test('keeps the timing: a resampled tone lines up with the same tone made at 16 kHz', () => {
    const phase = 0.3;
    const out = resample(tone(440, 44_100, 1, phase), 44_100, 16_000);
    const reference = tone(440, 16_000, 1, phase);
    let err = 0;
    for (let i = 1000; i < 15_000; i += 1) err = Math.max(err, Math.abs(out[i]! - reference[i]!));
    assert.ok(err < 0.002, `largest difference ${err}`);
  });

  test('the output does not depend on how the input is split into blocks', () => {
    const input = tone(700, 44_100, 1);
    const one = resample(input, 44_100, 16_000, input.length);
    const many = resample(input, 44_100, 16_000, 333);
    assert.equal(many.length, one.length);
    for (let i = 0; i < one.length; i += 1) assert.ok(Math.abs(one[i]! - many[i]!) < 1e-6);
  });

  test('handles an unusual rate pair (44,056 Hz) without drift over a long stream', () => {
    const seconds = 30;
    const out = resample(tone(1000, 44_056, seconds), 44_056, 16_000, 10_000);
    assert.equal(out.length, 16_000 * seconds);
    const reference = tone(1000, 16_000, seconds);
    let err = 0;
    for (let i = out.length - 16_000; i < out.length - 1000; i += 1) err = Math.max(err, Math.abs(out[i]! - reference[i]!));
    assert.ok(err < 0.01, `largest difference at the end ${err}`);
  });
});

describe('one resampler for both callers', () => {
  for (const inRate of [44_100, 48_000, 22_050]) {
    test(`${inRate} Hz, as the worklet streams it (128-sample render quanta, never flushed): the same samples as an import, under 2 ms behind`, () => {
      const input = tone(1000, inRate, 1.5);
      const imported = resample(input, inRate, 16_000, 65_536);
      const live = new Resampler(inRate, 16_000);
      const parts: Float32Array[] = [];
      for (let i = 0; i < input.length; i += 128) parts.push(live.process(input.subarray(i, i + 128)));
      const streamed = Float32Array.from(parts.flatMap((p) => [...p]));
      assert.equal(imported.length, 24_000);
      assert.ok(imported.length - streamed.length <= 32, `${imported.length - streamed.length} samples held back`);
      for (let i = 0; i < streamed.length; i += 1) assert.ok(Math.abs(streamed[i]! - imported[i]!) < 1e-6, `sample ${i}`);
      assert.ok(Math.abs(dB(rms(streamed) / rms(input, 0))) < 0.05);
    });
  }
});
