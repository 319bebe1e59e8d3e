import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cueScore } from '../../../main/asr/speaker-cues.js';
import { labelSpeakers } from '../../../main/asr/speaker-labeller.js';
import { aciBenchVisits, primock57Visits, scoreSpeakers } from '../../../bench/speaker-labelling.js';

const timed = (texts: string[], gapMs = 800) => texts.map((text, i) => ({ startMs: i * (2_000 + gapMs), endMs: i * (2_000 + gapMs) + 2_000, text }));

describe('speaker labelling', () => {
  test('cues: clinicians ask, examine and plan; patients report and answer', () => {
    for (const text of ['How long has this been going on?', "I'm going to order a chest x-ray.", 'Your blood pressure is a little high today.', 'Any questions for me?']) {
      assert.ok(cueScore(text) > 0, text);
    }
    for (const text of ["I've been having headaches for a week.", 'Yeah, a little.', 'My knee hurts when I climb stairs.', 'Thank you, doctor.']) {
      assert.ok(cueScore(text) < 0, text);
    }
  });

  test('a question and its answer go to different speakers; the clinician opens', () => {
    assert.deepEqual(
      labelSpeakers(timed(['Good morning, what brings you in today?', "I've had a sore throat since Sunday.", 'Any fever?', 'No, no fever.', "Let's take a look at your throat."])),
      ['clinician', 'patient', 'clinician', 'patient', 'clinician'],
    );
  });

  test('after a question the other speaker answers, even with no cue words in the answer', () => {
    const segments = [
      { startMs: 0, endMs: 1_500, text: 'Does it hurt when I press here?', group: 'a0' },
      { startMs: 2_500, endMs: 4_000, text: 'Mostly in the mornings.', group: 'a1' },
    ];
    assert.deepEqual(labelSpeakers(segments), ['clinician', 'patient']);
  });

  test('nothing in, nothing out', () => {
    assert.deepEqual(labelSpeakers([]), []);
  });

  const aci = aciBenchVisits('valid');
  test('ACI-Bench validation split: clearly better than labelling every segment with the visit\'s majority speaker', { skip: aci.length ? false : 'ACI-Bench is not in ../shared/corpora' }, () => {
    const score = scoreSpeakers(aci);
    assert.equal(score.visits, 20);
    assert.ok(score.segmentAccuracy >= 0.75, JSON.stringify(score));
    assert.ok(score.wordAccuracy >= 0.8, JSON.stringify(score));
    assert.ok(score.segmentAccuracy > score.majorityBaseline + 0.1, JSON.stringify(score));
  });

  const primock = primock57Visits().slice(20);
  test('PriMock57 consultations 21-40 (not used for tuning), with real turn timing', { skip: primock.length ? false : 'PriMock57 is not in ../shared/corpora' }, () => {
    const score = scoreSpeakers(primock);
    assert.ok(score.segmentAccuracy >= 0.77, JSON.stringify(score));
    assert.ok(score.wordAccuracy >= 0.85, JSON.stringify(score));
  });
});
