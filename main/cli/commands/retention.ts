import type { Command } from 'commander';
import type { RetentionReport } from '../../retention/retention-service.js';
import { retentionRunForbidden } from '../../retention/retention-errors.js';
import { resolveActor } from '../context.js';
import { json } from '../output.js';
import type { CliContext } from '../session.js';

function formatReport(report: RetentionReport): string {
  const verb = report.dryRun ? 'Would destroy' : 'Destroyed';
  const head = `Audio is kept ${report.retentionDays} day(s) after the EHR confirmed the note (cutoff ${report.cutoff}).`;
  if (report.visits.length === 0) return `${head}\nNo visit's audio is due.`;
  const lines = report.visits.map(
    (v) => `  visit ${v.visitId}  confirmed ${v.confirmedAt}${v.chunks === undefined ? '' : `  ${v.chunks} chunk(s)`}`,
  );
  const scrub =
    report.fileScrubbed === false
      ? ['The rows are gone but another program had the store open, so the file still holds their pages; the next run clears them.']
      : [];
  return [head, `${verb} the audio of ${report.visits.length} visit(s):`, ...lines, ...scrub].join('\n');
}

export function registerRetentionCommands(program: Command, cli: CliContext): void {
  const retention = program.command('retention').description('audio retention (the audioRetentionDays setting)');
  retention
    .command('run')
    .description('destroy the audio of visits the EHR confirmed more than audioRetentionDays ago (the app does this every hour)')
    .option('--dry-run', 'list what would go, change nothing')
    .option('--json', 'print JSON')
    .action(async (o: { dryRun?: boolean; json?: boolean }) => {
      const actor = resolveActor(cli.env);
      if (actor.role === 'scribe') throw retentionRunForbidden();
      const report = await cli.withScribe('open', (scribe) => scribe.retention.run({ dryRun: o.dryRun === true, actorId: actor.id }));
      cli.io.out(o.json ? json(report) : formatReport(report));
    });
}
