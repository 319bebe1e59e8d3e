import { Option } from 'commander';
import type { Command } from 'commander';
import { TranscriptionEngine } from '../../../shared/domain/policy.js';
import type { TranscriptionStatus } from '../../../shared/domain/transcription.js';
import { json } from '../output.js';
import type { CliContext } from '../session.js';

function summary(status: TranscriptionStatus): string {
  const engine = status.engine ? `${status.engine}${status.model ? ` (${status.model})` : ''}` : 'no engine';
  const dropped =
    status.segmentsDropped > 0 ? `; ${status.segmentsDropped} piece(s) of engine output kept out as silence, noise or hallucination` : '';
  if (status.final && status.segmentsDone === 0 && status.engine === null)
    return `The transcript is already final (${status.transcriptSegments} segments).`;
  const head = `Transcribed ${status.segmentsDone} speech segment(s) with ${engine}: the transcript has ${status.transcriptSegments} segment(s)${dropped}.`;
  if (status.state === 'following')
    return `${head}\nThe recording is still going on; the transcript grows while this process runs and is final once it stops.`;
  if (status.state === 'cancelled') return `${head}\nCancelled; run the command again to carry on.`;
  return `${head}\nThe transcript is final. Next: scribe visit draft ${status.visitId}`;
}

/** `visit transcribe`. */
export function registerTranscribeCommands(program: Command, visit: Command, cli: CliContext): void {
  visit
    .command('transcribe')
    .description("transcribe the visit's recorded audio (what is not transcribed yet) and finalise the transcript")
    .argument('<id>', 'visit id')
    .addOption(
      new Option(
        '--engine <engine>',
        'local: Whisper on this machine; openai: an OpenAI-compatible service (if policy allows audio to leave)',
      ).choices(TranscriptionEngine.options),
    )
    .option('--json', 'print JSON')
    .action(async (id: string, o: { engine?: TranscriptionEngine; json?: boolean }) => {
      const status = await cli.withScribe('open', async (scribe, call) => {
        let last = 0;
        // Progress to stderr (counts only), at most once a second, so stdout stays the result.
        const stop = scribe.events.on('transcription:progress', (p) => {
          if (o.json) return;
          if (p.visitId !== id || Date.now() - last < 1000 || p.state !== 'running') return;
          last = Date.now();
          cli.io.err(`transcribing: ${p.segmentsDone} speech segment(s) done, ${p.segmentsPending} to go`);
        });
        try {
          return await call('visit:transcribe', { visitId: id, ...(o.engine ? { engine: o.engine } : {}) });
        } finally {
          stop();
        }
      });
      cli.io.out(o.json ? json(status) : summary(status));
    });
}
