import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { startWebBridge, WebBridgeRefusedError } from '../../../main/api/web-bridge.js';
import type { WebBridge } from '../../../main/api/web-bridge.js';
import { openScribe } from '../../../main/compose.js';
import type { Scribe } from '../../../main/compose.js';
import { nullLogger } from '../../../main/log/logger.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import { FAST_SCRYPT, tempDir } from '../../helpers/temp-store.js';

const actor = { id: 'dr-web', role: 'clinician' } as const;

/** A raw HTTP request, so Host and path are sent exactly as given. */
function raw(port: number, options: { path: string; method?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: options.path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('web bridge', () => {
  const tmp = tempDir('scribe-bridge-');
  let scribe: Scribe;
  let bridge: WebBridge;
  let port: number;
  const call = (channel: string, body: unknown, token = bridge.token) =>
    fetch(`${bridge.origin}/api/call/${channel}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    const staticDir = `${tmp.dir}/renderer`;
    mkdirSync(`${staticDir}/assets`, { recursive: true });
    writeFileSync(`${staticDir}/index.html`, '<!doctype html><title>Ambient Scribe</title>');
    writeFileSync(`${staticDir}/assets/app.js`, 'console.log(1)');
    writeFileSync(`${tmp.dir}/secret.txt`, 'outside the static folder');
    scribe = openScribe({
      dataDir: `${tmp.dir}/data`,
      keyProvider: createPassphraseKeyProvider('bridge passphrase', FAST_SCRYPT),
      mode: 'create',
    });
    bridge = await startWebBridge({
      dispatch: scribe.dispatch,
      events: scribe.events,
      actor,
      staticDir,
      packaged: false,
      logger: nullLogger,
    });
    port = Number(new URL(bridge.origin).port);
  });
  afterAll(async () => {
    await bridge.close();
    scribe.close();
    tmp.cleanup();
  });

  test('listens on 127.0.0.1 with a long random token in the URL fragment', () => {
    assert.match(bridge.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(bridge.token.length >= 43);
    assert.equal(bridge.url, `${bridge.origin}/#token=${bridge.token}`);
  });

  test('refuses API requests without the token or with a wrong one (401)', async () => {
    const none = await fetch(`${bridge.origin}/api/call/visit:list`, { method: 'POST', body: '{}' });
    assert.equal(none.status, 401);
    assert.equal(((await none.json()) as { ok: boolean }).ok, false);
    assert.equal((await call('visit:list', {}, 'x'.repeat(43))).status, 401);
    assert.equal((await call('visit:list', {}, `${bridge.token}x`)).status, 401);
    assert.equal((await fetch(`${bridge.origin}/api/events`)).status, 401);
  });

  test('serves a call with the token and answers bad requests with typed errors', async () => {
    const created = await call('visit:create', { patientId: 'pat-web-1', patient: { displayName: 'Web Patient' } });
    assert.equal(created.status, 200);
    const body = (await created.json()) as { ok: boolean; value: { id: string; createdBy: string } };
    assert.ok(body.ok);
    assert.equal(body.value.createdBy, 'dr-web');

    const bad = (await (await call('visit:create', { patientId: '' })).json()) as {
      ok: boolean;
      error: { code: string; fields: string[] };
    };
    assert.deepEqual(bad, {
      ok: false,
      error: { code: 'bad_request', message: 'Invalid request: check patientId.', fields: ['patientId'] },
    });

    const notJson = await call('visit:list', '{not json');
    assert.equal(notJson.status, 400);
    assert.equal(((await notJson.json()) as { error: { code: string } }).error.code, 'bad_request');

    const unknown = await call('visit:explode', {});
    assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, 'unknown_channel');
    assert.ok([404, 405].includes((await call('../../etc', {})).status));
  });

  test('takes the largest transcript the contract allows, and refuses a body beyond any request', async () => {
    const visitId = '00000000-0000-4000-8000-000000000000';
    // 10,000,000 characters of three UTF-8 bytes each: 30 MB on the wire, within the contract.
    const largest = await call('transcript:import', { visitId, content: '—'.repeat(10_000_000) });
    assert.equal(largest.status, 200, 'the bridge passed it to the API');
    // The API read it: what it says about the content or the visit is its own typed answer, not the bridge's size limit.
    assert.match(((await largest.json()) as { error: { reason: string } }).error.reason, /^(?:transcript_file|visit)\./);
    const tooLarge = await call('transcript:import', { visitId, content: '—'.repeat(12_000_000) });
    assert.equal(tooLarge.status, 413);
  });

  test('refuses foreign Host headers (DNS rebinding) and foreign origins', async () => {
    const rebinding = await raw(port, {
      path: '/api/call/visit:list',
      method: 'POST',
      headers: { Host: 'evil.example:80', Authorization: `Bearer ${bridge.token}` },
      body: '{}',
    });
    assert.equal(rebinding.status, 403);
    const foreign = await raw(port, {
      path: '/api/call/visit:list',
      method: 'POST',
      headers: { Host: `127.0.0.1:${port}`, Origin: 'https://evil.example', Authorization: `Bearer ${bridge.token}` },
      body: '{}',
    });
    assert.equal(foreign.status, 403);
    const sameOrigin = await raw(port, {
      path: '/api/call/visit:list',
      method: 'POST',
      headers: { Host: `127.0.0.1:${port}`, Origin: bridge.origin, Authorization: `Bearer ${bridge.token}` },
      body: '{}',
    });
    assert.equal(sameOrigin.status, 200);
  });

  test('serves the app with a strict CSP and never files outside its folder', async () => {
    const index = await raw(port, { path: '/', headers: { Host: `127.0.0.1:${port}` } });
    assert.equal(index.status, 200);
    assert.match(String(index.headers['content-security-policy']), /script-src 'self'/);
    assert.equal(index.headers['x-content-type-options'], 'nosniff');
    assert.equal(
      (await raw(port, { path: '/visits/today', headers: { Host: `127.0.0.1:${port}` } })).body,
      '<!doctype html><title>Ambient Scribe</title>',
    );
    assert.equal((await raw(port, { path: '/assets/app.js', headers: { Host: `127.0.0.1:${port}` } })).body, 'console.log(1)');
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const response = await raw(port, { path, headers: { Host: `127.0.0.1:${port}` } });
      assert.ok(!response.body.includes('outside the static folder'), path);
    }
    assert.equal((await raw(port, { path: '/missing.js', headers: { Host: `127.0.0.1:${port}` } })).status, 404);
  });

  test('pushes events to a connected client', async () => {
    const controller = new AbortController();
    const response = await fetch(`${bridge.origin}/api/events`, {
      headers: { Authorization: `Bearer ${bridge.token}` },
      signal: controller.signal,
    });
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const created = (await (await call('visit:create', { patientId: 'pat-evt' })).json()) as { value: { id: string } };
    let text = '';
    while (!text.includes(created.value.id)) text += new TextDecoder().decode((await reader.read()).value);
    assert.match(text, new RegExp(`event: visit:changed\\ndata: \\{"visitId":"${created.value.id}","state":"not_started"\\}`));
    assert.ok(!text.includes('pat-evt'), 'events carry ids, not patient identifiers');
    controller.abort();
  });

  test('refuses to start in a packaged build', async () => {
    await assert.rejects(
      startWebBridge({ dispatch: scribe.dispatch, events: scribe.events, actor, staticDir: tmp.dir, packaged: true, logger: nullLogger }),
      WebBridgeRefusedError,
    );
  });
});
