import assert from 'node:assert/strict';
import { test } from 'vitest';
import { assembleNote } from '../../../main/drafting/assemble-note.js';
import type { DraftedNote } from '../../../main/drafting/drafted-content.js';
import { problemHeaded, emptyHeadingTally, tallyHeadings } from '../../../main/drafting/evaluation/problem-headings.js';
import { draftOffline } from '../../../main/drafting/offline/offline-drafter.js';
import type { NoteTemplate } from '../../../main/drafting/templates.js';
import { TEMPLATES } from '../../../main/drafting/templates.js';
import type { TranscriptSegment } from '../../../shared/domain/transcript.js';
import type { VisitId } from '../../../shared/ids.js';

const visitId = '11111111-1111-4111-8111-111111111111' as VisitId;

/** A visit where the clinician takes two problems in turn, the second named first in the history. */
const turns: [TranscriptSegment['speaker'], string][] = [
  ['clinician', 'How are you doing with your high blood pressure?'],
  ['patient', 'I have been taking the lisinopril every day.'],
  ['clinician', "Let's do a quick exam. Your lungs are clear. I do appreciate a 2/6 systolic murmur."],
  [
    'clinician',
    "So for your first problem, your knee pain, I think this is osteoarthritis. I'm going to start you on meloxicam 15 mg once a day, okay?",
  ],
  ['clinician', 'For your second problem, your hypertension, I want to increase your lisinopril to 20 mg daily.'],
  ['clinician', "We'll follow up in 3 months."],
];
const segments: TranscriptSegment[] = turns.map(([speaker, text], i) => ({
  id: `seg-${i + 1}`,
  startMs: i * 5000,
  endMs: i * 5000 + 4000,
  speaker,
  text,
}));

const texts = (draft: { sections: { id: string; sentences: { text: string }[] }[] }, id: string) =>
  draft.sections.find((s) => s.id === id)?.sentences.map((s) => s.text) ?? [];

test('the offline drafter heads each problem discussed, in the plan’s order, with its assessment and its plan items', () => {
  const note = draftOffline(segments, { sex: 'female' });
  assert.deepEqual(
    note.problems?.map((p) => [p.heading.text, p.assessment.map((s) => s.text), p.plan.map((s) => s.text)]),
    [
      ['Knee pain, likely osteoarthritis.', ['This is likely osteoarthritis.'], ['Start meloxicam 15 mg once a day.']],
      ['Hypertension.', [], ['Increase her lisinopril to 20 mg daily.']],
    ],
  );
  // The heading cites where the problem was named: the history's question and the plan.
  assert.deepEqual(note.problems?.[1]?.heading.evidence, ['seg-1', 'seg-5']);
  assert.deepEqual(
    note.sections.plan?.map((s) => s.text),
    ['Follow up in 3 months.'],
  );
});

test('problem-oriented templates write each problem with its plan under the assessment; plain SOAP keeps plan items in the plan', () => {
  const note = draftOffline(segments, { sex: 'female' });
  const byProblem = assembleNote(visitId, TEMPLATES.soap, note, segments).draft;
  assert.equal(TEMPLATES.soap.assessmentPlan, 'by-problem');
  assert.deepEqual(texts(byProblem, 'assessment'), [
    'Knee pain, likely osteoarthritis.',
    'This is likely osteoarthritis.',
    'Start meloxicam 15 mg once a day.',
    'Hypertension.',
    'Increase her lisinopril to 20 mg daily.',
  ]);
  assert.deepEqual(texts(byProblem, 'plan'), ['Follow up in 3 months.']);

  const plainSoap: NoteTemplate = { ...TEMPLATES.soap, assessmentPlan: 'separate' };
  const separate = assembleNote(visitId, plainSoap, note, segments).draft;
  assert.deepEqual(texts(separate, 'assessment'), ['Knee pain, likely osteoarthritis.', 'This is likely osteoarthritis.', 'Hypertension.']);
  assert.deepEqual(texts(separate, 'plan'), [
    'Start meloxicam 15 mg once a day.',
    'Increase her lisinopril to 20 mg daily.',
    'Follow up in 3 months.',
  ]);
  // Every sentence still cites its segments and passes the evidence check (doses and frequencies as said).
  for (const section of separate.sections) for (const s of section.sentences) assert.equal(s.support, 'supported', s.text);
});

test('a drafter without problems (the language model) is laid out as before', () => {
  const drafted: DraftedNote = {
    sections: {
      assessment: [{ text: 'Hypertension.', evidence: ['seg-5'] }],
      plan: [{ text: 'Increase lisinopril.', evidence: ['seg-5'] }],
    },
    codes: [],
    drafter: { engine: 'llm' },
    droppedCodes: 0,
  };
  const { draft } = assembleNote(visitId, TEMPLATES.soap, drafted, segments);
  assert.deepEqual(texts(draft, 'assessment'), ['Hypertension.']);
  assert.deepEqual(texts(draft, 'plan'), ['Increase lisinopril.']);
});

test('a reference problem is headed by a heading naming the same thing, lay or clinical, not by a shared side or "pain"', () => {
  assert.ok(problemHeaded('Hypertension', ['Blood pressure.']));
  assert.ok(problemHeaded('Diabetes mellitus type 2', ['Type 2 diabetes.']));
  assert.ok(problemHeaded('Right knee acute medial meniscus sprain', ['Right knee pain.']));
  assert.ok(!problemHeaded('Lumbar strain', ['Right knee pain.']));
  assert.ok(!problemHeaded('Left shoulder pain', ['Left knee pain.']));
  const tally = tallyHeadings(emptyHeadingTally(), ['Hypertension', 'Depression'], ['Hypertension.']);
  assert.deepEqual(tally, { problems: 2, headed: 1, encounters: 1, allHeaded: 0 });
});
