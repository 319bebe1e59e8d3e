import { Option } from 'commander';
import type { Command } from 'commander';
import { readFile, stat } from 'node:fs/promises';
import type { Transcript } from '../../../shared/domain/transcript.js';
import { TranscriptFormat } from '../../../shared/domain/transcript.js';
import { decodeTextFile } from '../../../shared/text/decode-text-file.js';
import { json } from '../output.js';
import type { CliContext } from '../session.js';
import { transcriptFileMissing, transcriptFileNotText, transcriptFileTooLarge, transcriptFileUnopenable } from '../cli-errors.js';

const MAX_BYTES = 10_000_000;

/** The file's name may itself hold a patient's name, so errors describe the problem, not the path. */
async function readTranscriptFile(file: string): Promise<string> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw code === 'ENOENT' ? transcriptFileMissing() : transcriptFileUnopenable(code ?? 'error');
  }
  if (size > MAX_BYTES) throw transcriptFileTooLarge();
  const bytes = await readFile(file);
  const text = decodeTextFile(bytes);
  if (text === undefined) throw transcriptFileNotText();
  return text;
}

const clock = (ms: number) => {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};

export function formatTranscript(t: Transcript): string {
  const head = `Transcript (${t.source === 'import' ? 'imported' : 'transcribed'}, ${t.final ? 'final' : 'still growing'}, ${t.segments.length} segments)`;
  return [head, ...t.segments.map((s) => `[${clock(s.startMs)}] ${s.id}  ${s.speaker}: ${s.text}`)].join('\n');
}

/** `visit import-transcript` and `visit transcript`. */
export function registerTranscriptCommands(_program: Command, visit: Command, cli: CliContext): void {
  visit
    .command('import-transcript')
    .description('store a transcript made elsewhere: "Speaker: text" or "[doctor] text" turns, WebVTT, or JSON segments')
    .argument('<id>', 'visit id')
    .argument('<file>', 'the transcript file')
    .addOption(new Option('--format <format>', 'file format').choices(TranscriptFormat.options).default('auto'))
    .option('--replace', 'replace the transcript the visit already has')
    .option('--json', 'print JSON')
    .action(async (id: string, file: string, o: { format: TranscriptFormat; replace?: boolean; json?: boolean }) => {
      const content = await readTranscriptFile(file);
      const result = await cli.withScribe('open', (_s, call) =>
        call('transcript:import', { visitId: id, content, format: o.format, replace: o.replace ?? false }),
      );
      cli.io.out(
        o.json
          ? json(result)
          : `Imported ${result.segments} segments (${result.format})${result.replaced ? ', replacing the previous transcript' : ''}. Next: scribe visit draft ${result.visitId}`,
      );
    });
  visit
    .command('transcript')
    .description("show a visit's transcript")
    .argument('<id>', 'visit id')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const transcript = await cli.withScribe('open', (_s, call) => call('transcript:get', { visitId: id }));
      cli.io.out(o.json ? json(transcript) : formatTranscript(transcript));
    });
}
