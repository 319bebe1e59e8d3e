import { RELEASE_CODE } from './icd-code.js';
import type { ProblemList } from './import-error.js';

/**
 * The fixed-width layouts of the CMS/CDC ICD-10-CM release (icd10OrderFiles.pdf,
 * icd10cmCodesFile.pdf): ASCII, one code per line, CRLF.
 *
 * Order file  cols 1-5 order number, 7-13 code without dot, 15 valid flag (1 = billable),
 *             17-76 short title, 78- long title.
 * Codes file  cols 1-7 code without dot, 9- long title; billable codes only.
 */
export interface OrderLine {
  readonly line: number;
  readonly order: number;
  readonly code: string;
  readonly billable: boolean;
  readonly shortTitle: string;
  readonly title: string;
}

export interface CodesLine {
  readonly line: number;
  readonly code: string;
  readonly title: string;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Lines without their CR; a final empty line (the file's last CRLF) is not a line. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/** Shared checks of the code field: left-aligned, padded with spaces, a code's characters. */
function checkCodeField(field: string, file: string, n: number, columns: string, problems: ProblemList): string | undefined {
  const code = field.trimEnd();
  if (code.length === 0) {
    problems.add(file, n, `the code field (columns ${columns}) is empty`);
    return undefined;
  }
  if (!RELEASE_CODE.test(code)) {
    problems.add(
      file,
      n,
      `the code field (columns ${columns}) does not hold an ICD-10-CM code (a letter, then 2 to 6 letters or digits, upper case, no dot)`,
    );
    return undefined;
  }
  return code;
}

export function parseOrderFile(file: string, text: string, problems: ProblemList): OrderLine[] {
  const out: OrderLine[] = [];
  const lines = splitLines(text);
  if (lines.length === 0) problems.add(file, 0, 'the file is empty');
  lines.forEach((line, index) => {
    const n = index + 1;
    if (line.length === 0) return problems.add(file, n, 'the line is empty');
    if (!PRINTABLE_ASCII.test(line)) return problems.add(file, n, 'the line holds characters other than printable ASCII');
    if (line.length < 78)
      return problems.add(
        file,
        n,
        `the line has ${line.length} characters; the order file layout needs at least 78 (a long title from column 78)`,
      );
    if (!/^\d{5}$/.test(line.slice(0, 5))) return problems.add(file, n, 'columns 1-5 must hold a five-digit order number');
    if (line[5] !== ' ' || line[13] !== ' ' || line[15] !== ' ' || line[76] !== ' ') {
      return problems.add(file, n, 'columns 6, 14, 16 and 77 must be spaces; a field is shifted');
    }
    const order = Number.parseInt(line.slice(0, 5), 10);
    const expected = (out.at(-1)?.order ?? 0) + 1;
    if (order !== expected)
      return problems.add(file, n, `order number ${order} where ${expected} was expected; a line is missing, repeated or out of place`);
    const code = checkCodeField(line.slice(6, 13), file, n, '7-13', problems);
    if (code === undefined) return;
    const flag = line[14];
    if (flag !== '0' && flag !== '1') return problems.add(file, n, 'column 15 (valid for billing) must be 0 or 1');
    const shortTitle = line.slice(16, 76).trimEnd();
    const title = line.slice(77);
    if (shortTitle.length === 0 || line[16] === ' ') return problems.add(file, n, 'the short title (columns 17-76) is missing or shifted');
    if (title.trim().length === 0 || title.startsWith(' ') || title.endsWith(' ')) {
      return problems.add(file, n, 'the long title (column 78 on) is missing or shifted');
    }
    out.push({ line: n, order, code, billable: flag === '1', shortTitle, title });
  });
  return out;
}

export function parseCodesFile(file: string, text: string, problems: ProblemList): CodesLine[] {
  const out: CodesLine[] = [];
  const lines = splitLines(text);
  if (lines.length === 0) problems.add(file, 0, 'the file is empty');
  lines.forEach((line, index) => {
    const n = index + 1;
    if (line.length === 0) return problems.add(file, n, 'the line is empty');
    if (!PRINTABLE_ASCII.test(line)) return problems.add(file, n, 'the line holds characters other than printable ASCII');
    if (line.length < 9)
      return problems.add(file, n, `the line has ${line.length} characters; the codes file layout needs a title from column 9`);
    const code = checkCodeField(line.slice(0, 7), file, n, '1-7', problems);
    if (code === undefined) return;
    if (line[7] !== ' ' || line[8] === ' ')
      return problems.add(file, n, 'the title must start in column 9 after a space in column 8; a field is shifted');
    const title = line.slice(8);
    if (title.endsWith(' ')) return problems.add(file, n, 'the title has trailing spaces; a field is shifted');
    out.push({ line: n, code, title });
  });
  return out;
}
