import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { CallContext } from '../../../main/kernel/actor.js';
import { openScribe } from '../../../main/compose.js';
import type { Scribe } from '../../../main/compose.js';
import { loadPolicyFile } from '../../../main/policy/policy-file.js';
import { systemClock } from '../../../main/store/clock.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import { deliverersFromSettings } from '../../../main/writeback/deliverers-from-settings.js';
import { messageControlId } from '../../../main/writeback/hl7/control-id.js';
import type { Hl7Deliverer } from '../../../main/writeback/hl7/hl7-deliverer.js';
import { hl7TargetFromSettings } from '../../../main/writeback/hl7/hl7-target-from-settings.js';
import type { MllpListener } from '../../../main/writeback/hl7/mllp-listener.js';
import { startMllpListener } from '../../../main/writeback/hl7/mllp-listener.js';
import { SANDBOX_HL7_TARGET } from '../../../main/sandbox/sandbox-mllp.js';
import type { Settings } from '../../../shared/domain/policy.js';
import { settingDefaults } from '../../../shared/domain/policy.js';
import { DEFAULT_HL7_DOCUMENT_TYPES } from '../../../shared/domain/hl7-document-types.js';
import { recordingLogger } from '../../helpers/fhir-sandbox.js';
import { buildDeliveryJob, buildSignedNotePayload } from '../../helpers/signed-note.js';
import { FAST_SCRYPT, tempDir } from '../../helpers/temp-store.js';
import { demoEhrTargets } from '../../../main/sandbox/demo-targets.js';

const IDENTITY = {
  hl7SendingApplication: 'SCRIBE_NORTH',
  hl7SendingFacility: 'NORTH CLINIC',
  hl7ReceivingApplication: 'CLOVERLEAF',
  hl7ReceivingFacility: 'MERCY_MAIN',
  hl7PatientIdAuthority: 'MERCY_MRN',
  hl7PatientIdType: 'MR',
  hl7ProcessingId: 'T',
  hl7DocumentTypes: { soap: 'PROGRESS', 'history-physical': 'H_P', 'follow-up': 'PROGRESS', addendum: 'ADDENDUM' },
  hl7ProviderIdAuthority: 'MERCY_NPI',
  hl7ProviderIdType: 'NPI',
} as const satisfies Partial<Settings>;

/** MSH-n of a raw message: the field separator is MSH-1, so MSH-n is the (n-1)th piece. */
function msh(raw: string, n: number): string {
  const line = raw.split('\r').find((segment) => segment.startsWith('MSH|'))!;
  return line.split('|')[n - 1]!;
}

function pid3(raw: string): string {
  return raw
    .split('\r')
    .find((segment) => segment.startsWith('PID|'))!
    .split('|')[3]!;
}

