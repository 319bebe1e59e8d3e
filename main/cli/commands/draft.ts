import { Option } from 'commander';
import type { Command } from 'commander';
import type { DraftResult } from '../../../shared/domain/drafting.js';
import { DraftEngineChoice } from '../../../shared/domain/drafting.js';
import { NoteTemplateId } from '../../../shared/domain/note.js';
import type { Note } from '../../../shared/domain/note.js';
import { renderNoteText } from '../../../shared/domain/note-text.js';
import { json } from '../output.js';
import type { CliContext } from '../session.js';

export const UNSUPPORTED_MARK = '[unsupported] ';

/** The note as a clinician reads it; a sentence nothing in the transcript supports is marked. */
export function formatDraftedNote(note: Note): string {
  const marked = {
    sections: note.sections.map((section) => ({
      ...section,
      sentences: section.sentences.map((s) => (s.support === 'unsupported' ? { ...s, text: `${UNSUPPORTED_MARK}${s.text}` } : s)),
    })),
  };
  const codes = note.codes.filter((c) => c.status !== 'rejected');
  const codeLines = codes.length === 0 ? [] : ['', 'SUGGESTED ICD-10-CM CODES', ...codes.map((c) => `${c.code}  ${c.description}`)];
  return [renderNoteText(marked) || '(The transcript held nothing the drafter could place in a section.)', ...codeLines].join('\n');
}

function summary(result: DraftResult): string {
  const { note } = result;
  const engine = note.drafter.engine === 'llm' ? `language model ${note.drafter.model ?? ''}`.trim() : 'offline drafter';
  const parts = [`Draft saved as revision ${note.revision} of visit ${note.visitId} (${engine}, template ${note.template}).`];
  if (result.fallback) parts.push(`Drafted offline because the language model was not used: ${result.fallback.reason}`);
  if (result.unsupportedSentences > 0)
    parts.push(`${result.unsupportedSentences} sentence(s) cite nothing in the transcript and are marked ${UNSUPPORTED_MARK.trim()}.`);
  if (result.droppedCodes > 0) parts.push(`${result.droppedCodes} proposed code(s) were not billable ICD-10-CM codes and were dropped.`);
  return parts.join('\n');
}

/** `visit draft`: the note goes to stdout, what happened to stderr, so the note can be piped. */
export function registerDraftCommands(_program: Command, visit: Command, cli: CliContext): void {
  visit
    .command('draft')
    .description("draft the visit's note from its transcript and save it as a draft revision")
    .argument('<id>', 'visit id')
    .addOption(
      new Option('--engine <engine>', 'auto: the language model when configured and answering, else offline')
        .choices(DraftEngineChoice.options)
        .default('auto'),
    )
    .addOption(new Option('--template <template>', 'note template').choices(NoteTemplateId.options).default('soap'))
    .option('--replace-edits', 'draft again even though people have edited the note (their edits stay in the history)')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { engine: DraftEngineChoice; template: NoteTemplateId; replaceEdits?: boolean; json?: boolean }) => {
      const result = await cli.withScribe('open', (_s, call) =>
        call('visit:draft', { visitId: id, engine: o.engine, template: o.template, replaceEdits: o.replaceEdits ?? false }),
      );
      if (o.json) {
        cli.io.out(json(result));
        return;
      }
      cli.io.err(summary(result));
      cli.io.out(formatDraftedNote(result.note));
    });
}
