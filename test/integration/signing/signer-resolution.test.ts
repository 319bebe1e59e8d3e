/**
 * Who signs is settled with the EHR before anything is locked (issue 13, item 3): a clinician signed in
 * to the EHR signs as the practitioner it vouched for; a workstation account signs only as the
 * practitioner IT linked it to, and only if the EHR knows that practitioner. Against a real sandbox
 * EHR on 127.0.0.1, through the API the app uses, and through `scribe visit sign`.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { Scribe } from '../../../main/compose.js';
import { openScribe } from '../../../main/compose.js';
import type { CallContext } from '../../../main/kernel/actor.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { Deliverer, DeliveryJob } from '../../../main/writeback/delivery.js';
import type { Identity } from '../../../shared/domain/identity.js';
import type { Note } from '../../../shared/domain/note.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { CLI_MISSING, cliBuilt, scribe as runCli, scribeAsync } from '../../helpers/cli.js';
import type { FhirSandboxFixture } from '../../helpers/fhir-sandbox.js';
import { startFhirSandbox } from '../../helpers/fhir-sandbox.js';
import { noteDraft } from '../../helpers/note-draft.js';
import { skipWhen } from '../../helpers/skip.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from '../../helpers/temp-store.js';

const admin = { id: 'it-signer', role: 'admin' } as const;
const workstation: CallContext = { transport: 'ipc', actor: { id: 'jdoe', role: 'clinician' } };
type Result = { ok: true; value: unknown } | { ok: false; error: { code: string; reason: string } };

describe('the signer resolves with the EHR before signing', () => {
  const tmp = tempDir('scribe-signer-');
  const keyFile = join(tmp.dir, 'fhir-client-key.json');
  const sent: DeliveryJob[] = [];
  const fhir: Deliverer = {
    target: 'fhir',
    deliver(job) {
      sent.push(job);
      return Promise.resolve({ kind: 'delivered', receipt: { target: 'fhir', resources: [{ type: 'DocumentReference', id: 'doc-1' }] } });
    },
  };
  let fx: FhirSandboxFixture;
  let scribe: Scribe;
  const call = async (channel: string, request: unknown, ctx: CallContext = workstation) =>
    (await scribe.dispatch(channel, request, ctx)) as Result;
  const whoami = async (ctx: CallContext = workstation) => {
    const answer = await call('auth:whoami', {}, ctx);
    assert.ok(answer.ok);
    return answer.value as Identity;
  };
  const link = (signerPractitioners: Record<string, string>) => scribe.settings.update({ signerPractitioners }, admin);
  const reviewedNote = async () => {
    const created = await call('visit:create', { patientId: SENTINEL.patientId, patient: { displayName: SENTINEL.name } });
    assert.ok(created.ok);
    const visitId = (created.value as Visit).id;
    const saved = await call('note:save', { visitId, note: noteDraft(visitId) });
    assert.ok(saved.ok, JSON.stringify(saved));
    return { visitId, revision: (saved.value as Note).revision };
  };
  const nothingSigned = async (visitId: string) => {
    const visit = await call('visit:get', { id: visitId });
    assert.ok(visit.ok);
    assert.equal((visit.value as Visit).state, 'not_started', 'the visit is not locked');
    const jobs = await call('outbox:list', {});
    assert.ok(jobs.ok);
    assert.equal((jobs.value as { jobs: { visitId: string }[] }).jobs.filter((j) => j.visitId === visitId).length, 0, 'nothing queued');
  };

  beforeAll(async () => {
    fx = await startFhirSandbox();
    writeFileSync(keyFile, JSON.stringify({ alg: 'ES384', privateKey: fx.key.privateKey }), { mode: 0o600 });
    scribe = openScribe({
      dataDir: join(tmp.dir, 'store'),
      keyProvider: createPassphraseKeyProvider('signer passphrase', FAST_SCRYPT),
      mode: 'create',
      writeback: { route: 'fhir', deliverers: { fhir } },
    });
    scribe.settings.update({ fhirBaseUrl: fx.sandbox.fhirBaseUrl, fhirClientId: 'test-backend', fhirPrivateKeyFile: keyFile }, admin);
  });
  afterAll(async () => {
    scribe.close();
    await fx.close();
    tmp.cleanup();
  });

  test('an account with no EHR sign-in and no link is refused, naming what to do; nothing is locked', async () => {
    link({});
    const { visitId, revision } = await reviewedNote();
    const me = await whoami();
    assert.deepEqual([me.maySign, me.signBlocked, me.practitioner], [false, 'no_practitioner', null], 'Sign is not offered');
    const refused = await call('visit:sign', { visitId, revision });
    assert.deepEqual(!refused.ok && [refused.error.code, refused.error.reason], ['forbidden', 'signing.signer_unresolved']);
    await nothingSigned(visitId);
  });

  test('an account linked to a practitioner the EHR does not know is refused before signing', async () => {
    link({ jdoe: 'no-such-practitioner' });
    const { visitId, revision } = await reviewedNote();
    const me = await whoami();
    assert.deepEqual([me.maySign, me.signBlocked], [false, 'unknown_to_ehr'], 'Sign is not offered');
    const refused = await call('visit:sign', { visitId, revision });
    assert.equal(!refused.ok && refused.error.reason, 'signing.signer_unknown');
    await nothingSigned(visitId);
  });

  test('someone signed in with the EHR who is no Practitioner (made a clinician by mapping) is refused before signing', async () => {
    link({});
    const { visitId, revision } = await reviewedNote();
    const person: CallContext = { transport: 'web', actor: { id: 'Person/sbx-scribe-1', role: 'clinician' } };
    const me = await whoami(person);
    assert.deepEqual([me.maySign, me.signBlocked], [false, 'no_practitioner']);
    const refused = await call('visit:sign', { visitId, revision }, person);
    assert.equal(!refused.ok && refused.error.reason, 'signing.signer_unresolved');
    await nothingSigned(visitId);
  });

  test("an account linked to a practitioner the EHR knows signs as that practitioner, under the EHR's name for them", async () => {
    link({ jdoe: 'sbx-practitioner-2' });
    const { visitId, revision } = await reviewedNote();
    const me = await whoami();
    assert.equal(me.maySign, true);
    assert.deepEqual(me.practitioner, { id: 'sbx-practitioner-2', name: 'Dr. Kai Physician-Sandbox', from: 'workstation_mapping' });
    assert.equal(me.displayName, 'Dr. Kai Physician-Sandbox', 'the header names the linked clinician');
    const signed = await call('visit:sign', { visitId, revision });
    assert.ok(signed.ok, JSON.stringify(signed));
    assert.equal((signed.value as { attestation: { signedBy: string } }).attestation.signedBy, 'sbx-practitioner-2');
    await scribe.outboxWorker.runOnce();
    const payload = sent.find((job) => job.payload.visitId === visitId)?.payload;
    assert.deepEqual(payload?.practitioner, { id: 'sbx-practitioner-2', name: 'Dr. Kai Physician-Sandbox' });
  });

  test('a clinician signed in to the EHR signs as the practitioner it vouched for, whatever the links say', async () => {
    link({ jdoe: 'sbx-practitioner-2' });
    const { visitId, revision } = await reviewedNote();
    const signedIn: CallContext = {
      transport: 'ipc',
      actor: {
        id: 'sbx-practitioner-3',
        role: 'clinician',
        practitioner: { id: 'sbx-practitioner-3', name: 'Noor N.', vouchedBy: 'ehr-sign-in' },
      },
    };
    const signed = await call('visit:sign', { visitId, revision }, signedIn);
    assert.ok(signed.ok, JSON.stringify(signed));
    assert.equal((signed.value as { attestation: { signedBy: string } }).attestation.signedBy, 'sbx-practitioner-3');
  });

  test('where the EHR cannot be asked, a linked practitioner signs (delivery reports any refusal)', async () => {
    link({ jdoe: 'sbx-practitioner-1' });
    fx.sandbox.faults.update({ errorRate: 1, errorStatus: 503 });
    try {
      const { visitId, revision } = await reviewedNote();
      const signed = await call('visit:sign', { visitId, revision });
      assert.ok(signed.ok, JSON.stringify(signed));
      assert.equal((signed.value as { attestation: { signedBy: string } }).attestation.signedBy, 'sbx-practitioner-1');
    } finally {
      fx.sandbox.faults.reset();
    }
  });

  test('only an administrator links accounts to practitioners', async () => {
    const refused = await call('settings:update', { signerPractitioners: { jdoe: 'sbx-practitioner-1' } });
    assert.equal(!refused.ok && refused.error.reason, 'settings.signing_roles_admin_only');
  });
});

describe('scribe visit sign --as', skipWhen(cliBuilt ? false : CLI_MISSING), () => {
  const tmp = tempDir('scribe-signer-cli-');
  const env = { SCRIBE_DATA_DIR: tmp.dir, SCRIBE_PASSPHRASE: 'signer cli passphrase', SCRIBE_USER: 'jdoe', SCRIBE_ROLE: 'clinician' };
  let fx: FhirSandboxFixture;
  const visitWithNote = async () => {
    const created = runCli(['visit', 'create', '--patient', SENTINEL.patientId, '--json'], env);
    assert.equal(created.status, 0, created.stderr);
    const visitId = (JSON.parse(created.stdout) as { id: string }).id;
    const app = openScribe({ dataDir: tmp.dir, keyProvider: createPassphraseKeyProvider(env.SCRIBE_PASSPHRASE), mode: 'open' });
    try {
      const user = { transport: 'cli', actor: { id: 'sc-cli', role: 'scribe' } } as const;
      assert.ok((await app.dispatch('note:save', { visitId, note: noteDraft(visitId) }, user)).ok);
    } finally {
      app.close();
    }
    return visitId;
  };

  beforeAll(async () => {
    fx = await startFhirSandbox();
    const keyFile = join(tmp.dir, 'fhir-client-key.json');
    assert.equal(runCli(['init'], env).status, 0);
    writeFileSync(keyFile, JSON.stringify({ alg: 'ES384', privateKey: fx.key.privateKey }), { mode: 0o600 });
    const app = openScribe({ dataDir: tmp.dir, keyProvider: createPassphraseKeyProvider(env.SCRIBE_PASSPHRASE), mode: 'open' });
    try {
      app.settings.update({ fhirBaseUrl: fx.sandbox.fhirBaseUrl, fhirClientId: 'test-backend', fhirPrivateKeyFile: keyFile }, admin);
    } finally {
      app.close();
    }
  });
  afterAll(async () => {
    await fx.close();
    tmp.cleanup();
  });

  test('without --as and without a link, it exits 1 saying what to do', async () => {
    const visitId = await visitWithNote();
    const refused = runCli(['visit', 'sign', visitId], env);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /not signed in to the EHR, and this workstation account is not linked/);
  });

  test('--as takes a practitioner id only: free text (a newline) is refused, a Practitioner/ reference is not doubled', async () => {
    const visitId = await visitWithNote();
    const injected = runCli(['visit', 'sign', visitId, '--as', 'sbx-practitioner-1\nsigned by someone else'], env);
    assert.equal(injected.status, 1, injected.stdout + injected.stderr);
    assert.match(injected.stderr, /--as takes the EHR's practitioner id/);
    // Asked without blocking this process, which runs the EHR the command checks with.
    const unknown = await scribeAsync(['visit', 'sign', visitId, '--as', 'nobody-here'], env);
    assert.equal(unknown.status, 1, unknown.stdout + unknown.stderr);
    assert.match(unknown.stderr, /The EHR has no practitioner with the id/);
    const signed = await scribeAsync(['visit', 'sign', visitId, '--as', 'Practitioner/sbx-practitioner-1', '--json'], env);
    assert.equal(signed.status, 0, signed.stderr);
    assert.equal((JSON.parse(signed.stdout) as { attestation: { signedBy: string } }).attestation.signedBy, 'sbx-practitioner-1');
  });
});
