import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { cueScore } from '../../../main/asr/speaker-cues.js';
import { labelSpeakers } from '../../../main/asr/speaker-labeller.js';
import { addressesThirdVoice, thirdVoiceScore } from '../../../main/asr/speaker-third-voice-cues.js';
import { aciBenchVisits, mtsDialogVisits, primock57Visits, scoreSpeakers } from '../../../bench/speaker-labelling.js';
import { skipWhen } from '../../helpers/skip.js';

const timed = (texts: string[], gapMs = 800) =>
  texts.map((text, i) => ({ startMs: i * (2_000 + gapMs), endMs: i * (2_000 + gapMs) + 2_000, text }));

describe('speaker labelling', () => {
  test('cues: clinicians ask, examine and plan; patients report and answer', () => {
    for (const text of [
      'How long has this been going on?',
      "I'm going to order a chest x-ray.",
      'Your blood pressure is a little high today.',
      'Any questions for me?',
    ]) {
      assert.ok(cueScore(text) > 0, text);
    }
    for (const text of [
      "I've been having headaches for a week.",
      'Yeah, a little.',
      'My knee hurts when I climb stairs.',
      'Thank you, doctor.',
    ]) {
      assert.ok(cueScore(text) < 0, text);
    }
  });

  test('a question and its answer go to different speakers; the clinician opens', () => {
    assert.deepEqual(
      labelSpeakers(
        timed([
          'Good morning, what brings you in today?',
          "I've had a sore throat since Sunday.",
          'Any fever?',
          'No, no fever.',
          "Let's take a look at your throat.",
        ]),
      ),
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

  test('third-voice cues: relatives introduce themselves and speak of the patient; patients speak of themselves', () => {
    for (const text of [
      "I'm his daughter, I'll help.",
      "I'm the interpreter.",
      'She says the pain started on Monday.',
      "He's been falling at night and we found him on the floor twice.",
    ]) {
      assert.ok(thirdVoiceScore(text) > 0, text);
    }
    for (const text of [
      "I've had a sore throat since Sunday.",
      'My knee hurts when I climb stairs.',
      'He is a 67-year-old male who denies chest pain.',
      'Yeah.',
    ]) {
      assert.ok(thirdVoiceScore(text) <= 0, text);
    }
    assert.ok(addressesThirdVoice('Are you his wife?') > 0);
    assert.ok(addressesThirdVoice('Does she take anything for the pain?') > 0);
    assert.ok(addressesThirdVoice('Mr. Alvarez, how are you feeling today?') < 0);
    assert.equal(addressesThirdVoice('How long has this been going on?'), 0);
  });

  test('a daughter speaking for her father is `other`; the father answering for himself is the patient', () => {
    const labels = labelSpeakers(
      timed([
        'Good morning, Mr. Alvarez, what brings you in today?',
        "I'm his daughter, he doesn't hear well, so I'll help.",
        'Of course. How long has he been short of breath?',
        "About two weeks. He gets winded walking to the mailbox and he's been sleeping in his chair.",
        'Is he taking the water pill?',
        'He stopped it last month because he was up all night.',
        'Okay.',
        'Mr. Alvarez, how are you feeling today?',
        "I'm tired, my legs are swollen.",
        'Let me listen to your lungs. Take a deep breath.',
      ]),
    );
    assert.deepEqual(labels, [
      'clinician',
      'other',
      'clinician',
      'other',
      'clinician',
      'other',
      'clinician',
      'clinician',
      'patient',
      'clinician',
    ]);
  });

  test("an interpreter relaying the patient's words is `other`, and stays so through the visit", () => {
    const labels = labelSpeakers(
      timed([
        'Hello, I am Doctor Chen. What brings you in today?',
        "I'm the interpreter. She says she has had pain in her stomach for three days.",
        'Where exactly is the pain?',
        'She says it is here, on the right side, and it gets worse after she eats.',
        'Any vomiting?',
        'She says no vomiting, but she feels sick.',
        "I'm going to examine your belly now.",
        'She understands.',
      ]),
    );
    assert.deepEqual(labels, ['clinician', 'other', 'clinician', 'other', 'clinician', 'other', 'clinician', 'other']);
  });

  test('a patient talking about a relative stays the patient: no third voice without evidence of one', () => {
    const labels = labelSpeakers(
      timed([
        'Good morning, what brings you in today?',
        "I've had a sore throat since Sunday.",
        'Any fever?',
        'No, no fever.',
        'Does anyone at home have it?',
        'My wife had it last week, she is better now.',
        "Let's take a look at your throat.",
      ]),
    );
    assert.deepEqual(labels, ['clinician', 'patient', 'clinician', 'patient', 'clinician', 'patient', 'clinician']);
  });

  test('nothing in, nothing out', () => {
    assert.deepEqual(labelSpeakers([]), []);
  });

  const aci = aciBenchVisits('valid');
  test(
    "ACI-Bench validation split: clearly better than labelling every segment with the visit's majority speaker",
    skipWhen(aci.length ? false : 'ACI-Bench is not in ../shared/corpora'),
    () => {
      const score = scoreSpeakers(aci);
      assert.equal(score.visits, 20);
      assert.ok(score.segmentAccuracy >= 0.79, JSON.stringify(score));
      assert.ok(score.wordAccuracy >= 0.83, JSON.stringify(score));
      assert.ok(score.segmentAccuracy > score.majorityBaseline + 0.1, JSON.stringify(score));
      // Its one visit with a relative (a mother speaking for her baby): most of her sentences are found.
      assert.ok(score.other.precision !== null && score.other.precision >= 0.65, JSON.stringify(score.other));
      assert.ok(score.other.recall !== null && score.other.recall >= 0.55, JSON.stringify(score.other));
    },
  );

  const mts = mtsDialogVisits('valid');
  test(
    'MTS-Dialog validation split (not used for tuning): relatives and visiting clinicians labelled `other`',
    skipWhen(mts.length ? false : 'MTS-Dialog is not in ../shared/corpora'),
    () => {
      const score = scoreSpeakers(mts);
      assert.ok(score.segmentAccuracy >= 0.82, JSON.stringify(score));
      assert.ok(score.other.precision !== null && score.other.precision >= 0.65, JSON.stringify(score.other));
      assert.ok(score.other.recall !== null && score.other.recall >= 0.45, JSON.stringify(score.other));
    },
  );

  const primock = primock57Visits().slice(20);
  test(
    'PriMock57 consultations 21-40 (not used for tuning), with real turn timing',
    skipWhen(primock.length ? false : 'PriMock57 is not in ../shared/corpora'),
    () => {
      const score = scoreSpeakers(primock);
      assert.ok(score.segmentAccuracy >= 0.77, JSON.stringify(score));
      assert.ok(score.wordAccuracy >= 0.85, JSON.stringify(score));
      // No third voice in these consultations, and none is invented.
      assert.equal(score.other.labelled, 0, JSON.stringify(score.other));
    },
  );
});
