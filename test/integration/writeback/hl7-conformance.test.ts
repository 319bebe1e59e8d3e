import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Hl7Message } from '@medplum/core';
import type { Hl7Segment } from '@medplum/core';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { DeliveryJob } from '../../../main/writeback/delivery.js';
import { messageControlId } from '../../../main/writeback/hl7/control-id.js';
import type { Hl7TargetConfigInput } from '../../../main/writeback/hl7/hl7-config.js';
import { Hl7Deliverer } from '../../../main/writeback/hl7/hl7-deliverer.js';
import type { MllpListener } from '../../../main/writeback/hl7/mllp-listener.js';
import { startMllpListener } from '../../../main/writeback/hl7/mllp-listener.js';
import { buildDeliveryJob, buildSignedNotePayload } from '../../helpers/signed-note.js';

/**
 * What HL7 v2.5.1 defines for the fields an interface analyst checks first, read back from the
 * message as the receiver got it (Medplum's parser over the raw text, no app code in between):
 * - TXA-2 document type, table 0270 (user-defined; HL7 suggests PR progress note, PN procedure note);
 * - TXA-3 document content presentation, table 0191: TEXT (TX and FT were v2.2 only);
 * - TXA-12 unique document number and TXA-13 parent document number, EI of at most 30 characters;
 * - MSH-10 message control id, ST of at most 20;
 * - XCN clinician fields: 1 id, 2 family name, 3 given name, 6 prefix, 9 assigning authority, 13 identifier type code.
 */
const TXA_EI_MAX = 30;
const MSH_10_MAX = 20;
const TABLE_0191_V2_2_ONLY = ['TX', 'FT'];

const BASE = {
  host: '127.0.0.1',
  receivingApplication: 'EHR_APP',
  receivingFacility: 'NORTH',
  patientIdAuthority: 'NORTH_MRN',
  patientIdType: 'PI',
  connectTimeoutMs: 2_000,
  ackTimeoutMs: 2_000,
} as const;

const field = (segment: Hl7Segment | undefined, index: number) => segment?.getField(index)?.toString() ?? '';
const component = (segment: Hl7Segment | undefined, index: number, c: number) => segment?.getField(index)?.getComponent(c) ?? '';

