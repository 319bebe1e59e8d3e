import { ScribeError } from '../kernel/errors.js';
import type { ReleaseGaps } from './release-completeness.js';

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

const count = (n: number) => n.toLocaleString('en-US');

function describeGaps(gaps: ReleaseGaps): string[] {
  const parts: string[] = [];
  const { counts } = gaps;
  if (counts) {
    const { expected, found } = counts;
    parts.push(
      found.codes === undefined
        ? `FY${gaps.fiscalYear}'s codes file has ${count(expected.billable)} billable codes; this one has ${count(found.billable)}`
        : `FY${gaps.fiscalYear}'s order file has ${count(expected.codes)} codes (${count(expected.billable)} billable); this one has ${count(found.codes)} (${count(found.billable)} billable)`,
    );
  }
  if (gaps.chapters.length > 0) parts.push(`no codes of chapter${gaps.chapters.length === 1 ? '' : 's'} ${gaps.chapters.join(', ')}`);
  if (gaps.categories.length > 0)
    parts.push(`the closing categor${gaps.categories.length === 1 ? 'y' : 'ies'} ${gaps.categories.join(', ')} missing`);
  return parts;
}

/**
 * A release that is well-formed line by line but not the whole code set: a file cut short while
 * copying or downloading. The details list what is missing (counts, chapters, categories).
 */
export const releaseIncomplete = (gaps: ReleaseGaps, unchanged: string) =>
  new ScribeError(
    'bad_request',
    `The ICD-10-CM release was not imported: it is incomplete (${describeGaps(gaps).join('; ')}). The file may have been cut short while it was copied or downloaded; get the release again from CMS. ${unchanged}`,
    {
      reason: 'terminology.release_incomplete',
      details: {
        fiscalYear: gaps.fiscalYear,
        ...(gaps.counts
          ? {
              expectedBillable: gaps.counts.expected.billable,
              foundBillable: gaps.counts.found.billable,
              ...(gaps.counts.found.codes === undefined
                ? {}
                : { expectedCodes: gaps.counts.expected.codes, foundCodes: gaps.counts.found.codes }),
            }
          : {}),
        missingChapters: gaps.chapters.join(', '),
        missingCategories: gaps.categories.join(', '),
      },
    },
  );

/** An earlier fiscal year the app holds no counts for, so it cannot tell a whole release from a cut one. */
export const releaseYearUnchecked = (fiscalYear: number, newestKnown: number, unchanged: string) =>
  new ScribeError(
    'bad_request',
    `The ICD-10-CM release was not imported: this app cannot check that a FY${fiscalYear} release is complete. Import the release of FY${newestKnown} or later. ${unchanged}`,
    { reason: 'terminology.release_year_unchecked', details: { fiscalYear, newestKnown } },
  );

/** A release of an earlier fiscal year than the one built into the app would never be used. */
export const releaseOlderThanBuiltIn = (fiscalYear: number, builtIn: number, unchanged: string) =>
  new ScribeError(
    'bad_request',
    `The ICD-10-CM release was not imported: FY${fiscalYear} is older than the FY${builtIn} code set built into this app. Import FY${builtIn} (e.g. its April update) or later. ${unchanged}`,
    { reason: 'terminology.release_older_than_built_in', details: { fiscalYear, builtIn } },
  );
