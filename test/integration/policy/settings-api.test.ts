import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { CallContext } from '../../../main/kernel/actor.js';
import { startWebBridge } from '../../../main/api/web-bridge.js';
import type { WebBridge } from '../../../main/api/web-bridge.js';
import { openScribe } from '../../../main/compose.js';
import type { Scribe } from '../../../main/compose.js';
import { nullLogger } from '../../../main/log/logger.js';
import { loadPolicyFile } from '../../../main/policy/policy-file.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { SettingsView } from '../../../shared/domain/policy.js';
import { FAST_SCRYPT, tempDir } from '../../helpers/temp-store.js';

/**
 * Locked settings through the real composition root, dispatcher and loopback web bridge: a policy
 * file on disk, a real encrypted store, requests as a renderer (or an attacker with the bridge
 * token) would send them.
 */

const POLICY = { audioMayLeaveDevice: false, transcriptionEngines: ['local'], consentRequired: true, signingRoles: ['clinician'] };

const admin: CallContext = { transport: 'ipc', actor: { id: 'it-admin', role: 'admin' } };
const clinician: CallContext = { transport: 'ipc', actor: { id: 'dr-lock', role: 'clinician' } };
const scribeUser: CallContext = { transport: 'ipc', actor: { id: 'scribe-1', role: 'scribe' } };

type Result = { ok: true; value: SettingsView } | { ok: false; error: { code: string; message: string } };

