/**
 * Today's schedule, patient search and starting a visit from an encounter, against the real sandbox
 * EHR on 127.0.0.1 (and a tiny misbehaving FHIR server for malformed answers), through the API
 * dispatcher with a real encrypted store.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, test } from 'vitest';
import type { Scribe } from '../../../main/compose.js';
import { openScribe } from '../../../main/compose.js';
import { createEhrConnections } from '../../../main/ehr/ehr-connection.js';
import { createEhrService } from '../../../main/ehr/ehr-service.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import { createVisitEncounterIndex } from '../../../main/store/visit-encounter-index.js';
import { createSqliteVisitRepository } from '../../../main/store/visit-repository.js';
import { createVisitLifecycle } from '../../../main/visits/lifecycle.js';
import { createVisitService } from '../../../main/visits/visit-service.js';
import { createBackendTokenSource } from '../../../main/fhir/smart-backend-auth.js';
import { createEventBus } from '../../../main/kernel/event-bus.js';
import { SANDBOX_PATIENTS } from '../../../main/sandbox/seed.js';
import type { PatientSearchResult, Schedule } from '../../../shared/domain/ehr.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { closedPort, recordingLogger, startFhirSandbox } from '../../helpers/fhir-sandbox.js';
import type { FhirSandboxFixture } from '../../helpers/fhir-sandbox.js';
import { FAST_SCRYPT, tempDir } from '../../helpers/temp-store.js';
import type { ApiError } from '../../../shared/api/errors.js';
import { ApiCallError } from '../../../shared/api/errors.js';

const scribeUser = { transport: 'web', actor: { id: 'sc-ehr', role: 'scribe' } } as const;
const admin = { id: 'it-ehr', role: 'admin' } as const;
type CallError = ApiCallError;

describe('EHR schedule and patient search against the sandbox EHR', () => {
  const tmp = tempDir('scribe-ehr-');
  const logger = recordingLogger();
  const keyFile = join(tmp.dir, 'fhir-client-key.json');
  let fx: FhirSandboxFixture;
  let scribe: Scribe;

  async function call<T>(channel: string, request: unknown): Promise<T> {
    const result = await scribe.dispatch(channel, request, scribeUser);
    if (!result.ok) throw new ApiCallError(result.error);
    return result.value as T;
  }
  const failure = async (channel: string, request: unknown): Promise<CallError> => {
    const error = await call(channel, request).then(
      () => undefined,
      (e: unknown) => e as CallError,
    );
    assert.ok(error, `${channel} should have failed`);
    return error;
  };
  const pointAt = (fhirBaseUrl: string) =>
    scribe.settings.update({ fhirBaseUrl, fhirClientId: 'test-backend', fhirPrivateKeyFile: keyFile }, admin);

  beforeAll(async () => {
    fx = await startFhirSandbox();
    writeFileSync(keyFile, JSON.stringify({ alg: 'ES384', privateKey: fx.key.privateKey }), { mode: 0o600 });
    scribe = openScribe({
      dataDir: join(tmp.dir, 'store'),
      keyProvider: createPassphraseKeyProvider('ehr test passphrase', FAST_SCRYPT),
      mode: 'open-or-create',
      logger,
    });
    pointAt(fx.sandbox.fhirBaseUrl);
  });
  afterEach(() => {
    fx.sandbox.faults.reset();
    pointAt(fx.sandbox.fhirBaseUrl);
  });
  afterAll(async () => {
    scribe.close();
    await fx.close();
    tmp.cleanup();
  });

  test("today's seeded encounters come back in time order with their patients' names, MRNs and reasons", async () => {
    const schedule = await call<Schedule>('ehr:schedule', {});
    assert.equal(schedule.source, 'configured');
    assert.equal(schedule.scope, 'everyone', 'nobody is signed in with SMART: the whole clinic day');
    assert.equal(schedule.truncated, false);
    const now = new Date();
    const pad = (n: number) => String(n).padStart(2, '0');
    assert.equal(schedule.date, `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`);
    assert.equal(schedule.entries.length, SANDBOX_PATIENTS.length);
    assert.deepEqual(
      schedule.entries.map((e) => e.patient.displayName),
      SANDBOX_PATIENTS.map((p) => `${p.given} ${p.family}`),
    );
    const first = schedule.entries[0]!;
    assert.deepEqual(first.patient, {
      patientId: 'sbx-patient-1',
      displayName: 'Ada Fakename-Sandbox',
      birthDate: '1958-04-12',
      mrn: 'SBX-MRN-0001',
      sex: 'female',
    });
    assert.equal(first.reason, 'Blood pressure follow-up');
    assert.equal(first.practitioner, 'Dr. Robin Clinician-Sandbox');
    assert.equal(new Date(first.start!).getHours(), 9, 'the sandbox day starts at 09:00 local time');
    assert.ok(schedule.entries.every((e, i) => i === 0 || e.start! > schedule.entries[i - 1]!.start!));
    assert.ok(
      schedule.entries.every((e) => e.visit === undefined),
      'no visit started yet',
    );
  });

  test('patient search finds patients by name words, by MRN, and by name with birth date', async () => {
    const byName = await call<PatientSearchResult>('ehr:patientSearch', { text: 'fakename' });
    assert.deepEqual(
      byName.patients.map((p) => p.patientId),
      ['sbx-patient-1'],
    );
    const twoWords = await call<PatientSearchResult>('ehr:patientSearch', { text: 'Bram Notreal' });
    assert.deepEqual(
      twoWords.patients.map((p) => p.displayName),
      ['Bram Notreal-Sandbox'],
    );
    const byMrn = await call<PatientSearchResult>('ehr:patientSearch', { text: 'SBX-MRN-0003' });
    assert.deepEqual(
      byMrn.patients.map((p) => [p.patientId, p.mrn]),
      [['sbx-patient-3', 'SBX-MRN-0003']],
    );
    const mrnField = await call<PatientSearchResult>('ehr:patientSearch', { mrn: 'SBX-MRN-0004' });
    assert.deepEqual(
      mrnField.patients.map((p) => p.patientId),
      ['sbx-patient-4'],
    );
    const everyone = await call<PatientSearchResult>('ehr:patientSearch', { name: 'sandbox' });
    assert.equal(everyone.patients.length, SANDBOX_PATIENTS.length);
    const withBirthDate = await call<PatientSearchResult>('ehr:patientSearch', { name: 'sandbox', birthDate: '1990-01-05' });
    assert.deepEqual(
      withBirthDate.patients.map((p) => p.patientId),
      ['sbx-patient-3'],
    );
    const none = await call<PatientSearchResult>('ehr:patientSearch', { text: 'Nobodyhere' });
    assert.deepEqual(none, { patients: [], truncated: false });
    const empty = await failure('ehr:patientSearch', {});
    assert.equal(empty.code, 'bad_request');
  });

  test('starting an encounter twice opens the same visit, filled from the EHR, and the schedule shows its state', async () => {
    const first = await call<{ visit: Visit; created: boolean }>('ehr:startVisit', { encounterId: 'sbx-encounter-2' });
    assert.equal(first.created, true);
    assert.deepEqual(first.visit.patient, {
      displayName: 'Bram Notreal-Sandbox',
      mrn: 'SBX-MRN-0002',
      birthDate: '1971-09-30',
      sex: 'male',
      reasonForVisit: 'Cough for two weeks',
      clinician: 'Dr. Kai Physician-Sandbox',
      scheduledAt: first.visit.patient.scheduledAt,
    });
    assert.ok(first.visit.patient.scheduledAt, 'the encounter’s scheduled start is kept with the visit');
    assert.equal(first.visit.patientId, 'sbx-patient-2');
    assert.equal(first.visit.encounterId, 'sbx-encounter-2');
    const again = await call<{ visit: Visit; created: boolean }>('ehr:startVisit', { encounterId: 'sbx-encounter-2' });
    assert.equal(again.created, false);
    assert.equal(again.visit.id, first.visit.id);
    // The same encounter typed by hand opens the same visit too; with another patient it is refused.
    const byHand = await call<Visit>('visit:create', { patientId: 'sbx-patient-2', encounterId: 'sbx-encounter-2' });
    assert.equal(byHand.id, first.visit.id);
    const mixedUp = await failure('visit:create', { patientId: 'sbx-patient-5', encounterId: 'sbx-encounter-2' });
    assert.equal(mixedUp.code, 'conflict');
    const both = await Promise.all([
      call<{ visit: Visit }>('ehr:startVisit', { encounterId: 'sbx-encounter-3' }),
      call<{ visit: Visit }>('ehr:startVisit', { encounterId: 'sbx-encounter-3' }),
    ]);
    assert.equal(both[0].visit.id, both[1].visit.id, 'two clicks at once make one visit');
    const { visits } = await call<{
      visits: { encounterId?: string; reasonForVisit?: string; clinician?: string; scheduledAt?: string }[];
    }>('visit:list', {});
    // The list tells this visit apart from the patient's others: its reason, clinician and scheduled time.
    const listed = visits.find((v) => v.encounterId === 'sbx-encounter-2');
    assert.deepEqual(
      [listed?.reasonForVisit, listed?.clinician, listed?.scheduledAt],
      ['Cough for two weeks', 'Dr. Kai Physician-Sandbox', first.visit.patient.scheduledAt],
    );
    assert.equal(visits.filter((v) => v.encounterId === 'sbx-encounter-2').length, 1);
    assert.equal(visits.filter((v) => v.encounterId === 'sbx-encounter-3').length, 1);

    const schedule = await call<Schedule>('ehr:schedule', {});
    const row = schedule.entries.find((e) => e.encounterId === 'sbx-encounter-2');
    assert.deepEqual(row?.visit, { id: first.visit.id, state: 'not_started' });
    assert.equal(first.visit.patient.scheduledAt, row?.start);
    // Already started: opening it needs no EHR, so it works while the EHR is failing.
    fx.sandbox.faults.update({ errorRate: 1, errorStatus: 503 });
    const offline = await call<{ visit: Visit; created: boolean }>('ehr:startVisit', { encounterId: 'sbx-encounter-2' });
    assert.equal(offline.visit.id, first.visit.id);
  });

  test('an unknown encounter is not found, and creates nothing', async () => {
    const before = (await call<{ visits: unknown[] }>('visit:list', {})).visits.length;
    const missing = await failure('ehr:startVisit', { encounterId: 'sbx-encounter-404' });
    assert.equal(missing.code, 'not_found');
    assert.equal(missing.reason, 'ehr.not_found');
    assert.equal((await call<{ visits: unknown[] }>('visit:list', {})).visits.length, before);
  });

  test('an EHR failing with 5xx gives a clear error, and a visit can still be created by hand', async () => {
    fx.sandbox.faults.update({ errorRate: 1, errorStatus: 503 });
    const error = await failure('ehr:schedule', {});
    assert.equal(error.code, 'unavailable');
    assert.equal(error.reason, 'ehr.server_error');
    assert.deepEqual(error.details, { status: 503 });
    assert.match(error.message, /create a visit by hand/);
    const search = await failure('ehr:patientSearch', { text: 'Ada' });
    assert.equal(search.reason, 'ehr.server_error');
    assert.deepEqual(search.details, { status: 503 });
    const manual = await call<Visit>('visit:create', { patientId: 'manual-1', patient: { displayName: 'Typed By Hand' } });
    assert.equal(manual.state, 'not_started');
  });

  test('an EHR that is down gives "EHR unreachable"', async () => {
    pointAt(`http://127.0.0.1:${await closedPort()}/fhir`);
    const error = await failure('ehr:schedule', {});
    assert.equal(error.code, 'unavailable');
    assert.equal(error.reason, 'ehr.unreachable');
    assert.match(error.message, /^EHR unreachable/);
    const start = await failure('ehr:startVisit', { encounterId: 'sbx-encounter-5' });
    assert.equal(start.reason, 'ehr.unreachable');
  });

  test('a visit from before the encounter index is found once the store opens again', async () => {
    const dir = tempDir('scribe-ehr-backfill-');
    const open = () =>
      openScribe({
        dataDir: dir.dir,
        keyProvider: createPassphraseKeyProvider('backfill passphrase', FAST_SCRYPT),
        mode: 'open-or-create',
      });
    let s = open();
    try {
      const created = await s.dispatch('visit:create', { patientId: 'sbx-patient-1', encounterId: 'sbx-encounter-1' }, scribeUser);
      assert.ok(created.ok);
      // As a store written before migration 007 looks: the encounter is there, its key is not.
      s.store.db.prepare('UPDATE visits SET encounter_key = NULL').run();
      s.close();
      s = open();
      const again = await s.dispatch('ehr:startVisit', { encounterId: 'sbx-encounter-1' }, scribeUser);
      assert.ok(again.ok);
      const value = again.value as { visit: Visit; created: boolean };
      assert.deepEqual([value.visit.id, value.created], [(created.value as Visit).id, false]);
    } finally {
      s.close();
      dir.cleanup();
    }
  });

  test('PHI never reaches the log; the audit log records who looked and how many results, never the terms', () => {
    const logged = logger.lines.join('\n');
    for (const p of SANDBOX_PATIENTS) {
      assert.ok(!logged.includes(p.family), 'no patient name in the log');
      assert.ok(!logged.includes(p.mrn), 'no MRN in the log');
    }
    assert.ok(!logged.includes('fakename') && !logged.includes('Nobodyhere'), 'no search term in the log');
    const entries = [...scribe.audit.entries()];
    const looks = entries.filter((e) => e.action === 'ehr.schedule_viewed' || e.action === 'ehr.patients_searched');
    assert.ok(
      looks.some((e) => e.action === 'ehr.schedule_viewed' && e.objectId === `count:${SANDBOX_PATIENTS.length}` && e.actor === 'sc-ehr'),
    );
    assert.ok(looks.some((e) => e.action === 'ehr.patients_searched' && e.objectId === 'count:0'));
    const audited = JSON.stringify(entries);
    assert.ok(!/fakename|Notreal|SBX-MRN|Nobodyhere/i.test(audited), 'no names, MRNs or terms in the audit log');
    assert.equal(scribe.audit.verify().ok, true);
  });
});

describe("a signed-in clinician's schedule", () => {
  test('lists only the encounters where they are a participant, unless everyone is asked for', async () => {
    const fx = await startFhirSandbox();
    const tmp = tempDir('scribe-ehr-mine-');
    const scribe = openScribe({
      dataDir: tmp.dir,
      keyProvider: createPassphraseKeyProvider('mine passphrase', FAST_SCRYPT),
      mode: 'open-or-create',
    });
    try {
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
      // The clinician's SMART token stands in as a token with read access (the sandbox grants user/*.read the same way).
      const tokens = createBackendTokenSource({ ...fx.config(), signingAlg: 'ES384', scope: 'system/*.read', requestTimeoutMs: 5_000 });
      const connections = createEhrConnections({
        settings: () => ({ ...scribe.settings.values(), fhirBaseUrl: fx.sandbox.fhirBaseUrl }),
        defaultTarget: undefined,
        // Signed in with the EHR as a Practitioner: the EHR vouches for who they are (a scribe would have no practitioner).
        auth: {
          actor: () => ({
            id: 'sbx-practitioner-1',
            role: 'clinician',
            practitioner: { id: 'sbx-practitioner-1', vouchedBy: 'ehr-sign-in' },
          }),
          tokens,
        },
      });
      const ehr = createEhrService({
        connection: () => connections.current(),
        visits,
        visitRepository: repository,
        encounters,
        audit: scribe.audit,
        clock: { now: () => new Date() },
        logger: recordingLogger(),
      });
      const actor = { id: 'sbx-practitioner-1', role: 'clinician' } as const;
      const mine = await ehr.schedule({ everyone: false }, actor);
      assert.equal(mine.scope, 'mine');
      assert.deepEqual(
        mine.entries.map((e) => e.encounterId),
        ['sbx-encounter-1', 'sbx-encounter-4'],
      );
      assert.ok(mine.entries.every((e) => e.practitioner === 'Dr. Robin Clinician-Sandbox'));
      const all = await ehr.schedule({ everyone: true }, actor);
      assert.equal(all.scope, 'everyone');
      assert.equal(all.entries.length, SANDBOX_PATIENTS.length);
    } finally {
      scribe.close();
      await fx.close();
      tmp.cleanup();
    }
  });
});

/** A FHIR server that hands out tokens and then answers every FHIR GET with `reply`. */
async function tinyFhirServer(reply: () => { status: number; body: string }): Promise<{ baseUrl: string; server: Server }> {
  const server = createServer((req, res) => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (req.url === '/fhir/.well-known/smart-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token_endpoint: `${origin}/token` }));
    } else if (req.url === '/token') {
      req.resume();
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ access_token: 'tiny-token', token_type: 'Bearer', expires_in: 300 }));
    } else {
      const { status, body } = reply();
      res.writeHead(status, { 'content-type': 'application/fhir+json' }).end(body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`, server };
}

describe('an EHR sending answers that are not the FHIR asked for', () => {
  test('a malformed Bundle, an OperationOutcome, HTML and a 500 each give a typed error', async () => {
    const tmp = tempDir('scribe-ehr-malformed-');
    const fx = await startFhirSandbox();
    const keyFile = join(tmp.dir, 'key.json');
    writeFileSync(keyFile, JSON.stringify({ alg: 'ES384', privateKey: fx.key.privateKey }), { mode: 0o600 });
    await fx.close();
    let next = { status: 200, body: '{}' };
    const tiny = await tinyFhirServer(() => next);
    const scribe = openScribe({
      dataDir: join(tmp.dir, 'store'),
      keyProvider: createPassphraseKeyProvider('malformed passphrase', FAST_SCRYPT),
      mode: 'open-or-create',
    });
    try {
      scribe.settings.update({ fhirBaseUrl: tiny.baseUrl, fhirClientId: 'tiny', fhirPrivateKeyFile: keyFile }, admin);
      const schedule = async () => {
        const result = await scribe.dispatch('ehr:schedule', {}, scribeUser);
        assert.equal(result.ok, false);
        return (result as { error: ApiError }).error;
      };
      next = {
        status: 200,
        body: JSON.stringify({
          resourceType: 'Bundle',
          type: 'searchset',
          entry: [{ resource: { resourceType: 'Encounter', subject: { reference: 'Patient/p1' } } }],
        }),
      };
      const malformed = await schedule();
      assert.equal(malformed.code, 'unavailable');
      assert.equal(malformed.reason, 'ehr.bad_response');
      next = {
        status: 200,
        body: JSON.stringify({
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'error', code: 'processing', diagnostics: 'Ada Fakename-Sandbox' }],
        }),
      };
      const outcome = await schedule();
      assert.equal(outcome.reason, 'ehr.bad_response');
      assert.ok(!outcome.message.includes('Fakename'), "the server's words are never quoted");
      next = { status: 200, body: '<html>login</html>' };
      assert.equal((await schedule()).reason, 'ehr.bad_response');
      next = {
        status: 500,
        body: JSON.stringify({
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'fatal', code: 'exception', diagnostics: 'SBX-MRN-0001' }],
        }),
      };
      const serverError = await schedule();
      assert.equal(serverError.reason, 'ehr.server_error');
      assert.deepEqual(serverError.details, { status: 500 });
      assert.ok(!serverError.message.includes('SBX-MRN'));
      // A well-formed empty day is not an error.
      next = { status: 200, body: JSON.stringify({ resourceType: 'Bundle', type: 'searchset', total: 0 }) };
      const ok = await scribe.dispatch('ehr:schedule', {}, scribeUser);
      assert.ok(ok.ok);
      assert.deepEqual((ok.value as Schedule).entries, []);
    } finally {
      scribe.close();
      await new Promise<void>((resolve) => tiny.server.close(() => resolve()));
      tmp.cleanup();
    }
  });
});
