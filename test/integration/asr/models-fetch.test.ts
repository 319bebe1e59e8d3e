import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { findWhisperModels } from '../../../main/asr/models-dir.js';
import { tempDir } from '../../helpers/temp-store.js';
import { makeTinyWhisper, tinyWhisperAvailable, TINY_WHISPER_MISSING } from '../../helpers/tiny-whisper.js';
import { skipWhen } from '../../helpers/skip.js';

const SCRIPT = fileURLToPath(new URL('../../../scripts/models-fetch.mjs', import.meta.url));
const MANIFEST = fileURLToPath(new URL('../../../scripts/models-manifest.json', import.meta.url));
const REVISION = 'a'.repeat(40);
const FILES = [
  'config.json',
  'generation_config.json',
  'preprocessor_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'onnx/encoder_model.onnx',
  'onnx/decoder_model_merged.onnx',
];

function run(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [SCRIPT, ...args], {
    env: { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent', SCRIBE_FETCH_BACKOFF_MS: '10', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return once(child, 'close').then(([status]) => ({ status: status as number | null, stdout, stderr }));
}

describe('the committed models manifest', () => {
  test('pins a commit and gives a size and SHA-256 for every file transformers.js loads', () => {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as {
      models: {
        id: string;
        revision: string;
        default?: boolean;
        dtype: Record<string, string>;
        files: { path: string; size: number; sha256: string }[];
      }[];
    };
    const model = manifest.models.find((m) => m.default)!;
    assert.equal(model.id, 'onnx-community/whisper-base.en');
    assert.match(model.revision, /^[0-9a-f]{40}$/);
    const paths = model.files.map((f) => f.path);
    for (const needed of [
      'config.json',
      'generation_config.json',
      'preprocessor_config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'onnx/encoder_model.onnx',
      'onnx/decoder_model_merged_quantized.onnx',
    ]) {
      assert.ok(paths.includes(needed), needed);
    }
    for (const file of model.files) {
      assert.match(file.sha256, /^[0-9a-f]{64}$/, file.path);
      assert.ok(Number.isInteger(file.size) && file.size > 0, file.path);
    }
    assert.deepEqual(model.dtype, { encoder_model: 'fp32', decoder_model_merged: 'q8' });
  });
});

describe('npm run models:fetch', skipWhen(tinyWhisperAvailable ? false : TINY_WHISPER_MISSING), () => {
  const tmp = tempDir('scribe-models-fetch-');
  const served = new Map<string, Buffer>();
  const requests: string[] = [];
  let corrupt = '';
  let endpoint = '';
  let manifest = '';
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const body = served.get(req.url ?? '');
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    const bytes = req.url?.endsWith(corrupt) && corrupt ? Buffer.from(body).fill(0x41, 0, 16) : body;
    res.writeHead(200, { 'content-length': String(bytes.length) }).end(bytes);
  });

  beforeAll(async () => {
    // The tiny model stands in for the Hub's files: a manifest lists their sizes and hashes.
    const source = makeTinyWhisper(tmp.dir, 'source');
    const files = FILES.map((path) => {
      const bytes = readFileSync(join(source, path));
      served.set(`/test-org/tiny-whisper/resolve/${REVISION}/${path}`, bytes);
      return { path, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    });
    manifest = join(tmp.dir, 'manifest.json');
    writeFileSync(
      manifest,
      JSON.stringify({
        models: [
          {
            id: 'test-org/tiny-whisper',
            revision: REVISION,
            default: true,
            dtype: { encoder_model: 'fp32', decoder_model_merged: 'fp32' },
            files,
          },
        ],
      }),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.close();
    await once(server, 'close');
    tmp.cleanup();
  });

  test('downloads the pinned revision, verifies every file and leaves a model the engine finds', async () => {
    const dir = join(tmp.dir, 'models-ok');
    const result = await run(['--dir', dir, '--manifest', manifest, '--endpoint', endpoint]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Installed test-org\/tiny-whisper/);
    assert.ok(
      requests.every((url) => url.includes(`/resolve/${REVISION}/`)),
      'only the pinned commit is asked for',
    );
    const found = findWhisperModels(dir);
    assert.deepEqual(
      found.map((m) => m.id),
      ['test-org/tiny-whisper'],
    );
    const marker = JSON.parse(readFileSync(join(dir, 'test-org', 'tiny-whisper', 'scribe-model.json'), 'utf8')) as { revision: string };
    assert.equal(marker.revision, REVISION);

    // A second run finds everything intact and downloads nothing.
    requests.length = 0;
    const again = await run(['--dir', dir, '--manifest', manifest, '--endpoint', endpoint]);
    assert.equal(again.status, 0);
    assert.equal(requests.length, 0);
    assert.match(again.stderr, /present and verified/);
  });

  test('a file that does not match its SHA-256 is refused and nothing of it stays on disk', async () => {
    const dir = join(tmp.dir, 'models-bad');
    corrupt = 'onnx/encoder_model.onnx';
    try {
      const result = await run(['--dir', dir, '--manifest', manifest, '--endpoint', endpoint]);
      assert.equal(result.status, 1);
      assert.match(result.stderr, /onnx\/encoder_model\.onnx does not match its SHA-256 in the manifest/);
      const onnxDir = join(dir, 'test-org', 'tiny-whisper', 'onnx');
      assert.deepEqual(existsSync(onnxDir) ? readdirSync(onnxDir) : [], []);
      assert.deepEqual(findWhisperModels(dir), []);
    } finally {
      corrupt = '';
    }
  });

  test('offline: a clear error saying it needs internet access, exit 1', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const result = await run(['--dir', join(tmp.dir, 'models-offline'), '--manifest', manifest, '--endpoint', `http://127.0.0.1:${port}`]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /models:fetch: Could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\. models:fetch needs internet access/);
    assert.doesNotMatch(result.stderr, /at .*\.mjs:\d+/, 'no stack trace');
  });

  test('a manifest without hashes, or pinned to a branch, is refused before anything is fetched', async () => {
    const loose = join(tmp.dir, 'loose.json');
    writeFileSync(
      loose,
      JSON.stringify({ models: [{ id: 'x/y', revision: 'main', files: [{ path: 'config.json', size: 1, sha256: 'a'.repeat(64) }] }] }),
    );
    const branch = await run(['--dir', join(tmp.dir, 'm'), '--manifest', loose, '--endpoint', endpoint]);
    assert.equal(branch.status, 1);
    assert.match(branch.stderr, /not a commit id/);
    writeFileSync(
      loose,
      JSON.stringify({ models: [{ id: 'x/y', revision: REVISION, files: [{ path: 'config.json', size: 1, sha256: 'to-be-filled' }] }] }),
    );
    const unhashed = await run(['--dir', join(tmp.dir, 'm'), '--manifest', loose, '--endpoint', endpoint]);
    assert.equal(unhashed.status, 1);
    assert.match(unhashed.stderr, /no size or SHA-256 for config\.json/);
  });
});
