import assert from 'node:assert/strict';
import { test } from 'vitest';
import { checkCallback, checkLaunch, tokenExchangeError } from '../../../main/auth/oauth-responses.js';
import { SignInError } from '../../../main/auth/sign-in-error.js';

const STATE = 'Xq3v9Zk2f7LmN0pR8sT1uW4yB6dE5gH-_aJcKoIeQrS';
const q = (params: Record<string, string>) => new URLSearchParams(params);

test('a callback without our state is not ours: ignored, not acted on, even when it says error', () => {
  assert.deepEqual(checkCallback(q({ code: 'c' }), STATE), { kind: 'foreign', reason: 'state_missing' });
  assert.deepEqual(checkCallback(q({ code: 'c', state: 'guess' }), STATE), { kind: 'foreign', reason: 'state_mismatch' });
  assert.deepEqual(checkCallback(q({ error: 'access_denied', state: `${STATE}x` }), STATE), { kind: 'foreign', reason: 'state_mismatch' });
});

test('our callback: a code, a refusal, or an error; only known error codes are quoted', () => {
  assert.deepEqual(checkCallback(q({ code: 'abc.DEF-123', state: STATE }), STATE), { kind: 'code', code: 'abc.DEF-123' });
  const denied = checkCallback(q({ error: 'access_denied', error_description: '<script>alert(1)</script>', state: STATE }), STATE);
  assert.ok(denied.kind === 'failed' && denied.error.problem === 'access_denied' && !denied.error.message.includes('script'));
  const scope = checkCallback(q({ error: 'invalid_scope', state: STATE }), STATE);
  assert.ok(scope.kind === 'failed' && scope.error.problem === 'authorization_failed' && scope.error.message.includes('(invalid_scope)'));
  const odd = checkCallback(q({ error: 'made_up <b>', state: STATE }), STATE);
  assert.ok(odd.kind === 'failed' && odd.error.message.includes('(unknown error)') && !odd.error.message.includes('made_up'));
  for (const code of ['', 'new\nline', 'x'.repeat(4097)]) {
    const bad = checkCallback(q({ code, state: STATE }), STATE);
    assert.ok(bad.kind === 'failed' && bad.error.problem === 'authorization_failed', JSON.stringify(code.slice(0, 20)));
  }
});

test('an EHR launch is taken only from the configured EHR', () => {
  const base = 'https://ehr.example.org/fhir/R4';
  assert.deepEqual(checkLaunch(q({ iss: base, launch: 'L-1' }), base), { kind: 'launch', launch: 'L-1' });
  assert.deepEqual(
    checkLaunch(q({ iss: `${base}/`, launch: 'L-1' }), base),
    { kind: 'launch', launch: 'L-1' },
    'a trailing slash is the same server',
  );
  assert.equal(checkLaunch(q({ iss: 'https://evil.test/fhir', launch: 'L-1' }), base).kind, 'refused');
  assert.equal(checkLaunch(q({ iss: `${base}.evil.test`, launch: 'L-1' }), base).kind, 'refused');
  assert.equal(checkLaunch(q({ iss: base }), base).kind, 'refused');
  assert.equal(checkLaunch(q({ iss: base, launch: 'has space' }), base).kind, 'refused');
});

test("token endpoint failures: status and a known OAuth code, never fhirclient's message with its URL and body", () => {
  const httpError = Object.assign(
    new Error('400 Bad Request\nURL: https://ehr.example.org/token?secret\n\ninvalid_grant: code expired for patient Zzyzx'),
    { status: 400 },
  );
  const mapped = tokenExchangeError(httpError);
  assert.ok(mapped instanceof SignInError);
  assert.equal(mapped.problem, 'token_exchange_failed');
  assert.match(mapped.message, /HTTP 400, invalid_grant/);
  assert.doesNotMatch(mapped.message, /URL|example\.org|Zzyzx|expired/);
  assert.equal(tokenExchangeError(Object.assign(new Error('t'), { name: 'TimeoutError' })).problem, 'timed_out');
  assert.match(tokenExchangeError(new Error('ECONNREFUSED 10.1.2.3')).message, /could not be reached/);
});
