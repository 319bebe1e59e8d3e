import type { Command } from 'commander';
import type { RequestIn } from '../../../shared/api/contract.js';
import { formatVisit, formatVisitList, json } from '../output.js';
import type { CliContext } from '../session.js';
import { formatTranscriptionFailure } from '../transcription-failure-text.js';
import { registerVisitEraseCommand } from './visit-erase.js';
import { registerVisitReviewCommands } from './visit-review.js';

interface CreateOptions {
  patient: string;
  encounter?: string;
  name?: string;
  mrn?: string;
  birthDate?: string;
  reason?: string;
  json?: boolean;
}

export function registerVisitCommands(program: Command, cli: CliContext): Command {
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
    .action(async (o: CreateOptions) => {
      const request: RequestIn<'visit:create'> = {
        patientId: o.patient,
        encounterId: o.encounter,
        patient: { displayName: o.name, mrn: o.mrn, birthDate: o.birthDate, reasonForVisit: o.reason },
      };
      const created = await cli.withScribe('open', (_s, call) => call('visit:create', request));
      cli.io.out(o.json ? json(created) : `Created visit ${created.id}.`);
    });
  visit
    .command('list')
    .description('list visits, newest first')
    .option('--since <iso-date-time>', 'only visits created at or after this time')
    .option('--limit <n>', 'at most this many', (v) => Number.parseInt(v, 10), 200)
    .option('--json', 'print JSON')
    .action(async (o: { since?: string; limit: number; json?: boolean }) => {
      const { visits } = await cli.withScribe('open', (_s, call) => call('visit:list', { since: o.since, limit: o.limit }));
      cli.io.out(o.json ? json(visits) : formatVisitList(visits));
    });
  visit
    .command('show')
    .description('show one visit')
    .argument('<id>', 'visit id')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const { shown, failure } = await cli.withScribe('open', async (_s, call) => {
        const visit = await call('visit:get', { id });
        // Why the note was not drafted: the transcription failure kept with the visit.
        const status = visit.state === 'transcription_failed' ? await call('transcription:status', { visitId: id }) : undefined;
        return { shown: visit, failure: status?.failure };
      });
      if (o.json) cli.io.out(json(failure ? { ...shown, transcriptionFailure: failure } : shown));
      else cli.io.out(failure ? `${formatVisit(shown)}\n${formatTranscriptionFailure(id, failure)}` : formatVisit(shown));
    });
  registerVisitReviewCommands(visit, cli);
  registerVisitEraseCommand(visit, cli);
  return visit;
}
