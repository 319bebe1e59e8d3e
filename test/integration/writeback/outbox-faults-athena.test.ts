import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { openScribe } from '../../../main/compose.js';
import type { Sandbox } from '../../../main/sandbox/sandbox.js';
import { startSandbox } from '../../../main/sandbox/sandbox.js';
import { SANDBOX_HL7_TARGET, findMllpListener, sandboxMllpListener } from '../../../main/sandbox/sandbox-mllp.js';
import { SANDBOX_PATIENTS, SANDBOX_PRACTITIONERS } from '../../../main/sandbox/seed.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import { Hl7Deliverer } from '../../../main/writeback/hl7/hl7-deliverer.js';
import type { MllpListener } from '../../../main/writeback/hl7/mllp-listener.js';
import type { Note } from '../../../shared/domain/note.js';
import type { OutboxJobSummary } from '../../../shared/domain/outbox.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { noteDraft } from '../../helpers/note-draft.js';
import { FAST_SCRYPT, tempDir } from '../../helpers/temp-store.js';

const NOTES = Number(process.env['SCRIBE_FAULT_NOTES'] ?? 500);
const PASSPHRASE = 'athena fault test passphrase';
const CHILD = fileURLToPath(new URL('../../helpers/outbox-worker-child.ts', import.meta.url));
const practitioner = SANDBOX_PRACTITIONERS[0]!.id;
const signer = {
  transport: 'cli',
  actor: { id: practitioner, role: 'clinician', practitioner: { id: practitioner, vouchedBy: 'ehr-sign-in' } },
} as const;

/**
 * Issue 14's proof for the athena profile, whose FHIR API is read-only: notes go over HL7 v2 to its
 * interface engine (the sandbox's MLLP listener, which files a message once per MSH-10 as engines do).
 * A fifth of messages answered AE, a tenth of answers dropped after filing, the worker killed three
 * times: in the end exactly one filed document per signed note, every job delivered.
 */
describe(`athena: exactly-once HL7 v2 write-back of ${NOTES} notes under faults and crashes`, () => {
  const tmp = tempDir('scribe-faults-athena-');
  let sandbox: Sandbox;
  let mllp: MllpListener;
  let child: ChildProcess | undefined;
  const keys = new Set<string>();

  beforeAll(async () => {
    sandbox = await startSandbox({
      profile: 'athena',
      host: '127.0.0.1',
      port: 0,
      usCoreDir: null,
      extraListeners: [sandboxMllpListener({ port: 0 })],
    });
    mllp = findMllpListener(sandbox.listeners)!;
    // Notes are signed for the HL7 v2 route (the worker process sends them).
    const scribe = openScribe({
      dataDir: tmp.dir,
      keyProvider: createPassphraseKeyProvider(PASSPHRASE, FAST_SCRYPT),
      mode: 'create',
      writeback: { route: 'hl7v2', deliverers: {} },
    });
    const call = async <T>(channel: string, request: unknown): Promise<T> => {
      const result = await scribe.dispatch(channel, request, signer);
      if (!result.ok) throw new Error(`${channel}: ${result.error.code}`);
      return result.value as T;
    };
    for (let i = 0; i < NOTES; i += 1) {
      const visit = await call<Visit>('visit:create', { patientId: SANDBOX_PATIENTS[i % SANDBOX_PATIENTS.length]!.id });
      const note = await call<Note>('note:save', {
        visitId: visit.id,
        note: noteDraft(visit.id, `Visit ${i}: sore throat for ${i % 7} days.`),
      });
      await call('visit:sign', { visitId: visit.id, revision: note.revision });
    }
    for (const row of scribe.store.db.prepare('SELECT id FROM outbox_jobs').all() as { id: string }[]) keys.add(row.id);
    scribe.close();
    sandbox.faults.update({ errorRate: 0.2, dropAfterCommitRate: 0.1 });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await sandbox?.close();
    tmp.cleanup();
  });

  const target = () => ({ ...SANDBOX_HL7_TARGET, port: mllp.port, ackTimeoutMs: 1_500 });
  const startWorker = () => {
    child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: {
        ...process.env,
        SCRIBE_DATA_DIR: tmp.dir,
        SCRIBE_PASSPHRASE: PASSPHRASE,
        SCRIBE_TEST_LEASE_MS: '4000',
        SCRIBE_TEST_HL7: JSON.stringify(target()),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return child;
  };
  const filed = () => mllp.stats().stored;
  const waitFor = async (condition: () => boolean, timeoutMs: number, what: string) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (filed: ${filed()})`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  test('ends with exactly one filed document per signed note, none lost, none twice', async () => {
    assert.equal(keys.size, NOTES);
    for (const share of [0.15, 0.35, 0.55]) {
      const worker = startWorker();
      await waitFor(() => filed() >= Math.floor(NOTES * share), 180_000, `${share * 100}% filed`);
      worker.kill('SIGKILL');
      await new Promise((resolve) => worker.once('exit', resolve));
    }
    startWorker();
    await waitFor(() => filed() >= NOTES, 300_000, 'every note filed');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child!.kill('SIGKILL');
    await new Promise((resolve) => child!.once('exit', resolve));

    const stats = mllp.stats();
    assert.ok(stats.acks.AE > NOTES * 0.1, `AE answers were injected (${stats.acks.AE})`);
    assert.ok(stats.droppedAfterStore > NOTES * 0.05, `answers were dropped after filing (${stats.droppedAfterStore})`);
    sandbox.faults.reset();
    const controlIds = mllp.received().map((m) => m.controlId);
    assert.equal(controlIds.length, NOTES, 'exactly as many filed documents as signed notes');
    assert.equal(new Set(controlIds).size, NOTES, 'no document twice');

    const deliverer = new Hl7Deliverer({ config: target() });
    const scribe = openScribe({
      dataDir: tmp.dir,
      keyProvider: createPassphraseKeyProvider(PASSPHRASE, FAST_SCRYPT),
      writeback: { route: 'hl7v2', deliverers: { hl7v2: deliverer }, backoff: { baseMs: 0, maxMs: 0 } },
    });
    try {
      const jobs = async () => {
        const result = await scribe.dispatch('outbox:list', {}, signer);
        assert.ok(result.ok);
        return (result.value as { jobs: OutboxJobSummary[] }).jobs;
      };
      const deadline = Date.now() + 30_000;
      while ((await jobs()).some((j) => j.state !== 'delivered') && Date.now() < deadline) {
        await scribe.outboxWorker.runOnce();
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const final = await jobs();
      assert.deepEqual([...new Set(final.map((j) => j.state))], ['delivered'], 'the store agrees: every job delivered');
      // Every receipt names a message the engine filed.
      const filedIds = new Set(controlIds);
      for (const job of final)
        assert.ok(job.receipt?.target === 'hl7v2' && filedIds.has(job.receipt.messageControlId), `job ${job.id}'s message was filed`);
      assert.equal(mllp.stats().stored, NOTES, 'settling the last jobs filed nothing new');
    } finally {
      scribe.close();
      deliverer.close();
    }
  });
});
