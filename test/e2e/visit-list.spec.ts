/**
 * End to end: the built renderer in Debian's Chromium, talking to the real `scribe web` bridge over
 * a temporary encrypted store. Visits made by the CLI show up, a visit made through the form shows
 * up (also in a second tab, through the event stream), the audit log verifies, and the bridge
 * refuses calls without the right token.
 * Run: npx vitest run test/e2e/visit-list.spec.ts   (after `npm run build`)
 */
import assert from 'node:assert/strict';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { WebAddress } from '../helpers/e2e-web.js';
import { CHROMIUM, CHROMIUM_ARGS, CLI_JS, e2eSkipReason, firstLine, RESULTS, ROOT, stopProcess, TIMEOUT_MS } from '../helpers/e2e-web.js';
import { skipWhen } from '../helpers/skip.js';

const execFileAsync = promisify(execFile);

// Synthetic PHI sentinels: distinctive enough that finding them in a log can only mean a leak.
const NAME_1 = 'Zzyzx Quillfeather';
const NAME_3 = 'Wendeline Orrisbrook';
const MRN_3 = 'MRN-E2E-70413';
const SENTINELS = ['Zzyzx', 'Quillfeather', 'Wendeline', 'Orrisbrook', MRN_3];

describe('visit list in the browser through the web bridge', skipWhen(e2eSkipReason ?? false), () => {
  let dataDir = '';
  let web: ChildProcessWithoutNullStreams | undefined;
  let webOutput = '';
  let address: WebAddress;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];

  const env = (): NodeJS.ProcessEnv => ({
    ...process.env,
    SCRIBE_DATA_DIR: dataDir,
    SCRIBE_PASSPHRASE: 'e2e passphrase, synthetic data only',
    SCRIBE_USER: 'dr.e2e',
    SCRIBE_ROLE: 'clinician',
    SCRIBE_LOG: 'json',
  });

  const scribeAs = async (user: string, ...args: string[]): Promise<string> => {
    const { stdout } = await execFileAsync(process.execPath, [CLI_JS, ...args], {
      env: { ...env(), SCRIBE_USER: user },
      cwd: ROOT,
      timeout: 60_000,
    });
    return stdout;
  };
  const scribe = (...args: string[]): Promise<string> => scribeAs('dr.e2e', ...args);

  const shot = async (name: string, target: Page = page) => {
    await target.mouse.move(0, 0); // no hover highlight in the picture
    await target.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: true, animations: 'disabled' });
  };

  const watch = (target: Page) => {
    target.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    target.on('pageerror', (error) => pageErrors.push(error.message));
  };

  const liveBrowser = (): Browser => {
    assert.ok(browser, 'Chromium did not start');
    return browser;
  };

  // Today's visits only: the schedule from an EHR (the demo EHR, or a sandbox) is a table on the same page.
  const bodyRows = (target: Page = page) => target.getByRole('table', { name: 'Today’s visits' }).locator('tbody tr');

  const goTo = async (label: 'Visits' | 'Review' | 'Outbox' | 'Settings') => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: label }).waitFor();
    assert.equal(await page.getByRole('link', { name: label, exact: true }).getAttribute('aria-current'), 'page');
    assert.match(page.url(), new RegExp(`#/${label.toLowerCase()}$`));
  };

  beforeAll(async () => {
    await mkdir(RESULTS, { recursive: true });
    dataDir = await mkdtemp(join(tmpdir(), 'scribe-e2e-'));
    await scribe('init');
    for (const [user, args] of [
      ['dr.e2e', ['--patient', 'pat-e2e-1', '--name', NAME_1, '--reason', 'Knee pain after a fall']],
      ['dr.other', ['--patient', 'pat-e2e-2', '--encounter', 'enc-e2e-2']],
    ] as const) {
      const created = JSON.parse(await scribeAs(user, 'visit', 'create', ...args, '--json')) as { patientId: string; state: string };
      assert.equal(created.patientId, args[1]);
      assert.equal(created.state, 'not_started');
    }

    web = spawn(process.execPath, [CLI_JS, 'web', '--port', '0', '--json'], { env: env(), cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    web.stderr.setEncoding('utf8').on('data', (chunk: string) => (webOutput += chunk));
    const line = await firstLine(web, () => webOutput);
    address = JSON.parse(line) as WebAddress;
    web.stdout.setEncoding('utf8').on('data', (chunk: string) => (webOutput += chunk));
    assert.match(address.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(address.url.startsWith(`${address.origin}/#token=`));

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    context.setDefaultTimeout(TIMEOUT_MS);
    page = await context.newPage();
    watch(page);
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    if (web) await stopProcess(web);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('lists the visits the CLI created, and takes the token out of the address bar', async () => {
    await page.goto(address.url);
    await page.getByRole('heading', { level: 1, name: 'Visits' }).waitFor();
    await page.getByRole('rowheader', { name: NAME_1 }).waitFor();
    await page.getByRole('cell', { name: 'pat-e2e-1', exact: true }).waitFor();
    await page.getByRole('cell', { name: 'pat-e2e-2', exact: true }).waitFor();
    await page.getByRole('rowheader', { name: 'Unnamed patient' }).waitFor();
    await page.getByRole('cell', { name: 'enc-e2e-2', exact: true }).waitFor();
    assert.equal(await bodyRows().count(), 2);
    // In the table (the state filter offers “Not started” too).
    assert.equal(await page.getByRole('table', { name: 'Today’s visits' }).getByText('Not started', { exact: true }).count(), 2);
    // What tells visits apart: the reason, who the visit is with (here whoever started it), and how long ago.
    const first = bodyRows().filter({ has: page.getByRole('rowheader', { name: NAME_1 }) });
    await first.getByRole('cell', { name: 'Knee pain after a fall', exact: true }).waitFor();
    await first.getByRole('cell', { name: 'dr.e2e', exact: true }).waitFor();
    await first.getByText(/\((just now|\d+ min ago)\)/).waitFor();
    await bodyRows()
      .filter({ has: page.getByRole('cell', { name: 'enc-e2e-2', exact: true }) })
      .getByRole('cell', { name: 'dr.other', exact: true })
      .waitFor();

    assert.doesNotMatch(page.url(), /token/);
    assert.match(page.url(), /#\/visits$/);
    assert.equal(await page.title(), 'Ambient Scribe');
    assert.equal(await page.getByRole('link', { name: 'Visits', exact: true }).getAttribute('aria-current'), 'page');
    // Not signed in with the EHR: the header names this computer's account, or the clinician IT links it to.
    await page.getByRole('banner').getByText('Using this computer as').waitFor();
    assert.match((await page.getByRole('banner').locator('.user-id').textContent()) ?? '', /^(dr\.e2e|.*Sandbox.*)$/);
    await page.getByRole('banner').getByText('Clinician', { exact: true }).waitFor();
    await shot('visits');
  });

  it('shows an inline error for a missing patient ID, then creates a visit through the form', async () => {
    const second = await context.newPage(); // a second tab learns of the new visit only through /api/events
    watch(second);
    await second.goto(address.url);
    await second.getByRole('cell', { name: 'pat-e2e-1', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Create visit' }).click();
    await page.getByText('Enter the patient ID.').waitFor();
    const patientId = page.getByLabel('Patient ID');
    assert.equal(await patientId.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('input:focus').getAttribute('name'), 'patientId');
    await shot('visits-validation');

    // A field only the main side can judge: lift the input's own limit so the API's
    // ApiCallError.fields has to place the error on the right input.
    await patientId.fill('pat-e2e-3');
    const encounterId = page.getByLabel('Encounter ID');
    await page.evaluate(`document.querySelector('input[name="encounterId"]').removeAttribute('maxlength')`);
    await encounterId.fill('e'.repeat(129));
    await page.getByRole('button', { name: 'Create visit' }).click();
    await page.getByText('An encounter ID has up to 128 characters.').waitFor();
    assert.equal(await encounterId.getAttribute('aria-invalid'), 'true');
    assert.equal(await patientId.getAttribute('aria-invalid'), null);
    assert.equal(await page.locator('input:focus').getAttribute('name'), 'encounterId');
    assert.equal(await bodyRows().count(), 2, 'nothing was created');
    await shot('visits-server-validation');

    await encounterId.fill('enc-e2e-3');
    await page.getByLabel('Patient name').fill(NAME_3);
    await page.getByLabel('MRN').fill(MRN_3);
    await page.getByLabel('Birth date').fill('1971-02-03');
    await page.getByRole('button', { name: 'Create visit' }).click();

    await page.getByRole('status').getByText('Visit created.', { exact: false }).waitFor();
    await page.getByRole('rowheader', { name: NAME_3 }).waitFor();
    await page.getByRole('cell', { name: 'enc-e2e-3', exact: true }).waitFor();
    assert.equal(await bodyRows().count(), 3);
    assert.equal(await patientId.inputValue(), '', 'the form is cleared for the next visit');
    assert.equal(await page.getByText('Enter the patient ID.').count(), 0);
    assert.equal(await page.title(), 'Ambient Scribe');

    await second.getByRole('rowheader', { name: NAME_3 }).waitFor();
    assert.equal(await bodyRows(second).count(), 3);
    await second.close();
    await shot('visits-created');
  });

  it('filters the list by clinician and by state, and shows all again', async () => {
    await page.getByLabel('Clinician', { exact: true }).selectOption('dr.other');
    await page.getByText('Showing 1 of 3.').waitFor();
    assert.equal(await bodyRows().count(), 1);
    await page.getByRole('cell', { name: 'enc-e2e-2', exact: true }).waitFor();
    await page.getByLabel('Clinician', { exact: true }).selectOption('');
    // The state filter offers the states in the list, in words: here every visit is not started yet.
    const states = page.getByLabel('State', { exact: true });
    assert.deepEqual(await states.locator('option').allTextContents(), ['Any state', 'Not started']);
    await states.selectOption('not_started');
    await page.getByText('Showing 3 of 3.').waitFor();
    await page.getByRole('button', { name: 'Show all' }).click();
    assert.equal(await page.getByText(/^Showing \d+ of \d+\.$/).count(), 0);
    assert.equal(await bodyRows().count(), 3);
  });

  it('keeps working after a reload (the token stays in this tab)', async () => {
    await page.reload();
    await page.getByRole('rowheader', { name: NAME_1 }).waitFor();
    assert.equal(await bodyRows().count(), 3);
  });

  it('shows honest empty states for Review and Outbox, reachable by keyboard', async () => {
    await goTo('Review');
    await page.getByText('Nothing to review. Visits appear here once they are recorded and transcribed.').waitFor();
    await shot('review');

    await page.getByRole('link', { name: 'Outbox', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Outbox' }).waitFor();
    await page.getByText('Signed notes waiting to be sent to the EHR appear here.').waitFor();
    assert.equal(await page.locator('h1:focus').count(), 1, 'focus moves to the new view’s heading');
    await shot('outbox');
  });

  it('verifies the audit log from Settings', async () => {
    await goTo('Settings');
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    await page.getByText(version, { exact: true }).waitFor();
    await page.getByText('Loopback web bridge').waitFor();
    await page.getByRole('button', { name: 'Verify audit log' }).click();
    const intact = page.getByText(/^Audit log intact: \d+ entr(y|ies)$/);
    await intact.waitFor();
    const entries = Number(/(\d+)/.exec((await intact.textContent()) ?? '')?.[1]);
    assert.ok(entries >= 3, `expected at least the three visits in the audit log, got ${entries}`);
    await shot('settings');
  });

  it('looks right in dark mode and at 200 % zoom', async () => {
    await goTo('Visits');
    await page.getByRole('rowheader', { name: NAME_1 }).waitFor();
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('visits-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // 1280 × 800 at 200 % zoom is a 640 × 400 CSS-pixel viewport at twice the pixel density.
    const zoomed = await liveBrowser().newContext({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
    const small = await zoomed.newPage();
    watch(small);
    await small.goto(address.url);
    await small.getByRole('rowheader', { name: NAME_1 }).waitFor({ timeout: TIMEOUT_MS });
    const noSidewaysScroll = await small.evaluate('document.documentElement.scrollWidth <= window.innerWidth');
    assert.equal(noSidewaysScroll, true, 'the page reflows at 200 % zoom instead of scrolling sideways');
    await shot('visits-zoom200', small);
    await zoomed.close();
  });

  it('tells a browser without the token where to get it', async () => {
    const fresh = await liveBrowser().newContext({ viewport: { width: 1280, height: 800 } });
    const bare = await fresh.newPage();
    watch(bare);
    await bare.goto(`${address.origin}/`);
    await bare.getByText('Open the link printed by', { exact: false }).waitFor({ timeout: TIMEOUT_MS });
    assert.equal(await bare.getByRole('table').count(), 0);
    await shot('no-token', bare);
    await fresh.close();
  });

  it('refuses API calls without the right token', async () => {
    const call = (headers: Record<string, string>) =>
      fetch(`${address.origin}/api/call/visit:list`, {
        method: 'POST',
        body: '{}',
        headers: { 'Content-Type': 'application/json', ...headers },
      });

    const noToken = await call({});
    assert.equal(noToken.status, 401);
    assert.equal(((await noToken.json()) as { ok: boolean }).ok, false);

    const wrongToken = await call({ Authorization: `Bearer ${'x'.repeat(address.token.length)}` });
    assert.equal(wrongToken.status, 401);
    assert.equal(((await wrongToken.json()) as { ok: boolean }).ok, false);

    const rightToken = await call({ Authorization: `Bearer ${address.token}` });
    assert.equal(rightToken.status, 200);
    const body = (await rightToken.json()) as { ok: boolean; value: { visits: unknown[] } };
    assert.equal(body.ok, true);
    assert.equal(body.value.visits.length, 3);
  });

  it('broke no CSP rule, threw no page errors and logged no patient details', () => {
    const cspViolations = consoleErrors.filter((text) => /Content Security Policy|Refused to/i.test(text));
    assert.deepEqual(cspViolations, []);
    assert.deepEqual(pageErrors, []);
    for (const sentinel of SENTINELS)
      assert.ok(!webOutput.includes(sentinel), `scribe web output contains a patient detail (${sentinel.length} chars)`);
  });
});
