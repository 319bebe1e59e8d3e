import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, test } from 'vitest';
import type { CallContext } from '../../../main/kernel/actor.js';
import type { AuditLog } from '../../../main/audit/audit-log.js';
import { openScribe } from '../../../main/compose.js';
import type { Scribe } from '../../../main/compose.js';
import { systemClock } from '../../../main/store/clock.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import { createConnectionTester } from '../../../main/writeback/connection-test/connection-tester.js';
import type { MllpListener } from '../../../main/writeback/hl7/mllp-listener.js';
import { startMllpListener } from '../../../main/writeback/hl7/mllp-listener.js';
import { findMllpListener, sandboxMllpListener } from '../../../main/sandbox/sandbox-mllp.js';
import type { ConnectionTestResult } from '../../../shared/domain/connection-test.js';
import type { Settings } from '../../../shared/domain/policy.js';
import { settingDefaults } from '../../../shared/domain/policy.js';
import type { FhirSandboxFixture } from '../../helpers/fhir-sandbox.js';
import { TEST_CLIENT_ID, closedPort, recordingLogger, startFhirSandbox } from '../../helpers/fhir-sandbox.js';
import { FAST_SCRYPT, tempDir } from '../../helpers/temp-store.js';
import { OPENSSL_MISSING, makeTestPki, opensslAvailable } from '../../helpers/test-certs.js';
import { skipWhen } from '../../helpers/skip.js';
import { demoEhrTargets } from '../../../main/sandbox/demo-targets.js';

const admin: CallContext = { transport: 'ipc', actor: { id: 'it-admin', role: 'admin' } };
const HL7_IDENTITY = {
  hl7ReceivingApplication: 'CLOVERLEAF',
  hl7ReceivingFacility: 'MERCY_MAIN',
  hl7PatientIdAuthority: 'MERCY_MRN',
} as const;

const byStep = (result: ConnectionTestResult) => Object.fromEntries(result.checks.map((c) => [c.step, c]));
const summary = (result: ConnectionTestResult) => result.checks.map((c) => `${c.step}=${c.status}:${c.code}`);

