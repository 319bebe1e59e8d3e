import assert from 'node:assert/strict';
import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, test } from 'vitest';
import type { Bundle, CapabilityStatement, DocumentReference, Encounter, OperationOutcome, Patient } from '@medplum/fhirtypes';
import { invalidSeedResources, startSandbox } from '../../../main/sandbox/sandbox.js';
import { createBackendTokenSource } from '../../../main/fhir/smart-backend-auth.js';
import { startFhirSandbox, TEST_CLIENT_ID } from '../../helpers/fhir-sandbox.js';
import type { FhirSandboxFixture } from '../../helpers/fhir-sandbox.js';
import { localDay } from '../../../main/ehr/local-day.js';

const today = new Date();

function validDocument(overrides: Partial<DocumentReference> = {}): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    status: 'current',
    type: { coding: [{ system: 'http://loinc.org', code: '11506-3' }] },
    category: [
      { coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category', code: 'clinical-note' }] },
    ],
    subject: { reference: 'Patient/sbx-patient-2' },
    date: today.toISOString(),
    content: [{ attachment: { contentType: 'text/plain', data: Buffer.from('Synthetic note.').toString('base64') } }],
    ...overrides,
  };
}

describe('sandbox EHR: FHIR server', () => {
  let fx: FhirSandboxFixture;
  let writeToken: () => Promise<string>;
  let readToken: () => Promise<string>;
  beforeAll(async () => {
    fx = await startFhirSandbox();
    const source = (scope: string) => createBackendTokenSource({ ...fx.config(), scope, signingAlg: 'ES384', requestTimeoutMs: 5_000 });
    const writer = source('system/*.write system/*.read');
    const reader = source('system/*.read');
    writeToken = () => writer.token();
    readToken = () => reader.token();
  });
  afterEach(() => fx.sandbox.faults.reset());
  afterAll(async () => {
    await fx.close();
  });

  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    token: string | null | undefined = undefined,
  ) => {
    const bearer = token === undefined ? await writeToken() : token;
    const response = await fetch(`${fx.sandbox.fhirBaseUrl}/${path}`, {
      method,
      headers: {
        accept: 'application/fhir+json',
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/fhir+json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
  };
  const issueTexts = (body: unknown) =>
    ((body as OperationOutcome).issue ?? []).map((i) => `${i.expression?.join(',') ?? ''} ${i.details?.text ?? ''}`);

  test('listens on 127.0.0.1 only and refuses other interfaces', async () => {
    assert.match(fx.sandbox.fhirBaseUrl, /^http:\/\/127\.0\.0\.1:\d+\/fhir$/);
    await assert.rejects(startSandbox({ host: '0.0.0.0', port: 0 }), { code: 'bad_request', reason: 'sandbox.not_loopback' });
  });

  test('publishes a CapabilityStatement and a SMART configuration without a token', async () => {
    const cs = (await call('GET', 'metadata', undefined, {}, null)).body as unknown as CapabilityStatement;
    assert.equal(cs.resourceType, 'CapabilityStatement');
    assert.equal(cs.fhirVersion, '4.0.1');
    assert.ok(cs.rest?.[0]?.interaction?.some((i) => i.code === 'transaction'));
    assert.ok(
      cs.rest?.[0]?.resource
        ?.find((r) => r.type === 'DocumentReference')
        ?.supportedProfile?.includes('http://hl7.org/fhir/us/core/StructureDefinition/us-core-documentreference'),
    );
    const oauth = cs.rest?.[0]?.security?.extension?.[0]?.extension?.find((e) => e.url === 'token')?.valueUri;
    assert.equal(oauth, fx.sandbox.auth.token);
    const smart = (await call('GET', '.well-known/smart-configuration', undefined, {}, null)).body;
    assert.equal(smart['token_endpoint'], fx.sandbox.auth.token);
    assert.equal(smart['authorization_endpoint'], fx.sandbox.auth.authorize);
    assert.ok((smart['token_endpoint_auth_methods_supported'] as string[]).includes('private_key_jwt'));
    assert.ok((smart['token_endpoint_auth_signing_alg_values_supported'] as string[]).includes('RS384'));
    assert.ok((smart['token_endpoint_auth_signing_alg_values_supported'] as string[]).includes('ES384'));
    assert.deepEqual(smart['code_challenge_methods_supported'], ['S256']);
    assert.ok((smart['capabilities'] as string[]).includes('launch-standalone'));
  });

  test("is seeded with clearly synthetic people and today's encounters, all valid US Core", async () => {
    const patients = await fx.search<Patient>('Patient', '');
    assert.ok(patients.length >= 5);
    assert.ok(patients.every((p) => p.name?.[0]?.family?.endsWith('-Sandbox')));
    const encounters = await fx.search<Encounter>('Encounter', '');
    // The seed dates encounters on the workstation's local day, written with its local offset.
    const day = localDay(today).date;
    assert.ok(encounters.length >= 5);
    assert.ok(
      encounters.every((e) => e.period?.start?.startsWith(day)),
      'every encounter is today',
    );
    const patientEncounters = await fx.search<Encounter>('Encounter', 'patient=Patient/sbx-patient-1');
    assert.equal(patientEncounters.length, 1);
    assert.deepEqual(invalidSeedResources(today), []);
  });

  test('requires a bearer token, and a live one', async () => {
    const none = await call('GET', 'Patient/sbx-patient-1', undefined, {}, null);
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
    const forged = await call('GET', 'Patient/sbx-patient-1', undefined, {}, 'not-a-token');
    assert.equal(forged.status, 401);
    assert.match(forged.headers.get('www-authenticate') ?? '', /invalid_token/);
  });

  test('enforces scopes: a read-only token cannot write', async () => {
    const denied = await call('POST', 'DocumentReference', validDocument(), {}, await readToken());
    assert.equal(denied.status, 403);
    assert.match(issueTexts(denied.body).join(), /do not allow write of DocumentReference/);
  });

  test('rejects what US Core 8.0.0 does not allow, with an OperationOutcome', async () => {
    const badCategory = await call(
      'POST',
      'DocumentReference',
      validDocument({
        category: [{ coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category', code: 'made-up' }] }],
      }),
    );
    assert.equal(badCategory.status, 422);
    assert.equal(badCategory.body['resourceType'], 'OperationOutcome');
    assert.match(
      issueTexts(badCategory.body).join(),
      /DocumentReference\.category Code not in the required value set us-core-documentreference-category/,
    );

    const badType = await call(
      'POST',
      'DocumentReference',
      validDocument({ type: { coding: [{ system: 'http://snomed.info/sct', code: '371532007' }] } }),
    );
    assert.equal(badType.status, 422);
    assert.match(issueTexts(badType.body).join(), /LOINC document code/);

    const badStatus = await call('POST', 'DocumentReference', validDocument({ status: 'draft' as DocumentReference['status'] }));
    assert.equal(badStatus.status, 422);
    assert.match(issueTexts(badStatus.body).join(), /DocumentReference\.status.*required value set/);

    const noContent = await call(
      'POST',
      'DocumentReference',
      validDocument({ content: [{ attachment: { contentType: 'text/plain', title: 'empty' } }] }),
    );
    assert.equal(noContent.status, 422);
    assert.match(issueTexts(noContent.body).join(), /us-core-6/);

    const wrongTarget = await call(
      'POST',
      'DocumentReference',
      validDocument({
        subject: { reference: 'Organization/sbx-clinic' },
        context: { encounter: [{ reference: 'Patient/sbx-patient-2' }] },
      }),
    );
    assert.equal(wrongTarget.status, 422);
    assert.match(
      issueTexts(wrongTarget.body).join(),
      /subject Reference to a Organization; expected Patient or Practitioner or Group or Device/,
    );
    assert.match(issueTexts(wrongTarget.body).join(), /context\.encounter Reference to a Patient; expected Encounter/);

    const dangling = await call('POST', 'DocumentReference', validDocument({ subject: { reference: 'Patient/nobody' } }));
    assert.equal(dangling.status, 422);
    assert.match(issueTexts(dangling.body).join(), /Referenced Patient does not exist/);

    const notJson = await call('POST', 'DocumentReference', '{"resourceType": "Docu');
    assert.equal(notJson.status, 400);
    assert.equal((await call('POST', '', { resourceType: 'Patient' })).status, 400, 'only bundles go to the base URL');
    assert.equal((await call('POST', '', 'null')).status, 400);
    assert.equal((await call('PUT', 'Patient/sbx-patient-1', { resourceType: 'Encounter' })).status, 400);
    assert.equal(fx.sandbox.repository.count('DocumentReference'), 0, 'nothing invalid was stored');
  });

  test('conditional create: the second POST with the same If-None-Exist returns the first resource', async () => {
    const doc = validDocument({ identifier: [{ system: 'urn:test', value: 'cond-1' }] });
    const first = await call('POST', 'DocumentReference', doc, { 'if-none-exist': 'identifier=urn:test|cond-1' });
    assert.equal(first.status, 201);
    assert.match(first.headers.get('location') ?? '', /\/fhir\/DocumentReference\/[^/]+\/_history\//);
    const second = await call('POST', 'DocumentReference', doc, { 'if-none-exist': 'identifier=urn:test|cond-1' });
    assert.equal(second.status, 200);
    assert.equal(second.body['id'], first.body['id']);
    assert.equal((await fx.search('DocumentReference', 'identifier=urn:test|cond-1')).length, 1);
  });

  test('transactions are atomic: an entry that fails after others were written undoes them', async () => {
    const before = fx.sandbox.repository.counts();
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:7e0e3c6b-2a57-4f3c-9b1d-1a2b3c4d5e6f',
          resource: validDocument(),
          request: { method: 'POST', url: 'DocumentReference' },
        },
        // Valid on its own, refused while processing (the body's id differs from the URL's).
        {
          resource: {
            resourceType: 'Patient',
            id: 'someone-else',
            identifier: [{ system: 'urn:x', value: '1' }],
            name: [{ family: 'Other-Sandbox' }],
            gender: 'unknown',
          },
          request: { method: 'PUT', url: 'Patient/sbx-patient-2' },
        },
      ],
    };
    const response = await call('POST', '', bundle);
    assert.equal(response.status, 400);
    assert.deepEqual(fx.sandbox.repository.counts(), before);
    const patient = (await call('GET', 'Patient/sbx-patient-2')).body as unknown as Patient;
    assert.equal(patient.name?.[0]?.family, 'Notreal-Sandbox');
  });

  test('transactions validate every entry first: one invalid entry stores nothing', async () => {
    const before = fx.sandbox.repository.counts();
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:0b7d2d2e-4f9a-4d6e-8f00-111122223333',
          resource: validDocument(),
          request: { method: 'POST', url: 'DocumentReference' },
        },
        {
          resource: validDocument({ subject: { reference: 'urn:uuid:00000000-0000-4000-8000-000000000000' } }),
          request: { method: 'POST', url: 'DocumentReference' },
        },
      ],
    };
    const response = await call('POST', '', bundle);
    assert.equal(response.status, 422);
    assert.match(issueTexts(response.body).join(), /Bundle\.entry\[1\]\.resource\.subject/);
    assert.deepEqual(fx.sandbox.repository.counts(), before);
  });

  test('fault injection over /admin: errors, stats, and reset', async () => {
    const admin = `${fx.sandbox.describe().adminUrl}`;
    const post = (path: string, body: unknown, contentType = 'application/json') =>
      fetch(`${admin}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify(body) });
    assert.equal((await post('/faults', { errorRate: 1, errorStatus: 500 })).status, 200);
    assert.equal((await call('GET', 'Patient/sbx-patient-1')).status, 500);
    assert.equal((await post('/faults', { errorRate: 2 })).status, 400, 'rates are checked');
    assert.equal((await post('/faults', { errorRate: 0 }, 'text/plain')).status, 415, 'a form post from a web page cannot change faults');
    const stats = (await (await fetch(`${admin}/stats`)).json()) as { resources: Record<string, number>; faults: { errors: number } };
    assert.ok(stats.faults.errors >= 1);
    assert.equal(stats.resources['Patient'], 5);
    assert.equal((await fetch(`${admin}/faults`, { method: 'DELETE' })).status, 200);
    assert.equal((await call('GET', 'Patient/sbx-patient-1')).status, 200);
    const foreignHost = await new Promise<number>((resolve, reject) => {
      const req = request(`${admin}/stats`, { headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(foreignHost, 403, 'a DNS-rebinding page cannot reach the admin endpoint');
  });

  test('write queue: concurrent conditional creates of one identifier make one resource', async () => {
    const doc = validDocument({ identifier: [{ system: 'urn:test', value: 'race-1' }] });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => call('POST', 'DocumentReference', doc, { 'if-none-exist': 'identifier=urn:test|race-1' })),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 200, 200, 200, 200, 200, 201]);
    assert.equal(new Set(results.map((r) => r.body['id'])).size, 1);
  });
});

describe('sandbox EHR: options', () => {
  test('without US Core profiles it says so and validates against base R4', async () => {
    const sandbox = await startSandbox({ port: 0, usCoreDir: null });
    try {
      const d = sandbox.describe();
      assert.equal(d.profiles, 'base-r4');
      assert.match(d.profilesNote ?? '', /base FHIR R4 only/);
      const cs = (await (await fetch(`${sandbox.fhirBaseUrl}/metadata`)).json()) as CapabilityStatement;
      assert.equal(cs.instantiates, undefined);
    } finally {
      await sandbox.close();
    }
  });

  test('without transactions the CapabilityStatement says so and transaction bundles are refused', async () => {
    const fx = await startFhirSandbox({ transactions: false });
    try {
      const cs = await fx.get<CapabilityStatement>('metadata');
      assert.ok(!cs.rest?.[0]?.interaction?.some((i) => i.code === 'transaction'));
      const token = await createBackendTokenSource({
        ...fx.config(),
        clientId: TEST_CLIENT_ID,
        scope: 'system/*.write',
        signingAlg: 'ES384',
        requestTimeoutMs: 5_000,
      }).token();
      const response = await fetch(`${fx.sandbox.fhirBaseUrl}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
        body: JSON.stringify({
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [{ resource: validDocument(), request: { method: 'POST', url: 'DocumentReference' } }],
        }),
      });
      assert.equal(response.status, 400);
    } finally {
      await fx.close();
    }
  });

  test('an extra listener (the MLLP hook) starts with the sandbox and stops with it', async () => {
    let closed = false;
    const sandbox = await startSandbox({
      port: 0,
      extraListeners: [
        (ctx) => {
          assert.equal(ctx.host, '127.0.0.1');
          return Promise.resolve({
            name: 'MLLP',
            address: 'mllp://127.0.0.1:0',
            close: () => {
              closed = true;
              return Promise.resolve();
            },
          });
        },
      ],
    });
    assert.deepEqual(sandbox.describe().listeners, [{ name: 'MLLP', address: 'mllp://127.0.0.1:0' }]);
    await sandbox.close();
    assert.ok(closed);
  });
});
