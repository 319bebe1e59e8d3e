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

describe('offline drafter: numbers and denials as said (issue 13, item 6)', () => {
  const draft = (...turns: [TranscriptSegment['speaker'], string][]) =>
    draftOffline(turns.map(([speaker, text], i) => ({ id: `s${i + 1}`, startMs: i * 1000, endMs: i * 1000 + 900, speaker, text })));

  test('a vital keeps its decimals; a year said in pairs and numbers said in a row are read as said', () => {
    const note = draft(['clinician', 'Your temperature is 98.65 and your oxygen saturation is 98.5 percent.']);
    assert.deepEqual(
      note.sections.vitals?.map((s) => s.text),
      ['Temperature 98.65 °F.', 'SpO2 98.5%.'],
    );
    const history = draft(
      ['clinician', 'What happened?'],
      ['patient', 'I had a stent placed in my heart in twenty eighteen and it took three four days to recover.'],
    );
    const text = Object.values(history.sections)
      .flatMap((list) => list?.map((s) => s.text) ?? [])
      .join(' ');
    assert.match(text, /\b2018\b/);
    assert.match(text, /\b3 4 days\b/);
  });

  test('a pain score is out of 10 only when a scale of 10 was said', () => {
    const bare = draft(['clinician', 'What would you rate your pain?'], ['patient', "It's like a nine."]);
    assert.deepEqual(
      bare.sections.hpi?.map((s) => s.text),
      ['Rates the pain 9.'],
    );
    const scaled = draft(['clinician', 'On a scale of 1 to 10, what would you rate your pain?'], ['patient', "It's like a nine."]);
    assert.deepEqual(
      scaled.sections.hpi?.map((s) => s.text),
      ['Rates the pain 9/10.'],
    );
  });

  test('"no, I sleep like a rock" is not a denial of sleep; two sentences with different regimens both stay', () => {
    const sleep = draft(['patient', 'No I sleep like a rock most nights.']);
    const all = Object.values(sleep.sections).flatMap((list) => list?.map((s) => s.text) ?? []);
    assert.ok(!all.some((t) => /^(?:\w+: )?Denies/.test(t)), JSON.stringify(all));
    const plan = draft(
      ['clinician', 'Let me examine you. Your lungs are clear.'],
      ['clinician', 'Plan: we will increase the lisinopril to 20 mg daily.'],
      ['clinician', 'Plan: we will increase the lisinopril to 20 mg twice daily.'],
    );
    const texts = Object.values(plan.sections).flatMap((list) => list?.map((s) => s.text) ?? []);
    assert.ok(
      texts.some((t) => t === 'Increase the lisinopril to 20 mg twice daily.'),
      JSON.stringify(texts),
    );
    assert.ok(
      texts.some((t) => t === 'Increase the lisinopril to 20 mg daily.'),
      JSON.stringify(texts),
    );
  });
});
