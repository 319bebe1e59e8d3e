import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, test } from 'vitest';
import type { ApiError } from '../../../shared/api/errors.js';
import type { SpeechModelProgress, SpeechModelStatus } from '../../../shared/domain/speech-model.js';
import type { TranscriptionStatus } from '../../../shared/domain/transcription.js';
import type { Visit } from '../../../shared/domain/visit.js';
import type { PolicyValues } from '../../../shared/domain/policy.js';
import { openScribe } from '../../../main/compose.js';
import type { Scribe } from '../../../main/compose.js';
import type { ModelInstallOverrides } from '../../../main/asr/model-install-setup.js';
import type { PinnedModel } from '../../../main/asr/model-manifest.js';
import { noVad } from '../../../main/capture/vad-provider.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import { clinicianCtx, speechLike } from '../../helpers/asr-harness.js';
import { memoryLogger } from '../../helpers/capture-harness.js';
import type { ModelMirror, TinyModelRelease } from '../../helpers/model-mirror.js';
import { makeTinyModelRelease, startModelMirror } from '../../helpers/model-mirror.js';
import { skipWhen } from '../../helpers/skip.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from '../../helpers/temp-store.js';
import { tinyWhisperAvailable, TINY_WHISPER_MISSING } from '../../helpers/tiny-whisper.js';
import { wavHeaderFor } from '../../helpers/wav-fixtures.js';

const ENCODER = 'onnx/encoder_model.onnx';
const DECODER = 'onnx/decoder_model_merged.onnx';

interface Station {
  readonly scribe: Scribe;
  readonly modelsDir: string;
  readonly progress: SpeechModelProgress[];
  call<T>(channel: string, request: unknown): Promise<T>;
  fail(channel: string, request: unknown): Promise<ApiError>;
  close(): void;
}

