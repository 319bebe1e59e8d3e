import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { AudioStats } from '../../../main/asr/audio-stats.js';
import { audioStats, toFloat32 } from '../../../main/asr/audio-stats.js';
import type { RecognizedSegment } from '../../../main/asr/engine.js';
import { collapseLoops, createHallucinationGuard, normalizeLine, stripNonSpeech } from '../../../main/asr/hallucination-guard.js';
import { speechLike, whiteNoise } from '../../helpers/asr-harness.js';

const speech = (seconds: number): AudioStats => audioStats(toFloat32(speechLike(seconds)));
const silence = (seconds: number): AudioStats => audioStats(new Float32Array(seconds * 16_000));
const noise = (seconds: number): AudioStats => audioStats(toFloat32(whiteNoise(seconds)));
const piece = (text: string, extra: Partial<RecognizedSegment> = {}): RecognizedSegment => ({
  inputId: 'a0',
  startMs: 0,
  endMs: 2_000,
  text,
  confidence: 0.9,
  avgLogprob: -0.1,
  noSpeechProb: 0.02,
  ...extra,
});

describe('hallucination guard', () => {
  test('text over silence is dropped, however confident the engine was', () => {
    const guard = createHallucinationGuard();
    assert.deepEqual(guard.check(piece('The patient denies chest pain.'), silence(3)), { keep: false, reason: 'silence' });
  });

  test('text over steady noise is dropped', () => {
    const guard = createHallucinationGuard();
    assert.deepEqual(guard.check(piece("I'm going to go ahead and start."), noise(3)), { keep: false, reason: 'noise' });
  });

  test("Whisper's own no-speech rule: likely no speech and unlikely tokens", () => {
    const guard = createHallucinationGuard();
    assert.deepEqual(guard.check(piece('So.', { noSpeechProb: 0.8, avgLogprob: -1.4 }), speech(1)), { keep: false, reason: 'no_speech' });
    assert.equal(guard.check(piece('So, any questions?', { noSpeechProb: 0.8, avgLogprob: -0.3 }), speech(2)).keep, true);
  });

  test('subtitle closers are dropped over sound longer than they take to say, or when the engine was unsure', () => {
    const guard = createHallucinationGuard();
    assert.deepEqual(guard.check(piece(' Thank you.'), speech(12)), { keep: false, reason: 'stock_phrase' });
    assert.deepEqual(
      guard.check(piece('Thanks for watching!'), speech(2)),
      { keep: false, reason: 'stock_phrase' },
      'never said in a clinic',
    );
    assert.deepEqual(guard.check(piece('Thank you.', { avgLogprob: -0.9 }), speech(1.5)), { keep: false, reason: 'stock_phrase' });
    // A patient really saying it, clearly, in about the time it takes: kept.
    assert.equal(guard.check(piece('Thank you.'), speech(1.5)).keep, true);
  });

  test('a repeated line (three words or more) is dropped; short answers may repeat', () => {
    const guard = createHallucinationGuard();
    assert.equal(guard.check(piece('I have been coughing at night.'), speech(2)).keep, true);
    assert.deepEqual(guard.check(piece('I have been coughing at night!'), speech(2)), { keep: false, reason: 'repeated_line' });
    assert.equal(guard.check(piece('Yes.'), speech(1)).keep, true);
    assert.equal(guard.check(piece('Yes.'), speech(1)).keep, true);
  });

  test('a line already in the transcript (after a restart) counts as recent', () => {
    const guard = createHallucinationGuard();
    guard.remember('Take two tablets every morning.');
    assert.deepEqual(guard.check(piece('take two tablets every morning'), speech(2)), { keep: false, reason: 'repeated_line' });
  });

  test('a phrase repeated many times in one segment is kept once, with less confidence', () => {
    const guard = createHallucinationGuard();
    const verdict = guard.check(
      piece('I am not sure. I am not sure. I am not sure. I am not sure. I am not sure.', { hitTokenLimit: true }),
      speech(3),
    );
    assert.deepEqual(verdict, { keep: true, text: 'I am not sure.', confidence: 0.45, looped: true });
    // A looped subtitle closer is dropped.
    assert.deepEqual(guard.check(piece('Thank you. Thank you. Thank you. Thank you.'), speech(1.5)), {
      keep: false,
      reason: 'stock_phrase',
    });
  });

  test('non-speech tags are removed, and nothing left means nothing said', () => {
    const guard = createHallucinationGuard();
    assert.deepEqual(guard.check(piece('[BLANK_AUDIO]'), speech(2)), { keep: false, reason: 'non_speech' });
    assert.deepEqual(guard.check(piece('(upbeat music) ♪ la la ♪'), speech(2)), { keep: false, reason: 'non_speech' });
    const kept = guard.check(piece('(coughs) It started on Monday.'), speech(2));
    assert.ok(kept.keep && kept.text === 'It started on Monday.');
  });

  test('more words than anyone can say in the time are dropped', () => {
    const guard = createHallucinationGuard();
    const many = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    assert.deepEqual(guard.check(piece(many, { startMs: 0, endMs: 1_500 }), speech(1.5)), { keep: false, reason: 'implausible_rate' });
  });
});

describe('text helpers', () => {
  test('normalised lines ignore case and punctuation', () => {
    assert.equal(normalizeLine('  Thank you, Doctor!  '), 'thank you doctor');
    assert.equal(normalizeLine("It's   fine…"), "it's fine");
  });

  test('loops collapse to one copy; genuine short repetitions stay', () => {
    assert.deepEqual(collapseLoops('no no no'), { text: 'no no no', looped: false });
    assert.deepEqual(collapseLoops('okay okay okay okay okay'), { text: 'okay', looped: true });
    assert.deepEqual(collapseLoops('It hurts here. It hurts here. It hurts here. And here.'), {
      text: 'It hurts here. And here.',
      looped: true,
    });
  });

  test('stripping non-speech keeps words in ordinary parentheses', () => {
    assert.equal(stripNonSpeech('Take it (with food) daily.'), 'Take it (with food) daily.');
    assert.equal(stripNonSpeech('[Music] Hello *sighs* there'), 'Hello there');
  });
});
