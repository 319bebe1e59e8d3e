import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { SectionId } from '../../../shared/domain/note.js';
import type { TranscriptSegment } from '../../../shared/domain/transcript.js';
import type { DraftedNote } from '../../../main/drafting/drafted-content.js';
import { draftOffline } from '../../../main/drafting/offline/offline-drafter.js';
import { numbersToDigits } from '../../../main/drafting/offline/number-words.js';

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
const texts = (note: DraftedNote, section: SectionId) => (note.sections[section] ?? []).map((s) => s.text);
const find = (note: DraftedNote, section: SectionId, pattern: RegExp) => (note.sections[section] ?? []).find((s) => pattern.test(s.text));

describe('offline drafter', () => {
  test('medications with dose and frequency go to the medication list, written as a note writes them', () => {
    const note = draftOffline(
      dialogue(
        ['D', 'What medicines are you taking?'],
        ['P', 'I take lisinopril 20 milligrams once a day and metformin 500 mg twice a day. Also some Tylenol as needed.'],
      ),
    );
    assert.deepEqual(texts(note, 'medications'), ['Lisinopril 20 mg daily.', 'Metformin 500 mg twice daily.', 'Tylenol as needed.']);
    assert.deepEqual(find(note, 'medications', /Metformin/)?.evidence, ['p2']);
  });

  test('allergies, including none known, are recorded', () => {
    const allergic = draftOffline(
      dialogue(['D', 'Any allergies to medications?'], ['P', "I'm allergic to penicillin, it gives me hives."]),
    );
    assert.deepEqual(texts(allergic, 'allergies'), ['Allergic to penicillin (hives).']);
    const none = draftOffline(dialogue(['D', 'Do you have any allergies?'], ['P', 'No known drug allergies.']));
    assert.deepEqual(texts(none, 'allergies'), ['No known drug allergies.']);
  });

  test('vital signs keep their units, spoken numbers included', () => {
    const note = draftOffline(
      dialogue([
        'D',
        'Your blood pressure today is one forty two over ninety, heart rate 88, temperature ninety eight point six, oxygen saturation 97 percent and you weigh 182 pounds.',
      ]),
    );
    assert.deepEqual(texts(note, 'vitals'), [
      'Blood pressure 142/90 mmHg.',
      'Heart rate 88 bpm.',
      'Temperature 98.6 °F.',
      'SpO2 97%.',
      'Weight 182 lb.',
    ]);
    assert.deepEqual(find(note, 'vitals', /Blood pressure/)?.evidence, ['d1']);
  });

  test('negations become review-of-systems negatives grouped by system, citing question and answer', () => {
    const note = draftOffline(
      dialogue(
        ['D', 'Have you had any fever or chills?'],
        ['P', 'No.'],
        ['D', 'Any chest pain?'],
        ['P', 'Nope.'],
        ['P', "I don't have any nausea."],
      ),
    );
    assert.deepEqual(texts(note, 'ros'), [
      'Constitutional: Denies fever or chills.',
      'Cardiovascular: Denies chest pain.',
      'Gastrointestinal: Denies nausea.',
    ]);
    assert.deepEqual(find(note, 'ros', /fever/)?.evidence, ['d1', 'p2']);
  });

  test('first-person patient speech is rewritten into third person note style', () => {
    const note = draftOffline(
      dialogue(['D', 'What brings you in today?'], ['P', 'I have had a cough for 3 days. My chest feels tight when I climb stairs.']),
      { sex: 'female' },
    );
    assert.deepEqual(texts(note, 'hpi'), ['Reports cough for 3 days.', 'Her chest feels tight when she climbs stairs.']);
    assert.deepEqual(texts(note, 'chief_complaint'), ['Cough.']);
  });

  test('a clinician stating the reason for the visit gives the chief complaint; the sex said sets pronouns', () => {
    const note = draftOffline(
      dialogue(
        ['D', 'Mr. Lee is a 61 year old male who presents today for follow up of his diabetes.'],
        ['P', "I've been feeling tired for two weeks."],
      ),
    );
    assert.deepEqual(texts(note, 'chief_complaint'), ['Follow up of diabetes.']);
    assert.ok(texts(note, 'hpi').includes('Reports feeling tired for 2 weeks.'), texts(note, 'hpi').join(' | '));
  });

  test('exam narration, assessment, plan and instructions land in their sections; small talk is dropped', () => {
    const note = draftOffline(
      dialogue(
        ['D', 'Hi there, how was the drive in?'],
        ['P', 'Traffic was fine, thanks.'],
        [
          'D',
          "Let's do a quick physical exam. Take a deep breath. Your lungs are clear. I do appreciate some tenderness over the right lower back.",
        ],
        [
          'D',
          'So for your first problem, your back pain, I think this is a muscle strain. I want to start you on ibuprofen 600 mg three times a day.',
        ],
        ['D', 'I want you to use heat twice a day. Call me if you have any numbness. We will follow up in two weeks.'],
        ['D', 'Have a great day!'],
      ),
    );
    assert.deepEqual(texts(note, 'exam'), ['Lungs are clear.', 'Some tenderness over the right lower back.']);
    // The problem with its assessment (the clinician's judgement kept as "likely", not as "I think") and its plan.
    assert.deepEqual(
      note.problems?.map((p) => [p.heading.text, p.assessment.map((s) => s.text), p.plan.map((s) => s.text)]),
      [['Back pain, likely muscle strain.', ['This is likely a muscle strain.'], ['Start ibuprofen 600 mg 3 times a day.']]],
    );
    assert.deepEqual(texts(note, 'assessment'), []);
    assert.deepEqual(texts(note, 'plan'), ['Follow up in 2 weeks.']);
    assert.deepEqual(texts(note, 'patient_instructions'), [
      'Advised to use heat twice a day.',
      'Instructed to call if they have any numbness.',
    ]);
    const all = Object.values(note.sections)
      .flat()
      .map((s) => s.text)
      .join(' ');
    assert.doesNotMatch(all, /drive|traffic|great day/i);
  });

  test('every sentence cites the segments it came from, and the same input drafts the same note', () => {
    const segments = dialogue(
      ['D', 'What brings you in?'],
      ['P', 'I have had headaches for a week, mostly in the morning.'],
      ['D', 'Any vision changes?'],
      ['P', 'No.'],
      ['D', 'Your blood pressure is 150 over 95. I think the headaches are from your blood pressure. We will start amlodipine 5 mg daily.'],
    );
    const ids = new Set(segments.map((s) => s.id));
    const first = draftOffline(segments);
    const sentences = Object.values(first.sections).flat();
    assert.ok(sentences.length >= 5);
    for (const s of sentences) {
      assert.ok(s.evidence.length > 0, `"${s.text}" cites no segment`);
      assert.ok(
        s.evidence.every((id) => ids.has(id)),
        `"${s.text}" cites an unknown segment`,
      );
    }
    assert.deepEqual(draftOffline(segments), first);
    assert.equal(first.drafter.engine, 'offline');
    assert.deepEqual(first.codes, []);
  });
});

test('spoken numbers become digits where notes use digits, and only there', () => {
  assert.equal(numbersToDigits('one fifty over ninety'), '150 over 90');
  assert.equal(numbersToDigits('about five weeks'), 'about 5 weeks');
  assert.equal(numbersToDigits('ninety eight point six'), '98.6');
  assert.equal(numbersToDigits('pain is seven out of ten'), 'pain is 7/10');
  assert.equal(numbersToDigits('that one is fine'), 'that one is fine');
  assert.equal(numbersToDigits('one week ago'), '1 week ago');
});
