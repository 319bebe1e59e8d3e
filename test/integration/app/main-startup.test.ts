import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'vitest';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { channelNames } from '../../../shared/api/contract.js';
import { skipWhen } from '../../helpers/skip.js';

/**
 * Runs the compiled Electron entry (dist/main/app/main.js) in plain Node, with 'electron' resolved
 * to a recording fake through a module loader hook. The Electron runtime cannot be installed here;
 * this checks the wiring the pure-function tests cannot see: what happens before 'ready', which
 * handlers are installed, the window's options and URL, the store opened through safeStorage, and
 * the error path when the key cannot be protected.
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

const REGISTER = `
import { register } from 'node:module';
register(process.env.HOOKS_URL);
`;

/** The fake: records calls into a trace, then drives the handlers main installed and exits. */
const FAKE_ELECTRON = String.raw`
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const config = JSON.parse(process.env.FAKE_CONFIG);
const trace = { order: [], schemes: null, sandboxEnabledBeforeReady: false, appHandlers: [], windows: [], loadedUrls: [], ipcChannels: [], errorBoxes: [], quit: 0, menuRoles: [], protocolHandled: [], permission: {}, ipc: {}, closedOnQuit: false, sent: [], shortcuts: [], focused: 0 };
let ready = false;
const appListeners = new Map();
let protocolHandler = null;
let requestHandler = null;
let checkHandler = null;
const ipcHandlers = new Map();
const shortcutCallbacks = new Map();

function finish() {
  writeFileSync(config.traceFile, JSON.stringify(trace));
  process.exit(0);
}

const mainFrame = { url: 'app://scribe/index.html', parent: null, processId: 1, routingId: 1 };

async function drive() {
  for (const url of ['app://scribe/index.html', 'app://scribe/visits/1', 'app://scribe/../../etc/passwd', 'app://scribe/%2e%2e/%2e%2e/etc/passwd.js', 'app://evil/index.html']) {
    // Plain objects, not Request: a Request would resolve the dot segments before main sees them.
    const response = await protocolHandler({ url, method: 'GET' });
    trace.protocolHandled.push({ url, status: response.status, csp: response.headers.get('content-security-policy'), type: response.headers.get('content-type') });
  }
  const post = await protocolHandler({ url: 'app://scribe/index.html', method: 'POST' });
  trace.protocolHandled.push({ url: 'POST', status: post.status });

  const ask = (permission, details) => new Promise((done) => requestHandler(null, permission, done, details));
  trace.permission.micMain = await ask('media', { requestingUrl: 'app://scribe/index.html', isMainFrame: true, mediaTypes: ['audio'] });
  trace.permission.camera = await ask('media', { requestingUrl: 'app://scribe/index.html', isMainFrame: true, mediaTypes: ['video'] });
  trace.permission.notifications = await ask('notifications', { requestingUrl: 'app://scribe/index.html', isMainFrame: true });
  trace.permission.micForeign = await ask('media', { requestingUrl: 'https://evil.example/', isMainFrame: true, mediaTypes: ['audio'] });
  trace.permission.checkMic = checkHandler(null, 'media', 'app://scribe', { isMainFrame: true, mediaType: 'audio' });
  trace.permission.checkForeign = checkHandler(null, 'media', 'https://evil.example', { isMainFrame: true, mediaType: 'audio' });

  trace.ipc.trusted = await ipcHandlers.get('app:info')({ senderFrame: mainFrame }, {});
  trace.ipc.foreign = await ipcHandlers.get('app:info')({ senderFrame: { ...mainFrame, url: 'https://evil.example/' } }, {});
  trace.ipc.list = await ipcHandlers.get('visit:list')({ senderFrame: mainFrame }, {});

  trace.ipc.shortcutStatus = await ipcHandlers.get('app:globalShortcut')({ senderFrame: mainFrame }, {});
  trace.ipc.raiseBeforePress = await ipcHandlers.get('app:raiseWindow')({ senderFrame: mainFrame }, {});
  for (const callback of shortcutCallbacks.values()) callback();
  trace.ipc.raiseAfterPress = await ipcHandlers.get('app:raiseWindow')({ senderFrame: mainFrame }, {});

  for (const listener of appListeners.get('before-quit') ?? []) listener({ preventDefault() {} });
  trace.ipc.afterQuitHandlers = ipcHandlers.size;
  finish();
}

export const app = {
  isPackaged: false,
  enableSandbox() { trace.order.push('enableSandbox'); trace.sandboxEnabledBeforeReady = !ready; },
  requestSingleInstanceLock() { trace.order.push('requestSingleInstanceLock'); return true; },
  whenReady() {
    return new Promise((done) => setImmediate(() => { ready = true; trace.order.push('ready'); done(); }));
  },
  on(event, listener) {
    trace.appHandlers.push(event);
    appListeners.set(event, [...(appListeners.get(event) ?? []), listener]);
    return app;
  },
  getPath(name) {
    if (name === 'userData') return config.userData;
    if (name === 'logs') return join(config.userData, 'logs');
    throw new Error('unexpected getPath ' + name);
  },
  quit() {
    trace.quit += 1;
    trace.order.push('quit');
    if (trace.windows.length === 0) setImmediate(finish);
  },
};

export const protocol = {
  registerSchemesAsPrivileged(schemes) { trace.order.push('registerSchemesAsPrivileged'); trace.schemes = { schemes, beforeReady: !ready }; },
  handle(scheme, handler) { trace.order.push('protocol.handle:' + scheme); protocolHandler = handler; },
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler) { trace.order.push('setPermissionRequestHandler'); requestHandler = handler; },
    setPermissionCheckHandler(handler) { trace.order.push('setPermissionCheckHandler'); checkHandler = handler; },
    setDevicePermissionHandler(handler) { trace.order.push('setDevicePermissionHandler'); trace.devicePermission = handler({ deviceType: 'usb' }); },
  },
};

export const safeStorage = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => config.backend,
  encryptString: (text) => Buffer.from('fake-os-encrypted:' + Buffer.from(text).toString('hex')),
  decryptString: (blob) => Buffer.from(blob.toString().slice('fake-os-encrypted:'.length), 'hex').toString(),
};

export const ipcMain = {
  handle(channel, handler) { trace.ipcChannels.push(channel); ipcHandlers.set(channel, handler); },
  removeHandler(channel) { ipcHandlers.delete(channel); },
};

export const globalShortcut = {
  register(accelerator, callback) { trace.shortcuts.push('register ' + accelerator + (ready ? '' : ' before ready')); shortcutCallbacks.set(accelerator, callback); return true; },
  unregister(accelerator) { trace.shortcuts.push('unregister ' + accelerator); shortcutCallbacks.delete(accelerator); },
  isRegistered: (accelerator) => shortcutCallbacks.has(accelerator),
};

export const dialog = { showErrorBox(title, message) { trace.errorBoxes.push({ title, message }); } };

function roles(items) {
  return items.flatMap((item) => [...(item.role ? [item.role] : []), ...(Array.isArray(item.submenu) ? roles(item.submenu) : [])]);
}
// Clinician sign-in opens the system browser through shell.openExternal; never reached in these tests.
export const shell = { openExternal: () => Promise.reject(new Error('no system browser here')) };
export const Menu = {
  buildFromTemplate: (template) => template,
  setApplicationMenu(template) { trace.menuRoles = roles(template); },
};

export class BrowserWindow {
  constructor(options) {
    trace.order.push('new BrowserWindow');
    trace.windows.push(options);
    const hardened = [];
    this.webContents = {
      mainFrame,
      isDestroyed: () => false,
      send: (...args) => trace.sent.push(args),
      on: (event) => { hardened.push(event); return this.webContents; },
      setWindowOpenHandler: () => hardened.push('setWindowOpenHandler'),
    };
    for (const listener of appListeners.get('web-contents-created') ?? []) listener({}, this.webContents);
    trace.hardened = hardened;
  }
  isDestroyed() { return false; }
  isMinimized() { return false; }
  once() { return this; }
  on() { return this; }
  show() {}
  focus() { trace.focused += 1; }
  loadURL(url) {
    trace.loadedUrls.push(url);
    setImmediate(() => drive().catch((error) => { trace.driveError = String(error && error.stack || error); finish(); }));
    return Promise.resolve();
  }
}

export default { app, protocol, session, safeStorage, ipcMain, dialog, globalShortcut, Menu, BrowserWindow, shell };
`;

