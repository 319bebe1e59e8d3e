import { Option } from 'commander';
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startWebBridge } from '../../api/web-bridge.js';
import { packageRoot } from '../../kernel/app-identity.js';
import { resolveActor } from '../context.js';
import type { CliContext } from '../session.js';
import { rendererNotBuilt } from '../cli-errors.js';

export function registerWebCommand(program: Command, cli: CliContext): void {
  program
    .command('web')
    .description('serve the app to a browser on 127.0.0.1 (development and tests; not in installed builds)')
    .addOption(new Option('--port <port>', 'port (0 picks a free one)').argParser((v) => Number.parseInt(v, 10)).default(0))
    .option('--json', 'print the address as one JSON line')
    .action(async (o: { port: number; json?: boolean }) => {
      const staticDir = join(packageRoot, 'dist', 'renderer');
      if (!existsSync(join(staticDir, 'index.html'))) throw rendererNotBuilt();
      await cli.withScribe('open', async (scribe) => {
        scribe.policy.assertWebBridgeAllowed();
        // As in the app: a recorded visit's note is drafted once its transcript is final.
        scribe.pipeline.start();
        // As in the app: confirmed visits' audio goes once audioRetentionDays have passed.
        scribe.retention.start(3_600_000);
        const bridge = await startWebBridge({
          dispatch: scribe.dispatch,
          events: scribe.events,
          actor: resolveActor(cli.env),
          staticDir,
          port: o.port,
          packaged: packageRoot.includes('.asar'),
          logger: cli.logger,
        });
        cli.io.out(
          o.json
            ? JSON.stringify({ url: bridge.url, origin: bridge.origin, token: bridge.token })
            : `Ambient Scribe is at ${bridge.url}\nPress Ctrl+C to stop.`,
        );
        await cli.untilStopped();
        await bridge.close();
      });
    });
}
