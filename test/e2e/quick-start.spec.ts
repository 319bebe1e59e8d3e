/**
 * Issue 15, item 9: the README's quick start, as a newcomer runs it. With a fresh home folder,
 * nothing configured, no key, no sandbox running, `npm run web` (the only command after
 * `npm install`; a free port here) creates the store and starts the demo EHR in its own process;
 * Chromium opens the printed address and finds today's schedule from the demo EHR, labelled as
 * such. When dist/ is older than the sources the command builds first, as a fresh clone would.
 * Screenshot: test-results/quick-start.png.
 * Run: npx vitest run test/e2e/quick-start.spec.ts
 */
import assert from 'node:assert/strict';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { SANDBOX_PATIENTS } from '../../main/sandbox/seed.js';
import { CHROMIUM, openAppPage, ROOT, screenshot } from '../helpers/e2e-web.js';
import type { WebAddress } from '../helpers/e2e-web.js';
import { skipWhen } from '../helpers/skip.js';

const skip = (() => {
  try {
    statSync(CHROMIUM);
    return false;
  } catch {
    return `Chromium not found at ${CHROMIUM} (apt-get install chromium)`;
  }
})();

/** The environment of someone who just cloned the repository: no SCRIBE_* variable, a new home. */
function newcomerEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('SCRIBE_') && !name.startsWith('XDG_')) env[name] = value;
  return { ...env, HOME: home };
}

/** The address line among npm's own output; fails if the command ends first. */
function addressLine(child: ChildProcessWithoutNullStreams, output: () => string): Promise<WebAddress> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const onExit = (code: number | null) => reject(new Error(`npm run web exited (${code}): ${output()}`));
    child.once('exit', onExit);
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      child.off('exit', onExit);
      lines.close();
      resolve(JSON.parse(line) as WebAddress);
    });
  });
}

describe('the quick start: npm run web on a fresh home folder, nothing else running', skipWhen(skip), () => {
  let home: string;
  let child: ChildProcessWithoutNullStreams;
  let output = '';
  let address: WebAddress;
  let browser: Browser | undefined;
  let page: Page;
  const seen = { console: [] as string[], errors: [] as string[] };

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'scribe-quick-start-'));
    // Its own process group, so stopping it stops npm and the app under it.
    child = spawn('npm', ['run', 'web', '--', '--port', '0', '--json'], {
      cwd: ROOT,
      env: newcomerEnv(home),
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    address = await addressLine(child, () => output);
    ({ browser, page } = await openAppPage(seen, { height: 900 }));
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    if (child?.pid !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("shows today's schedule from the demo EHR, labelled as synthetic", async () => {
    await page.goto(address.url);
    const schedule = page.getByRole('region', { name: 'Today’s schedule' });
    const first = `${SANDBOX_PATIENTS[0]!.given} ${SANDBOX_PATIENTS[0]!.family}`;
    await schedule.getByRole('rowheader', { name: new RegExp(`^${first}`) }).waitFor({ timeout: 30_000 });
    await schedule.getByText('From the Demo EHR — synthetic patients.').waitFor();
    assert.equal(await schedule.getByRole('button', { name: 'Start visit' }).count(), SANDBOX_PATIENTS.length);
    assert.doesNotMatch(await page.content(), /EHR unreachable/);
    await screenshot(page, 'quick-start');
    assert.deepEqual(seen.errors, []);
  });

  it('made the store and its key in the home folder, the key readable by its owner only', () => {
    const appFolder = join(home, '.config', 'Ambient Scribe');
    assert.ok(statSync(join(appFolder, 'store')).isDirectory());
    assert.equal(statSync(join(appFolder, 'store.key')).mode & 0o777, 0o600);
    assert.match(output, /A new encrypted store is created/);
  });
});
