import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { generateClientKeyPair } from '../../../../main/fhir/client-key.js';
import { createBackendTokenSource } from '../../../../main/fhir/smart-backend-auth.js';

const BASE = 'https://ehr.example.org/fhir';
const TOKEN_URL = 'https://ehr.example.org/auth/token';
const urlOf = (input: string | URL | Request) => (typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);

/** A token endpoint in memory: counts requests, checks the assertion's claims, hands out numbered tokens. */
function fakeServer(expiresIn = 300) {
  const requests: URLSearchParams[] = [];
  let discovery = 0;
  const impl: typeof fetch = async (input, init) => {
    const url = urlOf(input);
    if (url === `${BASE}/.well-known/smart-configuration`) {
      discovery += 1;
      return Response.json({ token_endpoint: TOKEN_URL });
    }
    assert.equal(url, TOKEN_URL);
    const form = init?.body instanceof URLSearchParams ? init.body : new URLSearchParams();
    requests.push(form);
    await new Promise((resolve) => setTimeout(resolve, 20));
    return Response.json({ access_token: `token-${requests.length}`, token_type: 'Bearer', expires_in: expiresIn });
  };
  return { impl, requests, discoveries: () => discovery };
}

describe('SMART Backend Services token source', () => {
  test('signs a private_key_jwt assertion as SMART asks: iss = sub = client, aud = token URL, jti, 5-minute expiry', async () => {
    const key = await generateClientKeyPair('RS384');
    const server = fakeServer();
    const source = createBackendTokenSource({
      baseUrl: BASE,
      clientId: 'c1',
      privateKey: key.privateKey,
      signingAlg: 'RS384',
      scope: 'system/*.write',
      requestTimeoutMs: 1000,
      fetch: server.impl,
    });
    assert.equal(await source.token(), 'token-1');
    const form = server.requests[0]!;
    assert.equal(form.get('grant_type'), 'client_credentials');
    assert.equal(form.get('scope'), 'system/*.write');
    assert.equal(form.get('client_assertion_type'), 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const jwt = form.get('client_assertion')!;
    assert.deepEqual(decodeProtectedHeader(jwt), { alg: 'RS384', kid: key.privateKey.kid, typ: 'JWT' });
    const claims = decodeJwt(jwt);
    assert.equal(claims.iss, 'c1');
    assert.equal(claims.sub, 'c1');
    assert.equal(claims.aud, TOKEN_URL);
    assert.ok(typeof claims.jti === 'string' && claims.jti.length > 10);
    assert.equal(claims.exp! - claims.iat!, 300);
  });

  test('caches the token until shortly before expiry, shares one refresh, and drops a refused token', async () => {
    const key = await generateClientKeyPair('ES384');
    const server = fakeServer(300);
    let now = 1_000_000;
    const source = createBackendTokenSource({
      baseUrl: BASE,
      clientId: 'c1',
      privateKey: key.privateKey,
      signingAlg: 'ES384',
      scope: 's',
      requestTimeoutMs: 1000,
      fetch: server.impl,
      now: () => now,
    });
    const tokens = await Promise.all([source.token(), source.token(), source.token()]);
    assert.deepEqual(tokens, ['token-1', 'token-1', 'token-1']);
    assert.equal(server.requests.length, 1, 'single flight');
    assert.equal(server.discoveries(), 1);
    now += 239_000;
    assert.equal(await source.token(), 'token-1', 'still fresh at 239 s of 300');
    now += 2_000;
    assert.equal(await source.token(), 'token-2', 'renewed within the last minute');
    source.invalidate('token-1');
    assert.equal(await source.token(), 'token-2', 'invalidating an old token keeps the current one');
    source.invalidate('token-2');
    assert.equal(await source.token(), 'token-3');
    assert.equal(server.discoveries(), 1, 'the token endpoint is discovered once');
  });

  test('one caller giving up does not cancel the shared refresh', async () => {
    const key = await generateClientKeyPair('ES384');
    const server = fakeServer();
    const source = createBackendTokenSource({
      baseUrl: BASE,
      clientId: 'c1',
      privateKey: key.privateKey,
      signingAlg: 'ES384',
      scope: 's',
      requestTimeoutMs: 1000,
      fetch: server.impl,
    });
    const impatient = source.token(AbortSignal.timeout(1));
    const patient = source.token();
    await assert.rejects(impatient);
    assert.equal(await patient, 'token-1');
  });

  test('an authorization server that refuses the client is a permanent failure with its reason', async () => {
    const key = await generateClientKeyPair('ES384');
    const refuse: typeof fetch = (input) =>
      Promise.resolve(
        urlOf(input).endsWith('smart-configuration')
          ? Response.json({ token_endpoint: TOKEN_URL })
          : Response.json({ error: 'invalid_client', error_description: 'no key matches' }, { status: 401 }),
      );
    const source = createBackendTokenSource({
      baseUrl: BASE,
      clientId: 'c1',
      privateKey: key.privateKey,
      signingAlg: 'ES384',
      scope: 's',
      requestTimeoutMs: 1000,
      fetch: refuse,
    });
    await assert.rejects(source.token(), (e: Error & { kind?: string; code?: string; reason?: string }) => {
      assert.equal(e.kind, 'failed');
      assert.equal(e.code, 'auth_rejected');
      assert.match(e.reason ?? '', /invalid_client: no key matches/);
      assert.ok(!e.message.includes('no key matches'), 'the server words stay out of the message');
      return true;
    });
  });

  test('a key that cannot sign with the configured algorithm is a clear configuration failure', async () => {
    const key = await generateClientKeyPair('ES384');
    const server = fakeServer();
    const source = createBackendTokenSource({
      baseUrl: BASE,
      clientId: 'c1',
      privateKey: key.privateKey,
      signingAlg: 'RS384',
      scope: 's',
      requestTimeoutMs: 1000,
      fetch: server.impl,
    });
    await assert.rejects(source.token(), (e: Error & { code?: string }) => e.code === 'auth_key');
    assert.equal(server.requests.length, 0);
  });
});
