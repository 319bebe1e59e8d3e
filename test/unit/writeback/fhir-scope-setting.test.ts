import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'vitest';
import { fhirTargetFromSettings } from '../../../main/fhir/target-from-settings.js';
import { demoEhrTargets } from '../../../main/sandbox/demo-targets.js';
import { FhirTargetConfig } from '../../../main/fhir/fhir-target-config.js';
import { generateClientKeyPair } from '../../../main/fhir/client-key.js';
import { Settings, settingDefaults } from '../../../shared/domain/policy.js';
import { tempDir } from '../../helpers/temp-store.js';

const scopesOf = async (settings: Settings, dataDir: string) =>
  FhirTargetConfig.parse(await fhirTargetFromSettings(settings, demoEhrTargets(dataDir).fhir)).scope.split(' ');

test('write-back asks a real EHR only for the scopes it needs, unless IT configures more', async () => {
  const tmp = tempDir('scribe-fhir-scope-');
  try {
    const pair = await generateClientKeyPair('ES384');
    const keyFile = join(tmp.dir, 'client-key.json');
    writeFileSync(keyFile, JSON.stringify({ alg: 'ES384', privateKey: pair.privateKey }));
    const ehr: Settings = {
      ...settingDefaults,
      fhirBaseUrl: 'https://ehr.example.org/fhir/R4',
      fhirClientId: 'scribe',
      fhirPrivateKeyFile: keyFile,
    };

    const defaults = await scopesOf(ehr, tmp.dir);
    assert.ok(defaults.includes('system/DocumentReference.write'));
    assert.ok(!defaults.includes('system/MedicationRequest.read'), 'an unregistered scope can make an EHR refuse the whole token');

    const configured = await scopesOf({ ...ehr, fhirScope: 'system/*.read system/DocumentReference.write' }, tmp.dir);
    assert.deepEqual(configured, ['system/*.read', 'system/DocumentReference.write']);

    // The sandbox's demo client is registered for the medication list, so a first run shows it.
    const sandbox = await scopesOf({ ...settingDefaults }, tmp.dir);
    assert.ok(sandbox.includes('system/MedicationRequest.read'));
  } finally {
    tmp.cleanup();
  }
});

test('a scope setting that is not space-separated scope names is refused', () => {
  for (const bad of ['system/Patient.read  system/Condition.read', ' system/Patient.read', 'system/Patient.read\nx', 'a"b']) {
    assert.equal(Settings.shape.fhirScope.safeParse(bad).success, false, JSON.stringify(bad));
  }
  assert.equal(Settings.shape.fhirScope.safeParse('system/Patient.read system/Condition.read').success, true);
});
