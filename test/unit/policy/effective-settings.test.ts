import assert from 'node:assert/strict';
import { test } from 'vitest';
import { settingDefaults, settingKeys } from '../../../shared/domain/policy.js';
import { lockedKeys, resolveEffectiveSettings, settingValues } from '../../../main/policy/effective-settings.js';

test('policy beats user beats default; only policy locks', () => {
  const effective = resolveEffectiveSettings(
    settingDefaults,
    { audioRetentionDays: 30, consentRequired: false, ehrRouting: 'hl7v2' },
    { consentRequired: true, audioMayLeaveDevice: false },
  );
  assert.deepEqual(effective.audioRetentionDays, { value: 30, source: 'user', locked: false });
  assert.deepEqual(effective.consentRequired, { value: true, source: 'policy', locked: true });
  // Locked even though the policy's value is the default: IT meant it to stay.
  assert.deepEqual(effective.audioMayLeaveDevice, { value: false, source: 'policy', locked: true });
  assert.deepEqual(effective.ehrRouting, { value: 'hl7v2', source: 'user', locked: false });
  assert.deepEqual(effective.mllpPort, { value: 2575, source: 'default', locked: false });
  assert.deepEqual(Object.keys(effective).sort(), [...settingKeys].sort());
  assert.equal(settingValues(effective).consentRequired, true);
});

test('null in a policy is a value (e.g. "no FHIR endpoint"), and it is locked', () => {
  const effective = resolveEffectiveSettings(settingDefaults, { fhirBaseUrl: 'https://ehr.example.org/fhir' }, { fhirBaseUrl: null });
  assert.deepEqual(effective.fhirBaseUrl, { value: null, source: 'policy', locked: true });
  assert.deepEqual(lockedKeys({ fhirBaseUrl: null, consentRequired: true }), ['fhirBaseUrl', 'consentRequired']);
});

test('the defaults are private: audio stays, consent is asked, clinicians sign, nothing updates without a server', () => {
  assert.equal(settingDefaults.audioMayLeaveDevice, false);
  assert.equal(settingDefaults.consentRequired, true);
  assert.deepEqual(settingDefaults.signingRoles, ['clinician']);
  assert.equal(settingDefaults.updateServerUrl, null);
  assert.equal(settingDefaults.updateInstallOnQuit, false);
});