describe('installing the speech model from the app', skipWhen(tinyWhisperAvailable ? false : TINY_WHISPER_MISSING), () => {
  const tmp = tempDir('scribe-model-install-');
  let release: TinyModelRelease;
  let mirror: ModelMirror;
  let model: PinnedModel;
  const open: Station[] = [];

  beforeAll(async () => {
    release = makeTinyModelRelease(tmp.dir);
    model = release.manifest.models[0] as PinnedModel;
    mirror = await startModelMirror(release);
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
    mirror.heal();
  });
  afterAll(async () => {
    await mirror.close();
    tmp.cleanup();
  });

  let count = 0;
  function station(
    policy: PolicyValues = { speechModelMirrorUrl: mirror.url },
    overrides: ModelInstallOverrides = {},
    dir = join(tmp.dir, `station-${(count += 1)}`),
  ): Station {
    const modelsDir = join(dir, 'models');
    const scribe = openScribe({
      dataDir: join(dir, 'store'),
      keyProvider: createPassphraseKeyProvider('model install passphrase', FAST_SCRYPT),
      mode: existsSync(join(dir, 'store')) ? 'open' : 'create',
      logger: memoryLogger(),
      vad: noVad,
      policy: { file: '/etc/test-policy.json', values: policy, sha256: null },
      transcription: { modelsDir },
      speechModel: { model, retryDelaysMs: [], ...overrides },
    });
    const progress: SpeechModelProgress[] = [];
    scribe.events.on('models:progress', (p) => progress.push(p));
    const s: Station = {
      scribe,
      modelsDir,
      progress,
      async call<T>(channel: string, request: unknown) {
        const result = await scribe.dispatch(channel, request, clinicianCtx);
        if (!result.ok) throw new Error(`${channel}: ${result.error.reason} ${result.error.message}`);
        return result.value as T;
      },
      async fail(channel, request) {
        const result = await scribe.dispatch(channel, request, clinicianCtx);
        assert.equal(result.ok, false, `${channel} should have failed`);
        return (result as { error: ApiError }).error;
      },
      close: () => scribe.close(),
    };
    open.push(s);
    return s;
  }

  const installed = (s: Station) => join(s.modelsDir, ...release.id.split('/'));
  const stagedFiles = (s: Station) => {
    const staging = join(s.modelsDir, 'test-org', '.whisper-tiny-test.download');
    const walk = (dir: string): string[] =>
      existsSync(dir)
        ? readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))
        : [];
    return walk(staging);
  };

  async function recordedVisit(s: Station): Promise<Visit> {
    const visit = await s.call<Visit>('visit:create', { patientId: SENTINEL.patientId, patient: { displayName: SENTINEL.name } });
    await s.call('visit:recordConsent', { visitId: visit.id, method: 'verbal' });
    const samples = speechLike(4);
    const file = join(s.modelsDir, '..', `${visit.id}.wav`);
    writeFileSync(
      file,
      Buffer.concat([wavHeaderFor({ sampleRate: 16_000, channels: 1, encoding: 'pcm16' }, samples.length), Buffer.from(samples.buffer)]),
    );
    await s.scribe.capture.importFile(visit.id, file, { id: 'dr-asr', role: 'clinician' });
    return visit;
  }

  test(
    'installs from the mirror with progress, and the running app transcribes with it without a restart',
    { timeout: 120_000 },
    async () => {
      const s = station();
      const before = await s.call<SpeechModelStatus>('models:status', {});
      assert.equal(before.pinnedInstalled, false);
      assert.equal(before.inUse, null);
      assert.deepEqual(before.source, { kind: 'mirror', url: mirror.url });
      assert.equal(before.sourceLocked, true);
      const visit = await recordedVisit(s);
      const refused = await s.fail('visit:transcribe', { visitId: visit.id, engine: 'local' });
      assert.equal(refused.reason, 'asr.model_not_installed');

      const started = await s.call<SpeechModelStatus>('models:install', {});
      assert.equal(started.install?.state, 'downloading');
      const done = await s.scribe.speechModel.install({});
      assert.equal(done.state, 'installed');
      assert.equal(done.bytesDone, done.bytesTotal);
      assert.equal(
        done.bytesTotal,
        release.files.reduce((n, f) => n + f.size, 0),
      );
      assert.ok(done.files.every((f) => f.state === 'verified' && f.bytesDone === f.bytesTotal));
      // Progress went up and ended installed.
      const overall = s.progress.map((p) => p.bytesDone);
      assert.ok(overall.length >= 3);
      assert.deepEqual(
        overall,
        [...overall].sort((a, b) => a - b),
      );
      assert.equal(s.progress.at(-1)?.state, 'installed');
      for (const file of release.files) assert.equal(statSync(join(installed(s), file.path)).size, file.size);
      assert.deepEqual(stagedFiles(s), [], 'the staging folder is gone');

      const after = await s.call<SpeechModelStatus>('models:status', {});
      assert.equal(after.pinnedInstalled, true);
      assert.equal(after.inUse?.name, 'whisper-tiny-test');
      const status = await s.call<TranscriptionStatus>('visit:transcribe', { visitId: visit.id, engine: 'local' });
      assert.equal(status.state, 'finished');
      assert.equal(status.model, 'whisper-tiny-test');
    },
  );

  test('a file whose SHA-256 does not match is deleted, names the file, and nothing is installed', async () => {
    const s = station();
    mirror.corrupt(ENCODER);
    await assert.rejects(s.scribe.speechModel.install({}), (error: { reason: string; details: Record<string, unknown> }) => {
      assert.equal(error.reason, 'speech_model.file_mismatch');
      assert.equal(error.details['file'], ENCODER);
      return true;
    });
    assert.equal(existsSync(installed(s)), false);
    assert.ok(!stagedFiles(s).some((f) => f.includes('encoder_model')), 'the bad file is not kept, whole or partial');
    const status = await s.call<SpeechModelStatus>('models:status', {});
    assert.equal(status.pinnedInstalled, false);
    assert.equal(status.inUse, null);
    assert.equal(status.install?.state, 'failed');
    assert.equal(status.install?.error?.file, ENCODER);
    assert.deepEqual(
      status.install?.files.find((f) => f.path === ENCODER),
      {
        path: ENCODER,
        state: 'waiting',
        bytesDone: 0,
        bytesTotal: release.files.find((f) => f.path === ENCODER)!.size,
        sha256: release.files.find((f) => f.path === ENCODER)!.sha256,
      },
    );

    // Once the mirror serves the right bytes, Install finishes; files already verified are not fetched again.
    mirror.heal();
    assert.equal((await s.scribe.speechModel.install({})).state, 'installed');
    assert.deepEqual(mirror.requestsFor('config.json'), []);
    assert.equal(mirror.requestsFor(ENCODER).length, 1);
  });

  test('a connection cut in the middle of a file resumes from where it stopped (HTTP Range)', async () => {
    const s = station();
    const encoder = release.files.find((f) => f.path === ENCODER)!;
    const cut = Math.floor(encoder.size / 3);
    mirror.cutOnce(ENCODER, cut);
    await assert.rejects(s.scribe.speechModel.install({}), (error: { reason: string; details: Record<string, unknown> }) => {
      assert.equal(error.reason, 'speech_model.interrupted');
      assert.equal(error.details['file'], ENCODER);
      return true;
    });
    const partial = stagedFiles(s).find((f) => f.endsWith('encoder_model.onnx.partial'))!;
    const kept = statSync(partial).size;
    assert.ok(kept > 0 && kept <= cut, `kept ${kept} of ${cut} bytes`);
    assert.equal(existsSync(installed(s)), false);

    assert.equal((await s.scribe.speechModel.install({})).state, 'installed');
    assert.deepEqual(
      mirror.requestsFor(ENCODER).map((r) => r.range),
      [undefined, `bytes=${kept}-`],
    );
  });

  test('after a restart, a download an earlier run left unfinished is offered as interrupted, and resumes', async () => {
    const dir = join(tmp.dir, 'restarted');
    const first = station(undefined, {}, dir);
    mirror.cutOnce(ENCODER, 100_000);
    await assert.rejects(first.scribe.speechModel.install({}));
    first.close();
    open.splice(open.indexOf(first), 1);

    const again = station(undefined, {}, dir);
    const status = await again.call<SpeechModelStatus>('models:status', {});
    assert.equal(status.install?.state, 'failed');
    assert.equal(status.install?.error?.reason, 'speech_model.interrupted');
    assert.ok((status.install?.bytesDone ?? 0) > 0);
    assert.equal(status.install?.files.find((f) => f.path === 'config.json')?.state, 'verified');
    assert.equal((await again.scribe.speechModel.install({})).state, 'installed');
    assert.match(mirror.requestsFor(ENCODER).at(-1)?.range ?? '', /^bytes=\d+-$/);
    assert.equal((await again.call<SpeechModelStatus>('models:status', {})).pinnedInstalled, true);
  });

  test('a cut connection is resumed by itself when retries are allowed', async () => {
    const s = station(undefined, { retryDelaysMs: [10] });
    mirror.cutOnce(ENCODER, 50_000);
    assert.equal((await s.scribe.speechModel.install({})).state, 'installed');
    const ranges = mirror.requestsFor(ENCODER).map((r) => r.range);
    assert.equal(ranges.length, 2);
    assert.match(ranges[1] ?? '', /^bytes=\d+-$/);
  });

  test('Stop keeps what arrived; installing again resumes from there', async () => {
    const s = station();
    mirror.throttle(16 * 1024, 10);
    const off = s.scribe.events.on('models:progress', (p) => {
      if (p.state !== 'downloading' || !p.files.some((f) => f.path === DECODER && f.bytesDone > 0)) return;
      off();
      s.scribe.speechModel.cancel();
    });
    await assert.rejects(s.scribe.speechModel.install({}), (e: { reason: string }) => e.reason === 'speech_model.cancelled');
    assert.equal((await s.call<SpeechModelStatus>('models:status', {})).install?.state, 'cancelled');
    const partial = stagedFiles(s).find((f) => f.endsWith('decoder_model_merged.onnx.partial'))!;
    const kept = statSync(partial).size;
    assert.ok(kept > 0);

    mirror.heal();
    assert.equal((await s.scribe.speechModel.install({})).state, 'installed');
    assert.deepEqual(
      mirror.requestsFor(DECODER).map((r) => r.range),
      [`bytes=${kept}-`],
    );
  });

  test('bytes left by an earlier attempt that no longer fit are fetched again from the start, once', async () => {
    const s = station();
    const staged = join(s.modelsDir, 'test-org', '.whisper-tiny-test.download', 'tokenizer.json.partial');
    mkdirSync(dirname(staged), { recursive: true });
    writeFileSync(staged, Buffer.alloc(1000, 7));
    assert.equal((await s.scribe.speechModel.install({})).state, 'installed');
    assert.deepEqual(
      mirror.requestsFor('tokenizer.json').map((r) => r.range),
      ['bytes=1000-', undefined],
    );
  });

  test('a full disk gives its own error and installs nothing', async () => {
    let written = 0;
    const s = station(undefined, {
      write: async (handle, chunk) => {
        if (written + chunk.length > 100_000) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        written += chunk.length;
        await handle.write(chunk);
      },
    });
    await assert.rejects(s.scribe.speechModel.install({}), (e: { reason: string }) => e.reason === 'speech_model.disk_full');
    assert.equal(existsSync(installed(s)), false);
    const status = await s.call<SpeechModelStatus>('models:status', {});
    assert.equal(status.install?.error?.reason, 'speech_model.disk_full');
  });

  test("the server's 404 says the file is not there", async () => {
    const s = station();
    mirror.remove('tokenizer.json');
    await assert.rejects(s.scribe.speechModel.install({}), (e: { reason: string; details: Record<string, unknown> }) => {
      assert.equal(e.reason, 'speech_model.not_on_server');
      assert.equal(e.details['file'], 'tokenizer.json');
      return true;
    });
    assert.equal(existsSync(installed(s)), false);
  });

  test('a policy that forbids downloads is obeyed; a shared folder it names is copied from, checked the same way', async () => {
    const forbidden = station({ speechModelDownloadsAllowed: false, speechModelMirrorUrl: mirror.url });
    const requests = mirror.requests.length;
    const status = await forbidden.call<SpeechModelStatus>('models:status', {});
    assert.deepEqual(status.source, { kind: 'forbidden' });
    assert.equal(status.sourceLocked, true);
    const refused = await forbidden.fail('models:install', {});
    assert.equal(refused.reason, 'speech_model.downloads_forbidden');
    assert.equal(refused.code, 'locked_by_policy');
    await assert.rejects(
      forbidden.scribe.speechModel.install({ from: mirror.url }),
      (e: { reason: string }) => e.reason === 'speech_model.downloads_forbidden',
    );
    assert.equal(mirror.requests.length, requests, 'nothing was downloaded');

    // IT's locked mirror is also where this computer fetches from: another address is refused, the mirror's own is not.
    const locked = station();
    await assert.rejects(
      locked.scribe.speechModel.install({ from: 'https://elsewhere.example.org' }),
      (e: { reason: string }) => e.reason === 'speech_model.source_locked',
    );
    assert.equal(mirror.requests.length, requests, 'nothing was fetched from anywhere');
    assert.equal((await locked.scribe.speechModel.install({ from: mirror.url })).state, 'installed');

    const fetched = mirror.requests.length;
    const shared = station({ speechModelDownloadsAllowed: false, speechModelSharedFolder: release.sourceRoot });
    assert.equal((await shared.scribe.speechModel.install({})).state, 'installed');
    assert.equal(mirror.requests.length, fetched, 'copied, not downloaded');
    assert.equal((await shared.call<SpeechModelStatus>('models:status', {})).inUse?.name, 'whisper-tiny-test');
  });
});
