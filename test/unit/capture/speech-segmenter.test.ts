import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { SampleSpan } from '../../../main/capture/speech-segmenter.js';
import { SpeechSegmenter } from '../../../main/capture/speech-segmenter.js';

const W = 512; // samples per window at 16 kHz: 32 ms
const ms = (windows: number) => windows * 32;

/** Probabilities per window from a pattern of runs: [probability, windows]. */
function pattern(...runs: [number, number][]): number[] {
  return runs.flatMap(([p, n]) => Array.from({ length: n }, () => p));
}

function run(probabilities: readonly number[], segmenter = new SpeechSegmenter()): { spans: SampleSpan[]; emittedAt: number[] } {
  const spans: SampleSpan[] = [];
  const emittedAt: number[] = [];
  probabilities.forEach((p, i) => {
    for (const span of segmenter.push(p)) {
      spans.push(span);
      emittedAt.push(i);
    }
  });
  for (const span of segmenter.finish()) {
    spans.push(span);
    emittedAt.push(probabilities.length);
  }
  return { spans, emittedAt };
}

describe('speech segmenter', () => {
  test('finds speech between silences, padded, and emits each segment once the silence after it is long enough', () => {
    // 1 s silence, 1 s speech, 1 s silence, 0.64 s speech, 1 s silence.
    const probs = pattern([0.02, 31], [0.9, 31], [0.05, 31], [0.8, 20], [0.05, 31]);
    const { spans, emittedAt } = run(probs);
    assert.equal(spans.length, 2);
    const pad = 120 * 16;
    assert.deepEqual(spans[0], { startSample: 31 * W - pad, endSample: 62 * W + pad });
    assert.deepEqual(spans[1], { startSample: 93 * W - pad, endSample: 113 * W + pad });
    // Closed ~400 ms into the silence, long before the audio ended: usable while recording goes on.
    assert.ok(
      emittedAt[0]! >= 62 + Math.floor(400 / 32) && emittedAt[0]! <= 62 + Math.ceil(400 / 32) + 1,
      `closed at window ${emittedAt[0]}`,
    );
    assert.ok(emittedAt[1]! < probs.length);
  });

  test('does not end speech on a short pause, nor start it on a blip', () => {
    const probs = pattern([0.02, 20], [0.9, 20], [0.1, 6], [0.9, 20], [0.02, 20], [0.95, 3], [0.02, 40]);
    const { spans } = run(probs);
    // The 190 ms pause stays inside one segment; the 96 ms blip (< 250 ms) is no segment.
    assert.equal(spans.length, 1);
    assert.equal(spans[0]!.startSample, 20 * W - 120 * 16);
    assert.equal(spans[0]!.endSample, 66 * W + 120 * 16);
  });

  test('hysteresis: probabilities between the two thresholds continue speech but never start it', () => {
    const { spans: none } = run(pattern([0.4, 100]));
    assert.equal(none.length, 0);
    const { spans } = run(pattern([0.02, 10], [0.9, 10], [0.4, 30], [0.02, 30]));
    assert.equal(spans.length, 1);
    assert.equal(spans[0]!.endSample, 50 * W + 120 * 16);
  });

  test('closes speech still open when the audio ends, within the audio', () => {
    const segmenter = new SpeechSegmenter();
    const spans = [...pattern([0.02, 10], [0.9, 40]).flatMap((p) => segmenter.push(p)), ...segmenter.finish(50 * W - 100)];
    assert.deepEqual(spans, [{ startSample: 10 * W - 120 * 16, endSample: 50 * W - 100 }]);
  });

  test('splits speech longer than the maximum at its last pause', () => {
    // 20 s speech, a 160 ms pause (shorter than the 400 ms that ends speech), 20 s more speech.
    const probs = pattern([0.02, 5], [0.9, 625], [0.1, 5], [0.9, 625], [0.02, 30]);
    const { spans } = run(probs);
    assert.equal(spans.length, 2);
    const [first, second] = spans as [SampleSpan, SampleSpan];
    assert.equal(first.endSample, 630 * W + 120 * 16, 'the first part ends at the pause');
    assert.ok(second.startSample >= first.endSample, 'no overlap');
    for (const span of spans) assert.ok(span.endSample - span.startSample <= 30_000 * 16, 'no part longer than 30 s');
  });

  test('hard-cuts speech with no pause at the maximum length', () => {
    const { spans } = run(pattern([0.9, 2000]));
    assert.ok(spans.length >= 2);
    for (const span of spans) assert.ok(span.endSample - span.startSample <= 30_000 * 16 + 120 * 16);
    for (let i = 1; i < spans.length; i += 1) assert.ok(spans[i]!.startSample >= spans[i - 1]!.endSample);
  });

  test('segments are the same however the audio is split over time, and earlier ones never change', () => {
    const probs = pattern([0.02, 12], [0.9, 25], [0.05, 20], [0.7, 40], [0.1, 8], [0.9, 30], [0.02, 25]);
    const whole = run(probs).spans;
    // Streaming: after each window, what has been emitted so far is a prefix of the final list.
    const segmenter = new SpeechSegmenter();
    const seen: SampleSpan[] = [];
    for (const p of probs) {
      seen.push(...segmenter.push(p));
      assert.deepEqual(seen, whole.slice(0, seen.length));
    }
    seen.push(...segmenter.finish());
    assert.deepEqual(seen, whole);
  });

  test('a restarted segmenter never overlaps the segments stored before the restart', () => {
    // Resumed at 3 s, where the last stored segment ended; speech starts right away.
    const from = ms(94) * 16;
    const segmenter = new SpeechSegmenter({}, from, from);
    const spans = [...pattern([0.9, 20], [0.02, 20]).flatMap((p) => segmenter.push(p)), ...segmenter.finish()];
    assert.equal(spans.length, 1);
    assert.equal(spans[0]!.startSample, from, 'padding stops at the previous segment');
  });

  test('a segment never starts before the audio', () => {
    const { spans } = run(pattern([0.9, 20], [0.02, 20]));
    assert.equal(spans[0]!.startSample, 0);
  });
});
