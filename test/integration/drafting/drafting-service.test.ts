import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { Scribe } from '../../../main/compose.js';
import { openScribe } from '../../../main/compose.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import { NoteDraft } from '../../../shared/api/contract.js';
import type { DraftResult } from '../../../shared/domain/drafting.js';
import type { Note } from '../../../shared/domain/note.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from '../../helpers/temp-store.js';
import { ApiCallError } from '../../../shared/api/errors.js';

const scribeUser = { transport: 'cli', actor: { id: 'scribe-2', role: 'scribe' } } as const;
const clinician = { transport: 'cli', actor: { id: 'dr-2', role: 'clinician' } } as const;
const admin = { transport: 'cli', actor: { id: 'it-2', role: 'admin' } } as const;
type Ctx = typeof scribeUser | typeof clinician | typeof admin;

describe('drafting service (offline engine, real store)', () => {
  const tmp = tempDir('scribe-drafting-');
  let scribe: Scribe;

  async function call<T>(channel: string, request: unknown, ctx: Ctx = scribeUser): Promise<T> {
    const result = await scribe.dispatch(channel, request, ctx);
    if (!result.ok) throw new ApiCallError(result.error);
    return result.value as T;
  }
  const newVisit = () => call<Visit>('visit:create', { patientId: SENTINEL.patientId, patient: { displayName: SENTINEL.name } });
  const IMPORTED =
    'Doctor: What brings you in?\nPatient: I have had a headache for two days.\nDoctor: I think this is a tension headache. Take ibuprofen 400 mg as needed.';

  beforeAll(() => {
    scribe = openScribe({
      dataDir: tmp.dir,
      keyProvider: createPassphraseKeyProvider('drafting service passphrase', FAST_SCRYPT),
      mode: 'open-or-create',
    });
  });
  afterAll(() => {
    scribe.close();
    tmp.cleanup();
  });

  test('drafting needs a final transcript', async () => {
    const visit = await newVisit();
    await assert.rejects(call('visit:draft', { visitId: visit.id, engine: 'offline' }), { code: 'not_found' });
    scribe.transcripts.appendSegments(visit.id, [{ id: 'a1', startMs: 0, endMs: 900, speaker: 'patient', text: 'I have a cough.' }]);
    await assert.rejects(call('visit:draft', { visitId: visit.id, engine: 'offline' }), {
      code: 'conflict',
      reason: 'drafting.transcript_not_final',
    });
    scribe.transcripts.finalize(visit.id);
    const result = await call<DraftResult>('visit:draft', { visitId: visit.id, engine: 'offline' });
    assert.equal(result.note.revision, 1);
    assert.equal((await call<Visit>('visit:get', { id: visit.id })).state, 'draft_ready');
  });

  test('a draft is a revision of kind draft; drafting again over human edits needs replaceEdits; a signed note is never redrafted', async () => {
    const visit = await newVisit();
    await call('transcript:import', { visitId: visit.id, content: IMPORTED });
    const first = await call<DraftResult>('visit:draft', { visitId: visit.id, engine: 'offline' });
    const second = await call<DraftResult>('visit:draft', { visitId: visit.id, engine: 'offline', template: 'history-physical' });
    assert.equal(second.note.revision, 2, 'a re-draft over an untouched draft is fine');
    const edited = await call<Note>('note:save', { visitId: visit.id, baseRevision: 2, note: NoteDraft.parse(first.note) });
    assert.equal(edited.revision, 3);
    await assert.rejects(call('visit:draft', { visitId: visit.id, engine: 'offline' }), {
      code: 'conflict',
      reason: 'drafting.note_has_edits',
      details: { edits: 1 },
    });
    const again = await call<DraftResult>('visit:draft', { visitId: visit.id, engine: 'offline', replaceEdits: true });
    assert.equal(again.note.revision, 4);
    const view = await call<{ revisions: { kind: string; author: string }[] }>('note:get', { visitId: visit.id });
    assert.deepEqual(
      view.revisions.map((r) => r.kind),
      ['draft', 'draft', 'edit', 'draft'],
      'the edit stays in the history',
    );

    await call('visit:sign', { visitId: visit.id, revision: 4 }, clinician);
    await assert.rejects(call('visit:draft', { visitId: visit.id, engine: 'offline', replaceEdits: true }), {
      code: 'conflict',
      reason: 'note.signed_locked',
    });
  });

  test('only clinicians and scribes draft; unknown visits are not found', async () => {
    const visit = await newVisit();
    await call('transcript:import', { visitId: visit.id, content: IMPORTED });
    await assert.rejects(call('visit:draft', { visitId: visit.id }, admin), { code: 'forbidden' });
    await assert.rejects(call('visit:draft', { visitId: '00000000-0000-4000-8000-000000000000' }), { code: 'not_found' });
    await assert.rejects(call('visit:draft', { visitId: visit.id, template: 'discharge' }), { code: 'bad_request' });
  });
});
