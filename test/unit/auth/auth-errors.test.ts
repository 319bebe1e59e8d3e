import assert from 'node:assert/strict';
import { test } from 'vitest';
import * as authErrors from '../../../main/auth/auth-errors.js';
import { SignInError } from '../../../main/auth/sign-in-error.js';

const CAUSE = new Error('https://ehr.example.org/token?code=secret');

test('every sign-in error has its own auth.* reason and a message with no address, token or cause in it', () => {
  const reasons = new Map<string, string>();
  for (const [name, factory] of Object.entries(authErrors)) {
    const error = (factory as (...args: unknown[]) => unknown)(500, 'invalid_grant', CAUSE);
    assert.ok(error instanceof SignInError, name);
    assert.match(error.reason, /^auth\.[a-z_]+$/, name);
    assert.equal(reasons.get(error.reason), undefined, `${name} shares its reason with ${reasons.get(error.reason)}`);
    reasons.set(error.reason, name);
    assert.doesNotMatch(error.message, /https?:|example\.org|secret/, name);
  }
  assert.ok(reasons.size >= 30);
});

test('a SignInError made without a reason (the CLI, the app shell) gets auth.<problem>', () => {
  const error = new SignInError('browser_failed', 'The system browser could not be opened for sign-in.');
  assert.equal(error.reason, 'auth.browser_failed');
  assert.equal(error.code, 'unavailable');
  assert.equal(authErrors.tokenExchangeRefused(400, 'invalid_grant', CAUSE).details?.['error'], 'invalid_grant');
});
