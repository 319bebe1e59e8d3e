import assert from 'node:assert/strict';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, test } from 'vitest';
import type { SpeechModelProgress, SpeechModelStatus } from '../../../shared/domain/speech-model.js';
import { CLI_MISSING, cliBuilt, scribeAsync } from '../../helpers/cli.js';
import type { ModelMirror, TinyModelRelease } from '../../helpers/model-mirror.js';
import { makeTinyModelRelease, startModelMirror } from '../../helpers/model-mirror.js';
import { skipWhen } from '../../helpers/skip.js';
import { tempDir } from '../../helpers/temp-store.js';
import { tinyWhisperAvailable, TINY_WHISPER_MISSING } from '../../helpers/tiny-whisper.js';

const skip = !cliBuilt ? CLI_MISSING : !tinyWhisperAvailable ? TINY_WHISPER_MISSING : false;

describe('scribe models install and list', skipWhen(skip), () => {
  const tmp = tempDir('scribe-models-cli-');
  let release: TinyModelRelease;
  let mirror: ModelMirror;
  let count = 0;

  beforeAll(async () => {
    release = makeTinyModelRelease(tmp.dir);
    mirror = await startModelMirror(release);
  });
  afterEach(() => mirror.heal());
  afterAll(async () => {
    await mirror.close();
    tmp.cleanup();
  });

  /** A workstation of its own: its models folder, data folder and (optional) machine policy. No store is needed. */
  function workstation(policy: Record<string, unknown> = {}) {
    const dir = join(tmp.dir, `ws-${(count += 1)}`);
    const policyFile = join(tmp.dir, `policy-${count}.json`);
    writeFileSync(policyFile, JSON.stringify(policy));
    const models = join(dir, 'models');
    const env = { SCRIBE_DATA_DIR: join(dir, 'data'), SCRIBE_MODEL_MANIFEST: release.manifestFile, SCRIBE_POLICY_FILE: policyFile };
    return { models, run: (args: string[]) => scribeAsync(['--models-dir', models, 'models', ...args], env) };
  }

  test('install --from the mirror --json: progress on stderr, every file verified, then list shows it installed', async () => {
    const ws = workstation();
    const before = await ws.run(['list', '--json']);
    assert.equal(before.status, 0, before.stderr);
    assert.equal((JSON.parse(before.stdout) as SpeechModelStatus).pinnedInstalled, false);

    const result = await ws.run(['install', '--from', mirror.url, '--json']);
    assert.equal(result.status, 0, result.stderr);
    const outcome = JSON.parse(result.stdout) as SpeechModelProgress & { folder: string };
    assert.equal(outcome.state, 'installed');
    assert.equal(outcome.bytesDone, outcome.bytesTotal);
    assert.deepEqual(
      outcome.files.map((f) => [f.path, f.state]),
      release.files.map((f) => [f.path, 'verified']),
    );
    assert.equal(outcome.folder, join(ws.models, 'test-org', 'whisper-tiny-test'));
    for (const file of release.files) {
      assert.match(result.stderr, new RegExp(`${file.path.replace(/\./g, '\\.')}: .*SHA-256 verified`));
      assert.equal(statSync(join(outcome.folder, file.path)).size, file.size);
    }

    const after = await ws.run(['list', '--json']);
    const listed = JSON.parse(after.stdout) as SpeechModelStatus & { folders: { models: { id: string }[] }[] };
    assert.equal(listed.pinnedInstalled, true);
    assert.equal(listed.inUse?.id, 'test-org/whisper-tiny-test');
    assert.equal(listed.folders[0]!.models[0]!.id, 'test-org/whisper-tiny-test');
    const text = await ws.run(['list']);
    assert.match(text.stdout, /Pinned speech model: test-org\/whisper-tiny-test .*: installed/);
  });

  test('a file whose hash does not match: exit 1, the reason and the file in the JSON, nothing installed', async () => {
    const ws = workstation();
    mirror.corrupt('tokenizer.json');
    const result = await ws.run(['install', '--from', mirror.url, '--json']);
    assert.equal(result.status, 1);
    const failed = JSON.parse(result.stdout) as { state: string; reason: string; details: { file: string } };
    assert.equal(failed.state, 'failed');
    assert.equal(failed.reason, 'speech_model.file_mismatch');
    assert.equal(failed.details.file, 'tokenizer.json');
    assert.match(result.stderr, /scribe: A downloaded file did not match the speech model this app trusts/);

    const text = await ws.run(['install', '--from', mirror.url]);
    assert.equal(text.status, 1);
    assert.match(text.stderr, /file: tokenizer\.json\n\s+expectedSha256: [0-9a-f]{64}\n\s+actualSha256: [0-9a-f]{64}/);
    assert.equal(existsSync(join(ws.models, 'test-org', 'whisper-tiny-test')), false);
  });

  test('the policy forbids downloads: exit 1 without a request; its shared folder is copied from instead', async () => {
    const forbidden = workstation({ speechModelDownloadsAllowed: false });
    const requests = mirror.requests.length;
    const refused = await forbidden.run(['install', '--from', mirror.url]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /does not allow the speech model to be downloaded/);
    assert.equal(mirror.requests.length, requests);
    const listed = await forbidden.run(['list']);
    assert.match(listed.stdout, /downloads are forbidden by the machine policy/);

    const shared = workstation({ speechModelDownloadsAllowed: false, speechModelSharedFolder: release.sourceRoot });
    const copied = await shared.run(['install', '--json']);
    assert.equal(copied.status, 0, copied.stderr);
    assert.equal((JSON.parse(copied.stdout) as SpeechModelProgress).source.kind, 'folder');
    assert.equal(mirror.requests.length, requests);
  });
});
