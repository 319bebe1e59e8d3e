import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { practitionerIdOption, signingActor } from '../signer-option.js';
import { json } from '../output.js';
import type { Call, CliContext } from '../session.js';
import { addendumFileUnreadable, addendumTextOrFile, noAddendumToSign } from '../cli-errors.js';

/** The unsigned addendum of a visit, if one is being written. */
async function openAddendum(call: Call, visitId: string) {
  return (await call('note:get', { visitId })).addenda.find((a) => a.state === 'draft');
}

async function addendumText(o: { text?: string; file?: string }): Promise<string> {
  if ((o.text === undefined) === (o.file === undefined)) throw addendumTextOrFile();
  if (o.text !== undefined) return o.text;
  const content = await readFile(o.file!, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw addendumFileUnreadable(error.code ?? 'error');
  });
  // An editor's final newline is not part of what the clinician wrote.
  return content.replace(/\r?\n$/, '');
}

/** `visit addendum` (write the text of an addendum to a signed note) and `visit sign-addendum`. */
export function registerAddendumCommands(visit: Command, cli: CliContext): void {
  visit
    .command('addendum')
    .description("write an addendum to a visit's signed note (replaces the text of the addendum not yet signed, or starts a new one)")
    .argument('<id>', 'visit id')
    .option('--text <text>', 'the addendum text')
    .option('--file <path>', 'read the addendum text from a UTF-8 file (one final newline is dropped)')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { text?: string; file?: string; json?: boolean }) => {
      const text = await addendumText(o);
      const saved = await cli.withScribe('open', async (_s, call) => {
        const current = await openAddendum(call, id);
        return call('note:addendum', { visitId: id, baseRevision: current?.revision, text });
      });
      cli.io.out(
        o.json
          ? json(saved)
          : `Saved addendum ${saved.seq} (revision ${saved.revision}). A clinician signs it with: scribe visit sign-addendum ${id} --as <practitioner-id>`,
      );
    });
  visit
    .command('sign-addendum')
    .description("sign the visit's unsigned addendum as a clinician and queue it after the original note")
    .argument('<id>', 'visit id')
    .option(
      '--as <practitioner-id>',
      "the signing clinician's EHR practitioner id (default: the practitioner IT linked this account to)",
      practitionerIdOption,
    )
    .option('--revision <n>', 'the addendum revision you reviewed (default: the current one)', (v) => Number.parseInt(v, 10))
    .option('--json', 'print JSON')
    .action(async (id: string, o: { as?: string; revision?: number; json?: boolean }) => {
      const result = await cli.withScribe(
        'open',
        async (_s, call) => {
          const revision = o.revision ?? (await openAddendum(call, id))?.revision;
          if (revision === undefined) throw noAddendumToSign();
          return call('visit:signAddendum', { visitId: id, revision });
        },
        signingActor(cli.env, o.as),
      );
      cli.io.out(
        o.json
          ? json(result)
          : `Signed addendum ${result.attestation.seq} (SHA-256 ${result.attestation.sha256.slice(0, 12)}…); outbox job ${result.jobId} queued, sent after the original note is delivered.`,
      );
    });
}
