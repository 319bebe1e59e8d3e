import assert from 'node:assert/strict';
import { test } from 'vitest';
import { assembleNote } from '../../../main/drafting/assemble-note.js';
import type { DraftedNote } from '../../../main/drafting/drafted-content.js';
import { TEMPLATES } from '../../../main/drafting/templates.js';
import type { VisitId } from '../../../shared/ids.js';

const visitId = '11111111-1111-4111-8111-111111111111' as VisitId;
const segments = [
  { id: 'seg-1', text: "I've had these headaches for about a week now." },
  { id: 'seg-2', text: 'No vision changes, no chest pain.' },
  { id: 'seg-3', text: 'Your blood pressure is still high, so we will start amlodipine 5 mg daily.' },
];

const drafted: DraftedNote = {
  sections: {
    plan: [{ text: 'Start amlodipine 5 mg daily.', evidence: ['seg-3'] }],
    hpi: [
      { text: 'Reports headaches for a week.', evidence: ['seg-1', 'seg-1'] },
      { text: 'Smokes two packs a day.', evidence: [] },
      { text: 'Denies vision changes.', evidence: ['seg-2', 'seg-99'] },
      { text: '   ', evidence: ['seg-1'] },
    ],
    ros: [{ text: 'Denies chest pain.', evidence: ['seg-2'] }],
    assessment: [{ text: 'Hypertension, uncontrolled.', evidence: ['seg-3'] }],
  },
  codes: [
    { code: 'I10', description: 'Essential (primary) hypertension', evidence: ['seg-3'] },
    { code: 'I10', description: 'Essential (primary) hypertension', evidence: ['seg-3'] },
    { code: 'R51.9', description: 'Headache, unspecified', evidence: ['seg-1'] },
  ],
  drafter: { engine: 'llm', model: 'm', promptVersion: 'note-v1' },
  droppedCodes: 0,
};

test('sections follow the template; sentences citing nothing or an unknown segment are marked, never kept as supported', () => {
  const { draft, unsupportedSentences } = assembleNote(visitId, TEMPLATES.soap, drafted, segments);
  assert.deepEqual(
    draft.sections.map((s) => s.id),
    TEMPLATES.soap.sections.map((s) => s.id),
  );
  const hpi = draft.sections.find((s) => s.id === 'hpi')!.sentences;
  assert.deepEqual(
    hpi.map((s) => [s.text, s.support, s.evidence, s.check?.missingEvidence]),
    [
      ['Reports headaches for a week.', 'supported', ['seg-1'], []],
      ['Smokes two packs a day.', 'unsupported', [], []],
      // The unknown id stays cited, so the reviewer sees which line the drafter invented.
      ['Denies vision changes.', 'unsupported', ['seg-2', 'seg-99'], ['seg-99']],
    ],
  );
  assert.equal(unsupportedSentences, 2);
  const ids = draft.sections.flatMap((s) => s.sentences.map((x) => x.id));
  assert.equal(new Set(ids).size, ids.length, 'sentence ids are unique');
  assert.ok(draft.sections.flatMap((s) => s.sentences).every((s) => s.origin === 'drafted'));
});

test('codes are deduplicated, ranked, and cite the assessment sentences that share their segments', () => {
  const { draft } = assembleNote(visitId, TEMPLATES.soap, drafted, segments);
  const assessment = draft.sections.find((s) => s.id === 'assessment')!.sentences[0]!;
  const hpiFirst = draft.sections.find((s) => s.id === 'hpi')!.sentences[0]!;
  assert.deepEqual(
    draft.codes.map((c) => [c.code, c.rank, c.evidence, c.status]),
    [
      ['I10', 1, [assessment.id], 'suggested'],
      ['R51.9', 2, [hpiFirst.id], 'suggested'],
    ],
  );
});

test('a template without a section folds its content into another instead of dropping it', () => {
  const { draft } = assembleNote(visitId, TEMPLATES['follow-up'], drafted, segments);
  assert.ok(!draft.sections.some((s) => s.id === 'ros'));
  const hpi = draft.sections.find((s) => s.id === 'hpi')!;
  assert.equal(hpi.title, 'Interval history');
  assert.ok(hpi.sentences.some((s) => s.text === 'Denies chest pain.'));
  assert.equal(draft.template, 'follow-up');
});
