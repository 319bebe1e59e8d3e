import assert from 'node:assert/strict';
import { test } from 'vitest';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { actorOf, identifyClinician } from '../../../main/auth/clinician-identity.js';
import { SignInError } from '../../../main/auth/sign-in-error.js';

const ISSUER = 'https://ehr.example.org/oauth2';
const CLIENT = 'ambient-scribe-desktop';

async function signed(claims: Record<string, unknown>) {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] });
  const idToken = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer(ISSUER)
    .setAudience(CLIENT)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);
  return { idToken, keys };
}

/** Records what the EHR was asked (the Practitioner read); answers with `practitioner` or an error status. */
function ehr(practitioner: unknown, status = 200) {
  const asked: { url: string; authorization: string | null }[] = [];
  const doFetch = ((url: string | URL | Request, init?: RequestInit) => {
    asked.push({ url: url instanceof Request ? url.url : url.toString(), authorization: new Headers(init?.headers).get('authorization') });
    return Promise.resolve(new Response(JSON.stringify(practitioner), { status, headers: { 'content-type': 'application/fhir+json' } }));
  }) as typeof fetch;
  return { asked, doFetch };
}

const check = (idToken: string, keys: ReturnType<typeof createLocalJWKSet>, doFetch: typeof fetch) => ({
  idToken,
  accessToken: 'access-1',
  issuer: ISSUER,
  clientId: CLIENT,
  keys,
  fhirBaseUrl: 'https://ehr.example.org/fhir',
  now: Date.now,
  fetch: doFetch,
  timeoutMs: 2_000,
  userRoles: {},
});

test("the id_token's name is used as it is: the EHR is not asked", async () => {
  const { idToken, keys } = await signed({ fhirUser: 'Practitioner/p-1', name: 'Dr. Robin Example' });
  const { asked, doFetch } = ehr({});
  assert.deepEqual(await identifyClinician(check(idToken, keys, doFetch)), {
    id: 'p-1',
    practitionerId: 'p-1',
    fhirUser: 'Practitioner/p-1',
    displayName: 'Dr. Robin Example',
    role: 'clinician',
    roleFrom: 'fhir_user_type',
  });
  assert.deepEqual(asked, []);
});

test("without a name claim, the Practitioner's name is read from the EHR with the clinician's own token; when the EHR will not say, the sign-in stands without one", async () => {
  const { idToken, keys } = await signed({ fhirUser: 'https://ehr.example.org/fhir/Practitioner/p-2' });
  const named = ehr({
    resourceType: 'Practitioner',
    id: 'p-2',
    name: [{ use: 'official', prefix: ['Dr.'], given: ['Kai'], family: 'Example' }],
  });
  assert.equal((await identifyClinician(check(idToken, keys, named.doFetch))).displayName, 'Dr. Kai Example');
  assert.deepEqual(named.asked, [{ url: 'https://ehr.example.org/fhir/Practitioner/p-2', authorization: 'Bearer access-1' }]);

  const refused = ehr({ resourceType: 'OperationOutcome' }, 403);
  assert.deepEqual(await identifyClinician(check(idToken, keys, refused.doFetch)), {
    id: 'p-2',
    practitionerId: 'p-2',
    fhirUser: 'Practitioner/p-2',
    displayName: null,
    role: 'clinician',
    roleFrom: 'fhir_user_type',
  });
});

test('a user the EHR names as something other than a Practitioner is refused with a reason', async () => {
  const { idToken, keys } = await signed({ fhirUser: 'Patient/x-1', name: 'Someone' });
  await assert.rejects(
    identifyClinician(check(idToken, keys, ehr({}).doFetch)),
    (e: unknown) =>
      e instanceof SignInError && e.reason === 'auth.not_a_practitioner' && e.details?.['type'] === 'Patient' && e.code === 'forbidden',
  );
});

test('a Person is a scribe with no practitioner to sign as; IT mapping decides over the fhirUser type', async () => {
  const person = await signed({ fhirUser: 'Person/s-1', name: 'Sam Scribe' });
  const { asked, doFetch } = ehr({});
  assert.deepEqual(await identifyClinician(check(person.idToken, person.keys, doFetch)), {
    id: 'Person/s-1',
    practitionerId: null,
    fhirUser: 'Person/s-1',
    displayName: 'Sam Scribe',
    role: 'scribe',
    roleFrom: 'fhir_user_type',
  });
  assert.deepEqual(asked, [], 'no Practitioner read for a Person');

  const practitioner = await signed({ fhirUser: 'Practitioner/p-9', name: 'Pat Practitioner' });
  const mapped = await identifyClinician({
    ...check(practitioner.idToken, practitioner.keys, doFetch),
    userRoles: { 'Practitioner/p-9': 'scribe' },
  });
  assert.equal(mapped.role, 'scribe');
  assert.equal(mapped.roleFrom, 'policy_mapping');
  assert.deepEqual(actorOf(mapped), {
    id: 'p-9',
    role: 'scribe',
    practitioner: { id: 'p-9', name: 'Pat Practitioner', vouchedBy: 'ehr-sign-in' },
  });
  const promoted = await identifyClinician({ ...check(person.idToken, person.keys, doFetch), userRoles: { 'Person/s-1': 'clinician' } });
  assert.deepEqual(actorOf(promoted), { id: 'Person/s-1', role: 'clinician' }, 'a clinician by mapping still has no vouched practitioner');
});

const practitionerUser = (displayName: string | null) => ({
  id: 'p-3',
  practitionerId: 'p-3',
  fhirUser: 'Practitioner/p-3',
  displayName,
  role: 'clinician' as const,
  roleFrom: 'fhir_user_type' as const,
});

test('the signed-in practitioner acts as a clinician under their Practitioner id, vouched for by the EHR as the signer', () => {
  assert.deepEqual(actorOf(practitionerUser(null)), {
    id: 'p-3',
    role: 'clinician',
    practitioner: { id: 'p-3', vouchedBy: 'ehr-sign-in' },
  });
  assert.deepEqual(actorOf(practitionerUser('Dr. Noor')).practitioner, {
    id: 'p-3',
    name: 'Dr. Noor',
    vouchedBy: 'ehr-sign-in',
  });
});
