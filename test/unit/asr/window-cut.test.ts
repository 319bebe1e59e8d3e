import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { cutAtQuietest, WINDOW_MS } from '../../../main/asr/window-cut.js';

/** A loud tone everywhere except a quiet stretch of `quietMs` starting at `quietAtMs`. */
function toneWithPause(totalMs: number, quietAtMs: number, quietMs: number): Int16Array {
  return Int16Array.from({ length: totalMs * 16 }, (_, i) => {
    const ms = i / 16;
    return ms >= quietAtMs && ms < quietAtMs + quietMs ? 0 : Math.round(8_000 * Math.sin((2 * Math.PI * 200 * i) / 16_000));
  });
}

describe('cutting a window without a detector', () => {
  test('ends the window in the pause of its last five seconds, never in the middle of sound', () => {
    const pcm = toneWithPause(WINDOW_MS, 26_000, 200);
    const { pcm: cut, toMs } = cutAtQuietest(pcm, 10_000);
    const cutMs = cut.length / 16;
    assert.ok(cutMs >= 26_000 && cutMs < 26_200, `cut at ${cutMs} ms`);
    assert.equal(toMs, 10_000 + Math.round(cutMs));
  });

  test('a pause earlier than the last five seconds is not where it cuts', () => {
    const pcm = toneWithPause(WINDOW_MS, 10_000, 1_000);
    const cutMs = cutAtQuietest(pcm, 0).pcm.length / 16;
    assert.ok(cutMs >= WINDOW_MS - 5_000, `cut at ${cutMs} ms`);
  });
});
