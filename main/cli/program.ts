import { Command, CommanderError } from 'commander';
import { appIdentity } from '../kernel/app-identity.js';
import { ScribeError } from '../kernel/errors.js';
import { createCliLogger } from '../log/cli-logger.js';
import { registerAudioCommands } from './commands/audio.js';
import { registerAuthCommands } from './commands/auth.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerDiagnosticsCommands } from './commands/diagnostics.js';
import { registerIcdCommands } from './commands/icd.js';
import { registerPolicyCommands } from './commands/policy.js';
import { registerInitCommand } from './commands/init.js';
import { registerSandboxCommand } from './commands/sandbox.js';
import { registerStoreCommands } from './commands/store.js';
import { registerTerminologyCommands } from './commands/terminology.js';
import { registerVisitCommands } from './commands/visit.js';
import { registerEhrCommands } from './commands/ehr.js';
import { registerWritebackCommands } from './commands/outbox.js';
import { registerAddendumCommands } from './commands/addendum.js';
import { registerWebCommand } from './commands/web.js';
import { registerWhoamiCommand } from './commands/whoami.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './output.js';
import { createCliContext } from './session.js';
import { registerDraftCommands } from './commands/draft.js';
import { registerTranscriptCommands } from './commands/transcript.js';
import { registerTranscribeCommands } from './commands/transcribe.js';
import { registerRetentionCommands } from './commands/retention.js';
import { registerModelsCommands } from './commands/models.js';

export interface CliDeps {
  readonly io: Io;
  readonly env: NodeJS.ProcessEnv;
  /** Resolves when a long-running command (web) should stop. */
  readonly untilStopped: () => Promise<void>;
}

export function buildProgram(deps: CliDeps): Command {
  const { io, env } = deps;
  const program = new Command('scribe')
    .description('Ambient Scribe, headless: the same services as the desktop app.')
    .version(appIdentity.version)
    .option('--data-dir <dir>', 'data folder (default: $SCRIBE_DATA_DIR or the per-user app folder)')
    .option('--key-file <file>', 'key file that unlocks the store (default: passphrase from $SCRIBE_PASSPHRASE)')
    .option('--models-dir <dir>', 'speech models folder (default: $SCRIBE_MODELS_DIR or the per-user models folder)')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  const logger = createCliLogger(env, process.stderr);
  const cli = createCliContext(program, { io, env, logger, untilStopped: deps.untilStopped });
  registerInitCommand(program, cli);
  const visit = registerVisitCommands(program, cli);
  registerTranscriptCommands(program, visit, cli);
  registerTranscribeCommands(program, visit, cli);
  registerDraftCommands(program, visit, cli);
  registerWritebackCommands(program, visit, cli);
  registerAddendumCommands(visit, cli);
  registerAudioCommands(visit, cli);
  registerAuditCommands(program, cli);
  registerWebCommand(program, cli);
  registerSandboxCommand(program, cli);
  registerAuthCommands(program, cli);
  registerWhoamiCommand(program, cli);
  registerPolicyCommands(program, cli);
  registerDiagnosticsCommands(program, cli);
  registerStoreCommands(program, cli);
  registerTerminologyCommands(program, cli);
  registerIcdCommands(program, cli);
  registerEhrCommands(program, cli);
  registerRetentionCommands(program, cli);
  registerModelsCommands(program, cli);
  return program;
}

/** Runs the CLI and returns the exit code; errors print their safe message only. */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  const program = buildProgram(deps);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof ScribeError) {
      deps.io.err(`scribe: ${error.message}`);
      return EXIT.error;
    }
    deps.io.err(`scribe: unexpected ${error instanceof Error ? error.name : 'error'}; nothing stored was changed by it.`);
    if (deps.env['SCRIBE_DEBUG'] === '1' && error instanceof Error) deps.io.err(error.stack ?? '');
    return EXIT.error;
  }
}
