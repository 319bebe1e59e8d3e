import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, sep } from 'node:path';
import { makeTinyWhisper } from './tiny-whisper.js';

/**
 * A speech model "release" the tests make for themselves: the generated tiny Whisper in a models
 * folder layout (`source/<org>/<name>/…`, what IT's shared folder holds), and a manifest pinning
 * its files' sizes and SHA-256s, in the format of scripts/models-manifest.json.
 */
export interface TinyModelRelease {
  readonly id: string;
  readonly revision: string;
  /** A models folder holding the model (IT's shared folder). */
  readonly sourceRoot: string;
  readonly files: readonly { readonly path: string; readonly size: number; readonly sha256: string }[];
  readonly bytes: ReadonlyMap<string, Buffer>;
  /** The manifest file (SCRIBE_MODEL_MANIFEST). */
  readonly manifestFile: string;
  readonly manifest: { readonly models: readonly unknown[] };
}

export const TEST_MODEL_ID = 'test-org/whisper-tiny-test';
export const TEST_REVISION = 'b'.repeat(40);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

export function makeTinyModelRelease(dir: string, script = '0.00>Why not?<1.00'): TinyModelRelease {
  const sourceRoot = join(dir, 'shared-models');
  const [org, name] = TEST_MODEL_ID.split('/') as [string, string];
  const folder = makeTinyWhisper(join(sourceRoot, org), name, { script });
  const bytes = new Map<string, Buffer>();
  const files = filesUnder(folder)
    .map((file) => relative(folder, file).split(sep).join('/'))
    .sort()
    .map((path) => {
      const data = readFileSync(join(folder, path));
      bytes.set(path, data);
      return { path, size: data.length, sha256: createHash('sha256').update(data).digest('hex') };
    });
  const manifest = { models: [{ id: TEST_MODEL_ID, revision: TEST_REVISION, default: true, files }] };
  const manifestFile = join(dir, 'test-models-manifest.json');
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  return { id: TEST_MODEL_ID, revision: TEST_REVISION, sourceRoot, files, bytes, manifestFile, manifest };
}

export interface MirrorRequest {
  readonly path: string;
  readonly range: string | undefined;
}

/** An HTTP mirror of the hub's layout on 127.0.0.1 serving a release, with Range, and faults on demand. */
export interface ModelMirror {
  readonly url: string;
  readonly requests: MirrorRequest[];
  /** Serve different bytes (same size) for this file. */
  corrupt(path: string): void;
  /** Cut the connection after this many bytes of the file, on the next request for it only. */
  cutOnce(path: string, afterBytes: number): void;
  /** Answer 404 for this file. */
  remove(path: string): void;
  /** Send every file in pieces of this many bytes, one piece per `everyMs` (so a person can watch the progress). */
  throttle(bytes: number, everyMs: number): void;
  /** Serve every file as released again, at full speed, and start counting requests afresh. */
  heal(): void;
  /** Requests for this file, since the last heal(). */
  requestsFor(path: string): MirrorRequest[];
  close(): Promise<void>;
}

export async function startModelMirror(release: TinyModelRelease): Promise<ModelMirror> {
  const corrupted = new Set<string>();
  const removed = new Set<string>();
  const cuts = new Map<string, number>();
  let pace: { bytes: number; everyMs: number } | undefined;
  const requests: MirrorRequest[] = [];
  let healedAt = 0;
  const prefix = `/${release.id}/resolve/${release.revision}/`;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : '';
    const range = req.headers.range;
    requests.push({ path, range });
    const original = release.bytes.get(path);
    if (!original || removed.has(path)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Entry not found');
      return;
    }
    let body = original;
    if (corrupted.has(path)) {
      body = Buffer.from(original);
      const at = Math.floor(body.length / 2);
      body[at] = (body[at] ?? 0) ^ 0xff;
    }
    const match = /^bytes=(\d+)-$/.exec(range ?? '');
    const start = match ? Number(match[1]) : 0;
    if (start >= body.length && match) {
      res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
      return;
    }
    const part = body.subarray(start);
    const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': String(part.length), 'Accept-Ranges': 'bytes' };
    if (match) res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}` });
    else res.writeHead(200, headers);
    const cut = cuts.get(path);
    if (cut !== undefined) {
      cuts.delete(path);
      res.write(part.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 50));
      return;
    }
    if (!pace) {
      res.end(part);
      return;
    }
    const { bytes, everyMs } = pace;
    let at = 0;
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer);
      res.write(part.subarray(at, (at += bytes)));
      if (at >= part.length) {
        clearInterval(timer);
        res.end();
      }
    }, everyMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    corrupt: (path) => void corrupted.add(path),
    cutOnce: (path, afterBytes) => void cuts.set(path, afterBytes),
    remove: (path) => void removed.add(path),
    throttle: (bytes, everyMs) => void (pace = { bytes, everyMs }),
    heal() {
      corrupted.clear();
      removed.clear();
      cuts.clear();
      pace = undefined;
      healedAt = requests.length;
    },
    requestsFor: (path) => requests.slice(healedAt).filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
