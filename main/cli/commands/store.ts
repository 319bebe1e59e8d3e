import type { Command } from 'commander';
import { storeFileDamaged } from '../../store/errors.js';
import { QUICK_CHECK_ON_OPEN_MAX_BYTES } from '../../store/store-check.js';
import { checkStoreFile } from '../../store/store-file-check.js';
import { resolveDataDir } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { json } from '../output.js';
import type { CliContext } from '../session.js';

const megabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

export function registerStoreCommands(program: Command, cli: CliContext): void {
  const store = program.command('store').description('the store file itself');
  store
    .command('check')
    .description(
      `run SQLite's quick check over every page of the store file; needs no key (the app checks stores up to ${QUICK_CHECK_ON_OPEN_MAX_BYTES / 1024 / 1024} MB each time it opens them). Exit 1 when it is damaged`,
    )
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) => {
      const report = checkStoreFile(resolveDataDir(cli.globals(), cli.env));
      if (o.json) {
        cli.io.out(json(report));
        if (!report.ok) process.exitCode = EXIT.error;
      } else if (report.ok) {
        cli.io.out(`The store file passed SQLite's quick check (${megabytes(report.bytes)}, ${Math.round(report.ms)} ms).`);
      } else {
        for (const problem of report.problems) cli.io.err(problem);
        throw storeFileDamaged({ check: 'quick_check', problems: report.problems.length });
      }
    });
}
