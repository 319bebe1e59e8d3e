import { ScribeError } from '../kernel/errors.js';

/** One thing wrong with a release file, by file name and 1-based line number (0: the file as a whole). */
export interface ReleaseProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** How many problems one import reports before it stops reading: a wrong file would give one per line. */
export const MAX_PROBLEMS = 20;

export const describeProblem = (p: ReleaseProblem): string =>
  p.line > 0 ? `${p.file} line ${p.line}: ${p.message}` : `${p.file}: ${p.message}`;

/**
 * A release that failed validation. Messages name files, line numbers, columns and codes (public
 * reference data), never a line's content: a file passed by mistake could hold anything.
 */
export class TerminologyImportError extends ScribeError {
  readonly problems: readonly ReleaseProblem[];
  constructor(problems: readonly ReleaseProblem[], unchanged: string) {
    const shown = problems.slice(0, 5).map(describeProblem);
    const more =
      problems.length > shown.length
        ? ` (and ${problems.length - shown.length} more problem${problems.length - shown.length === 1 ? '' : 's'})`
        : '';
    super('bad_request', `The ICD-10-CM release was not imported: ${shown.join('; ')}${more}. ${unchanged}`, {
      reason: 'terminology.release_invalid',
      details: { problems: problems.length },
    });
    this.problems = problems;
  }
}

/** Collects problems and stops the import once there are too many to be worth reading. */
export class ProblemList {
  readonly items: ReleaseProblem[] = [];
  add(file: string, line: number, message: string): void {
    this.items.push({ file, line, message });
    if (this.items.length >= MAX_PROBLEMS) throw new TooManyProblems();
  }
  get empty(): boolean {
    return this.items.length === 0;
  }
}

export class TooManyProblems extends Error {}
