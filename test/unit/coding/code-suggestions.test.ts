import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { CodeSuggestion } from '../../../shared/domain/note.js';
import { CodeSuggestion as CodeSuggestionSchema } from '../../../shared/domain/note.js';
import { bmiCode, suggestCodes } from '../../../main/coding/code-suggestions.js';
import { starterEntries, starterInfo } from '../../../main/coding/starter-set.js';
import { loadTerminology } from '../../../main/coding/terminology.js';

const starter = loadTerminology(starterEntries, starterInfo);
const suggest = (sentences: string[], transcript: string[] = [], terminology = starter) =>
  suggestCodes(
    {
      assessment: sentences.map((text, i) => ({ id: `a${i + 1}`, text })),
      transcript: transcript.map((text, i) => ({ id: `seg-${i + 1}`, text })),
    },
    terminology,
  );
const codes = (s: readonly CodeSuggestion[]) => s.map((x) => x.code);

describe('code suggestions', () => {
  test('a typical assessment gives ranked, billable codes with official descriptions and evidence', () => {
    const s = suggest([
      'Type 2 diabetes mellitus with hyperglycemia, A1c 9.2.',
      'Essential hypertension, well controlled on lisinopril.',
      'Mild intermittent asthma.',
      'GERD without esophagitis.',
    ]);
    assert.deepEqual(codes(s), ['E11.65', 'I10', 'J45.20', 'K21.9']);
    assert.deepEqual(
      s.map((x) => x.rank),
      [1, 2, 3, 4],
    );
    assert.equal(s[0]!.description, 'Type 2 diabetes mellitus with hyperglycemia');
    assert.deepEqual(s[0]!.evidence, ['a1']);
    assert.deepEqual(s[3]!.evidence, ['a4']);
    for (const x of s) {
      assert.equal(x.status, 'suggested');
      assert.ok(CodeSuggestionSchema.safeParse(x).success, x.code);
    }
  });

  test('an unspecified diagnosis gets the general code and a hint listing more specific billable codes', () => {
    const [dm] = suggest(['Type 2 diabetes.']);
    assert.equal(dm!.code, 'E11.9');
    assert.ok(dm!.specificityHint);
    assert.ok(dm!.specificityHint.moreSpecific.length > 0);
    for (const code of dm!.specificityHint.moreSpecific) {
      assert.match(code, /^E11\./);
      assert.notEqual(code, 'E11.9');
      assert.equal(starter.codeSet.get(code.replace('.', ''))?.billable, true, code);
    }
    assert.match(dm!.specificityHint.message, /more specific billable codes under E11 \(Type 2 diabetes mellitus\)/);
    // Specific enough already: no hint.
    assert.equal(suggest(['Type 2 diabetes with hyperglycemia'])[0]!.specificityHint, undefined);
    assert.equal(suggest(['Hypertension'])[0]!.specificityHint, undefined);
  });

  test('more specific wording moves to the more specific code of the family', () => {
    assert.deepEqual(codes(suggest(['T2DM with CKD stage 3b'])), ['E11.22', 'N18.32']);
    assert.deepEqual(codes(suggest(['Paroxysmal atrial fibrillation'])), ['I48.0']);
    assert.deepEqual(codes(suggest(['Right knee pain'])), ['M25.561']);
    assert.deepEqual(codes(suggest(['Chronic systolic heart failure'])), ['I50.22']);
    assert.deepEqual(codes(suggest(['Type 2 diabetes mellitus without complications'])), ['E11.9']);
    assert.deepEqual(codes(suggest(['Obesity, BMI 34.5'])), ['E66.9', 'Z68.34']);
  });

  test('abbreviations are understood; ambiguous ones never code alone', () => {
    assert.deepEqual(codes(suggest(['HTN', 'HLD', 'OSA on CPAP', 'URI'])), ['I10', 'E78.5', 'G47.33', 'J06.9']);
    assert.deepEqual(codes(suggest(['PE: lungs clear'])), []);
  });

  test('negated, uncertain and past conditions give no code', () => {
    const s = suggest([
      'No evidence of pneumonia.',
      'Denies chest pain.',
      'Possible UTI, urine culture pending.',
      'Rule out DVT.',
      'History of MI.',
      'Family history of diabetes.',
      'Strep pharyngitis ruled out.',
    ]);
    assert.deepEqual(codes(s), []);
  });

  test('a cue reaches across a list, and stops where a new statement starts', () => {
    assert.deepEqual(codes(suggest(['Denies fever, cough, or wheezing.'])), []);
    assert.deepEqual(codes(suggest(['Possible etiologies include GERD, dyspepsia, and anxiety.'])), []);
    assert.deepEqual(codes(suggest(['Risks of surgery include infection, bleeding, and stroke.'])), []);
    assert.deepEqual(codes(suggest(['Denies chest pain but reports palpitations.'])), ['R00.2']);
    assert.deepEqual(codes(suggest(['Avoid NSAIDs given CKD stage 4.'])), ['N18.4']);
    assert.deepEqual(codes(suggest(['Past medical history of hypertension, who presents today with low back pain.'])), ['M54.50']);
  });

  test('diagnoses rank before symptoms; words alone never suggest external-cause or Z codes', () => {
    assert.deepEqual(codes(suggest(['Fatigue and dizziness.', 'Hypothyroidism.'])), ['E03.9', 'R53.83', 'R42']);
    assert.deepEqual(codes(suggest(['Avoid strenuous activity; elevate the leg.'])), []);
  });

  test('hypertension with CKD or heart failure takes the combination code (guideline I.C.9.a)', () => {
    assert.deepEqual(codes(suggest(['Hypertension', 'CKD stage 4'])), ['I12.9', 'N18.4']);
    assert.deepEqual(codes(suggest(['HTN', 'ESRD on dialysis'])), ['I12.0', 'N18.6']);
    const both = suggest(['Hypertension.', 'Chronic diastolic CHF.', 'CKD stage 3a.']);
    assert.deepEqual(codes(both), ['I13.0', 'I50.32', 'N18.31']);
    assert.deepEqual(both[0]!.evidence, ['a1', 'a2', 'a3']);
  });

  test('BMI is coded only beside a weight diagnosis', () => {
    assert.deepEqual(codes(suggest(['BMI 31'])), []);
    assert.equal(bmiCode('BMI of 41.2'), 'Z6841');
    assert.equal(bmiCode('body mass index: 18'), 'Z681');
    assert.equal(bmiCode('BMP ordered'), undefined);
  });

  test('transcript segments that say the same thing are cited as evidence', () => {
    const s = suggest(
      ['Type 2 diabetes, uncontrolled.', 'GERD.'],
      ['My diabetes has been bad lately.', 'The weather is nice.', 'I get acid reflux at night.', 'No reflux since the pills.'],
    );
    assert.deepEqual(s.find((x) => x.code === 'E11.9')!.evidence, ['a1', 'seg-1']);
    assert.deepEqual(s.find((x) => x.code === 'K21.9')!.evidence, ['a2', 'seg-3']);
  });

  test('the same code from several sentences is one suggestion citing all of them', () => {
    const s = suggest(['Type 2 diabetes.', 'Hypertension.', 'Diabetes: continue metformin.']);
    assert.deepEqual(codes(s), ['E11.9', 'I10']);
    assert.deepEqual(s[0]!.evidence, ['a1', 'a3']);
  });

  test('only billable codes of the code set in use, never a code it lacks', () => {
    const withoutI10 = loadTerminology(
      starterEntries.filter((e) => e.code !== 'I10' && e.code !== 'E119'),
      starterInfo,
    );
    assert.deepEqual(codes(suggest(['Hypertension', 'Type 2 diabetes'], [], withoutI10)), []);
    const sentences = [
      'Type 2 diabetes with diabetic neuropathy and foot ulcer',
      'Chronic kidney disease, hypertension, and heart failure with reduced ejection fraction',
      'Major depressive disorder, recurrent, moderate; generalized anxiety',
      'Acute sinusitis, allergic rhinitis, cough, fever, fatigue, headache',
      'Vitamin D deficiency, iron deficiency anemia, hypothyroidism, obesity class 2, BMI 37',
      'Low back pain with sciatica, osteoarthritis of knee, gout, osteoporosis',
      'Encounter for screening colonoscopy and flu shot; annual physical',
      'COVID-19 and pneumonia',
      'disease disorder pain infection other unspecified',
    ];
    for (const s of suggest(sentences)) {
      const entry = starter.codeSet.get(s.code.replace('.', ''));
      assert.ok(entry?.billable, `${s.code} must be a billable code of the set`);
      assert.equal(s.description, entry.title);
      assert.ok(s.evidence.length > 0 && s.evidence.every((id) => /^a\d+$/.test(id)), s.code);
      for (const hint of s.specificityHint?.moreSpecific ?? [])
        assert.equal(starter.codeSet.get(hint.replace('.', ''))?.billable, true, hint);
    }
  });

  test('nothing to code gives no suggestions', () => {
    assert.deepEqual(suggest([]), []);
    assert.deepEqual(suggest(['Patient is doing well.', 'Return in three months.']), []);
  });
});
