/**
 * End to end, issue 15 item 3: sign-in and identity in the browser mode. `scribe web` with an EHR
 * (the sandbox on a free port) that the machine policy configures for SMART sign-in, and no link of
 * the workstation account to a practitioner, so nobody can sign before signing in. The clinician
 * signs in from the header (the EHR's login page opens in a new tab), the header names them, they
 * sign a note, and the signature and the EHR's DocumentReference name their Practitioner. Switch
 * user then brings the EHR's login page back; the sandbox's scribe signs in, is not offered Sign,
 * and a crafted sign call is refused.
 * Run: npx vitest run test/e2e/sign-in-ui.spec.ts   (after `npm run build`)
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { DocumentReference } from '@medplum/fhirtypes';
import type { Browser, Page } from 'playwright-core';
import { SANDBOX_DEFAULTS } from '../../main/sandbox/sandbox-defaults.js';
import { SANDBOX_PATIENTS, sandboxEncounterId } from '../../main/sandbox/seed.js';
import { FHIR_SYSTEMS } from '../../main/fhir/fhir-systems.js';
import type { WebServer, Workstation } from '../helpers/e2e-web.js';
import { createWorkstation, e2eSkipReason, openAppPage, screenshot, seriousAccessibilityIssues } from '../helpers/e2e-web.js';
import type { FhirSandboxFixture } from '../helpers/fhir-sandbox.js';
import { startFhirSandbox, TEST_CLIENT_ID } from '../helpers/fhir-sandbox.js';
import { skipWhen } from '../helpers/skip.js';

const PATIENT = 'Ada Fakename-Sandbox';
const PATIENT_ID = SANDBOX_PATIENTS[0]!.id;
const CLINICIAN_NAME = 'Dr. Robin Clinician-Sandbox';
const SCRIBE_NAME = 'Sam Scribe-Sandbox (scribe)';
const TRANSCRIPT = [
  'Doctor: Good morning. What brings you in today?',
  'Patient: I have had a sore throat for three days.',
  'Doctor: Any fever?',
  'Patient: No.',
  'Doctor: Any allergies?',
  'Patient: No known drug allergies.',
  'Doctor: My impression is acute pharyngitis. Salt water gargles and rest.',
].join('\n');

describe(
  'signing in with the EHR from the header, signing as that practitioner, switching to a scribe',
  skipWhen(e2eSkipReason ?? false),
  () => {
    let ws: Workstation;
    let web: WebServer;
    let ehr: FhirSandboxFixture | undefined;
    let browser: Browser | undefined;
    let page: Page;
    const visits: string[] = [];
    const seen = { console: [] as string[], errors: [] as string[] };
    const header = () => page.getByRole('banner');

    /** Clicks a header button that opens the EHR's login page in a new tab, and answers it as `who`. */
    async function signInThroughTab(button: string, who: string | RegExp): Promise<void> {
      const [tab] = await Promise.all([page.context().waitForEvent('page'), header().getByRole('button', { name: button }).click()]);
      await tab.getByRole('heading', { name: 'Sandbox EHR sign-in' }).waitFor();
      await tab.getByLabel(who).check();
      await tab.getByRole('button', { name: 'Sign in' }).click();
      await tab.getByRole('heading', { name: 'Signed in' }).waitFor();
      await tab.close();
    }

    async function draftedVisit(env: Record<string, string>, n: number): Promise<string> {
      const created = await ws.scribe(
        ['visit', 'create', '--patient', PATIENT_ID, '--encounter', sandboxEncounterId(n), '--name', PATIENT, '--json'],
        env,
      );
      const id = (JSON.parse(created) as { id: string }).id;
      const file = join(ws.dataDir, `visit-${n}.txt`);
      await writeFile(file, TRANSCRIPT);
      await ws.scribe(['visit', 'import-transcript', id, file], env);
      await ws.scribe(['visit', 'draft', id, '--engine', 'offline'], env);
      return id;
    }

    beforeAll(async () => {
      ws = await createWorkstation({ user: 'os-clin', role: 'clinician' });
      ehr = await startFhirSandbox();
      const keyFile = join(ws.dataDir, 'ehr-client-key.json');
      await writeFile(keyFile, JSON.stringify({ alg: ehr.key.alg, privateKey: ehr.key.privateKey }), { mode: 0o600 });
      const policy = join(ws.dataDir, 'policy.json');
      // An EHR set up for sign-in; no workstation account is linked to a practitioner.
      await writeFile(
        policy,
        JSON.stringify({
          ehrRouting: 'fhir',
          fhirBaseUrl: ehr.sandbox.fhirBaseUrl,
          fhirTokenUrl: ehr.sandbox.auth.token,
          fhirClientId: TEST_CLIENT_ID,
          fhirPrivateKeyFile: keyFile,
          fhirSignInClientId: SANDBOX_DEFAULTS.clinicianClientId,
          // profile: the EHR names who signed in in its id_token, so a scribe (no Practitioner record) is named too.
          fhirSignInScope: 'openid fhirUser profile offline_access user/*.read user/*.write',
        }),
      );
      const env = { SCRIBE_POLICY_FILE: policy };
      visits.push(await draftedVisit(env, 0), await draftedVisit(env, 1));
      web = await ws.web(env);
      ({ browser, page } = await openAppPage(seen));
    });

    afterAll(async () => {
      await browser?.close().catch(() => undefined);
      await ws?.dispose();
      await ehr?.close();
    });

    it('before signing in, the workstation account is shown and Sign is not offered, with why', async () => {
      await page.goto(web.address.url);
      await header().getByText('os-clin', { exact: true }).waitFor();
      await header().getByRole('button', { name: 'Sign in with the EHR' }).waitFor();
      await page.goto(`${web.address.origin}/#/review/${visits[0]}`);
      await page.getByRole('heading', { level: 1, name: `Review: ${PATIENT}` }).waitFor();
      await page.getByText(/^Only a clinician signed in with the EHR can sign\./).waitFor();
      assert.equal(await page.getByRole('button', { name: /^Sign and send/ }).count(), 0);
    });

    it('the clinician signs in on the EHR’s page in a new tab; the header names them', async () => {
      await signInThroughTab('Sign in with the EHR', /Robin Clinician-Sandbox/);
      await header().getByText(CLINICIAN_NAME, { exact: true }).waitFor();
      await header().getByText('Clinician', { exact: true }).waitFor();
      await header().getByRole('button', { name: 'Sign out' }).waitFor();
      assert.deepEqual(await seriousAccessibilityIssues(page), []);
      await screenshot(page, 'sign-in-clinician');
    });

    it('the clinician signs the note; the signature and the EHR’s document name their Practitioner', async () => {
      await page.getByRole('button', { name: 'Sign and send…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Sign and send to the EHR' });
      await dialog.waitFor();
      await dialog.getByLabel(/I have reviewed this note/).check();
      const unsupported = dialog.getByLabel(/^I checked the \d+ unsupported sentences? and/);
      if ((await unsupported.count()) > 0) await unsupported.check();
      await dialog.getByRole('button', { name: 'Sign and send' }).click();
      await page.getByRole('dialog', { name: 'Signed and delivered to the EHR' }).waitFor({ timeout: 60_000 });
      await page
        .getByRole('dialog', { name: /^Signed/ })
        .getByRole('button', { name: 'Close' })
        .click();

      const note = (await web.call('note:get', { visitId: visits[0] })) as { value: { signed: boolean } };
      assert.equal(note.value.signed, true);
      const documents = await ehr!.search<DocumentReference>('DocumentReference', `subject=Patient/${PATIENT_ID}`);
      const ours = documents.filter((d) => d.identifier?.some((i) => i.system === FHIR_SYSTEMS.noteIdentifier));
      assert.equal(ours.length, 1);
      assert.ok(
        JSON.stringify(ours[0]!.author ?? []).includes('Practitioner/sbx-practitioner-1'),
        `the document's author is the signed-in practitioner: ${JSON.stringify(ours[0]!.author)}`,
      );
    });

    it('switch user brings back the EHR’s login page; the scribe is not offered Sign and a crafted sign call is refused', async () => {
      await signInThroughTab('Switch user', SCRIBE_NAME);
      await header().getByText(SCRIBE_NAME, { exact: true }).waitFor();
      await header().getByText('Scribe', { exact: true }).waitFor();
      await page.goto(`${web.address.origin}/#/review/${visits[1]}`);
      await page.getByRole('heading', { level: 1, name: `Review: ${PATIENT}` }).waitFor();
      await page.getByText('Only clinicians can sign notes on this workstation.').waitFor();
      assert.equal(await page.getByRole('button', { name: /^Sign and send/ }).count(), 0, 'no sign control for the scribe');
      await screenshot(page, 'sign-in-scribe');

      const note = (await web.call('note:get', { visitId: visits[1] })) as { value: { note: { revision: number } } };
      const refused = await web.call('visit:sign', { visitId: visits[1], revision: note.value.note.revision });
      assert.equal(refused.ok, false);
      assert.equal(refused.error?.code, 'forbidden');
      const visit = (await web.call('visit:get', { id: visits[1] })) as { value: { state: string } };
      assert.notEqual(visit.value.state, 'signed');
      const who = (await web.call('auth:whoami', {})) as { value: { actorId: string; maySign: boolean } };
      assert.deepEqual([who.value.actorId, who.value.maySign], ['Person/sbx-scribe-1', false]);
    });

    it('broke no CSP rule and threw no page errors', () => {
      assert.deepEqual(
        seen.console.filter((text) => /Content Security Policy|Refused to/i.test(text)),
        [],
      );
      assert.deepEqual(seen.errors, []);
    });
  },
);
