/**
 * End to end, issue 15 (the embedded default): `scribe web` with no EHR configured starts the demo
 * EHR in its own process and names it "Demo EHR — synthetic patients" wherever the EHR is named.
 * The clinician signs in through the demo EHR's own SMART login page ("Sign in with Demo EHR"),
 * signs a note (the sign dialog says where it goes, with no server address), the
 * outbox names the demo EHR, and the note is seen arriving under "What the EHR received". With
 * `demoEhrAllowed: false` in the machine policy no demo EHR starts, and the app says in plain words
 * that no EHR is set up.
 * Run: npx vitest run test/e2e/demo-ehr.spec.ts   (after `npm run build`)
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { SANDBOX_PATIENTS, sandboxEncounterId } from '../../main/sandbox/seed.js';
import type { WebServer, Workstation } from '../helpers/e2e-web.js';
import { createWorkstation, e2eSkipReason, openAppPage, screenshot, seriousAccessibilityIssues } from '../helpers/e2e-web.js';
import { skipWhen } from '../helpers/skip.js';

const LABEL = 'Demo EHR — synthetic patients';
const PATIENT = `${SANDBOX_PATIENTS[0]!.given} ${SANDBOX_PATIENTS[0]!.family}`;
const PATIENT_ID = SANDBOX_PATIENTS[0]!.id;
const CLINICIAN_NAME = 'Dr. Robin Clinician-Sandbox';
const TRANSCRIPT = [
  'Doctor: Good morning. What brings you in today?',
  'Patient: I have had a sore throat for three days.',
  'Doctor: Any fever?',
  'Patient: No fever.',
  'Doctor: My assessment is acute pharyngitis. Plan: salt water gargles and rest.',
].join('\n');

/** Whether this `scribe web` started the demo EHR and uses it (ehr:demoStatus). */
async function startedDemo(web: WebServer): Promise<boolean> {
  const status = (await web.call('ehr:demoStatus', {})) as { value: { inUse: boolean } };
  return status.value.inUse;
}

