import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  confidenceFrom,
  decoderPrefix,
  DecodeProbe,
  logSoftmaxAt,
  MAX_PROMPT_TOKENS,
  maxNewTokensFor,
  placeChunks,
} from '../../../main/asr/whisper-decode.js';

describe('placing decoded chunks on the visit timeline', () => {
  const window = { startMs: 10_000, endMs: 14_000 };

  test("chunk times (seconds in the window) are offset to the window's start", () => {
    assert.deepEqual(
      placeChunks(
        [
          { text: ' Hello there.', start: 0, end: 1.5 },
          { text: ' How are you?', start: 1.8, end: 3.02 },
        ],
        window,
      ),
      [
        { startMs: 10_000, endMs: 11_500, text: 'Hello there.' },
        { startMs: 11_800, endMs: 13_020, text: 'How are you?' },
      ],
    );
  });

  test('times beyond the audio (Whisper sees 30 s of padding) are clipped to the window', () => {
    assert.deepEqual(placeChunks([{ text: 'Late.', start: 3.5, end: 27 }], window), [{ startMs: 13_500, endMs: 14_000, text: 'Late.' }]);
    assert.deepEqual(placeChunks([{ text: 'Past the end.', start: 29, end: 30 }], window), [
      { startMs: 14_000, endMs: 14_000, text: 'Past the end.' },
    ]);
  });

  test('a missing end runs to the window end; a missing start follows the previous chunk; order is kept', () => {
    assert.deepEqual(
      placeChunks(
        [
          { text: 'One.', start: 0, end: 2 },
          { text: 'Two.', start: null, end: null },
        ],
        window,
      ),
      [
        { startMs: 10_000, endMs: 12_000, text: 'One.' },
        { startMs: 12_000, endMs: 14_000, text: 'Two.' },
      ],
    );
    // A chunk that claims to start before the previous one ended starts where it ended.
    assert.deepEqual(
      placeChunks(
        [
          { text: 'A.', start: 1, end: 3 },
          { text: 'B.', start: 2, end: 2.5 },
        ],
        window,
      ).map((p) => [p.startMs, p.endMs]),
      [
        [11_000, 13_000],
        [13_000, 13_000],
      ],
    );
  });

  test('empty chunks are skipped', () => {
    assert.deepEqual(placeChunks([{ text: '   ', start: 0, end: 1 }], window), []);
  });
});

describe('decoder prefix and token budget', () => {
  const tokens = { startOfTranscript: 50257, startOfPrevious: 50360, languageAndTask: [] };

  test('without a prompt: <|startoftranscript|> (and language/task for multilingual models)', () => {
    assert.deepEqual(decoderPrefix(tokens, []), { ids: [50257], promptLength: 0 });
    assert.deepEqual(decoderPrefix({ ...tokens, languageAndTask: [50259, 50360] }, []).ids, [50257, 50259, 50360]);
  });

  test('a prompt goes behind <|startofprev|>; only its last 223 tokens are kept', () => {
    const prompt = Array.from({ length: 300 }, (_, i) => i);
    const { ids, promptLength } = decoderPrefix(tokens, prompt);
    assert.equal(promptLength, MAX_PROMPT_TOKENS + 1);
    assert.equal(ids[0], 50360);
    assert.equal(ids[1], 300 - MAX_PROMPT_TOKENS);
    assert.equal(ids.at(-1), 50257);
  });

  test('the token budget follows the audio length, within bounds', () => {
    assert.equal(maxNewTokensFor(0.2), 16);
    assert.equal(maxNewTokensFor(10), 92);
    assert.equal(maxNewTokensFor(30), 220);
  });
});

describe('confidence from the decoder', () => {
  test('log-softmax', () => {
    const logits = Float32Array.of(1, 2, 3);
    const total = Math.exp(1) + Math.exp(2) + Math.exp(3);
    assert.ok(Math.abs(logSoftmaxAt(logits, 2) - Math.log(Math.exp(3) / total)) < 1e-6);
    assert.equal(logSoftmaxAt(Float32Array.of(-Infinity, -Infinity), 0), -Infinity);
  });

  test('the probe averages the chosen tokens after later processors filtered the same buffer, and reads no-speech from the raw first step', () => {
    const probe = new DecodeProbe(2);
    const step1 = Float32Array.of(0, 0, 0, 0); // no-speech probability 1/4 on raw logits
    probe.observe([7n], step1);
    step1[2] = -Infinity; // a later processor suppresses a token in place
    const step2 = Float32Array.of(5, 0, 0, 0);
    probe.observe([7n, 1n], step2); // token 1 was chosen at step 1
    probe.finish(0); // token 0 at step 2
    const expected = (Math.log(1 / 3) + logSoftmaxAt(step2, 0)) / 2;
    assert.ok(Math.abs(probe.avgLogprob! - expected) < 1e-6);
    assert.ok(Math.abs(probe.noSpeechProb! - 0.25) < 1e-6);
  });

  test('confidence is the geometric-mean token probability, in [0, 1]', () => {
    assert.equal(confidenceFrom(0), 1);
    assert.ok(Math.abs(confidenceFrom(Math.log(0.5))! - 0.5) < 1e-12);
    assert.equal(confidenceFrom(undefined), undefined);
    assert.equal(confidenceFrom(Number.NaN), undefined);
  });
});
