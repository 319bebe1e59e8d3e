/**
 * End to end: clinician sign-in with SMART on FHIR as a desktop app does it (RFC 8252). Debian's
 * Chromium plays the system browser; the sandbox EHR (FHIR server, oidc-provider with PKCE, login
 * page) runs on a free loopback port; the app's side is the real auth service, through the real
 * composition root and dispatcher where the renderer's view matters.
 * Run: npx vitest run test/e2e/clinician-sign-in.spec.ts
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import type { Patient } from '@medplum/fhirtypes';
import type { CallContext } from '../../main/kernel/actor.js';
import { signedInActor } from '../../main/auth/auth-actor.js';
import { createAuthService } from '../../main/auth/auth-service.js';
import type { AuthService } from '../../main/auth/auth-service.js';
import type { BrowserOpener } from '../../main/auth/browser-url.js';
import { fhirclientDebugModule } from '../../main/auth/fhirclient-debug.js';
import type { SignInConfig } from '../../main/auth/sign-in-config.js';
import { openScribe } from '../../main/compose.js';
import type { Scribe } from '../../main/compose.js';
import { startSandbox } from '../../main/sandbox/sandbox.js';
import type { Sandbox } from '../../main/sandbox/sandbox.js';
import { SANDBOX_DEFAULTS } from '../../main/sandbox/sandbox-defaults.js';
import { createPassphraseKeyProvider } from '../../main/store/passphrase-key-provider.js';
import { createFhirClient } from '../../main/fhir/fhir-client.js';
import type { AuthChanged, AuthStatus } from '../../shared/domain/auth.js';
import { recordingLogger } from '../helpers/fhir-sandbox.js';
import { FAST_SCRYPT, tempDir } from '../helpers/temp-store.js';
import { skipWhen } from '../helpers/skip.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCOPE = 'openid fhirUser offline_access user/*.read user/*.write';
const TIMEOUT_MS = 15_000;
/** An opaque token or a JWT: nothing this long belongs in what the renderer or a log gets. */
const TOKEN_LIKE = /[A-Za-z0-9_-]{32,}/;

/** The system browser, as a test double: each URL opens in a fresh Chromium context (no EHR session yet). */
function chromiumBrowser(browser: Browser) {
  const waiting: ((page: Page) => void)[] = [];
  const opened: Page[] = [];
  const open: BrowserOpener = async (url) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    await page.goto(url);
    const next = waiting.shift();
    if (next) next(page);
    else opened.push(page);
  };
  const nextPage = () => {
    const page = opened.shift();
    return page ? Promise.resolve(page) : new Promise<Page>((resolve) => waiting.push(resolve));
  };
  return { open, nextPage };
}

/** On the sandbox's login page: pick who signs in, then sign in or cancel. */
async function answerLogin(page: Page, practitioner: RegExp | string, decision: 'Sign in' | 'Cancel' = 'Sign in'): Promise<void> {
  await page.getByRole('heading', { name: 'Sandbox EHR sign-in' }).waitFor();
  await page.getByLabel(practitioner).check();
  await page.getByRole('button', { name: decision }).click();
}