describe('the demo EHR inside scribe web: sign in with it, sign a note, see it arrive', skipWhen(e2eSkipReason ?? false), () => {
  let ws: Workstation;
  let web: WebServer;
  let browser: Browser | undefined;
  let page: Page;
  let visitId = '';
  const seen = { console: [] as string[], errors: [] as string[] };
  const header = () => page.getByRole('banner');

  beforeAll(async () => {
    // A workstation account linked to no practitioner: signing needs the demo EHR's sign-in.
    ws = await createWorkstation({ user: 'os-clin', role: 'clinician' });
    visitId = (
      JSON.parse(
        await ws.scribe(['visit', 'create', '--patient', PATIENT_ID, '--encounter', sandboxEncounterId(0), '--name', PATIENT, '--json']),
      ) as { id: string }
    ).id;
    const file = join(ws.dataDir, 'transcript.txt');
    await writeFile(file, TRANSCRIPT);
    await ws.scribe(['visit', 'import-transcript', visitId, file]);
    await ws.scribe(['visit', 'draft', visitId, '--engine', 'offline']);
    web = await ws.web();
    ({ browser, page } = await openAppPage(seen, { height: 900 }));
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await ws?.dispose();
  });

  it('the header offers Sign in with Demo EHR; its login page signs the clinician in', async () => {
    assert.equal(await startedDemo(web), true, 'no EHR configured: the demo EHR runs in the process');
    await page.goto(web.address.url);
    await page.getByText(LABEL, { exact: true }).first().waitFor();
    const [tab] = await Promise.all([
      page.context().waitForEvent('page'),
      header().getByRole('button', { name: 'Sign in with Demo EHR' }).click(),
    ]);
    await tab.getByRole('heading', { name: 'Sandbox EHR sign-in' }).waitFor();
    await tab.getByLabel(/Robin Clinician-Sandbox/).check();
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await tab.getByRole('heading', { name: 'Signed in' }).waitFor();
    await tab.close();
    await header().getByText(CLINICIAN_NAME, { exact: true }).waitFor();
    await header().getByRole('button', { name: 'Sign out' }).waitFor();
    const who = (await web.call('auth:whoami', {})) as { value: { maySign: boolean; practitioner: { id: string } | null } };
    assert.deepEqual([who.value.maySign, who.value.practitioner?.id], [true, 'sbx-practitioner-1']);
  });

  it('the sign dialog says the note goes to the demo EHR, with no server address', async () => {
    await page.goto(`${web.address.origin}/#/review/${visitId}`);
    await page.getByRole('heading', { level: 1, name: `Review: ${PATIENT}` }).waitFor();
    await page.getByRole('button', { name: 'Sign and send…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign and send to the EHR' });
    await dialog.waitFor();
    await dialog.getByText(`To the ${LABEL}`, { exact: true }).waitFor();
    assert.doesNotMatch(await dialog.innerText(), /https?:\/\/|127\.0\.0\.1/, 'no server address in front of the clinician');
    await dialog.getByLabel(/I have reviewed this note/).check();
    const unsupported = dialog.getByLabel(/^I checked the \d+ unsupported sentences? and/);
    if ((await unsupported.count()) > 0) await unsupported.check();
    await dialog.getByRole('button', { name: 'Sign and send' }).click();
    const sent = page.getByRole('dialog', { name: 'Signed and delivered to the EHR' });
    await sent.waitFor({ timeout: 60_000 });
    await sent.getByRole('button', { name: 'Close' }).click();
    const visit = (await web.call('visit:get', { id: visitId })) as { value: { state: string } };
    assert.equal(visit.value.state, 'delivered');
  });

  it('the outbox names the demo EHR; What the EHR received shows the signed note', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Outbox' }).click();
    await page.getByRole('heading', { level: 1, name: 'Outbox' }).waitFor();
    await page.getByText(/^Notes go to the Demo EHR — synthetic patients, which runs inside this app\./).waitFor();
    const row = page.getByRole('row').filter({ hasText: PATIENT });
    await row.getByRole('cell', { name: `${LABEL} (FHIR)` }).waitFor();
    await row.getByText(/^The Demo EHR — synthetic patients holds the note/).waitFor();
    assert.deepEqual(await seriousAccessibilityIssues(page), [], 'accessibility of the outbox');
    await screenshot(page, 'demo-ehr-outbox');

    await page.getByRole('link', { name: 'See what the EHR received' }).click();
    await page.getByRole('heading', { level: 1, name: 'What the EHR received' }).waitFor();
    const arrived = page.getByRole('article', { name: new RegExp(`, ${PATIENT}$`) });
    await arrived.waitFor();
    assert.equal(await arrived.count(), 1, 'the note arrived once');
    assert.match(await arrived.innerText(), /sore throat/i);
    assert.match(await arrived.innerText(), /FHIR · DocumentReference\//);
    await screenshot(page, 'demo-ehr-received');
    assert.deepEqual(seen.errors, []);
  });
});

describe('demoEhrAllowed: false in the machine policy', skipWhen(e2eSkipReason ?? false), () => {
  let ws: Workstation;
  let web: WebServer;
  let browser: Browser | undefined;
  let page: Page;
  const seen = { console: [] as string[], errors: [] as string[] };

  beforeAll(async () => {
    ws = await createWorkstation({ user: 'os-clin', role: 'clinician' });
    const policy = join(ws.dataDir, 'policy.json');
    await writeFile(policy, JSON.stringify({ demoEhrAllowed: false }));
    web = await ws.web({ SCRIBE_POLICY_FILE: policy });
    ({ browser, page } = await openAppPage(seen));
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await ws?.dispose();
  });

  it('starts no demo EHR, and the app says in plain words that no EHR is set up', async () => {
    assert.equal(await startedDemo(web), false);
    assert.doesNotMatch(web.output(), /demo_ehr\.started/, 'the demo EHR was never started');
    const schedule = (await web.call('ehr:schedule', { everyone: true })) as { ok: boolean; error?: { reason?: string } };
    assert.deepEqual([schedule.ok, schedule.error?.reason], [false, 'ehr.not_configured']);

    await page.goto(web.address.url);
    await page.getByRole('heading', { level: 1, name: 'Visits' }).waitFor();
    await page.getByText(/The EHR connection is not set up/).waitFor();
    const body = await page.locator('body').innerText();
    assert.doesNotMatch(body, /Demo EHR/, 'nothing names a demo EHR');
    assert.doesNotMatch(body, /fhirBaseUrl|SCRIBE_|https?:\/\//, 'no settings names or addresses in front of the clinician');
    assert.equal(await page.getByRole('link', { name: 'What the EHR received' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Sign in with/ }).count(), 0, 'no EHR to sign in with');
    await screenshot(page, 'demo-ehr-forbidden');
    assert.deepEqual(seen.errors, []);
  });
});