interface Trace {
  order: string[];
  schemes: { schemes: { scheme: string; privileges: Record<string, boolean> }[]; beforeReady: boolean } | null;
  sandboxEnabledBeforeReady: boolean;
  appHandlers: string[];
  windows: { title?: string; webPreferences?: Record<string, unknown> }[];
  hardened?: string[];
  loadedUrls: string[];
  ipcChannels: string[];
  errorBoxes: { title: string; message: string }[];
  quit: number;
  menuRoles: string[];
  protocolHandled: { url: string; status: number; csp?: string | null; type?: string | null }[];
  permission: Record<string, boolean>;
  devicePermission?: boolean;
  ipc: {
    trusted?: { ok: boolean; value?: { transport?: string } };
    foreign?: { ok: boolean; error?: { code: string } };
    list?: { ok: boolean };
    afterQuitHandlers?: number;
    shortcutStatus?: { ok: boolean; value?: unknown };
    raiseBeforePress?: { ok: boolean; value?: unknown };
    raiseAfterPress?: { ok: boolean; value?: unknown };
  };
  shortcuts: string[];
  sent: unknown[][];
  focused: number;
  driveError?: string;
}

async function runMain(backend: string): Promise<Trace> {
  const dir = mkdtempSync(join(tmpdir(), 'scribe-main-'));
  try {
    writeFileSync(join(dir, 'hooks.mjs'), HOOKS);
    writeFileSync(join(dir, 'register.mjs'), REGISTER);
    writeFileSync(join(dir, 'fake-electron.mjs'), FAKE_ELECTRON);
    const traceFile = join(dir, 'trace.json');
    await execFileAsync(process.execPath, ['--no-warnings', '--import', pathToFileURL(join(dir, 'register.mjs')).href, mainJs], {
      cwd: dir,
      timeout: 60_000,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOOKS_URL: pathToFileURL(join(dir, 'hooks.mjs')).href,
        FAKE_ELECTRON_URL: pathToFileURL(join(dir, 'fake-electron.mjs')).href,
        FAKE_CONFIG: JSON.stringify({ traceFile, userData: join(dir, 'userData'), backend }),
      },
    });
    return JSON.parse(readFileSync(traceFile, 'utf8')) as Trace;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('main: locks down the session and window, opens the store, serves IPC', { ...skipWhen(skip), timeout: 90_000 }, async () => {
  const trace = await runMain('gnome_libsecret');
  assert.equal(trace.driveError, undefined);

  // Before 'ready': the privileged scheme and the sandbox for every renderer.
  assert.ok(trace.schemes?.beforeReady, 'schemes must be registered before ready');
  assert.deepEqual(trace.schemes?.schemes, [
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
  assert.equal(trace.sandboxEnabledBeforeReady, true);
  assert.ok(trace.order.indexOf('requestSingleInstanceLock') < trace.order.indexOf('ready'));

  // After 'ready', and before any window exists: protocol and permission handlers.
  const windowAt = trace.order.indexOf('new BrowserWindow');
  for (const step of ['protocol.handle:app', 'setPermissionRequestHandler', 'setPermissionCheckHandler', 'setDevicePermissionHandler']) {
    const at = trace.order.indexOf(step);
    assert.ok(at > trace.order.indexOf('ready') && at < windowAt, `${step} must run after ready and before the window`);
  }
  assert.equal(trace.devicePermission, false);
  for (const event of ['web-contents-created', 'before-quit', 'window-all-closed', 'second-instance'])
    assert.ok(trace.appHandlers.includes(event), event);

  // One window, hardened on creation, secure preferences, our URL.
  assert.equal(trace.windows.length, 1);
  const prefs = trace.windows[0]?.webPreferences ?? {};
  assert.equal(trace.windows[0]?.title, 'Ambient Scribe');
  assert.equal(prefs['contextIsolation'], true);
  assert.equal(prefs['sandbox'], true);
  assert.equal(prefs['nodeIntegration'], false);
  assert.equal(prefs['webSecurity'], true);
  assert.equal(prefs['spellcheck'], false);
  assert.equal(prefs['devTools'], true, 'unpackaged build');
  assert.equal(prefs['preload'], join(repoRoot, 'dist', 'preload.cjs'));
  assert.deepEqual(trace.hardened?.sort(), [
    'setWindowOpenHandler',
    'will-attach-webview',
    'will-frame-navigate',
    'will-navigate',
    'will-redirect',
  ]);
  assert.deepEqual(trace.loadedUrls, ['app://scribe/index.html']);
  assert.ok(trace.menuRoles.includes('toggleDevTools'), 'development menu');

  // The app:// handler: security headers, SPA routes, traversal and other hosts refused.
  const byUrl = new Map(trace.protocolHandled.map((r) => [r.url, r]));
  const served = byUrl.get('app://scribe/index.html');
  const renderBuilt = existsSync(join(repoRoot, 'dist', 'renderer', 'index.html'));
  assert.equal(served?.status, renderBuilt ? 200 : 404);
  assert.match(served?.csp ?? '', /^default-src 'none'/);
  assert.equal(byUrl.get('app://scribe/visits/1')?.status, renderBuilt ? 200 : 404);
  if (renderBuilt) assert.equal(served?.type, 'text/html; charset=utf-8');
  assert.equal(byUrl.get('app://scribe/../../etc/passwd')?.status, 404);
  assert.equal(byUrl.get('app://scribe/%2e%2e/%2e%2e/etc/passwd.js')?.status, 404);
  assert.equal(byUrl.get('app://evil/index.html')?.status, 404);
  assert.equal(byUrl.get('POST')?.status, 405);

  // Permissions as installed in the session.
  assert.deepEqual(trace.permission, {
    micMain: true,
    camera: false,
    notifications: false,
    micForeign: false,
    checkMic: true,
    checkForeign: false,
  });

  // IPC: every channel, trusted calls reach the opened store, foreign frames are refused.
  assert.deepEqual([...trace.ipcChannels].sort(), [...channelNames].sort());
  assert.equal(trace.ipc.trusted?.ok, true);
  assert.equal(trace.ipc.trusted?.value?.transport, 'ipc');
  assert.equal(trace.ipc.list?.ok, true);
  assert.deepEqual(trace.ipc.foreign, { ok: false, error: { code: 'forbidden', message: 'Request from an untrusted frame was refused.' } });
  assert.equal(trace.ipc.afterQuitHandlers, 0, 'before-quit removes the IPC handlers');
  assert.deepEqual(trace.errorBoxes, []);

  // The global start/stop shortcut: registered after ready, a press reaches the window as an event
  // without raising it, a raise is honoured just after a press, and quitting unregisters it.
  assert.deepEqual(trace.shortcuts, ['register CommandOrControl+Shift+Space', 'unregister CommandOrControl+Shift+Space']);
  assert.deepEqual(trace.ipc.shortcutStatus, { ok: true, value: { state: 'registered', accelerator: 'CommandOrControl+Shift+Space' } });
  assert.deepEqual(trace.ipc.raiseBeforePress, { ok: true, value: { raised: false } });
  assert.deepEqual(
    trace.sent.filter((args) => (args[1] as { event?: string } | undefined)?.event === 'app:shortcut'),
    [['scribe:event', { event: 'app:shortcut', payload: { action: 'toggleRecording' } }]],
  );
  assert.deepEqual(trace.ipc.raiseAfterPress, { ok: true, value: { raised: true } });
  assert.equal(trace.focused, 1);
});

test(
  "main: an unprotected keychain ('basic_text') shows a clear error and quits without a window",
  { ...skipWhen(skip), timeout: 90_000 },
  async () => {
    const trace = await runMain('basic_text');
    assert.equal(trace.windows.length, 0);
    assert.equal(trace.ipcChannels.length, 0);
    assert.ok(trace.quit >= 1);
    assert.equal(trace.errorBoxes.length, 1);
    assert.equal(trace.errorBoxes[0]?.title, 'Ambient Scribe cannot open its store');
    assert.match(trace.errorBoxes[0]?.message ?? '', /keychain/);
  },
);
