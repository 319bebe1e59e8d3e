import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { TranscriptSegment } from '../../../shared/domain/transcript.js';
import { draftOffline } from '../../../main/drafting/offline/offline-drafter.js';
import { groupReviewOfSystems } from '../../../main/drafting/offline/review-of-systems.js';

const qa = (question: string, answer: string): TranscriptSegment[] => [
  { id: 'd1', startMs: 0, endMs: 4000, speaker: 'clinician', text: question },
  { id: 'p2', startMs: 5000, endMs: 9000, speaker: 'patient', text: answer },
];
const ros = (denied: string[]) => groupReviewOfSystems({ ros: denied.map((text, i) => ({ text, evidence: [`s${i + 1}`] })) }).ros;

describe('review of systems grouping', () => {
  test('a denial covering two systems puts each symptom under its own system, both linked to the question and answer', () => {
    const note = draftOffline(qa('Any headaches or chest pain?', 'No, none at all.'));
    assert.deepEqual(note.sections.ros, [
      { text: 'Cardiovascular: Denies chest pain.', evidence: ['d1', 'p2'] },
      { text: 'Neurological: Denies headaches.', evidence: ['d1', 'p2'] },
    ]);
  });

  test('a question within one system stays one sentence', () => {
    const note = draftOffline(qa('Have you had any fever or chills?', 'No.'));
    assert.deepEqual(note.sections.ros, [{ text: 'Constitutional: Denies fever or chills.', evidence: ['d1', 'p2'] }]);
  });

  test('split symptoms join the other denials of their system, keeping every source; filler is dropped', () => {
    assert.deepEqual(
      ros([
        'Denies dizziness.',
        'Denies headaches, chest pain, shortness of breath or anything.',
        'Denies unintentional weight changes, fatigue.',
      ]),
      [
        { text: 'Constitutional: Denies unintentional weight changes, fatigue.', evidence: ['s3'] },
        { text: 'Cardiovascular: Denies chest pain.', evidence: ['s2'] },
        { text: 'Respiratory: Denies shortness of breath.', evidence: ['s2'] },
        { text: 'Neurological: Denies dizziness and headaches.', evidence: ['s1', 's2'] },
      ],
    );
  });

  test('a list with a part that is no symptom of its own is not split', () => {
    assert.deepEqual(ros(['Denies swelling in his legs and ankles.']), [
      { text: 'Cardiovascular: Denies swelling in his legs and ankles.', evidence: ['s1'] },
    ]);
  });
});
