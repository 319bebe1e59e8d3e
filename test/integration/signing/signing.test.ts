/**
 * Notes and addenda are signed by one code path (main/signing/): every rule below runs against both,
 * through the API, on a real store, and must give the same answer (the same reason ids) for each.
 * Note-only (unsupported sentences) and addendum-only (held behind the original) behaviour is in
 * unsupported-sentences.test.ts and test/integration/writeback/addendum-outbox.test.ts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, test } from 'vitest';
import type { Scribe } from '../../../main/compose.js';
import { openScribe } from '../../../main/compose.js';
import type { CallContext } from '../../../main/kernel/actor.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { Deliverer, DeliveryJob } from '../../../main/writeback/delivery.js';
import type { NoteAddendum } from '../../../shared/domain/addendum.js';
import { renderSignedNoteText } from '../../../shared/domain/note-text.js';
import type { Note } from '../../../shared/domain/note.js';
import type { OutboxJobSummary } from '../../../shared/domain/outbox.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { noteDraft } from '../../helpers/note-draft.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from '../../helpers/temp-store.js';

// Both signed in to the EHR, which vouched for their practitioner ids (signer-resolution.test.ts covers the rest).
const clinician: CallContext = {
  transport: 'cli',
  actor: { id: 'dr-signing', role: 'clinician', practitioner: { id: 'dr-signing', vouchedBy: 'ehr-sign-in' } },
};
const scribeUser: CallContext = {
  transport: 'cli',
  actor: { id: 'sc-signing', role: 'scribe', practitioner: { id: 'sc-signing', vouchedBy: 'ehr-sign-in' } },
};
const admin: CallContext = { transport: 'cli', actor: { id: 'admin-signing', role: 'admin' } };

type Failure = Error & { code?: string; reason?: string; details?: Record<string, unknown> };
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** One thing to sign, ready for a signature: the visit, the revision shown to the signer, and its exact text. */
interface Ready {
  readonly visitId: string;
  readonly revision: number;
  readonly text: string;
  /** Saves a newer revision (someone edited after the signer looked); returns its number. */
  edit(text: string): Promise<number>;
}

interface Kind {
  readonly name: 'note' | 'addendum';
  readonly channel: 'visit:sign' | 'visit:signAddendum';
  readonly auditAction: string;
  /** Why a second signature of the same revision is refused. */
  readonly twiceReason: string;
  prepare(): Promise<Ready>;
}

