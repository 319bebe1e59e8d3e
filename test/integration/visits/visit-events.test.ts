/**
 * Issue 7: every change of a visit's state reaches the UI as `visit:changed`, from one place (the
 * visit lifecycle, once the change is committed), and state moves are guarded so a stale caller
 * cannot overwrite a newer state.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { noVad } from '../../../main/capture/vad-provider.js';
import type { Scribe } from '../../../main/compose.js';
import { openScribe } from '../../../main/compose.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import { createSqliteVisitRepository } from '../../../main/store/visit-repository.js';
import { createVisitLifecycle } from '../../../main/visits/lifecycle.js';
import type { Deliverer } from '../../../main/writeback/delivery.js';
import type { Note } from '../../../shared/domain/note.js';
import type { Visit, VisitState } from '../../../shared/domain/visit.js';
import type { VisitId } from '../../../shared/ids.js';
import { noteDraft } from '../../helpers/note-draft.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from '../../helpers/temp-store.js';
import { ApiCallError } from '../../../shared/api/errors.js';

const clinician = { transport: 'web', actor: { id: 'dr-events', role: 'clinician' } } as const;
const scribeUser = { transport: 'web', actor: { id: 'sc-events', role: 'scribe' } } as const;
type Ctx = typeof clinician | typeof scribeUser;

const fakeFhir: Deliverer = {
  target: 'fhir',
  deliver: () =>
    Promise.resolve({ kind: 'delivered', receipt: { target: 'fhir', resources: [{ type: 'DocumentReference', id: 'doc-1' }] } }),
};

describe('visit:changed from every state change', () => {
  const tmp = tempDir('scribe-visit-events-');
  let scribe: Scribe;
  let changes: { visitId: string; state: VisitState; stored: VisitState | undefined }[] = [];

  async function call<T>(channel: string, request: unknown, ctx: Ctx = clinician): Promise<T> {
    const result = await scribe.dispatch(channel, request, ctx);
    if (!result.ok) throw new ApiCallError(result.error);
    return result.value as T;
  }
  const statesOf = (visitId: string) => changes.filter((c) => c.visitId === visitId).map((c) => c.state);

  beforeAll(() => {
    scribe = openScribe({
      dataDir: tmp.dir,
      keyProvider: createPassphraseKeyProvider('visit events passphrase', FAST_SCRYPT),
      mode: 'create',
      vad: noVad,
      writeback: { route: 'fhir', deliverers: { fhir: fakeFhir } },
    });
    scribe.events.subscribeAll((event, payload) => {
      if (event !== 'visit:changed') return;
      const { visitId, state } = payload as { visitId: VisitId; state: VisitState };
      // What a listener reads back when told: the change is already committed.
      const row = scribe.store.db.prepare('SELECT state FROM visits WHERE id = ?').get(visitId) as { state: VisitState } | undefined;
      changes.push({ visitId, state, stored: row?.state });
    });
  });
  afterAll(() => {
    scribe.close();
    tmp.cleanup();
  });

  test('recording, drafting, editing, marking ready, signing and delivery each announce the new state once', async () => {
    changes = [];
    const visit = await call<Visit>('visit:create', { patientId: SENTINEL.patientId, patient: { displayName: SENTINEL.name } });
    await call('visit:recordConsent', { visitId: visit.id, method: 'verbal' });
    await call('capture:start', { visitId: visit.id });
    await call('capture:append', { visitId: visit.id, seq: 0, pcm: Buffer.alloc(3200, 1).toString('base64') });
    await call('capture:stop', { visitId: visit.id });
    scribe.transcripts.appendSegments(visit.id, [
      { id: 'a1', startMs: 0, endMs: 90, speaker: 'clinician', text: 'Blood pressure is fine today.', confidence: 0.9 },
    ]);
    scribe.transcripts.finalize(visit.id);
    const drafted = await call<{ note: Note }>('visit:draft', { visitId: visit.id, engine: 'offline' }, scribeUser);
    const edited = await call<Note>(
      'note:save',
      { visitId: visit.id, baseRevision: drafted.note.revision, note: noteDraft(visit.id) },
      scribeUser,
    );
    await call('note:save', { visitId: visit.id, baseRevision: edited.revision, note: noteDraft(visit.id, 'A second edit.') }, scribeUser);
    await call('visit:markReady', { visitId: visit.id }, scribeUser);
    await call('visit:markReady', { visitId: visit.id }, scribeUser);
    // The edits replace drafted sentences with ones citing segments this transcript lacks: checked and acknowledged.
    await call('visit:sign', { visitId: visit.id, revision: edited.revision + 1, acknowledgeUnsupported: true });
    await scribe.outboxWorker.runOnce();

    assert.deepEqual(statesOf(visit.id), [
      'not_started',
      'recording',
      'transcribing',
      'draft_ready',
      'in_review',
      'ready_for_signature',
      'signed',
      'delivered',
    ]);
    for (const change of changes) assert.equal(change.stored, change.state, `told of ${change.state} after it was stored`);
  });

  test('a sign-off while the visit is being recorded is refused and does not overwrite the recording state', async () => {
    changes = [];
    const visit = await call<Visit>('visit:create', { patientId: SENTINEL.patientId });
    await call('visit:recordConsent', { visitId: visit.id, method: 'verbal' });
    await call('capture:start', { visitId: visit.id });
    const note = await call<Note>('note:save', { visitId: visit.id, note: noteDraft(visit.id) });

    await assert.rejects(call('visit:sign', { visitId: visit.id, revision: note.revision }), {
      code: 'conflict',
      reason: 'signing.visit_not_signable',
      details: { kind: 'note', state: 'recording' },
    });
    assert.equal((await call<Visit>('visit:get', { id: visit.id })).state, 'recording');
    assert.equal((await call<{ signed: boolean }>('note:get', { visitId: visit.id })).signed, false, 'nothing was signed');
    assert.deepEqual(
      (await call<{ jobs: { visitId: string }[] }>('outbox:list', {})).jobs.filter((j) => j.visitId === visit.id),
      [],
      'nothing was queued',
    );
    assert.deepEqual(statesOf(visit.id), ['not_started', 'recording']);
    await call('capture:stop', { visitId: visit.id });
  });

  test('a late draft does not move a visit back: drafting again in review keeps it in review', async () => {
    const visit = await call<Visit>('visit:create', { patientId: SENTINEL.patientId });
    await call(
      'transcript:import',
      { visitId: visit.id, content: 'Doctor: Any allergies?\nPatient: No known drug allergies.' },
      scribeUser,
    );
    const first = await call<{ note: Note }>('visit:draft', { visitId: visit.id, engine: 'offline' }, scribeUser);
    await call('note:save', { visitId: visit.id, baseRevision: first.note.revision, note: noteDraft(visit.id) }, scribeUser);
    changes = [];
    await call('visit:draft', { visitId: visit.id, engine: 'offline', replaceEdits: true }, scribeUser);
    assert.equal((await call<Visit>('visit:get', { id: visit.id })).state, 'in_review');
    assert.deepEqual(statesOf(visit.id), [], 'no state change, no event');
  });

  test('the lifecycle tells of a change only once its transaction commits, never of one rolled back', async () => {
    const visit = await call<Visit>('visit:create', { patientId: SENTINEL.patientId });
    const told: { state: VisitState; inTransaction: boolean }[] = [];
    const repo = createSqliteVisitRepository(scribe.store);
    const lifecycle = createVisitLifecycle({
      store: scribe.store,
      onStateChanged: (_id, state) => told.push({ state, inTransaction: scribe.store.db.inTransaction }),
    });

    assert.throws(() =>
      scribe.store.transaction(() => {
        lifecycle.transition(visit.id, ['not_started'], 'transcribing');
        throw new Error('rolled back');
      }),
    );
    assert.deepEqual(told, []);
    assert.equal(repo.get(visit.id)?.state, 'not_started');

    scribe.store.transaction(() => {
      assert.equal(
        lifecycle.transition(visit.id, ['recording'], 'transcribing'),
        false,
        'a guarded move from another state changes nothing',
      );
      // A nested step that fails and is caught: its change is undone and never announced.
      try {
        scribe.store.transaction(() => {
          lifecycle.transition(visit.id, ['not_started'], 'recording');
          throw new Error('inner');
        });
      } catch {
        // expected
      }
      lifecycle.transition(visit.id, ['not_started'], 'transcribing');
      assert.deepEqual(told, [], 'nothing is told before the commit');
    });
    assert.deepEqual(told, [{ state: 'transcribing', inTransaction: false }]);
    lifecycle.transition(visit.id, ['transcribing'], 'draft_ready');
    assert.deepEqual(told.at(-1), { state: 'draft_ready', inTransaction: false }, 'outside a transaction: told at once');
  });
});
