import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { DocumentReference } from '@medplum/fhirtypes';
import { openScribe } from '../../../main/compose.js';
import { SANDBOX_PATIENTS, SANDBOX_PRACTITIONERS, sandboxEncounterId } from '../../../main/sandbox/seed.js';
import { SANDBOX_SEEDED_CONDITIONS } from '../../../main/sandbox/seed-clinical.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { Note } from '../../../shared/domain/note.js';
import type { OutboxJobSummary } from '../../../shared/domain/outbox.js';
import type { Visit } from '../../../shared/domain/visit.js';
import type { FhirSandboxFixture } from '../../helpers/fhir-sandbox.js';
import { startFhirSandbox } from '../../helpers/fhir-sandbox.js';
import { noteDraft } from '../../helpers/note-draft.js';
import { FAST_SCRYPT, tempDir } from '../../helpers/temp-store.js';

const NOTES = Number(process.env['SCRIBE_FAULT_NOTES'] ?? 500);
const PASSPHRASE = 'fault test passphrase';
const CHILD = fileURLToPath(new URL('../../helpers/outbox-worker-child.ts', import.meta.url));
const signer = { transport: 'cli', actor: { id: SANDBOX_PRACTITIONERS[0]!.id, role: 'clinician' } } as const;

/**
 * Issue 6's exactly-once proof: many signed notes, an EHR that fails a fifth of its requests and
 * drops a tenth of its answers after committing, and a worker killed three times mid-run.
 */
describe(`exactly-once write-back of ${NOTES} notes under faults and crashes`, () => {
  const tmp = tempDir('scribe-faults-');
  let fhir: FhirSandboxFixture;
  let child: ChildProcess | undefined;
  const keys = new Set<string>();

  beforeAll(async () => {
    fhir = await startFhirSandbox({ faults: { errorRate: 0.2, errorStatus: 503, dropAfterCommitRate: 0.1 } });
    const scribe = openScribe({ dataDir: tmp.dir, keyProvider: createPassphraseKeyProvider(PASSPHRASE, FAST_SCRYPT), mode: 'create' });
    const call = async <T>(channel: string, request: unknown): Promise<T> => {
      const result = await scribe.dispatch(channel, request, signer);
      if (!result.ok) throw new Error(`${channel}: ${result.error.code}`);
      return result.value as T;
    };
    for (let i = 0; i < NOTES; i += 1) {
      const p = i % SANDBOX_PATIENTS.length;
      // One visit per encounter: the seeded encounters go to the first visits, the rest have none.
      const encounter = i < SANDBOX_PATIENTS.length ? { encounterId: sandboxEncounterId(p) } : {};
      const visit = await call<Visit>('visit:create', { patientId: SANDBOX_PATIENTS[p]!.id, ...encounter });
      const note = await call<Note>('note:save', {
        visitId: visit.id,
        note: noteDraft(visit.id, `Visit ${i}: sore throat for ${i % 7} days.`),
      });
      await call('visit:sign', { visitId: visit.id, revision: note.revision });
    }
    const jobs = scribe.store.db.prepare('SELECT idempotency_key FROM outbox_jobs').all() as { idempotency_key: string }[];
    for (const job of jobs) keys.add(job.idempotency_key);
    scribe.close();
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await fhir?.close();
    tmp.cleanup();
  });

  const startWorker = () => {
    child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: {
        ...process.env,
        SCRIBE_DATA_DIR: tmp.dir,
        SCRIBE_PASSPHRASE: PASSPHRASE,
        SCRIBE_TEST_LEASE_MS: '4000',
        SCRIBE_TEST_FHIR: JSON.stringify(fhir.config({ requestTimeoutMs: 1500 })),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return child;
  };
  const documents = () => fhir.sandbox.repository.count('DocumentReference');
  const waitFor = async (condition: () => boolean, timeoutMs: number, what: string) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (documents: ${documents()})`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  test('ends with exactly one document per signed note, none lost, none twice', async () => {
    assert.equal(keys.size, NOTES);
    for (const share of [0.15, 0.35, 0.55]) {
      const worker = startWorker();
      await waitFor(() => documents() >= Math.floor(NOTES * share), 180_000, `${share * 100}% delivered`);
      worker.kill('SIGKILL');
      await new Promise((resolve) => worker.once('exit', resolve));
    }
    startWorker();
    await waitFor(() => documents() >= NOTES, 300_000, 'every note delivered');
    // Let the worker settle the answers it is still waiting for, then stop it.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child!.kill('SIGKILL');
    await new Promise((resolve) => child!.once('exit', resolve));

    const counters = fhir.sandbox.faults.counters();
    assert.ok(counters.errors > NOTES * 0.1, `errors were injected (${counters.errors})`);
    assert.ok(counters.dropsAfterCommit > NOTES * 0.05, `answers were dropped after commit (${counters.dropsAfterCommit})`);

    fhir.sandbox.faults.reset();
    const stored = await fhir.search<DocumentReference>('DocumentReference', `_count=${NOTES * 2}`);
    const identifiers = stored.map((d) => d.identifier?.find((i) => i.system === 'urn:ambient-scribe:note')?.value ?? '');
    assert.equal(stored.length, NOTES, 'exactly as many documents as signed notes');
    assert.equal(new Set(identifiers).size, NOTES, 'no document twice');
    assert.deepEqual([...identifiers].sort(), [...keys].sort(), 'every signed note is there');
    assert.equal(
      fhir.sandbox.repository.count('Condition') - SANDBOX_SEEDED_CONDITIONS,
      NOTES,
      'one Condition per accepted code, none twice',
    );

    const scribe = openScribe({
      dataDir: tmp.dir,
      keyProvider: createPassphraseKeyProvider(PASSPHRASE, FAST_SCRYPT),
      writeback: { route: 'fhir', deliverers: { fhir: fhir.deliverer() } },
    });
    const listJobs = async () => {
      const result = await scribe.dispatch('outbox:list', {}, signer);
      assert.ok(result.ok);
      return (result.value as { jobs: OutboxJobSummary[] }).jobs;
    };
    try {
      // Jobs whose answer was lost wait out their backoff or the killed worker's lease, then settle.
      const deadline = Date.now() + 30_000;
      while ((await listJobs()).some((j) => j.state !== 'delivered') && Date.now() < deadline) {
        await scribe.outboxWorker.runOnce();
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const jobs = await listJobs();
      assert.equal(jobs.length, NOTES);
      assert.deepEqual([...new Set(jobs.map((j) => j.state))], ['delivered'], 'the store agrees: every job delivered');
      assert.equal(fhir.sandbox.repository.count('DocumentReference'), NOTES, 'settling the last jobs wrote nothing new');
    } finally {
      scribe.close();
    }
  });
});
