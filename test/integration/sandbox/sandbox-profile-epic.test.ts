import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { CapabilityStatement, Condition, DocumentReference } from '@medplum/fhirtypes';
import { startFhirSandbox } from '../../helpers/fhir-sandbox.js';
import type { FhirSandboxFixture } from '../../helpers/fhir-sandbox.js';
import {
  ENCOUNTER,
  OTHER_PATIENTS_ENCOUNTER,
  PATIENT,
  base64,
  capabilityOf,
  entriesOf,
  idFromLocation,
  note,
  refused,
  selfLink,
} from './vendor-fixtures.js';

const problem = (overrides: Partial<Condition> = {}): Condition => ({
  resourceType: 'Condition',
  identifier: [{ system: 'urn:ambient-scribe:condition', value: 'c-1' }],
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
  verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'provisional' }] },
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' }] }],
  code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'J20.9', display: 'Acute bronchitis, unspecified' }] },
  subject: { reference: `Patient/${PATIENT}` },
  ...overrides,
});

describe('sandbox EHR, epic profile', () => {
  let fx: FhirSandboxFixture;
  beforeAll(async () => {
    fx = await startFhirSandbox({ profile: 'epic' });
  });
  afterAll(() => fx.close());

  test('the CapabilityStatement offers notes and problems by create, read and search only, no Bundles, no conditional create', async () => {
    const cs = await fx.get<CapabilityStatement>('metadata');
    assert.equal(cs.rest?.[0]?.interaction, undefined);
    assert.deepEqual(capabilityOf(cs, 'DocumentReference').interactions, ['create', 'read', 'search-type']);
    assert.deepEqual(capabilityOf(cs, 'Condition').interactions, ['create', 'read', 'search-type']);
    assert.deepEqual(capabilityOf(cs, 'Provenance').interactions, ['read']);
    assert.deepEqual(capabilityOf(cs, 'Encounter').interactions, ['read', 'search-type']);
    assert.ok(cs.rest?.[0]?.resource?.every((r) => !r.conditionalCreate));
    assert.ok(!capabilityOf(cs, 'DocumentReference').searchParams.includes('identifier'));
  });

  test('a note is filed with what Epic keeps: one text/plain attachment, no identifier or tag; 201 with an empty body and a relative Location', async () => {
    const sent = note({
      content: [
        { attachment: { contentType: 'text/plain', data: base64('Synthetic note.'), title: 'Progress note' } },
        { attachment: { contentType: 'application/pdf', data: base64('%PDF-1.4') } },
      ],
    });
    const created = await fx.request('POST', 'DocumentReference', { body: sent });
    assert.equal(created.status, 201);
    assert.equal(created.text, '');
    assert.match(created.headers.get('location') ?? '', /^DocumentReference\/[^/]+$/);
    assert.equal(created.headers.get('etag'), null);
    assert.deepEqual(created.headers.get('x-sandbox-rule')?.split(', '), [
      'epic.docref.first-attachment-only',
      'epic.docref.unkept-fields',
    ]);

    const stored = (await fx.request('GET', created.headers.get('location')!)).json as unknown as DocumentReference;
    assert.equal(stored.identifier, undefined, 'our identifier is not kept');
    assert.equal(stored.meta?.tag, undefined, 'our tag is not kept');
    assert.equal(stored.description, undefined);
    assert.equal(stored.content.length, 1);
    assert.equal(stored.content[0]!.attachment.contentType, 'text/plain');
    assert.equal(stored.docStatus, 'final');
    assert.deepEqual(stored.context?.encounter, [{ reference: `Encounter/${ENCOUNTER}` }]);
    assert.deepEqual(stored.context?.period, sent.context?.period);
    assert.equal(stored.category?.[0]?.coding?.[0]?.code, 'clinical-note');
  });

  test('Prefer: return=representation gets the filed note; OperationOutcome gets nothing; no author files it under the background user', async () => {
    const withBody = await fx.request('POST', 'DocumentReference', {
      body: note({ author: undefined }),
      headers: { prefer: 'return=representation' },
    });
    assert.equal(withBody.status, 201);
    const body = withBody.json as unknown as DocumentReference;
    assert.deepEqual(body.author, [{ reference: 'Practitioner/sbx-background' }]);
    assert.deepEqual((await fx.request('GET', `DocumentReference/${body.id}`)).json, body);
    const outcome = await fx.request('POST', 'DocumentReference', { body: note(), headers: { prefer: 'return=OperationOutcome' } });
    assert.equal(outcome.status, 201);
    assert.equal(outcome.text, '');
  });

  test('a note Epic would not take is a 422 naming the rule, and nothing is stored', async () => {
    const before = fx.sandbox.repository.count('DocumentReference');
    const cases: [Partial<DocumentReference>, string, string][] = [
      [{ status: 'superseded' }, 'epic.docref.status', 'value'],
      [{ docStatus: undefined }, 'epic.docref.doc-status-required', 'required'],
      [{ docStatus: 'amended' }, 'epic.docref.doc-status', 'value'],
      [{ context: { period: { end: '2026-12-07T09:55:00Z' } } }, 'epic.docref.encounter-required', 'required'],
      [{ context: { encounter: [{ reference: 'Encounter/nowhere' }] } }, 'epic.docref.encounter-unknown', 'not-found'],
      [
        { context: { encounter: [{ reference: `Encounter/${OTHER_PATIENTS_ENCOUNTER}` }] } },
        'epic.docref.encounter-patient',
        'business-rule',
      ],
      [{ subject: { reference: 'Patient/nobody' } }, 'epic.docref.subject', 'not-found'],
      [
        { content: [{ attachment: { contentType: 'text/plain', url: 'https://example.org/n.txt' } }] },
        'epic.docref.content-required',
        'required',
      ],
      [
        { content: [{ attachment: { contentType: 'application/pdf', data: base64('%PDF') } }] },
        'epic.docref.content-type',
        'not-supported',
      ],
      [{ type: { coding: [{ system: 'http://loinc.org', code: '34133-9' }] } }, 'epic.docref.type', 'code-invalid'],
      [{ modifierExtension: [{ url: 'urn:x', valueBoolean: true }] }, 'epic.docref.modifier-extension', 'not-supported'],
    ];
    for (const [overrides, rule, code] of cases) {
      const answer = await fx.request('POST', 'DocumentReference', { body: note(overrides) });
      assert.equal(refused(answer, 422, rule).code, code, rule);
    }
    assert.equal(fx.sandbox.repository.count('DocumentReference'), before);
  });

  test('a problem goes only as provisional, into the holding tank: readable by id, absent from search, identifier dropped', async () => {
    const confirmed = await fx.request('POST', 'Condition', {
      body: problem({ verificationStatus: { coding: [{ code: 'confirmed' }] } }),
    });
    const issue = refused(confirmed, 422, 'epic.condition.verification-status');
    assert.equal(issue.code, 'value');
    assert.equal(issue.details?.coding?.[0]?.code, '59012');
    assert.equal(issue.diagnostics, "Only a verificationStatus of 'provisional' is supported.");
    assert.deepEqual(issue.expression, ['verificationstatus']);
    const diagnosis = await fx.request('POST', 'Condition', {
      body: problem({
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }],
      }),
    });
    assert.equal(refused(diagnosis, 422, 'epic.condition.category').code, 'not-supported');
    assert.equal(
      refused(
        await fx.request('POST', 'Condition', { body: problem({ code: { coding: [{ code: 'J20.9' }] } }) }),
        422,
        'epic.condition.code',
      ).code,
      'required',
    );

    const listed = entriesOf(await fx.request('GET', `Condition?patient=${PATIENT}`)).length;
    const created = await fx.request('POST', 'Condition', { body: problem() });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('x-sandbox-rule'), 'epic.condition.identifier-dropped');
    const stored = (await fx.request('GET', created.headers.get('location')!)).json as unknown as Condition;
    assert.equal(stored.verificationStatus?.coding?.[0]?.code, 'provisional');
    assert.equal(stored.identifier, undefined);
    assert.equal(
      entriesOf(await fx.request('GET', `Condition?patient=${PATIENT}`)).length,
      listed,
      'not on the chart before reconciliation',
    );
  });

  test('no update, patch or delete of anything, no Provenance or Encounter create, no Bundle: 405 not-supported', async () => {
    const created = await fx.request('POST', 'DocumentReference', { body: note(), headers: { prefer: 'return=representation' } });
    const doc = created.json as unknown as DocumentReference;
    const attempts: [string, string, unknown][] = [
      ['PUT', `DocumentReference/${doc.id}`, { ...doc, docStatus: 'amended' }],
      ['DELETE', `DocumentReference/${doc.id}`, undefined],
      ['PATCH', `DocumentReference/${doc.id}`, [{ op: 'replace', path: '/docStatus', value: 'amended' }]],
      ['PUT', 'Condition/sbx-problem-1-1', { resourceType: 'Condition', id: 'sbx-problem-1-1' }],
      ['POST', 'Provenance', { resourceType: 'Provenance' }],
      ['POST', 'Encounter', { resourceType: 'Encounter' }],
      ['POST', '', { resourceType: 'Bundle', type: 'transaction', entry: [] }],
    ];
    for (const [method, path, body] of attempts) {
      const answer = await fx.request(method, path, {
        body,
        headers: method === 'PATCH' ? { 'content-type': 'application/json-patch+json' } : {},
      });
      assert.equal(refused(answer, 405, 'sandbox.not-offered').code, 'not-supported', `${method} ${path}`);
    }
    assert.deepEqual((await fx.request('GET', `DocumentReference/${doc.id}`)).json, doc, 'unchanged and not deleted');
  });

  test('If-None-Exist is ignored: the same create twice files two notes', async () => {
    const headers = { 'if-none-exist': 'identifier=urn:ambient-scribe:note|twice' };
    const first = await fx.request('POST', 'DocumentReference', { body: note(), headers });
    const second = await fx.request('POST', 'DocumentReference', { body: note(), headers });
    assert.deepEqual([first.status, second.status], [201, 201]);
    assert.notEqual(idFromLocation(first), idFromLocation(second));
  });

  test('an identifier search is ignored (left out of the self link): it returns the patient\'s other notes, the false-"delivered" trap', async () => {
    await fx.request('POST', 'DocumentReference', { body: note() });
    const answer = await fx.request('GET', `DocumentReference?patient=${PATIENT}&identifier=urn:ambient-scribe:note|never-sent`);
    assert.equal(answer.status, 200);
    assert.ok(entriesOf(answer).length > 0, 'documents that do not carry the identifier come back');
    assert.equal(answer.headers.get('x-sandbox-rule'), 'search.ignored-parameter');
    assert.doesNotMatch(selfLink(answer), /identifier/);
    assert.match(selfLink(answer), /patient=Patient%2Fsbx-patient-2/);
    const strict = await fx.request('GET', `DocumentReference?patient=${PATIENT}&identifier=x|y`, {
      headers: { prefer: 'handling=strict' },
    });
    assert.equal(strict.status, 200, 'Prefer: handling=strict is not honoured');
    assert.equal(
      refused(await fx.request('GET', 'DocumentReference?identifier=x|y'), 400, 'epic.search.patient-required').code,
      'required',
    );
  });

  test('a bare patient id searches like Patient/<id>', async () => {
    const bare = entriesOf(await fx.request('GET', `DocumentReference?patient=${PATIENT}`)).map((r) => r.id);
    const typed = entriesOf(await fx.request('GET', `DocumentReference?patient=Patient/${PATIENT}`)).map((r) => r.id);
    assert.ok(bare.length > 0);
    assert.deepEqual(bare, typed);
  });

  test('a body that is not FHIR JSON is a 415; a token without the create scope is a 403 with an empty body', async () => {
    const plain = await fx.request('POST', 'DocumentReference', {
      body: JSON.stringify(note()),
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(refused(plain, 415, 'sandbox.media-type').code, 'not-supported');
    const readOnly = await fx.request('POST', 'DocumentReference', { body: note(), scope: 'system/*.read' });
    assert.equal(readOnly.status, 403);
    assert.equal(readOnly.text, '');
  });
});
