import assert from 'node:assert/strict';
import { test } from 'vitest';
import { createRedactor, transcriptForPrompt } from '../../../../main/drafting/llm/prompt-input.js';
import { SENTINEL } from '../../../helpers/temp-store.js';

test("the patient's name (whole and in parts), ids and birth date in any usual spelling are replaced", () => {
  const redact = createRedactor({
    displayName: SENTINEL.name,
    mrn: SENTINEL.mrn,
    birthDate: SENTINEL.birthDate,
    patientId: SENTINEL.patientId,
  });
  const said = [
    `Good morning ${SENTINEL.name}.`,
    'So, Mr. QUILLFEATHER, or may I say Zzyzx?',
    `Your record ${SENTINEL.mrn.toLowerCase()} and chart ${SENTINEL.patientId}.`,
    'Born 02/28/1931, that is February 28th, 1931, or 28 Feb 1931, or 1931-02-28, or 2/28/31.',
    "Quillfeather-Sentinel's daughter is here.",
  ].join(' ');
  const out = redact(said);
  for (const secret of ['Zzyzx', 'Quillfeather', 'Sentinel', SENTINEL.mrn, SENTINEL.patientId, '1931', '02/28']) {
    assert.ok(!out.toLowerCase().includes(secret.toLowerCase()), `${secret} left in: ${out}`);
  }
  assert.match(out, /\[patient\]/);
  assert.match(out, /\[id\]/);
  assert.match(out, /\[birth date\]/);
  assert.match(
    redact('The patient has a 2 week history of cough.'),
    /^The patient has a 2 week history of cough\.$/,
    'other text is untouched',
  );
});

test('the prompt transcript lists each segment with its id and speaker', () => {
  const text = transcriptForPrompt(
    [
      { id: 'seg-1', startMs: 0, endMs: 1, speaker: 'clinician', text: 'Hi  there.\nHow are you?' },
      { id: 'seg-2', startMs: 1, endMs: 2, speaker: 'patient', text: 'Fine.' },
    ],
    (t) => t,
  );
  assert.equal(text, '[seg-1] clinician: Hi there. How are you?\n[seg-2] patient: Fine.');
});
