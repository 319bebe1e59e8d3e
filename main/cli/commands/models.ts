import { join } from 'node:path';
import type { Command } from 'commander';
import { settingDefaults } from '../../../shared/domain/policy.js';
import type { SettingKey } from '../../../shared/domain/policy.js';
import type { SpeechModelProgress, SpeechModelSource, SpeechModelStatus } from '../../../shared/domain/speech-model.js';
import type { ModelInstaller } from '../../asr/model-install.js';
import { setUpModelInstall } from '../../asr/model-install-setup.js';
import { findWhisperModels, modelDisplayName, modelsSearchPath } from '../../asr/models-dir.js';
import { transcriptionOptionsFromEnv } from '../../asr/transcription-env.js';
import type { WhisperDtype } from '../../asr/whisper-protocol.js';
import { createEventBus } from '../../kernel/event-bus.js';
import type { EventBus } from '../../kernel/event-bus.js';
import { ScribeError } from '../../kernel/errors.js';
import { resolveEffectiveSettings, settingValues } from '../../policy/effective-settings.js';
import { readUserSettings } from '../../policy/user-settings-file.js';
import { resolveDataDir } from '../context.js';
import { json } from '../output.js';
import type { CliContext } from '../session.js';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 10e6 ? 1 : 0)} MB`;

function describeSource(source: SpeechModelSource): string {
  switch (source.kind) {
    case 'hub':
      return `downloads from the public hub (${source.url})`;
    case 'mirror':
      return `downloads from the mirror ${source.url}`;
    case 'folder':
      return `copies from the shared folder ${source.folder}`;
    case 'forbidden':
      return 'downloads are forbidden by the machine policy, and it names no shared folder';
  }
}

/**
 * The installer without opening the store: the settings it needs (where the model comes from) are
 * the machine policy's, the user's settings file and the defaults, so IT can install before anyone
 * has a store.
 */
function installerFor(cli: CliContext, events: EventBus): ModelInstaller {
  const globals = cli.globals() as { modelsDir?: string };
  const policy = cli.policy();
  const effective = resolveEffectiveSettings(
    settingDefaults,
    readUserSettings(resolveDataDir(cli.globals(), cli.env)).values,
    policy.values,
  );
  return setUpModelInstall({
    transcription: transcriptionOptionsFromEnv(cli.env, globals.modelsDir),
    overrides: undefined,
    settings: { values: () => settingValues(effective), isLocked: (key: SettingKey) => effective[key].locked },
    events,
    logger: cli.logger,
  });
}

/** Progress on stderr: each file as it starts and is verified, and the bytes at most once a second. */
function reportProgress(cli: CliContext, events: EventBus): () => void {
  let last = 0;
  const announced = new Set<string>();
  return events.on('models:progress', (p) => {
    for (const file of p.files) {
      const key = `${file.path}:${file.state}`;
      if (file.state === 'waiting' || announced.has(key)) continue;
      announced.add(key);
      cli.io.err(file.state === 'verified' ? `  ${file.path}: ${mb(file.bytesTotal)}, SHA-256 verified` : `  ${file.path}: downloading`);
    }
    if (p.state !== 'downloading' || Date.now() - last < 1000) return;
    last = Date.now();
    const percent = p.bytesTotal === 0 ? 100 : Math.floor((100 * p.bytesDone) / p.bytesTotal);
    cli.io.err(`installing: ${percent} % (${mb(p.bytesDone)} of ${mb(p.bytesTotal)})`);
  });
}

function listText(
  status: SpeechModelStatus,
  folders: { dir: string; models: { id: string; dtype: WhisperDtype; bytes: number }[] }[],
): string {
  const lines = folders.flatMap(({ dir, models }) => [
    `${dir}:`,
    ...(models.length === 0
      ? ['  (no Whisper model)']
      : models.map((m) => `  ${m.id}  encoder ${m.dtype.encoder_model}, decoder ${m.dtype.decoder_model_merged}, ${mb(m.bytes)}`)),
  ]);
  const pinned = status.pinned;
  lines.push(
    '',
    `Pinned speech model: ${pinned.id} at ${pinned.revision.slice(0, 12)}, ${mb(pinned.bytes)}: ${status.pinnedInstalled ? 'installed' : 'missing'}`,
    `In use for transcription: ${status.inUse ? status.inUse.id : 'none'}`,
    `Source: ${describeSource(status.source)}${status.sourceLocked ? ' (set by the machine policy)' : ''}`,
  );
  if (!status.pinnedInstalled && status.source.kind !== 'forbidden') lines.push('Install it with: scribe models install');
  return lines.join('\n');
}

/** `models list` and `models install`. */
export function registerModelsCommands(program: Command, cli: CliContext): void {
  const models = program.command('models').description('speech recognition models on this machine');
  models
    .command('list')
    .description('where speech models are looked for, which are installed, and whether the pinned one is (and where it would come from)')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) => {
      const dirs = modelsSearchPath({ modelsDir: (cli.globals() as { modelsDir?: string }).modelsDir, env: cli.env });
      const folders = dirs.map((dir) => ({
        dir,
        models: findWhisperModels(dir).map((m) => ({ id: m.id, name: modelDisplayName(m), dtype: m.dtype, bytes: m.bytes })),
      }));
      const status = installerFor(cli, createEventBus()).status();
      cli.io.out(o.json ? json({ folders, ...status }) : listText(status, folders));
    });

  models
    .command('install')
    .description(
      'install the pinned speech model (downloaded, resuming a cut download, or copied from a folder), every file checked against its SHA-256',
    )
    .option(
      '--from <source>',
      'a mirror URL (https, or http on this machine) or a folder holding a models folder (default: the configured source)',
    )
    .option('--json', 'print the outcome as JSON (progress still goes to stderr)')
    .action(async (o: { from?: string; json?: boolean }) => {
      const events = createEventBus();
      const installer = installerFor(cli, events);
      const stop = reportProgress(cli, events);
      const onSignal = () => installer.cancel();
      process.once('SIGINT', onSignal);
      let outcome: SpeechModelProgress;
      try {
        outcome = await installer.install(o.from ? { from: o.from } : {});
      } catch (error) {
        // The file, source and hashes, for IT; runCli prints the plain message after them.
        if (!o.json && error instanceof ScribeError)
          for (const [key, value] of Object.entries(error.details ?? {})) cli.io.err(`  ${key}: ${value}`);
        if (o.json && error instanceof ScribeError) {
          cli.io.out(
            json({
              state: 'failed',
              ...installer.status().install,
              reason: error.reason,
              message: error.message,
              details: error.details ?? {},
            }),
          );
        }
        throw error;
      } finally {
        stop();
        process.off('SIGINT', onSignal);
      }
      const status = installer.status();
      const folder = join(status.modelsFolder, ...status.pinned.id.split('/'));
      if (o.json) {
        cli.io.out(json({ ...outcome, folder }));
        return;
      }
      cli.io.out(
        `Speech model ${status.pinned.name} installed: ${outcome.files.length} files, ${mb(outcome.bytesTotal)}, every one matching its pinned SHA-256, in ${folder}.`,
      );
    });
}
