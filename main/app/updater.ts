import type { AppUpdater, UpdateInfo } from 'electron-updater';
import type { Logger } from '../log/logger.js';
import type { UpdatePlan, UpdateSettings } from './update-decisions.js';
import { decideInstall, decideOffer, planUpdates, signatureChecked } from './update-decisions.js';

/**
 * Updates from IT's generic update server through electron-updater: the only file that uses it.
 *
 * - The server is the policy's `updateServerUrl`; checks happen at start and every few hours,
 *   downloads only when the rules in update-decisions.ts accept the offered version (never a
 *   downgrade; only the pinned version when one is set). Staged rollout is electron-updater's:
 *   `stagingPercentage` in latest.yml against a random id kept per installation.
 * - Nothing is installed unverified: on Windows our verifier must have run and passed (see
 *   signatureChecked), on macOS Squirrel.Mac checks the code signature, Linux is never updated here.
 * - Nothing is installed while a visit is being recorded, and on quit only when policy allows.
 * - A failed check, download or verification only logs: the downloaded file is discarded and the
 *   running version stays as it is.
 */

export type UpdaterPort = Pick<
  AppUpdater,
  | 'autoDownload'
  | 'autoInstallOnAppQuit'
  | 'autoRunAppAfterInstall'
  | 'allowDowngrade'
  | 'allowPrerelease'
  | 'disableWebInstaller'
  | 'logger'
  | 'isUpdateSupported'
  | 'setFeedURL'
  | 'checkForUpdates'
  | 'downloadUpdate'
  | 'quitAndInstall'
  | 'on'
> & {
  /** NsisUpdater only: checks an installer's Authenticode signature (null: valid and signed by one of the names). */
  verifyUpdateCodeSignature?: (publisherNames: string[], file: string) => Promise<string | null>;
  /** app-update.yml as electron-updater read it; its publisher names are what Windows signatures must match. */
  configOnDisk?: { readonly value: Promise<{ publisherName?: string | string[] | null }> };
};

export interface UpdateControllerDeps {
  readonly updater: UpdaterPort;
  readonly platform: NodeJS.Platform;
  readonly packaged: boolean;
  readonly currentVersion: string;
  readonly settings: () => UpdateSettings;
  readonly isRecording: () => boolean;
  readonly logger: Logger;
}

export type CheckOutcome =
  | { readonly status: 'disabled'; readonly reason: Extract<UpdatePlan, { enabled: false }>['reason'] }
  | { readonly status: 'up_to_date' }
  | { readonly status: 'downloaded'; readonly version: string }
  | { readonly status: 'failed'; readonly code: string };

export interface UpdateController {
  checkNow(): Promise<CheckOutcome>;
  /** A person asked to restart into the downloaded update. */
  installNow(): ReturnType<typeof decideInstall>;
  /** Call from 'before-quit': decides, synchronously, whether electron-updater may install on this quit. */
  beforeQuit(): void;
}

const errorCode = (error: unknown): string =>
  typeof error === 'object' &&
  error !== null &&
  'code' in error &&
  typeof error.code === 'string' &&
  /^[A-Z][A-Z0-9_]{1,47}$/.test(error.code)
    ? error.code
    : 'ERR_UPDATE_FAILED';

/**
 * On Windows, the downloaded installer's signature checked by us, on the file that will run:
 * electron-updater checks it too, but not when app-update.yml names no publisher, and not again
 * for an installer it finds already downloaded from an earlier session.
 */
async function verifyWindowsInstaller(updater: UpdaterPort, file: string): Promise<'passed' | 'failed'> {
  const verify = updater.verifyUpdateCodeSignature;
  const config = await updater.configOnDisk?.value.catch(() => undefined);
  const names = config?.publisherName;
  const publisherNames = (Array.isArray(names) ? names : names ? [names] : []).filter((name) => name.trim() !== '');
  if (verify === undefined || publisherNames.length === 0) return 'failed';
  try {
    return (await verify(publisherNames, file)) === null ? 'passed' : 'failed';
  } catch {
    return 'failed';
  }
}

