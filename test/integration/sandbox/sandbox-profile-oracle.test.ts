import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { CapabilityStatement, Condition, DocumentReference, Provenance } from '@medplum/fhirtypes';
import { startFhirSandbox } from '../../helpers/fhir-sandbox.js';
import type { FhirSandboxFixture } from '../../helpers/fhir-sandbox.js';
import { ENCOUNTER, OUR_TAG, PATIENT, base64, capabilityOf, entriesOf, note, refused, selfLink } from './vendor-fixtures.js';

const diagnosis = (overrides: Partial<Condition> = {}): Condition => ({
  resourceType: 'Condition',
  identifier: [{ system: 'urn:ambient-scribe:condition', value: 'c-1' }],
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }],
  code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'J20.9', display: 'Acute bronchitis, unspecified' }] },
  subject: { reference: `Patient/${PATIENT}` },
  encounter: { reference: `Encounter/${ENCOUNTER}` },
  ...overrides,
});

describe('sandbox EHR, oracle profile', () => {
  let fx: FhirSandboxFixture;
  beforeAll(async () => {
    fx = await startFhirSandbox({ profile: 'oracle' });
  });
  afterAll(() => fx.close());

  test('the CapabilityStatement: create and update of notes and problems, Provenance create, no Bundles, no conditional create, no identifier search', async () => {
    const cs = await fx.get<CapabilityStatement>('metadata');
    assert.equal(cs.rest?.[0]?.interaction, undefined);
    assert.deepEqual(capabilityOf(cs, 'DocumentReference').interactions, ['create', 'read', 'search-type', 'update']);
    assert.deepEqual(capabilityOf(cs, 'Condition').interactions, ['create', 'read', 'search-type', 'update']);
    assert.deepEqual(capabilityOf(cs, 'Provenance').interactions, ['create', 'read', 'search-type']);
    assert.ok(cs.rest?.[0]?.resource?.every((r) => !r.conditionalCreate));
    assert.deepEqual(capabilityOf(cs, 'DocumentReference').searchParams, ['_id', 'patient', 'encounter', 'period', 'type', 'category']);
  });

  test('a note keeps only the documented fields: identifier, tag, category, date and description are dropped silently; 201 empty whatever Prefer says', async () => {
    const sent = note();
    const created = await fx.request('POST', 'DocumentReference', { body: sent, headers: { prefer: 'return=representation' } });
    assert.equal(created.status, 201);
    assert.equal(created.text, '');
    assert.match(created.headers.get('location') ?? '', new RegExp(`^${fx.sandbox.fhirBaseUrl}/DocumentReference/[^/]+$`));
    assert.equal(created.headers.get('etag'), 'W/"1"');
    assert.equal(created.headers.get('x-sandbox-rule'), 'oracle.docref.unsupported-fields');
    const read = await fx.request('GET', new URL(created.headers.get('location')!).pathname.replace(/^\/fhir\//, ''));
    assert.equal(read.headers.get('etag'), 'W/"1"');
    const { meta, id, ...stored } = read.json as unknown as DocumentReference;
    assert.ok(id);
    assert.equal(meta?.tag, undefined);
    assert.deepEqual(stored, {
      resourceType: 'DocumentReference',
      status: 'current',
      docStatus: 'final',
      type: sent.type,
      subject: sent.subject,
      author: sent.author,
      content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: base64('Synthetic note.'), title: 'Progress note' } }],
      context: sent.context,
    });
  });

  test('every 422 reads "Unprocessable entity" (invalid); the rule is only in X-Sandbox-Rule; nothing is stored', async () => {
    const before = fx.sandbox.repository.count('DocumentReference');
    const cs72 = { system: 'https://fhir.cerner.com/ec2458f2-1e24-41c8-b71b-0e701af7583d/codeSet/72', code: '2820507' };
    const cases: [Partial<DocumentReference>, string][] = [
      [{ docStatus: undefined }, 'oracle.docref.doc-status-required'],
      [{ docStatus: 'preliminary' }, 'oracle.docref.doc-status'],
      [{ status: 'superseded' }, 'oracle.docref.status'],
      [{ type: { coding: [{ system: 'http://loinc.org', code: '11506-3' }, cs72] } }, 'oracle.docref.type'],
      [{ type: { coding: [cs72, { ...cs72, code: '1' }] } }, 'oracle.docref.type'],
      [{ type: { text: 'Progress note' } }, 'oracle.docref.type'],
      [{ subject: { reference: 'Group/g1' } }, 'oracle.docref.subject'],
      [{ content: [...note().content, ...note().content] }, 'oracle.docref.content-count'],
      [{ content: [{ attachment: { contentType: 'text/plain; charset=utf-8' } }] }, 'oracle.docref.content-required'],
      [{ content: [{ attachment: { contentType: 'text/plain', data: base64('x') } }] }, 'oracle.docref.content-type'],
      [{ content: [{ attachment: { contentType: 'image/png', data: base64('x') } }] }, 'oracle.docref.content-type'],
      [
        { context: { encounter: [{ reference: `Encounter/${ENCOUNTER}` }], period: { start: '2026-12-07T09:30:00Z' } } },
        'oracle.docref.period-end',
      ],
      [
        {
          context: {
            encounter: [{ reference: `Encounter/${ENCOUNTER}` }, { reference: 'Encounter/sbx-encounter-3' }],
            period: { end: '2026-12-07T09:55:00Z' },
          },
        },
        'oracle.docref.encounters',
      ],
      [{ context: { period: { end: '2026-12-07' } } }, 'oracle.docref.date-without-time'],
      [{ modifierExtension: [{ url: 'urn:x', valueBoolean: true }] }, 'oracle.docref.modifier-extension'],
      [{ implicitRules: 'urn:rules' }, 'oracle.docref.implicit-rules'],
    ];
    for (const [overrides, rule] of cases) {
      const issue = refused(await fx.request('POST', 'DocumentReference', { body: note(overrides) }), 422, rule);
      assert.equal(issue.code, 'invalid', rule);
      assert.equal(issue.details?.text, 'Unprocessable entity', rule);
    }
    const pdf = await fx.request('POST', 'DocumentReference', {
      body: note({ content: [{ attachment: { contentType: 'application/pdf', data: base64('%PDF-1.4') } }] }),
    });
    assert.equal(pdf.status, 201, 'a PDF needs no charset');
    const noStatus = refused(
      await fx.request('POST', 'DocumentReference', { body: note({ status: undefined }) }),
      500,
      'oracle.docref.status-required',
    );
    assert.deepEqual([noStatus.severity, noStatus.code], ['fatal', 'required']);
    assert.equal(fx.sandbox.repository.count('DocumentReference'), before + 1);
  });

  test('an update needs If-Match with the current version: missing 412, stale 409, current 200 and the next ETag', async () => {
    const created = await fx.request('POST', 'DocumentReference', { body: note() });
    const path = new URL(created.headers.get('location')!).pathname.replace(/^\/fhir\//, '');
    const current = { ...(await fx.request('GET', path)).json, docStatus: 'amended' };
    assert.equal(refused(await fx.request('PUT', path, { body: current }), 412, 'sandbox.update.if-match-required').code, 'conflict');
    assert.equal(
      refused(await fx.request('PUT', path, { body: current, headers: { 'if-match': 'W/"7"' } }), 409, 'sandbox.update.stale').code,
      'conflict',
    );
    const updated = await fx.request('PUT', path, { body: current, headers: { 'if-match': 'W/"1"' } });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.headers.get('etag'), 'W/"2"');
    assert.equal(((await fx.request('GET', path)).json as unknown as DocumentReference).docStatus, 'amended');
  });

  test('no PATCH, DELETE or Bundle; If-None-Exist is ignored', async () => {
    const created = await fx.request('POST', 'DocumentReference', { body: note() });
    const path = new URL(created.headers.get('location')!).pathname.replace(/^\/fhir\//, '');
    refused(await fx.request('DELETE', path), 405, 'sandbox.not-offered');
    refused(
      await fx.request('PATCH', path, { body: [], headers: { 'content-type': 'application/json-patch+json' } }),
      405,
      'sandbox.not-offered',
    );
    refused(await fx.request('POST', '', { body: { resourceType: 'Bundle', type: 'batch', entry: [] } }), 405, 'sandbox.not-offered');
    assert.equal((await fx.request('GET', path)).status, 200, 'still there');
    const headers = { 'if-none-exist': 'identifier=urn:ambient-scribe:note|note-key-1' };
    assert.equal((await fx.request('POST', 'DocumentReference', { body: note(), headers })).status, 201);
  });

  test("problems: Oracle's category, status, coding and encounter rules; ids p<n>; identifier dropped", async () => {
    const cases: [Partial<Condition>, string][] = [
      [{ encounter: undefined }, 'oracle.condition.encounter-required'],
      [{ clinicalStatus: { coding: [{ code: 'resolved' }] } }, 'oracle.condition.clinical-status'],
      [{ verificationStatus: { coding: [{ code: 'refuted' }] } }, 'oracle.condition.verification-status'],
      [{ abatementDateTime: '2026-12-07T10:00:00Z' }, 'oracle.condition.abatement'],
      [
        {
          code: {
            coding: [
              { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'J20.9' },
              { system: 'http://snomed.info/sct', code: '10509002' },
            ],
          },
        },
        'oracle.condition.user-selected',
      ],
      [{ code: { coding: [{ system: 'http://loinc.org', code: '1-8' }] } }, 'oracle.condition.code'],
      [{ category: [] }, 'oracle.condition.category'],
    ];
    for (const [overrides, rule] of cases) refused(await fx.request('POST', 'Condition', { body: diagnosis(overrides) }), 422, rule);
    const created = await fx.request('POST', 'Condition', { body: diagnosis() });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('location'), `${fx.sandbox.fhirBaseUrl}/Condition/p1`);
    const stored = (await fx.request('GET', 'Condition/p1')).json as unknown as Condition;
    assert.equal(stored.identifier, undefined);
    assert.ok(
      entriesOf(await fx.request('GET', `Condition?patient=${PATIENT}`)).some((c) => c.id === 'p1'),
      'a diagnosis is on the chart',
    );
  });

  test('Provenance: one target of a listed type, one agent, recorded; its tag is dropped', async () => {
    const provenance: Provenance = {
      resourceType: 'Provenance',
      meta: { tag: [OUR_TAG] },
      target: [{ reference: 'Condition/p1' }],
      recorded: '2026-12-07T10:00:00Z',
      agent: [{ who: { reference: 'Practitioner/sbx-practitioner-2' }, onBehalfOf: { reference: 'Organization/sbx-clinic' } }],
    };
    refused(
      await fx.request('POST', 'Provenance', { body: { ...provenance, target: [...provenance.target, { reference: 'Condition/p1' }] } }),
      422,
      'oracle.provenance.target',
    );
    refused(
      await fx.request('POST', 'Provenance', { body: { ...provenance, target: [{ reference: `Patient/${PATIENT}` }] } }),
      422,
      'oracle.provenance.target',
    );
    refused(
      await fx.request('POST', 'Provenance', { body: { ...provenance, agent: [...provenance.agent, ...provenance.agent] } }),
      422,
      'oracle.provenance.agent',
    );
    const created = await fx.request('POST', 'Provenance', { body: provenance });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.headers.get('x-sandbox-rule'), 'oracle.provenance.unsupported-fields');
    const id = /Provenance\/([^/]+)$/.exec(created.headers.get('location') ?? '')?.[1];
    assert.equal(((await fx.request('GET', `Provenance/${id}`)).json as unknown as Provenance).meta?.tag, undefined);
  });

  test('search: patient or _id required, subject and identifier ignored, period needs one ge and one lt', async () => {
    await fx.request('POST', 'DocumentReference', { body: note() });
    refused(await fx.request('GET', `DocumentReference?subject=Patient/${PATIENT}`), 400, 'oracle.search.patient-required');
    refused(await fx.request('GET', `DocumentReference?patient=${PATIENT}&period=ge2026-12-01`), 400, 'oracle.search.period');
    const ignored = await fx.request(
      'GET',
      `DocumentReference?patient=${PATIENT}&identifier=urn:ambient-scribe:note|never-sent&_tag=urn:x|y`,
    );
    assert.ok(entriesOf(ignored).length > 0);
    assert.equal(ignored.headers.get('x-sandbox-rule'), 'search.ignored-parameter');
    assert.equal(selfLink(ignored), `${fx.sandbox.fhirBaseUrl}/DocumentReference?patient=Patient%2F${PATIENT}`);
    const window = entriesOf(
      await fx.request('GET', `DocumentReference?patient=${PATIENT}&period=ge2026-12-07T00:00:00Z&period=lt2026-12-08T00:00:00Z`),
    );
    assert.ok(window.length > 0);
    assert.equal(
      entriesOf(await fx.request('GET', `DocumentReference?patient=${PATIENT}&period=ge2027-01-01T00:00:00Z&period=lt2027-01-02T00:00:00Z`))
        .length,
      0,
    );
  });
});
