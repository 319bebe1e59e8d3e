import assert from 'node:assert/strict';
import { test } from 'vitest';
import { countSpeechLike, noteSentences, speechSigns } from '../../../../main/drafting/evaluation/speech-like.js';

test('clinical prose is not speech-like; first and second person, fillers, talk about the visit and questions are', () => {
  assert.deepEqual(speechSigns('The patient reports right knee pain for 2 weeks.'), []);
  assert.deepEqual(speechSigns('Increase Lasix to 80 mg daily.'), []);
  assert.deepEqual(speechSigns('I think he is retaining fluid.'), ['person']);
  assert.deepEqual(speechSigns('Okay, continue the lisinopril.'), ['filler']);
  assert.deepEqual(speechSigns('Talk a little bit about the assessment and plan.'), ['meta']);
  assert.deepEqual(speechSigns('Does it hurt when he bends the knee?'), ['question']);
});

test('words in quotation marks are the patient’s and do not count', () => {
  assert.deepEqual(speechSigns('She states, "I just feel so tired all the time."'), []);
  assert.deepEqual(speechSigns('He describes it as “my knee gave out on me.”'), []);
});

test('headings and list markers are not sentences; a line holds as many sentences as it ends', () => {
  const text = 'PLAN\n• Increase Lasix to 80 mg daily. I will see him in 2 weeks.\nHypertension\n1. Continue lisinopril.';
  assert.deepEqual(noteSentences(text), ['Increase Lasix to 80 mg daily.', 'I will see him in 2 weeks.', 'Continue lisinopril.']);
  const count = countSpeechLike(text);
  assert.equal(count.sentences, 3);
  assert.equal(count.speechLike, 1);
  assert.equal(count.bySign.person, 1);
});
