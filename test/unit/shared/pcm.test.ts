import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { floatToInt16, int16ToFloat } from '../../../shared/audio/pcm.js';

describe('16-bit PCM and floats', () => {
  test('full scale is 32768 each way, and every 16-bit value comes back as it was', () => {
    assert.deepEqual([...int16ToFloat(Int16Array.of(-32768, -16384, 0, 16384, 32767))], [-1, -0.5, 0, 0.5, 32767 / 32768]);
    const every = Int16Array.from({ length: 65_536 }, (_, i) => i - 32_768);
    assert.deepEqual(floatToInt16(int16ToFloat(every)), every);
  });

  test('floats beyond full scale clamp instead of wrapping', () => {
    assert.deepEqual([...floatToInt16(Float32Array.of(-2, -1, 0, 1, 2))], [-32768, -32768, 0, 32767, 32767]);
  });

  test('converts into a window of a larger buffer without touching the rest (the detector fills its window piece by piece)', () => {
    const window = new Float32Array(6).fill(9);
    int16ToFloat(Int16Array.of(16384, -16384), window.subarray(2, 4));
    assert.deepEqual([...window], [9, 9, 0.5, -0.5, 9, 9]);
  });
});
