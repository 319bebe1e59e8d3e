/**
 * Sign-off re-derives what it signs from the store, never from what a client saved (issue 13, items 1
 * and 2): support is recomputed from the transcript as it is at signing, a transcript replaced after
 * drafting leaves its sentences without evidence, and accepted codes are checked against the code set
 * in use. Everything goes through the API the review view uses.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { Scribe } from '../../../main/compose.js';
import { openScribe } from '../../../main/compose.js';
import type { CallContext } from '../../../main/kernel/actor.js';
import type { NoteDraft } from '../../../main/notes/note-service.js';
import { basisOf } from '../../../main/evidence/evidence-basis.js';
import { parsePlainText } from '../../../main/transcripts/import/plain-text.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { NoteView as NoteViewSchema } from '../../../shared/api/contract.js';
import type { z } from 'zod';
import type { Note } from '../../../shared/domain/note.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { NOTE_DRAFT_TRANSCRIPT, noteDraft, saveAsDrafted } from '../../helpers/note-draft.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from '../../helpers/temp-store.js';

const clinician: CallContext = { transport: 'ipc', actor: { id: 'dr-derive', role: 'clinician' } };
const scribeUser: CallContext = { transport: 'ipc', actor: { id: 'sc-derive', role: 'scribe' } };
type Result = { ok: true; value: unknown } | { ok: false; error: { code: string; reason: string; details?: Record<string, unknown> } };

const UNRELATED = ['Doctor: How is the knee since the fall?', 'Patient: Still swollen.', 'Doctor: Keep icing it.', 'Patient: Okay.'].join(
  '\n',
);

describe('sign-off derives support and codes from the store', () => {
  const tmp = tempDir('scribe-sign-derive-');
  let scribe: Scribe;
  const call = async (channel: string, request: unknown, ctx: CallContext = clinician) =>
    (await scribe.dispatch(channel, request, ctx)) as Result;
  const value = <T>(result: Result): T => {
    assert.ok(result.ok, JSON.stringify(result));
    return result.value as T;
  };
  const draftedVisit = async (draft: (visitId: string) => NoteDraft = noteDraft) => {
    const visit = value<Visit>(await call('visit:create', { patientId: SENTINEL.patientId, patient: { displayName: SENTINEL.name } }));
    value(await call('transcript:import', { visitId: visit.id, content: NOTE_DRAFT_TRANSCRIPT }, scribeUser));
    saveAsDrafted(scribe.store, visit.id, draft(visit.id));
    return visit.id;
  };
  const view = async (visitId: string) => value<z.infer<typeof NoteViewSchema>>(await call('note:get', { visitId }));

  beforeAll(() => {
    scribe = openScribe({ dataDir: tmp.dir, keyProvider: createPassphraseKeyProvider('derive passphrase', FAST_SCRYPT), mode: 'create' });
  });
  afterAll(() => {
    scribe.close();
    tmp.cleanup();
  });

  test('a note drafted from its transcript is supported and signs without acknowledgement', async () => {
    const visitId = await draftedVisit();
    const { note, transcriptChanged } = await view(visitId);
    assert.equal(transcriptChanged, false);
    assert.deepEqual(
      note.sections.flatMap((s) => s.sentences.map((x) => x.support)),
      ['supported', 'supported', 'supported', 'supported'],
    );
    value(await call('visit:sign', { visitId, revision: note.revision }));
  });

  test('the evidence basis is stored sealed: no digest of what was said is readable in the file', async () => {
    const visitId = await draftedVisit();
    const row = scribe.store.db.prepare('SELECT evidence_basis FROM notes WHERE visit_id = ?').get(visitId) as { evidence_basis: Buffer };
    const digests = Object.values(
      basisOf(parsePlainText(NOTE_DRAFT_TRANSCRIPT).map((turn, i) => ({ id: `seg-${i + 1}`, text: turn.text }))),
    );
    assert.equal(digests.length, 5);
    for (const digest of digests) assert.equal(row.evidence_basis.includes(digest), false, 'a digest in the clear');
    assert.equal(row.evidence_basis.includes('seg-1'), false, 'the basis is one sealed value, not readable JSON');
  });

  test('a transcript replaced after drafting: the review shows which sentences lost their evidence, and signing needs acknowledgement', async () => {
    const visitId = await draftedVisit();
    value(await call('transcript:import', { visitId, content: UNRELATED, replace: true }, scribeUser));
    const { note, transcriptChanged } = await view(visitId);
    assert.equal(transcriptChanged, true);
    const sentences = note.sections.flatMap((s) => s.sentences);
    // Segment ids seg-1 … seg-4 still exist but hold other words; seg-5 is gone.
    assert.deepEqual(
      sentences.map((s) => [s.id, s.support, s.check?.changedEvidence, s.check?.missingEvidence]),
      [
        ['s1', 'unsupported', ['seg-1'], []],
        ['s2', 'unsupported', ['seg-1', 'seg-2'], []],
        ['s3', 'unsupported', ['seg-4'], []],
        ['s4', 'unsupported', [], ['seg-5']],
      ],
    );
    const refused = await call('visit:sign', { visitId, revision: note.revision });
    assert.equal(!refused.ok && refused.error.reason, 'signing.unsupported_unacknowledged');
    assert.deepEqual(!refused.ok && refused.error.details, { count: 4 });
    value(await call('visit:sign', { visitId, revision: note.revision, acknowledgeUnsupported: true }));
    // Once signed, the evidence it was signed on can no longer be swapped.
    const locked = await call('transcript:import', { visitId, content: NOTE_DRAFT_TRANSCRIPT, replace: true }, scribeUser);
    assert.equal(!locked.ok && locked.error.reason, 'transcript.import_locked');
  });

  test('support a client claims is not taken: evidence [] marked supported, and a drafted sentence relabelled as added, both count', async () => {
    const visitId = await draftedVisit();
    const base = (await view(visitId)).note;
    const claimed: NoteDraft = {
      ...base,
      sections: base.sections.map((section) => ({
        ...section,
        sentences: section.sentences.map((s) =>
          s.id === 's2'
            ? { ...s, text: 'Patient reports three days of sore throat and high fever.', evidence: [], support: 'supported' as const }
            : s.id === 's4'
              ? { ...s, origin: 'added' as const, evidence: ['seg-99'] }
              : s,
        ),
      })),
    };
    const saved = value<Note>(await call('note:save', { visitId, baseRevision: base.revision, note: claimed }, scribeUser));
    const byId = new Map(saved.sections.flatMap((s) => s.sentences).map((s) => [s.id, s]));
    assert.deepEqual([byId.get('s2')?.support, byId.get('s2')?.origin], ['unsupported', 'edited']);
    assert.deepEqual(
      [byId.get('s4')?.support, byId.get('s4')?.origin, byId.get('s4')?.check?.missingEvidence],
      ['unsupported', 'drafted', ['seg-99']],
    );
    const refused = await call('visit:sign', { visitId, revision: saved.revision });
    assert.deepEqual(!refused.ok && [refused.error.reason, refused.error.details], ['signing.unsupported_unacknowledged', { count: 2 }]);
  });

  test('a code the code set does not hold is refused when accepted, and its description always comes from the code set', async () => {
    const visitId = await draftedVisit();
    const base = (await view(visitId)).note;
    const withCodes = (codes: Note['codes']): NoteDraft => ({ ...base, codes });
    const invented = await call(
      'note:save',
      {
        visitId,
        baseRevision: base.revision,
        note: withCodes([{ code: 'I10.9', description: 'Hypertension', rank: 1, evidence: [], status: 'accepted' }]),
      },
      scribeUser,
    );
    assert.deepEqual(!invented.ok && [invented.error.reason, invented.error.details], ['note.code_not_billable', { codes: 'I10.9' }]);
    const relabelled = value<Note>(
      await call(
        'note:save',
        {
          visitId,
          baseRevision: base.revision,
          note: withCodes([{ code: 'J02.9', description: 'Something the client made up', rank: 1, evidence: [], status: 'accepted' }]),
        },
        scribeUser,
      ),
    );
    assert.equal(relabelled.codes[0]?.description, 'Acute pharyngitis, unspecified');
  });

  test('an accepted code no longer billable at signing stops the signature before anything is locked', async () => {
    const visitId = await draftedVisit((id) => ({
      ...noteDraft(id),
      codes: [{ code: 'I10.9', description: 'Hypertension', rank: 1, evidence: [], status: 'accepted' }],
    }));
    const { note } = await view(visitId);
    const refused = await call('visit:sign', { visitId, revision: note.revision, acknowledgeUnsupported: true });
    assert.deepEqual(!refused.ok && [refused.error.reason, refused.error.details], ['signing.code_not_billable', { codes: 'I10.9' }]);
    assert.equal((await view(visitId)).signed, false);
    assert.equal(value<Visit>(await call('visit:get', { id: visitId })).state, 'not_started');
  });
});
