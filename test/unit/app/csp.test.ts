import assert from 'node:assert/strict';
import { test } from 'vitest';
import { buildContentSecurityPolicy, CONTENT_SECURITY_POLICY, CSP_DIRECTIVES, securityHeaders } from '../../../main/api/csp.js';

function parse(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    assert.ok(name, `empty directive in ${policy}`);
    assert.equal(directives.has(name), false, `duplicate directive ${name}`);
    directives.set(name, sources);
  }
  return directives;
}

test('the policy is exactly the agreed one', () => {
  assert.equal(
    CONTENT_SECURITY_POLICY,
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self'; " +
      "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  );
});

test('nothing inline, no eval, no remote hosts, and everything unlisted falls back to none', () => {
  const directives = parse(CONTENT_SECURITY_POLICY);
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), ["'self'"]);
  for (const [name, sources] of directives) {
    for (const source of sources) {
      assert.ok(!/unsafe|\*|https?:|wss?:|nonce-|sha\d+-/.test(source), `${name} allows ${source}`);
    }
  }
  // Frames are not listed, so they fall back to default-src 'none'.
  assert.equal(directives.has('frame-src'), false);
  assert.equal(directives.has('child-src'), false);
});

test('the directive table cannot be changed at run time', () => {
  assert.equal(Object.isFrozen(CSP_DIRECTIVES), true);
});

test('the builder refuses tokens that would end a directive or start a second policy', () => {
  assert.throws(() => buildContentSecurityPolicy({ 'script-src': ["'self'; script-src *"] }));
  assert.throws(() => buildContentSecurityPolicy({ 'script-src': ["'self',*"] }));
  assert.throws(() => buildContentSecurityPolicy({ 'script-src': ["'self' https://evil.example"] }));
  assert.throws(() => buildContentSecurityPolicy({ 'Script-Src;': ["'self'"] }));
  assert.throws(() => buildContentSecurityPolicy({ 'script-src': [] }));
  assert.equal(
    buildContentSecurityPolicy({ 'default-src': ["'none'"], 'img-src': ["'self'", 'data:'] }),
    "default-src 'none'; img-src 'self' data:",
  );
});

test('security headers carry the CSP and the hardening headers', () => {
  const headers = securityHeaders();
  assert.equal(headers['Content-Security-Policy'], CONTENT_SECURITY_POLICY);
  assert.equal(headers['X-Content-Type-Options'], 'nosniff');
  assert.equal(headers['Referrer-Policy'], 'no-referrer');
  assert.equal(headers['Cross-Origin-Opener-Policy'], 'same-origin');
});

test('Permissions-Policy allows the microphone for our origin only and nothing else', () => {
  const policy = securityHeaders()['Permissions-Policy'];
  assert.ok(policy);
  const features = new Map(policy.split(',').map((entry) => entry.trim().split('=') as [string, string]));
  assert.equal(features.get('microphone'), '(self)');
  assert.equal(features.get('camera'), '()');
  assert.equal(features.get('display-capture'), '()');
  assert.equal(features.get('geolocation'), '()');
  for (const [feature, allow] of features) {
    if (feature !== 'microphone') assert.equal(allow, '()', `${feature} is allowed`);
  }
});

test('each call returns a fresh record', () => {
  const headers = securityHeaders();
  headers['Content-Security-Policy'] = 'default-src *';
  assert.equal(securityHeaders()['Content-Security-Policy'], CONTENT_SECURITY_POLICY);
});
