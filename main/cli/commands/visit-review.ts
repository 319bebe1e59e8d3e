import type { Command } from 'commander';
import { NoteDraft } from '../../../shared/api/contract.js';
import type { CodeSuggestion } from '../../../shared/domain/note.js';
import { codeChangeTwice, codeNotBillable, codeNotOnNote } from '../cli-errors.js';
import { json } from '../output.js';
import type { CliContext } from '../session.js';

interface CodesOptions {
  accept: string[];
  reject: string[];
  add: string[];
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

const statusWords: Record<CodeSuggestion['status'], string> = { suggested: 'suggested', accepted: 'accepted', rejected: 'rejected' };

export function formatCodes(codes: readonly CodeSuggestion[]): string {
  if (codes.length === 0) return 'No codes on this note.';
  return [...codes]
    .sort((a, b) => a.rank - b.rank)
    .map((c) => `${c.code.padEnd(9)}${statusWords[c.status].padEnd(10)}${c.description}`)
    .join('\n');
}

/**
 * `visit codes` and `visit ready`: the review steps of the code panel and the "Ready for signature"
 * button, scriptable. Code changes are saved as the code panel saves them: a new revision of the
 * note (note:save against the revision read, so a concurrent edit is refused), audited as an edit.
 */
export function registerVisitReviewCommands(visit: Command, cli: CliContext): void {
  visit
    .command('codes')
    .description("show the note's ICD-10-CM codes; accept, reject or add codes (saved as a new revision of the note)")
    .argument('<id>', 'visit id')
    .option('--accept <code>', 'accept a code on the note (repeatable)', collect, [])
    .option('--reject <code>', 'reject a code on the note (repeatable)', collect, [])
    .option('--add <code>', 'add a billable code from the code set, accepted (repeatable)', collect, [])
    .option('--json', 'print JSON')
    .action(async (id: string, o: CodesOptions) => {
      const changes = o.accept.length + o.reject.length + o.add.length;
      const result = await cli.withScribe('open', async (_s, call) => {
        const { note } = await call('note:get', { visitId: id });
        if (changes === 0) return { revision: note.revision, codes: note.codes, changed: false };
        // The code as the code set writes it (dotted, upper case), so "j029" finds J02.9.
        const canonical = async (input: string) => {
          const validation = await call('icd:validate', { code: input });
          return { input, validation, code: validation.code ?? input.trim().toUpperCase() };
        };
        const accept = await Promise.all(o.accept.map(canonical));
        const reject = await Promise.all(o.reject.map(canonical));
        const add = await Promise.all(o.add.map(canonical));
        const seen = new Set<string>();
        for (const { code } of [...accept, ...reject, ...add]) {
          if (seen.has(code)) throw codeChangeTwice(code);
          seen.add(code);
        }
        const onNote = new Set(note.codes.map((c) => c.code));
        for (const { code } of [...accept, ...reject]) if (!onNote.has(code)) throw codeNotOnNote(code);
        const status = new Map<string, CodeSuggestion['status']>([
          ...accept.map(({ code }) => [code, 'accepted'] as const),
          ...reject.map(({ code }) => [code, 'rejected'] as const),
        ]);
        let codes = note.codes.map((c) => (status.has(c.code) ? { ...c, status: status.get(c.code)! } : c));
        for (const { input, validation } of add) {
          if (!validation.billable || !validation.code || !validation.description) {
            throw codeNotBillable(
              input,
              validation.message,
              validation.alternatives.slice(0, 5).map((a) => a.code),
            );
          }
          const { code, description } = validation;
          if (codes.some((c) => c.code === code)) {
            codes = codes.map((c) => (c.code === code ? { ...c, status: 'accepted' as const } : c));
            continue;
          }
          const rank = codes.reduce((max, c) => Math.max(max, c.rank), 0) + 1;
          codes = [...codes, { code, description, rank, evidence: [], status: 'accepted' }];
        }
        const saved = await call('note:save', { visitId: id, baseRevision: note.revision, note: { ...NoteDraft.parse(note), codes } });
        return { revision: saved.revision, codes: saved.codes, changed: true };
      });
      if (o.json) return cli.io.out(json({ revision: result.revision, codes: result.codes }));
      const heading = result.changed ? `Saved as revision ${result.revision} of the note.` : `Codes on revision ${result.revision}:`;
      cli.io.out(`${heading}\n${formatCodes(result.codes)}`);
    });

  visit
    .command('ready')
    .description('hand a reviewed note to the clinician: mark it ready for signature (scribes and clinicians)')
    .argument('<id>', 'visit id')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const marked = await cli.withScribe('open', (_s, call) => call('visit:markReady', { visitId: id }));
      cli.io.out(o.json ? json(marked) : `Visit ${marked.id} is ready for signature.`);
    });
}
