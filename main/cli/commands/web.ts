import { Option } from 'commander';
import type { Command } from 'commander';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startWebBridge } from '../../api/web-bridge.js';
import { signedInActor } from '../../auth/auth-actor.js';
import { packageRoot } from '../../kernel/app-identity.js';
import { installExitReporter } from '../../log/exit-reporter.js';
import { createKeyFile } from '../../store/key-file-key-provider.js';
import { DATABASE_FILE } from '../../store/store.js';
import { OUTBOX_INTERVAL_MS } from '../../writeback/backoff.js';
import { startOutboxWorkerOnce } from '../../writeback/outbox-worker-lock.js';
import { localKeyFilePath, resolveActor, resolveDataDir } from '../context.js';
import type { CliContext } from '../session.js';
import { rendererNotBuilt } from '../cli-errors.js';

/**
 * A first run is one command: with no store yet and no key given (SCRIBE_PASSPHRASE, --key-file),
 * the store is created with a new key file beside the data folder (owner-only; docs/security.md).
 */
function firstRunKey(cli: CliContext, dataDir: string): void {
  if (existsSync(join(dataDir, DATABASE_FILE)) || cli.globals().keyFile || cli.env['SCRIBE_PASSPHRASE']) return;
  const keyFile = localKeyFilePath(dataDir);
  if (existsSync(keyFile)) return;
  mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
  createKeyFile(keyFile);
  cli.io.err(
    `A new encrypted store is created in ${dataDir}; its key is in ${keyFile} (only your account can read it).\n` +
      'For real patients use the desktop app (the key stays in the system keychain), or SCRIBE_PASSPHRASE or --key-file on another disk.',
  );
}

export function registerWebCommand(program: Command, cli: CliContext): void {
  program
    .command('web')
    .description('serve the app to a browser on 127.0.0.1 (development and tests; not in installed builds)')
    .addOption(new Option('--port <port>', 'port (0 picks a free one)').argParser((v) => Number.parseInt(v, 10)).default(0))
    .option('--json', 'print the address as one JSON line')
    .option('--no-demo-ehr', 'with no EHR configured, do not start the demo EHR (synthetic patients) in this process')
    .action(async (o: { port: number; json?: boolean; demoEhr: boolean }) => {
      const staticDir = join(packageRoot, 'dist', 'renderer');
      if (!existsSync(join(staticDir, 'index.html'))) throw rendererNotBuilt();
      const reporter = installExitReporter({ name: 'web', logger: cli.logger, stderr: (line) => cli.io.err(line) });
      const dataDir = resolveDataDir(cli.globals(), cli.env);
      const policy = cli.policy();
      firstRunKey(cli, dataDir);
      // Loaded only when used: the demo EHR pulls in Medplum and oidc-provider.
      const demo = o.demoEhr ? await import('../../sandbox/embedded-demo-ehr.js') : undefined;
      const demoEhr = demo?.demoEhrWanted(dataDir, policy) ? await demo.startEmbeddedDemoEhr({ dataDir, logger: cli.logger }) : undefined;
      try {
        await cli.withScribe(
          'open-or-create',
          async (scribe) => {
            scribe.policy.assertWebBridgeAllowed();
            // As in the app: a recorded visit's note is drafted once its transcript is final.
            scribe.pipeline.start();
            // As in the app: confirmed visits' audio goes once audioRetentionDays have passed.
            scribe.retention.start(3_600_000);
            // As in the app: signed notes go out by themselves, one timer per data folder.
            const outbox = startOutboxWorkerOnce({
              worker: scribe.outboxWorker,
              dataDir,
              intervalMs: OUTBOX_INTERVAL_MS,
              logger: cli.logger,
            });
            const bridge = await startWebBridge({
              dispatch: scribe.dispatch,
              events: scribe.events,
              // Whoever signed in with the EHR in the page acts; until then the workstation account (SCRIBE_USER/SCRIBE_ROLE).
              actor: signedInActor(scribe.auth, resolveActor(cli.env)),
              staticDir,
              port: o.port,
              packaged: packageRoot.includes('.asar'),
              logger: cli.logger,
            });
            // EHR launch (http://127.0.0.1:<fhirLaunchPort>/launch), when the settings turn it on.
            void scribe.auth.startLaunchListener();
            cli.io.out(
              o.json
                ? JSON.stringify({ url: bridge.url, origin: bridge.origin, token: bridge.token, demoEhr: demoEhr !== undefined })
                : [
                    `Ambient Scribe is at ${bridge.url}`,
                    ...(demoEhr ? ['Connected to the demo EHR (synthetic patients) running in this process.'] : []),
                    'Press Ctrl+C to stop.',
                  ].join('\n'),
            );
            await cli.untilStopped();
            reporter.stopping();
            await bridge.close();
            await outbox.stop();
          },
          undefined,
          { demoEhr },
        );
      } finally {
        await demoEhr?.close();
      }
    });
}
