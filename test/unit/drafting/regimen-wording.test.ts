import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { TranscriptSegment } from '../../../shared/domain/transcript.js';
import { draftOffline } from '../../../main/drafting/offline/offline-drafter.js';
import { checkFacts } from '../../../main/evidence/fact-check.js';

/** The medication list drafted from one patient answer to "What medicines are you taking?". */
function listed(answer: string): string[] {
  const segments: TranscriptSegment[] = [
    { id: 'q', startMs: 0, endMs: 1000, speaker: 'clinician', text: 'What medicines are you taking?' },
    { id: 'a', startMs: 1000, endMs: 5000, speaker: 'patient', text: answer },
  ];
  const meds = draftOffline(segments).sections.medications ?? [];
  for (const m of meds) assert.deepEqual(checkFacts(m.text, [answer]), [], `${m.text} ⟸ ${answer}`);
  return meds.map((m) => m.text);
}

describe('offline drafter: a regimen is written as said (issue 13, item 6)', () => {
  test('the repro: "metformin 500 mg twice daily" stays twice daily', () => {
    assert.deepEqual(listed('I take metformin 500 mg twice daily.'), ['Metformin 500 mg twice daily.']);
    assert.deepEqual(listed('Metformin 500 mg three times daily.'), ['Metformin 500 mg 3 times daily.']);
    assert.deepEqual(listed('Methotrexate 15 mg once weekly.'), ['Methotrexate 15 mg once weekly.']);
  });

  test('every frequency, route and count said with the medicine is kept, with the words between them', () => {
    assert.deepEqual(listed('Tramadol, 50 milligrams, every six hours as needed for pain.'), ['Tramadol 50 mg, every 6 hours as needed.']);
    assert.deepEqual(listed('Albuterol two puffs every 4-6 hours as needed.'), ['Albuterol 2 puffs every 4-6 hours as needed.']);
    assert.deepEqual(listed('She is on Trizivir 1 tablet p.o. b.i.d.'), ['Trizivir 1 tablet p.o. b.i.d.']);
    assert.deepEqual(listed('Finasteride 5 mg half tablet daily.'), ['Finasteride 5 mg half tablet daily.']);
    assert.deepEqual(listed('Tylenol 500 mg, 2 tablets, three times a day.'), ['Tylenol 500 mg, 2 tablets, 3 times a day.']);
    assert.deepEqual(listed('I take trazodone 50 mg at night.'), ['Trazodone 50 mg at night.']);
    assert.deepEqual(listed('Colchicine 0.6 daily.'), ['Colchicine 0.6 daily.']);
  });

  test('speech clean-up leaves regimen words alone: a word broken off, a range, IM in capitals', () => {
    assert.deepEqual(listed('I take metformin 1,000 milligrams twice daily- and that is it'), ['Metformin 1000 mg twice daily.']);
    assert.deepEqual(listed('oxycodone 5 mg every 4- 6 hours'), ['Oxycodone 5 mg every 4- 6 hours.']);
    assert.deepEqual(listed('They gave me ceftriaxone 1 gram IM.'), ['Ceftriaxone 1 g i.m.']);
  });

  test('a frequency said of another medicine, or a medicine only asked about or denied, is not listed with it', () => {
    assert.deepEqual(listed('I take crestor and olmesartan daily.'), ['Crestor.', 'Olmesartan daily.']);
    assert.deepEqual(listed('What about increasing my testosterone to 175 milligrams?'), []);
    assert.deepEqual(listed('I have not been taking Allegra daily.'), []);
  });
});
