import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { IcdSearchResult } from '../../../shared/domain/terminology.js';
import { EXIT } from '../exit-codes.js';
import { json } from '../output.js';
import type { CliContext } from '../session.js';

export function formatSearchResult(result: IcdSearchResult): string {
  if (result.hits.length === 0) return `No ICD-10-CM code matches (code set ${result.version}).`;
  const lines = result.hits.map((hit) => `${hit.code.padEnd(9)}${hit.billable ? '' : '(header, not billable) '}${hit.description}`);
  lines.push(`${result.hits.length} of ${result.total} match${result.total === 1 ? '' : 'es'} in ICD-10-CM ${result.version}.`);
  return lines.join('\n');
}

const limit = (value: string): number => {
  const n = Number.parseInt(value, 10);
  if (!/^\d+$/.test(value) || n < 1 || n > 200) throw new InvalidArgumentError('a number from 1 to 200');
  return n;
};

export function registerIcdCommands(program: Command, cli: CliContext): void {
  const icd = program.command('icd').description('ICD-10-CM codes: search and validation');
  icd
    .command('search')
    .description('find codes by code ("E11", "e11.6"), by words ("diab foot ulcer") or by abbreviation ("T2DM", "CHF")')
    .argument('<text>', 'what to look for')
    .option('--limit <n>', 'at most this many results (1-200)', limit, 20)
    .option('--billable', 'billable codes only')
    .option('--json', 'print JSON')
    .action(async (text: string, o: { limit: number; billable?: boolean; json?: boolean }) => {
      const result = await cli.withScribe('open', (_s, call) =>
        call('icd:search', { query: text, limit: o.limit, billableOnly: o.billable ?? false }),
      );
      cli.io.out(o.json ? json(result) : formatSearchResult(result));
    });
  icd
    .command('validate')
    .description('check that a code exists and is billable; exit 0 only for a billable code')
    .argument('<code>', 'an ICD-10-CM code, with or without its dot')
    .option('--json', 'print JSON')
    .action(async (code: string, o: { json?: boolean }) => {
      const result = await cli.withScribe('open', (_s, call) => call('icd:validate', { code }));
      if (o.json) cli.io.out(json(result));
      else if (result.billable) cli.io.out(result.message);
      else cli.io.err(result.message);
      if (!result.billable) process.exitCode = EXIT.error;
    });
}
