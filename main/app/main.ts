import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session } from 'electron';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../api/dispatch.js';
import { openScribe } from '../compose.js';
import type { Scribe } from '../compose.js';
import { ScribeError } from '../errors.js';
import { createJsonLineLogger, nullLogger } from '../log/logger.js';
import type { Logger } from '../log/logger.js';
import { DATABASE_FILE } from '../store/store.js';
import { APP_ENTRY_URL, APP_SCHEME, contentTypeFor, resolveAppFile } from './app-origin.js';
import { securityHeaders } from './csp.js';
import { registerIpcHandlers } from './ipc.js';
import { buildMenuTemplate } from './menu.js';
import { hardenWebContents } from './navigation.js';
import { isPermissionAllowed, isPermissionCheckAllowed } from './permissions.js';
import { createSafeStorageKeyProvider } from './safe-storage-key-provider.js';
import { buildWindowOptions } from './window-options.js';

/**
 * The Electron entry (dist/main/app/main.js). It serves the renderer from app://scribe/, locks
 * the renderer down (sandbox, permissions, navigation, IPC sender checks), opens the encrypted
 * store with a safeStorage-protected key and wires the handler table to IPC. It never starts the
 * loopback web bridge: that is for development and tests only.
 */

const distDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const preloadPath = join(distDir, 'preload.cjs');
const rendererRoot = join(distDir, 'renderer');

// Both must happen before 'ready'.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;
let scribe: Scribe | null = null;
let disposeIpc: (() => void) | null = null;

/** A stable local actor id from the OS account, reduced to the characters user ids allow. */
function localActor(): Actor {
  let name = '';
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry (some containers and managed accounts): fall back below.
  }
  const id = name.replace(/[^A-Za-z0-9._@-]/g, '_').slice(0, 128) || 'local-user';
  // TODO(auth): real sign-in (SMART on FHIR) will supply the user and role.
  return { id, role: 'clinician' };
}

/** Logging must never take the app down: a full or read-only disk loses log lines only. */
function openLog(): Logger {
  try {
    const dir = app.getPath('logs');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stream = createWriteStream(join(dir, 'main.log'), { flags: 'a', mode: 0o600 });
    stream.on('error', () => {});
    return createJsonLineLogger(stream);
  } catch {
    return nullLogger;
  }
}

const notFound = () => new Response('Not found', { status: 404, headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } });

async function serveAppRequest(request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response('Method not allowed', { status: 405, headers: { ...securityHeaders(), Allow: 'GET, HEAD' } });
  }
  const file = resolveAppFile(rendererRoot, request.url);
  if (file === null) return notFound();
  try {
    const body = await readFile(file);
    const headers = { ...securityHeaders(), 'Content-Type': contentTypeFor(file), 'Cache-Control': 'no-cache' };
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
  } catch {
    return notFound();
  }
}

function installSessionPolicy(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    callback(isPermissionAllowed(permission, details.requestingUrl, { mediaTypes, isMainFrame: details.isMainFrame }));
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionCheckAllowed(permission, requestingOrigin, {
      mediaType: details.mediaType,
      isMainFrame: details.isMainFrame,
      embeddingOrigin: details.embeddingOrigin,
    }),
  );
  // USB, HID, serial and Bluetooth devices: never.
  ses.setDevicePermissionHandler(() => false);
}

function createMainWindow(): BrowserWindow {
  const options = buildWindowOptions({ preloadPath, devTools: !app.isPackaged });
  // The secure web preferences are restated at the construction site so that a reviewer, and
  // the electronegativity scan, see them where the window is made; buildWindowOptions sets the rest.
  const window = new BrowserWindow({
    ...options,
    webPreferences: {
      ...options.webPreferences,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

/** Only our own errors carry messages written to be shown; anything else gets the fallback. */
function safeMessage(error: unknown, fallback: string): string {
  return error instanceof ScribeError ? error.message : fallback;
}

function closeServices(): void {
  disposeIpc?.();
  disposeIpc = null;
  scribe?.close();
  scribe = null;
}

async function start(): Promise<void> {
  await app.whenReady();

  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate({ isPackaged: app.isPackaged, isMac: process.platform === 'darwin' })));
  protocol.handle(APP_SCHEME, serveAppRequest);
  installSessionPolicy();

  const logger = openLog();
  const actor = localActor();
  const dataDir = join(app.getPath('userData'), 'store');
  try {
    // safeStorage can only be used after 'ready'. Whether Linux's unprotected 'basic_text'
    // backend may be accepted is for IT to decide through policy; until then it is refused.
    const keyProvider = createSafeStorageKeyProvider(safeStorage, { allowPlaintextBackend: false });
    const mode = existsSync(join(dataDir, DATABASE_FILE)) ? 'open' : 'create';
    scribe = openScribe({ dataDir, keyProvider, mode, logger, actorId: actor.id });
  } catch (error) {
    logger.error('store.open_failed', { type: error instanceof Error ? error.name : typeof error });
    dialog.showErrorBox(
      'Ambient Scribe cannot open its store',
      safeMessage(error, 'An unexpected error stopped Ambient Scribe from opening its encrypted store. Nothing was changed.'),
    );
    app.quit();
    return;
  }

  disposeIpc = registerIpcHandlers({ ipcMain, dispatch: scribe.dispatch, events: scribe.events, getMainWindow: () => mainWindow, actor });
  mainWindow = createMainWindow();
}

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the store; a second one would fight over it.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  // Closing the window ends the session on every platform: the store is closed, not left open.
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', closeServices);
  start().catch((error: unknown) => {
    dialog.showErrorBox('Ambient Scribe could not start', safeMessage(error, 'An unexpected error stopped Ambient Scribe from starting.'));
    app.quit();
  });
}