describe(
  'clinician sign-in with SMART on FHIR in the system browser',
  skipWhen(existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install chromium)`),
  () => {
    const sandboxLog = recordingLogger();
    let sandbox: Sandbox;
    let browser: Browser;
    const services: AuthService[] = [];

    const config = (overrides: Partial<SignInConfig> = {}): SignInConfig => ({
      fhirBaseUrl: sandbox.fhirBaseUrl,
      clientId: SANDBOX_DEFAULTS.clinicianClientId,
      scope: SCOPE,
      launchPort: null,
      ...overrides,
    });
    const tokenGrants = (grantType: string) =>
      sandboxLog.lines.filter((l) => l.includes('"sandbox.auth.token_issued"') && l.includes(`"grantType":"${grantType}"`)).length;

    function service(overrides: Partial<SignInConfig> = {}) {
      const system = chromiumBrowser(browser);
      const logger = recordingLogger();
      const changes: AuthChanged[] = [];
      const auth = createAuthService({
        config: () => config(overrides),
        openBrowser: system.open,
        logger,
        onChanged: (c) => changes.push(c),
        requestTimeoutMs: 5_000,
      });
      services.push(auth);
      return { auth, system, logger, changes };
    }

    /** A standalone sign-in through to the app's "signed in" page. */
    async function signIn(
      auth: AuthService,
      system: ReturnType<typeof chromiumBrowser>,
      practitioner = /Robin Clinician-Sandbox/,
    ): Promise<AuthStatus> {
      const started = await auth.signIn({ mode: 'standalone' });
      assert.equal(started.state, 'signing_in');
      const page = await system.nextPage();
      await answerLogin(page, practitioner);
      await page.getByRole('heading', { name: 'Signed in' }).waitFor();
      return auth.settled();
    }

    beforeAll(async () => {
      sandbox = await startSandbox({ port: 0, logger: sandboxLog, usCoreDir: null });
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    });
    afterAll(async () => {
      for (const auth of services) await auth.close();
      await browser?.close();
      await sandbox?.close();
    });

    describe('through the composition root, as the renderer sees it', () => {
      const tmp = tempDir('scribe-sign-in-');
      const appLog = recordingLogger();
      const stderr: string[] = [];
      let scribe: Scribe;
      let system: ReturnType<typeof chromiumBrowser>;
      const local: CallContext['actor'] = { id: 'os-user', role: 'clinician' };
      const ipc = (): CallContext => ({ transport: 'ipc', actor: signedInActor(scribe.auth, local)() });
      const events: { event: string; payload: unknown }[] = [];

      beforeAll(() => {
        // As if DEBUG=FHIR* were set: fhirclient would print token requests and responses to stderr.
        fhirclientDebugModule().enable('FHIR*');
        system = chromiumBrowser(browser);
        scribe = openScribe({
          dataDir: join(tmp.dir, 'data'),
          keyProvider: createPassphraseKeyProvider('sign-in test passphrase', FAST_SCRYPT),
          mode: 'create',
          logger: appLog,
          auth: { openBrowser: system.open, config: () => config(), requestTimeoutMs: 5_000 },
        });
        scribe.events.subscribeAll((event, payload) => events.push({ event, payload }));
      });
      afterAll(() => {
        fhirclientDebugModule().disable();
        scribe?.close();
        tmp.cleanup();
      });

      test('standalone sign-in: the practitioner from the id_token is who acts, with the granted scopes; no token reaches the renderer, logs or stderr', async () => {
        const before = await scribe.dispatch('auth:status', {}, ipc());
        assert.deepEqual(before.ok && (before.value as AuthStatus).state, 'signed_out');
        assert.equal(ipc().actor.id, 'os-user');

        const writeStderr = process.stderr.write.bind(process.stderr);
        process.stderr.write = (chunk: string | Uint8Array, ...rest: never[]) => {
          stderr.push(String(chunk));
          return writeStderr(chunk, ...rest);
        };
        let status: AuthStatus;
        const results: unknown[] = [];
        try {
          const started = await scribe.dispatch('auth:signIn', { mode: 'standalone' }, ipc());
          results.push(started);
          assert.ok(started.ok);
          assert.equal((started.value as AuthStatus).state, 'signing_in');
          const page = await system.nextPage();
          assert.match(page.url(), /\/auth\/interaction\//, 'the EHR login page, in the system browser');
          await answerLogin(page, /Kai Physician-Sandbox/);
          await page.getByRole('heading', { name: 'Signed in' }).waitFor();
          assert.match(page.url(), /^http:\/\/127\.0\.0\.1:\d+\/callback\?/, 'the response came back to the loopback redirect URI');
          await scribe.auth.settled();
          const result = await scribe.dispatch('auth:status', {}, ipc());
          results.push(result);
          assert.ok(result.ok);
          status = result.value as AuthStatus;
        } finally {
          process.stderr.write = writeStderr;
        }

        assert.equal(status.state, 'signed_in');
        assert.equal(status.launch, 'standalone');
        assert.deepEqual(status.user, {
          id: 'sbx-practitioner-2',
          practitionerId: 'sbx-practitioner-2',
          fhirUser: 'Practitioner/sbx-practitioner-2',
          displayName: 'Dr. Kai Physician-Sandbox',
          role: 'clinician',
          roleFrom: 'fhir_user_type',
        });
        for (const scope of ['openid', 'fhirUser', 'offline_access', 'user/*.read', 'user/*.write'])
          assert.ok(status.scopes.includes(scope), `granted ${scope}`);
        assert.equal(status.refreshable, true);
        assert.ok(status.expiresAt && Date.parse(status.expiresAt) > Date.now());
        assert.deepEqual(status.context, { patientId: null, encounterId: null });
        assert.equal(status.problem, null);
        const { practitioner, ...actor } = ipc().actor;
        assert.deepEqual(actor, { id: 'sbx-practitioner-2', role: 'clinician' }, 'the signed-in practitioner is the API actor');
        assert.deepEqual(
          [practitioner?.id, practitioner?.vouchedBy],
          ['sbx-practitioner-2', 'ehr-sign-in'],
          'and signs as the EHR vouched',
        );
        const info = await scribe.dispatch('app:info', {}, ipc());
        assert.ok(info.ok && (info.value as { user: { id: string } }).user.id === 'sbx-practitioner-2');
        assert.ok(events.some((e) => e.event === 'auth:changed' && (e.payload as AuthChanged).state === 'signed_in'));
        assert.ok([...scribe.audit.entries()].some((e) => e.action === 'auth.signed_in' && e.actor === 'sbx-practitioner-2'));

        const accessToken = await scribe.auth.tokens.token();
        const everything = [JSON.stringify(results), JSON.stringify(events), ...appLog.lines, ...stderr].join('\n');
        assert.ok(!everything.includes(accessToken), 'the access token is in no API result, event, log line or stderr output');
        for (const key of ['access_token', 'refresh_token', 'id_token', 'code_verifier', 'authorization:', 'Bearer'])
          assert.ok(!everything.includes(key), `no ${key}`);
        assert.doesNotMatch(JSON.stringify(results), TOKEN_LIKE);
        assert.doesNotMatch(appLog.lines.join('\n'), TOKEN_LIKE);
        assert.doesNotMatch(stderr.join(''), /eyJ[A-Za-z0-9_-]{10,}\./, 'no JWT on stderr');

        const out = await scribe.dispatch('auth:signOut', {}, ipc());
        assert.ok(out.ok && (out.value as AuthStatus).state === 'signed_out');
        assert.equal(ipc().actor.id, 'os-user');
        await assert.rejects(scribe.auth.tokens.token(), /No clinician is signed in/);
        assert.ok([...scribe.audit.entries()].some((e) => e.action === 'auth.signed_out' && e.actor === 'sbx-practitioner-2'));
        const revoked = await fetch(`${sandbox.fhirBaseUrl}/Patient/sbx-patient-1`, {
          headers: { authorization: `Bearer ${accessToken}` },
        });
        assert.equal(revoked.status, 401, 'signing out revoked the grant at the EHR');
      });
    });

    test('a callback whose state is not the one sent is refused, and does not spend the sign-in', async () => {
      const { auth, system, logger } = service();
      await auth.signIn({ mode: 'standalone' });
      const page = await system.nextPage();
      // The EHR redirects the browser to our callback; Chromium's own interception (page.route skips
      // redirect hops) holds that request back so the test can deliver it as it likes.
      let callbackUrl = '';
      const cdp = await page.context().newCDPSession(page);
      cdp.on('Fetch.requestPaused', (event: { requestId: string; request: { url: string } }) => {
        callbackUrl = event.request.url;
        void cdp.send('Fetch.fulfillRequest', {
          requestId: event.requestId,
          responseCode: 200,
          responseHeaders: [{ name: 'content-type', value: 'text/plain' }],
          body: Buffer.from('held back by the test').toString('base64'),
        });
      });
      await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*/callback?*', requestStage: 'Request' }] });
      await answerLogin(page, /Robin Clinician-Sandbox/);
      await page.getByText('held back by the test').waitFor();
      assert.ok(callbackUrl, 'the EHR sent the browser back with a code');
      await cdp.send('Fetch.disable');

      const forged = new URL(callbackUrl);
      forged.searchParams.set('state', 'not-the-state-we-sent');
      const codeGrantsBefore = tokenGrants('authorization_code');
      const refused = await page.goto(forged.href);
      assert.equal(refused?.status(), 400);
      await page.getByText('does not belong to the sign-in Ambient Scribe started').waitFor();
      assert.equal(auth.status().state, 'signing_in', 'still waiting for the real response');
      assert.equal(tokenGrants('authorization_code'), codeGrantsBefore, 'no code was exchanged');
      assert.ok(logger.lines.some((l) => l.includes('auth.callback_refused') && l.includes('state_mismatch')));

      const missing = new URL(callbackUrl);
      missing.searchParams.delete('state');
      assert.equal((await page.goto(missing.href))?.status(), 400, 'no state at all is refused too');

      const accepted = await page.goto(callbackUrl);
      assert.equal(accepted?.status(), 200);
      const status = await auth.settled();
      assert.equal(status.state, 'signed_in');
      assert.equal(status.user?.practitionerId, 'sbx-practitioner-1');
      await auth.signOut();
    });

    test('declining at the EHR ends the sign-in with a clear reason', async () => {
      const { auth, system, changes } = service();
      await auth.signIn({ mode: 'standalone' });
      const page = await system.nextPage();
      await answerLogin(page, /Robin Clinician-Sandbox/, 'Cancel');
      await page.getByText('Sign-in was cancelled or refused at the EHR.').waitFor();
      const status = await auth.settled();
      assert.equal(status.state, 'signed_out');
      assert.deepEqual(status.problem, { code: 'access_denied', message: 'Sign-in was cancelled or refused at the EHR.' });
      assert.equal(auth.actor(), undefined);
      assert.deepEqual(changes.at(-1), { state: 'signed_out', problem: 'access_denied' });
    });

    test('refresh is single-flight: concurrent callers share one token request, and a token the EHR dropped is renewed', async () => {
      const { auth, system, changes } = service();
      await signIn(auth, system);
      const refreshesBefore = tokenGrants('refresh_token');
      const first = await auth.tokens.token();
      auth.tokens.invalidate(first);
      const [a, b, c] = await Promise.all([auth.tokens.token(), auth.tokens.token(), auth.tokens.token()]);
      assert.equal(tokenGrants('refresh_token'), refreshesBefore + 1, 'one refresh request for three callers');
      assert.equal(a, b);
      assert.equal(b, c);
      assert.notEqual(a, first);
      assert.ok(changes.filter((x) => x.state === 'signed_in').length >= 2, 'a refresh is announced');

      // The EHR forgets every access token; a FHIR read in the clinician's name gets 401, refreshes once, and succeeds.
      sandbox.expireTokens();
      const fhir = createFhirClient({ baseUrl: sandbox.fhirBaseUrl, tokens: auth.tokens, requestTimeoutMs: 5_000, capabilityTtlMs: 0 });
      const [p1, p2] = await Promise.all([
        fhir.read<Patient>('Patient', 'sbx-patient-1', AbortSignal.timeout(5_000)),
        fhir.read<Patient>('Patient', 'sbx-patient-2', AbortSignal.timeout(5_000)),
      ]);
      assert.equal(p1.id, 'sbx-patient-1');
      assert.equal(p2.id, 'sbx-patient-2');
      assert.equal(tokenGrants('refresh_token'), refreshesBefore + 2, 'the rotated refresh token worked, once more, shared by both reads');
      assert.equal(auth.status().state, 'signed_in');
      await auth.signOut();
    });

    test('EHR launch: the EHR opens the loopback launch URL with iss and launch; the session carries its patient and encounter', async () => {
      const { auth, logger } = service({ launchPort: 0 });
      const launchUrl = await auth.startLaunchListener();
      assert.match(launchUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/launch$/);
      assert.equal(auth.status().launchUrl, launchUrl);

      // An iss other than the configured EHR is refused: any web page can send a browser here.
      const foreign = await fetch(`${launchUrl}?iss=${encodeURIComponent('https://ehr.example.org/fhir')}&launch=abc`);
      assert.equal(foreign.status, 403);
      assert.equal(auth.status().state, 'signed_out');
      assert.ok(logger.lines.some((l) => l.includes('auth.launch_refused')));

      // The sandbox EHR plays the chart a clinician launches the app from.
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(TIMEOUT_MS);
      const ehr = new URL('/admin/launch', sandbox.fhirBaseUrl);
      ehr.search = new URLSearchParams({ patient: 'sbx-patient-3', encounter: 'sbx-encounter-3', app: launchUrl! }).toString();
      await page.goto(ehr.href);
      await page.getByRole('heading', { name: 'Sandbox EHR sign-in' }).waitFor();
      assert.equal(await page.getByRole('group', { name: 'Patient' }).count(), 0, 'the launch already names the patient');
      await answerLogin(page, /Noor Nurse-Practitioner-Sandbox/);
      await page.getByRole('heading', { name: 'Signed in' }).waitFor();
      assert.match(page.url(), new RegExp(`^${launchUrl!.replace('/launch', '')}/callback\\?`));

      const status = auth.status();
      assert.equal(status.state, 'signed_in');
      assert.equal(status.launch, 'ehr');
      assert.deepEqual(status.context, { patientId: 'sbx-patient-3', encounterId: 'sbx-encounter-3' });
      assert.equal(status.user?.practitionerId, 'sbx-practitioner-3');
      assert.ok(status.scopes.includes('launch'), 'fhirclient asked for the launch scope');
      await context.close();

      // A launch id the EHR never issued ends at the EHR with an error the app reports.
      const bogus = await browser.newContext();
      const bogusPage = await bogus.newPage();
      await bogusPage.goto(`${launchUrl}?iss=${encodeURIComponent(sandbox.fhirBaseUrl)}&launch=never-issued`);
      await bogusPage.getByText(/ended the sign-in with an error \(invalid_request\)/).waitFor({ timeout: TIMEOUT_MS });
      assert.equal(auth.status().problem?.code, 'authorization_failed');
      assert.equal(auth.status().user?.practitionerId, 'sbx-practitioner-3', 'a failed launch leaves the signed-in session as it was');
      await bogus.close();
      await auth.signOut();
    });
  },
);