describe('settings locked by machine policy', () => {
  const tmp = tempDir('scribe-policy-api-');
  const dataDir = join(tmp.dir, 'data');
  const settingsFile = join(dataDir, 'settings.json');
  const keyProvider = createPassphraseKeyProvider('policy test passphrase', FAST_SCRYPT);
  let scribe: Scribe;
  let bridge: WebBridge;
  const changed: unknown[] = [];

  const update = async (request: unknown, ctx: CallContext = admin) => (await scribe.dispatch('settings:update', request, ctx)) as Result;
  const view = async () => {
    const result = (await scribe.dispatch('settings:get', {}, clinician)) as Result;
    assert.ok(result.ok);
    return result.value;
  };
  const auditActions = () => [...scribe.audit.entries()].map((e) => e.action);

  beforeAll(async () => {
    const policyFile = join(tmp.dir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify(POLICY));
    const policy = loadPolicyFile(policyFile, { requireAdminOwned: false });
    scribe = openScribe({ dataDir, keyProvider, mode: 'create', policy });
    scribe.events.subscribeAll((event, payload) => {
      if (event === 'settings:changed') changed.push(payload);
    });
    const staticDir = join(tmp.dir, 'renderer');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    bridge = await startWebBridge({
      dispatch: scribe.dispatch,
      events: scribe.events,
      actor: admin.actor,
      staticDir,
      packaged: false,
      logger: nullLogger,
    });
  });
  afterAll(async () => {
    await bridge.close();
    scribe.close();
    tmp.cleanup();
  });

  test('settings:get shows each value, its source, and the locks', async () => {
    const { settings, policy } = await view();
    assert.deepEqual(settings.audioMayLeaveDevice, { value: false, source: 'policy', locked: true });
    assert.deepEqual(settings.transcriptionEngines, { value: ['local'], source: 'policy', locked: true });
    assert.deepEqual(settings.audioRetentionDays, { value: 7, source: 'default', locked: false });
    assert.ok(policy.file?.endsWith('policy.json'));
    assert.deepEqual([...policy.locked].sort(), Object.keys(POLICY).sort());
  });

  test('changing a locked setting is refused with locked_by_policy, even for an administrator', async () => {
    const before = auditActions().length;
    const result = await update({ audioMayLeaveDevice: true });
    assert.deepEqual(result, {
      ok: false,
      error: {
        code: 'locked_by_policy',
        reason: 'policy.settings_locked',
        details: { settings: 'audioMayLeaveDevice' },
        message: "Your organisation's policy locks audioMayLeaveDevice. Nothing was changed.",
      },
    });
    assert.equal(existsSync(settingsFile), false, 'nothing was written');
    assert.equal(auditActions().length, before, 'nothing was audited as changed');
    assert.deepEqual((await view()).settings.audioMayLeaveDevice, { value: false, source: 'policy', locked: true });
  });

  test('a locked key smuggled in with an unlocked one refuses the whole change', async () => {
    const result = await update({ audioRetentionDays: 30, transcriptionEngines: ['local', 'openai'] });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.code, 'locked_by_policy');
    assert.equal((await view()).settings.audioRetentionDays.value, 7);
    // Even setting it to the value it already has: a lock is a lock.
    assert.equal((await update({ consentRequired: true })).ok, false);
  });

  test('crafted requests: prototype keys, look-alike names and wrong shapes are bad requests', async () => {
    const crafted = [
      JSON.parse('{"__proto__": {"audioMayLeaveDevice": true}}') as unknown,
      { constructor: { prototype: { audioMayLeaveDevice: true } } },
      { 'audioMayLeaveDevice ': true },
      { AudioMayLeaveDevice: true },
      { settings: { audioMayLeaveDevice: { value: true, source: 'user', locked: false } } },
      { audioMayLeaveDevice: 'true' },
      {},
      [],
      'audioMayLeaveDevice=true',
    ];
    for (const request of crafted) {
      const result = await update(request);
      assert.equal(result.ok, false, JSON.stringify(request));
      assert.equal(!result.ok && result.error.code, 'bad_request', JSON.stringify(request));
    }
    assert.equal((await view()).settings.audioMayLeaveDevice.value, false);
    assert.equal(({} as Record<string, unknown>)['audioMayLeaveDevice'], undefined, 'no prototype was polluted');
    assert.equal(existsSync(settingsFile), false);
  });

  test('through the web bridge, with a valid token, a locked setting is still refused', async () => {
    const post = (body: string) =>
      fetch(`${bridge.origin}/api/call/settings:update`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${bridge.token}`, 'Content-Type': 'application/json' },
        body,
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as Result }));
    const locked = await post('{"audioMayLeaveDevice": true, "signingRoles": ["clinician", "scribe"]}');
    assert.equal(locked.body.ok, false);
    assert.equal(!locked.body.ok && locked.body.error.code, 'locked_by_policy');
    const polluted = await post('{"__proto__": {"audioMayLeaveDevice": true}, "audioRetentionDays": 1}');
    assert.equal(!polluted.body.ok && polluted.body.error.code, 'bad_request');
    assert.equal((await view()).settings.audioMayLeaveDevice.value, false);
    assert.equal((await view()).settings.audioRetentionDays.value, 7);
  });

  test('the gate services ask follows the policy: cloud transcription refuses', () => {
    assert.throws(() => scribe.policy.assertEngineAllowed('transcription', 'openai', { baseUrl: 'https://api.openai.com/v1' }), {
      code: 'locked_by_policy',
    });
    assert.equal(scribe.policy.maySign('scribe'), false);
  });

  test('an unlocked setting changes, is audited, announced, written to settings.json and kept across a restart', async () => {
    const result = await update({ audioRetentionDays: 30, ehrRouting: 'hl7v2' }, clinician);
    assert.ok(result.ok);
    assert.deepEqual(result.value.settings.audioRetentionDays, { value: 30, source: 'user', locked: false });
    assert.equal(scribe.policy.retentionDays(), 30);
    assert.deepEqual(JSON.parse(readFileSync(settingsFile, 'utf8')), { audioRetentionDays: 30, ehrRouting: 'hl7v2' });
    const entry = [...scribe.audit.entries()].at(-1);
    assert.equal(entry?.action, 'settings.updated');
    assert.equal(entry?.actor, 'dr-lock');
    assert.equal(entry?.objectId, 'audioRetentionDays,ehrRouting');
    assert.deepEqual(changed.at(-1), { keys: ['audioRetentionDays', 'ehrRouting'] });

    scribe.close();
    scribe = openScribe({
      dataDir,
      keyProvider,
      mode: 'open',
      policy: loadPolicyFile(join(tmp.dir, 'policy.json'), { requireAdminOwned: false }),
    });
    assert.deepEqual((await view()).settings.audioRetentionDays, { value: 30, source: 'user', locked: false });
    assert.deepEqual((await view()).settings.audioMayLeaveDevice, { value: false, source: 'policy', locked: true });
  });

  test('a user value for a setting the policy later locks is overridden by the policy', async () => {
    writeFileSync(settingsFile, JSON.stringify({ audioMayLeaveDevice: true, audioRetentionDays: 30, notASetting: 1 }));
    scribe.close();
    scribe = openScribe({
      dataDir,
      keyProvider,
      mode: 'open',
      policy: loadPolicyFile(join(tmp.dir, 'policy.json'), { requireAdminOwned: false }),
    });
    assert.deepEqual((await view()).settings.audioMayLeaveDevice, { value: false, source: 'policy', locked: true });
    assert.equal(scribe.policy.audioMayLeaveDevice(), false);
  });

  test('scribes cannot change settings; only administrators decide who signs', async () => {
    const byScribe = await update({ audioRetentionDays: 3 }, scribeUser);
    assert.equal(!byScribe.ok && byScribe.error.code, 'forbidden');
    const unlockedPolicy = openScribe({ dataDir: join(tmp.dir, 'data-2'), keyProvider, mode: 'create' });
    try {
      const asClinician = (await unlockedPolicy.dispatch(
        'settings:update',
        { signingRoles: ['clinician', 'scribe'] },
        clinician,
      )) as Result;
      assert.equal(!asClinician.ok && asClinician.error.code, 'forbidden');
      const asAdmin = (await unlockedPolicy.dispatch('settings:update', { signingRoles: ['clinician', 'scribe'] }, admin)) as Result;
      assert.ok(asAdmin.ok);
      assert.equal(unlockedPolicy.policy.maySign('scribe'), true);
    } finally {
      unlockedPolicy.close();
    }
  });
});