export function createUpdateController(deps: UpdateControllerDeps): UpdateController {
  const { updater, logger } = deps;
  let plan: UpdatePlan = { enabled: false, reason: 'disabled' };
  let downloaded: string | null = null;
  let verification: 'pending' | 'passed' | 'failed' = 'pending';
  let checking: Promise<CheckOutcome> | null = null;
  const verified = () =>
    deps.platform === 'win32' ? signatureChecked('win32', verification === 'passed') : signatureChecked(deps.platform, false);

  updater.logger = null; // its messages carry paths and URLs; we log our own events instead
  updater.autoDownload = false;
  updater.autoInstallOnAppQuit = false;
  updater.autoRunAppAfterInstall = true;
  updater.disableWebInstaller = true;
  // Keeps electron-updater's own check (the release's minimum OS version) and adds ours.
  const osSupports = updater.isUpdateSupported;
  updater.isUpdateSupported = async (info: UpdateInfo) => {
    const pinned = plan.enabled ? plan.pinnedVersion : null;
    const decision = decideOffer(info.version, deps.currentVersion, pinned);
    if (!decision.accept && decision.reason !== 'same_version') logger.info('update.skipped', { reason: decision.reason });
    return decision.accept && (await osSupports(info));
  };

  let verifying: Promise<void> = Promise.resolve();
  updater.on('update-downloaded', (event) => {
    downloaded = event.version;
    // electron-updater registers its install-on-quit handler right after this event, and only if
    // the flag is on now. The flag is final only in beforeQuit(), which checks the signature result.
    updater.autoInstallOnAppQuit = plan.enabled && plan.installOnQuit;
    if (deps.platform !== 'win32') {
      verification = 'passed';
      logger.info('update.downloaded', { version: event.version, outcome: verified() ? 'verified' : 'unverified' });
      return;
    }
    verification = 'pending';
    verifying = verifyWindowsInstaller(updater, event.downloadedFile).then((result) => {
      verification = result;
      if (result === 'failed') updater.autoInstallOnAppQuit = false;
      logger.info('update.downloaded', { version: event.version, outcome: result === 'passed' ? 'verified' : 'unverified' });
    });
  });
  updater.on('error', (error) => logger.warn('update.error', { code: errorCode(error) }));

  async function check(): Promise<CheckOutcome> {
    plan = planUpdates({ settings: deps.settings(), platform: deps.platform, packaged: deps.packaged });
    if (!plan.enabled) {
      logger.info('update.check_skipped', { reason: plan.reason });
      return { status: 'disabled', reason: plan.reason };
    }
    if (downloaded !== null) return { status: 'downloaded', version: downloaded };
    updater.setFeedURL({ provider: 'generic', url: plan.feedUrl, channel: plan.channel });
    updater.allowPrerelease = plan.channel !== 'latest';
    // Set last: choosing a channel turns downgrades on inside electron-updater.
    updater.allowDowngrade = false;
    try {
      const result = await updater.checkForUpdates();
      if (!result?.isUpdateAvailable) return { status: 'up_to_date' };
      logger.info('update.available', { offeredVersion: result.updateInfo.version });
      await updater.downloadUpdate();
      await verifying;
      return downloaded !== null ? { status: 'downloaded', version: downloaded } : { status: 'failed', code: 'ERR_UPDATE_NOT_DOWNLOADED' };
    } catch (error) {
      const code = errorCode(error);
      logger.warn('update.failed', { code });
      return { status: 'failed', code };
    }
  }

  const decide = (trigger: 'quit' | 'user') =>
    decideInstall({
      downloaded: downloaded !== null,
      verified: verified(),
      recording: deps.isRecording(),
      trigger,
      installOnQuit: plan.enabled && plan.installOnQuit,
    });

  return {
    checkNow() {
      checking ??= check().finally(() => {
        checking = null;
      });
      return checking;
    },
    installNow() {
      const decision = decide('user');
      logger.info('update.install_requested', { outcome: decision });
      if (decision === 'install') updater.quitAndInstall(false, true);
      return decision;
    },
    beforeQuit() {
      const decision = decide('quit');
      updater.autoInstallOnAppQuit = decision === 'install';
      if (downloaded !== null) logger.info('update.on_quit', { outcome: decision });
    },
  };
}

export interface RunningUpdater {
  readonly controller: UpdateController;
  stop(): void;
}

const FIRST_CHECK_MS = 60_000;
const CHECK_EVERY_MS = 4 * 60 * 60 * 1000;

/** Starts electron-updater for an installed build. Loaded only when packaged (see main.ts). */
export async function startUpdater(deps: Omit<UpdateControllerDeps, 'updater'>): Promise<RunningUpdater> {
  const { default: electronUpdater } = await import('electron-updater');
  const controller = createUpdateController({ ...deps, updater: electronUpdater.autoUpdater });
  const run = () => void controller.checkNow();
  const first = setTimeout(run, FIRST_CHECK_MS);
  const every = setInterval(run, CHECK_EVERY_MS);
  first.unref();
  every.unref();
  return {
    controller,
    stop: () => {
      clearTimeout(first);
      clearInterval(every);
    },
  };
}
