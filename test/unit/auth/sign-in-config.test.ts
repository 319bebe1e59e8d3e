import assert from 'node:assert/strict';
import { test } from 'vitest';
import { isUsable, signInConfigFrom } from '../../../main/auth/sign-in-config.js';
import { Settings, settingDefaults } from '../../../shared/domain/policy.js';

test('sign-in needs the FHIR base URL and a sign-in client id; the base URL loses trailing slashes', () => {
  const none = signInConfigFrom(settingDefaults);
  assert.equal(isUsable(none), false);
  const config = signInConfigFrom({ ...settingDefaults, fhirBaseUrl: 'https://ehr.example.org/fhir/R4/', fhirSignInClientId: 'abc-123' });
  assert.equal(isUsable(config), true);
  assert.equal(config.fhirBaseUrl, 'https://ehr.example.org/fhir/R4');
  assert.equal(config.scope, 'openid fhirUser offline_access user/*.read user/*.write');
  assert.equal(config.launchPort, null);
});

test('the sign-in settings are checked like every other setting', () => {
  const valid = (patch: Partial<Settings>) => Settings.safeParse({ ...settingDefaults, ...patch }).success;
  assert.equal(valid({ fhirSignInScope: 'openid fhirUser launch/patient patient/*.read' }), true);
  assert.equal(valid({ fhirSignInScope: 'openid patient/*.read' }), false, 'fhirUser is needed to know who signed in');
  assert.equal(valid({ fhirSignInScope: 'openid  fhirUser' }), false);
  assert.equal(valid({ fhirSignInScope: 'openid fhirUser "quoted"' }), false);
  assert.equal(valid({ fhirSignInClientId: 'https://app.example.org/client.json' }), true);
  assert.equal(valid({ fhirSignInClientId: 'a&b=c' }), false, 'nothing that could split a form body');
  assert.equal(valid({ fhirLaunchPort: 8911 }), true);
  assert.equal(valid({ fhirLaunchPort: 80 }), false);
});
