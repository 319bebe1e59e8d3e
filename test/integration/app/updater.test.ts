import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { ClientRequest, IncomingMessage, RequestOptions, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { UpdaterPort } from '../../../main/app/updater.js';
import { createUpdateController } from '../../../main/app/updater.js';
import type { UpdateSettings } from '../../../main/app/update-decisions.js';
import type { Logger } from '../../../main/log/logger.js';
import { tempDir } from '../../helpers/temp-store.js';

/**
 * The update controller driving electron-updater's real NsisUpdater (the Windows updater: channel
 * file, staged rollout, SHA-512 check, Authenticode check hook, install-on-quit handler) against a
 * generic update server on 127.0.0.1. Only what needs Windows or Electron is replaced: the
 * Authenticode check itself (PowerShell), the app adapter, and the final step that would run the
 * installer (recorded instead).
 */

const require = createRequire(import.meta.url);
const { NsisUpdater } = require('electron-updater') as {
  NsisUpdater: new (options: null, app: object) => UpdaterPort & Record<string, unknown>;
};
const { ElectronHttpExecutor } = require('electron-updater/out/electronHttpExecutor.js') as {
  ElectronHttpExecutor: new (login: null) => {
    createRequest(options: RequestOptions, callback: (res: IncomingMessage) => void): ClientRequest;
  };
};

/** electron-updater's own downloader (redirects, SHA-512, cancellation) over Node's http instead of Electron's net. */
class NodeNetExecutor extends ElectronHttpExecutor {
  constructor() {
    super(null);
  }
  override createRequest(options: RequestOptions, callback: (res: IncomingMessage) => void): ClientRequest {
    return httpRequest(options, callback);
  }
}

const PUBLISHER = 'Example Health System';
const RUNNING = '1.0.0';

interface Release {
  version: string;
  stagingPercentage?: number;
  /** Serve bytes that do not match the channel file's SHA-512. */
  tampered?: boolean;
  /** Who signed the installer, as the stand-in Authenticode check will report it. */
  signedBy?: string;
}

class UpdateServer {
  server: Server | undefined;
  requests: string[] = [];
  release: Release = { version: '1.1.0', signedBy: PUBLISHER };
  installer = Buffer.alloc(0);

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      this.requests.push(path);
      const exe = `Ambient-Scribe-Setup-${this.release.version}.exe`;
      if (path === '/latest.yml') {
        const sha512 = createHash('sha512').update(this.installer).digest('base64');
        const staging = this.release.stagingPercentage === undefined ? '' : `stagingPercentage: ${this.release.stagingPercentage}\n`;
        res.end(
          `version: ${this.release.version}\nfiles:\n  - url: ${exe}\n    sha512: ${sha512}\n    size: ${this.installer.length}\npath: ${exe}\nsha512: ${sha512}\nreleaseDate: '2026-11-21T09:30:00.000Z'\n${staging}`,
        );
      } else if (path === `/${exe}`) {
        res.end(this.release.tampered ? Buffer.concat([this.installer, Buffer.from('!')]) : this.installer);
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  publish(release: Release): void {
    this.release = release;
    // The stand-in installer names its signer in its bytes, for the stand-in Authenticode check.
    this.installer = Buffer.concat([Buffer.from(`MZ signed-by:${release.signedBy ?? 'nobody'};`), randomBytes(64 * 1024)]);
  }
}

function recordingLogger() {
  const lines: { event: string; fields: Record<string, unknown> }[] = [];
  const log = (event: string, fields: Record<string, unknown> = {}) => lines.push({ event, fields });
  const logger: Logger = { info: log, warn: log, error: log };
  return { logger, lines };
}

function harness(
  server: UpdateServer,
  url: string,
  options: { publisherInConfig?: boolean; settings?: Partial<UpdateSettings>; recording?: () => boolean } = {},
) {
  const tmp = tempDir('scribe-updater-');
  const configPath = join(tmp.dir, 'resources', 'app-update.yml');
  mkdirSync(join(tmp.dir, 'resources'));
  writeFileSync(
    configPath,
    `provider: generic\nurl: https://updates.example.invalid/\nupdaterCacheDirName: ambient-scribe-updater\n${options.publisherInConfig === false ? '' : `publisherName:\n  - ${PUBLISHER}\n`}`,
  );
  const quitHandlers: ((exitCode: number) => void)[] = [];
  const app = {
    version: RUNNING,
    name: 'ambient-scribe',
    isPackaged: true,
    appUpdateConfigPath: configPath,
    userDataPath: join(tmp.dir, 'userData'),
    baseCachePath: join(tmp.dir, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch() {},
    quit() {},
    onQuit: (handler: (exitCode: number) => void) => quitHandlers.push(handler),
  };
  const updater = new NsisUpdater(null, app);
  updater['httpExecutor'] = new NodeNetExecutor();
  updater['_testOnlyOptions'] = { platform: 'win32' };
  const signatureChecks: { publisherNames: string[]; file: string }[] = [];
  // Stand-in for PowerShell's Get-AuthenticodeSignature: reads the signer the server baked in.
  updater.verifyUpdateCodeSignature = async (publisherNames: string[], file: string) => {
    signatureChecks.push({ publisherNames, file });
    const { readFileSync } = await import('node:fs');
    const signer = /signed-by:([^;]*);/.exec(readFileSync(file).subarray(0, 200).toString('latin1'))?.[1];
    return signer !== undefined && publisherNames.includes(signer)
      ? null
      : `not signed by the application owner (${signer ?? 'no signature'})`;
  };
  const installs: { isSilent: boolean }[] = [];
  updater['doInstall'] = (installOptions: { isSilent: boolean }) => {
    installs.push(installOptions);
    return true;
  };
  // quitAndInstall would also quit Electron; record the request instead.
  const restarts: { isSilent?: boolean; isForceRunAfter?: boolean }[] = [];
  updater.quitAndInstall = (isSilent?: boolean, isForceRunAfter?: boolean) => void restarts.push({ isSilent, isForceRunAfter });
  const { logger, lines } = recordingLogger();
  const settings: UpdateSettings = {
    updatesDisabled: false,
    updateServerUrl: url,
    updateChannel: 'latest',
    updatePinnedVersion: null,
    updateInstallOnQuit: true,
    ...options.settings,
  };
  const controller = createUpdateController({
    updater,
    platform: 'win32',
    packaged: true,
    currentVersion: RUNNING,
    settings: () => settings,
    isRecording: options.recording ?? (() => false),
    logger,
  });
  /** What Electron does when the app quits: 'before-quit' (our hook), then 'quit' (electron-updater's). */
  const quitApp = () => {
    controller.beforeQuit();
    for (const handler of quitHandlers) handler(0);
  };
  return {
    tmp,
    updater,
    controller,
    installs,
    restarts,
    signatureChecks,
    lines,
    quitApp,
    cacheDir: join(tmp.dir, 'cache', 'ambient-scribe-updater'),
  };
}

describe('updates from a generic server through electron-updater', () => {
  const server = new UpdateServer();
  let url = '';
  const cleanups: (() => void)[] = [];
  beforeAll(async () => {
    url = await server.start();
  });
  afterAll(() => {
    server.server?.close();
    for (const cleanup of cleanups) cleanup();
  });
  const setup = (options: Parameters<typeof harness>[2] = {}) => {
    const h = harness(server, url, options);
    cleanups.push(() => h.tmp.cleanup());
    return h;
  };

  test('a newer, correctly signed release is downloaded, its signature checked, and installed silently on quit', async () => {
    server.publish({ version: '1.1.0', signedBy: PUBLISHER });
    const h = setup();
    assert.deepEqual(await h.controller.checkNow(), { status: 'downloaded', version: '1.1.0' });
    assert.ok(h.signatureChecks.length >= 1);
    assert.ok(h.signatureChecks.every((c) => c.publisherNames.join() === PUBLISHER));
    assert.ok(
      h.signatureChecks.some((c) => !c.file.includes('temp-')),
      'the file that will run was checked, not only the temporary one',
    );
    assert.deepEqual(h.installs, []);
    h.quitApp();
    assert.deepEqual(h.installs, [{ isSilent: true, isForceRunAfter: false, isAdminRightsRequired: false }]);
  });

  test('never during a recording: the update waits for a quit without one', async () => {
    server.publish({ version: '1.1.0', signedBy: PUBLISHER });
    let recording = true;
    const h = setup({ recording: () => recording });
    assert.equal((await h.controller.checkNow()).status, 'downloaded');
    assert.equal(h.controller.installNow(), 'wait_for_recording');
    h.quitApp();
    assert.deepEqual(h.installs, []);
    assert.deepEqual(h.restarts, []);
    recording = false;
    assert.equal(h.controller.installNow(), 'install');
    assert.deepEqual(h.restarts, [{ isSilent: false, isForceRunAfter: true }]);
  });

  test('a release signed by someone else is refused before it is kept; nothing can be installed', async () => {
    server.publish({ version: '1.1.0', signedBy: 'Mallory Ltd' });
    const h = setup();
    assert.deepEqual(await h.controller.checkNow(), { status: 'failed', code: 'ERR_UPDATER_INVALID_SIGNATURE' });
    assert.equal(h.controller.installNow(), 'nothing_downloaded');
    h.quitApp();
    assert.deepEqual(h.installs, []);
    assert.ok(h.lines.some((l) => l.event === 'update.failed' && l.fields['code'] === 'ERR_UPDATER_INVALID_SIGNATURE'));
  });

  test('with no publisher in app-update.yml electron-updater would skip the check; we refuse to install', async () => {
    server.publish({ version: '1.1.0', signedBy: 'Mallory Ltd' });
    const h = setup({ publisherInConfig: false });
    assert.deepEqual(await h.controller.checkNow(), { status: 'downloaded', version: '1.1.0' });
    assert.equal(h.controller.installNow(), 'refuse_unverified');
    h.quitApp();
    assert.deepEqual(h.installs, []);
    assert.ok(h.lines.some((l) => l.event === 'update.downloaded' && l.fields['outcome'] === 'unverified'));
  });

  test('a download that does not match the published SHA-512 fails and leaves nothing to install', async () => {
    server.publish({ version: '1.1.0', signedBy: PUBLISHER, tampered: true });
    const h = setup();
    const outcome = await h.controller.checkNow();
    assert.equal(outcome.status, 'failed');
    h.quitApp();
    assert.deepEqual(h.installs, []);
    assert.equal(existsSync(join(h.cacheDir, 'pending', 'Ambient-Scribe-Setup-1.1.0.exe')), false);
  });

  test('staged rollout: at 0 % nobody takes it, at 100 % everybody does', async () => {
    server.publish({ version: '1.1.0', signedBy: PUBLISHER, stagingPercentage: 0 });
    assert.deepEqual(await setup().controller.checkNow(), { status: 'up_to_date' });
    server.publish({ version: '1.1.0', signedBy: PUBLISHER, stagingPercentage: 100 });
    assert.equal((await setup().controller.checkNow()).status, 'downloaded');
  });

  test('a pinned version: another version is skipped; an older version is never taken', async () => {
    server.publish({ version: '1.2.0', signedBy: PUBLISHER });
    const pinned = setup({ settings: { updatePinnedVersion: '1.1.0' } });
    assert.deepEqual(await pinned.controller.checkNow(), { status: 'up_to_date' });
    assert.ok(pinned.lines.some((l) => l.event === 'update.skipped' && l.fields['reason'] === 'not_pinned_version'));
    server.publish({ version: '0.9.0', signedBy: PUBLISHER });
    assert.deepEqual(await setup({ settings: { updateChannel: 'latest' } }).controller.checkNow(), { status: 'up_to_date' });
  });

  test('without installOnQuit the update waits for a person to ask', async () => {
    server.publish({ version: '1.1.0', signedBy: PUBLISHER });
    const h = setup({ settings: { updateInstallOnQuit: false } });
    assert.equal((await h.controller.checkNow()).status, 'downloaded');
    h.quitApp();
    assert.deepEqual(h.installs, []);
  });

  test('disabled by policy: not a single request to the server', async () => {
    server.publish({ version: '1.1.0', signedBy: PUBLISHER });
    const before = server.requests.length;
    assert.deepEqual(await setup({ settings: { updatesDisabled: true } }).controller.checkNow(), {
      status: 'disabled',
      reason: 'disabled',
    });
    assert.equal(server.requests.length, before);
  });
});
