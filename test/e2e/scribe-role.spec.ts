/**
 * End to end: a scribe reviews a drafted note in the browser (`scribe web` with SCRIBE_ROLE=scribe).
 * They can edit it and mark it ready for signature; the sign control is absent, and a crafted
 * visit:sign call to the bridge is refused, leaving the note unsigned and the outbox empty.
 * Run: npx vitest run test/e2e/scribe-role.spec.ts   (after `npm run build`)
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { WebServer, Workstation } from '../helpers/e2e-web.js';
import {
  clipboardReader,
  createWorkstation,
  e2eSkipReason,
  openAppPage,
  screenshot,
  seriousAccessibilityIssues,
} from '../helpers/e2e-web.js';
import { skipWhen } from '../helpers/skip.js';

const PATIENT = 'Barnabas Wetherspoonly';
const EDITED = 'Sore throat for three days, worse on swallowing.';

const TRANSCRIPT = [
  'Doctor: Good afternoon. What seems to be the problem?',
  'Patient: I have had a sore throat for three days.',
  'Doctor: Any fever?',
  'Patient: No.',
  'Doctor: Any allergies?',
  'Patient: No known drug allergies.',
  'Doctor: My impression is acute pharyngitis. Salt water gargles and rest.',
].join('\n');

describe('a scribe edits and hands over, but cannot sign', skipWhen(e2eSkipReason ?? false), () => {
  let ws: Workstation;
  let web: WebServer;
  let browser: Browser | undefined;
  let page: Page;
  let visitId = '';
  const seen = { console: [] as string[], errors: [] as string[] };

  beforeAll(async () => {
    ws = await createWorkstation({ user: 'sc.jordan', role: 'scribe' });
    visitId = (JSON.parse(await ws.scribe(['visit', 'create', '--patient', 'pat-scribe-1', '--name', PATIENT, '--json'])) as { id: string })
      .id;
    const file = join(ws.dataDir, 'visit.txt');
    await writeFile(file, TRANSCRIPT);
    await ws.scribe(['visit', 'import-transcript', visitId, file]);
    await ws.scribe(['visit', 'draft', visitId, '--engine', 'offline']);
    web = await ws.web();
    ({ browser, page } = await openAppPage(seen));
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await ws?.dispose();
  });

  it('lets the scribe edit the note and mark it ready, with no sign control anywhere', async () => {
    await page.goto(web.address.url);
    await page.getByRole('banner').getByText('Scribe', { exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Review', exact: true }).click();
    await page.getByRole('link', { name: PATIENT }).click();
    await page.getByRole('heading', { level: 1, name: `Review: ${PATIENT}` }).waitFor();
    const hpi = page.getByRole('textbox', { name: 'History of present illness, sentence 1' });
    await hpi.fill(EDITED);
    await page.getByText(/^All changes saved \(revision \d+\)$/).waitFor();

    assert.equal(await page.getByRole('main').getByRole('button', { name: /^Sign/ }).count(), 0, 'no sign control for a scribe');
    await page.getByText('Only clinicians can sign notes on this workstation.').waitFor();
    await page.getByRole('button', { name: 'Mark ready for signature' }).click();
    await page.locator('.visit-facts').getByText('Ready for signature').waitFor();
    await page.getByText('Ready for signature: a reviewer handed this note to the clinician.').waitFor();
    assert.equal(await page.getByRole('main').getByRole('button', { name: /^Sign/ }).count(), 0);
    assert.deepEqual(await seriousAccessibilityIssues(page), []);
    await screenshot(page, 'review-scribe');
  });

  it('refuses a crafted sign call from the scribe', async () => {
    const note = (await web.call('note:get', { visitId })) as {
      value: { note: { revision: number; sections: { id: string; sentences: { text: string }[] }[] }; signed: boolean };
    };
    assert.equal(note.value.note.sections.find((s) => s.id === 'hpi')?.sentences[0]?.text, EDITED);
    const signed = await web.call('visit:sign', { visitId, revision: note.value.note.revision });
    assert.equal(signed.ok, false);
    assert.equal(signed.error?.code, 'forbidden');

    const after = (await web.call('note:get', { visitId })) as { value: { signed: boolean } };
    assert.equal(after.value.signed, false);
    const visit = (await web.call('visit:get', { id: visitId })) as { value: { state: string } };
    assert.equal(visit.value.state, 'ready_for_signature');
    const outbox = (await web.call('outbox:list', {})) as { value: { jobs: unknown[] } };
    assert.deepEqual(outbox.value.jobs, []);
  });

  it('imports a transcript file in the browser and drafts from it', async () => {
    const second = (
      JSON.parse(await ws.scribe(['visit', 'create', '--patient', 'pat-scribe-2', '--name', `${PATIENT} II`, '--json'])) as { id: string }
    ).id;
    await page.goto(`${web.address.origin}/#/review/${second}`);
    await page.getByRole('heading', { level: 1, name: `Review: ${PATIENT} II` }).waitFor();
    await page.getByText('This visit has no transcript yet.').waitFor();
    await page
      .getByLabel(/Import a transcript made elsewhere/)
      .setInputFiles({ name: 'visit.txt', mimeType: 'text/plain', buffer: Buffer.from(TRANSCRIPT) });
    await page.locator('.transcript-row').filter({ hasText: 'No known drug allergies.' }).waitFor();
    assert.equal(await page.locator('.transcript-row').count(), 7);
    await page.getByLabel('Drafting engine').selectOption('offline');
    await page.getByRole('button', { name: 'Draft the note' }).click();
    await page.getByRole('textbox', { name: 'Allergies, sentence 1' }).waitFor();
    assert.equal(await page.getByRole('textbox', { name: 'Allergies, sentence 1' }).inputValue(), 'No known drug allergies.');
    assert.equal(await page.getByRole('main').getByRole('button', { name: /^Sign/ }).count(), 0);
  });

  it('copies the note where the Clipboard API is refused (as in the desktop shell)', async () => {
    const reader = await clipboardReader(page.context());
    try {
      await page.goto(`${web.address.origin}/#/review/${visitId}`);
      await page.getByRole('textbox', { name: 'History of present illness, sentence 1' }).waitFor();
      // The desktop shell grants no clipboard permission: writeText is refused there.
      await page.evaluate(`navigator.clipboard.writeText = () => Promise.reject(new DOMException('refused', 'NotAllowedError'))`);
      await page.getByRole('button', { name: 'Copy History of present illness' }).click();
      await page.getByText('History of present illness copied to the clipboard.').waitFor({ state: 'attached' });
      assert.equal(await reader.read(), EDITED);
    } finally {
      await reader.close();
    }
  });

  it('shows settings to the scribe read-only', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByText('Scribes can see the settings but not change them.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Save' }).count(), 0);
    assert.equal(await page.getByRole('checkbox', { name: 'Ask for the patient’s consent before recording' }).isDisabled(), true);
  });

  it('broke no CSP rule and threw no page errors', () => {
    assert.deepEqual(
      seen.console.filter((text) => /Content Security Policy|Refused to/i.test(text)),
      [],
    );
    assert.deepEqual(seen.errors, []);
    assert.ok(!web.output().includes('Wetherspoonly'), 'scribe web output holds a patient name');
  });
});
