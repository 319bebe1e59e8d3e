/**
 * Shared plumbing for the browser end-to-end specs: a temporary encrypted store, the real `scribe`
 * CLI, `scribe web` on 127.0.0.1, and Debian's Chromium driven by playwright-core.
 */
import assert from 'node:assert/strict';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

const execFileAsync = promisify(execFile);

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error('package.json not found above the test.');
  }
}

export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
export const CHROMIUM = '/usr/bin/chromium';
export const CLI_JS = join(ROOT, 'dist', 'main', 'cli', 'index.js');
export const RESULTS = join(ROOT, 'test-results');
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const TIMEOUT_MS = 15_000;

export const e2eSkipReason: string | undefined = !existsSync(CHROMIUM)
  ? `Chromium not found at ${CHROMIUM} (apt-get install chromium)`
  : !existsSync(join(ROOT, 'dist', 'renderer', 'index.html'))
    ? 'dist/renderer/index.html is missing: run `npm run build` first'
    : !existsSync(CLI_JS)
      ? 'dist/main/cli/index.js is missing: run `npm run build` first'
      : undefined;

export interface WebAddress {
  readonly url: string;
  readonly origin: string;
  readonly token: string;
}

export interface Workstation {
  readonly dataDir: string;
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
  /** Runs the real CLI against this store; resolves with stdout. */
  scribe(args: readonly string[], extra?: Record<string, string>): Promise<string>;
  /** Starts `scribe web` as the given role; stop it with the returned function. */
  web(extra?: Record<string, string>): Promise<WebServer>;
  /** Starts a long-running command that prints one JSON line when ready (`scribe sandbox --json`). */
  background(args: readonly string[], extra?: Record<string, string>): Promise<{ readonly ready: unknown; stop(): Promise<void> }>;
  dispose(): Promise<void>;
}

export interface WebServer {
  readonly address: WebAddress;
  /** Everything the process wrote (stdout and stderr), for PHI checks. */
  output(): string;
  /** Calls a channel the way the renderer does, with the bridge token. */
  call(channel: string, request: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
  stop(): Promise<void>;
  /** Kills the process as a crash would (SIGKILL) and waits for it to be gone. */
  crash(): Promise<void>;
}

/** Waits for the first stdout line of `scribe web --json`, failing if the process exits first. */
export function firstLine(child: ChildProcessWithoutNullStreams, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => fail(new Error(`scribe web printed nothing within ${TIMEOUT_MS * 2} ms`)), TIMEOUT_MS * 2);
    const onExit = (code: number | null) => fail(new Error(`scribe web exited (${code}) before printing its address: ${stderr()}`));
    function fail(error: Error) {
      clearTimeout(timer);
      child.off('exit', onExit);
      lines.close();
      reject(error);
    }
    child.once('exit', onExit);
    lines.once('line', (line) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      lines.close();
      resolve(line);
    });
  });
}

