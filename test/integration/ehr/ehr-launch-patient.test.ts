/**
 * A SMART EHR launch from a patient's chart with no encounter (ehr:openPatientVisit, what the
 * renderer calls once such a launch has signed in): it lands on that patient's unsigned visit of
 * today when there is one, and otherwise starts a new visit for them from the EHR's details, as
 * "Start a visit" from patient search does. Against the real sandbox EHR and an encrypted store.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { Scribe } from '../../../main/compose.js';
import { openScribe } from '../../../main/compose.js';
import { SANDBOX_PATIENTS } from '../../../main/sandbox/seed.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import { createVisitLifecycle } from '../../../main/visits/lifecycle.js';
import type { StartVisitResult } from '../../../shared/domain/ehr.js';
import { recordingLogger, startFhirSandbox, TEST_CLIENT_ID } from '../../helpers/fhir-sandbox.js';
import type { FhirSandboxFixture } from '../../helpers/fhir-sandbox.js';
import { FAST_SCRYPT, tempDir } from '../../helpers/temp-store.js';

const clinicianCtx = { transport: 'web', actor: { id: 'dr-launch', role: 'clinician' } } as const;
const ADA = SANDBOX_PATIENTS[0]!;
const ESME = SANDBOX_PATIENTS[4]!;

describe("an EHR launch with a patient and no encounter lands on that patient's visit", () => {
  const tmp = tempDir('scribe-ehr-launch-patient-');
  let fx: FhirSandboxFixture;
  let scribe: Scribe;

  async function call<T>(channel: string, request: unknown): Promise<T> {
    const result = await scribe.dispatch(channel, request, clinicianCtx);
    if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  }
  const visitCount = async () => (await call<{ visits: unknown[] }>('visit:list', {})).visits.length;

  beforeAll(async () => {
    fx = await startFhirSandbox();
    const keyFile = join(tmp.dir, 'fhir-client-key.json');
    writeFileSync(keyFile, JSON.stringify({ alg: fx.key.alg, privateKey: fx.key.privateKey }), { mode: 0o600 });
    scribe = openScribe({
      dataDir: join(tmp.dir, 'store'),
      keyProvider: createPassphraseKeyProvider('launch patient passphrase', FAST_SCRYPT),
      mode: 'open-or-create',
      logger: recordingLogger(),
    });
    scribe.settings.update(
      { fhirBaseUrl: fx.sandbox.fhirBaseUrl, fhirClientId: TEST_CLIENT_ID, fhirPrivateKeyFile: keyFile },
      { id: 'it-launch', role: 'admin' },
    );
  });
  afterAll(async () => {
    scribe.close();
    await fx.close();
    tmp.cleanup();
  });

  test('with no visit for the patient yet, a new one is started from the EHR’s details; the next launch opens that one', async () => {
    const before = await visitCount();
    const first = await call<StartVisitResult>('ehr:openPatientVisit', { patientId: ADA.id });
    assert.equal(first.created, true);
    assert.deepEqual(
      [first.visit.patientId, first.visit.encounterId, first.visit.patient.displayName, first.visit.patient.mrn],
      [ADA.id, undefined, `${ADA.given} ${ADA.family}`, ADA.mrn],
    );
    assert.equal(first.visit.state, 'not_started');

    const again = await call<StartVisitResult>('ehr:openPatientVisit', { patientId: ADA.id });
    assert.deepEqual([again.created, again.visit.id], [false, first.visit.id]);
    assert.equal(await visitCount(), before + 1, 'one visit, not one per launch');
  });

  test('another patient’s visit of today is not theirs: a launch for a second patient starts that patient’s own', async () => {
    const ada = await call<StartVisitResult>('ehr:openPatientVisit', { patientId: ADA.id });
    const esme = await call<StartVisitResult>('ehr:openPatientVisit', { patientId: ESME.id });
    assert.equal(esme.created, true);
    assert.notEqual(esme.visit.id, ada.visit.id);
    assert.equal(esme.visit.patient.displayName, `${ESME.given} ${ESME.family}`);
  });

  test('a visit started from patient search today (same path) is the one a launch opens', async () => {
    const patient = SANDBOX_PATIENTS[2]!;
    const searched = await call<StartVisitResult>('ehr:createVisitForPatient', { patientId: patient.id, reasonForVisit: 'Cough' });
    const launched = await call<StartVisitResult>('ehr:openPatientVisit', { patientId: patient.id });
    assert.deepEqual([launched.created, launched.visit.id, launched.visit.patient.reasonForVisit], [false, searched.visit.id, 'Cough']);
  });

  test('a signed visit is done with: the next launch for that patient starts a new visit', async () => {
    const patient = SANDBOX_PATIENTS[3]!;
    const earlier = await call<StartVisitResult>('ehr:openPatientVisit', { patientId: patient.id });
    assert.equal(createVisitLifecycle({ store: scribe.store }).transition(earlier.visit.id, 'not_started', 'signed'), true);
    const next = await call<StartVisitResult>('ehr:openPatientVisit', { patientId: patient.id });
    assert.equal(next.created, true);
    assert.notEqual(next.visit.id, earlier.visit.id);
  });

  test('a patient the EHR does not have gets no visit, and the reason is not_found', async () => {
    const before = await visitCount();
    const result = await scribe.dispatch('ehr:openPatientVisit', { patientId: 'sbx-patient-404' }, clinicianCtx);
    assert.equal(result.ok ? undefined : result.error.code, 'not_found');
    assert.equal(await visitCount(), before);
  });
});
