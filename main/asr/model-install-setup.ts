import type { SettingKey, Settings } from '../../shared/domain/policy.js';
import type { EventBus } from '../kernel/event-bus.js';
import type { Logger } from '../log/logger.js';
import type { ModelInstaller, ModelInstallerDeps } from './model-install.js';
import { createModelInstaller } from './model-install.js';
import { pinnedSpeechModel } from './model-manifest.js';
import { modelsSearchPath } from './models-dir.js';
import type { TranscriptionOptions } from './transcription-setup.js';

/** Tests: another pinned model, a fetch or a disk that fails, no waiting between attempts. */
export type ModelInstallOverrides = Partial<Pick<ModelInstallerDeps, 'model' | 'fetch' | 'write' | 'idleMs' | 'retryDelaysMs'>>;

const SOURCE_KEYS: readonly SettingKey[] = ['speechModelDownloadsAllowed', 'speechModelMirrorUrl', 'speechModelSharedFolder'];

export interface ModelInstallSetupDeps {
  readonly transcription: TranscriptionOptions | undefined;
  readonly overrides: ModelInstallOverrides | undefined;
  readonly settings: { values(): Settings; isLocked(key: SettingKey): boolean };
  readonly events: Pick<EventBus, 'emit'>;
  readonly logger: Logger;
}

/** The speech model installer for the folders and model the local engine uses, as the composition root and the CLI wire it. */
export function setUpModelInstall(deps: ModelInstallSetupDeps): ModelInstaller {
  const t = deps.transcription ?? {};
  const env = t.env ?? {};
  const searchDirs = modelsSearchPath({ modelsDir: t.modelsDir, env });
  return createModelInstaller({
    model: pinnedSpeechModel(env),
    modelsDir: searchDirs[0]!,
    searchDirs,
    preferredModel: t.localModel,
    settings: () => deps.settings.values(),
    sourceLocked: () => SOURCE_KEYS.some((key) => deps.settings.isLocked(key)),
    events: deps.events,
    logger: deps.logger,
    ...deps.overrides,
  });
}
