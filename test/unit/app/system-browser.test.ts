import assert from 'node:assert/strict';
import { test } from 'vitest';
import { createSystemBrowserOpener } from '../../../main/app/system-browser.js';
import { SignInError } from '../../../main/auth/sign-in-error.js';

const ENDPOINT = 'https://ehr.example.org/oauth2/authorize';

test('shell.openExternal gets the EHR sign-in page and nothing else', async () => {
  const opened: string[] = [];
  const open = createSystemBrowserOpener({ openExternal: (url) => Promise.resolve(void opened.push(url)) });
  await open(`${ENDPOINT}?client_id=x`, { authorizationEndpoint: ENDPOINT });
  assert.deepEqual(opened, [`${ENDPOINT}?client_id=x`]);
  for (const url of [
    'file:///c:/windows/system32/calc.exe',
    'smb://host/share',
    'https://evil.test/oauth2/authorize',
    `${ENDPOINT.replace('https', 'http')}?x`,
  ]) {
    await assert.rejects(
      open(url, { authorizationEndpoint: ENDPOINT }),
      (e: unknown) => e instanceof SignInError && e.problem === 'browser_failed' && !e.message.includes(url),
    );
  }
  assert.equal(opened.length, 1);
});
