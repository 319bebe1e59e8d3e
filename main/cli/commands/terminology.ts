import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { TerminologyInfo } from '../../../shared/domain/terminology.js';
import { resolveActor } from '../context.js';
import { json } from '../output.js';
import type { CliContext } from '../session.js';

const count = (n: number) => n.toLocaleString('en-US');

const SOURCES: Record<TerminologyInfo['source'], string> = {
  'built-in': 'the official release built into the app',
  release: 'an official release imported by IT',
  starter: 'development fallback: common outpatient codes only',
};

export function formatTerminologyInfo(info: TerminologyInfo): string {
  const lines = [
    `Code set   ICD-10-CM ${info.version} (${SOURCES[info.source]})`,
    `Codes      ${count(info.counts.total)} (${count(info.counts.billable)} billable, ${count(info.counts.headers)} headers)`,
  ];
  if (info.notice) lines.push(`Notice     ${info.notice}`);
  if (info.source === 'release') {
    lines.push(`Files      ${info.files.join(', ')}`, `Imported   ${info.importedAt ?? '?'} by ${info.importedBy ?? '?'}`);
  }
  return lines.join('\n');
}

const fiscalYear = (value: string): number => {
  if (!/^\d{4}$/.test(value)) throw new InvalidArgumentError('a four-digit year, e.g. 2026');
  return Number.parseInt(value, 10);
};

export function registerTerminologyCommands(program: Command, cli: CliContext): void {
  const terminology = program.command('terminology').description('the ICD-10-CM code set');
  terminology
    .command('import')
    .description('import an official CMS/CDC ICD-10-CM release: the order file, the codes file, or the zip holding them')
    .argument('<files...>', 'icd10cm_order_YYYY.txt, icd10cm_codes_YYYY.txt, or the release zip')
    .option('--fiscal-year <yyyy>', 'the fiscal year, when the file names do not say it', fiscalYear)
    .option('--json', 'print JSON')
    .action(async (files: string[], o: { fiscalYear?: number; json?: boolean }) => {
      const actor = resolveActor(cli.env);
      const outcome = await cli.withScribe('open', (scribe) => scribe.terminology.import(files, { fiscalYear: o.fiscalYear }, actor));
      if (o.json) return cli.io.out(json({ ...outcome.info, unchanged: outcome.unchanged }));
      const { info } = outcome;
      cli.io.out(
        outcome.unchanged
          ? `ICD-10-CM ${info.version} from these files is already the code set in use; nothing changed.`
          : `Imported ICD-10-CM ${info.version}: ${count(info.counts.total)} codes, ${count(info.counts.billable)} billable, in ${(outcome.ms / 1000).toFixed(1)} s. It is now the code set in use.`,
      );
    });
  terminology
    .command('info')
    .description('show the code set in use')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const info = await cli.withScribe('open', (_s, call) => call('terminology:info', {}));
      cli.io.out(o.json ? json(info) : formatTerminologyInfo(info));
    });
}
