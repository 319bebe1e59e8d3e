import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { unzipSync } from 'fflate';
import type { ProblemList } from './import-error.js';

/** One text file of a release, from disk or from inside its zip, with what its name says about it. */
export interface ReleaseText {
  /** "icd10cm_order_2026.txt", or "cms_2026_dx.zip/icd10cm_order_2026.txt" from a zip. */
  readonly name: string;
  readonly kind: 'order' | 'codes';
  readonly text: string;
  /** The fiscal year its file name (or its zip's name) gives, if any. */
  readonly fiscalYear: number | undefined;
}

/** Larger than any release by far (FY2026: 22 MB unpacked); a bigger file is not one. */
const MAX_BYTES = 256 * 1024 * 1024;

const RELEASE_MEMBER = /^icd10cm_(order|codes)_(\d{4})\.txt$/i;

export function fiscalYearInName(name: string): number | undefined {
  const match = /(?:^|[^0-9])(20\d{2})(?![0-9])/.exec(basename(name));
  return match ? Number.parseInt(match[1]!, 10) : undefined;
}

/**
 * How a file is named in messages and in the release record: its own name when it looks like a
 * release file's, else its position. A file passed by mistake may be named after a patient.
 */
export function displayName(path: string, index: number): string {
  const name = basename(path);
  return /^[A-Za-z0-9._-]{1,100}$/.test(name) && /icd|order|codes|cms|tabular|dx|release/i.test(name) ? name : `input file ${index + 1}`;
}

/** Reads the paths given to `scribe terminology import`: order file, codes file, or the zip holding them. */
export function readReleaseFiles(paths: readonly string[], problems: ProblemList): ReleaseText[] {
  const texts: ReleaseText[] = [];
  for (const [index, path] of paths.entries()) {
    const name = displayName(path, index);
    let bytes: Buffer;
    try {
      if (statSync(path).size > MAX_BYTES) {
        problems.add(name, 0, 'the file is larger than any ICD-10-CM release');
        continue;
      }
      bytes = readFileSync(path);
    } catch {
      problems.add(name, 0, 'the file cannot be read (check the path and its permissions)');
      continue;
    }
    if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])))
      texts.push(...readZip(name, fiscalYearInName(basename(path)), bytes, problems));
    else {
      const kind = kindOf(basename(path), name, bytes, problems);
      if (kind) texts.push({ name, kind, text: bytes.toString('latin1'), fiscalYear: fiscalYearInName(basename(path)) });
    }
  }
  return texts;
}

function readZip(zipName: string, zipYear: number | undefined, bytes: Buffer, problems: ProblemList): ReleaseText[] {
  let members: Record<string, Uint8Array>;
  try {
    // Only the two code set files are inflated; the PDFs and addenda stay packed.
    members = unzipSync(bytes, { filter: (file) => RELEASE_MEMBER.test(basename(file.name)) && file.originalSize <= MAX_BYTES });
  } catch {
    problems.add(zipName, 0, 'the zip archive is damaged and cannot be read');
    return [];
  }
  const texts: ReleaseText[] = [];
  for (const [path, data] of Object.entries(members)) {
    const member = basename(path);
    const match = RELEASE_MEMBER.exec(member)!;
    const year = Number.parseInt(match[2]!, 10);
    if (zipYear !== undefined && zipYear !== year) problems.add(zipName, 0, `the zip's name says ${zipYear} but it holds ${member}`);
    texts.push({
      name: `${zipName}/${member}`,
      kind: match[1]!.toLowerCase() as 'order' | 'codes',
      text: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1'),
      fiscalYear: year,
    });
  }
  if (texts.length === 0) problems.add(zipName, 0, 'the zip holds no icd10cm_order_YYYY.txt or icd10cm_codes_YYYY.txt');
  return texts;
}

/** By name first (as CMS names them), else by the shape of the first line. */
function kindOf(fileName: string, name: string, bytes: Buffer, problems: ProblemList): 'order' | 'codes' | undefined {
  const lower = fileName.toLowerCase();
  const first = bytes.subarray(0, 200).toString('latin1').split(/\r?\n/)[0] ?? '';
  if (lower.includes('addenda') || /^(Add|Delete|Revise)[: ]/.test(first)) {
    problems.add(name, 0, 'an addenda file lists changes between years, not a code set; import the order file, the codes file or the zip');
    return undefined;
  }
  if (/order/.test(lower)) return 'order';
  if (/codes/.test(lower)) return 'codes';
  if (/^\d{5} [A-Z]/.test(first)) return 'order';
  if (/^[A-Z][0-9A-Z]{2}[0-9A-Z ]{4} \S/.test(first)) return 'codes';
  problems.add(name, 0, 'this is neither an ICD-10-CM order file nor a codes file');
  return undefined;
}
