import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { PolicyValues, Settings } from '../../../shared/domain/policy.js';
import { settingDefaults } from '../../../shared/domain/policy.js';
import { ScribeError } from '../../../main/kernel/errors.js';
import { lockedKeys, resolveEffectiveSettings, settingValues } from '../../../main/policy/effective-settings.js';
import { createPolicyGate, isUnderBaseUrl } from '../../../main/policy/policy-gate.js';

function gate(policy: PolicyValues, user: Partial<Settings> = {}) {
  const locked = new Set(lockedKeys(policy));
  return createPolicyGate({
    values: () => settingValues(resolveEffectiveSettings(settingDefaults, user, policy)),
    isLocked: (key) => locked.has(key),
  });
}

function refusal(fn: () => void): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ScribeError, 'a typed error');
    return { code: error.code, message: error.message };
  }
  assert.fail('expected a refusal');
}

describe('"audio never leaves this machine"', () => {
  const audioStays = gate({ audioMayLeaveDevice: false, transcriptionEngines: ['local', 'openai'] });

  test('cloud transcription refuses, whatever engines are allowed, with the policy named', () => {
    const cloud = refusal(() => audioStays.assertEngineAllowed('transcription', 'openai', { baseUrl: 'https://api.openai.com/v1' }));
    assert.equal(cloud.code, 'locked_by_policy');
    assert.match(cloud.message, /Audio may not leave this machine/);
    // Without a URL the engine is assumed to be remote.
    assert.equal(refusal(() => audioStays.assertEngineAllowed('transcription', 'openai')).code, 'locked_by_policy');
    assert.equal(audioStays.audioMayLeaveDevice(), false);
  });

  test('local transcription runs; an OpenAI-compatible server on this machine runs if its URL is allowed', () => {
    audioStays.assertEngineAllowed('transcription', 'local');
    const onMachine = gate({ audioMayLeaveDevice: false, openaiBaseUrls: ['http://127.0.0.1:8178/v1'] });
    onMachine.assertEngineAllowed('transcription', 'openai', { baseUrl: 'http://127.0.0.1:8178/v1' });
    assert.equal(
      refusal(() => onMachine.assertEngineAllowed('transcription', 'openai', { baseUrl: 'http://127.0.0.1:9999/v1' })).code,
      'locked_by_policy',
    );
  });

  test('drafting from the transcript is governed by draftingEngines and the URL list, not by the audio rule', () => {
    audioStays.assertEngineAllowed('drafting', 'llm', { baseUrl: 'https://api.openai.com/v1' });
    const offlineOnly = gate({ draftingEngines: ['offline'] });
    const refused = refusal(() => offlineOnly.assertEngineAllowed('drafting', 'llm', { baseUrl: 'https://api.openai.com/v1' }));
    assert.equal(refused.code, 'locked_by_policy');
    assert.match(refused.message, /drafting engine "llm" may not run/);
    offlineOnly.assertEngineAllowed('drafting', 'offline');
  });

  test("when the user (not IT) turned audio off, the refusal is 'forbidden' and says so", () => {
    const userChoice = gate({}, { audioMayLeaveDevice: false });
    const refused = refusal(() => userChoice.assertEngineAllowed('transcription', 'openai', { baseUrl: 'https://api.openai.com/v1' }));
    assert.equal(refused.code, 'forbidden');
    assert.match(refused.message, /turned off in settings/);
  });

  test('with audio allowed to leave, cloud transcription runs only against listed URLs', () => {
    const cloudOk = gate({ audioMayLeaveDevice: true, openaiBaseUrls: ['https://scribe-openai.example.org/v1'] });
    cloudOk.assertEngineAllowed('transcription', 'openai', { baseUrl: 'https://scribe-openai.example.org/v1' });
    assert.equal(
      refusal(() => cloudOk.assertEngineAllowed('transcription', 'openai', { baseUrl: 'https://api.openai.com/v1' })).code,
      'locked_by_policy',
    );
    const notListed = gate({ transcriptionEngines: ['local'] }, { audioMayLeaveDevice: true });
    assert.equal(
      refusal(() => notListed.assertEngineAllowed('transcription', 'openai', { baseUrl: 'https://api.openai.com/v1' })).code,
      'locked_by_policy',
    );
  });
});

describe('other questions services ask', () => {
  test('who may sign', () => {
    const g = gate({ signingRoles: ['clinician', 'admin'] });
    assert.equal(g.maySign('clinician'), true);
    assert.equal(g.maySign('scribe'), false);
    assert.equal(refusal(() => g.assertMaySign('scribe')).code, 'locked_by_policy');
    g.assertMaySign('admin');
    assert.equal(gate({}).maySign('admin'), false, 'by default only clinicians sign');
  });

  test('consent, retention and the web bridge follow the effective settings', () => {
    const g = gate({ consentRequired: false, audioRetentionDays: 0, webBridgeAllowed: false });
    assert.equal(g.consentRequired(), false);
    assert.equal(g.retentionDays(), 0);
    assert.equal(g.webBridgeAllowed(), false);
    assert.equal(refusal(() => g.assertWebBridgeAllowed()).code, 'locked_by_policy');
    assert.equal(gate({}).retentionDays(), 7);
  });

  test('answers change with the settings, no restart', () => {
    let user: Partial<Settings> = {};
    const g = createPolicyGate({ values: () => settingValues(resolveEffectiveSettings(settingDefaults, user, {})), isLocked: () => false });
    assert.equal(g.consentRequired(), true);
    user = { consentRequired: false };
    assert.equal(g.consentRequired(), false);
  });
});

test('isUnderBaseUrl: same origin and a path at a segment boundary', () => {
  assert.equal(isUnderBaseUrl('https://api.openai.com/v1', 'https://api.openai.com/v1/'), true);
  assert.equal(isUnderBaseUrl('https://api.openai.com/v1/audio/transcriptions', 'https://api.openai.com/v1'), true);
  assert.equal(isUnderBaseUrl('https://api.openai.com/v10', 'https://api.openai.com/v1'), false);
  assert.equal(isUnderBaseUrl('https://api.openai.com.evil.example/v1', 'https://api.openai.com/v1'), false);
  assert.equal(isUnderBaseUrl('http://api.openai.com/v1', 'https://api.openai.com/v1'), false);
  assert.equal(isUnderBaseUrl('https://api.openai.com:8443/v1', 'https://api.openai.com/v1'), false);
  assert.equal(isUnderBaseUrl('not a url', 'https://api.openai.com/v1'), false);
});
