import assert from 'node:assert/strict';
import { test } from 'vitest';
import { isSignInUrlAllowed } from '../../../main/auth/browser-url.js';
import { isSecureEndpoint } from '../../../main/auth/smart-discovery.js';

const ENDPOINT = 'https://ehr.example.org/oauth2/authorize';

test('only a request to the EHR authorization endpoint itself may go to the system browser', () => {
  assert.equal(isSignInUrlAllowed(`${ENDPOINT}?response_type=code&client_id=x&state=s`, ENDPOINT), true);
  assert.equal(
    isSignInUrlAllowed('http://127.0.0.1:8910/auth/auth?x=1', 'http://127.0.0.1:8910/auth/auth'),
    true,
    'the sandbox on this machine',
  );
  for (const url of [
    'https://ehr.example.org/oauth2/token?x=1',
    'https://ehr.example.org.evil.test/oauth2/authorize?x=1',
    'https://evil.test/oauth2/authorize?x=1',
    'https://user:pw@ehr.example.org/oauth2/authorize?x=1',
    'http://ehr.example.org/oauth2/authorize?x=1',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'ms-settings:privacy',
    `${ENDPOINT}#fragment`,
    '',
    42,
    undefined,
  ]) {
    assert.equal(isSignInUrlAllowed(url, ENDPOINT), false, String(url));
  }
  assert.equal(
    isSignInUrlAllowed('http://ehr.example.org/authorize', 'http://ehr.example.org/authorize'),
    false,
    'clear text to another machine, even if it is "the endpoint"',
  );
});

test('secure endpoints: https, or http on this machine, never with credentials', () => {
  assert.equal(isSecureEndpoint('https://ehr.example.org/x'), true);
  assert.equal(isSecureEndpoint('http://localhost:8910/x'), true);
  assert.equal(isSecureEndpoint('http://[::1]:8910/x'), true);
  assert.equal(isSecureEndpoint('http://10.0.0.5/x'), false);
  assert.equal(isSecureEndpoint('https://a:b@ehr.example.org/x'), false);
  assert.equal(isSecureEndpoint('ftp://ehr.example.org/x'), false);
  assert.equal(isSecureEndpoint('not a url'), false);
});
