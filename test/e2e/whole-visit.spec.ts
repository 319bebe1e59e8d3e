/**
 * End to end, issue 7's requirement: a whole visit as people do it. Chromium's fake microphone
 * plays a spoken dialogue made with espeak-ng; the scribe records it through the UI; the live
 * transcription (an OpenAI-compatible engine on this machine, the loopback test server) turns it into
 * a transcript; the note is drafted by itself once the transcript is final; the scribe edits a
 * sentence, accepts the suggested code and hands the note over; the clinician signs with the
 * deliberate confirmation; and the sandbox EHR (on its own port, reached through the settings the
 * machine policy sets) then holds the DocumentReference with the edited text and the accepted
 * Condition. A screenshot of each view goes to test-results/whole-visit-*.png.
 * Run: npx vitest run test/e2e/whole-visit.spec.ts   (after `npm run build`)
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Condition, DocumentReference } from '@medplum/fhirtypes';
import type { Browser, Page } from 'playwright-core';
import { SANDBOX_PATIENTS, SANDBOX_PRACTITIONERS, sandboxEncounterId } from '../../main/sandbox/seed.js';
import { FHIR_SYSTEMS } from '../../main/fhir/fhir-systems.js';
import type { WebServer, Workstation } from '../helpers/e2e-web.js';
import { createWorkstation, e2eSkipReason, openAppPage, screenshot, seriousAccessibilityIssues } from '../helpers/e2e-web.js';
import type { FhirSandboxFixture } from '../helpers/fhir-sandbox.js';
import { startFhirSandbox, TEST_CLIENT_ID } from '../helpers/fhir-sandbox.js';
import type { OpenAiAudioLoopback } from '../helpers/openai-audio-loopback.js';
import { startOpenAiAudioLoopback } from '../helpers/openai-audio-loopback.js';
import type { Dialogue } from '../helpers/speech-wav.js';
import { dialogue, espeakMissing, writeWav16 } from '../helpers/speech-wav.js';
import { skipWhen } from '../helpers/skip.js';

const PATIENT = 'Ada Fakename-Sandbox';
const PATIENT_ID = SANDBOX_PATIENTS[0]!.id;
const CLINICIAN = SANDBOX_PRACTITIONERS[0]!.id;
const SCRIBE = 'sc.whole-visit';
const EDITED_PLAN = 'Start lisinopril 10 milligrams daily and recheck the blood pressure at home twice a week, as the scribe wrote it.';

describe(
  'a whole visit: record, transcribe, draft by itself, edit, code, sign, delivered to the EHR',
  skipWhen(e2eSkipReason ?? espeakMissing ?? false),
  () => {
    let ws: Workstation;
    let web: WebServer;
    let browser: Browser | undefined;
    let page: Page;
    let speech: Dialogue;
    let ehr: FhirSandboxFixture | undefined;
    let asr: OpenAiAudioLoopback | undefined;
    let webEnv: Record<string, string> = {};
    let visitId = '';
    const seen = { console: [] as string[], errors: [] as string[] };
    const outputs: string[] = [];

    const sentence = (section: string, n = 1) => page.getByRole('textbox', { name: `${section}, sentence ${n}` });
    const savedStatus = () => page.getByText(/^All changes saved \(revision \d+\)$/);
    const goTo = async (label: 'Visits' | 'Review' | 'Outbox' | 'Settings') => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: label }).waitFor();
    };
    const noSeriousIssues = async (where: string) =>
      assert.deepEqual(await seriousAccessibilityIssues(page), [], `accessibility of ${where}`);
    const visitState = async () => ((await web.call('visit:get', { id: visitId })) as { value: { state: string } }).value.state;

    beforeAll(async () => {
      ws = await createWorkstation({ user: SCRIBE, role: 'scribe' });
      // A blood pressure follow-up: clear turns with pauses between them, and a diagnosis to code.
      speech = dialogue(
        [
          { speaker: 'clinician', text: 'Good morning. What brings you in today?' },
          { speaker: 'patient', text: 'My blood pressure readings at home have been high.' },
          { speaker: 'clinician', text: 'Any headaches or chest pain?' },
          { speaker: 'patient', text: 'No, none at all.' },
          { speaker: 'clinician', text: 'Your blood pressure today is 152 over 96.' },
          { speaker: 'clinician', text: 'My assessment is essential hypertension, not well controlled.' },
          { speaker: 'clinician', text: 'Plan: start lisinopril 10 milligrams daily and recheck in four weeks.' },
        ],
        { leadMs: 1000, gapMs: 700, tailMs: 500 },
      );
      assert.ok(speech.durationMs > 15_000 && speech.durationMs < 32_000, `the dialogue should be 15–32 s, is ${speech.durationMs} ms`);
      const sourceFile = join(ws.dataDir, 'dialogue.wav');
      writeWav16(sourceFile, speech.audio);

      // The EHR: the sandbox on a free port, with a backend client whose key this workstation holds.
      ehr = await startFhirSandbox();
      const keyFile = join(ws.dataDir, 'ehr-client-key.json');
      await writeFile(keyFile, JSON.stringify({ alg: ehr.key.alg, privateKey: ehr.key.privateKey }), { mode: 0o600 });
      // Transcription: each uploaded speech segment is answered with the next line that was spoken.
      asr = await startOpenAiAudioLoopback((_request, index) => ({
        body: { text: speech.segments[index % speech.segments.length]!.text },
      }));
      const policy = join(ws.dataDir, 'policy.json');
      await writeFile(
        policy,
        JSON.stringify({
          openaiBaseUrls: [asr.baseUrl],
          transcriptionEngines: ['openai', 'local'],
          ehrRouting: 'fhir',
          fhirBaseUrl: ehr.sandbox.fhirBaseUrl,
          fhirTokenUrl: ehr.sandbox.auth.token,
          fhirClientId: TEST_CLIENT_ID,
          fhirPrivateKeyFile: keyFile,
          // IT links the clinician's workstation account to their EHR practitioner.
          signerPractitioners: { [CLINICIAN]: CLINICIAN },
        }),
      );
      webEnv = { SCRIBE_POLICY_FILE: policy, SCRIBE_ASR_ENGINE: 'openai', SCRIBE_ASR_BASE_URL: asr.baseUrl, SCRIBE_ASR_MAX_RETRIES: '0' };

      visitId = (
        JSON.parse(
          await ws.scribe(
            ['visit', 'create', '--patient', PATIENT_ID, '--encounter', sandboxEncounterId(0), '--name', PATIENT, '--json'],
            webEnv,
          ),
        ) as { id: string }
      ).id;
      web = await ws.web(webEnv);
      ({ browser, page } = await openAppPage(seen, { fakeMicrophone: sourceFile, autoplay: true }));
    });

    afterAll(async () => {
      await browser?.close().catch(() => undefined);
      await ws?.dispose();
      await asr?.close();
      await ehr?.close();
    });

    it('the scribe records the visit with the patient’s consent', async () => {
      await page.goto(web.address.url);
      await page.getByRole('heading', { level: 1, name: 'Visits' }).waitFor();
      await page.getByRole('link', { name: PATIENT }).waitFor();
      await noSeriousIssues('the visits list');
      await screenshot(page, 'whole-visit-visits');
      await page.getByRole('link', { name: PATIENT }).click();
      await page.getByRole('heading', { level: 1, name: `Visit: ${PATIENT}` }).waitFor();
      await page.getByLabel('Verbal').check();
      await page.getByLabel('The patient').check();
      await page.getByRole('button', { name: 'Record consent' }).click();
      await page.getByText(`Consent recorded: verbal, from the patient, confirmed by ${SCRIBE}`).waitFor();

      await page.getByRole('button', { name: 'Start recording' }).click();
      await page.locator('.recording-phase-recording').waitFor();
      const storedMs = async () => ((await web.call('capture:status', { visitId })) as { value: { durationMs: number } }).value.durationMs;
      // The fake microphone plays in real time: wait until the store holds all of it.
      const deadline = Date.now() + speech.durationMs + 30_000;
      let shot = false;
      for (;;) {
        const ms = await storedMs();
        if (!shot && ms > speech.segments[2]!.endMs) {
          // Some of the transcript is on the page while the visit goes on.
          await page.getByRole('log', { name: 'Live transcript' }).getByText(speech.segments[0]!.text).waitFor({ timeout: 30_000 });
          shot = true;
          await screenshot(page, 'whole-visit-recording');
        }
        if (ms >= speech.durationMs - 150) break;
        assert.ok(Date.now() < deadline, `the recording stored only ${ms} ms of ${speech.durationMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(shot, 'a screenshot of the recording was taken while it went on');
      await page.getByRole('button', { name: 'Stop recording' }).click();
      await page.getByText(/Recording finished: \d+:\d\d of audio stored/).waitFor({ timeout: 30_000 });
    });

    it('after Stop the transcript is finished and the note drafted without a click', async () => {
      await page.getByText('The transcript is final.').waitFor({ timeout: 60_000 });
      await page.getByText('Draft ready: the note was drafted from the transcript.').waitFor({ timeout: 60_000 });
      assert.equal(await visitState(), 'draft_ready');
      const transcript = (await web.call('transcript:get', { visitId })) as { value: { final: boolean; segments: { text: string }[] } };
      assert.equal(transcript.value.final, true);
      const said = transcript.value.segments.map((s) => s.text).join(' ');
      assert.match(said, /essential hypertension/, 'the diagnosis was transcribed');
      await noSeriousIssues('the visit page after the recording');
      await screenshot(page, 'whole-visit-draft-ready');
    });

    it('the scribe edits a sentence, accepts the suggested code and hands the note over', async () => {
      await page.getByRole('link', { name: 'Review the note' }).click();
      await page.getByRole('heading', { level: 1, name: `Review: ${PATIENT}` }).waitFor();
      await page.getByText(/^Drafted automatically when the transcript became final/).waitFor();
      await sentence('Plan').waitFor();
      await page.locator('.transcript-row').filter({ hasText: 'essential hypertension' }).waitFor();
      await noSeriousIssues('the review page with the draft');
      await screenshot(page, 'whole-visit-review');

      await sentence('Plan').fill(EDITED_PLAN);
      await savedStatus().waitFor();
      const i10 = page.locator('.code-row').filter({ has: page.locator('.code-value', { hasText: /^I10$/ }) });
      await i10.getByText('Suggested', { exact: true }).waitFor();
      await i10.getByRole('button', { name: 'Accept I10' }).click();
      await i10.getByText('Accepted', { exact: true }).waitFor();
      await savedStatus().waitFor();
      await page.getByRole('button', { name: 'Mark ready for signature' }).click();
      await page.getByText('Ready for signature: a reviewer handed this note to the clinician.').waitFor();
      assert.equal(await page.getByRole('main').getByRole('button', { name: /^Sign/ }).count(), 0, 'a scribe cannot sign');

      const stored = (await web.call('note:get', { visitId })) as {
        value: { note: { codes: { code: string; status: string }[] }; revisions: { author: string; kind: string }[] };
      };
      assert.deepEqual(stored.value.revisions[0], { ...stored.value.revisions[0], author: 'system:auto-draft', kind: 'draft' });
      assert.ok(
        stored.value.revisions.slice(1).every((r) => r.author === SCRIBE && r.kind === 'edit'),
        'each edit is the scribe’s',
      );
      assert.ok(stored.value.note.codes.some((c) => c.code === 'I10' && c.status === 'accepted'));
      assert.equal(await visitState(), 'ready_for_signature');
    });

    it('the clinician signs with the deliberate confirmation and sees the EHR’s receipt', async () => {
      outputs.push(web.output());
      // Leave the page first, so the stopped server's event stream is not reported as a page error.
      await page.goto('about:blank');
      await web.stop();
      // The same workstation, now the clinician signed in.
      web = await ws.web({ ...webEnv, SCRIBE_USER: CLINICIAN, SCRIBE_ROLE: 'clinician' });
      await page.goto(web.address.url);
      await page.getByRole('banner').getByText('Clinician', { exact: true }).waitFor();
      await goTo('Review');
      await page.getByRole('link', { name: PATIENT }).click();
      await page.getByRole('heading', { level: 1, name: `Review: ${PATIENT}` }).waitFor();
      assert.equal(await sentence('Plan').inputValue(), EDITED_PLAN);

      await page.getByRole('button', { name: 'Sign and send…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Sign and send to the EHR' });
      await dialog.waitFor();
      const preview = await dialog.getByLabel('Note text to be sent').textContent();
      assert.ok(preview?.includes(EDITED_PLAN), 'the clinician signs the scribe’s edited text');
      await dialog.getByText('I10 Essential (primary) hypertension', { exact: true }).waitFor();
      const signButton = dialog.getByRole('button', { name: 'Sign and send' });
      assert.equal(await signButton.getAttribute('aria-disabled'), 'true', 'one click does not sign');
      await dialog.getByLabel(/I have reviewed this note/).check();
      // The scribe's plan states a dose and a frequency the transcript does not: the clinician confirms them too.
      await dialog.getByLabel(/^I checked the \d+ unsupported sentences? and/).check();
      await noSeriousIssues('the sign-off dialog');
      await screenshot(page, 'whole-visit-sign-off', { window: true });
      await signButton.click();

      const sent = page.getByRole('dialog', { name: /^Signed/ });
      await sent.waitFor();
      await sent.getByText(/^Delivered to the EHR \(FHIR\)/).waitFor({ timeout: 60_000 });
      await page.getByRole('dialog', { name: 'Signed and delivered to the EHR' }).waitFor();
      await sent.getByText(/^The EHR holds the note, 1 diagnosis/).waitFor();
      await sent.getByText('Details for IT', { exact: true }).click();
      await sent.getByText(/^DocumentReference\//).waitFor();
      assert.equal(await sent.getByText(/^Condition\//).count(), 1, 'one Condition: the one accepted code');
      await screenshot(page, 'whole-visit-receipt', { window: true });
      await sent.getByRole('button', { name: 'Close' }).click();
      await page.getByText('Signed and locked', { exact: true }).waitFor();
      assert.equal(await visitState(), 'delivered');
    });

    it('the outbox and settings show the delivery and the EHR connection', async () => {
      await goTo('Outbox');
      const row = page.getByRole('row').filter({ hasText: PATIENT });
      await row.locator('.badge').filter({ hasText: 'Delivered' }).waitFor();
      await noSeriousIssues('the outbox');
      await screenshot(page, 'whole-visit-outbox');
      await goTo('Settings');
      // The clinician sees that IT looks after the EHR connection, not its fields.
      await page.getByText(/are set up by your IT administrators/).waitFor();
      assert.equal(await page.getByLabel('FHIR base URL').count(), 0, 'the EHR connection’s fields are for IT');
      // The EHR connection the machine policy set (and locked) is what the workstation shows its administrator.
      outputs.push(web.output());
      await page.goto('about:blank');
      await web.stop();
      web = await ws.web({ ...webEnv, SCRIBE_USER: 'it-admin', SCRIBE_ROLE: 'admin' });
      await page.goto(web.address.url);
      await goTo('Settings');
      const baseUrl = page.getByLabel('FHIR base URL');
      await baseUrl.waitFor();
      assert.equal(await baseUrl.inputValue(), ehr!.sandbox.fhirBaseUrl);
      assert.equal(await baseUrl.isDisabled(), true, 'a setting the policy locks cannot be changed here');
      await screenshot(page, 'whole-visit-settings');
    });

    it('the sandbox EHR holds the DocumentReference with the edited text and the accepted Condition', async () => {
      const documents = await ehr!.search<DocumentReference>('DocumentReference', `subject=Patient/${PATIENT_ID}`);
      const ours = documents.filter((d) => d.identifier?.some((i) => i.system === FHIR_SYSTEMS.noteIdentifier));
      assert.equal(ours.length, 1, 'exactly one document for the visit');
      const attachment = ours[0]!.content[0]!.attachment;
      const text = Buffer.from(attachment.data ?? '', 'base64').toString('utf8');
      assert.ok(text.includes(EDITED_PLAN), 'the document holds the scribe’s edited sentence');
      assert.match(text, /hypertension/i);
      assert.equal(ours[0]!.context?.encounter?.[0]?.reference, `Encounter/${sandboxEncounterId(0)}`);

      const conditions = (await ehr!.search<Condition>('Condition', `subject=Patient/${PATIENT_ID}`)).filter((c) =>
        c.identifier?.some((i) => i.system === FHIR_SYSTEMS.conditionIdentifier),
      );
      assert.deepEqual(
        conditions.map((c) => c.code?.coding?.find((coding) => coding.system === FHIR_SYSTEMS.icd10cm)?.code),
        ['I10'],
        'the accepted ICD-10-CM code, and only it',
      );
    });

    it('kept the patient’s name out of the server output, with no page errors', () => {
      outputs.push(web.output());
      for (const output of outputs) assert.ok(!output.includes('Fakename'), 'no PHI in the logs');
      assert.deepEqual(seen.errors, []);
      assert.deepEqual(seen.console, []);
    });
  },
);
