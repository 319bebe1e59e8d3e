import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { checkFacts } from '../../../main/evidence/fact-check.js';

const ok = (sentence: string, ...evidence: string[]) =>
  assert.deepEqual(checkFacts(sentence, evidence), [], `${sentence} ⟸ ${evidence.join(' / ')}`);

describe('fact check: doses and units', () => {
  test('a dose said in words, digits or another spelling of its unit is found', () => {
    ok('Metformin 500 mg twice daily.', 'I take metformin five hundred milligrams two times a day.');
    ok('Lisinopril 20 mg daily.', 'lisinopril 20mg every day');
    ok('Vitamin D 1,000 units daily.', 'vitamin d a thousand units a day');
    ok('Albuterol 2 puffs every 4 hours as needed.', 'albuterol two puffs every four hours as needed');
    ok('Levothyroxine 88 mcg daily.', 'levothyroxine eighty eight micrograms daily');
    ok('Glucose 180 mg/dL.', 'glucose was 180 milligrams per deciliter');
  });

  test('a changed amount is a dose mismatch; the same amount in another unit, or said without one, is a unit mismatch', () => {
    assert.deepEqual(checkFacts('Metformin 1000 mg twice daily.', ['metformin 500 mg twice a day']), [{ kind: 'dose', value: '1000 mg' }]);
    assert.deepEqual(checkFacts('Metformin 500 mcg twice daily.', ['metformin 500 mg twice a day']), [{ kind: 'unit', value: 'mcg' }]);
    assert.deepEqual(checkFacts('Metformin 500 mg twice daily.', ['metformin 500 twice a day']), [{ kind: 'unit', value: 'mg' }]);
    assert.deepEqual(checkFacts('Weight 180 kg.', ['I weigh about 180 pounds']), [{ kind: 'unit', value: 'kg' }]);
    assert.deepEqual(checkFacts('Insulin 10 IU at bedtime.', ['insulin 10 units at bedtime']), [{ kind: 'unit', value: 'IU' }]);
  });

  test("a dose belongs to the medicine named before it: another medicine's dose does not back it", () => {
    const evidence = ['I take lisinopril 500 mg and metformin 10 mg'];
    assert.deepEqual(checkFacts('Metformin 500 mg.', evidence), [{ kind: 'dose', value: '500 mg' }]);
    ok('Metformin 10 mg.', ...evidence);
    ok('Metformin 500 mg.', 'I take 500 mg of metformin and lisinopril 10 mg');
    // Said with no medicine named (the answer to "what dose of metformin?"), it backs any.
    ok('Metformin 500 mg twice daily.', 'What dose of metformin are you on?', '500 milligrams twice a day.');
  });
});

describe('fact check: frequencies', () => {
  test('the issue 13 repro: twice daily written as daily is reported', () => {
    assert.deepEqual(checkFacts('Metformin 500 mg daily.', ['metformin 500 mg twice daily']), [{ kind: 'frequency', value: 'daily' }]);
  });

  test('equivalent spellings of one schedule are found', () => {
    ok('Metformin 500 mg twice daily.', 'metformin 500 mg b.i.d.');
    ok('Metformin 500 mg BID.', 'metformin 500 mg twice a day');
    ok('Metformin 500 mg 2 times a day.', 'metformin 500 mg twice per day');
    ok('Lisinopril 10 mg daily.', 'lisinopril 10 mg once a day');
    ok('Lisinopril 10 mg once daily.', 'lisinopril 10 mg q.d.');
    ok('Lisinopril 10 mg daily.', 'lisinopril ten milligrams a day');
    ok('Amoxicillin 500 mg every 8 hours.', 'amoxicillin 500 mg q8h');
    ok('Amoxicillin 500 mg three times a day.', 'amoxicillin 500 mg t.i.d.');
    ok('Oxycodone 5 mg every 4-6 hours as needed.', 'oxycodone 5 mg every four to six hours p.r.n.');
    ok('Methotrexate 15 mg once weekly.', 'methotrexate fifteen milligrams every week');
    ok('Prednisone 10 mg every other day.', 'prednisone 10 mg every 2 days');
    ok('Zolpidem 5 mg at bedtime.', 'zolpidem 5 mg qhs');
    ok('Melatonin 3 mg at night.', 'melatonin 3 mg nightly');
    ok('Omeprazole 20 mg every morning.', 'omeprazole 20 mg in the morning');
  });

  test('an interval is not a count, a time of day is not "daily", night is not bedtime', () => {
    const differs = (sentence: string, evidence: string, value: string) =>
      assert.deepEqual(checkFacts(sentence, [evidence]), [{ kind: 'frequency', value }], `${sentence} ⟸ ${evidence}`);
    differs('Metformin 500 mg twice daily.', 'metformin 500 mg every 12 hours', 'twice daily');
    differs('Amoxicillin 500 mg three times a day.', 'amoxicillin 500 mg every eight hours', 'three times a day');
    differs('Amoxicillin 500 mg every 8 hours.', 'amoxicillin 500 mg 3 times a day', 'every 8 hours');
    differs('Lisinopril 10 mg daily.', 'lisinopril 10 mg every 24 hours', 'daily');
    differs('Omeprazole 20 mg daily.', 'omeprazole 20 mg every morning', 'daily');
    differs('Trazodone 50 mg at bedtime.', 'trazodone 50 mg at night', 'at bedtime');
    differs('Methotrexate 15 mg daily.', 'methotrexate 15 mg once weekly', 'daily');
    differs('Metformin 500 mg three times daily.', 'metformin 500 mg twice daily', 'three times daily');
  });

  test("a frequency belongs to its medicine: the other medicine's 'daily' does not back a changed 'twice daily'", () => {
    const evidence = ['metformin 500 mg twice a day and lisinopril 10 mg daily'];
    assert.deepEqual(checkFacts('Metformin 500 mg daily.', evidence), [{ kind: 'frequency', value: 'daily' }]);
    ok('Metformin 500 mg twice daily.', ...evidence);
    ok('Lisinopril 10 mg daily.', ...evidence);
  });

  test('as needed and tapering are regimen words that must be there', () => {
    assert.deepEqual(checkFacts('Ibuprofen 400 mg as needed.', ['ibuprofen 400 mg every 6 hours']), [
      { kind: 'frequency', value: 'as needed' },
    ]);
    ok('Prednisone taper.', 'we will do a prednisone taper');
    assert.deepEqual(checkFacts('Prednisone taper.', ['prednisone 40 mg daily']), [{ kind: 'frequency', value: 'taper' }]);
    // "a day" is a schedule after an amount, not in "for a day".
    ok('Had a cough for a day.', 'I had a cough for a day');
  });
});

