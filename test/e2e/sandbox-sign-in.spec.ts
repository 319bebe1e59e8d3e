/**
 * End to end: a clinician signs in to the sandbox EHR in Debian's Chromium (standalone launch,
 * authorization code + PKCE), picks a practitioner and a patient on the login page, and the browser
 * lands on the app's loopback redirect URI with a code that exchanges for a token with patient context.
 * Run: npx vitest run test/e2e/sandbox-sign-in.spec.ts
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { startSandbox } from '../../main/sandbox/sandbox.js';
import type { Sandbox } from '../../main/sandbox/sandbox.js';
import { SANDBOX_DEFAULTS } from '../../main/sandbox/sandbox-defaults.js';
import { skipWhen } from '../helpers/skip.js';

const CHROMIUM = '/usr/bin/chromium';

describe(
  'sandbox EHR sign-in in a browser',
  skipWhen(existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install chromium)`),
  () => {
    let sandbox: Sandbox;
    let browser: Browser;
    let app: Server;
    let redirectUri: string;
    beforeAll(async () => {
      sandbox = await startSandbox({ port: 0 });
      // The desktop app's loopback redirect target: it only has to exist and answer.
      app = createServer((_req, res) => res.end('signed in'));
      await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
      redirectUri = `http://127.0.0.1:${(app.address() as AddressInfo).port}/callback`;
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      });
    });
    afterAll(async () => {
      await browser?.close();
      app?.close();
      await sandbox?.close();
    });

    test('login page → redirect with code → token with the chosen patient', async () => {
      const verifier = randomBytes(32).toString('base64url');
      const params = new URLSearchParams({
        response_type: 'code',
        client_id: SANDBOX_DEFAULTS.clinicianClientId,
        redirect_uri: redirectUri,
        scope: 'openid fhirUser launch/patient user/*.read',
        state: 'browser-state',
        aud: sandbox.fhirBaseUrl,
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      });
      const page = await browser.newPage();
      await page.goto(`${sandbox.auth.authorize}?${params.toString()}`);
      await page.getByRole('heading', { name: 'Sandbox EHR sign-in' }).waitFor();
      await page.getByLabel('Dr. Kai Physician-Sandbox').check();
      await page.getByLabel(/Dov Example-Sandbox/).check();
      await Promise.all([
        page.waitForURL((url) => url.href.startsWith(redirectUri)),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      const landed = new URL(page.url());
      assert.equal(landed.searchParams.get('state'), 'browser-state');
      const code = landed.searchParams.get('code');
      assert.ok(code);

      const response = await fetch(sandbox.auth.token, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          client_id: SANDBOX_DEFAULTS.clinicianClientId,
          code_verifier: verifier,
        }),
      });
      assert.equal(response.status, 200);
      const token = (await response.json()) as Record<string, string>;
      assert.equal(token['patient'], 'sbx-patient-4');
      const patient = await fetch(`${sandbox.fhirBaseUrl}/Patient/sbx-patient-4`, {
        headers: { authorization: `Bearer ${token['access_token']}` },
      });
      assert.equal(patient.status, 200);
    });
  },
);
