import type { Settings } from '../../shared/domain/policy.js';

/**
 * The update rules, as pure functions (no electron, no electron-updater) so they are tested in
 * plain Node. main/app/updater.ts applies them to electron-updater.
 */

export type UpdateSettings = Pick<
  Settings,
  'updatesDisabled' | 'updateServerUrl' | 'updateChannel' | 'updatePinnedVersion' | 'updateInstallOnQuit'
>;

export type UpdatePlan =
  | { readonly enabled: false; readonly reason: 'not_packaged' | 'disabled' | 'no_server' | 'platform_cannot_verify' }
  | {
      readonly enabled: true;
      readonly feedUrl: string;
      readonly channel: string;
      readonly pinnedVersion: string | null;
      readonly installOnQuit: boolean;
    };

/**
 * Whether to look for updates at all, and where. Linux is never updated by the app:
 * electron-updater checks only a SHA-512 published on the same server as the package there, no
 * publisher signature, so deb and AppImage updates come from IT's signed package repository.
 */
export function planUpdates(input: {
  readonly settings: UpdateSettings;
  readonly platform: NodeJS.Platform;
  readonly packaged: boolean;
}): UpdatePlan {
  const { settings } = input;
  if (!input.packaged) return { enabled: false, reason: 'not_packaged' };
  if (settings.updatesDisabled) return { enabled: false, reason: 'disabled' };
  if (input.platform !== 'win32' && input.platform !== 'darwin') return { enabled: false, reason: 'platform_cannot_verify' };
  if (settings.updateServerUrl === null) return { enabled: false, reason: 'no_server' };
  return {
    enabled: true,
    feedUrl: settings.updateServerUrl,
    channel: settings.updateChannel,
    pinnedVersion: settings.updatePinnedVersion,
    installOnQuit: settings.updateInstallOnQuit,
  };
}

interface Version {
  readonly core: readonly [number, number, number];
  readonly pre: readonly string[];
}

function parseVersion(text: string): Version | null {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (!match) return null;
  return { core: [Number(match[1]), Number(match[2]), Number(match[3])], pre: match[4] ? match[4].split('.') : [] };
}

/** Semantic-version order: negative when a < b. Pre-releases sort before their release. */
export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) throw new RangeError('not a semantic version');
  for (let i = 0; i < 3; i += 1) {
    const d = (x.core[i] ?? 0) - (y.core[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre.length === 0 || y.pre.length === 0) return Math.sign(y.pre.length - x.pre.length);
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i += 1) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return Math.sign(Number(p) - Number(q));
    if (pn !== qn) return pn ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return 0;
}

export type OfferDecision =
  | { readonly accept: true }
  | {
      readonly accept: false;
      readonly reason: 'invalid_version' | 'same_version' | 'older_version' | 'not_pinned_version' | 'pinned_below_running';
    };

/**
 * Whether to take the version the server offers. Never a downgrade: an older app cannot open a
 * store a newer one migrated, so it would lock the clinician out of unsent notes. With a pinned
 * version, only that version.
 */
export function decideOffer(offered: string, running: string, pinned: string | null): OfferDecision {
  if (!parseVersion(offered) || !parseVersion(running) || (pinned !== null && !parseVersion(pinned)))
    return { accept: false, reason: 'invalid_version' };
  const order = compareVersions(offered, running);
  if (order === 0) return { accept: false, reason: 'same_version' };
  if (pinned !== null) {
    if (compareVersions(pinned, running) < 0) return { accept: false, reason: 'pinned_below_running' };
    if (compareVersions(offered, pinned) !== 0) return { accept: false, reason: 'not_pinned_version' };
  }
  if (order < 0) return { accept: false, reason: 'older_version' };
  return { accept: true };
}

/**
 * Whether a downloaded update's signature has been checked by the time it would be installed.
 * Windows: electron-updater checks the installer's Authenticode signature against the publisher
 * names baked into app-update.yml, but silently skips the check when there are none, so we count
 * it as checked only when our verifier actually ran and passed. macOS: Squirrel.Mac refuses an
 * update whose code signature does not satisfy the running app's designated requirement.
 */
export function signatureChecked(platform: NodeJS.Platform, windowsVerifierPassed: boolean): boolean {
  if (platform === 'win32') return windowsVerifierPassed;
  return platform === 'darwin';
}

export type InstallDecision = 'install' | 'refuse_unverified' | 'wait_for_recording' | 'not_allowed';

/** May a downloaded update be installed now (on quit, or when the user asks)? */
export function decideInstall(input: {
  readonly downloaded: boolean;
  readonly verified: boolean;
  readonly recording: boolean;
  /** Installing on quit needs the policy's consent; an explicit "restart and update" does not. */
  readonly trigger: 'quit' | 'user';
  readonly installOnQuit: boolean;
}): InstallDecision | 'nothing_downloaded' {
  if (!input.downloaded) return 'nothing_downloaded';
  if (!input.verified) return 'refuse_unverified';
  if (input.recording) return 'wait_for_recording';
  if (input.trigger === 'quit' && !input.installOnQuit) return 'not_allowed';
  return 'install';
}