describe('HL7 v2.5.1 conformance of the MDM messages as sent', () => {
  let listener: MllpListener;
  const deliverers: Hl7Deliverer[] = [];

  beforeAll(async () => {
    listener = await startMllpListener({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    for (const d of deliverers) d.close();
    await listener.close();
  });

  async function sent(job: DeliveryJob, config: Partial<Hl7TargetConfigInput> = {}): Promise<Hl7Message> {
    const deliverer = new Hl7Deliverer({ config: { ...BASE, port: listener.port, ...config } });
    deliverers.push(deliverer);
    const outcome = await deliverer.deliver(job, new AbortController().signal);
    assert.equal(outcome.kind, 'delivered', JSON.stringify(outcome));
    const raw = listener.received().find((m) => m.controlId === messageControlId(job.idempotencyKey))?.raw;
    assert.ok(raw, 'the receiver stored the message');
    return Hl7Message.parse(raw.replace(/\r$/, ''));
  }

  function addendumTo(original: DeliveryJob): DeliveryJob {
    const payload = buildSignedNotePayload({ practitionerName: 'Dr. Robin Clinician-Sandbox' });
    return buildDeliveryJob({
      ...payload,
      addendum: { seq: 1, parentJobId: original.jobId, parentIdempotencyKey: original.idempotencyKey },
    });
  }

  test('TXA-2 PR, TXA-3 TEXT, TXA-12/TXA-13 within 30 characters and stable; MSH-10 within 20', async () => {
    const original = buildDeliveryJob(buildSignedNotePayload({ practitionerName: 'Dr. Robin Clinician-Sandbox' }));
    const note = await sent(original);
    const txa = note.getSegment('TXA');
    assert.equal(field(txa, 2), 'PR', 'a progress note is PR in table 0270 (PN is a procedure note)');
    assert.equal(field(txa, 3), 'TEXT');
    assert.ok(!TABLE_0191_V2_2_ONLY.includes(field(txa, 3)));
    const txa12 = field(txa, 12);
    assert.ok(txa12.length <= TXA_EI_MAX, `TXA-12 is ${txa12.length} characters`);
    assert.equal(component(txa, 12, 2), 'AMBIENT_SCRIBE', 'namespaced by the sending application');
    assert.ok(field(note.header, 10).length <= MSH_10_MAX);
    assert.equal(field(txa, 13), '', 'an original note has no parent document');

    // A resend (another attempt, a later time) carries the same numbers, so the receiver's duplicate check holds.
    const resent = await sent({ ...original, attempt: 2 });
    assert.equal(field(resent.getSegment('TXA'), 12), txa12);

    const addendum = await sent(addendumTo(original));
    const addendumTxa = addendum.getSegment('TXA');
    assert.equal(component(addendum.header, 9, 2), 'T06');
    assert.equal(field(addendumTxa, 2), 'PR', "an addendum carries its original's type by default");
    assert.equal(field(addendumTxa, 3), 'TEXT');
    assert.ok(field(addendumTxa, 12).length <= TXA_EI_MAX);
    assert.notEqual(field(addendumTxa, 12), txa12);
    assert.equal(field(addendumTxa, 13), txa12, "TXA-13 is the original's TXA-12, whole");
  });

  test('the document type table and a long sending application: types as configured, numbers still within 30', async () => {
    const documentTypes = { soap: 'CN', 'history-physical': 'HP', 'follow-up': 'PR', addendum: 'ADD' };
    const sendingApplication = 'NORTH_CLINIC_AMBIENT_SCRIBE';
    const original = buildDeliveryJob();
    const note = await sent(original, { documentTypes, sendingApplication });
    const txa = note.getSegment('TXA');
    assert.equal(field(txa, 2), 'CN');
    assert.ok(field(txa, 12).length <= TXA_EI_MAX, `TXA-12 is ${field(txa, 12).length} characters`);
    assert.equal(component(txa, 12, 2), '', 'a namespace too long to fit is left out; MSH-3 names the sender');
    assert.equal(component(note.header, 3, 1), sendingApplication);

    const addendum = (await sent(addendumTo(original), { documentTypes, sendingApplication })).getSegment('TXA');
    assert.equal(field(addendum, 2), 'ADD');
    assert.equal(field(addendum, 13), field(txa, 12));
  });

  test('every clinician field is an XCN with family and given name, assigning authority and identifier type', async () => {
    const payload = buildSignedNotePayload({ practitionerName: 'Dr. Robin Clinician-Sandbox' });
    const job = buildDeliveryJob(payload);
    for (const [config, authority, type] of [
      [{}, 'EHR_APP', 'PRN'],
      [{ providerIdAuthority: 'NORTH_NPI', providerIdType: 'NPI' }, 'NORTH_NPI', 'NPI'],
    ] as const) {
      const message = await sent({ ...job, idempotencyKey: randomUUID() }, config);
      const fields: [string, number][] = [
        ['EVN', 5],
        ['PV1', 7],
        ['TXA', 5],
        ['TXA', 9],
        ['TXA', 10],
        ['TXA', 22],
      ];
      for (const [name, index] of fields) {
        const segment = message.getSegment(name);
        const xcn = [1, 2, 3, 6, 9, 13].map((c) => component(segment, index, c));
        assert.deepEqual(xcn, [payload.practitioner.id, 'Clinician-Sandbox', 'Robin', 'Dr.', authority, type], `${name}-${index}`);
      }
      assert.match(component(message.getSegment('TXA'), 22, 15), /^\d{14}[+-]\d{4}$/, 'TXA-22 (PPN) carries when the note was signed');
    }
  });

  test('PID-3 lists the MRN first, under the MRN namespace; the patient id follows under the EHR', async () => {
    const payload = buildSignedNotePayload();
    const message = await sent(buildDeliveryJob(payload));
    assert.equal(field(message.getSegment('PID'), 3), `${payload.patient.mrn}^^^NORTH_MRN^MR~${payload.patient.id}^^^EHR_APP^PI`);
  });
});
