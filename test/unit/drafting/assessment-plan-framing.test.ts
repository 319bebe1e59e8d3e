import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { TranscriptSegment } from '../../../shared/domain/transcript.js';
import type { DraftedNote } from '../../../main/drafting/drafted-content.js';
import { draftOffline } from '../../../main/drafting/offline/offline-drafter.js';

/** A visit that reaches its assessment: a question, an exam finding, then the clinician's closing turns (d3, d4, …). */
function visit(...closing: string[]): TranscriptSegment[] {
  const turns: ['clinician' | 'patient', string][] = [
    ['clinician', 'Any fever?'],
    ['patient', 'No.'],
    ['clinician', "Let's do a quick physical exam. Your lungs are clear."],
    ...closing.map((text): ['clinician', string] => ['clinician', text]),
  ];
  return turns.map(([speaker, text], i) => ({
    id: `${speaker === 'clinician' ? 'd' : 'p'}${i + 1}`,
    startMs: i * 5000,
    endMs: i * 5000 + 4000,
    speaker,
    text,
  }));
}
/** The note's assessment or plan sentences, whether said for the whole visit or under a problem (headings aside). */
const sentences = (note: DraftedNote, section: 'assessment' | 'plan') => [
  ...(note.sections[section] ?? []),
  ...(note.problems ?? []).flatMap((p) => p[section]),
];
const texts = (note: DraftedNote, section: 'assessment' | 'plan') => sentences(note, section).map((s) => s.text);

describe('spoken framing in the assessment and plan', () => {
  test('"my assessment is" and "Plan:" are dropped; the content, doses and its evidence stay', () => {
    const note = draftOffline(
      visit(
        'My assessment is essential hypertension, not well controlled.',
        'Plan: start lisinopril 10 milligrams daily and recheck in four weeks.',
      ),
    );
    assert.deepEqual(sentences(note, 'assessment'), [{ text: 'Essential hypertension, not well controlled.', evidence: ['d4'] }]);
    assert.deepEqual(sentences(note, 'plan'), [{ text: 'Start lisinopril 10 mg daily and recheck in 4 weeks.', evidence: ['d5'] }]);
    // The assessment names the problem it heads.
    assert.deepEqual(
      note.problems?.map((p) => p.heading),
      [{ text: 'Essential hypertension.', evidence: ['d4'] }],
    );
  });

  test('"the plan is to", "my impression is that": the content reads as the note would write it', () => {
    const note = draftOffline(
      visit('My impression is that this is acute bronchitis.', 'The plan is to order a chest x-ray and follow up in one week.'),
    );
    assert.deepEqual(texts(note, 'assessment'), ['This is acute bronchitis.']);
    assert.deepEqual(texts(note, 'plan'), ['Order a chest X-ray and follow up in 1 week.']);
  });

  test('negations survive the framing', () => {
    const note = draftOffline(visit('My assessment is no evidence of pneumonia.', 'The plan is not to start antibiotics.'));
    assert.deepEqual(texts(note, 'assessment'), ['No evidence of pneumonia.']);
    assert.deepEqual(texts(note, 'plan'), ['Do not start antibiotics.']);
  });

  test('framing that carries the meaning is kept: "the diagnosis is unclear"', () => {
    const note = draftOffline(visit('The diagnosis is unclear at this point, so we will get an MRI of the knee.'));
    assert.deepEqual(texts(note, 'assessment'), ['The diagnosis is unclear at this point.']);
    assert.deepEqual(texts(note, 'plan'), ['Get an MRI of the knee.']);
  });
});
