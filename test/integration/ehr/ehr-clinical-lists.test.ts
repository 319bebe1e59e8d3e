/**
 * A visit started from an encounter, or for a patient picked from a search, keeps the patient's
 * active medications and problem list from the real sandbox EHR, encrypted, and transcription
 * through an OpenAI-compatible engine (the loopback server) is prompted with them, never with the
 * patient's name or record number. A list the EHR will not give (a scope the client lacks, a 503,
 * no answer) never stops the visit.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, test } from 'vitest';
import { openAiAsrConfigFromEnv } from '../../../main/asr/openai-asr-config.js';
import type { Scribe } from '../../../main/compose.js';
import { openScribe } from '../../../main/compose.js';
import { createEhrConnections } from '../../../main/ehr/ehr-connection.js';
import { createEhrService } from '../../../main/ehr/ehr-service.js';
import { SANDBOX_PATIENTS } from '../../../main/sandbox/seed.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import { createVisitEncounterIndex } from '../../../main/store/visit-encounter-index.js';
import { createSqliteVisitRepository } from '../../../main/store/visit-repository.js';
import { createVisitLifecycle } from '../../../main/visits/lifecycle.js';
import { createVisitService } from '../../../main/visits/visit-service.js';
import { createEventBus } from '../../../main/kernel/event-bus.js';
import { createBackendTokenSource } from '../../../main/fhir/smart-backend-auth.js';
import { SCOPE_WITH_MEDICATIONS } from '../../../main/fhir/fhir-target-config.js';
import type { StartVisitResult } from '../../../shared/domain/ehr.js';
import type { TranscriptionStatus } from '../../../shared/domain/transcription.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { eventually, noVad, speechLike } from '../../helpers/asr-harness.js';
import { recordingLogger, startFhirSandbox } from '../../helpers/fhir-sandbox.js';
import type { FhirSandboxFixture } from '../../helpers/fhir-sandbox.js';
import type { OpenAiAudioLoopback } from '../../helpers/openai-audio-loopback.js';
import { startOpenAiAudioLoopback, verboseReply } from '../../helpers/openai-audio-loopback.js';
import { FAST_SCRYPT, tempDir } from '../../helpers/temp-store.js';
import { wavHeaderFor } from '../../helpers/wav-fixtures.js';
import { demoEhrTargets } from '../../../main/sandbox/demo-targets.js';

const clinicianCtx = { transport: 'web', actor: { id: 'dr-lists', role: 'clinician' } } as const;
const admin = { id: 'it-lists', role: 'admin' } as const;

const ADA = SANDBOX_PATIENTS[0]!;
const ESME = SANDBOX_PATIENTS[4]!;
const ADA_MEDICATIONS = [
  '24 HR metoprolol succinate 25 MG Extended Release Oral Tablet',
  'atorvastatin 20 MG Oral Tablet',
  'lisinopril 10 MG Oral Tablet',
];
const ADA_PROBLEMS = ['Essential hypertension', 'Hyperlipidemia'];
const ESME_PROBLEMS = ['Essential hypertension', 'Type 2 diabetes mellitus'];

/** Every byte the store keeps on disk: the database, its WAL and anything beside it. */
function storeBytes(dir: string): Buffer {
  return Buffer.concat(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => readFileSync(join(e.parentPath, e.name))),
  );
}

const sorted = (items: readonly string[] | undefined) => [...(items ?? [])].sort();

/** Fault rolls in order; the sandbox rolls only while a fault rate is above zero, once per FHIR request. */
const rolls: number[] = [];