/** SIGTERM, then SIGKILL after 5 s; resolves once the process is gone. */
export async function stopProcess(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** A fresh encrypted store in a temporary folder, initialised through the CLI. */
export async function createWorkstation(defaults: { user: string; role: 'clinician' | 'scribe' | 'admin' }): Promise<Workstation> {
  await mkdir(RESULTS, { recursive: true });
  const dataDir = await mkdtemp(join(tmpdir(), 'scribe-e2e-'));
  const servers: WebServer[] = [];
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    ...process.env,
    SCRIBE_DATA_DIR: join(dataDir, 'store'),
    SCRIBE_PASSPHRASE: 'e2e passphrase, synthetic data only',
    SCRIBE_USER: defaults.user,
    SCRIBE_ROLE: defaults.role,
    SCRIBE_LOG: 'json',
    ...extra,
  });
  const scribe = async (args: readonly string[], extra?: Record<string, string>) => {
    const { stdout } = await execFileAsync(process.execPath, [CLI_JS, ...args], { env: env(extra), cwd: ROOT, timeout: 60_000 });
    return stdout;
  };
  await scribe(['init']);

  const web = async (extra?: Record<string, string>): Promise<WebServer> => {
    const child = spawn(process.execPath, [CLI_JS, 'web', '--port', '0', '--json'], {
      env: env(extra),
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const line = await firstLine(child, () => output);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const address = JSON.parse(line) as WebAddress;
    assert.match(address.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    const server: WebServer = {
      address,
      output: () => output,
      async call(channel, request) {
        const response = await fetch(`${address.origin}/api/call/${channel}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${address.token}` },
          body: JSON.stringify(request),
        });
        return (await response.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
      },
      stop: () => stopProcess(child),
      crash: async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGKILL');
        await exited;
      },
    };
    servers.push(server);
    return server;
  };

  const stoppers: (() => Promise<void>)[] = [];
  const background = async (args: readonly string[], extra?: Record<string, string>) => {
    const child = spawn(process.execPath, [CLI_JS, ...args], { env: env(extra), cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const ready: unknown = JSON.parse(await firstLine(child, () => output));
    const stop = () => stopProcess(child);
    stoppers.push(stop);
    return { ready, stop };
  };

  return {
    dataDir,
    env,
    scribe,
    web,
    background,
    async dispose() {
      for (const server of servers) await server.stop();
      for (const stop of stoppers) await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A screenshot under test-results/, with no hover effect in it: the full page from its top, or
 * just the window (for a modal dialog, which sits in the window, not the page).
 */
export async function screenshot(page: Page, name: string, options: { window?: boolean } = {}): Promise<void> {
  await page.mouse.move(0, 0);
  if (!options.window) await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: !options.window, animations: 'disabled' });
}

/** Collects console errors and page errors, so a spec can assert the CSP was never broken. */
/**
 * Debian's Chromium with one light-scheme page 1280 pixels wide, waiting up to TIMEOUT_MS, whose
 * console lines and page errors go to `seen`. `fakeMicrophone` plays a WAV once as the microphone.
 */
export async function openAppPage(
  seen: { console: string[]; errors: string[] },
  options: { height?: number; fakeMicrophone?: string; fakeMedia?: boolean; autoplay?: boolean } = {},
): Promise<{ browser: Browser; page: Page }> {
  const media = options.fakeMicrophone !== undefined || options.fakeMedia === true;
  const args = [
    ...CHROMIUM_ARGS,
    ...(media ? ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'] : []),
    ...(options.fakeMicrophone !== undefined ? [`--use-file-for-fake-audio-capture=${options.fakeMicrophone}%noloop`] : []),
    ...(options.autoplay ? ['--autoplay-policy=no-user-gesture-required'] : []),
  ];
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
  const context = await browser.newContext({ viewport: { width: 1280, height: options.height ?? 800 }, colorScheme: 'light' });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  watchPage(page, seen);
  return { browser, page };
}

export function watchPage(page: Page, sink: { console: string[]; errors: string[] }): void {
  page.on('console', (message) => {
    if (message.type() === 'error') sink.console.push(message.text());
  });
  page.on('pageerror', (error) => sink.errors.push(error.message));
}

const AXE_PATH = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

export const axeMissing = existsSync(AXE_PATH)
  ? undefined
  : 'axe-core is not installed (node_modules/axe-core/axe.min.js): the accessibility check is skipped';

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

/**
 * Runs axe-core on the page as it is and returns serious and critical violations (WCAG 2.x A/AA
 * rules). axe is evaluated through the DevTools protocol, which the page's CSP does not govern.
 */
export async function seriousAccessibilityIssues(page: Page): Promise<string[]> {
  if (axeMissing) return [];
  await page.evaluate(readFileSync(AXE_PATH, 'utf8'));
  const violations = await page.evaluate<AxeViolation[]>(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`,
  );
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export interface ClipboardReader {
  /** What a person would paste now. */
  read(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The app's pages may write the clipboard but never read it (Permissions-Policy clipboard-read=()),
 * so tests read it from a blank page on another loopback origin, as a person pasting elsewhere would.
 */
export async function clipboardReader(context: BrowserContext): Promise<ClipboardReader> {
  const server = createServer((_req, res) => res.end('<!doctype html><title>paste</title>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  return {
    async read() {
      const reader = await context.newPage();
      try {
        await reader.goto(`${origin}/`);
        await reader.bringToFront();
        return await reader.evaluate<string>('navigator.clipboard.readText()');
      } finally {
        await reader.close();
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
