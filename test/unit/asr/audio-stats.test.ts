import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { audioStats, splitAtPauses, toFloat32 } from '../../../main/asr/audio-stats.js';
import { speechLike, whiteNoise } from '../../helpers/asr-harness.js';

describe('audio statistics for the hallucination guard', () => {
  test('silence, steady noise and speech-like sound are told apart by level and modulation', () => {
    const silent = audioStats(new Float32Array(16_000));
    assert.ok(silent.peakDb <= -89);
    const noise = audioStats(toFloat32(whiteNoise(2)));
    assert.ok(noise.loudDb > -30, `noise level ${noise.loudDb}`);
    assert.ok(noise.modulationDb < 1, `noise modulation ${noise.modulationDb}`);
    const speech = audioStats(toFloat32(speechLike(2)));
    assert.ok(speech.modulationDb > 2, `speech modulation ${speech.modulationDb}`);
    assert.equal(speech.durationMs, 2_000);
  });

  test('a sub-range is measured on its own', () => {
    const samples = new Float32Array(32_000);
    samples.set(toFloat32(speechLike(1)), 16_000);
    assert.ok(audioStats(samples, 0, 16_000).peakDb < -80);
    assert.ok(audioStats(samples, 16_000, 32_000).peakDb > -30);
  });
});

describe('cutting long audio at pauses', () => {
  test('windows cover every sample once, none longer than the limit, cut in the pause', () => {
    const samples = toFloat32(speechLike(70));
    samples.fill(0, 26 * 16_000, 27 * 16_000);
    const windows = splitAtPauses(samples, 29.5 * 16_000);
    assert.equal(windows[0]!.start, 0);
    assert.equal(windows.at(-1)!.end, samples.length);
    windows.forEach((w, i) => {
      assert.ok(w.end - w.start <= 29.5 * 16_000);
      if (i > 0) assert.equal(w.start, windows[i - 1]!.end);
    });
    assert.ok(windows[0]!.end >= 26 * 16_000 && windows[0]!.end <= 27 * 16_000, `first cut at ${windows[0]!.end / 16_000} s`);
  });

  test('short audio is one window', () => {
    assert.deepEqual(splitAtPauses(new Float32Array(100), 1_000), [{ start: 0, end: 100 }]);
    assert.deepEqual(splitAtPauses(new Float32Array(0), 1_000), [{ start: 0, end: 0 }]);
  });
});
