import assert from 'node:assert/strict';
import { test } from 'vitest';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { parseFhirUser, verifyIdToken } from '../../../main/auth/id-token.js';
import { SignInError } from '../../../main/auth/sign-in-error.js';

const ISSUER = 'https://ehr.example.org/oauth2';
const CLIENT = 'ambient-scribe-desktop';

async function keys() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }] });
  const sign = (
    claims: Record<string, unknown>,
    o: { iss?: string; aud?: string; exp?: number; key?: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'] } = {},
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(o.iss ?? ISSUER)
      .setAudience(o.aud ?? CLIENT)
      .setSubject('user-1')
      .setIssuedAt()
      .setExpirationTime(o.exp ?? Math.floor(Date.now() / 1000) + 300)
      .sign(o.key ?? privateKey);
  return { jwks, sign };
}

test('fhirUser: relative or a full URL, type and id only', () => {
  assert.deepEqual(parseFhirUser('Practitioner/abc-1'), { type: 'Practitioner', id: 'abc-1' });
  assert.deepEqual(parseFhirUser('https://ehr.example.org/api/FHIR/R4/Practitioner/e1.2'), { type: 'Practitioner', id: 'e1.2' });
  for (const bad of [
    undefined,
    42,
    '',
    'Practitioner',
    'Practitioner/',
    'practitioner/1',
    'Practitioner/has space',
    `Practitioner/${'x'.repeat(65)}`,
    'https://[bad',
  ]) {
    assert.equal(parseFhirUser(bad), undefined, String(bad));
  }
});

test('a signed id_token from the EHR names the practitioner', async () => {
  const { jwks, sign } = await keys();
  const token = await sign({ fhirUser: 'https://ehr.example.org/fhir/Practitioner/p-7', name: 'Dr. Robin Example' });
  const identity = await verifyIdToken(token, { issuer: ISSUER, audience: CLIENT, keys: jwks, now: Date.now });
  assert.deepEqual(identity, { type: 'Practitioner', id: 'p-7', fhirUser: 'Practitioner/p-7', name: 'Dr. Robin Example' });
});

test('an id_token that is forged, for another app, from another issuer, expired, or not a practitioner is refused', async () => {
  const { jwks, sign } = await keys();
  const other = await generateKeyPair('RS256');
  const check = { issuer: ISSUER, audience: CLIENT, keys: jwks, now: Date.now };
  const cases: [Promise<string> | string | undefined, string][] = [
    [undefined, 'identity_invalid'],
    ['not.a.jwt', 'identity_invalid'],
    [sign({ fhirUser: 'Practitioner/p' }, { key: other.privateKey }), 'identity_invalid'],
    [sign({ fhirUser: 'Practitioner/p' }, { aud: 'some-other-app' }), 'identity_invalid'],
    [sign({ fhirUser: 'Practitioner/p' }, { iss: 'https://evil.test' }), 'identity_invalid'],
    [sign({ fhirUser: 'Practitioner/p' }, { exp: Math.floor(Date.now() / 1000) - 3600 }), 'identity_invalid'],
    [sign({}), 'identity_invalid'],
    [sign({ fhirUser: 'Patient/p' }), 'not_a_practitioner'],
    [sign({ fhirUser: 'RelatedPerson/p' }), 'not_a_practitioner'],
  ];
  for (const [token, problem] of cases) {
    await assert.rejects(verifyIdToken(await token, check), (e: unknown) => e instanceof SignInError && e.problem === problem, problem);
  }
});