describe('Test connection: the configured EHR route, probed through the API', () => {
  const tmp = tempDir('scribe-connection-test-');
  const keyFile = join(tmp.dir, 'client-key.json');
  let fx: FhirSandboxFixture;
  let mllp: MllpListener;
  let scribe: Scribe;

  const configure = async (patch: Partial<Settings>) => {
    const result = await scribe.dispatch('settings:update', patch, admin);
    assert.ok(result.ok, JSON.stringify(result));
  };
  const testConnection = async () => {
    const result = await scribe.dispatch('ehr:testConnection', {}, { transport: 'ipc', actor: { id: 'dr-test', role: 'clinician' } });
    assert.ok(result.ok, JSON.stringify(result));
    return result.value as ConnectionTestResult;
  };
  const documents = async () => (await fx.search('DocumentReference', '_count=200')).length;

  beforeAll(async () => {
    fx = await startFhirSandbox({ usCoreDir: null, extraListeners: [sandboxMllpListener({ port: 0 })] });
    mllp = findMllpListener(fx.sandbox.listeners)!;
    writeFileSync(keyFile, JSON.stringify({ alg: 'ES384', privateKey: fx.key.privateKey }), { mode: 0o600 });
    scribe = openScribe({
      dataDir: join(tmp.dir, 'data'),
      keyProvider: createPassphraseKeyProvider('connection test', FAST_SCRYPT),
      mode: 'create',
    });
    await configure({ ehrRouting: 'fhir', fhirBaseUrl: fx.sandbox.fhirBaseUrl, fhirClientId: TEST_CLIENT_ID, fhirPrivateKeyFile: keyFile });
  });
  afterEach(() => fx.sandbox.faults.reset());
  afterAll(async () => {
    scribe.close();
    await fx.close();
    tmp.cleanup();
  });

  test('FHIR: version, transactions, a token with its scopes, and the token accepted; nothing created; audited', async () => {
    const before = await documents();
    const result = await testConnection();
    assert.equal(result.ok, true, summary(result).join(' '));
    assert.equal(result.route, 'fhir');
    assert.deepEqual(summary(result), ['fhir.metadata=ok:ok', 'fhir.token=ok:ok', 'fhir.access=ok:ok']);
    const steps = byStep(result);
    assert.deepEqual(steps['fhir.metadata']!.details, { fhirVersion: '4.0.1', transactions: true });
    assert.match(steps['fhir.metadata']!.message, /FHIR 4\.0\.1 and takes transactions/);
    assert.ok(steps['fhir.token']!.details?.grantedScopes?.includes('system/DocumentReference.write'), JSON.stringify(steps['fhir.token']));
    assert.match(steps['fhir.token']!.message, new RegExp(`Client ${TEST_CLIENT_ID} got a token with .*system/DocumentReference\\.write`));
    assert.equal(await documents(), before, 'the test created nothing');
    const audited = [...scribe.audit.entries()].filter((e) => e.action === 'ehr.connection_tested');
    assert.deepEqual(
      audited.map((e) => [e.actor, e.objectType, e.objectId]),
      [['dr-test', 'ehr_route', 'fhir']],
    );
  });

  test('FHIR: an EHR failing with 503 is reported on the step that met it, with what to do', async () => {
    fx.sandbox.faults.update({ errorRate: 1, errorStatus: 503 });
    const result = await testConnection();
    assert.equal(result.ok, false);
    assert.deepEqual(summary(result), ['fhir.metadata=ok:ok', 'fhir.token=ok:ok', 'fhir.access=failed:server_error']);
    const access = byStep(result)['fhir.access']!;
    assert.match(access.message, /HTTP 503/);
    assert.match(access.hint ?? '', /having trouble right now/);
  });

  test('FHIR: a client the EHR does not know is refused at the token step (invalid_client), later steps not run', async () => {
    await configure({ fhirClientId: 'not-registered' });
    try {
      const result = await testConnection();
      assert.deepEqual(summary(result), ['fhir.metadata=ok:ok', 'fhir.token=failed:auth_rejected', 'fhir.access=skipped:skipped']);
      const token = byStep(result)['fhir.token']!;
      assert.match(token.message, /invalid_client/);
      assert.match(token.hint ?? '', /check the client id \(not-registered\)/);
    } finally {
      await configure({ fhirClientId: TEST_CLIENT_ID });
    }
  });

  test('FHIR: a wrong base URL and a closed port say so', async () => {
    const origin = new URL(fx.sandbox.fhirBaseUrl).origin;
    await configure({ fhirBaseUrl: `${origin}/not-fhir` });
    const wrong = await testConnection();
    assert.equal(wrong.checks[0]!.status, 'failed');
    assert.match(wrong.checks[0]!.hint ?? '', /Check the FHIR base URL/);
    assert.deepEqual(
      wrong.checks.slice(1).map((c) => c.status),
      ['skipped', 'skipped'],
    );

    await configure({ fhirBaseUrl: `http://127.0.0.1:${await closedPort()}/fhir` });
    const closed = await testConnection();
    assert.deepEqual(summary(closed)[0], 'fhir.metadata=failed:unreachable');
    assert.match(closed.checks[0]!.message, /ECONNREFUSED/);
    await configure({ fhirBaseUrl: fx.sandbox.fhirBaseUrl });
  });

  test('HL7 v2: connects to the configured receiver and closes without sending; a closed port and a missing identity are explained', async () => {
    await configure({ ehrRouting: 'hl7v2', mllpHost: '127.0.0.1', mllpPort: mllp.port, mllpTls: false, ...HL7_IDENTITY });
    const framesBefore = mllp.stats().frames;
    const result = await testConnection();
    assert.deepEqual(summary(result), ['hl7v2.connect=ok:ok']);
    assert.match(
      result.checks[0]!.message,
      new RegExp(`Connected to the HL7 v2 receiver at 127\\.0\\.0\\.1:${mllp.port} \\(without TLS\\).*No message was sent`),
    );
    assert.match(result.checks[0]!.hint ?? '', /not encrypted/);
    assert.equal(mllp.stats().frames, framesBefore, 'no HL7 message was sent');

    await configure({ mllpPort: await closedPort() });
    const closed = await testConnection();
    assert.deepEqual(summary(closed), ['hl7v2.connect=failed:connect_refused']);
    assert.match(closed.checks[0]!.hint ?? '', /MLLP listener is running/);

    await configure({ mllpPort: mllp.port, hl7ReceivingApplication: null });
    const unnamed = await testConnection();
    assert.deepEqual(summary(unnamed), ['hl7v2.config=failed:not_configured', 'hl7v2.connect=skipped:skipped']);
    assert.match(unnamed.checks[0]!.message, /set hl7ReceivingApplication/);
    await configure({ ...HL7_IDENTITY });
  });

  test('FHIR then HL7 v2: both routes are checked', async () => {
    await configure({ ehrRouting: 'fhir-then-hl7v2', mllpHost: '127.0.0.1', mllpPort: mllp.port, mllpTls: false });
    const result = await testConnection();
    assert.equal(result.ok, true, summary(result).join(' '));
    assert.deepEqual(
      result.checks.map((c) => c.step),
      ['fhir.metadata', 'fhir.token', 'fhir.access', 'hl7v2.connect'],
    );
    await configure({ ehrRouting: 'fhir' });
  });
});

