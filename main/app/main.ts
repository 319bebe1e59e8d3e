import { app, BrowserWindow, dialog, globalShortcut, ipcMain, Menu, protocol, safeStorage, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../kernel/actor.js';
import { openScribe } from '../compose.js';
import type { Scribe } from '../compose.js';
import { ScribeError } from '../kernel/errors.js';
import { nullLogger } from '../log/logger.js';
import type { Logger } from '../log/logger.js';
import { APP_LOG_FILE } from '../log/log-location.js';
import { createRotatingFileLogger } from '../log/rotating-file.js';
import { PolicyInvalidError } from '../policy/errors.js';
import { loadMachinePolicy } from '../policy/machine-policy.js';
import type { LoadedPolicy } from '../policy/policy-file.js';
import { DATABASE_FILE } from '../store/store.js';
import { APP_ENTRY_URL, APP_SCHEME, contentTypeFor, resolveAppFile } from './app-origin.js';
import { securityHeaders } from '../api/csp.js';
import { registerIpcHandlers } from './ipc.js';
import { startGlobalShortcut } from './global-shortcut.js';
import type { GlobalShortcut } from './global-shortcut.js';
import { createSystemBrowserOpener } from './system-browser.js';
import { signedInActor } from '../auth/auth-actor.js';
import { buildMenuTemplate } from './menu.js';
import { hardenWebContents } from './navigation.js';
import { isPermissionAllowed, isPermissionCheckAllowed } from './permissions.js';
import { trackRecording } from './recording-tracker.js';
import type { RecordingTracker } from './recording-tracker.js';
import { createSafeStorageKeyProvider } from './safe-storage-key-provider.js';
import type { RunningUpdater } from './updater.js';
import { buildWindowOptions } from './window-options.js';
import { llmConfigFromEnv } from '../drafting/llm/llm-config.js';
import { openAiAsrConfigFromEnv } from '../asr/openai-asr-config.js';
import { installExitReporter, STOP_SIGNALS } from '../log/exit-reporter.js';
import { OUTBOX_INTERVAL_MS } from '../writeback/backoff.js';
import { startOutboxWorkerOnce } from '../writeback/outbox-worker-lock.js';
import type { LockedOutboxWorker } from '../writeback/outbox-worker-lock.js';
import type { EmbeddedDemoEhr } from '../sandbox/embedded-demo-ehr.js';

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
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;
let scribe: Scribe | null = null;
let disposeIpc: (() => void) | null = null;
let recording: RecordingTracker | null = null;
let updater: RunningUpdater | null = null;
let shortcut: GlobalShortcut | null = null;
let outbox: LockedOutboxWorker | null = null;
let demoEhr: EmbeddedDemoEhr | null = null;

/** A stable local actor id from the OS account, reduced to the characters user ids allow. */
function localActor(): Actor {
  let name = '';
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry (some containers and managed accounts): fall back below.
  }
  const id = name.replace(/[^A-Za-z0-9._@-]/g, '_').slice(0, 128) || 'local-user';
  // Who acts until a clinician signs in with SMART on FHIR (main/auth); then the Practitioner does.
  return { id, role: 'clinician' };
}

/**
 * Redacted JSON lines, rotated by size (main/log/). Logging must never take the app down: a full
 * or read-only disk loses log lines only.
 */
function openLog(): Logger {
  try {
    return createRotatingFileLogger({ dir: app.getPath('logs'), fileName: APP_LOG_FILE });
  } catch {
    return nullLogger;
  }
}

const notFound = () =>
  new Response('Not found', { status: 404, headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } });

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

/** Brings the window forward, asked for by the renderer just after a global shortcut press (global-shortcut.ts). */
function raiseMainWindow(): boolean {
  const window = mainWindow;
  if (window === null || window.isDestroyed()) return false;
  if (window.isMinimized()) window.restore();
  window.show();
  // macOS does not hand focus to a background app unless it asks to take it; the press asked.
  if (process.platform === 'darwin') app.focus({ steal: true });
  window.focus();
  return true;
}

/** Only our own errors carry messages written to be shown; anything else gets the fallback. */
function safeMessage(error: unknown, fallback: string): string {
  return error instanceof ScribeError ? error.message : fallback;
}

function closeServices(): void {
  // First, while the recording state is still known: whether an update may install on this quit.
  updater?.controller.beforeQuit();
  updater?.stop();
  updater = null;
  shortcut?.dispose();
  shortcut = null;
  recording?.dispose();
  recording = null;
  disposeIpc?.();
  disposeIpc = null;
  void outbox?.stop();
  outbox = null;
  scribe?.close();
  scribe = null;
  void demoEhr?.close();
  demoEhr = null;
}

/** With no EHR configured (and the policy allowing it), the demo EHR runs in this process; without it the app still starts. */
async function startDemoEhr(dataDir: string, policy: LoadedPolicy, logger: Logger): Promise<EmbeddedDemoEhr | null> {
  try {
    const demo = await import('../sandbox/embedded-demo-ehr.js');
    return demo.demoEhrWanted(dataDir, policy) ? await demo.startEmbeddedDemoEhr({ dataDir, logger }) : null;
  } catch (error) {
    logger.error('demo_ehr.start_failed', { type: error instanceof Error ? error.name : typeof error });
    return null;
  }
}

