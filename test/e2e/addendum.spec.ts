/**
 * End to end, issue 6: later changes to a signed note become an addendum. A note drafted, signed by
 * the clinician and delivered to the sandbox EHR (set up through the CLI, the EHR reached through
 * the machine policy); on its review page the note has no editable field; a scribe writes an
 * addendum, saved as typed (kept across a reload), with no way to sign it (nor through the API);
 * the clinician signs it behind the confirm step and follows it to "delivered"; the EHR then holds a
 * second DocumentReference that `appends` the original, carrying the addendum text.
 * Screenshots: test-results/addendum-{draft,signed}.png.
 * Run: npx vitest run test/e2e/addendum.spec.ts   (after `npm run build`)
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { DocumentReference } from '@medplum/fhirtypes';
import type { Browser, Page } from 'playwright-core';
import { SANDBOX_PATIENTS, SANDBOX_PRACTITIONERS, sandboxEncounterId } from '../../main/sandbox/seed.js';
import { FHIR_SYSTEMS } from '../../main/fhir/fhir-systems.js';
import type { WebServer, Workstation } from '../helpers/e2e-web.js';
import { createWorkstation, e2eSkipReason, openAppPage, screenshot, seriousAccessibilityIssues } from '../helpers/e2e-web.js';
import type { FhirSandboxFixture } from '../helpers/fhir-sandbox.js';
import { startFhirSandbox, TEST_CLIENT_ID } from '../helpers/fhir-sandbox.js';
import { skipWhen } from '../helpers/skip.js';

// Patient 4's encounter is seen by practitioner 1, the clinician who signs here.
const PATIENT_INDEX = 3;
const PATIENT_ID = SANDBOX_PATIENTS[PATIENT_INDEX]!.id;
const PATIENT = 'Dov Example-Sandbox';
const CLINICIAN = SANDBOX_PRACTITIONERS[0]!.id;
const SCRIBE = 'sc.addendum';
const FIRST_WORDS = 'Rapid strep test came back negative.';
const MORE_WORDS = ' Throat culture sent; call the patient with the result.';
const ADDENDUM = FIRST_WORDS + MORE_WORDS;

const TRANSCRIPT = [
  'Doctor: Good afternoon. What seems to be the problem?',
  'Patient: I have had a sore throat for three days.',
  'Doctor: Any fever?',
  'Patient: No.',
  'Doctor: Any allergies?',
  'Patient: No known drug allergies.',
  'Doctor: My impression is acute pharyngitis. Salt water gargles and rest.',
].join('\n');

interface Addendum {
  seq: number;
  revision: number;
  text: string;
  state: string;
  signedBy?: string;
}

describe('a later change to a signed, delivered note becomes an addendum', skipWhen(e2eSkipReason ?? false), () => {
  let ws: Workstation;
  let web: WebServer;
  let browser: Browser | undefined;
  let page: Page;
  let ehr: FhirSandboxFixture | undefined;
  let webEnv: Record<string, string> = {};
  let visitId = '';
  const seen = { console: [] as string[], errors: [] as string[] };
  const outputs: string[] = [];

  const addenda = () => page.getByRole('region', { name: 'Addenda' });
  const noSeriousIssues = async (where: string) =>
    assert.deepEqual(await seriousAccessibilityIssues(page), [], `accessibility of ${where}`);
  const stored = async () => ((await web.call('note:get', { visitId })) as { value: { addenda: Addendum[] } }).value.addenda;
  /** The review page as people reach a delivered note: from the outbox. */
  const openReview = async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Outbox', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Outbox' }).waitFor();
    await page.getByRole('link', { name: PATIENT }).first().click();
    await page.getByRole('heading', { level: 1, name: `Review: ${PATIENT}` }).waitFor();
    await addenda().waitFor();
  };

  beforeAll(async () => {
    ws = await createWorkstation({ user: SCRIBE, role: 'scribe' });
    ehr = await startFhirSandbox();
    const keyFile = join(ws.dataDir, 'ehr-client-key.json');
    await writeFile(keyFile, JSON.stringify({ alg: ehr.key.alg, privateKey: ehr.key.privateKey }), { mode: 0o600 });
    const policy = join(ws.dataDir, 'policy.json');
    await writeFile(
      policy,
      JSON.stringify({
        ehrRouting: 'fhir',
        fhirBaseUrl: ehr.sandbox.fhirBaseUrl,
        fhirTokenUrl: ehr.sandbox.auth.token,
        fhirClientId: TEST_CLIENT_ID,
        fhirPrivateKeyFile: keyFile,
        // IT links the clinician's workstation account to their EHR practitioner: they sign without an EHR sign-in.
        signerPractitioners: { [CLINICIAN]: CLINICIAN },
      }),
    );
    webEnv = { SCRIBE_POLICY_FILE: policy };
    const asClinician = { ...webEnv, SCRIBE_USER: CLINICIAN, SCRIBE_ROLE: 'clinician' };

    // The note: drafted offline from a transcript, signed by the clinician and delivered to the EHR.
    const args = [
      'visit',
      'create',
      '--patient',
      PATIENT_ID,
      '--encounter',
      sandboxEncounterId(PATIENT_INDEX),
      '--name',
      PATIENT,
      '--json',
    ];
    visitId = (JSON.parse(await ws.scribe(args, webEnv)) as { id: string }).id;
    const file = join(ws.dataDir, 'visit.txt');
    await writeFile(file, TRANSCRIPT);
    await ws.scribe(['visit', 'import-transcript', visitId, file], webEnv);
    await ws.scribe(['visit', 'draft', visitId, '--engine', 'offline'], webEnv);
    await ws.scribe(['visit', 'sign', visitId, '--as', CLINICIAN, '--acknowledge-unsupported'], asClinician);
    const run = JSON.parse(await ws.scribe(['outbox', 'run', '--json'], webEnv)) as { delivered: number };
    assert.equal(run.delivered, 1, 'the signed note was delivered before the addendum is written');

    web = await ws.web(webEnv);
    ({ browser, page } = await openAppPage(seen, { height: 900 }));
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await ws?.dispose();
    await ehr?.close();
  });

  it('shows the signed note locked, with no field to edit it', async () => {
    await page.goto(web.address.url);
    await page.getByRole('banner').getByText('Scribe', { exact: true }).waitFor();
    await openReview();
    await page.getByText('Signed and locked', { exact: true }).waitFor();
    const note = page.getByRole('region', { name: 'Note' });
    await note
      .getByText(/acute pharyngitis/i)
      .first()
      .waitFor();
    const fields = 'input:not([type=hidden]), textarea, select, [contenteditable]:not([contenteditable=false])';
    assert.equal(await note.locator(fields).count(), 0, 'no editable field in the note');
    assert.equal(
      await page.getByRole('region', { name: 'Diagnosis codes (ICD-10-CM)' }).locator(fields).count(),
      0,
      'no editable field in the codes',
    );
    assert.equal(
      await page.getByRole('button', { name: /^(Add sentence|Accept|Reject|Sign and send)/ }).count(),
      0,
      'no edit, code or sign control',
    );
    // The code nobody accepted before signing was not sent, and says so.
    const codes = page.getByRole('region', { name: 'Diagnosis codes (ICD-10-CM)' });
    await codes.getByText('Not accepted, not sent', { exact: true }).waitFor();
    assert.equal(await codes.getByText('Suggested', { exact: true }).count(), 0);
    // The same query finds the one field there is: the addendum's.
    assert.equal(await addenda().locator(fields).count(), 1);
    await addenda().getByText('The signed note is locked. Later additions go here as addenda.').waitFor();
  });

  it('a scribe writes an addendum, saved as typed and kept across a reload, with no way to sign it', async () => {
    const box = addenda().getByLabel('Add addendum');
    await box.fill(FIRST_WORDS);
    // Saved half a second after typing stops, with no button pressed.
    await addenda()
      .getByText(new RegExp(`^Last saved by ${SCRIBE} on `))
      .waitFor();
    await addenda().getByLabel('Addendum 1 (not signed yet)').waitFor();
    assert.deepEqual(
      (await stored()).map((a) => [a.seq, a.text, a.state]),
      [[1, FIRST_WORDS, 'draft']],
    );
    // More words, and the page reloads while they are still inside the save delay.
    await addenda().getByLabel('Addendum 1 (not signed yet)').pressSequentially(MORE_WORDS);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: `Review: ${PATIENT}` }).waitFor();
    const draft = addenda().getByLabel('Addendum 1 (not signed yet)');
    await draft.waitFor();
    assert.equal(await draft.inputValue(), ADDENDUM, 'nothing typed was lost');
    assert.deepEqual(
      (await stored()).map((a) => [a.seq, a.text, a.state]),
      [[1, ADDENDUM, 'draft']],
    );

    assert.equal(await page.getByRole('main').getByRole('button', { name: /^Sign/ }).count(), 0, 'a scribe has no sign control');
    await addenda().getByText('A clinician signs the addendum; it is not sent until then.').waitFor();
    await noSeriousIssues('the review page with the addendum being written');
    await screenshot(page, 'addendum-draft');
  });

  it('refuses a crafted signAddendum call from the scribe', async () => {
    const [open] = await stored();
    const refused = await web.call('visit:signAddendum', { visitId, revision: open!.revision });
    assert.equal(refused.ok, false);
    assert.equal(refused.error?.code, 'forbidden');
    assert.deepEqual(
      (await stored()).map((a) => [a.state, a.signedBy]),
      [['draft', undefined]],
      'still unsigned',
    );
  });

  it('the clinician signs it through the confirm step and sees it delivered', async () => {
    outputs.push(web.output());
    // Leave the page first, so the stopped server's event stream is not reported as a page error.
    await page.goto('about:blank');
    await web.stop();
    web = await ws.web({ ...webEnv, SCRIBE_USER: CLINICIAN, SCRIBE_ROLE: 'clinician' });
    await page.goto(web.address.url);
    await page.getByRole('banner').getByText('Clinician', { exact: true }).waitFor();
    await openReview();
    assert.equal(await addenda().getByLabel('Addendum 1 (not signed yet)').inputValue(), ADDENDUM);

    await addenda().getByRole('button', { name: 'Sign addendum…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign addendum 1' });
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Addendum text to be sent').textContent(), ADDENDUM, 'the exact text is shown');
    const sign = dialog.getByRole('button', { name: 'Sign addendum', exact: true });
    assert.equal(await sign.getAttribute('aria-disabled'), 'true', 'one click does not sign');
    // Playwright will not click an aria-disabled button by itself; a person still can.
    await sign.click({ force: true });
    assert.equal((await stored())[0]!.state, 'draft', 'not signed without the confirmation');
    await dialog.getByLabel(/I have reviewed this addendum/).check();
    await noSeriousIssues('the addendum confirm step');
    await sign.click();
    await dialog.waitFor({ state: 'hidden' });

    const signed = addenda()
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'Addendum 1' }) });
    await signed.getByText(new RegExp(`^Signed by ${CLINICIAN} on `)).waitFor();
    await signed.getByText('Delivered to the EHR', { exact: true }).waitFor({ timeout: 30_000 });
    assert.equal((await signed.locator('pre').textContent()) ?? '', ADDENDUM);
    assert.deepEqual(
      (await stored()).map((a) => [a.seq, a.state, a.signedBy]),
      [[1, 'delivered', CLINICIAN]],
    );
    assert.equal(((await web.call('visit:get', { id: visitId })) as { value: { state: string } }).value.state, 'delivered');
    // The box is empty again, for a further addendum.
    assert.equal(await addenda().getByLabel('Add addendum').inputValue(), '');
    await noSeriousIssues('the review page with the delivered addendum');
    await screenshot(page, 'addendum-signed');
  });

  it('the EHR holds a second DocumentReference that appends the original, with the addendum text', async () => {
    const documents = await ehr!.search<DocumentReference>('DocumentReference', `subject=Patient/${PATIENT_ID}`);
    const ours = documents.filter((d) => d.identifier?.some((i) => i.system === FHIR_SYSTEMS.noteIdentifier));
    assert.equal(ours.length, 2, 'the original and the addendum');
    const original = ours.find((d) => !d.relatesTo);
    const addendum = ours.find((d) => d.relatesTo);
    assert.ok(original && addendum, 'one original, one addendum');
    assert.equal(addendum.relatesTo?.[0]?.code, 'appends');
    assert.equal(addendum.relatesTo?.[0]?.target.reference, `DocumentReference/${original.id}`);
    assert.equal(Buffer.from(addendum.content[0]!.attachment.data ?? '', 'base64').toString('utf8'), ADDENDUM);
    assert.match(
      Buffer.from(original.content[0]!.attachment.data ?? '', 'base64').toString('utf8'),
      /pharyngitis/i,
      'the original is unchanged',
    );
    assert.equal(addendum.context?.encounter?.[0]?.reference, `Encounter/${sandboxEncounterId(PATIENT_INDEX)}`);
  });

  it('kept the patient’s name and the addendum out of the server output, with no page errors', () => {
    outputs.push(web.output());
    for (const output of outputs) {
      assert.ok(!output.includes('Example-Sandbox'), 'no patient name in the logs');
      assert.ok(!output.includes('strep'), 'no addendum text in the logs');
    }
    assert.deepEqual(seen.errors, []);
    assert.deepEqual(seen.console, []);
  });
});
