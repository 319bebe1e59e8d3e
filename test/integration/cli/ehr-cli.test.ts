/**
 * `scribe ehr schedule`, `scribe ehr patients` and `scribe ehr start [--patient]` against the sandbox EHR,
 * in process: what a user reads, the JSON a script reads, and a clear error when the EHR is down.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, test } from 'vitest';
import { runCli } from '../../../main/cli/program.js';
import { openScribe } from '../../../main/compose.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { PatientSearchResult, Schedule, StartVisitResult } from '../../../shared/domain/ehr.js';
import { SCOPE_WITH_MEDICATIONS } from '../../../main/fhir/fhir-target-config.js';
import { closedPort, startFhirSandbox, TEST_CLIENT_ID } from '../../helpers/fhir-sandbox.js';
import type { FhirSandboxFixture } from '../../helpers/fhir-sandbox.js';
import { FAST_SCRYPT, tempDir } from '../../helpers/temp-store.js';

const tmp = tempDir('scribe-ehr-cli-');
const dataDir = join(tmp.dir, 'data');
const keyFile = join(tmp.dir, 'key.json');
const PASSPHRASE = 'ehr cli test passphrase';
let fx: FhirSandboxFixture;

const configure = (fhirBaseUrl: string) => {
  const scribe = openScribe({ dataDir, keyProvider: createPassphraseKeyProvider(PASSPHRASE, FAST_SCRYPT), mode: 'open-or-create' });
  scribe.settings.update(
    { fhirBaseUrl, fhirClientId: TEST_CLIENT_ID, fhirPrivateKeyFile: keyFile, fhirScope: SCOPE_WITH_MEDICATIONS },
    { id: 'it', role: 'admin' },
  );
  scribe.close();
};

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    io: { out: (t) => out.push(t), err: (t) => err.push(t) },
    env: { SCRIBE_DATA_DIR: dataDir, SCRIBE_PASSPHRASE: PASSPHRASE, SCRIBE_USER: 'sc.cli', SCRIBE_ROLE: 'scribe' },
    untilStopped: () => new Promise(() => undefined),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  fx = await startFhirSandbox({ usCoreDir: null });
  writeFileSync(keyFile, JSON.stringify({ alg: 'ES384', privateKey: fx.key.privateKey }), { mode: 0o600 });
  configure(fx.sandbox.fhirBaseUrl);
});
afterAll(async () => {
  await fx.close();
  tmp.cleanup();
});

test("scribe ehr schedule lists today's encounters with patient, reason and visit state", async () => {
  const text = await cli(['ehr', 'schedule']);
  assert.equal(text.code, 0, text.err);
  const lines = text.out.split('\n');
  assert.match(lines[0]!, /^\d{4}-\d{2}-\d{2}: 5 encounters \(EHR, everyone\)$/);
  assert.match(
    lines[1]!,
    /^09:00 {2}Ada Fakename-Sandbox, MRN SBX-MRN-0001, born 1958-04-12 {2}Blood pressure follow-up {2}Dr\. Robin Clinician-Sandbox {2}not started {2}encounter sbx-encounter-1$/,
  );

  const started = await cli(['ehr', 'start', 'sbx-encounter-1']);
  assert.match(started.out, /^Created visit [0-9a-f-]{36}\.$/);
  const again = await cli(['ehr', 'start', 'sbx-encounter-1', '--json']);
  const { visit, created } = JSON.parse(again.out) as { visit: { id: string }; created: boolean };
  assert.equal(created, false);
  assert.equal(started.out, `Created visit ${visit.id}.`);

  const json = JSON.parse((await cli(['ehr', 'schedule', '--json'])).out) as Schedule;
  assert.equal(json.entries.length, 5);
  assert.deepEqual(json.entries[0]!.visit, { id: visit.id, state: 'not_started' });
});

test('scribe ehr patients searches by name and by MRN', async () => {
  const byName = await cli(['ehr', 'patients', '--name', 'cleo']);
  assert.equal(byName.out, 'Cleo Synthetic-Sandbox, MRN SBX-MRN-0003, born 1990-01-05  patient sbx-patient-3');
  const byMrn = JSON.parse((await cli(['ehr', 'patients', '--mrn', 'SBX-MRN-0005', '--json'])).out) as PatientSearchResult;
  assert.deepEqual(
    byMrn.patients.map((p) => p.patientId),
    ['sbx-patient-5'],
  );
  const none = await cli(['ehr', 'patients', '--name', 'zz-nobody']);
  assert.equal(none.out, 'No patients found.');
  const nothing = await cli(['ehr', 'patients']);
  assert.notEqual(nothing.code, 0, 'a search needs something to search for');
});

test('scribe ehr start --patient creates a visit from the EHR for a patient not on the schedule', async () => {
  const text = await cli(['ehr', 'start', '--patient', 'sbx-patient-5', '--reason', 'Diabetes check']);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /^Created visit [0-9a-f-]{36}\.$/);
  const json = await cli(['ehr', 'start', '--patient', 'sbx-patient-5', '--json']);
  const { visit, created, clinicalLists } = JSON.parse(json.out) as StartVisitResult;
  assert.deepEqual([created, clinicalLists], [true, { medications: 'read', problems: 'read' }]);
  assert.notEqual(text.out, `Created visit ${visit.id}.`, 'each visit for a patient is a new one');
  assert.deepEqual(
    [visit.patient.displayName, visit.patient.mrn, visit.encounterId],
    ['Esme Placeholder-Sandbox', 'SBX-MRN-0005', undefined],
  );
  assert.ok(visit.patient.medications?.includes('metformin hydrochloride 500 MG Oral Tablet'));

  for (const args of [
    ['ehr', 'start'],
    ['ehr', 'start', 'sbx-encounter-1', '--patient', 'sbx-patient-5'],
    ['ehr', 'start', 'sbx-encounter-1', '--reason', 'x'],
  ]) {
    const refused = await cli(args);
    assert.equal(refused.code, 1, args.join(' '));
    assert.match(refused.err, /^scribe: (Give an encounter id|--reason goes with --patient)/);
  }
});

test('with the EHR down: a clear message and a failing exit code', async () => {
  configure(`http://127.0.0.1:${await closedPort()}/fhir`);
  try {
    const down = await cli(['ehr', 'schedule']);
    assert.equal(down.code, 1);
    assert.match(down.err, /^scribe: EHR unreachable/);
  } finally {
    configure(fx.sandbox.fhirBaseUrl);
  }
});