describe('fact check: routes', () => {
  test('by mouth = PO = orally; IM in capitals or dots, never the "im" of speech', () => {
    ok('Ibuprofen 400 mg by mouth as needed.', 'ibuprofen 400 mg orally prn');
    ok('Ibuprofen 400 mg PO as needed.', 'ibuprofen 400 mg by mouth as needed');
    ok('Ceftriaxone 1 g IM once.', 'ceftriaxone 1 gram IM once');
    ok('Ceftriaxone 1 g intramuscularly.', 'ceftriaxone 1 gram i.m.');
    assert.deepEqual(checkFacts('Ceftriaxone 1 g IM.', ['ceftriaxone 1 gram im going to give it']), [{ kind: 'route', value: 'IM' }]);
    assert.deepEqual(checkFacts('Ondansetron 4 mg IV.', ['ondansetron 4 mg by mouth']), [{ kind: 'route', value: 'IV' }]);
    // "oral contraceptive" is not a route.
    ok('Takes an oral contraceptive.', 'I take the pill, a contraceptive');
  });
});

describe('fact check: numbers', () => {
  test('vitals and labs are found in words or digits; a changed value is reported', () => {
    ok('Blood pressure 120/80 mmHg.', 'your blood pressure is one twenty over eighty');
    ok('Temperature 98.6 °F.', 'temp is ninety eight point six');
    ok('Pain 7/10.', 'it is like a seven out of ten');
    ok('A1c 7.2.', 'your hemoglobin a1c was seven point two');
    ok('The patient is a 58-year-old male.', 'he is a 58-year-old male');
    assert.deepEqual(checkFacts('Blood pressure 120/80 mmHg.', ['blood pressure 120 over 90']), [{ kind: 'number', value: '120/80' }]);
    assert.deepEqual(checkFacts('A1c 7.2.', ['your a1c was 7.4']), [{ kind: 'number', value: '7.2' }]);
    // The parts of a reading do not make another reading.
    assert.deepEqual(checkFacts('Blood pressure 80/120 mmHg.', ['blood pressure 120/80']), [{ kind: 'number', value: '80/120' }]);
  });
});

describe('fact check: medications', () => {
  test('a medicine not in the evidence is reported; a brand backs its generic', () => {
    // The dose and frequency said are losartan's, so they do not back lisinopril's either.
    assert.deepEqual(checkFacts('Lisinopril 10 mg daily.', ['losartan 10 mg daily']), [
      { kind: 'medication', value: 'Lisinopril' },
      { kind: 'dose', value: '10 mg' },
      { kind: 'frequency', value: 'daily' },
    ]);
    assert.deepEqual(checkFacts('Lisinopril.', ['I take losartan']), [{ kind: 'medication', value: 'Lisinopril' }]);
    ok('Furosemide 40 mg daily.', 'lasix 40 mg a day');
    ok('Tylenol as needed.', 'acetaminophen as needed');
  });
});

