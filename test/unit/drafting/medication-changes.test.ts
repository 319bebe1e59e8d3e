import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { SectionId } from '../../../shared/domain/note.js';
import type { TranscriptSegment } from '../../../shared/domain/transcript.js';
import type { DraftedNote } from '../../../main/drafting/drafted-content.js';
import { draftOffline } from '../../../main/drafting/offline/offline-drafter.js';

/** A dialogue as [speaker, text] turns → segments d1, p2, d3, … (speaker initial and position). */
function dialogue(...turns: ['D' | 'P', string][]): TranscriptSegment[] {
  return turns.map(([who, text], i) => ({
    id: `${who.toLowerCase()}${i + 1}`,
    startMs: i * 5000,
    endMs: i * 5000 + 4000,
    speaker: who === 'D' ? 'clinician' : 'patient',
    text,
  }));
}
const section = (note: DraftedNote, id: SectionId) => note.sections[id] ?? [];
const texts = (note: DraftedNote, id: SectionId) => section(note, id).map((s) => s.text);

describe('medications changed in the plan', () => {
  test('a medicine started in the plan is listed as started, linked to the same evidence, and the plan keeps it', () => {
    const note = draftOffline(dialogue(['D', 'Plan: start lisinopril 10 milligrams daily and recheck in four weeks.']));
    assert.deepEqual(section(note, 'medications'), [{ text: 'Lisinopril 10 mg daily (started today).', evidence: ['d1'] }]);
    assert.deepEqual(texts(note, 'plan'), ['Start lisinopril 10 mg daily and recheck in 4 weeks.']);
  });

  test('a stopped medicine is marked stopped, not left as current; its replacement is listed as started', () => {
    const note = draftOffline(
      dialogue(
        ['D', 'What medicines are you taking?'],
        ['P', 'Metformin 500 mg twice a day.'],
        ['D', 'Let me examine you. Your lungs are clear.'],
        ['D', 'Plan: stop the metformin and start glipizide 5 mg daily.'],
      ),
    );
    assert.deepEqual(section(note, 'medications'), [
      { text: 'Metformin 500 mg twice daily (stopped today).', evidence: ['p2', 'd4'] },
      { text: 'Glipizide 5 mg daily (started today).', evidence: ['d4'] },
    ]);
  });

  test('no dose or frequency is written that was not said', () => {
    const note = draftOffline(dialogue(['D', "Plan: stop metformin. We'll start you on some lasix."]));
    assert.deepEqual(texts(note, 'medications'), ['Metformin (stopped today).', 'Lasix (started today).']);
  });

  test('a new dose replaces the listed one; a change without a dose leaves the list alone', () => {
    const history: ['D' | 'P', string][] = [
      ['P', 'I take lisinopril 10 mg daily.'],
      ['D', 'Let me examine you. Your heart sounds normal.'],
    ];
    const raised = draftOffline(dialogue(...history, ['D', 'Plan: increase your lisinopril to 20 mg daily.']));
    assert.deepEqual(section(raised, 'medications'), [{ text: 'Lisinopril 20 mg daily (dose increased today).', evidence: ['p1', 'd3'] }]);
    const vague = draftOffline(dialogue(...history, ['D', 'Plan: we will increase your lisinopril.']));
    assert.deepEqual(section(vague, 'medications'), [{ text: 'Lisinopril 10 mg daily.', evidence: ['p1'] }]);
  });

  test('a medicine named only as an allergy or taken in the past is neither current nor started', () => {
    const note = draftOffline(
      dialogue(
        ['D', 'Any allergies?'],
        ['P', "I'm allergic to penicillin."],
        ['D', 'Have you taken anything for it?'],
        ['P', 'I used to take ibuprofen.'],
        ['D', 'On exam, your throat is red.'],
        ['D', "Plan: since you're allergic to penicillin, I'll prescribe azithromycin. Don't start ibuprofen again."],
      ),
    );
    assert.deepEqual(texts(note, 'medications'), ['Azithromycin (started today).']);
    assert.deepEqual(texts(note, 'allergies'), ['Allergic to penicillin.']);
    assert.ok(
      texts(note, 'hpi').some((t) => /used to take ibuprofen/i.test(t)),
      'the past medicine stays in the history',
    );
  });

  test('a medicine the plan only considers is not listed as started', () => {
    const note = draftOffline(
      dialogue(['D', 'Plan: if the strep test is positive, we will start amoxicillin. We may need to start insulin later.']),
    );
    assert.deepEqual(texts(note, 'medications'), []);
  });
});