describe("the patient's medications and problem list from the EHR", () => {
  const tmp = tempDir('scribe-ehr-lists-');
  const storeDir = join(tmp.dir, 'store');
  const keyFile = join(tmp.dir, 'fhir-client-key.json');
  const logger = recordingLogger();
  let fx: FhirSandboxFixture;
  let asr: OpenAiAudioLoopback;
  let scribe: Scribe;

  async function call<T>(channel: string, request: unknown): Promise<T> {
    const result = await scribe.dispatch(channel, request, clinicianCtx);
    if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  }

  beforeAll(async () => {
    fx = await startFhirSandbox({ random: () => rolls.shift() ?? 0.999 });
    writeFileSync(keyFile, JSON.stringify({ alg: 'ES384', privateKey: fx.key.privateKey }), { mode: 0o600 });
    asr = await startOpenAiAudioLoopback((request) => {
      const text = ' Keep taking the lisinopril and the metoprolol every morning.';
      return { body: request.fields['response_format']?.[0] === 'verbose_json' ? verboseReply([{ start: 0, end: 3, text }]) : { text } };
    });
    scribe = openScribe({
      dataDir: storeDir,
      keyProvider: createPassphraseKeyProvider('clinical lists passphrase', FAST_SCRYPT),
      mode: 'open-or-create',
      logger,
      vad: noVad,
      transcription: { openaiConfig: () => openAiAsrConfigFromEnv({ SCRIBE_ASR_BASE_URL: asr.baseUrl, SCRIBE_ASR_MAX_RETRIES: '0' }) },
    });
    scribe.settings.update(
      {
        fhirBaseUrl: fx.sandbox.fhirBaseUrl,
        fhirClientId: 'test-backend',
        fhirPrivateKeyFile: keyFile,
        fhirScope: SCOPE_WITH_MEDICATIONS,
        openaiBaseUrls: [asr.baseUrl],
      },
      admin,
    );
  });
  afterEach(() => {
    fx.sandbox.faults.reset();
    rolls.length = 0;
  });
  afterAll(async () => {
    scribe.close();
    await asr.close();
    await fx.close();
    tmp.cleanup();
  });

  test('a visit started from an encounter keeps the active lists, encrypted at rest; stopped and resolved entries are left out', async () => {
    const started = await call<StartVisitResult>('ehr:startVisit', { encounterId: 'sbx-encounter-1' });
    assert.equal(started.created, true);
    assert.deepEqual(started.clinicalLists, { medications: 'read', problems: 'read' });

    const visit = await call<Visit>('visit:get', { id: started.visit.id });
    assert.deepEqual(sorted(visit.patient.medications), ADA_MEDICATIONS, 'the stopped amlodipine is not on the list');
    assert.deepEqual(sorted(visit.patient.problems), ADA_PROBLEMS, 'the resolved bronchitis is not on the list');
    assert.equal(visit.patient.reasonForVisit, 'Blood pressure follow-up');

    const disk = storeBytes(storeDir);
    assert.ok(disk.includes(Buffer.from('patient_context')), 'the store files were read (the schema is plaintext)');
    for (const word of ['lisinopril', 'metoprolol', 'atorvastatin', 'Hyperlipidemia', 'Essential hypertension', ADA.family]) {
      assert.ok(!disk.includes(Buffer.from(word)), `"${word}" is not on disk in plaintext`);
    }
    // Opening it again reads nothing from the EHR and says nothing about the lists.
    const again = await call<StartVisitResult>('ehr:startVisit', { encounterId: 'sbx-encounter-1' });
    assert.deepEqual([again.created, again.clinicalLists], [false, undefined]);
  });

  test("transcription is prompted with the visit's medications and problems, never the patient's name or MRN", async () => {
    const { visit } = await call<StartVisitResult>('ehr:startVisit', { encounterId: 'sbx-encounter-1' });
    await call('visit:recordConsent', { visitId: visit.id, method: 'verbal' });
    const samples = speechLike(3);
    const wav = join(tmp.dir, 'visit.wav');
    writeFileSync(
      wav,
      Buffer.concat([
        wavHeaderFor({ sampleRate: 16_000, channels: 1, encoding: 'pcm16' }, samples.length),
        Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength),
      ]),
    );
    await scribe.capture.importFile(visit.id, wav, clinicianCtx.actor);

    const before = asr.requests.length;
    await call('visit:transcribe', { visitId: visit.id, engine: 'openai' });
    let status: TranscriptionStatus | undefined;
    await eventually(
      async () => {
        status = await call<TranscriptionStatus>('transcription:status', { visitId: visit.id });
        return status.state !== 'running';
      },
      20_000,
      'transcription to end',
    );
    assert.equal(status?.state, 'finished');
    const uploads = asr.requests.slice(before);
    assert.ok(uploads.length > 0, 'audio went to the engine');
    for (const upload of uploads) {
      const prompt = upload.fields['prompt']?.[0] ?? '';
      for (const word of [
        ...ADA_MEDICATIONS.map((m) => m.split(' ').find((w) => /^[a-z]{6,}$/.test(w))!),
        ...ADA_PROBLEMS,
        'Blood pressure follow-up',
      ]) {
        assert.ok(prompt.includes(word), `the prompt names ${word}`);
      }
      for (const secret of [ADA.given, ADA.family, ADA.mrn, ADA.id, ADA.birthDate, 'sbx-encounter-1']) {
        assert.ok(!prompt.includes(secret), 'no name, record number, id or birth date in the prompt');
      }
    }
    const logged = logger.lines.join('\n') + JSON.stringify([...scribe.audit.entries()]);
    for (const word of ['lisinopril', 'metoprolol', 'Hyperlipidemia', ADA.family, ADA.mrn])
      assert.ok(!logged.includes(word), `"${word}" is not in the log or audit log`);
  });

  test('a clinician token without medication access starts the visit with the problem list only, and says so', async () => {
    const repository = createSqliteVisitRepository(scribe.store);
    const encounters = createVisitEncounterIndex(scribe.store);
    const visits = createVisitService({
      store: scribe.store,
      visits: repository,
      lifecycle: createVisitLifecycle({ store: scribe.store }),
      audit: scribe.audit,
      events: createEventBus(),
      encounters,
    });
    // Stands in for a SMART session whose scopes leave out MedicationRequest.
    const tokens = createBackendTokenSource({
      ...fx.config(),
      signingAlg: 'ES384',
      scope: 'system/Encounter.read system/Patient.read system/Condition.read',
      requestTimeoutMs: 5_000,
    });
    const connections = createEhrConnections({
      settings: () => ({ ...scribe.settings.values(), fhirBaseUrl: fx.sandbox.fhirBaseUrl }),
      defaultTarget: undefined,
      auth: { actor: () => ({ id: 'sbx-practitioner-2', role: 'clinician' }), tokens },
    });
    const ehrLogger = recordingLogger();
    const ehr = createEhrService({
      connection: () => connections.current(),
      visits,
      visitRepository: repository,
      encounters,
      audit: scribe.audit,
      clock: { now: () => new Date() },
      logger: ehrLogger,
    });
    const started = await ehr.startVisit('sbx-encounter-5', { id: 'sbx-practitioner-2', role: 'clinician' });
    assert.equal(started.created, true);
    assert.deepEqual(started.clinicalLists, { medications: 'unavailable', problems: 'read' });
    const visit = await call<Visit>('visit:get', { id: started.visit.id });
    assert.equal(visit.patient.medications, undefined);
    assert.deepEqual(sorted(visit.patient.problems), ESME_PROBLEMS);
    assert.equal(visit.patient.displayName, `${ESME.given} ${ESME.family}`);
    const line = ehrLogger.lines.find((l) => l.includes('ehr.clinical_lists_unavailable'));
    assert.ok(line, 'the missing list is logged');
    assert.deepEqual(JSON.parse(line) as unknown, {
      level: 'info',
      event: 'ehr.clinical_lists_unavailable',
      medications: 'unauthorized',
      problems: 'read',
      medicationsStatus: 403,
    });
  });

  test('an EHR failing the list reads (503) still starts the visit, without lists, and says so', async () => {
    fx.sandbox.faults.update({ errorRate: 0.5, errorStatus: 503 });
    // The encounter and patient reads pass; both list reads fail.
    rolls.push(0.999, 0.999, 0, 0);
    const started = await call<StartVisitResult>('ehr:startVisit', { encounterId: 'sbx-encounter-3' });
    assert.equal(started.created, true);
    assert.deepEqual(started.clinicalLists, { medications: 'unavailable', problems: 'unavailable' });
    assert.equal(started.visit.patient.reasonForVisit, 'Annual physical');
    assert.deepEqual([started.visit.patient.medications, started.visit.patient.problems], [undefined, undefined]);
    assert.ok(logger.lines.some((l) => l.includes('"event":"ehr.clinical_lists_unavailable"') && l.includes('"medicationsStatus":503')));
  });

  test('an EHR that never answers the list reads starts the visit once their time is up', async () => {
    const repository = createSqliteVisitRepository(scribe.store);
    const encounters = createVisitEncounterIndex(scribe.store);
    const visits = createVisitService({
      store: scribe.store,
      visits: repository,
      lifecycle: createVisitLifecycle({ store: scribe.store }),
      audit: scribe.audit,
      events: createEventBus(),
      encounters,
    });
    // Nobody signed in: the workstation's backend client from the settings, as ehr:startVisit uses.
    const unused = createBackendTokenSource({ ...fx.config(), signingAlg: 'ES384', scope: 'system/Patient.read', requestTimeoutMs: 5_000 });
    const connections = createEhrConnections({
      settings: () => scribe.settings.values(),
      defaultTarget: demoEhrTargets(tmp.dir).fhir,
      auth: { actor: () => undefined, tokens: unused },
    });
    const ehr = createEhrService({
      connection: () => connections.current(),
      visits,
      visitRepository: repository,
      encounters,
      audit: scribe.audit,
      clock: { now: () => new Date() },
      logger: recordingLogger(),
      clinicalListsTimeoutMs: 600,
    });
    fx.sandbox.faults.update({ timeoutRate: 0.5, hangMs: 60_000 });
    rolls.push(0.999, 0.999, 0, 0);
    const startedAt = performance.now();
    const started = await ehr.startVisit('sbx-encounter-4', clinicianCtx.actor);
    const ms = performance.now() - startedAt;
    assert.deepEqual([started.created, started.clinicalLists], [true, { medications: 'unavailable', problems: 'unavailable' }]);
    assert.ok(ms < 5_000, `started in ${Math.round(ms)} ms`);
  });

  test("a visit for a patient picked from a search takes name, MRN and lists from the EHR, never the caller's", async () => {
    // A client that sends its own details for the patient: the call does not take them.
    const request = {
      patientId: ESME.id,
      reasonForVisit: '  Diabetes check  ',
      patient: { displayName: 'Someone Else', mrn: 'WRONG-MRN' },
      displayName: 'Someone Else',
      mrn: 'WRONG-MRN',
    };
    const first = await call<StartVisitResult>('ehr:createVisitForPatient', request);
    assert.equal(first.created, true);
    assert.deepEqual(first.clinicalLists, { medications: 'read', problems: 'read' });
    const visit = await call<Visit>('visit:get', { id: first.visit.id });
    assert.equal(visit.patientId, ESME.id);
    assert.equal(visit.encounterId, undefined, 'not tied to an encounter');
    assert.deepEqual(
      [visit.patient.displayName, visit.patient.mrn, visit.patient.birthDate, visit.patient.reasonForVisit],
      [`${ESME.given} ${ESME.family}`, ESME.mrn, ESME.birthDate, 'Diabetes check'],
    );
    assert.deepEqual(sorted(visit.patient.medications), [
      'insulin glargine 100 UNT/ML Injectable Solution',
      'lisinopril 10 MG Oral Tablet',
      'metformin hydrochloride 500 MG Oral Tablet',
    ]);
    assert.deepEqual(sorted(visit.patient.problems), ESME_PROBLEMS);
    // Without an encounter nothing makes two picks the same visit: each creates one.
    const second = await call<StartVisitResult>('ehr:createVisitForPatient', { patientId: ESME.id });
    assert.equal(second.created, true);
    assert.notEqual(second.visit.id, first.visit.id);
    assert.equal(second.visit.patient.reasonForVisit, undefined);
    const logged = logger.lines.join('\n') + JSON.stringify([...scribe.audit.entries()]);
    for (const word of ['metformin', ESME.family, ESME.mrn]) assert.ok(!logged.includes(word), `"${word}" is not in the log or audit log`);
  });

  test('an EHR failing the list reads (503) still creates the visit for a searched patient, without lists, and says so', async () => {
    fx.sandbox.faults.update({ errorRate: 0.5, errorStatus: 503 });
    // The patient read passes; both list reads fail.
    rolls.push(0.999, 0, 0);
    const started = await call<StartVisitResult>('ehr:createVisitForPatient', { patientId: ADA.id });
    assert.deepEqual([started.created, started.clinicalLists], [true, { medications: 'unavailable', problems: 'unavailable' }]);
    assert.deepEqual([started.visit.patient.displayName, started.visit.patient.mrn], [`${ADA.given} ${ADA.family}`, ADA.mrn]);
    assert.deepEqual([started.visit.patient.medications, started.visit.patient.problems], [undefined, undefined]);
  });

  test('a patient the EHR does not have gets no visit', async () => {
    const before = (await call<{ visits: unknown[] }>('visit:list', {})).visits.length;
    const result = await scribe.dispatch('ehr:createVisitForPatient', { patientId: 'sbx-patient-404' }, clinicianCtx);
    assert.equal(result.ok, false);
    assert.equal(result.ok ? undefined : result.error.code, 'not_found');
    assert.equal((await call<{ visits: unknown[] }>('visit:list', {})).visits.length, before);
  });
});
