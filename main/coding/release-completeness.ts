import type { IcdEntry } from './code-set.js';

/**
 * Whether a release that parsed cleanly is the whole code set. A file cut at a line boundary keeps
 * every line well-formed and its order numbers in sequence (only the tail is gone), so the line
 * checks pass it; what it lacks shows here: the counts of its fiscal year, whole chapters, and the
 * categories that close them.
 */

/** A complete release of a fiscal year as CMS publishes it, counted from its files. */
export interface KnownRelease {
  /** Lines of the order file: billable codes and the headers above them. */
  readonly codes: number;
  /** Lines of the codes file; the order file's lines with flag 1. */
  readonly billable: number;
}

/**
 * FY2026 (October 2025): counted from the CMS zip (cms_2026_dx.zip, sha256 55a9124a…ef11). A year
 * is added here once its files have been counted; a release of a year after the newest one here
 * (the next October's, before the app knows its counts) is checked for chapters and closing
 * categories only, and one of an earlier year not here is refused (see `releaseGaps`).
 */
export const KNOWN_RELEASES: ReadonlyMap<number, KnownRelease> = new Map([[2026, { codes: 98_186, billable: 74_719 }]]);

export const NEWEST_KNOWN_FISCAL_YEAR = Math.max(...KNOWN_RELEASES.keys());

interface Chapter {
  readonly number: number;
  /** Categories from `first` to `last`, compared as strings (O9A sorts after O99). */
  readonly first: string;
  readonly last: string;
}

/** The chapters by their categories; chapter 22 (codes for special purposes, U) comes last in the order file. */
const CHAPTERS: readonly Chapter[] = [
  { number: 1, first: 'A00', last: 'B99' },
  { number: 2, first: 'C00', last: 'D49' },
  { number: 3, first: 'D50', last: 'D89' },
  { number: 4, first: 'E00', last: 'E89' },
  { number: 5, first: 'F01', last: 'F99' },
  { number: 6, first: 'G00', last: 'G99' },
  { number: 7, first: 'H00', last: 'H59' },
  { number: 8, first: 'H60', last: 'H95' },
  { number: 9, first: 'I00', last: 'I99' },
  { number: 10, first: 'J00', last: 'J99' },
  { number: 11, first: 'K00', last: 'K95' },
  { number: 12, first: 'L00', last: 'L99' },
  { number: 13, first: 'M00', last: 'M99' },
  { number: 14, first: 'N00', last: 'N99' },
  { number: 15, first: 'O00', last: 'O9A' },
  { number: 16, first: 'P00', last: 'P96' },
  { number: 17, first: 'Q00', last: 'QA0' },
  { number: 18, first: 'R00', last: 'R99' },
  { number: 19, first: 'S00', last: 'T88' },
  { number: 20, first: 'V00', last: 'Y99' },
  { number: 21, first: 'Z00', last: 'Z99' },
  { number: 22, first: 'U00', last: 'U85' },
];

/**
 * The last category of each chapter (Q99 closed chapter 17 until FY2026 added QA0 after it; it is
 * still there). A release cut anywhere before the end of a chapter lacks that chapter's closing one.
 */
export const CLOSING_CATEGORIES: readonly string[] = [
  'B99',
  'D49',
  'D89',
  'E89',
  'F99',
  'G99',
  'H59',
  'H95',
  'I99',
  'J99',
  'K95',
  'L99',
  'M99',
  'N99',
  'O9A',
  'P96',
  'Q99',
  'R99',
  'T88',
  'Y99',
  'Z99',
  'U09',
];

/** What a release lacks. Codes, chapters and counts are public reference data, not PHI. */
export interface ReleaseGaps {
  readonly fiscalYear: number;
  /** Set when the fiscal year's counts are known and the release's differ. */
  readonly counts?: { readonly expected: KnownRelease; readonly found: { readonly codes?: number; readonly billable: number } };
  readonly chapters: readonly number[];
  readonly categories: readonly string[];
}

export type CompletenessVerdict =
  | { readonly kind: 'complete' }
  | { readonly kind: 'incomplete'; readonly gaps: ReleaseGaps }
  /** An earlier year the app holds no counts for: nothing to check it against. */
  | { readonly kind: 'unknown_year'; readonly fiscalYear: number };

/**
 * `fromOrderFile`: the entries are the order file's (headers and billable codes); otherwise the codes
 * file's alone (billable codes only), whose count is compared with the billable count.
 */
export function checkCompleteness(fiscalYear: number, entries: readonly IcdEntry[], fromOrderFile: boolean): CompletenessVerdict {
  const known = KNOWN_RELEASES.get(fiscalYear);
  if (!known && fiscalYear < NEWEST_KNOWN_FISCAL_YEAR) return { kind: 'unknown_year', fiscalYear };

  const categories = new Set(entries.map((e) => e.code.slice(0, 3)));
  const chapters = CHAPTERS.filter(({ first, last }) => ![...categories].some((c) => c >= first && c <= last)).map((c) => c.number);
  const closing = CLOSING_CATEGORIES.filter((c) => !categories.has(c));

  let counts: ReleaseGaps['counts'];
  if (known) {
    const billable = entries.reduce((n, e) => n + (e.billable ? 1 : 0), 0);
    const differs = fromOrderFile ? entries.length !== known.codes || billable !== known.billable : billable !== known.billable;
    if (differs) counts = { expected: known, found: fromOrderFile ? { codes: entries.length, billable } : { billable } };
  }
  if (!counts && chapters.length === 0 && closing.length === 0) return { kind: 'complete' };
  return { kind: 'incomplete', gaps: { fiscalYear, ...(counts ? { counts } : {}), chapters, categories: closing } };
}
