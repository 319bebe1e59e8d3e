import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { transcriptionPrompt } from '../../../main/asr/transcription-prompt.js';
import { SENTINEL } from '../../helpers/temp-store.js';

const ids = { displayName: SENTINEL.name, mrn: SENTINEL.mrn, birthDate: SENTINEL.birthDate, patientId: SENTINEL.patientId };

describe('vocabulary prompt', () => {
  test('names the medications, problems and reason for the visit', () => {
    const prompt = transcriptionPrompt(
      {
        medications: ['metoprolol succinate 50 mg', 'atorvastatin'],
        problems: ['HFrEF', 'hyperlipidemia'],
        reasonForVisit: 'shortness of breath',
      },
      ids,
    )!;
    assert.equal(
      prompt,
      'A clinic visit between a clinician and a patient. Reason for visit: shortness of breath. Problems: HFrEF, hyperlipidemia. Medications: metoprolol succinate 50 mg, atorvastatin.',
    );
  });

  test("never the patient's name, record number, ids or birth date: items holding them are left out whole", () => {
    const prompt = transcriptionPrompt(
      {
        medications: [`${SENTINEL.name.split(' ')[1]} special cream`, 'insulin glargine', `per MRN ${SENTINEL.mrn}`],
        problems: ['asthma', `born 02/28/1931`, `patient ${SENTINEL.patientId}`],
        reasonForVisit: `${SENTINEL.name.split(' ')[0]} wants a refill`,
      },
      ids,
    )!;
    assert.match(prompt, /insulin glargine/);
    assert.match(prompt, /asthma/);
    for (const secret of [SENTINEL.name, ...SENTINEL.name.split(/[\s-]/), SENTINEL.mrn, SENTINEL.patientId, '1931', 'refill'])
      assert.ok(!prompt.includes(secret), secret);
  });

  test('long digit runs are removed; nothing known means no prompt; long lists are cut at an item boundary', () => {
    assert.equal(
      transcriptionPrompt({ medications: ['call 5551234567 for refills'] }, {}),
      'A clinic visit between a clinician and a patient. Medications: call  for refills.',
    );
    assert.equal(transcriptionPrompt({}, ids), undefined);
    const many = Array.from({ length: 25 }, (_, i) => `medication-number-${i}-with-a-long-name`);
    const prompt = transcriptionPrompt({ medications: many }, {})!;
    assert.ok(prompt.length <= 800);
    assert.match(prompt, /with-a-long-name$/);
  });
});
