/**
 * End to end, the EHR connection in Settings and a deliberate sign-off: a clinician points the app
 * at a sandbox EHR (FHIR and HL7 v2), sees the HL7 identity settings with a policy lock, clicks
 * "Test connection" and reads the results from the live region; then signs a note with sentences
 * the transcript does not back only after ticking that they were checked.
 * Run: npx vitest run test/e2e/ehr-connection.spec.ts   (after `npm run build`)
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { WebServer, Workstation } from '../helpers/e2e-web.js';
import { createWorkstation, e2eSkipReason, openAppPage, screenshot, seriousAccessibilityIssues } from '../helpers/e2e-web.js';
import type { Note } from '../../shared/domain/note.js';
import { skipWhen } from '../helpers/skip.js';

const PATIENT = 'Ottoline Brackenridge-Vance';
const DIALOGUE = [
  'Doctor: What brings you in today?',
  'Patient: My throat has been sore for three days.',
  'Doctor: Your throat looks red. Take ibuprofen 400 milligrams twice daily.',
].join('\n');

describe('EHR connection settings and deliberate sign-off in the browser', skipWhen(e2eSkipReason ?? false), () => {
  let ws: Workstation;
  let web: WebServer;
  let policy = '';
  let browser: Browser | undefined;
  let page: Page;
  const seen = { console: [] as string[], errors: [] as string[] };
  const ok = (result: { ok: boolean; error?: { message: string } }) => assert.ok(result.ok, result.error?.message);

  beforeAll(async () => {
    ws = await createWorkstation({ user: 'sbx-practitioner-1', role: 'clinician' });
    // A sandbox on free ports, so this runs beside anything holding 8910/2575.
    const { ready } = await ws.background(['sandbox', '--port', '0', '--mllp-port', '0', '--json']);
    const sandbox = ready as {
      fhirBaseUrl: string;
      clientKeyFile: string;
      backendClientIds: string[];
      listeners: { name: string; address: string }[];
    };
    const mllpPort = Number(
      new URL(sandbox.listeners.find((l) => l.address.startsWith('mllp://'))!.address.replace('mllp://', 'http://')).port,
    );
    policy = join(ws.dataDir, 'policy.json');
    // IT links the clinician's workstation account to their EHR practitioner.
    await writeFile(policy, JSON.stringify({ hl7ProcessingId: 'T', signerPractitioners: { 'sbx-practitioner-1': 'sbx-practitioner-1' } }));
    web = await ws.web({ SCRIBE_POLICY_FILE: policy });
    ok(
      await web.call('settings:update', {
        ehrRouting: 'fhir-then-hl7v2',
        fhirBaseUrl: sandbox.fhirBaseUrl,
        fhirClientId: sandbox.backendClientIds[0],
        fhirPrivateKeyFile: sandbox.clientKeyFile,
        mllpHost: '127.0.0.1',
        mllpPort,
        mllpTls: false,
        hl7ReceivingApplication: 'SANDBOX_EHR',
        hl7ReceivingFacility: 'SANDBOX',
        hl7PatientIdAuthority: 'urn:ambient-scribe:sandbox:mrn',
      }),
    );
    ({ browser, page } = await openAppPage(seen, { height: 900 }));
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await ws?.dispose();
  });

  it('shows the clinician that IT manages the EHR connection, and the administrator its HL7 identity and connection test', async () => {
    await page.goto(web.address.url);
    await page.getByRole('heading', { level: 1, name: 'Visits' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
    await page
      .getByRole('region', { name: 'IT and administration' })
      .getByText(/are set up by your IT administrators/)
      .waitFor();
    assert.equal(await page.getByRole('region', { name: 'HL7 v2 message identity' }).count(), 0, 'a clinician sees no IT fields');
    // The same workstation with IT's administrator at it.
    await page.goto('about:blank');
    await web.stop();
    web = await ws.web({ SCRIBE_POLICY_FILE: policy, SCRIBE_USER: 'it-admin', SCRIBE_ROLE: 'admin' });
    await page.goto(web.address.url);
    await page.getByRole('heading', { level: 1, name: 'Visits' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    const identity = page.getByRole('region', { name: 'HL7 v2 message identity' });
    assert.equal(await identity.getByLabel('Receiving application (MSH-5)').inputValue(), 'SANDBOX_EHR');
    const processing = identity.getByLabel('Processing id (MSH-11)');
    assert.equal(await processing.isDisabled(), true, 'a setting the policy locks cannot be changed');
    assert.equal(await processing.inputValue(), 'T');
    await identity.getByText(/Locked by your organisation’s policy/).waitFor();

    const ehr = page.getByRole('region', { name: 'EHR connection' });
    const live = ehr.locator('[aria-live="polite"]');
    await ehr.getByRole('button', { name: 'Test connection' }).click();
    await live.getByText('The EHR connection works.', { exact: false }).waitFor();
    const checks = live.getByRole('listitem');
    assert.equal(await checks.count(), 4);
    const texts = await checks.allInnerTexts();
    assert.ok(
      texts.every((text) => text.startsWith('Works')),
      texts.join('\n'),
    );
    assert.match(texts.join('\n'), /FHIR 4\.0\.1 and takes transactions/);
    assert.match(texts.join('\n'), /No message was sent/);
    assert.deepEqual(await seriousAccessibilityIssues(page), [], 'accessibility issues on the settings page');
    await screenshot(page, 'settings-connection-test');
    await page.goto('about:blank');
    await web.stop();
    web = await ws.web({ SCRIBE_POLICY_FILE: policy });
    await page.goto(web.address.url);
    await page.getByRole('heading', { level: 1, name: 'Visits' }).waitFor();
  });

  it('signs a note with unsupported sentences only after the clinician ticks that they checked them', async () => {
    const created = await web.call('visit:create', { patientId: 'sbx-patient-1', patient: { displayName: PATIENT } });
    ok(created);
    const visitId = (created.value as { id: string }).id;
    // Drafted from the visit, then a drafted dose changed by hand: the plan no longer says what was said.
    ok(await web.call('transcript:import', { visitId, content: DIALOGUE }));
    ok(await web.call('visit:draft', { visitId, engine: 'offline' }));
    const view = await web.call('note:get', { visitId });
    ok(view);
    const note = (view.value as { note: Note }).note;
    const edited = {
      ...note,
      sections: note.sections.map((section) => ({
        ...section,
        sentences: section.sentences.map((s) => (s.text.includes('400 mg') ? { ...s, text: s.text.replace('400 mg', '600 mg') } : s)),
      })),
    };
    ok(await web.call('note:save', { visitId, baseRevision: note.revision, note: edited }));

    await page.evaluate(`window.location.hash = '#/review/${visitId}'`);
    await page.getByRole('button', { name: 'Sign and send…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign and send to the EHR' });
    await dialog.getByText('1 sentence has no support in the transcript.').waitFor();
    await dialog.getByText(/^(Plan|Medications): 1 sentence$/).waitFor();
    const sign = dialog.getByRole('button', { name: 'Sign and send' });
    await dialog.getByLabel(/I have reviewed this note and the codes/).check();
    assert.equal(await sign.getAttribute('aria-disabled'), 'true', 'the attestation alone is not enough');
    await sign.click({ force: true });
    assert.notEqual(((await web.call('visit:get', { id: visitId })) as { value: { state: string } }).value.state, 'signed');
    await dialog.getByLabel('I checked the 1 unsupported sentence and it is accurate.').check();
    assert.equal(await sign.getAttribute('aria-disabled'), null);
    await screenshot(page, 'sign-off-unsupported', { window: true });
    await sign.click();
    await page.getByRole('dialog', { name: /^Signed/ }).waitFor();
    const state = ((await web.call('visit:get', { id: visitId })) as { value: { state: string } }).value.state;
    assert.ok(['signed', 'delivering', 'delivered', 'delivery_failed'].includes(state), state);
    assert.deepEqual(seen.errors, []);
  });
});
