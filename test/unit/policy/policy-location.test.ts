import assert from 'node:assert/strict';
import { test } from 'vitest';
import { machinePolicyPath, resolvePolicyLocation } from '../../../main/policy/policy-location.js';

test('the machine-wide location per platform', () => {
  assert.equal(machinePolicyPath('win32'), 'C:\\ProgramData\\Ambient Scribe\\policy.json');
  assert.equal(machinePolicyPath('darwin'), '/Library/Application Support/Ambient Scribe/policy.json');
  assert.equal(machinePolicyPath('linux'), '/etc/ambient-scribe/policy.json');
});

test('SCRIBE_POLICY_FILE is honoured in development and ignored in an installed build', () => {
  const env = { SCRIBE_POLICY_FILE: '/home/me/my-own-policy.json', ProgramData: 'D:\\UserControlled' };
  assert.deepEqual(resolvePolicyLocation({ env, platform: 'linux', packaged: false }), {
    path: '/home/me/my-own-policy.json',
    overridden: true,
  });
  assert.deepEqual(resolvePolicyLocation({ env, platform: 'linux', packaged: true }), {
    path: '/etc/ambient-scribe/policy.json',
    overridden: false,
  });
  // A user-set %ProgramData% does not move the policy either.
  assert.deepEqual(resolvePolicyLocation({ env, platform: 'win32', packaged: true }), {
    path: 'C:\\ProgramData\\Ambient Scribe\\policy.json',
    overridden: false,
  });
  assert.deepEqual(resolvePolicyLocation({ env: { SCRIBE_POLICY_FILE: '' }, platform: 'darwin', packaged: false }).overridden, false);
});
