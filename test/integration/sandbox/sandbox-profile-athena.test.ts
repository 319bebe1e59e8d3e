import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { CapabilityStatement } from '@medplum/fhirtypes';
import { SANDBOX_HL7_TARGET, findMllpListener, sandboxMllpListener } from '../../../main/sandbox/sandbox-mllp.js';
import { Hl7Deliverer } from '../../../main/writeback/hl7/hl7-deliverer.js';
import { MllpClient } from '../../../main/writeback/hl7/mllp-client.js';
import { startFhirSandbox } from '../../helpers/fhir-sandbox.js';
import type { FhirSandboxFixture } from '../../helpers/fhir-sandbox.js';
import { buildDeliveryJob } from '../../helpers/signed-note.js';
import { PATIENT, capabilityOf, entriesOf, note, refused, selfLink } from './vendor-fixtures.js';

describe('sandbox EHR, athena profile', () => {
  let fx: FhirSandboxFixture;
  beforeAll(async () => {
    fx = await startFhirSandbox({ profile: 'athena', extraListeners: [sandboxMllpListener({ port: 0 })] });
  });
  afterAll(() => fx.close());

  test('the CapabilityStatement offers read and search only, on every resource', async () => {
    const cs = await fx.get<CapabilityStatement>('metadata');
    assert.equal(cs.rest?.[0]?.interaction, undefined);
    const resources = cs.rest?.[0]?.resource ?? [];
    assert.ok(resources.length >= 6);
    for (const r of resources) assert.deepEqual(capabilityOf(cs, r.type).interactions, ['read', 'search-type'], r.type);
    assert.ok(resources.every((r) => !r.conditionalCreate));
    assert.equal(fx.sandbox.describe().profile, 'athena');
  });

  test('every FHIR write is a 405 not-supported, and nothing is stored', async () => {
    const before = fx.sandbox.repository.counts();
    const attempts: [string, string, unknown][] = [
      ['POST', 'DocumentReference', note()],
      ['POST', 'Condition', { resourceType: 'Condition' }],
      ['PUT', 'Patient/sbx-patient-1', { resourceType: 'Patient', id: 'sbx-patient-1' }],
      ['DELETE', 'Condition/sbx-problem-1-1', undefined],
      ['POST', '', { resourceType: 'Bundle', type: 'transaction', entry: [] }],
    ];
    for (const [method, path, body] of attempts) {
      assert.equal(
        refused(await fx.request(method, path, { body }), 405, 'sandbox.not-offered').code,
        'not-supported',
        `${method} ${path}`,
      );
    }
    assert.deepEqual(fx.sandbox.repository.counts(), before);
  });

  test('DocumentReference search needs patient or _id; identifier is ignored; a bare patient id works', async () => {
    assert.equal(
      refused(await fx.request('GET', 'DocumentReference?status=current'), 400, 'athena.search.patient-required').code,
      'required',
    );
    const answer = await fx.request('GET', `DocumentReference?patient=${PATIENT}&identifier=urn:x|y`);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('x-sandbox-rule'), 'search.ignored-parameter');
    assert.equal(selfLink(answer), `${fx.sandbox.fhirBaseUrl}/DocumentReference?patient=Patient%2F${PATIENT}`);
    const encounters = entriesOf(await fx.request('GET', `Encounter?patient=${PATIENT}`));
    assert.deepEqual(
      encounters.map((e) => e.id),
      ['sbx-encounter-2'],
    );
  });

  test('the note goes over HL7 v2: an MDM the interface engine knows is AA and stored; a TXA-12 over 30 characters is AR naming TXA-12', async () => {
    const listener = findMllpListener(fx.sandbox.listeners)!;
    const hl7 = new Hl7Deliverer({ config: { ...SANDBOX_HL7_TARGET, port: listener.port, ackTimeoutMs: 5_000 } });
    try {
      const outcome = await hl7.deliver(buildDeliveryJob(), AbortSignal.timeout(10_000));
      assert.equal(outcome.kind, 'delivered', JSON.stringify(outcome));
    } finally {
      hl7.close();
    }
    assert.equal(listener.received().length, 1);

    // The same message with another control id and a 40-character TXA-12.
    const segments = listener.received()[0]!.raw.split('\r');
    const controlId = 'LONGTXA12-1';
    const rewritten = segments.map((segment) => {
      const fields = segment.split('|');
      if (fields[0] === 'MSH') fields[9] = controlId;
      if (fields[0] === 'TXA') fields[12] = `${'D'.repeat(40)}^AMBIENT_SCRIBE`;
      return fields.join('|');
    });
    const client = new MllpClient({
      host: '127.0.0.1',
      port: listener.port,
      connectTimeoutMs: 5_000,
      ackTimeoutMs: 5_000,
      maxAckBytes: 65_536,
    });
    try {
      const sent = await client.send(rewritten.join('\r'), controlId);
      assert.ok(sent.ok, JSON.stringify(sent));
      assert.equal(sent.ack.code, 'AR');
      assert.deepEqual(sent.ack.errorCodes, ['102']);
      assert.match(sent.ack.text, /TXA-12/);
    } finally {
      client.close();
    }
    assert.equal(listener.received().length, 1, 'nothing stored');
  });
});
