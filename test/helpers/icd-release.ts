import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IcdEntry } from '../../main/coding/code-set.js';
import { starterEntries } from '../../main/coding/starter-set.js';

/** The official CMS/CDC release, read by path from beside the repository (never copied into it). */
export const OFFICIAL_RELEASE_DIR = fileURLToPath(new URL('../../../shared/terminology/icd10cm/', import.meta.url));
export const officialRelease = {
  dir: OFFICIAL_RELEASE_DIR,
  zip: join(OFFICIAL_RELEASE_DIR, 'cms_2026_dx.zip'),
  order: join(OFFICIAL_RELEASE_DIR, 'icd10cm_order_2026.txt'),
  codes: join(OFFICIAL_RELEASE_DIR, 'icd10cm_codes_2026.txt'),
  present: existsSync(join(OFFICIAL_RELEASE_DIR, 'icd10cm_order_2026.txt')),
};
export const OFFICIAL_RELEASE_MISSING = `The official ICD-10-CM release is not at ${OFFICIAL_RELEASE_DIR} (../shared beside the repository); tests that need it are skipped.`;

/** One order-file line in the official fixed-width layout. */
export function orderLine(order: number, code: string, billable: boolean, shortTitle: string, title: string): string {
  return `${String(order).padStart(5, '0')} ${code.padEnd(7)} ${billable ? '1' : '0'} ${shortTitle.padEnd(60)} ${title}`;
}

export function codesLine(code: string, title: string): string {
  return `${code.padEnd(7)} ${title}`;
}

/** A small, valid release in the official layout (CRLF): the starter set's codes, renumbered. */
export function syntheticRelease(entries: readonly IcdEntry[] = starterEntries): { order: string[]; codes: string[] } {
  return {
    order: entries.map((e, i) => orderLine(i + 1, e.code, e.billable, e.shortTitle.slice(0, 60), e.title)),
    codes: entries.filter((e) => e.billable).map((e) => codesLine(e.code, e.title)),
  };
}

export const crlf = (lines: readonly string[]): string => `${lines.join('\r\n')}\r\n`;
