import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { UpdateSettings } from '../../../main/app/update-decisions.js';
import { compareVersions, decideInstall, decideOffer, planUpdates, signatureChecked } from '../../../main/app/update-decisions.js';

const settings = (overrides: Partial<UpdateSettings> = {}): UpdateSettings => ({
  updatesDisabled: false,
  updateServerUrl: 'https://updates.example.org/ambient-scribe',
  updateChannel: 'latest',
  updatePinnedVersion: null,
  updateInstallOnQuit: false,
  ...overrides,
});

describe('planUpdates', () => {
  test('an installed Windows or macOS build with a server checks it', () => {
    for (const platform of ['win32', 'darwin'] as const) {
      assert.deepEqual(
        planUpdates({ settings: settings({ updateChannel: 'beta', updateInstallOnQuit: true }), platform, packaged: true }),
        {
          enabled: true,
          feedUrl: 'https://updates.example.org/ambient-scribe',
          channel: 'beta',
          pinnedVersion: null,
          installOnQuit: true,
        },
      );
    }
  });

  test('off when policy disables it, when there is no server, when unpackaged, and always on Linux', () => {
    assert.deepEqual(planUpdates({ settings: settings({ updatesDisabled: true }), platform: 'win32', packaged: true }), {
      enabled: false,
      reason: 'disabled',
    });
    assert.deepEqual(planUpdates({ settings: settings({ updateServerUrl: null }), platform: 'darwin', packaged: true }), {
      enabled: false,
      reason: 'no_server',
    });
    assert.deepEqual(planUpdates({ settings: settings(), platform: 'win32', packaged: false }), { enabled: false, reason: 'not_packaged' });
    assert.deepEqual(planUpdates({ settings: settings(), platform: 'linux', packaged: true }), {
      enabled: false,
      reason: 'platform_cannot_verify',
    });
  });
});

describe('decideOffer', () => {
  test('takes a newer version; never the same or an older one', () => {
    assert.deepEqual(decideOffer('1.3.0', '1.2.9', null), { accept: true });
    assert.deepEqual(decideOffer('1.2.9', '1.2.9', null), { accept: false, reason: 'same_version' });
    assert.deepEqual(decideOffer('1.2.8', '1.2.9', null), { accept: false, reason: 'older_version' });
    assert.deepEqual(decideOffer('1.3.0-beta.2', '1.3.0', null), { accept: false, reason: 'older_version' });
  });

  test('with a pinned version, only that version, and never below the running one', () => {
    assert.deepEqual(decideOffer('1.4.0', '1.2.0', '1.3.0'), { accept: false, reason: 'not_pinned_version' });
    assert.deepEqual(decideOffer('1.3.0', '1.2.0', '1.3.0'), { accept: true });
    assert.deepEqual(decideOffer('1.1.0', '1.2.0', '1.1.0'), { accept: false, reason: 'pinned_below_running' });
    assert.deepEqual(decideOffer('1.3.0', '1.3.0', '1.3.0'), { accept: false, reason: 'same_version' });
  });

  test('a malformed version from the server is refused, not guessed', () => {
    assert.deepEqual(decideOffer('latest', '1.2.0', null), { accept: false, reason: 'invalid_version' });
    assert.deepEqual(decideOffer('1.3', '1.2.0', null), { accept: false, reason: 'invalid_version' });
  });

  test('semantic version order, pre-releases included', () => {
    const ordered = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1',
      '1.10.0',
      '2.0.0',
    ];
    for (let i = 0; i < ordered.length - 1; i += 1) {
      assert.equal(compareVersions(ordered[i] ?? '', ordered[i + 1] ?? ''), -1, `${ordered[i]} < ${ordered[i + 1]}`);
      assert.equal(compareVersions(ordered[i + 1] ?? '', ordered[i] ?? ''), 1);
    }
    assert.equal(compareVersions('v1.2.3', '1.2.3+build.5'), 0);
  });
});

describe('installing', () => {
  test('signature checked: Windows only when our verifier ran and passed, macOS by Squirrel.Mac, Linux never', () => {
    assert.equal(signatureChecked('win32', true), true);
    assert.equal(signatureChecked('win32', false), false);
    assert.equal(signatureChecked('darwin', false), true);
    assert.equal(signatureChecked('linux', true), false);
  });

  test('never unverified, never during a recording, on quit only when policy allows', () => {
    const base = { downloaded: true, verified: true, recording: false, trigger: 'quit' as const, installOnQuit: true };
    assert.equal(decideInstall(base), 'install');
    assert.equal(decideInstall({ ...base, downloaded: false }), 'nothing_downloaded');
    assert.equal(decideInstall({ ...base, verified: false }), 'refuse_unverified');
    assert.equal(decideInstall({ ...base, recording: true }), 'wait_for_recording');
    assert.equal(decideInstall({ ...base, installOnQuit: false }), 'not_allowed');
    assert.equal(decideInstall({ ...base, installOnQuit: false, trigger: 'user' }), 'install');
    assert.equal(decideInstall({ ...base, trigger: 'user', recording: true }), 'wait_for_recording');
  });
});