describe('fact check: laterality', () => {
  test('left, right and bilateral must match; "right?" and "right now" are not sides', () => {
    assert.deepEqual(checkFacts('Left knee pain.', ['my right knee hurts']), [{ kind: 'laterality', value: 'Left' }]);
    assert.deepEqual(checkFacts('Left knee pain.', ['my knee hurts right now, right?']), [{ kind: 'laterality', value: 'Left' }]);
    ok('Left knee pain.', 'the pain is in my left knee');
    ok('Bilateral knee pain.', 'both knees hurt');
    ok('Bilateral ankle swelling.', 'the left ankle is swollen and so is the right ankle');
    assert.deepEqual(checkFacts('Bilateral ankle swelling.', ['the left ankle is swollen']), [{ kind: 'laterality', value: 'Bilateral' }]);
  });
});

describe('fact check: negation', () => {
  test('a denial backed by a "no" answer is found; by a "yes" answer or a positive statement it is reported', () => {
    ok('Denies chest pain.', 'Any chest pain?', 'No.');
    ok('Denies chills.', 'I have a fever but no chills.');
    ok('No fever.', "I haven't had any fever");
    assert.deepEqual(checkFacts('Denies chest pain.', ['Any chest pain?', 'Yes, a little.']), [
      { kind: 'negation', value: 'Denies chest pain' },
    ]);
    assert.deepEqual(checkFacts('Denies fever.', ['I have a fever but no chills.']), [{ kind: 'negation', value: 'Denies fever' }]);
  });

  test('a positive sentence whose evidence only denies it is reported', () => {
    assert.deepEqual(checkFacts('Reports chest pain.', ['I have no chest pain.']), [{ kind: 'negation', value: 'pain' }]);
    assert.deepEqual(checkFacts('Taking metformin.', ["I'm not taking metformin anymore"]), [{ kind: 'negation', value: 'metformin' }]);
    ok('Strep test negative.', 'your strep test came back negative');
    assert.deepEqual(checkFacts('Strep test positive.', ['your strep test came back negative']), [
      { kind: 'negation', value: 'Strep' },
      { kind: 'negation', value: 'test' },
    ]);
    // "no change" and "not sure" are not denials.
    ok('No change in chest pain.', 'the chest pain is the same');
  });
});

describe('fact check: what a medicine is and whose regimen is whose', () => {
  test('vitamin D is not vitamin B12; Tylenol #3 is not acetaminophen; a range is one dose', () => {
    ok('Vitamin D 2000 IU daily.', 'vitamin d 2000 iu a day');
    assert.deepEqual(checkFacts('Vitamin D 1000 units daily.', ['vitamin b12 1000 units daily']), [
      { kind: 'medication', value: 'Vitamin D' },
      { kind: 'dose', value: '1000 units' },
      { kind: 'frequency', value: 'daily' },
    ]);
    ok('Tylenol #3 every 6 hours as needed.', 'tylenol number three every six hours as needed');
    // Plain Tylenol's "as needed" is not Tylenol #3's either.
    assert.deepEqual(checkFacts('Tylenol #3 as needed.', ['tylenol as needed']), [
      { kind: 'medication', value: 'Tylenol #3' },
      { kind: 'frequency', value: 'as needed' },
    ]);
    ok('Albuterol 1-2 puffs every 4 hours.', 'albuterol one to two puffs every four hours');
    assert.deepEqual(checkFacts('Albuterol 2-4 puffs every 4 hours.', ['albuterol one to two puffs every four hours']), [
      { kind: 'dose', value: '2-4 puffs' },
    ]);
  });

  test('a score out of 10 is found from its answer to a question about the scale', () => {
    ok('Rates the pain 7/10.', 'On a scale of 1 to 10, how bad is the pain?', 'Seven.');
    assert.deepEqual(checkFacts('Rates the pain 8/10.', ['On a scale of 1 to 10, how bad is the pain?', 'Seven.']), [
      { kind: 'number', value: '8/10' },
    ]);
  });

  test('a list after "denies" is all denied; a tag question does not make a statement a question', () => {
    ok('Denies fever, chills, or night sweats.', 'No fever, no chills, no night sweats.');
    assert.deepEqual(checkFacts('Denies fever, chills, or night sweats.', ['No fever or chills, but I do have night sweats.']), [
      { kind: 'negation', value: 'Denies fever, chills, or night sweats' },
    ]);
    ok('Continue Prozac 20 mg daily.', "Let's continue you on the prozac 20 milligrams a day, okay?");
    assert.deepEqual(checkFacts('Takes lisinopril.', ['Are you taking the lisinopril?']), [{ kind: 'negation', value: 'lisinopril' }]);
  });
});

describe('fact check: cost', () => {
  test('long and repetitive lines are checked in well under a second each (no backtracking, no repeated copying)', () => {
    const line = 'metformin 500 mg twice a day b.i.d. every 8 hours no not left right 120/80 '.repeat(800);
    const start = performance.now();
    checkFacts('Metformin 500 mg daily, left knee, 120/80.', [line, 'a'.repeat(100_000), '1.'.repeat(30_000), 'q.'.repeat(30_000)]);
    assert.ok(performance.now() - start < 3000, `took ${performance.now() - start} ms`);
  });
});
