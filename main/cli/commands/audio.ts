import { Option } from 'commander';
import type { Command } from 'commander';
import { ConsentGiver, ConsentMethod } from '../../../shared/domain/capture.js';
import type { RecordConsentRequest } from '../../../shared/domain/capture.js';
import { VisitId } from '../../../shared/ids.js';
import { resolveActor } from '../context.js';
import { json } from '../output.js';
import type { CliContext } from '../session.js';
import { invalidMilliseconds, invalidVisitId } from '../cli-errors.js';

function visitId(id: string): VisitId {
  const parsed = VisitId.safeParse(id);
  if (!parsed.success) throw invalidVisitId();
  return parsed.data;
}

const milliseconds = (value: string) => {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0) throw invalidMilliseconds();
  return ms;
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Consent, import and export of a visit's audio, on the `visit` command group. */
export function registerAudioCommands(visit: Command, cli: CliContext): void {
  visit
    .command('consent')
    .description("record the patient's consent to recording the visit")
    .argument('<id>', 'visit id')
    .addOption(new Option('--method <method>', 'how consent was given').choices(ConsentMethod.options).makeOptionMandatory())
    .addOption(new Option('--given-by <who>', 'who gave it').choices(ConsentGiver.options).default('patient'))
    .option('--representative <name>', 'name of the guardian or representative who consented')
    .option('--obtained-at <iso-date-time>', 'when consent was given (default: now)')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { method: string; givenBy: string; representative?: string; obtainedAt?: string; json?: boolean }) => {
      const request = {
        visitId: id,
        method: o.method,
        givenBy: o.givenBy,
        representativeName: o.representative,
        obtainedAt: o.obtainedAt,
      } as RecordConsentRequest;
      const consent = await cli.withScribe('open', (_s, call) => call('visit:recordConsent', request));
      cli.io.out(o.json ? json(consent) : `Recorded ${consent.method} consent for visit ${consent.visitId}.`);
    });

  visit
    .command('import-audio')
    .description('add a recording to a visit that has none: WAV, any common rate, mono or stereo, 16-bit PCM or float')
    .argument('<id>', 'visit id')
    .argument('<file>', 'the audio file')
    .option('--json', 'print JSON')
    .action(async (id: string, file: string, o: { json?: boolean }) => {
      const summary = await cli.withScribe('open', (scribe) => scribe.capture.importFile(visitId(id), file, resolveActor(cli.env)));
      cli.io.out(
        o.json
          ? json(summary)
          : `Imported ${seconds(summary.durationMs)} of audio (${summary.sourceFormat}, ${summary.sourceSampleRate} Hz, ${summary.sourceChannels} channel(s)) into visit ${summary.visitId}; ${summary.segments} speech segment(s).`,
      );
    });

  visit
    .command('export-audio')
    .description("write a visit's audio to a new WAV file (16 kHz mono 16-bit)")
    .argument('<id>', 'visit id')
    .argument('<file>', 'a .wav file that does not exist yet')
    .option('--from-ms <ms>', 'start this far into the recording', milliseconds)
    .option('--to-ms <ms>', 'end this far into the recording', milliseconds)
    .option('--json', 'print JSON')
    .action(async (id: string, file: string, o: { fromMs?: number; toMs?: number; json?: boolean }) => {
      const result = await cli.withScribe('open', (scribe) =>
        scribe.capture.exportFile(visitId(id), file, resolveActor(cli.env), { fromMs: o.fromMs, toMs: o.toMs }),
      );
      cli.io.out(o.json ? json({ file, ...result }) : `Wrote ${seconds(result.durationMs)} of audio to ${file}.`);
    });
}
