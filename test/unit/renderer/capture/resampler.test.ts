import assert from 'node:assert/strict';
import { test } from 'vitest';
import { downmix, rms } from '../../../../renderer/src/capture/mono.js';
import { floatToInt16 } from '../../../../shared/audio/pcm.js';
import { Resampler } from '../../../../shared/audio/resampler.js';

const tone = (hz: number, rate: number, seconds: number) =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / rate));

function resampleInBlocks(input: Float32Array, rate: number, block = 128): Float32Array {
  const r = new Resampler(rate, 16_000);
  const parts: Float32Array[] = [];
  for (let i = 0; i < input.length; i += block) parts.push(r.process(input.subarray(i, i + block)));
  return Float32Array.from(parts.flatMap((p) => [...p]));
}

for (const rate of [44_100, 48_000]) {
  test(`${rate} Hz → 16 kHz keeps duration and passes speech-band tones`, () => {
    const out = resampleInBlocks(tone(440, rate, 2), rate);
    assert.ok(Math.abs(out.length - 32_000) <= 30, `length ${out.length}`);
    const middle = out.subarray(4000, 28_000);
    assert.ok(Math.abs(rms(middle) - 0.5 / Math.SQRT2) < 0.01, `440 Hz passes (rms ${rms(middle)})`);
  });

  test(`${rate} Hz → 16 kHz removes tones above 8 kHz instead of aliasing them`, () => {
    const out = resampleInBlocks(tone(12_000, rate, 1), rate);
    assert.ok(rms(out.subarray(2000, 14_000)) < 0.01, `12 kHz is filtered (rms ${rms(out.subarray(2000, 14_000))})`);
  });
}

test('block size does not change the output', () => {
  const input = tone(1000, 48_000, 0.5);
  const a = resampleInBlocks(input, 48_000, 128);
  const b = resampleInBlocks(input, 48_000, 1000);
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i += 1) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-6);
});

test('downmix averages channels and Int16 conversion clamps', () => {
  assert.deepEqual([...downmix([Float32Array.of(1, 0), Float32Array.of(0, 0.5)])], [0.5, 0.25]);
  assert.deepEqual([...floatToInt16(Float32Array.of(-2, -1, 0, 1, 2))], [-32768, -32768, 0, 32767, 32767]);
});
