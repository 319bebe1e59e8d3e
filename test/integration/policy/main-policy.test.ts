import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'vitest';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { tempDir } from '../../helpers/temp-store.js';
import { skipWhen } from '../../helpers/skip.js';

/**
 * The compiled Electron entry in plain Node with 'electron' resolved to a small recording fake
 * (the runtime cannot be installed here): with an invalid machine policy it must show an error
 * naming the field and reason and quit before it opens the store or a window; with a valid one,
 * the policy's locks reach the renderer's API over IPC.
 */

const execFileAsync = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const mainJs = join(repoRoot, 'dist', 'main', 'app', 'main.js');
const skip = existsSync(mainJs) ? false : 'dist/main/app/main.js is missing: run `npm run build:node` first';

const HOOKS = `
export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: process.env.FAKE_ELECTRON_URL, shortCircuit: true };
  return next(specifier, context);
}
`;
const REGISTER = `import { register } from 'node:module'; register(process.env.HOOKS_URL);`;

const FAKE_ELECTRON = String.raw`
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
const config = JSON.parse(process.env.FAKE_CONFIG);
const trace = { errorBoxes: [], windows: 0, quit: 0, ipc: {} };
const ipcHandlers = new Map();
const finish = () => { writeFileSync(config.traceFile, JSON.stringify(trace)); process.exit(0); };
const mainFrame = { url: 'app://scribe/index.html', parent: null, processId: 1, routingId: 1 };
const noop = () => {};
export const app = {
  isPackaged: false,
  enableSandbox: noop,
  requestSingleInstanceLock: () => true,
  whenReady: () => new Promise((done) => setImmediate(done)),
  on() { return app; },
  getPath(name) { return name === 'logs' ? join(config.userData, 'logs') : config.userData; },
  getVersion: () => '0.0.0',
  quit() { trace.quit += 1; setImmediate(finish); },
};
export const protocol = { registerSchemesAsPrivileged: noop, handle: noop };
export const session = { defaultSession: { setPermissionRequestHandler: noop, setPermissionCheckHandler: noop, setDevicePermissionHandler: noop } };
export const safeStorage = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptString: (text) => Buffer.from('fake:' + Buffer.from(text).toString('hex')),
  decryptString: (blob) => Buffer.from(blob.toString().slice(5), 'hex').toString(),
};
export const ipcMain = { handle(channel, handler) { ipcHandlers.set(channel, handler); }, removeHandler(channel) { ipcHandlers.delete(channel); } };
export const dialog = { showErrorBox(title, message) { trace.errorBoxes.push({ title, message }); } };
export const globalShortcut = { register: () => true, unregister() {}, isRegistered: () => true };
// Clinician sign-in opens the system browser through shell.openExternal; never reached in these tests.
export const shell = { openExternal: () => Promise.reject(new Error('no system browser here')) };
export const Menu = { buildFromTemplate: (t) => t, setApplicationMenu: noop };
export class BrowserWindow {
  constructor() {
    trace.windows += 1;
    this.webContents = { mainFrame, isDestroyed: () => false, send: noop, on() { return this; }, setWindowOpenHandler: noop };
  }
  isDestroyed() { return false; }
  once() { return this; }
  on() { return this; }
  show() {}
  loadURL() {
    setImmediate(async () => {
      trace.ipc.get = await ipcHandlers.get('settings:get')({ senderFrame: mainFrame }, {});
      trace.ipc.update = await ipcHandlers.get('settings:update')({ senderFrame: mainFrame }, { audioMayLeaveDevice: true });
      finish();
    });
    return Promise.resolve();
  }
}
export default { app, protocol, session, safeStorage, ipcMain, dialog, globalShortcut, Menu, BrowserWindow, shell };
`;

interface Trace {
  errorBoxes: { title: string; message: string }[];
  windows: number;
  quit: number;
  ipc: {
    get?: { ok: boolean; value?: { settings: Record<string, { value: unknown; source: string; locked: boolean }> } };
    update?: { ok: boolean; error?: { code: string } };
  };
}

async function runMain(policy: string): Promise<{ trace: Trace; userData: string; cleanup(): void }> {
  const tmp = tempDir('scribe-main-policy-');
  writeFileSync(join(tmp.dir, 'hooks.mjs'), HOOKS);
  writeFileSync(join(tmp.dir, 'register.mjs'), REGISTER);
  writeFileSync(join(tmp.dir, 'fake-electron.mjs'), FAKE_ELECTRON);
  writeFileSync(join(tmp.dir, 'policy.json'), policy);
  const traceFile = join(tmp.dir, 'trace.json');
  const userData = join(tmp.dir, 'userData');
  await execFileAsync(process.execPath, ['--no-warnings', '--import', pathToFileURL(join(tmp.dir, 'register.mjs')).href, mainJs], {
    cwd: tmp.dir,
    timeout: 60_000,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOOKS_URL: pathToFileURL(join(tmp.dir, 'hooks.mjs')).href,
      FAKE_ELECTRON_URL: pathToFileURL(join(tmp.dir, 'fake-electron.mjs')).href,
      FAKE_CONFIG: JSON.stringify({ traceFile, userData }),
      SCRIBE_POLICY_FILE: join(tmp.dir, 'policy.json'),
    },
  });
  return { trace: JSON.parse(readFileSync(traceFile, 'utf8')) as Trace, userData, cleanup: () => tmp.cleanup() };
}

test(
  'an invalid machine policy: a clear error naming field and reason, no store, no window',
  { ...skipWhen(skip), timeout: 90_000 },
  async () => {
    const run = await runMain('{"audioMayLeaveDevice": "sometimes", "signingRole": ["scribe"]}');
    try {
      assert.equal(run.trace.windows, 0);
      assert.ok(run.trace.quit >= 1);
      assert.equal(run.trace.errorBoxes.length, 1);
      const [box] = run.trace.errorBoxes;
      assert.equal(box?.title, 'Ambient Scribe cannot start: machine policy');
      assert.match(box?.message ?? '', /audioMayLeaveDevice: .*boolean/);
      assert.match(box?.message ?? '', /signingRole: is not a setting/);
      assert.equal(existsSync(join(run.userData, 'store')), false, 'the store was not created');
      const log = readdirSync(join(run.userData, 'logs'))
        .map((f) => readFileSync(join(run.userData, 'logs', f), 'utf8'))
        .join('');
      assert.match(log, /"event":"policy.invalid","type":"PolicyInvalidError","count":2/);
    } finally {
      run.cleanup();
    }
  },
);

test(
  'a valid machine policy: its locks reach the renderer over IPC and hold against an update',
  { ...skipWhen(skip), timeout: 90_000 },
  async () => {
    const run = await runMain('{"audioMayLeaveDevice": false, "consentRequired": true}');
    try {
      assert.deepEqual(run.trace.errorBoxes, []);
      assert.equal(run.trace.windows, 1);
      assert.deepEqual(run.trace.ipc.get?.value?.settings['audioMayLeaveDevice'], { value: false, source: 'policy', locked: true });
      assert.equal(run.trace.ipc.update?.ok, false);
      assert.equal(run.trace.ipc.update?.error?.code, 'locked_by_policy');
    } finally {
      run.cleanup();
    }
  },
);