describe('Test connection: bounded waits and TLS', () => {
  const tmp = tempDir('scribe-connection-bounds-');
  const keyFile = join(tmp.dir, 'client-key.json');
  let fx: FhirSandboxFixture;
  const audited: string[] = [];
  const audit = { append: (record: { action: string }) => audited.push(record.action) } as unknown as AuditLog;
  const tester = (settings: Settings) =>
    createConnectionTester({
      settings: () => settings,
      defaults: demoEhrTargets(tmp.dir),
      audit,
      logger: recordingLogger(),
      clock: systemClock,
      timeoutMs: 1_500,
    });
  const actor = { id: 'dr-test', role: 'clinician' } as const;

  beforeAll(async () => {
    fx = await startFhirSandbox({ usCoreDir: null });
    writeFileSync(keyFile, JSON.stringify({ alg: 'ES384', privateKey: fx.key.privateKey }));
  });
  afterAll(async () => {
    await fx.close();
    tmp.cleanup();
  });

  test('an EHR that never answers is reported as a timeout after the bound, not waited on', async () => {
    fx.sandbox.faults.update({ timeoutRate: 1, hangMs: 20_000 });
    try {
      const started = Date.now();
      const result = await tester({
        ...settingDefaults,
        fhirBaseUrl: fx.sandbox.fhirBaseUrl,
        fhirClientId: TEST_CLIENT_ID,
        fhirPrivateKeyFile: keyFile,
      }).test(actor);
      const elapsed = Date.now() - started;
      assert.deepEqual(summary(result), ['fhir.metadata=ok:ok', 'fhir.token=ok:ok', 'fhir.access=failed:timeout']);
      assert.match(result.checks[2]!.hint ?? '', /did not answer within 1\.5 s/);
      assert.ok(elapsed < 6_000, `took ${elapsed} ms`);
    } finally {
      fx.sandbox.faults.reset();
    }
  });

  test('the FHIR settings incomplete: says which', async () => {
    const result = await tester({ ...settingDefaults, fhirBaseUrl: fx.sandbox.fhirBaseUrl }).test(actor);
    assert.equal(summary(result)[0], 'fhir.config=failed:not_configured');
    assert.match(result.checks[0]!.message, /needs a client id and a private key file/);
  });

  test(
    'HL7 v2 over TLS: an untrusted certificate is a TLS failure with a certificate hint',
    skipWhen(opensslAvailable ? false : OPENSSL_MISSING),
    async () => {
      const pki = makeTestPki();
      const listener = await startMllpListener({ host: '127.0.0.1', port: 0, tls: { key: pki.serverKey, cert: pki.serverCert } });
      try {
        const result = await tester({
          ...settingDefaults,
          ehrRouting: 'hl7v2',
          mllpHost: '127.0.0.1',
          mllpPort: listener.port,
          mllpTls: true,
          ...HL7_IDENTITY,
        }).test(actor);
        assert.deepEqual(summary(result), ['hl7v2.connect=failed:tls_error']);
        assert.match(result.checks[0]!.hint ?? '', /certificate is not trusted/);
        assert.equal(listener.stats().frames, 0);
      } finally {
        await listener.close();
      }
    },
  );

  test('file drop: a writable folder passes and is left as it was; a missing folder, a path under a file and no folder fail with their reasons', async () => {
    const folder = join(tmp.dir, 'drop');
    mkdirSync(folder);
    const ok = await tester({ ...settingDefaults, ehrRouting: 'file-drop', fileDropFolder: folder }).test(actor);
    assert.deepEqual(summary(ok), ['file-drop.folder=ok:ok', 'file-drop.write=ok:ok']);
    assert.deepEqual(readdirSync(folder), [], 'the probe file was removed');

    const missing = await tester({ ...settingDefaults, ehrRouting: 'file-drop', fileDropFolder: join(tmp.dir, 'unmounted-share') }).test(
      actor,
    );
    assert.deepEqual(summary(missing), ['file-drop.folder=failed:folder_missing', 'file-drop.write=skipped:skipped']);
    assert.match(missing.checks[0]!.hint ?? '', /network share is connected/);

    // Root may write anywhere, so "cannot write" is shown with a path whose parent is a file.
    writeFileSync(join(tmp.dir, 'a-file'), 'x');
    const underFile = await tester({ ...settingDefaults, ehrRouting: 'file-drop', fileDropFolder: join(tmp.dir, 'a-file', 'drop') }).test(
      actor,
    );
    assert.deepEqual(summary(underFile), ['file-drop.folder=failed:folder_unusable', 'file-drop.write=skipped:skipped']);
    assert.match(underFile.checks[0]!.message, /is not a folder/);

    const none = await tester({ ...settingDefaults, ehrRouting: 'file-drop', fileDropFolder: null }).test(actor);
    assert.deepEqual(summary(none), ['file-drop.folder=failed:not_configured', 'file-drop.write=skipped:skipped']);
    assert.ok(audited.every((action) => action === 'ehr.connection_tested') && audited.length >= 4);
  });
});
