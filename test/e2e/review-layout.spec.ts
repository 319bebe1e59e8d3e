/**
 * End to end, the visit and review pages at 1280×800, the size of a clinic workstation's window: on
 * the visit page Start recording is in the window with consent still to record; on the review page
 * of a drafted visit (eight sections, three codes) the first note section, the codes and the Sign
 * button are in the window without scrolling the page, the transcript and the note side by side.
 * Focus after "Draft the note", the skip link, the keys (Alt+N next unsupported sentence, Alt+A
 * accept the code in focus, Alt+S sign) and the sign dialog's button are checked; axe-core finds no
 * serious or critical issue, in light and dark mode. Screenshots of the window go to test-results/.
 * Run: npx vitest run test/e2e/review-layout.spec.ts   (after `npm run build`)
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { WebServer, Workstation } from '../helpers/e2e-web.js';
import { createWorkstation, e2eSkipReason, openAppPage, screenshot, seriousAccessibilityIssues } from '../helpers/e2e-web.js';
import { skipWhen } from '../helpers/skip.js';

const CLINICIAN = 'sbx-practitioner-1';
const PATIENT = 'Ottoline Vanderstraeten';
const NEXT_PATIENT = 'Cornelius Abernethy-Quayle';
const WINDOW = { width: 1280, height: 800 };
/** A time of day nobody said: the sentence is then marked unsupported. */
const EDIT_HPI = 'Reports headaches for about two weeks, worse in the evening.';

const TRANSCRIPT = [
  'Doctor: Good morning, what brings you in today?',
  'Patient: I have had headaches for about two weeks, mostly in the afternoon.',
  'Doctor: Any fever, vision changes or weakness?',
  'Patient: No fever and no vision changes.',
  'Doctor: How is your blood pressure at home?',
  'Patient: It has been running high, around 150 over 90. I take lisinopril 10 milligrams once a day.',
  'Doctor: And your diabetes?',
  'Patient: I take metformin 500 milligrams twice a day. My sugars are mostly fine.',
  'Doctor: Any allergies to medicines?',
  'Patient: I am allergic to penicillin, it gives me a rash.',
  'Doctor: Do you smoke?',
  'Patient: No, I quit ten years ago.',
  'Doctor: Your blood pressure today is 152 over 94 and your pulse is 78.',
  'Doctor: Your weight is 92 kilograms.',
  'Doctor: My assessment is essential hypertension, not well controlled.',
  'Doctor: Type 2 diabetes mellitus without complications, stable on metformin.',
  'Doctor: Tension type headache, probably related to the blood pressure.',
  'Doctor: Plan: increase lisinopril to 20 milligrams daily.',
  'Doctor: Continue metformin 500 milligrams twice a day.',
  'Doctor: Check a basic metabolic panel and hemoglobin A1c today.',
  'Doctor: Recheck your blood pressure in four weeks.',
  'Patient: Okay, thank you.',
].join('\n');

