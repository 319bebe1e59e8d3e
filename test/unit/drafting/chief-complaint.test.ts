import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { TranscriptSegment } from '../../../shared/domain/transcript.js';
import type { DraftedNote } from '../../../main/drafting/drafted-content.js';
import { draftOffline } from '../../../main/drafting/offline/offline-drafter.js';

/** [speaker, text] turns → segments d1, p2, r3, … (D clinician, P patient, R a relative). */
function dialogue(...turns: ['D' | 'P' | 'R', string][]): TranscriptSegment[] {
  const speaker = { D: 'clinician', P: 'patient', R: 'other' } as const;
  return turns.map(([who, text], i) => ({
    id: `${who.toLowerCase()}${i + 1}`,
    startMs: i * 5000,
    endMs: i * 5000 + 4000,
    speaker: speaker[who],
    text,
  }));
}
const complaint = (note: DraftedNote) => note.sections.chief_complaint ?? [];

describe('chief complaint from the answer to the opening question', () => {
  test("the patient's answer becomes a short noun phrase in their terms, citing the answer", () => {
    const note = draftOffline(
      dialogue(
        ['D', 'Good morning. What brings you in today?'],
        ['P', 'My blood pressure readings at home have been high.'],
        ['D', 'Any headaches or chest pain?'],
        ['P', 'No, none at all.'],
        ['D', 'Your blood pressure today is 152 over 96.'],
        ['D', 'My assessment is essential hypertension, not well controlled.'],
        ['D', 'Plan: start lisinopril 10 milligrams daily and recheck in four weeks.'],
      ),
    );
    assert.deepEqual(complaint(note), [{ text: 'High blood pressure readings at home.', evidence: ['p2'] }]);
    assert.deepEqual(note.sections.hpi?.[0], { text: "The patient's blood pressure readings at home have been high.", evidence: ['p2'] });
  });

  test('the HPI opens on the patient, not a pronoun; later sentences keep theirs', () => {
    const note = draftOffline(
      dialogue(
        ['D', 'You have a history of asthma. What brings you in?'],
        ['P', 'My chest has been tight at night. My inhaler is not helping much.'],
      ),
    );
    assert.deepEqual(
      note.sections.hpi?.map((s) => s.text),
      ['The patient has a history of asthma.', 'Their chest has been tight at night.', 'Their inhaler is not helping much.'],
    );
  });

  test('other ways of asking and answering', () => {
    const cases: [string, string, string][] = [
      ['What can I do for you?', "I've been having a lot of trouble sleeping for about a month.", 'Trouble sleeping.'],
      ["What's going on?", 'Well, my right knee has been swollen since Saturday.', 'Swollen right knee.'],
      ['How can I help you today?', 'Just a refill on my blood pressure medicine.', 'Refill on blood pressure medicine.'],
      ['Hi, what brings you in?', "I'm here for my diabetes follow-up.", 'Diabetes follow-up.'],
    ];
    for (const [question, answer, expected] of cases) {
      const note = draftOffline(dialogue(['D', question], ['P', answer], ['D', 'Okay, tell me more.']));
      assert.deepEqual(complaint(note), [{ text: expected, evidence: ['p2'] }], answer);
    }
  });

  test('the answer outranks the reason the clinician states', () => {
    const note = draftOffline(
      dialogue(
        ['D', 'You are here for follow up of your diabetes. What brings you in today?'],
        ['P', 'My sugars have been running high in the mornings.'],
      ),
    );
    assert.deepEqual(
      complaint(note).map((s) => s.text),
      ['High sugars.'],
    );
  });

  test('a relative answering the opening question is not the patient speaking', () => {
    const turns = (who: 'P' | 'R') =>
      dialogue(['D', 'What brings you in today?'], [who, "I've had a lot of trouble sleeping since he got sick."]);
    assert.deepEqual(
      complaint(draftOffline(turns('P'))).map((s) => s.text),
      ['Trouble sleeping.'],
    );
    assert.deepEqual(complaint(draftOffline(turns('R'))), []);
  });

  test('an answer with nothing clinical in it ("fine") gives no complaint, nor does later speech that answers something else', () => {
    const note = draftOffline(
      dialogue(
        ['D', 'Good morning, how are you doing? What brings you in today?'],
        ['P', "I'm fine, thanks."],
        ['D', 'How was the weekend?'],
        ['P', "I've been having trouble sleeping."],
      ),
    );
    assert.deepEqual(complaint(note), []);
  });

  test("the opening question's answer late in the visit is not read as the chief complaint", () => {
    const small = Array.from({ length: 10 }, (_, i): ['D' | 'P', string] => (i % 2 === 0 ? ['D', 'Any fever or chills?'] : ['P', 'No.']));
    const note = draftOffline(dialogue(...small, ['D', "So what's going on?"], ['P', "I've been having trouble sleeping."]));
    assert.deepEqual(complaint(note), []);
  });
});

describe("chief complaint from the schedule's reason for visit", () => {
  test('used, in its own words, when the transcript says it; cited to where it is said', () => {
    const segments = dialogue(
      ['D', 'Hello again.'],
      ['D', 'I see you need a medication refill today.'],
      ['P', 'Yes, I ran out last week.'],
    );
    assert.deepEqual(complaint(draftOffline(segments)), []);
    assert.deepEqual(complaint(draftOffline(segments, { reasonForVisit: 'Medication refill' })), [
      { text: 'Medication refill.', evidence: ['d2'] },
    ]);
  });

  test('left out when nothing in the transcript backs it, and the patient’s own answer comes first', () => {
    const unspoken = dialogue(['D', 'Hello again.'], ['P', 'Hi.']);
    assert.deepEqual(complaint(draftOffline(unspoken, { reasonForVisit: 'Annual physical' })), []);
    const answered = dialogue(['D', 'What brings you in for your medication refill?'], ['P', 'My blood pressure readings have been high.']);
    assert.deepEqual(
      complaint(draftOffline(answered, { reasonForVisit: 'Medication refill' })).map((s) => s.text),
      ['High blood pressure readings.'],
    );
  });
});
