import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { EXIT } from '../exit-codes.js';
import { formatAuditReport, json } from '../output.js';
import type { CliContext } from '../session.js';
import { outputFileExists } from '../cli-errors.js';

export function registerAuditCommands(program: Command, cli: CliContext): void {
  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description('check every entry of the hash chain; exit 3 when it is broken')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const report = await cli.withScribe('open', (_s, call) => call('audit:verify', {}));
      cli.io.out(o.json ? json(report) : formatAuditReport(report));
      if (!report.ok) process.exitCode = EXIT.auditBroken;
    });
  audit
    .command('export')
    .description('write every entry as JSON lines to a new file')
    .argument('<file>', 'a file that does not exist yet')
    .action(async (file: string) => {
      const count = await cli.withScribe('open', async (scribe, call) => {
        if (existsSync(file)) throw outputFileExists();
        // The app's export call makes the role check and the audit record; the file is then streamed whole.
        await call('audit:export', { afterSeq: 0, limit: 1 });
        return scribe.audit.exportJsonLines(file);
      });
      cli.io.out(`Exported ${count} audit entries to ${file}.`);
    });
}
