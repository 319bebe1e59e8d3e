/**
 * End to end, the review side as people use it: a transcript and its audio imported through the CLI,
 * an offline draft made in the UI, sentences linked to their words, audio played from a clicked line
 * with the playing line following it, edits saved as they are made (and kept across a reload in the
 * middle of editing), codes accepted and added, copy-out, sign-off with a deliberate confirmation,
 * the outbox, and settings with policy locks. Screenshots of each view go to test-results/.
 * Run: npx vitest run test/e2e/review.spec.ts   (after `npm run build`)
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ClipboardReader, WebServer, Workstation } from '../helpers/e2e-web.js';
import {
  clipboardReader,
  CHROMIUM,
  CHROMIUM_ARGS,
  createWorkstation,
  e2eSkipReason,
  screenshot,
  seriousAccessibilityIssues,
  TIMEOUT_MS,
  watchPage,
} from '../helpers/e2e-web.js';
import type { Dialogue } from '../helpers/speech-wav.js';
import { dialogue, espeakMissing, writeWav16 } from '../helpers/speech-wav.js';
import { skipWhen } from '../helpers/skip.js';
import { BUILT_IN_VERSION } from '../helpers/icd-release.js';

const PATIENT = 'Philippa Quennevilliers';
const CLINICIAN = 'sbx-practitioner-1';
const MRN = 'MRN-E2E-55120';
const SENTINELS = ['Philippa', 'Quennevilliers', MRN];
const EDIT_HPI = 'Reports a dull frontal headache for about two weeks, worse in the evening.';
const EDIT_PLAN = 'Increase lisinopril to 20 mg daily; recheck blood pressure in four weeks.';
const ADDED = 'Discussed reducing salt intake.';

describe('reviewing, coding, copying and signing a visit in the browser', skipWhen(e2eSkipReason ?? espeakMissing ?? false), () => {
  let ws: Workstation;
  let web: WebServer;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let speech: Dialogue;
  let visitId = '';
  const seen = { console: [] as string[], errors: [] as string[] };

  const sentence = (section: string, n = 1) => page.getByRole('textbox', { name: `${section}, sentence ${n}` });
  const savedStatus = () => page.getByText(/^All changes saved \(revision \d+\)$/);
  const goTo = async (label: 'Visits' | 'Review' | 'Outbox' | 'Settings') => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: label }).waitFor();
  };
  let clipboard: ClipboardReader | undefined;
  const clipboardText = async (): Promise<string> => {
    const text = await clipboard!.read();
    await page.bringToFront();
    return text;
  };
  const noSeriousIssues = async (where: string) =>
    assert.deepEqual(await seriousAccessibilityIssues(page), [], `accessibility issues on ${where}`);

  beforeAll(async () => {
    // The signing clinician is one of the sandbox EHR's practitioners, so the Provenance it receives resolves.
    ws = await createWorkstation({ user: CLINICIAN, role: 'clinician' });
    speech = dialogue(
      [
        { speaker: 'clinician', text: 'Good morning, what brings you in today?' },
        { speaker: 'patient', text: 'I have had headaches for about two weeks.' },
        { speaker: 'clinician', text: 'Any fever?' },
        { speaker: 'patient', text: 'No.' },
        { speaker: 'patient', text: 'I was told I have high blood pressure. I take lisinopril 10 milligrams once a day.' },
        { speaker: 'clinician', text: 'Any allergies?' },
        { speaker: 'patient', text: 'No known drug allergies.' },
        { speaker: 'clinician', text: 'Your blood pressure today is 150 over 95.' },
        { speaker: 'clinician', text: 'My assessment is essential hypertension, not well controlled.' },
        { speaker: 'clinician', text: 'Plan: increase lisinopril to 20 milligrams daily and recheck in four weeks.' },
      ],
      { leadMs: 500, gapMs: 400 },
    );
    const wav = join(ws.dataDir, 'visit.wav');
    writeWav16(wav, speech.audio);
    const transcript = join(ws.dataDir, 'transcript.json');
    await writeFile(transcript, JSON.stringify({ segments: speech.segments }));
    const policy = join(ws.dataDir, 'policy.json');
    await writeFile(policy, JSON.stringify({ audioMayLeaveDevice: false, consentRequired: true }));

    // The sandbox EHR's seeded patient and today's encounter, so the signed note has somewhere to go.
    visitId = (
      JSON.parse(
        await ws.scribe([
          'visit',
          'create',
          '--patient',
          'sbx-patient-1',
          '--encounter',
          'sbx-encounter-1',
          '--name',
          PATIENT,
          '--mrn',
          MRN,
          '--json',
        ]),
      ) as { id: string }
    ).id;
    await ws.scribe(['visit', 'import-transcript', visitId, transcript]);
    await ws.scribe(['visit', 'consent', visitId, '--method', 'verbal']);
    await ws.scribe(['visit', 'import-audio', visitId, wav]);
    // No EHR configured: scribe web starts the demo EHR in its own process, and the note goes there.
    web = await ws.web({ SCRIBE_POLICY_FILE: policy });

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required'],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    await context.grantPermissions(['clipboard-write'], { origin: web.address.origin });
    clipboard = await clipboardReader(context);
    context.setDefaultTimeout(TIMEOUT_MS);
    page = await context.newPage();
    watchPage(page, seen);
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await clipboard?.close();
    await ws?.dispose();
  });

  it('lists the visit in the review queue and drafts it offline from the final transcript', async () => {
    await page.goto(web.address.url);
    await page.getByRole('heading', { level: 1, name: 'Visits' }).waitFor();
    await page.getByRole('link', { name: PATIENT }).waitFor();
    await noSeriousIssues('the visits list');
    await screenshot(page, 'visits');
    await goTo('Review');
    await page.getByRole('link', { name: PATIENT }).waitFor();
    await noSeriousIssues('the review queue');
    await screenshot(page, 'review-queue');
    await page.getByRole('link', { name: PATIENT }).click();
    await page.getByRole('heading', { level: 1, name: `Review: ${PATIENT}` }).waitFor();
    await page.locator('.transcript-row').first().waitFor();
    assert.equal(await page.locator('.transcript-row').count(), speech.segments.length);

    await page.getByLabel('Drafting engine').selectOption('offline');
    await page.getByRole('button', { name: 'Draft the note' }).click();
    await sentence('Chief complaint').waitFor();
    await page.getByText('Drafted with the offline drafter.').waitFor();
    await savedStatus().waitFor();
  });

  it('highlights the transcript lines a selected sentence came from', async () => {
    await sentence('Vital signs').focus();
    await page.getByText('1 transcript line behind the selected Vital signs sentence is highlighted.').waitFor();
    const highlighted = page.locator('.transcript-row.is-evidence');
    assert.equal(await highlighted.count(), 1);
    assert.match((await highlighted.textContent()) ?? '', /150 over 95/);
    await sentence('Allergies').focus();
    assert.match((await page.locator('.transcript-row.is-evidence').allTextContents()).join(' '), /No known drug allergies/);
    await noSeriousIssues('the review page');
    await screenshot(page, 'review-evidence');
  });

  it('plays a clicked line, and the marked line follows the audio', async () => {
    const allergies = speech.segments.findIndex((s) => s.text === 'Any allergies?');
    await page.getByRole('button', { name: /Any allergies\?/ }).click();
    const playing = page.locator('.transcript-row.is-playing');
    await playing.filter({ hasText: 'Any allergies?' }).waitFor();
    assert.equal(await page.locator('[aria-current="true"]').filter({ hasText: 'Any allergies?' }).count(), 1);
    // The next line starts about a second later: the mark moves on by itself.
    await playing.filter({ hasText: speech.segments[allergies + 1]!.text }).waitFor({ timeout: 8_000 });
    await screenshot(page, 'review-playing');
    await page.getByRole('button', { name: 'Pause audio' }).click();
    await page.getByRole('button', { name: 'Resume audio' }).waitFor();

    // By keyboard: one tab stop for the transcript, arrows between lines, Enter plays.
    const lines = page.locator('.transcript-line-button');
    assert.equal(await page.locator('.transcript-line-button[tabindex="0"]').count(), 1, 'a single tab stop');
    await lines.nth(allergies).focus();
    await page.keyboard.press('ArrowDown');
    assert.match((await page.locator('.transcript-line-button:focus').textContent()) ?? '', /No known drug allergies/);
    await page.keyboard.press('Enter');
    await playing.filter({ hasText: 'No known drug allergies.' }).waitFor();
    await page.getByRole('button', { name: 'Pause audio' }).click();
  });

  it('saves every edit as it is made and keeps them all across a reload in the middle of editing', async () => {
    await sentence('History of present illness').fill(EDIT_HPI);
    await savedStatus().waitFor();
    const first = ((await web.call('note:get', { visitId })) as { value: { note: { revision: number } } }).value.note.revision;

    // A new sentence with Enter, then an edit that is still inside the save delay when the page reloads.
    await sentence('Plan').press('End');
    await sentence('Plan').press('Enter');
    await sentence('Plan', 2).fill(ADDED);
    await sentence('Plan').fill(EDIT_PLAN);
    await page.reload();

    await sentence('History of present illness').waitFor();
    assert.equal(await sentence('History of present illness').inputValue(), EDIT_HPI);
    assert.equal(await sentence('Plan').inputValue(), EDIT_PLAN);
    assert.equal(await sentence('Plan', 2).inputValue(), ADDED);
    const stored = (
      (await web.call('note:get', { visitId })) as {
        value: {
          note: { revision: number; sections: { id: string; sentences: { text: string; origin: string }[] }[] };
          revisions: { author: string; kind: string }[];
        };
      }
    ).value;
    assert.ok(stored.note.revision > first, 'the reload did not lose the last edit');
    const plan = stored.note.sections.find((s) => s.id === 'plan')!;
    assert.deepEqual(
      plan.sentences.map((s) => [s.text, s.origin]),
      [
        [EDIT_PLAN, 'edited'],
        [ADDED, 'added'],
      ],
    );
    assert.ok(
      stored.revisions.filter((r) => r.kind === 'edit').every((r) => r.author === CLINICIAN),
      'each edit is a revision with its author',
    );
    await page.getByText('Edited', { exact: true }).first().waitFor();
    await page.getByText('Added by a reviewer').waitFor();
  });

  it('accepts a suggested code with its evidence, and adds a billable code by search', async () => {
    // The drafter suggests I10 from what was said; its evidence is shown in the transcript.
    const i10 = page.locator('.code-row').filter({ has: page.locator('.code-value', { hasText: /^I10$/ }) });
    await i10.getByText('Suggested', { exact: true }).waitFor();
    await i10.getByRole('button', { name: 'Show where it was said for I10' }).click();
    assert.match((await page.locator('.transcript-row.is-evidence').allTextContents()).join(' '), /essential hypertension/);
    await i10.getByRole('button', { name: 'Reject I10' }).click();
    await i10.getByText('Rejected', { exact: true }).waitFor();
    await i10.getByRole('button', { name: 'Accept I10' }).click();
    await i10.getByText('Accepted', { exact: true }).waitFor();
    assert.equal(await i10.getByRole('button', { name: 'Accept I10' }).getAttribute('aria-pressed'), 'true');

    // A category (header) cannot be added; a billable code can.
    const search = page.getByLabel('Search ICD-10-CM to add a code');
    await search.fill('R51');
    const header = page.locator('.code-hit').filter({ has: page.locator('.code-value', { hasText: /^R51$/ }) });
    await header.getByText('Category: not billable', { exact: false }).waitFor();
    assert.equal(await header.getByRole('button').count(), 0, 'a category cannot be added');
    // Typed as a clinician would, headache's billable code comes first.
    await search.fill('headache');
    const r519 = page
      .locator('.code-hit')
      .first()
      .filter({ has: page.locator('.code-value', { hasText: /^R51\.9$/ }) });
    await r519.getByRole('button', { name: 'Add R51.9' }).click();
    await page.getByText('R51.9 added and accepted.').waitFor();
    await page.locator('.code-row').filter({ hasText: 'R51.9' }).getByText('Accepted', { exact: true }).waitFor();
    await savedStatus().waitFor();

    const note = ((await web.call('note:get', { visitId })) as { value: { note: { codes: { code: string; status: string }[] } } }).value
      .note;
    assert.deepEqual(
      note.codes.map((c) => [c.code, c.status]),
      [
        ['I10', 'accepted'],
        ['R51.9', 'accepted'],
      ],
    );
    await noSeriousIssues('the code panel');
    await screenshot(page, 'review-codes');
  });

  it('copies a section and the whole note as plain text, in EMR order', async () => {
    await page.getByRole('button', { name: 'Copy Plan' }).click();
    await page.getByText('Plan copied to the clipboard.').waitFor({ state: 'attached' });
    assert.equal(await clipboardText(), `${EDIT_PLAN}\n${ADDED}`);
    await page.getByRole('button', { name: 'Copy whole note' }).click();
    const whole = await clipboardText();
    assert.match(whole, /^CHIEF COMPLAINT\n/);
    const order = ['CHIEF COMPLAINT', 'HISTORY OF PRESENT ILLNESS', 'MEDICATIONS', 'ALLERGIES', 'VITAL SIGNS', 'ASSESSMENT', 'PLAN'].map(
      (h) => whole.indexOf(`${h}\n`),
    );
    assert.ok(
      order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!)),
      `sections in EMR order: ${order.join(',')}`,
    );
    assert.ok(whole.includes(`PLAN\n${EDIT_PLAN}\n${ADDED}`));
    await page.getByRole('button', { name: 'Copy accepted codes' }).click();
    assert.equal(await clipboardText(), 'I10 Essential (primary) hypertension\nR51.9 Headache, unspecified');
  });

  it('signs only after a deliberate confirmation, shows what is sent where, then the delivery', async () => {
    // The edited history adds a time of day nobody said: review names it, and signing needs the clinician to confirm it.
    await page.getByText(/Unsupported: its transcript lines do not say frequency “in the evening”/).waitFor();
    await page.getByRole('button', { name: 'Sign and send…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign and send to the EHR' });
    await dialog.waitFor();
    await dialog.getByText(/^To the Demo EHR — synthetic patients$/).waitFor();
    const preview = await dialog.getByLabel('Note text to be sent').textContent();
    assert.ok(preview?.includes(EDIT_HPI) && preview.includes(EDIT_PLAN), 'the preview is the edited note');
    assert.ok(preview?.includes('DIAGNOSES (ICD-10-CM)\nI10 Essential (primary) hypertension'), 'the signed text ends with the diagnoses');
    await dialog.getByText('I10 Essential (primary) hypertension', { exact: true }).waitFor();
    const signButton = dialog.getByRole('button', { name: 'Sign and send' });
    assert.equal(await signButton.getAttribute('aria-disabled'), 'true');
    await signButton.click({ force: true });
    assert.equal(
      ((await web.call('visit:get', { id: visitId })) as { value: { state: string } }).value.state,
      'in_review',
      'one click does not sign',
    );
    await noSeriousIssues('the sign-off dialog');
    await screenshot(page, 'sign-off-confirm', { window: true });

    await dialog.getByLabel(/I have reviewed this note/).check();
    await dialog.getByLabel('I checked the 1 unsupported sentence and it is accurate.').check();
    await signButton.click();
    // Its title follows the delivery: sending, then delivered (or not delivered yet).
    const sent = page.getByRole('dialog', { name: /^Signed/ });
    await sent.waitFor();
    // The demo EHR takes it: the receipt says in words what it now holds, the resource ids are for IT.
    await sent.getByText(/^Delivered to the EHR \(FHIR\)/).waitFor({ timeout: 30_000 });
    await page.getByRole('dialog', { name: 'Signed and delivered to the EHR' }).waitFor();
    await sent.getByText(/^The EHR holds the note, \d+ diagnos[ie]s? and the record of who signed it\.$/).waitFor();
    assert.equal(await sent.getByText(/^DocumentReference\//).isVisible(), false, 'resource ids wait behind Details for IT');
    await sent.getByText('Details for IT', { exact: true }).click();
    await sent.getByText(/^DocumentReference\//).waitFor();
    assert.equal(await sent.getByText(/^Condition\//).count(), 2, 'one Condition per accepted code');
    await sent.getByText(/^Provenance\//).waitFor();
    await screenshot(page, 'sign-off-delivery', { window: true });
    await sent.getByRole('button', { name: 'Close' }).click();
    await page.getByText('Signed and locked', { exact: true }).waitFor();
    assert.equal(await page.getByRole('textbox', { name: /sentence/ }).count(), 0, 'a signed note is read-only');
  });

  it('lists the job in the outbox with its state, attempts, reason, advice and retry', async () => {
    await goTo('Outbox');
    const row = page.getByRole('row').filter({ hasText: PATIENT });
    await row.waitFor();
    const state = (await row.locator('.badge').textContent()) ?? '';
    if (state === 'Delivered') {
      // What the EHR holds in words; its resource ids only behind Details for IT.
      await row.getByText(/^The Demo EHR — synthetic patients holds the note/).waitFor();
      assert.equal(await row.getByText(/^DocumentReference\//).isVisible(), false);
      await row.getByText('Details for IT', { exact: true }).click();
      await row.getByText(/^DocumentReference\//).waitFor();
    }
    if (state === 'Failed') {
      await row.getByText('What to do:').waitFor();
      // The reason in plain words; the EHR's own words wait behind Details for IT.
      await row.getByText(/^Reason: The /).waitFor();
      await row.getByText('Details for IT', { exact: true }).waitFor();
      const attempts = Number(await row.locator('td').nth(2).textContent());
      await row.getByRole('button', { name: 'Retry' }).click();
      await page
        .getByRole('row')
        .filter({ hasText: PATIENT })
        .locator('td')
        .nth(2)
        .filter({ hasText: String(attempts + 1) })
        .waitFor();
    }
    await noSeriousIssues('the outbox');
    await screenshot(page, 'outbox');
  });

  it('shows settings with policy locks, saves a change, names the code set, verifies and exports the audit log', async () => {
    await goTo('Settings');
    const leave = page.getByRole('checkbox', { name: 'Audio may leave this computer' });
    await leave.waitFor();
    assert.equal(await leave.isDisabled(), true, 'a setting the policy locks cannot be changed');
    await page
      .getByText(/Locked by your organisation’s policy\. Ask IT to change it\./)
      .first()
      .waitFor();
    await page.getByText(/2 settings are locked by the machine policy/).waitFor();
    // Paths and IT's fields stay out of a clinician's way: the policy file only under Details for IT, no EHR connection fields.
    assert.equal(await page.getByText(/policy\.json/).isVisible(), false);
    assert.equal(await page.getByLabel('FHIR base URL').count(), 0);
    await page.getByText(`ICD-10-CM ${BUILT_IN_VERSION}`).waitFor();

    const recording = page.getByRole('region', { name: 'Recording' });
    await recording.getByLabel('Keep audio for this many days after the EHR confirms the note').fill('14');
    await recording.getByRole('button', { name: 'Save' }).click();
    await recording.getByText('Saved.').waitFor();
    const settings = (await web.call('settings:get', {})) as {
      value: { settings: { audioRetentionDays: { value: number; source: string } } };
    };
    assert.deepEqual(settings.value.settings.audioRetentionDays, { value: 14, source: 'user', locked: false });

    await page.getByRole('button', { name: 'Verify audit log' }).click();
    await page.getByText(/^Audit log intact: \d+ entries$/).waitFor();
    await page.getByRole('button', { name: 'Export audit log' }).click();
    const link = page.getByRole('link', { name: /^save ambient-scribe-audit-.*\.jsonl$/ });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const lines = (await readFile(await download.path(), 'utf8')).trim().split('\n');
    assert.ok(lines.length > 10);
    assert.equal((JSON.parse(lines[0]!) as { seq: number }).seq, 1);
    assert.ok(!lines.join('').includes('Quennevilliers'), 'the audit export holds no patient data');
    await noSeriousIssues('settings');
    await screenshot(page, 'settings');
  });

  it('reads well in dark mode and at 200 % zoom', async () => {
    await page.goto(`${web.address.origin}/#/review/${visitId}`);
    await page.getByRole('heading', { level: 1, name: `Review: ${PATIENT}` }).waitFor();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByText('Signed and locked', { exact: true }).waitFor();
    await page.waitForTimeout(400); // let colour transitions finish before contrast is measured
    await noSeriousIssues('the review page in dark mode');
    await screenshot(page, 'review-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    const zoomed = await browser!.newContext({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
    const small = await zoomed.newPage();
    watchPage(small, seen);
    await small.goto(web.address.url);
    await small.goto(`${web.address.origin}/#/review/${visitId}`);
    await small.getByRole('heading', { level: 1, name: `Review: ${PATIENT}` }).waitFor({ timeout: TIMEOUT_MS });
    assert.equal(
      await small.evaluate('document.documentElement.scrollWidth <= window.innerWidth'),
      true,
      'the review page reflows at 200 % zoom',
    );
    await screenshot(small, 'review-zoom200');
    await zoomed.close();
  });

  it('never put the patient in the window title, broke no CSP rule, and logged no patient details', async () => {
    assert.equal(await page.title(), 'Ambient Scribe');
    assert.deepEqual(
      seen.console.filter((text) => /Content Security Policy|Refused to/i.test(text)),
      [],
    );
    assert.deepEqual(seen.errors, []);
    for (const sentinel of SENTINELS) assert.ok(!web.output().includes(sentinel), 'scribe web output holds a patient detail');
  });
});
