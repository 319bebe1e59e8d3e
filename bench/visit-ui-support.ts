/**
 * What bench/visit-ui.ts drives: a temporary encrypted store with `scribe web` on 127.0.0.1 (the
 * built CLI), a loopback OpenAI-compatible transcription server, and espeak-ng speech at 16 kHz.
 * The browser specs have their own copy of the first (test/helpers/e2e-web.ts, not in the build).
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from '../main/kernel/app-identity.js';
import { openAudioSource } from '../main/capture/wav-file-source.js';
import { wavHeader } from '../main/capture/wav-header.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const CLI_JS = join(packageRoot, 'dist', 'main', 'cli', 'index.js');
const RENDERER_HTML = join(packageRoot, 'dist', 'renderer', 'index.html');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Why the browser figures cannot be measured, or undefined. `npm run bench` builds only the Node
 * code, so a missing or out-of-date renderer bundle is built here (vite), never measured stale.
 */
export function browserBenchUnavailable(): string | undefined {
  if (!existsSync(CHROMIUM)) return `Chromium not found at ${CHROMIUM}`;
  if (spawnSync('espeak-ng', ['--version'], { stdio: 'ignore' }).status !== 0) return 'espeak-ng is not installed';
  if (!existsSync(CLI_JS)) return 'dist/main/cli/index.js is missing: run `npm run build:node`';
  const sources = [join(packageRoot, 'renderer'), join(packageRoot, 'shared')];
  if (!existsSync(RENDERER_HTML) || Math.max(...sources.map(newestMtime)) > statSync(RENDERER_HTML).mtimeMs) {
    const built = spawnSync('npm', ['run', 'build:web'], { cwd: packageRoot, stdio: 'ignore' });
    if (built.status !== 0 || !existsSync(RENDERER_HTML)) return 'the renderer could not be built (npm run build:web)';
  }
  return undefined;
}

export interface WebSession {
  /** The address with the bridge token, for the browser. */
  readonly url: string;
  readonly origin: string;
  call<T>(channel: string, request: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** A fresh store (initialised with the real CLI) and `scribe web` on it, as `user` with `role`. */
export async function startWebSession(env: Record<string, string>): Promise<WebSession & { readonly dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'scribe-bench-ui-'));
  const fullEnv: NodeJS.ProcessEnv = {
    ...process.env,
    SCRIBE_DATA_DIR: join(dataDir, 'store'),
    SCRIBE_PASSPHRASE: 'bench passphrase, synthetic data only',
    SCRIBE_USER: 'dr.bench',
    SCRIBE_ROLE: 'clinician',
    SCRIBE_LOG: 'json',
    ...env,
  };
  execFileSync(process.execPath, [CLI_JS, 'init'], { env: fullEnv, cwd: packageRoot, stdio: 'ignore' });
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [CLI_JS, 'web', '--port', '0', '--json'], {
    env: fullEnv,
    cwd: packageRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stderr.resume();
  const lines = createInterface({ input: child.stdout });
  const [line] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => Promise.reject(new Error('scribe web exited before printing its address'))),
  ])) as [string];
  lines.close();
  child.stdout.resume();
  const address = JSON.parse(line) as { url: string; origin: string; token: string };
  return {
    dataDir,
    url: address.url,
    origin: address.origin,
    async call<T>(channel: string, request: unknown): Promise<T> {
      const response = await fetch(`${address.origin}/api/call/${channel}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${address.token}` },
        body: JSON.stringify(request),
      });
      const body = (await response.json()) as { ok: boolean; value?: T; error?: { code: string; message: string } };
      if (!body.ok) throw new Error(`${channel}: ${body.error?.code ?? 'error'}: ${body.error?.message ?? ''}`);
      return body.value as T;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TranscriptionLoopback {
  readonly baseUrl: string;
  /** Uploads answered so far. */
  readonly uploads: () => number;
  close(): Promise<void>;
}

/**
 * An OpenAI-compatible transcription server on 127.0.0.1: every uploaded speech segment is answered
 * (gpt-4o-transcribe style, text only) with the next line of `lines`, as a real service would
 * answer with what was said.
 */
export async function startTranscriptionLoopback(lines: readonly string[]): Promise<TranscriptionLoopback> {
  let uploads = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/audio/transcriptions')) {
        res.writeHead(404).end();
        return;
      }
      const text = lines[uploads % lines.length]!;
      uploads += 1;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ text }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    uploads: () => uploads,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Sentences spoken by espeak-ng, each followed by `gapMs` of silence, as 16 kHz mono Int16. */
export async function spokenPattern(sentences: readonly string[], gapMs = 700): Promise<Int16Array> {
  const dir = mkdtempSync(join(tmpdir(), 'scribe-bench-speech-'));
  try {
    const parts: Int16Array[] = [new Int16Array(16 * 500)];
    for (const [i, text] of sentences.entries()) {
      const file = join(dir, `s${i}.wav`);
      const made = spawnSync('espeak-ng', ['-w', file, '-s', '165', text]);
      if (made.status !== 0) throw new Error('espeak-ng failed');
      const source = await openAudioSource(file);
      for await (const block of source.blocks()) parts.push(Int16Array.from(block));
      await source.close();
      parts.push(new Int16Array(16 * gapMs));
    }
    const all = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return all;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function writeWav16k(file: string, samples: Int16Array): void {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  writeFileSync(file, Buffer.concat([wavHeader(16_000, 1, data.length), data]));
}
