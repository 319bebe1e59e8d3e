import type { Command } from 'commander';
import { practitionerIdOption, signingActor } from '../signer-option.js';
import type { OutboxJobSummary } from '../../../shared/domain/outbox.js';
import { confirmAnswerNeeded } from '../cli-errors.js';
import { json } from '../output.js';
import type { CliContext } from '../session.js';

function formatJobs(jobs: readonly OutboxJobSummary[]): string {
  if (jobs.length === 0) return 'The outbox is empty.';
  return jobs
    .map((job) => {
      const where = job.target ?? job.route;
      const detail =
        job.state === 'delivered'
          ? `delivered ${job.deliveredAt ?? ''}`
          : job.state === 'failed'
            ? `FAILED (${job.lastErrorCode ?? 'error'}): ${job.lastError ?? ''} — fix the cause, then: scribe outbox retry ${job.id}`
            : job.state === 'unknown_outcome'
              ? `OUTCOME UNKNOWN: ${job.lastError ?? ''} — check the EHR, then: scribe outbox confirm ${job.id} --delivered (or --not-delivered)`
              : job.waiting
                ? job.waiting
                : job.lastError
                  ? `retrying at ${job.nextAttemptAt ?? ''} after: ${job.lastError}`
                  : 'waiting to be sent';
      const what = job.addendum ? `  addendum ${job.addendum.seq}` : '';
      return `${job.id}  visit ${job.visitId}${what}  ${where}  attempts ${job.attempts}  ${detail}`;
    })
    .join('\n');
}

/** `visit sign` and the `outbox` group. */
export function registerWritebackCommands(program: Command, visit: Command, cli: CliContext): void {
  visit
    .command('sign')
    .description("sign the visit's note as a clinician and queue it for the EHR")
    .argument('<id>', 'visit id')
    .option(
      '--as <practitioner-id>',
      "the signing clinician's EHR practitioner id (default: the practitioner IT linked this account to)",
      practitionerIdOption,
    )
    .option('--revision <n>', 'the note revision you reviewed (default: the current one)', (v) => Number.parseInt(v, 10))
    .option(
      '--acknowledge-unsupported',
      'confirm you checked the sentences that have no support in the transcript (required when the note has any)',
    )
    .option('--json', 'print JSON')
    .action(async (id: string, o: { as?: string; revision?: number; acknowledgeUnsupported?: boolean; json?: boolean }) => {
      const result = await cli.withScribe(
        'open',
        async (_s, call) => {
          const revision = o.revision ?? (await call('note:get', { visitId: id })).note.revision;
          return call('visit:sign', { visitId: id, revision, ...(o.acknowledgeUnsupported ? { acknowledgeUnsupported: true } : {}) });
        },
        signingActor(cli.env, o.as),
      );
      cli.io.out(
        o.json
          ? json(result)
          : `Signed revision ${result.attestation.revision} (SHA-256 ${result.attestation.noteSha256.slice(0, 12)}…); outbox job ${result.jobId} queued.`,
      );
    });

  const outbox = program.command('outbox').description('signed notes on their way to the EHR');
  outbox
    .command('status')
    .description('every job with its state, attempts and last error')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const { jobs } = await cli.withScribe('open', (_s, call) => call('outbox:list', {}));
      cli.io.out(o.json ? json(jobs) : formatJobs(jobs));
    });
  outbox
    .command('confirm')
    .description('say, after checking the EHR, whether a job whose outcome is unknown arrived (clinicians and administrators)')
    .argument('<job-id>', 'outbox job id')
    .option('--delivered', 'the note is in the EHR: the job is marked delivered')
    .option('--not-delivered', 'the note is not in the EHR: the job is sent again')
    .option('--json', 'print JSON')
    .action(async (jobId: string, o: { delivered?: boolean; notDelivered?: boolean; json?: boolean }) => {
      if (o.delivered === o.notDelivered) throw confirmAnswerNeeded();
      const job = await cli.withScribe('open', (_s, call) => call('outbox:confirm', { jobId, delivered: o.delivered === true }));
      cli.io.out(
        o.json
          ? json(job)
          : job.state === 'delivered'
            ? `Job ${jobId} is marked delivered (confirmed by you).`
            : `Job ${jobId} is queued again; run \`scribe outbox run\` or wait for the app to send it.`,
      );
    });
  outbox
    .command('run')
    .description('send every job that is due now, once')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const summary = await cli.withScribe('open', (_s, call) => call('outbox:run', {}));
      cli.io.out(o.json ? json(summary) : `Delivered ${summary.delivered}, will retry ${summary.retrying}, failed ${summary.failed}.`);
    });
  outbox
    .command('retry')
    .description('send a failed job again (after fixing what its error says)')
    .argument('<job-id>', 'outbox job id')
    .action(async (jobId: string) => {
      await cli.withScribe('open', (_s, call) => call('outbox:retry', { jobId }));
      cli.io.out(`Job ${jobId} is queued again; run \`scribe outbox run\` or wait for the app to send it.`);
    });
}
