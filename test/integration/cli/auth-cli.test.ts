/**
 * `scribe auth sign-in`, in process: it prints the address to open, waits for the browser (here a
 * fetch-driven one) to come back, prints who signed in, and signs out again.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterAll, beforeAll, test } from 'vitest';
import { runCli } from '../../../main/cli/program.js';
import { openScribe } from '../../../main/compose.js';
import { startSandbox } from '../../../main/sandbox/sandbox.js';
import type { Sandbox } from '../../../main/sandbox/sandbox.js';
import { SANDBOX_DEFAULTS } from '../../../main/sandbox/sandbox-defaults.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { AuthStatus } from '../../../shared/domain/auth.js';
import { fetchBrowser } from '../../helpers/fetch-browser.js';
import { tempDir } from '../../helpers/temp-store.js';

const tmp = tempDir('scribe-auth-cli-');
const dataDir = join(tmp.dir, 'data');
const PASSPHRASE = 'auth cli test passphrase';
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, usCoreDir: null });
  const scribe = openScribe({ dataDir, keyProvider: createPassphraseKeyProvider(PASSPHRASE), mode: 'create' });
  scribe.settings.update(
    { fhirBaseUrl: sandbox.fhirBaseUrl, fhirSignInClientId: SANDBOX_DEFAULTS.clinicianClientId },
    { id: 'it', role: 'admin' },
  );
  scribe.close();
});
afterAll(async () => {
  await sandbox.close();
  tmp.cleanup();
});

test('scribe auth sign-in --json: the URL to open, then who signed in; nothing secret printed', async () => {
  const out: string[] = [];
  const err: string[] = [];
  const browser = fetchBrowser();
  let landed: Promise<unknown> | undefined;
  const io = {
    out: (text: string) => {
      out.push(text);
      const open = (JSON.parse(text) as { open?: string }).open;
      if (open) landed = browser.open(open).then((page) => browser.submitLogin(page, 'sbx-practitioner-1'));
    },
    err: (text: string) => err.push(text),
  };
  const code = await runCli(['auth', 'sign-in', '--json', '--timeout', '30'], {
    io,
    env: { SCRIBE_DATA_DIR: dataDir, SCRIBE_PASSPHRASE: PASSPHRASE, SCRIBE_LOG: 'json' },
    untilStopped: () => new Promise(() => undefined),
  });
  await landed;
  assert.equal(code, 0, err.join('\n'));
  assert.equal(out.length, 2);
  const status = JSON.parse(out[1]!) as AuthStatus;
  assert.equal(status.state, 'signed_in');
  assert.equal(status.user?.practitionerId, 'sbx-practitioner-1');
  assert.ok(status.scopes.includes('fhirUser'));
  assert.doesNotMatch(out[1]!, /[A-Za-z0-9_-]{32,}/, 'no token in the printed status');
});

test('scribe auth sign-in without a sign-in client id: a clear error, exit 1', async () => {
  const err: string[] = [];
  const otherDir = join(tmp.dir, 'unconfigured');
  openScribe({ dataDir: otherDir, keyProvider: createPassphraseKeyProvider(PASSPHRASE), mode: 'create' }).close();
  const code = await runCli(['auth', 'sign-in'], {
    io: { out: () => undefined, err: (t) => err.push(t) },
    env: { SCRIBE_DATA_DIR: otherDir, SCRIBE_PASSPHRASE: PASSPHRASE },
    untilStopped: () => new Promise(() => undefined),
  });
  assert.equal(code, 1);
  assert.match(err.join('\n'), /Sign-in is not set up/);
});
