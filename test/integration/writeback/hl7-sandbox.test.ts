import assert from 'node:assert/strict';
import { afterAll, afterEach, beforeAll, describe, test } from 'vitest';
import type { Sandbox } from '../../../main/sandbox/sandbox.js';
import { startSandbox } from '../../../main/sandbox/sandbox.js';
import type { DeliveryJob } from '../../../main/writeback/delivery.js';
import { messageControlId } from '../../../main/writeback/hl7/control-id.js';
import { Hl7Deliverer } from '../../../main/writeback/hl7/hl7-deliverer.js';
import type { MllpListener } from '../../../main/writeback/hl7/mllp-listener.js';
import { SANDBOX_HL7_TARGET, findMllpListener, sandboxMllpListener } from '../../../main/sandbox/sandbox-mllp.js';
import { buildDeliveryJob, buildSignedNotePayload } from '../../helpers/signed-note.js';

describe('the sandbox EHR receives HL7 v2 over its MLLP listener', () => {
  let sandbox: Sandbox;
  let mllp: MllpListener;
  let deliverer: Hl7Deliverer;
  const deliver = (job: DeliveryJob) => deliverer.deliver(job, new AbortController().signal);
  const copies = (job: DeliveryJob) => mllp.received().filter((m) => m.controlId === messageControlId(job.idempotencyKey)).length;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, usCoreDir: null, extraListeners: [sandboxMllpListener({ port: 0 })] });
    mllp = findMllpListener(sandbox.listeners)!;
    assert.ok(mllp, 'the sandbox runs an MLLP listener');
    deliverer = new Hl7Deliverer({
      config: { ...SANDBOX_HL7_TARGET, port: mllp.port, ackTimeoutMs: 1_000 },
    });
  });
  afterEach(() => sandbox.faults.reset());
  afterAll(async () => {
    deliverer.close();
    await sandbox.close();
  });

  test('lists the listener with its address and stores a delivered note once', async () => {
    assert.deepEqual(sandbox.describe().listeners, [{ name: 'HL7 v2 MLLP', address: `mllp://127.0.0.1:${mllp.port}` }]);
    const payload = buildSignedNotePayload();
    const job = buildDeliveryJob(payload);
    assert.equal((await deliver(job)).kind, 'delivered');
    assert.equal((await deliver(job)).kind, 'delivered');
    assert.equal(copies(job), 1);
    const doc = mllp.received().find((m) => m.controlId === messageControlId(job.idempotencyKey))!.document;
    assert.equal(doc.noteText, payload.noteText);
    assert.deepEqual(doc.patient.identifiers, [
      { id: payload.patient.mrn, authority: SANDBOX_HL7_TARGET.patientIdAuthority, type: 'MR' },
      { id: payload.patient.id, authority: SANDBOX_HL7_TARGET.receivingApplication, type: 'PI' },
    ]);
  });

  test("the sandbox's error rate answers AE (retry), its drop-after-commit rate stores then drops (retry)", async () => {
    const job = buildDeliveryJob();
    sandbox.faults.update({ errorRate: 1 });
    const failed = await deliver(job);
    assert.equal(failed.kind === 'retry' && failed.code, 'hl7_ae');
    assert.equal(copies(job), 0);

    sandbox.faults.update({ errorRate: 0, dropAfterCommitRate: 1 });
    const dropped = await deliver(job);
    assert.equal(dropped.kind === 'retry' && dropped.code, 'connection_lost');
    assert.equal(copies(job), 1);

    sandbox.faults.reset();
    assert.equal((await deliver(job)).kind, 'delivered');
    assert.equal(copies(job), 1);
  });

  test("the sandbox's timeout rate leaves the sender waiting until its ACK timeout", async () => {
    sandbox.faults.update({ timeoutRate: 1, hangMs: 5_000 });
    const job = buildDeliveryJob();
    const outcome = await deliver(job);
    assert.equal(outcome.kind === 'retry' && outcome.code, 'ack_timeout');
    assert.equal(copies(job), 0);
  });
});
