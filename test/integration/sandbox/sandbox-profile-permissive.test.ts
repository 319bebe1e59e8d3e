import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { CapabilityStatement, Condition, DocumentReference, Encounter, OperationOutcome } from '@medplum/fhirtypes';
import { startFhirSandbox } from '../../helpers/fhir-sandbox.js';
import type { FhirSandboxFixture } from '../../helpers/fhir-sandbox.js';
import { OUR_ID, capabilityOf, entriesOf, note, refused, selfLink } from './vendor-fixtures.js';

describe('sandbox EHR, permissive profile (the default)', () => {
  let fx: FhirSandboxFixture;
  let created: DocumentReference;
  beforeAll(async () => {
    fx = await startFhirSandbox();
    created = (await fx.request('POST', 'DocumentReference', { body: note() })).json as unknown as DocumentReference;
  });
  afterAll(() => fx.close());

  test('the CapabilityStatement offers everything: transaction, batch, conditional create, update and delete', async () => {
    const cs = await fx.get<CapabilityStatement>('metadata');
    assert.deepEqual(
      cs.rest?.[0]?.interaction?.map((i) => i.code),
      ['transaction', 'batch', 'search-system'],
    );
    const docs = capabilityOf(cs, 'DocumentReference');
    assert.ok(docs.conditionalCreate);
    for (const code of ['create', 'read', 'update', 'delete', 'search-type'] as const) assert.ok(docs.interactions.includes(code), code);
    assert.ok(docs.searchParams.includes('identifier'));
    assert.equal(fx.sandbox.describe().profile, 'permissive');
  });

  test('a create keeps everything and answers with it by default; Prefer: return=minimal is empty, return=OperationOutcome an information issue', async () => {
    assert.deepEqual(created.identifier, [OUR_ID]);
    assert.equal(created.content.length, 1);
    const minimal = await fx.request('POST', 'DocumentReference', { body: note(), headers: { prefer: 'return=minimal' } });
    assert.equal(minimal.status, 201);
    assert.equal(minimal.text, '');
    assert.match(minimal.headers.get('location') ?? '', /\/fhir\/DocumentReference\/[^/]+\/_history\/[^/]+$/);
    assert.match(minimal.headers.get('etag') ?? '', /^W\/"/);
    const outcome = await fx.request('POST', 'DocumentReference', { body: note(), headers: { prefer: 'return=OperationOutcome' } });
    assert.equal(outcome.status, 201);
    assert.equal((outcome.json as unknown as OperationOutcome).issue[0]?.severity, 'information');
  });

  test('a client-chosen id on create is not kept: it cannot overwrite a resource', async () => {
    const answer = await fx.request('POST', 'DocumentReference', { body: { ...note(), id: created.id } });
    assert.equal(answer.status, 201);
    assert.notEqual((answer.json as unknown as DocumentReference).id, created.id);
    assert.deepEqual((await fx.request('GET', `DocumentReference/${created.id}`)).json, created);
  });

  test('a body that is not FHIR JSON is a 415 not-supported, and nothing is stored', async () => {
    const before = fx.sandbox.repository.count('DocumentReference');
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const answer = await fx.request('POST', 'DocumentReference', { body: JSON.stringify(note()), headers: { 'content-type': type } });
      assert.equal(refused(answer, 415, 'sandbox.media-type').code, 'not-supported', type);
    }
    const withCharset = await fx.request('POST', 'DocumentReference', {
      body: note(),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    assert.equal(withCharset.status, 201);
    assert.equal(fx.sandbox.repository.count('DocumentReference'), before + 1);
  });

  test('patient=<bare id> finds what patient=Patient/<id> finds, on DocumentReference, Condition and Encounter', async () => {
    for (const [type, patient] of [
      ['DocumentReference', 'sbx-patient-2'],
      ['Condition', 'sbx-patient-1'],
      ['Encounter', 'sbx-patient-3'],
    ] as const) {
      const bare = entriesOf(await fx.request('GET', `${type}?patient=${patient}`)).map((r) => r.id);
      const typed = entriesOf(await fx.request('GET', `${type}?patient=Patient/${patient}`)).map((r) => r.id);
      assert.ok(bare.length > 0, type);
      assert.deepEqual(bare, typed, type);
    }
    const bySubject = entriesOf(await fx.request('GET', 'Condition?subject=sbx-patient-1')) as Condition[];
    assert.ok(bySubject.length > 0 && bySubject.every((c) => c.subject.reference === 'Patient/sbx-patient-1'));
    const byEncounter = entriesOf(await fx.request('GET', 'DocumentReference?encounter=sbx-encounter-2')) as DocumentReference[];
    assert.ok(byEncounter.some((d) => d.id === created.id));
    assert.deepEqual(
      (entriesOf(await fx.request('GET', 'Encounter?subject=sbx-patient-1')) as Encounter[]).map((e) => e.id),
      ['sbx-encounter-1'],
    );
  });

  test('identifier is honoured; an unknown parameter is ignored and left out of the self link, or refused under Prefer: handling=strict', async () => {
    assert.deepEqual(
      entriesOf(await fx.request('GET', `DocumentReference?identifier=${OUR_ID.system}|${OUR_ID.value}`))
        .map((r) => r.id)
        .includes(created.id),
      true,
    );
    assert.equal(entriesOf(await fx.request('GET', `DocumentReference?identifier=${OUR_ID.system}|never-sent`)).length, 0);
    const unknown = await fx.request('GET', 'DocumentReference?patient=sbx-patient-2&made-up=1');
    assert.ok(
      entriesOf(unknown).some((r) => r.id === created.id),
      'the unknown parameter does not empty the result',
    );
    assert.equal(unknown.headers.get('x-sandbox-rule'), 'search.ignored-parameter');
    assert.equal(selfLink(unknown), `${fx.sandbox.fhirBaseUrl}/DocumentReference?patient=Patient%2Fsbx-patient-2`);
    const strict = await fx.request('GET', 'DocumentReference?patient=sbx-patient-2&made-up=1', { headers: { prefer: 'handling=strict' } });
    const issue = refused(strict, 400, 'search.unknown-parameter');
    assert.equal(issue.code, 'not-supported');
    assert.match(issue.details?.text ?? '', /made-up/);
  });

  test('update and delete follow the token: a create-and-read token cannot change a delivered Condition or delete a note', async () => {
    const scope = 'system/Condition.c system/DocumentReference.c system/*.read';
    const condition = (await fx.request('GET', 'Condition/sbx-problem-1-1')).json as unknown as Condition;
    assert.equal(
      (await fx.request('PUT', 'Condition/sbx-problem-1-1', { body: { ...condition, onsetDateTime: '2001-01-01' }, scope })).status,
      403,
    );
    assert.equal((await fx.request('DELETE', `DocumentReference/${created.id}`, { scope })).status, 403);
    assert.deepEqual((await fx.request('GET', 'Condition/sbx-problem-1-1')).json, condition);
    assert.equal((await fx.request('GET', `DocumentReference/${created.id}`)).status, 200);
    assert.equal(
      (await fx.request('DELETE', `DocumentReference/${created.id}`)).status,
      200,
      'system/*.write may delete here (permissive)',
    );
  });
});
