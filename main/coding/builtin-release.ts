import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { TerminologyInfo } from '../../shared/domain/terminology.js';
import type { IcdEntry } from './code-set.js';
import { countEntries } from './code-set.js';
import type { Release } from './release-check.js';

/**
 * The built-in code set: the official CMS release converted at build time (scripts/build-terminology.mjs)
 * into one gzipped text file the app reads at startup without re-checking the release. Line 1 is a
 * JSON header; each further line is one order-file entry: order, code, billable flag, long title and
 * the short title when it differs. About 2 MB for FY2026's 98,186 entries.
 */
const FORMAT = 'ambient-scribe/icd10cm-built-in';
const FORMAT_VERSION = 1;

/** Where `npm run build` writes it: dist/terminology/, beside dist/main/ (inside the app's archive when packaged). */
export const BUILT_IN_FILE_NAME = 'icd10cm-built-in.tsv.gz';
export const defaultBuiltInPath = (): string => fileURLToPath(new URL(`../../terminology/${BUILT_IN_FILE_NAME}`, import.meta.url));

export interface BuiltInHeader {
  readonly format: typeof FORMAT;
  readonly formatVersion: number;
  readonly fiscalYear: number;
  /** The release's files as the import names them ("cms_2026_dx.zip/icd10cm_order_2026.txt"). */
  readonly files: readonly string[];
  /** The release's SHA-256 as an import computes it: importing the same files later changes nothing. */
  readonly sha256: string;
  readonly counts: TerminologyInfo['counts'];
}

export interface BuiltInCodeSet {
  readonly header: BuiltInHeader;
  readonly entries: readonly IcdEntry[];
  readonly ms: number;
}

/** The built-in code set, or why it cannot be used (in words for a clinician). */
export type BuiltInLoad = { readonly ok: true; readonly codeSet: BuiltInCodeSet } | { readonly ok: false; readonly problem: string };

export function encodeBuiltIn(release: Release): Buffer {
  const header: BuiltInHeader = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    fiscalYear: release.fiscalYear,
    files: release.files,
    sha256: release.sha256,
    counts: countEntries(release.entries),
  };
  const lines = [JSON.stringify(header)];
  for (const e of release.entries)
    lines.push(`${e.order}\t${e.code}\t${e.billable ? 1 : 0}\t${e.title}\t${e.shortTitle === e.title ? '' : e.shortTitle}`);
  return gzipSync(`${lines.join('\n')}\n`, { level: 9 });
}

export function builtInInfo(header: BuiltInHeader): TerminologyInfo {
  return {
    system: 'ICD-10-CM',
    version: `FY${header.fiscalYear}`,
    fiscalYear: header.fiscalYear,
    source: 'built-in',
    files: [...header.files],
    counts: header.counts,
  };
}

const NOT_INCLUDED = 'This copy of Ambient Scribe was built without the official ICD-10-CM code set.';

export function readBuiltIn(path: string): BuiltInLoad {
  const started = performance.now();
  if (!existsSync(path)) return { ok: false, problem: NOT_INCLUDED };
  const damaged = { ok: false as const, problem: 'The official ICD-10-CM code set built into this copy of Ambient Scribe is damaged.' };
  let text: string;
  try {
    text = gunzipSync(readFileSync(path)).toString('utf8');
  } catch {
    return damaged;
  }
  const lines = text.split('\n');
  let header: BuiltInHeader;
  try {
    header = JSON.parse(lines[0]!) as BuiltInHeader;
  } catch {
    return damaged;
  }
  if (header.format !== FORMAT || header.formatVersion !== FORMAT_VERSION) return damaged;
  const entries: IcdEntry[] = [];
  for (let i = 1; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (line === '') continue;
    const [order, code, flag, title, shortTitle] = line.split('\t');
    if (title === undefined || shortTitle === undefined) return damaged;
    entries.push({ order: Number(order), code: code!, billable: flag === '1', title, shortTitle: shortTitle || title });
  }
  const counts = countEntries(entries);
  if (counts.total !== header.counts.total || counts.billable !== header.counts.billable) return damaged;
  return { ok: true, codeSet: { header, entries, ms: performance.now() - started } };
}