async function start(): Promise<void> {
  await app.whenReady();

  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate({ isPackaged: app.isPackaged, isMac: process.platform === 'darwin' })));
  protocol.handle(APP_SCHEME, serveAppRequest);
  installSessionPolicy();

  const logger = openLog();
  const reporter = installExitReporter({ name: 'app', logger, stderr: (line) => process.stderr.write(`${line}\n`) });
  // Listening to a signal replaces Node's default of ending at once: quit as the menu does, the store closed.
  for (const signal of STOP_SIGNALS)
    process.on(signal, () => {
      reporter.stopping();
      app.quit();
    });
  const actor = localActor();
  let policy: LoadedPolicy;
  try {
    // Before the store: a policy that exists but cannot be used stops the app (failing open
    // would unlock what IT locked). The error names each field and why.
    policy = loadMachinePolicy({ env: process.env, platform: process.platform, packaged: app.isPackaged });
  } catch (error) {
    logger.error('policy.invalid', {
      type: error instanceof Error ? error.name : typeof error,
      count: error instanceof PolicyInvalidError ? error.problems.length : 0,
    });
    dialog.showErrorBox(
      'Ambient Scribe cannot start: machine policy',
      safeMessage(error, 'The machine policy could not be read. Ask IT to check it.'),
    );
    app.quit();
    return;
  }
  const dataDir = join(app.getPath('userData'), 'store');
  try {
    // safeStorage can only be used after 'ready'. Whether Linux's unprotected 'basic_text'
    // backend may be accepted is for IT to decide through policy; until then it is refused.
    const keyProvider = createSafeStorageKeyProvider(safeStorage, { allowPlaintextBackend: false });
    const mode = existsSync(join(dataDir, DATABASE_FILE)) ? 'open' : 'create';
    demoEhr = await startDemoEhr(dataDir, policy, logger);
    scribe = openScribe({
      dataDir,
      keyProvider,
      mode,
      logger,
      actorId: actor.id,
      policy,
      auth: { openBrowser: createSystemBrowserOpener(shell) },
      // The transcript grows while the visit goes on; engines and models follow the settings.
      transcription: { live: true, openaiConfig: () => openAiAsrConfigFromEnv(process.env) },
      drafting: { llmConfig: () => llmConfigFromEnv(process.env) },
      ...(demoEhr ? { demoEhr } : {}),
      desktop: {
        globalShortcutStatus: () => shortcut?.status() ?? { state: 'off', accelerator: null },
        raiseWindow: () => shortcut?.raiseAfterPress() ?? false,
      },
    });
  } catch (error) {
    logger.error('store.open_failed', { type: error instanceof Error ? error.name : typeof error });
    dialog.showErrorBox(
      'Ambient Scribe cannot open its store',
      safeMessage(error, 'An unexpected error stopped Ambient Scribe from opening its encrypted store. Nothing was changed.'),
    );
    app.quit();
    return;
  }

  disposeIpc = registerIpcHandlers({
    ipcMain,
    dispatch: scribe.dispatch,
    events: scribe.events,
    getMainWindow: () => mainWindow,
    actor: signedInActor(scribe.auth, actor),
  });
  // EHR launch (http://127.0.0.1:<fhirLaunchPort>/launch), when the settings turn it on.
  void scribe.auth.startLaunchListener();
  mainWindow = createMainWindow();
  // After the window and its event forwarding exist, so a press always has somewhere to go.
  const services = scribe;
  shortcut = startGlobalShortcut({
    globalShortcut,
    events: services.events,
    accelerator: () => services.settings.values().globalShortcut,
    raiseWindow: raiseMainWindow,
    logger,
  });
  // Signed notes go out in the background; the outbox survives restarts, so this only resumes it.
  outbox = startOutboxWorkerOnce({ worker: scribe.outboxWorker, dataDir, intervalMs: OUTBOX_INTERVAL_MS, logger });
  // Audio of visits the EHR confirmed goes once audioRetentionDays have passed: checked now and every hour.
  scribe.retention.start(3_600_000);
  // A recorded visit's note is drafted as soon as its transcript is final (and any left over from before).
  scribe.pipeline.start();
  recording = trackRecording(scribe.events);
  if (app.isPackaged) void startUpdates(scribe, recording, logger);
}

/** electron-updater is loaded only in installed builds: unpackaged runs have nothing to update. */
async function startUpdates(services: Scribe, tracker: RecordingTracker, logger: Logger): Promise<void> {
  try {
    const { startUpdater } = await import('./updater.js');
    updater = await startUpdater({
      platform: process.platform,
      packaged: app.isPackaged,
      currentVersion: app.getVersion(),
      settings: () => services.settings.values(),
      isRecording: () => tracker.isRecording(),
      logger,
    });
    if (scribe === null) {
      // The app began quitting while electron-updater loaded.
      updater.stop();
      updater = null;
    }
  } catch (error) {
    logger.error('update.start_failed', { type: error instanceof Error ? error.name : typeof error });
  }
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
