/**
 * Issue 15, item 4: in `scribe web`, a note signed while the EHR is down is delivered by itself
 * within a minute of the EHR coming back, with the product's own timings (15 s worker interval,
 * retries at most 40 s apart: main/writeback/backoff.ts). The EHR (the sandbox, in this process)
 * starts on the port the settings name only after `scribe web` has tried and failed at least twice.
 * A second `scribe web` on the same data folder does not run a second outbox timer.
 * Run: npx vitest run test/integration/cli/web-outbox-redelivery.test.ts   (after `npm run build`)
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { DocumentReference } from '@medplum/fhirtypes';
import { generateClientKeyPair } from '../../../main/fhir/client-key.js';
import type { ClientKeyPair } from '../../../main/fhir/client-key.js';
import { startSandbox } from '../../../main/sandbox/sandbox.js';
import type { Sandbox } from '../../../main/sandbox/sandbox.js';
import { SANDBOX_PATIENTS, SANDBOX_PRACTITIONERS, sandboxEncounterId } from '../../../main/sandbox/seed.js';
import { OUTBOX_LOCK_FILE } from '../../../main/writeback/outbox-worker-lock.js';
import type { OutboxJobSummary } from '../../../shared/domain/outbox.js';
import { CLI_JS, createWorkstation } from '../../helpers/e2e-web.js';
import type { WebServer, Workstation } from '../../helpers/e2e-web.js';
import { skipWhen } from '../../helpers/skip.js';

const PATIENT_INDEX = 3;
const PATIENT = SANDBOX_PATIENTS[PATIENT_INDEX]!;
const CLINICIAN = SANDBOX_PRACTITIONERS[0]!.id;
const CLIENT_ID = 'redelivery-backend';
const TRANSCRIPT = [
  'Doctor: What brings you in?',
  'Patient: A sore throat for three days.',
  'Doctor: It looks like acute pharyngitis.',
].join('\n');

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(
  'scribe web delivers a note signed while the EHR was down',
  skipWhen(existsSync(CLI_JS) ? false : 'run `npm run build` first'),
  () => {
    let ws: Workstation;
    let web: WebServer;
    let second: WebServer | undefined;
    let ehr: Sandbox | undefined;
    let key: ClientKeyPair;
    let port = 0;
    let env: Record<string, string> = {};

    const jobs = async () => {
      const result = await web.call('outbox:list', {});
      assert.ok(result.ok, result.error?.message);
      return (result.value as { jobs: OutboxJobSummary[] }).jobs;
    };

    beforeAll(async () => {
      ws = await createWorkstation({ user: CLINICIAN, role: 'clinician' });
      key = await generateClientKeyPair('ES384');
      port = await freePort();
      const keyFile = join(ws.dataDir, 'ehr-client-key.json');
      await writeFile(keyFile, JSON.stringify({ alg: key.alg, privateKey: key.privateKey }), { mode: 0o600 });
      const policy = join(ws.dataDir, 'policy.json');
      await writeFile(
        policy,
        JSON.stringify({
          ehrRouting: 'fhir',
          fhirBaseUrl: `http://127.0.0.1:${port}/fhir`,
          fhirClientId: CLIENT_ID,
          fhirPrivateKeyFile: keyFile,
          signerPractitioners: { [CLINICIAN]: CLINICIAN },
        }),
      );
      env = { SCRIBE_POLICY_FILE: policy };
      const args = ['visit', 'create', '--patient', PATIENT.id, '--encounter', sandboxEncounterId(PATIENT_INDEX), '--json'];
      const visitId = (JSON.parse(await ws.scribe(args, env)) as { id: string }).id;
      const file = join(ws.dataDir, 'visit.txt');
      await writeFile(file, TRANSCRIPT);
      await ws.scribe(['visit', 'import-transcript', visitId, file], env);
      await ws.scribe(['visit', 'draft', visitId, '--engine', 'offline'], env);
      await ws.scribe(['visit', 'sign', visitId, '--as', CLINICIAN, '--acknowledge-unsupported'], env);
      web = await ws.web(env);
    });

    afterAll(async () => {
      await ehr?.close();
      await ws?.dispose();
    });

    it('tries while the EHR is down, keeping the note queued', async () => {
      const started = Date.now();
      let attempts = 0;
      while (attempts < 2 && Date.now() - started < 90_000) {
        await sleep(1_000);
        attempts = (await jobs())[0]?.attempts ?? 0;
      }
      const [job] = await jobs();
      assert.ok(job && job.attempts >= 2, `scribe web tried the EHR by itself more than once (attempts: ${job?.attempts})`);
      assert.equal(job.state, 'queued');
      assert.match(
        readFileSync(join(ws.dataDir, 'store', OUTBOX_LOCK_FILE), 'utf8'),
        /^\d+\n$/,
        'the lock file names the process running the outbox',
      );
    });

    it('a second scribe web on the same data folder leaves the outbox to the first', async () => {
      second = await ws.web({ ...env, SCRIBE_LOG: 'json' });
      await sleep(1_000);
      assert.match(second.output(), /"event":"outbox\.worker_elsewhere"/);
      assert.doesNotMatch(second.output(), /"event":"outbox\.worker_started"/);
      await second.stop();
    });

    it('delivers it within a minute of the EHR coming back', async () => {
      ehr = await startSandbox({ port, backendClients: [{ clientId: CLIENT_ID, jwks: key.publicJwks }] });
      const back = Date.now();
      let job = (await jobs())[0];
      while (job?.state !== 'delivered' && Date.now() - back < 75_000) {
        await sleep(1_000);
        job = (await jobs())[0];
      }
      const took = Date.now() - back;
      assert.equal(job?.state, 'delivered', `still ${job?.state} after ${took} ms`);
      assert.ok(took <= 60_000, `delivered ${took} ms after the EHR came back`);
      const filed = (await ehr.repository.searchResources<DocumentReference>({ resourceType: 'DocumentReference' })).filter(
        (doc) => doc.subject?.reference === `Patient/${PATIENT.id}`,
      );
      assert.equal(filed.length, 1, 'the EHR holds the note once');
      assert.doesNotMatch(web.output(), new RegExp(PATIENT.family), 'no patient name in the process output');
    });
  },
);
