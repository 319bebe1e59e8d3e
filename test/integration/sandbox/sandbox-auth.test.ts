import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { decodeJwt, importJWK, SignJWT } from 'jose';
import { SANDBOX_DEFAULTS } from '../../../main/sandbox/sandbox-defaults.js';
import { startFhirSandbox, TEST_CLIENT_ID } from '../../helpers/fhir-sandbox.js';
import type { FhirSandboxFixture } from '../../helpers/fhir-sandbox.js';

/** A browser, reduced to what a sign-in needs: cookies by name and manual redirects. */
function browser() {
  const jar = new Map<string, string>();
  const remember = (response: Response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (!value || /max-age=0|expires=Thu, 01 Jan 1970/i.test(cookie)) jar.delete(name);
      else jar.set(name, value);
    }
  };
  const go = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([n, v]) => `${n}=${v}`).join('; ') },
    });
    remember(response);
    return response;
  };
  return { go };
}

const REDIRECT = 'http://127.0.0.1:53123/callback';

describe('sandbox EHR: SMART authorization server', () => {
  let fx: FhirSandboxFixture;
  beforeAll(async () => {
    fx = await startFhirSandbox();
  });
  afterAll(async () => {
    await fx.close();
  });

  /** Standalone launch up to the login page; returns the page and the PKCE verifier. */
  async function startSignIn(scope: string, challengeOverride?: string) {
    const b = browser();
    const verifier = randomBytes(32).toString('base64url');
    const challenge = challengeOverride ?? createHash('sha256').update(verifier).digest('base64url');
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: SANDBOX_DEFAULTS.clinicianClientId,
      redirect_uri: REDIRECT,
      scope,
      state: 'state-123',
      aud: fx.sandbox.fhirBaseUrl,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const start = await b.go(`${fx.sandbox.auth.authorize}?${params.toString()}`);
    assert.equal(start.status, 303);
    const loginUrl = new URL(start.headers.get('location')!, fx.sandbox.auth.issuer).href;
    const page = await b.go(loginUrl);
    return { b, verifier, loginUrl, page };
  }

  async function finishSignIn(b: ReturnType<typeof browser>, loginUrl: string, form: Record<string, string>): Promise<URL> {
    let response = await b.go(loginUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    for (let hops = 0; hops < 10; hops += 1) {
      const location = response.headers.get('location');
      assert.ok(location && response.status >= 300 && response.status < 400, `expected a redirect, got ${response.status}`);
      const next = new URL(location, fx.sandbox.auth.issuer);
      if (next.href.startsWith(REDIRECT)) return next;
      response = await b.go(next.href);
    }
    throw new Error('too many redirects');
  }

  const exchange = (code: string, verifier: string) =>
    fetch(fx.sandbox.auth.token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        client_id: SANDBOX_DEFAULTS.clinicianClientId,
        code_verifier: verifier,
      }),
    });

  test('clinician sign-in: authorization code + PKCE, a login page to pick a practitioner and patient, a token with patient context', async () => {
    const { b, verifier, loginUrl, page } = await startSignIn('openid fhirUser launch/patient user/*.read offline_access');
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Sandbox EHR sign-in/);
    assert.match(html, /Robin Clinician-Sandbox/);
    assert.match(html, /Cleo Synthetic-Sandbox/, 'launch/patient asks for a patient');
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);

    const callback = await finishSignIn(b, loginUrl, { practitioner: 'sbx-practitioner-2', patient: 'sbx-patient-3' });
    assert.equal(callback.searchParams.get('state'), 'state-123');
    const code = callback.searchParams.get('code');
    assert.ok(code);
    const response = await exchange(code, verifier);
    assert.equal(response.status, 200);
    const token = (await response.json()) as Record<string, string>;
    assert.equal(token['patient'], 'sbx-patient-3');
    assert.ok(token['refresh_token'], 'offline_access gives a refresh token');
    assert.equal(decodeJwt(token['id_token']!)['fhirUser'], `${fx.sandbox.fhirBaseUrl}/Practitioner/sbx-practitioner-2`);

    const read = await fetch(`${fx.sandbox.fhirBaseUrl}/Patient/sbx-patient-3`, {
      headers: { authorization: `Bearer ${token['access_token']}` },
    });
    assert.equal(read.status, 200);
    const write = await fetch(`${fx.sandbox.fhirBaseUrl}/Patient`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token['access_token']}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Patient' }),
    });
    assert.equal(write.status, 403, 'user/*.read does not allow writes');

    const refreshed = await fetch(fx.sandbox.auth.token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: token['refresh_token'] ?? '',
        client_id: SANDBOX_DEFAULTS.clinicianClientId,
      }),
    });
    assert.equal(refreshed.status, 200);
    assert.equal(
      ((await refreshed.json()) as Record<string, string>)['patient'],
      'sbx-patient-3',
      'the patient context survives a refresh',
    );
  });

  test('an aud that is not this FHIR server is refused', async () => {
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: SANDBOX_DEFAULTS.clinicianClientId,
      redirect_uri: REDIRECT,
      scope: 'openid',
      aud: 'https://ehr.example.org/fhir',
    });
    const response = await fetch(`${fx.sandbox.auth.authorize}?${params.toString()}`, { redirect: 'manual' });
    assert.equal(response.status, 400);
  });

  test('a wrong PKCE verifier gets no token', async () => {
    const { b, loginUrl } = await startSignIn('openid fhirUser user/*.read');
    const callback = await finishSignIn(b, loginUrl, { practitioner: 'sbx-practitioner-1' });
    const response = await exchange(callback.searchParams.get('code')!, randomBytes(32).toString('base64url'));
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: string }).error, 'invalid_grant');
  });

  test('PKCE is required', async () => {
    const b = browser();
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: SANDBOX_DEFAULTS.clinicianClientId,
      redirect_uri: REDIRECT,
      scope: 'openid',
      state: 's',
    });
    const response = await b.go(`${fx.sandbox.auth.authorize}?${params.toString()}`);
    const location = new URL(response.headers.get('location') ?? 'http://x/', REDIRECT);
    assert.equal(location.searchParams.get('error'), 'invalid_request');
  });

  test('a practitioner who is not seeded cannot sign in', async () => {
    const { b, loginUrl } = await startSignIn('openid user/*.read');
    const response = await b.go(loginUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'practitioner=intruder',
    });
    assert.equal(response.status, 400);
  });

  test('backend services: a client assertion cannot be replayed', async () => {
    const key = await importJWK(fx.key.privateKey, 'ES384');
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES384', kid: fx.key.privateKey.kid })
      .setIssuer(TEST_CLIENT_ID)
      .setSubject(TEST_CLIENT_ID)
      .setAudience(fx.sandbox.auth.token)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);
    const ask = () =>
      fetch(fx.sandbox.auth.token, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          scope: 'system/*.read',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
        }),
      });
    assert.equal((await ask()).status, 200);
    const replay = await ask();
    assert.equal(replay.status, 401);
    assert.equal(((await replay.json()) as { error: string }).error, 'invalid_client');
  });

  test('backend services: only the scopes a client may have are granted', async () => {
    const { createBackendTokenSource } = await import('../../../main/fhir/smart-backend-auth.js');
    const source = createBackendTokenSource({ ...fx.config(), scope: 'user/*.write', signingAlg: 'ES384', requestTimeoutMs: 5_000 });
    await assert.rejects(
      source.token(),
      (error: Error & { code?: string }) => error.code === 'auth_scope' || error.code === 'auth_rejected',
    );
  });
});
