import type { Command } from 'commander';
import { Option } from 'commander';
import { existsSync } from 'node:fs';
import { arch, release } from 'node:os';
import type { SettingsView } from '../../../shared/domain/policy.js';
import { settingDefaults } from '../../../shared/domain/policy.js';
import { appIdentity } from '../../kernel/app-identity.js';
import type { StoreDiagnostics } from '../../diagnostics/diagnostics-bundle.js';
import { writeDiagnosticsBundle } from '../../diagnostics/diagnostics-bundle.js';
import { readLogTail } from '../../diagnostics/log-tail.js';
import { storeCounts } from '../../diagnostics/store-counts.js';
import { ScribeError } from '../../kernel/errors.js';
import { defaultLogDir } from '../../log/log-location.js';
import { lockedKeys, resolveEffectiveSettings } from '../../policy/effective-settings.js';
import type { PolicyProblem } from '../../policy/errors.js';
import { PolicyInvalidError } from '../../policy/errors.js';
import { readUserSettings } from '../../policy/user-settings-file.js';
import { LATEST_SCHEMA_VERSION, schemaVersion } from '../../store/migrations/index.js';
import { resolveDataDir } from '../context.js';
import type { CliContext } from '../session.js';
import { invalidLineCount, outputFileExists } from '../cli-errors.js';

interface ExportOptions {
  lines: number;
  logDir?: string;
}

export function registerDiagnosticsCommands(program: Command, cli: CliContext): void {
  const diagnostics = program.command('diagnostics').description('support bundles without patient data');
  diagnostics
    .command('export')
    .description('write a redacted zip for support: versions, settings, audit summary, counts, recent log lines')
    .argument('<file>', 'a .zip file that does not exist yet')
    .addOption(new Option('--lines <n>', 'how many recent log lines').argParser((v) => Number.parseInt(v, 10)).default(500))
    .option('--log-dir <dir>', "log folder (default: $SCRIBE_LOG_DIR or the desktop app's log folder)")
    .action(async (file: string, o: ExportOptions) => {
      if (existsSync(file)) throw outputFileExists();
      if (!Number.isInteger(o.lines) || o.lines < 0 || o.lines > 100_000) throw invalidLineCount();

      // The bundle is most needed when something is wrong, so every part that fails is reported, not fatal.
      let settings: SettingsView | null = null;
      let policyProblems: readonly PolicyProblem[] = [];
      try {
        const machine = cli.policy();
        const user = readUserSettings(resolveDataDir(cli.globals(), cli.env));
        settings = {
          settings: resolveEffectiveSettings(settingDefaults, user.values, machine.values),
          policy: { file: machine.file, locked: lockedKeys(machine.values) },
        };
      } catch (error) {
        if (!(error instanceof PolicyInvalidError)) throw error;
        policyProblems = error.problems;
      }

      let store: StoreDiagnostics = { available: false, code: 'policy_invalid' };
      if (settings !== null) {
        try {
          store = await cli.withScribe('open', (scribe) => ({
            available: true as const,
            schemaVersion: schemaVersion(scribe.store.db),
            audit: scribe.audit.verify(),
            ...storeCounts(scribe.store.db),
          }));
        } catch (error) {
          if (!(error instanceof ScribeError)) throw error;
          store = { available: false, code: error.code };
        }
      }

      const logDir = o.logDir ?? cli.env['SCRIBE_LOG_DIR'] ?? defaultLogDir(cli.env);
      const size = writeDiagnosticsBundle(file, {
        app: appIdentity,
        platform: {
          os: process.platform,
          release: release(),
          arch: arch(),
          node: process.versions.node,
          electron: process.versions['electron'],
        },
        createdAt: new Date(),
        schemaVersion: LATEST_SCHEMA_VERSION,
        settings,
        policyProblems,
        store,
        logs: readLogTail(logDir, o.lines),
      });
      cli.io.out(`Wrote ${file} (${size} bytes). It holds no patient data; send it to support as it is.`);
    });
}