describe('the visit and review pages fit a 1280×800 window', skipWhen(e2eSkipReason ?? false), () => {
  let ws: Workstation;
  let web: WebServer;
  let browser: Browser | undefined;
  let page: Page;
  let reviewed = '';
  let fresh = '';
  const seen = { console: [] as string[], errors: [] as string[] };

  const sentence = (section: string, n = 1) => page.getByRole('textbox', { name: `${section}, sentence ${n}` });
  const savedStatus = () => page.getByText(/^All changes saved \(revision \d+\)$/);
  const noSeriousIssues = async (where: string) =>
    assert.deepEqual(await seriousAccessibilityIssues(page), [], `accessibility issues on ${where}`);
  /** The element is wholly inside the window as it is (nothing is scrolled to show it). */
  const assertInWindow = async (locator: Locator, what: string) => {
    const box = await locator.boundingBox();
    assert.ok(box, `${what} is shown`);
    assert.ok(
      box.x >= 0 && box.y >= 0 && box.x + box.width <= WINDOW.width && box.y + box.height <= WINDOW.height,
      `${what} is within the ${WINDOW.width}×${WINDOW.height} window: ${JSON.stringify(box)}`,
    );
  };
  const assertPageNotScrolled = async () =>
    assert.deepEqual(
      await page.evaluate<number[]>("[window.scrollY, document.querySelector('.app-main').scrollTop]"),
      [0, 0],
      'the page is not scrolled',
    );
  /** The element in focus: its aria-label or text, and the code it belongs to. */
  const focused = () =>
    page.evaluate<{ label: string; code?: string }>(`(() => {
      const active = document.activeElement;
      return { label: active?.getAttribute('aria-label') ?? active?.textContent?.trim() ?? '', code: active?.closest('[data-code]')?.dataset.code };
    })()`);
  /** The stored note's codes, in rank order, as "code status". */
  const storedCodes = async () =>
    (
      (await web.call('note:get', { visitId: reviewed })) as {
        value: { note: { codes: { code: string; status: string; rank: number }[] } };
      }
    ).value.note.codes
      .sort((a, b) => a.rank - b.rank)
      .map((c) => `${c.code} ${c.status}`);
  /** The drafted codes in rank order (which ones depends on the code set dist was built with). */
  let drafted: string[] = [];
  const chipFor = (code: string) =>
    page.getByRole('region', { name: /^Codes/ }).getByRole('button', { name: new RegExp(`^${code.replace('.', '\\.')} `) });

  beforeAll(async () => {
    ws = await createWorkstation({ user: CLINICIAN, role: 'clinician' });
    const policy = join(ws.dataDir, 'policy.json');
    // IT links the clinician's workstation account to their EHR practitioner, so signing is offered.
    await writeFile(policy, JSON.stringify({ consentRequired: true, signerPractitioners: { [CLINICIAN]: CLINICIAN } }));
    const transcript = join(ws.dataDir, 'transcript.txt');
    await writeFile(transcript, TRANSCRIPT);
    const create = async (name: string, mrn: string) =>
      (
        JSON.parse(
          await ws.scribe([
            'visit',
            'create',
            '--patient',
            `p-${mrn}`,
            '--encounter',
            `e-${mrn}`,
            '--name',
            name,
            '--mrn',
            mrn,
            '--reason',
            'Headaches and blood pressure follow-up',
            '--json',
          ]),
        ) as { id: string }
      ).id;
    reviewed = await create(PATIENT, 'MRN-LAYOUT-1');
    await ws.scribe(['visit', 'import-transcript', reviewed, transcript]);
    fresh = await create(NEXT_PATIENT, 'MRN-LAYOUT-2');
    web = await ws.web({ SCRIBE_POLICY_FILE: policy });
    ({ browser, page } = await openAppPage(seen, { height: WINDOW.height, fakeMedia: true }));
    await page.goto(web.address.url);
    await page.getByRole('heading', { level: 1, name: 'Visits' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await ws?.dispose();
  });

  it('shows Start recording in the window on the visit page, with consent still to record', async () => {
    await page.goto(`${web.address.origin}/#/visits/${fresh}`);
    await page.getByRole('heading', { level: 1, name: `Visit: ${NEXT_PATIENT}` }).waitFor();
    const start = page.getByRole('button', { name: 'Start recording' });
    await start.waitFor();
    await page.getByRole('button', { name: 'Record consent' }).waitFor();
    await assertPageNotScrolled();
    await assertInWindow(page.getByRole('button', { name: 'Record consent' }), 'Record consent');
    await assertInWindow(start, 'Start recording');
    await assertInWindow(page.getByRole('region', { name: 'Where transcription happens' }), 'where transcription happens');
    await noSeriousIssues('the visit page');
    await screenshot(page, 'layout-visit-1280x800', { window: true });
  });

  it('drafts the note and puts focus on its first sentence, with that sentence’s transcript lines highlighted', async () => {
    await page.goto(`${web.address.origin}/#/review/${reviewed}`);
    await page.getByRole('heading', { level: 1, name: `Review: ${PATIENT}` }).waitFor();
    await page.getByLabel('Drafting engine').selectOption('offline');
    await page.getByRole('button', { name: 'Draft the note' }).click();
    await sentence('Chief complaint').waitFor();
    await savedStatus().waitFor();
    await page.waitForFunction("document.activeElement?.getAttribute('aria-label') === 'Chief complaint, sentence 1'");
    const evidence = page.locator('.transcript-row.is-evidence');
    await evidence.first().waitFor();
    assert.match((await evidence.allTextContents()).join(' '), /headaches for about two weeks/);
    drafted = (await storedCodes()).map((entry) => entry.split(' ')[0]!);
    assert.ok(drafted.length >= 3, `a note with a few codes: ${drafted.join(', ')}`);
    assert.ok(
      ['I10', 'E11.9'].every((code) => drafted.includes(code)),
      `hypertension and diabetes are coded: ${drafted.join(', ')}`,
    );
  });

  it('shows the first note section, the codes and Sign in the window without scrolling, transcript and note side by side', async () => {
    await page.reload();
    await sentence('Chief complaint').waitFor();
    const codes = page.getByRole('region', { name: /^Codes/ });
    await chipFor(drafted.at(-1)!).waitFor();
    await assertPageNotScrolled();
    assert.equal(
      await page.evaluate('document.documentElement.scrollHeight <= window.innerHeight'),
      true,
      'the page has nothing to scroll',
    );

    await assertInWindow(page.getByRole('region', { name: 'Chief complaint' }), 'the first note section');
    await assertInWindow(codes, 'the codes');
    for (const code of drafted) await assertInWindow(chipFor(code), code);
    await assertInWindow(page.getByRole('button', { name: 'Sign and send…' }), 'Sign');
    await assertInWindow(page.getByRole('button', { name: 'Mark ready for signature' }), 'Mark ready');

    const transcriptBox = await page.getByRole('region', { name: 'Transcript' }).boundingBox();
    const noteBox = await page.getByRole('region', { name: 'Note' }).boundingBox();
    assert.ok(
      transcriptBox && noteBox && transcriptBox.x + transcriptBox.width <= noteBox.x,
      'the transcript is beside the note, on its left',
    );
    await assertInWindow(page.locator('.transcript-row').first(), 'the first transcript line');
    // The long note scrolls in its pane, not the page: its last section is reached by scrolling the pane.
    const plan = page.getByRole('region', { name: 'Plan' });
    await plan.scrollIntoViewIfNeeded();
    await assertPageNotScrolled();
    await assertInWindow(plan.getByRole('heading', { name: 'Plan' }), 'the last section, scrolled to in its pane');
    await page.evaluate("document.querySelector('.note-column').scrollTo(0, 0)");

    await noSeriousIssues('the review page');
    await screenshot(page, 'layout-review-1280x800', { window: true });
  });

  it('has a skip link from the heading to the note, and a list of the keys', async () => {
    await page.getByRole('heading', { level: 1, name: `Review: ${PATIENT}` }).focus();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to note' });
    assert.equal((await focused()).label, 'Skip to note', 'the skip link is the next stop after the heading');
    await assertInWindow(skip, 'the focused skip link');
    await page.keyboard.press('Enter');
    assert.equal((await focused()).label, 'Chief complaint, sentence 1');

    await page.getByText('Keyboard shortcuts').click();
    const keys = page.locator('.shortcuts-list');
    await keys.getByText('Go to the next sentence marked unsupported').waitFor();
    await keys.getByText('Alt+S', { exact: true }).waitFor();
    await assertInWindow(keys, 'the list of keys');
    await noSeriousIssues('the list of keys');
    await page.getByText('Keyboard shortcuts').click();
    await keys.waitFor({ state: 'hidden' });
  });

  it('Alt+N goes from sentence to sentence marked unsupported, in note order', async () => {
    await sentence('History of present illness').fill(EDIT_HPI);
    await sentence('Chief complaint').focus();
    await savedStatus().waitFor();
    const flagged = page.locator('.sentence.is-unsupported .sentence-input');
    await flagged.first().waitFor();
    const expected: string[] = [];
    for (const input of await flagged.all()) expected.push((await input.getAttribute('aria-label')) ?? '');
    assert.ok(expected.includes('History of present illness, sentence 1'), `the edited sentence is unsupported: ${expected.join(', ')}`);
    await page.getByRole('button', { name: `Next unsupported (${expected.length})` }).waitFor();

    await sentence('Chief complaint').focus();
    const visited: string[] = [];
    for (let i = 0; i < expected.length; i++) {
      await page.keyboard.press('Alt+KeyN');
      visited.push((await focused()).label);
    }
    assert.deepEqual(visited, expected);
    await page.keyboard.press('Alt+KeyN');
    assert.equal((await focused()).label, expected[0], 'after the last one it starts again at the first');
    assert.equal(await sentence('History of present illness').inputValue(), EDIT_HPI, 'the keys typed nothing');
  });

  it('Alt+A goes to the next suggested code, then accepts the code in focus; a code in the bar opens its row', async () => {
    const [first, second, third] = drafted as [string, string, string];
    const row = (code: string) =>
      page.locator('.code-row').filter({ has: page.locator('.code-value', { hasText: new RegExp(`^${code.replace('.', '\\.')}$`) }) });
    await sentence('Chief complaint').focus();
    await page.keyboard.press('Alt+KeyA');
    assert.deepEqual(await focused(), { label: `Accept ${first}`, code: first });
    await page.keyboard.press('Alt+KeyA');
    await row(first).getByText('Accepted', { exact: true }).waitFor();
    await page
      .getByRole('region', { name: /^Codes/ })
      .getByRole('button', { name: new RegExp(`^${first.replace('.', '\\.')} .*Accepted$`) })
      .waitFor();

    // From the bar: Alt+A on a code there accepts it; clicking one moves to its row under the note.
    await chipFor(second).focus();
    await page.keyboard.press('Alt+KeyA');
    await row(second).getByText('Accepted', { exact: true }).waitFor();
    await chipFor(third).click();
    assert.deepEqual(await focused(), { label: `Accept ${third}`, code: third });
    await assertInWindow(row(third), 'the code row, scrolled to in the note pane');
    await assertPageNotScrolled();

    // Saved as they were made: the store holds both decisions and nothing else changed.
    const wanted = drafted.map((code, i) => `${code} ${i < 2 ? 'accepted' : 'suggested'}`);
    for (let tries = 0; tries < 50 && JSON.stringify(await storedCodes()) !== JSON.stringify(wanted); tries++)
      await page.waitForTimeout(100);
    assert.deepEqual(await storedCodes(), wanted);
  });

  it('Alt+S opens the sign dialog; its sign button is in the window while the note above it scrolls', async () => {
    await sentence('Chief complaint').focus();
    await page.keyboard.press('Alt+KeyS');
    const dialog = page.getByRole('dialog', { name: 'Sign and send to the EHR' });
    await dialog.waitFor();
    const signButton = dialog.getByRole('button', { name: 'Sign and send' });
    await assertInWindow(signButton, 'the sign dialog’s Sign and send button');
    await assertInWindow(dialog.getByRole('button', { name: 'Cancel' }), 'the sign dialog’s Cancel button');
    assert.equal(
      await page.evaluate("(() => { const d = document.querySelector('dialog[open]'); return d.scrollHeight > d.clientHeight; })()"),
      true,
      'the dialog holds more than the window (so its content scrolls under the buttons)',
    );
    await dialog.getByLabel(/I have reviewed this note/).scrollIntoViewIfNeeded();
    await assertInWindow(signButton, 'the sign button after scrolling the dialog');
    assert.equal(await signButton.getAttribute('aria-disabled'), 'true', 'not before the clinician confirms');
    await noSeriousIssues('the sign dialog');
    await screenshot(page, 'layout-sign-dialog-1280x800', { window: true });

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal((await focused()).label, 'Sign and send…', 'focus goes back to the Sign button');
    assert.equal(
      ((await web.call('visit:get', { id: reviewed })) as { value: { state: string } }).value.state,
      'in_review',
      'nothing was signed',
    );
  });

  it('keeps the layout, the evidence highlighting and accessibility in dark mode', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await sentence('Vital signs').focus();
    await page.locator('.transcript-row.is-evidence').first().waitFor();
    await assertInWindow(page.getByRole('button', { name: 'Sign and send…' }), 'Sign in dark mode');
    await page.waitForTimeout(400); // let colour transitions finish before contrast is measured
    await noSeriousIssues('the review page in dark mode');
    await screenshot(page, 'layout-review-dark-1280x800', { window: true });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('broke no CSP rule and threw no page error', () => {
    assert.deepEqual(
      seen.console.filter((text) => /Content Security Policy|Refused to/i.test(text)),
      [],
    );
    assert.deepEqual(seen.errors, []);
  });
});