describe('HL7 v2 receiver identity from the settings', () => {
  const tmp = tempDir('scribe-hl7-identity-');
  let listener: MllpListener;

  beforeAll(async () => {
    listener = await startMllpListener({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await listener.close();
    tmp.cleanup();
  });

  test('a configured MLLP receiver gets MSH-3..6, MSH-11 and PID-3 exactly as configured', async () => {
    const settings: Settings = {
      ...settingDefaults,
      ehrRouting: 'hl7v2',
      mllpHost: '127.0.0.1',
      mllpPort: listener.port,
      mllpTls: false,
      ...IDENTITY,
    };
    const deliverers = await deliverersFromSettings(settings, {
      defaults: demoEhrTargets(tmp.dir),
      logger: recordingLogger(),
      clock: systemClock,
    });
    const hl7 = deliverers.hl7v2 as Hl7Deliverer | undefined;
    assert.ok(hl7, 'the HL7 target is built');
    try {
      const payload = buildSignedNotePayload();
      const job = buildDeliveryJob(payload);
      assert.equal((await hl7.deliver(job, new AbortController().signal)).kind, 'delivered');
      const received = listener.received().find((m) => m.controlId === messageControlId(job.idempotencyKey));
      assert.ok(received, 'the receiver stored the message');
      assert.deepEqual(
        [3, 4, 5, 6, 11].map((n) => msh(received.raw, n)),
        ['SCRIBE_NORTH', 'NORTH CLINIC', 'CLOVERLEAF', 'MERCY_MAIN', 'T'],
      );
      // The MRN first under the MRN namespace; the EHR's own patient id after it, typed PI and assigned by the receiving application.
      assert.equal(pid3(received.raw), `${payload.patient.mrn}^^^MERCY_MRN^MR~${payload.patient.id}^^^CLOVERLEAF^PI`);
      const doc = received.document;
      assert.equal(doc.sendingApplication, 'SCRIBE_NORTH');
      assert.equal(doc.processingId, 'T');
      assert.deepEqual(doc.patient.identifiers[0], { id: payload.patient.mrn, authority: 'MERCY_MRN', type: 'MR' });
      assert.equal(doc.document.uniqueDocumentNamespace, 'SCRIBE_NORTH', 'TXA-12 is namespaced by the sending application');
      assert.equal(doc.document.type, 'PROGRESS', 'TXA-2 from the document type table');
      assert.deepEqual(
        [doc.eventOperator, doc.attending, doc.document.authenticatedBy].map((p) => [p.id, p.authority, p.idType]),
        Array.from({ length: 3 }, () => [payload.practitioner.id, 'MERCY_NPI', 'NPI']),
      );
    } finally {
      hl7.close();
    }
  });

  test('a host without the receiver identity builds no HL7 target, and says which settings are missing', async () => {
    const settings: Settings = {
      ...settingDefaults,
      ehrRouting: 'hl7v2',
      mllpHost: '127.0.0.1',
      mllpPort: listener.port,
      mllpTls: false,
      hl7ReceivingFacility: 'MERCY_MAIN',
    };
    assert.throws(() => hl7TargetFromSettings(settings, SANDBOX_HL7_TARGET), {
      code: 'unavailable',
      message:
        "The HL7 v2 connection needs the receiver's identity: set hl7ReceivingApplication, hl7PatientIdAuthority (ask the interface engine's team).",
    });
    const logger = recordingLogger();
    const deliverers = await deliverersFromSettings(settings, { defaults: demoEhrTargets(tmp.dir), logger, clock: systemClock });
    assert.equal(deliverers.hl7v2, undefined);
    assert.ok(logger.lines.some((line) => line.includes('writeback.target_unavailable') && line.includes('hl7v2')));
  });

  test('with no host, the defaults address the sandbox EHR as before', () => {
    assert.deepEqual(hl7TargetFromSettings(settingDefaults, SANDBOX_HL7_TARGET), {
      ...SANDBOX_HL7_TARGET,
      sendingApplication: 'AMBIENT_SCRIBE',
      processingId: 'P',
      documentTypes: DEFAULT_HL7_DOCUMENT_TYPES,
      providerIdType: 'PRN',
    });
  });
});

describe('HL7 identity settings are validated and lockable', () => {
  const tmp = tempDir('scribe-hl7-identity-api-');
  const admin: CallContext = { transport: 'ipc', actor: { id: 'it-admin', role: 'admin' } };
  let scribe: Scribe;
  type Result =
    | { ok: true; value: { settings: Record<string, { value: unknown; locked: boolean }> } }
    | { ok: false; error: { code: string; message: string; fields?: string[] } };
  const update = async (request: unknown) => (await scribe.dispatch('settings:update', request, admin)) as Result;

  beforeAll(() => {
    const policyFile = join(tmp.dir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ hl7ProcessingId: 'T', hl7ReceivingFacility: 'MERCY_MAIN' }));
    scribe = openScribe({
      dataDir: join(tmp.dir, 'data'),
      keyProvider: createPassphraseKeyProvider('hl7 identity test', FAST_SCRYPT),
      mode: 'create',
      policy: loadPolicyFile(policyFile, { requireAdminOwned: false }),
    });
  });
  afterAll(() => {
    scribe.close();
    tmp.cleanup();
  });

  test('values with HL7 delimiters, control characters, edge spaces or over 180 characters are refused, naming the setting', async () => {
    for (const bad of ['CLOVER|LEAF', 'A^B', 'A~B', 'A\\B', 'A&B', 'A\rB', ' LEADING', 'TRAILING ', '', 'X'.repeat(181)]) {
      const result = await update({ hl7ReceivingApplication: bad });
      assert.equal(result.ok, false, JSON.stringify(bad));
      assert.deepEqual(!result.ok && result.error, {
        code: 'bad_request',
        message: 'Invalid request: check hl7ReceivingApplication.',
        fields: ['hl7ReceivingApplication'],
      });
    }
    assert.equal((await update({ hl7PatientIdType: 'XX' })).ok, false);
    const table = { ...DEFAULT_HL7_DOCUMENT_TYPES, soap: 'P|R' };
    assert.equal((await update({ hl7DocumentTypes: table })).ok, false, 'a document type with a delimiter');
    assert.equal((await update({ hl7DocumentTypes: { soap: 'PR' } })).ok, false, 'the table names every kind');
    assert.equal((await update({ hl7ProviderIdType: 'XX' })).ok, false);
    assert.equal((await update({ hl7SendingApplication: null })).ok, false, 'MSH-3 cannot be blank');
    const good = await update({ hl7ReceivingApplication: 'CLOVERLEAF', hl7SendingFacility: 'North Clinic 2', hl7PatientIdType: 'MR' });
    assert.ok(good.ok);
    assert.equal(good.value.settings['hl7ReceivingApplication']?.value, 'CLOVERLEAF');
    assert.equal(scribe.settings.values().hl7PatientIdType, 'MR');
  });

  test('IT locks them in the machine policy; a policy with a bad value says why', async () => {
    const locked = await update({ hl7ProcessingId: 'P' });
    assert.deepEqual(!locked.ok && locked.error.code, 'locked_by_policy');
    assert.deepEqual(scribe.settings.view().settings.hl7ProcessingId, { value: 'T', source: 'policy', locked: true });
    const bad = join(tmp.dir, 'bad-policy.json');
    writeFileSync(bad, JSON.stringify({ hl7PatientIdAuthority: 'MRN&1' }));
    assert.throws(
      () => loadPolicyFile(bad, { requireAdminOwned: false }),
      /hl7PatientIdAuthority: must not contain \| \^ ~ \\ & or control characters/,
    );
  });
});
