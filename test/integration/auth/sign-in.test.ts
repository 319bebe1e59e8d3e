/**
 * Clinician sign-in against the sandbox EHR on a free loopback port, with a fetch-driven browser
 * (the Chromium runs are in test/e2e/clinician-sign-in.spec.ts): what happens when sign-in is not
 * set up, the browser cannot open, the clinician walks away, a second sign-in starts, the EHR is
 * unsuitable, settings change under a session, and the launch port is taken.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { createAuthService } from '../../../main/auth/auth-service.js';
import type { AuthService, AuthServiceOptions } from '../../../main/auth/auth-service.js';
import type { BrowserOpener } from '../../../main/auth/browser-url.js';
import type { SignInConfig } from '../../../main/auth/sign-in-config.js';
import { SignInError } from '../../../main/auth/sign-in-error.js';
import { discoverSmartEndpoints } from '../../../main/auth/smart-discovery.js';
import { startSandbox } from '../../../main/sandbox/sandbox.js';
import type { Sandbox } from '../../../main/sandbox/sandbox.js';
import { SANDBOX_DEFAULTS } from '../../../main/sandbox/sandbox-defaults.js';
import type { AuthChanged } from '../../../shared/domain/auth.js';
import { closedPort, recordingLogger } from '../../helpers/fhir-sandbox.js';
import { fetchBrowser } from '../../helpers/fetch-browser.js';
import type { FetchPage } from '../../helpers/fetch-browser.js';

async function serveJson(body: (path: string) => unknown): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const value = body(req.url ?? '/');
    res.writeHead(value === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('clinician sign-in: failure paths and lifecycle', () => {
  let sandbox: Sandbox;
  const services: AuthService[] = [];
  let config: SignInConfig;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, usCoreDir: null });
    config = {
      fhirBaseUrl: sandbox.fhirBaseUrl,
      clientId: SANDBOX_DEFAULTS.clinicianClientId,
      scope: 'openid fhirUser offline_access user/*.read',
      launchPort: null,
    };
  });
  afterAll(async () => {
    for (const s of services) await s.close();
    await sandbox.close();
  });

  /** The opener records the page the "browser" shows; the test drives it. */
  function make(options: Partial<AuthServiceOptions> = {}) {
    const browser = fetchBrowser();
    const pages: FetchPage[] = [];
    const logger = recordingLogger();
    const changes: AuthChanged[] = [];
    const openBrowser: BrowserOpener = async (url) => {
      pages.push(await browser.open(url));
    };
    const auth = createAuthService({
      config: () => config,
      openBrowser,
      logger,
      onChanged: (c) => changes.push(c),
      requestTimeoutMs: 5_000,
      ...options,
    });
    services.push(auth);
    return { auth, browser, pages, logger, changes };
  }

  test('not set up: a clear error, nothing listens, the status says why', async () => {
    const { auth } = make({ config: () => ({ ...config, clientId: null }) });
    await assert.rejects(
      auth.signIn({ mode: 'standalone' }),
      (e: unknown) => e instanceof SignInError && e.problem === 'not_configured' && e.code === 'unavailable',
    );
    const status = auth.status();
    assert.equal(status.configured, false);
    assert.equal(status.state, 'signed_out');
    assert.equal(status.problem?.code, 'not_configured');
  });

  test('the browser cannot be opened: browser_failed, and the loopback listener is closed again', async () => {
    let redirect = '';
    const { auth } = make({
      openBrowser: (url) => {
        redirect = new URL(url).searchParams.get('redirect_uri') ?? '';
        return Promise.reject(new Error('no browser'));
      },
    });
    await assert.rejects(auth.signIn({ mode: 'standalone' }), (e: unknown) => e instanceof SignInError && e.problem === 'browser_failed');
    assert.equal(auth.status().state, 'signed_out');
    assert.match(redirect, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await assert.rejects(fetch(redirect), 'nothing listens on the redirect URI any more');
  });

  test('the authorization request: PKCE S256, a long random state, aud, our loopback redirect URI', async () => {
    let authorizeUrl = '';
    const { auth } = make({
      openBrowser: (url) => {
        authorizeUrl = url;
        return Promise.resolve();
      },
    });
    await auth.signIn({ mode: 'standalone' });
    const url = new URL(authorizeUrl);
    assert.equal(`${url.origin}${url.pathname}`, sandbox.auth.authorize);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.match(url.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.match(url.searchParams.get('state') ?? '', /^[A-Za-z0-9_-]{43}$/, '32 random bytes');
    assert.equal(url.searchParams.get('aud'), sandbox.fhirBaseUrl);
    assert.equal(url.searchParams.get('client_id'), SANDBOX_DEFAULTS.clinicianClientId);
    assert.equal(url.searchParams.get('scope'), config.scope);
    assert.equal(url.searchParams.get('response_type'), 'code');
    auth.cancel();
    const status = await auth.settled();
    assert.equal(status.problem?.code, 'cancelled');
  });

  test('a second sign-in replaces the first; the first one ends as superseded', async () => {
    const { auth, pages, browser } = make();
    await auth.signIn({ mode: 'standalone' });
    const first = auth.settled();
    await auth.signIn({ mode: 'standalone' });
    assert.equal((await first).problem?.code, 'superseded');
    const landed = await browser.submitLogin(pages[1]!, 'sbx-practitioner-1');
    assert.equal(landed.status, 200);
    assert.equal((await auth.settled()).state, 'signed_in');
    // The first one's login page leads nowhere now: its interaction is over, its listener closed.
    const stale = await browser.submitLogin(pages[0]!, 'sbx-practitioner-2').catch(() => undefined);
    assert.ok(!stale || !/signed in to Ambient Scribe/.test(stale.html));
    assert.equal(auth.status().user?.practitionerId, 'sbx-practitioner-1');
    await auth.signOut();
  });

  test('cancelled while it is still starting: the sign-in fails as cancelled, not as replaced by a newer one', async () => {
    const { auth } = make();
    const starting = auth.signIn({ mode: 'standalone' });
    auth.cancel();
    await assert.rejects(starting, (e: unknown) => e instanceof SignInError && e.problem === 'cancelled' && e.reason === 'auth.cancelled');
    assert.equal(auth.status().problem?.code, 'cancelled');
  });

  test('a clinician who never comes back: the sign-in times out', async () => {
    const { auth } = make({ signInTimeoutMs: 200 });
    await auth.signIn({ mode: 'standalone' });
    const status = await auth.settled();
    assert.equal(status.state, 'signed_out');
    assert.equal(status.problem?.code, 'timed_out');
  });

  test('a signed-in session ends when the EHR settings change under it; the tokens are revoked', async () => {
    const { auth, pages, browser, changes, logger } = make();
    await auth.signIn({ mode: 'standalone' });
    const landed = await browser.submitLogin(pages[0]!, 'sbx-practitioner-3');
    assert.match(landed.html, /signed in to Ambient Scribe/);
    assert.equal((await auth.settled()).user?.displayName, 'Dr. Noor Nurse-Practitioner-Sandbox');
    const token = await auth.tokens.token();

    auth.settingsChanged(['updateChannel']);
    assert.equal(auth.status().state, 'signed_in', 'unrelated settings leave the session alone');
    const previous = config;
    config = { ...config, clientId: 'another-registration' };
    try {
      auth.settingsChanged(['fhirSignInClientId']);
    } finally {
      config = previous;
    }
    const status = auth.status();
    assert.equal(status.state, 'signed_out');
    assert.equal(status.problem?.code, 'session_expired');
    assert.equal(auth.actor(), undefined);
    assert.deepEqual(changes.at(-1), { state: 'signed_out', problem: 'session_expired' });
    for (let i = 0; i < 50 && !logger.lines.some((l) => l.includes('auth.revoked')); i += 1) await new Promise((r) => setTimeout(r, 20));
    const read = await fetch(`${sandbox.fhirBaseUrl}/Patient/sbx-patient-1`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(read.status, 401);
  });

  test('a standalone launch/patient sign-in carries the patient the clinician picked', async () => {
    const { auth, pages, browser } = make({ config: () => ({ ...config, scope: `${config.scope} launch/patient` }) });
    await auth.signIn({ mode: 'standalone' });
    assert.match(pages[0]!.html, /Dov Example-Sandbox/);
    await browser.submitLogin(pages[0]!, 'sbx-practitioner-1', 'allow', 'sbx-patient-4');
    const status = await auth.settled();
    assert.deepEqual(status.context, { patientId: 'sbx-patient-4', encounterId: null });
    await auth.signOut();
  });

  test('EHR launch: the launch port in use is reported, not fatal', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const { auth, logger } = make({ config: () => ({ ...config, launchPort: port }) });
    assert.equal(await auth.startLaunchListener(), null);
    assert.equal(auth.status().launchUrl, null);
    assert.ok(logger.lines.some((l) => l.includes('auth.launch_listener_failed') && l.includes('port_in_use')));
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  });

  test('EHR launch through the loopback launch URL, driven without Chromium', async () => {
    const { auth, browser } = make({ config: () => ({ ...config, launchPort: 0 }) });
    const launchUrl = await auth.startLaunchListener();
    assert.ok(launchUrl);
    const listener = new URL(launchUrl);
    assert.equal(
      (await fetch(launchUrl, { headers: { host: `rebound.example:${listener.port}` } })).status,
      400,
      'a DNS-rebound Host is refused',
    );
    assert.equal((await fetch(`${launchUrl}?iss=${encodeURIComponent(sandbox.fhirBaseUrl)}`)).status, 400, 'no launch id');
    const launchId = sandbox.createLaunch({ patient: 'sbx-patient-2', encounter: 'sbx-encounter-2' });
    assert.ok(launchId);
    const login = await browser.open(`${launchUrl}?iss=${encodeURIComponent(`${sandbox.fhirBaseUrl}/`)}&launch=${launchId}`);
    assert.doesNotMatch(login.html, /<legend>Patient<\/legend>/);
    const landed = await browser.submitLogin(login, 'sbx-practitioner-2');
    assert.equal(landed.status, 200);
    assert.equal(new URL(landed.url).origin, listener.origin);
    const status = auth.status();
    assert.equal(status.launch, 'ehr');
    assert.deepEqual(status.context, { patientId: 'sbx-patient-2', encounterId: 'sbx-encounter-2' });
    assert.equal((await fetch(`${listener.origin}/callback?state=x&code=y`)).status, 409, 'nothing is waiting for a callback now');
    await auth.signOut();
  });

  describe('EHRs sign-in cannot be used with', () => {
    const discover = (url: string) => discoverSmartEndpoints(url, { fetch, timeoutMs: 2_000 });
    const good = {
      authorization_endpoint: 'https://ehr.example.org/oauth2/authorize',
      token_endpoint: 'https://ehr.example.org/oauth2/token',
      issuer: 'https://ehr.example.org/oauth2',
      jwks_uri: 'https://ehr.example.org/oauth2/jwks',
      code_challenge_methods_supported: ['S256'],
    };

    test('without PKCE S256, over plain http, without an issuer: refused with a reason', async () => {
      for (const [config, problem, words] of [
        [{ ...good, code_challenge_methods_supported: ['plain'] }, 'unsupported_server', /PKCE/],
        [{ ...good, token_endpoint: 'http://ehr.example.org/oauth2/token' }, 'unsupported_server', /not https/],
        [{ ...good, issuer: undefined }, 'unsupported_server', /issuer/],
        [{ token_endpoint: good.token_endpoint }, 'unsupported_server', /SMART on FHIR configuration/],
      ] as const) {
        const server = await serveJson(() => config);
        try {
          await assert.rejects(
            discover(`${server.url}/fhir`),
            (e: unknown) => e instanceof SignInError && e.problem === problem && words.test(e.message) && !e.message.includes(server.url),
          );
        } finally {
          await server.close();
        }
      }
    });

    test('the keys come from openid-configuration when the SMART configuration does not list them', async () => {
      const server = await serveJson((path) =>
        path.endsWith('/smart-configuration')
          ? { ...good, jwks_uri: undefined }
          : path.endsWith('/openid-configuration')
            ? { issuer: good.issuer, jwks_uri: good.jwks_uri }
            : undefined,
      );
      try {
        // The issuer is on ehr.example.org, which this test cannot reach: the fallback is asked for, and fails cleanly.
        await assert.rejects(discover(`${server.url}/fhir`), (e: unknown) => e instanceof SignInError && e.problem === 'discovery_failed');
      } finally {
        await server.close();
      }
    });

    test('an EHR that does not answer: discovery_failed, without its address in the message', async () => {
      const url = `http://127.0.0.1:${await closedPort()}/fhir`;
      await assert.rejects(
        discover(url),
        (e: unknown) => e instanceof SignInError && e.problem === 'discovery_failed' && !e.message.includes('127.0.0.1'),
      );
    });
  });
});
