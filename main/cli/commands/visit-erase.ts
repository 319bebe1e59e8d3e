import type { Command } from 'commander';
import { json } from '../output.js';
import type { CliContext } from '../session.js';

/** `visit erase`: a patient's erasure request, where the policy's visitErasureRoles allow it. */
export function registerVisitEraseCommand(visit: Command, cli: CliContext): void {
  visit
    .command('erase')
    .description(
      "erase a visit's local copy (audio, transcript, note, addenda) for a patient's erasure request; the EHR keeps what it received",
    )
    .argument('<id>', 'visit id')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const erased = await cli.withScribe('open', (_s, call) => call('visit:erase', { visitId: id }));
      cli.io.out(
        o.json
          ? json(erased)
          : `Erased visit ${erased.visitId}: nothing of it is left on this workstation; the audit log records that you erased it.` +
              (erased.fileScrubbed ? '' : ' (Another program has the store open; its file is cleared at the next retention run.)'),
      );
    });
}