describe('one signing path for notes and addenda', () => {
  let tmp: ReturnType<typeof tempDir>;
  let scribe: Scribe;
  const sent: DeliveryJob[] = [];
  // Every job is delivered, so an addendum (held until its original is delivered) goes out too.
  const fhir: Deliverer = {
    target: 'fhir',
    deliver(job) {
      sent.push(job);
      return Promise.resolve({
        kind: 'delivered',
        receipt: { target: 'fhir', resources: [{ type: 'DocumentReference', id: `doc-${sent.length}` }] },
      });
    },
  };

  async function call<T>(channel: string, request: unknown, ctx: CallContext = clinician): Promise<T> {
    const result = await scribe.dispatch(channel, request, ctx);
    if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
    return result.value as T;
  }
  const refusal = async (promise: Promise<unknown>): Promise<Failure> => {
    try {
      await promise;
    } catch (error) {
      return error as Failure;
    }
    throw new Error('expected a refusal');
  };
  const jobs = async () => (await call<{ jobs: OutboxJobSummary[] }>('outbox:list', {})).jobs;
  const auditOf = (visitId: string) => [...scribe.audit.entries()].filter((e) => e.objectId === visitId).map((e) => e.action);

  let encounters = 0;
  // A drafted note on a visit of its own encounter (one visit per encounter).
  async function draftedVisit(): Promise<{ visitId: string; note: Note }> {
    encounters += 1;
    const visit = await call<Visit>('visit:create', {
      patientId: SENTINEL.patientId,
      encounterId: `enc-${encounters}`,
      patient: { displayName: SENTINEL.name },
    });
    const note = await call<Note>('note:save', { visitId: visit.id, note: noteDraft(visit.id) }, scribeUser);
    return { visitId: visit.id, note };
  }

  const KINDS: Kind[] = [
    {
      name: 'note',
      channel: 'visit:sign',
      auditAction: 'note.signed',
      twiceReason: 'signing.already_signed',
      async prepare() {
        const { visitId, note } = await draftedVisit();
        return {
          visitId,
          revision: note.revision,
          text: renderSignedNoteText(note),
          edit: async (hpi) =>
            (await call<Note>('note:save', { visitId, baseRevision: note.revision, note: noteDraft(visitId, hpi) }, scribeUser)).revision,
        };
      },
    },
    {
      name: 'addendum',
      channel: 'visit:signAddendum',
      auditAction: 'note.addendum_signed',
      twiceReason: 'signing.no_open_addendum',
      async prepare() {
        const { visitId, note } = await draftedVisit();
        await call('visit:sign', { visitId, revision: note.revision });
        const text = `Addendum: ${SENTINEL.name} called back; culture negative.`;
        const addendum = await call<NoteAddendum>('note:addendum', { visitId, text }, scribeUser);
        return {
          visitId,
          revision: addendum.revision,
          text,
          edit: async (more) =>
            (await call<NoteAddendum>('note:addendum', { visitId, baseRevision: addendum.revision, text: more }, scribeUser)).revision,
        };
      },
    },
  ];

  beforeEach(() => {
    tmp = tempDir('scribe-signing-');
    sent.length = 0;
    scribe = openScribe({
      dataDir: tmp.dir,
      keyProvider: createPassphraseKeyProvider('signing test passphrase', FAST_SCRYPT),
      mode: 'create',
      writeback: { route: 'fhir', deliverers: { fhir }, leaseMs: 60_000 },
    });
  });
  afterEach(() => {
    scribe.close();
    tmp.cleanup();
  });

  describe.each(KINDS)('$name', (kind) => {
    const sign = (ready: Pick<Ready, 'visitId' | 'revision'>, ctx: CallContext = clinician) =>
      call<{
        attestation: { signedBy: string; revision: number; signedAt: string } & ({ noteSha256: string } | { sha256: string });
        jobId: string;
      }>(kind.channel, { visitId: ready.visitId, revision: ready.revision }, ctx);
    const hashOf = (attestation: { noteSha256: string } | { sha256: string }) =>
      'noteSha256' in attestation ? attestation.noteSha256 : attestation.sha256;

    test('what is signed is exactly what is sent: the attestation hashes the text the EHR receives, names the signer, and one job carries it', async () => {
      const ready = await kind.prepare();
      const before = (await jobs()).length;
      const { attestation, jobId } = await sign(ready);
      assert.equal(hashOf(attestation), sha256(ready.text));
      assert.deepEqual([attestation.signedBy, attestation.revision], [clinician.actor.id, ready.revision]);

      const after = await jobs();
      assert.equal(after.length, before + 1, 'one outbox job per signature');
      assert.deepEqual(
        after.filter((job) => job.id === jobId).map((job) => [job.visitId, job.state]),
        [[ready.visitId, 'queued']],
      );
      const visitAudit = auditOf(ready.visitId);
      assert.equal(visitAudit.filter((action) => action === kind.auditAction).length, 1, 'the signature is audited once');
      const queued = [...scribe.audit.entries()].filter((e) => e.action === 'outbox.queued' && e.objectId === jobId);
      assert.deepEqual(
        queued.map((e) => e.actor),
        [clinician.actor.id],
        'the queued job is audited, by the signer',
      );

      await scribe.outboxWorker.runOnce();
      const delivered = sent.find((job) => job.jobId === jobId);
      assert.ok(delivered, 'the job reached the target');
      assert.equal(delivered.payload.noteText, ready.text);
      assert.equal(sha256(delivered.payload.noteText), delivered.payload.attestation.noteSha256);
      assert.equal(delivered.payload.attestation.signedAt, attestation.signedAt);
      assert.equal(delivered.payload.practitioner.id, clinician.actor.id);
      assert.equal(delivered.payload.patient.id, SENTINEL.patientId);
      assert.equal((await call<Visit>('visit:get', { id: ready.visitId })).state, 'delivered');
    });

    test('a scribe cannot sign: refused before anything is attested, queued or audited', async () => {
      const ready = await kind.prepare();
      const before = (await jobs()).length;
      const refused = await refusal(sign(ready, scribeUser));
      assert.deepEqual([refused.code, refused.reason], ['forbidden', 'signing.role_forbidden']);
      assert.equal((await jobs()).length, before);
      assert.equal(auditOf(ready.visitId).includes(kind.auditAction), false);
    });

    test('the machine policy decides who signs: once an administrator lets scribes sign, a scribe can', async () => {
      await call('settings:update', { signingRoles: ['clinician', 'scribe'] }, admin);
      const ready = await kind.prepare();
      const { attestation } = await sign(ready, scribeUser);
      assert.equal(attestation.signedBy, scribeUser.actor.id);
    });

    test('the signature names the revision the signer reviewed: a newer one is refused, saying which is current', async () => {
      const ready = await kind.prepare();
      const current = await ready.edit('Changed after the signer looked.');
      const before = (await jobs()).length;
      const refused = await refusal(sign(ready));
      assert.deepEqual(
        [refused.code, refused.reason, refused.details],
        ['conflict', 'signing.revision_changed', { kind: kind.name, current }],
      );
      assert.equal((await jobs()).length, before, 'nothing queued');
      const { attestation } = await sign({ visitId: ready.visitId, revision: current });
      assert.equal(attestation.revision, current);
    });

    test('a second signature of the same revision is refused; the first stands', async () => {
      const ready = await kind.prepare();
      const first = await sign(ready);
      const before = (await jobs()).length;
      const refused = await refusal(sign(ready));
      assert.deepEqual([refused.code, refused.reason], ['conflict', kind.twiceReason]);
      assert.equal((await jobs()).length, before);
      assert.ok((await jobs()).some((job) => job.id === first.jobId));
    });

    test('empty text cannot be signed', async () => {
      const ready = await kind.prepare();
      const emptied =
        kind.name === 'note'
          ? (
              await call<Note>(
                'note:save',
                {
                  visitId: ready.visitId,
                  baseRevision: ready.revision,
                  note: { ...noteDraft(ready.visitId), sections: noteDraft(ready.visitId).sections.map((s) => ({ ...s, sentences: [] })) },
                },
                scribeUser,
              )
            ).revision
          : await ready.edit('   ');
      const refused = await refusal(sign({ visitId: ready.visitId, revision: emptied }));
      assert.deepEqual([refused.code, refused.reason], ['bad_request', 'signing.empty_text']);
    });

    test('an unknown visit is not found', async () => {
      const refused = await refusal(sign({ visitId: '00000000-0000-4000-8000-000000000000', revision: 1 }));
      assert.deepEqual([refused.code, refused.reason], ['not_found', 'visit.not_found']);
    });
  });
});
