import assert from 'node:assert/strict';
import { afterAll, test } from 'vitest';
import { openScribe } from '../../../main/compose.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { Note } from '../../../shared/domain/note.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { FAST_SCRYPT, tempDir } from '../../helpers/temp-store.js';

const ctx = { transport: 'cli', actor: { id: 'dr-codes', role: 'clinician' } } as const;
const tmp = tempDir('scribe-draft-codes-');
afterAll(() => tmp.cleanup());

const dialogue = [
  'Doctor: What brings you in today?',
  'Patient: My sugars have been high and I get headaches.',
  'Doctor: Your blood pressure today is 150 over 95.',
  'Doctor: So my assessment is type 2 diabetes with hyperglycemia, and essential hypertension.',
  'Doctor: We will start lisinopril 10 mg daily and follow up in three months.',
].join('\n');

test('an offline draft carries ICD-10-CM suggestions from its assessment, billable and with evidence', async () => {
  const scribe = openScribe({
    dataDir: tmp.dir,
    keyProvider: createPassphraseKeyProvider('codes passphrase', FAST_SCRYPT),
    mode: 'create',
  });
  try {
    const call = async <T>(channel: string, request: unknown): Promise<T> => {
      const result = await scribe.dispatch(channel, request, ctx);
      if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
      return result.value as T;
    };
    const visit = await call<Visit>('visit:create', { patientId: 'p-codes' });
    await call('transcript:import', { visitId: visit.id, content: dialogue });
    const { note } = await call<{ note: Note }>('visit:draft', { visitId: visit.id, engine: 'offline' });
    const codes = note.codes.map((c) => c.code);
    assert.ok(codes.includes('I10'), `hypertension coded (${codes.join(', ')})`);
    assert.ok(
      codes.some((c) => c.startsWith('E11.')),
      `type 2 diabetes coded (${codes.join(', ')})`,
    );
    const assessmentIds = new Set(note.sections.find((s) => s.id === 'assessment')!.sentences.map((s) => s.id));
    for (const code of note.codes) {
      const check = await call<{ billable: boolean; status: string }>('icd:validate', { code: code.code });
      assert.ok(check.status === 'billable' && check.billable, `${code.code} is a billable code of the set in use`);
      assert.equal(code.status, 'suggested');
      assert.ok(
        code.evidence.some((id) => assessmentIds.has(id)),
        `${code.code} cites the assessment`,
      );
    }
    assert.deepEqual(
      note.codes.map((c) => c.rank),
      note.codes.map((_, i) => i + 1),
    );
  } finally {
    scribe.close();
  }
});
