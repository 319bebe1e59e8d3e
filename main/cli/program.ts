import { Command, CommanderError, Option } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Channel, RequestIn, ResponseOf } from '../../shared/api/contract.js';
import type { CallContext } from '../api/dispatch.js';
import { startWebBridge } from '../api/web-bridge.js';
import { appIdentity, packageRoot } from '../app-identity.js';
import type { Scribe } from '../compose.js';
import { openScribe } from '../compose.js';
import { ScribeError } from '../errors.js';
import { createJsonLineLogger, nullLogger } from '../log/logger.js';
import { createKeyFile } from '../store/key-file-key-provider.js';
import type { OpenMode } from '../store/store.js';
import type { GlobalOptions } from './context.js';
import { resolveActor, resolveDataDir, resolveKeyProvider } from './context.js';
import type { Io } from './output.js';
import { formatAuditReport, formatVisit, formatVisitList, json } from './output.js';

/** Exit codes: 0 ok, 1 a clear error, 2 bad usage, 3 the audit log failed verification. */
export const EXIT = { ok: 0, error: 1, usage: 2, auditBroken: 3 } as const;

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
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  const logger = env['SCRIBE_LOG'] === 'json' ? createJsonLineLogger(process.stderr) : nullLogger;

  async function withScribe<T>(mode: OpenMode, fn: (scribe: Scribe, call: Call) => Promise<T> | T): Promise<T> {
    const actor = resolveActor(env);
    const scribe = openScribe({ dataDir: resolveDataDir(globals(), env), keyProvider: resolveKeyProvider(globals(), env), mode, logger, actorId: actor.id });
    const ctx: CallContext = { transport: 'cli', actor };
    const call: Call = async (channel, request) => {
      const result = await scribe.dispatch(channel, request, ctx);
      if (!result.ok) throw new ScribeError(result.error.code, result.error.message);
      return result.value as never;
    };
    try {
      return await fn(scribe, call);
    } finally {
      scribe.close();
    }
  }

  program
    .command('init')
    .description('create an encrypted store in the data folder')
    .option('--create-key-file', 'create the file named by --key-file with a new random key')
    .action(async (options: { createKeyFile?: boolean }) => {
      const keyFile = globals().keyFile;
      if (options.createKeyFile) {
        if (!keyFile) throw new ScribeError('bad_request', '--create-key-file needs --key-file FILE.');
        createKeyFile(keyFile);
      }
      await withScribe('create', (scribe) => io.out(`Created an encrypted store at ${scribe.store.path}.`));
    });

  const visit = program.command('visit').description('visits');
  visit
    .command('create')
    .description('create a visit for a patient')
    .requiredOption('--patient <id>', "the patient's id in the EHR")
    .option('--encounter <id>', "the encounter's id in the EHR")
    .option('--name <name>', "the patient's name as shown to staff")
    .option('--mrn <mrn>', 'medical record number')
    .option('--birth-date <yyyy-mm-dd>', 'date of birth')
    .option('--reason <text>', 'reason for the visit')
    .option('--json', 'print JSON')
    .action(async (o: { patient: string; encounter?: string; name?: string; mrn?: string; birthDate?: string; reason?: string; json?: boolean }) => {
      const request: RequestIn<'visit:create'> = {
        patientId: o.patient,
        encounterId: o.encounter,
        patient: { displayName: o.name, mrn: o.mrn, birthDate: o.birthDate, reasonForVisit: o.reason },
      };
      const created = await withScribe('open', (_s, call) => call('visit:create', request));
      io.out(o.json ? json(created) : `Created visit ${created.id}.`);
    });
  visit
    .command('list')
    .description("list visits, newest first")
    .option('--since <iso-date-time>', 'only visits created at or after this time')
    .option('--limit <n>', 'at most this many', (v) => Number.parseInt(v, 10), 200)
    .option('--json', 'print JSON')
    .action(async (o: { since?: string; limit: number; json?: boolean }) => {
      const { visits } = await withScribe('open', (_s, call) => call('visit:list', { since: o.since, limit: o.limit }));
      io.out(o.json ? json(visits) : formatVisitList(visits));
    });
  visit
    .command('show')
    .description('show one visit')
    .argument('<id>', 'visit id')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const shown = await withScribe('open', (_s, call) => call('visit:get', { id }));
      io.out(o.json ? json(shown) : formatVisit(shown));
    });

  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description('check every entry of the hash chain; exit 3 when it is broken')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const report = await withScribe('open', (_s, call) => call('audit:verify', {}));
      io.out(o.json ? json(report) : formatAuditReport(report));
      if (!report.ok) process.exitCode = EXIT.auditBroken;
    });
  audit
    .command('export')
    .description('write every entry as JSON lines to a new file')
    .argument('<file>', 'a file that does not exist yet')
    .action(async (file: string) => {
      const count = await withScribe('open', async (scribe) => {
        if (existsSync(file)) throw new ScribeError('conflict', 'That file already exists; choose a new name.');
        return scribe.audit.exportJsonLines(file);
      });
      io.out(`Exported ${count} audit entries to ${file}.`);
    });

  program
    .command('web')
    .description('serve the app to a browser on 127.0.0.1 (development and tests; not in installed builds)')
    .addOption(new Option('--port <port>', 'port (0 picks a free one)').argParser((v) => Number.parseInt(v, 10)).default(0))
    .option('--json', 'print the address as one JSON line')
    .action(async (o: { port: number; json?: boolean }) => {
      const staticDir = join(packageRoot, 'dist', 'renderer');
      if (!existsSync(join(staticDir, 'index.html'))) throw new ScribeError('unavailable', 'The renderer is not built; run `npm run build` first.');
      await withScribe('open', async (scribe) => {
        const bridge = await startWebBridge({
          dispatch: scribe.dispatch,
          events: scribe.events,
          actor: resolveActor(env),
          staticDir,
          port: o.port,
          packaged: packageRoot.includes('.asar'),
          logger,
        });
        io.out(o.json ? JSON.stringify({ url: bridge.url, origin: bridge.origin, token: bridge.token }) : `Ambient Scribe is at ${bridge.url}\nPress Ctrl+C to stop.`);
        await deps.untilStopped();
        await bridge.close();
      });
    });

  return program;
}

type Call = <C extends Channel>(channel: C, request: RequestIn<C>) => Promise<ResponseOf<C>>;

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
