import { createHash } from 'node:crypto';
import type { IcdEntry } from './code-set.js';
import { withDot } from './icd-code.js';
import type { ProblemList } from './import-error.js';
import type { CodesLine, OrderLine } from './release-format.js';
import { parseCodesFile, parseOrderFile } from './release-format.js';
import type { ReleaseText } from './release-files.js';

/** A release that passed every check, ready to replace the code set in use. */
export interface Release {
  readonly fiscalYear: number;
  readonly files: readonly string[];
  readonly entries: readonly IcdEntry[];
  /** The entries are the order file's (headers included), not the codes file's billable codes alone. */
  readonly fromOrderFile: boolean;
  /** SHA-256 over the files' contents: importing the same release twice changes nothing. */
  readonly sha256: string;
}

const FIRST_FISCAL_YEAR = 2016;

/**
 * Parses and cross-checks the release files: line format, code syntax, duplicates, the header /
 * billable hierarchy, and, when both files are given, that the codes file lists exactly the order
 * file's billable codes with the same titles. Returns undefined when any problem was recorded.
 */
export function checkRelease(
  texts: readonly ReleaseText[],
  fiscalYearOption: number | undefined,
  problems: ProblemList,
): Release | undefined {
  const orderTexts = texts.filter((t) => t.kind === 'order');
  const codesTexts = texts.filter((t) => t.kind === 'codes');
  if (orderTexts.length > 1) problems.add(orderTexts[1]!.name, 0, 'more than one order file was given; import one release at a time');
  if (codesTexts.length > 1) problems.add(codesTexts[1]!.name, 0, 'more than one codes file was given; import one release at a time');
  if (texts.length === 0 && problems.empty) problems.add('(input)', 0, 'no release file was given');
  if (!problems.empty) return undefined;

  const fiscalYear = decideFiscalYear(texts, fiscalYearOption, problems);
  const orderText = orderTexts[0];
  const codesText = codesTexts[0];
  const orderLines = orderText ? parseOrderFile(orderText.name, orderText.text, problems) : undefined;
  const codesLines = codesText ? parseCodesFile(codesText.name, codesText.text, problems) : undefined;
  if (!problems.empty || fiscalYear === undefined) return undefined;

  if (orderLines && orderText) {
    checkDuplicates(orderText.name, orderLines, problems);
    if (problems.empty) checkHierarchy(orderText.name, orderLines, problems);
  }
  if (codesLines && codesText) checkDuplicates(codesText.name, codesLines, problems);
  if (orderLines && orderText && codesLines && codesText && problems.empty)
    checkAgreement(orderText.name, orderLines, codesText.name, codesLines, problems);
  if (!problems.empty) return undefined;

  const entries: IcdEntry[] = orderLines
    ? orderLines.map(({ code, billable, title, shortTitle, order }) => ({ code, billable, title, shortTitle, order }))
    : codesLines!.map(({ code, title, line }) => ({ code, billable: true, title, shortTitle: title.slice(0, 60), order: line }));
  const hash = createHash('sha256');
  for (const t of [orderText, codesText]) if (t) hash.update(t.kind).update(t.text);
  const files = [orderText, codesText].filter((t): t is ReleaseText => t !== undefined).map((t) => t.name);
  return { fiscalYear, files, entries, fromOrderFile: orderLines !== undefined, sha256: hash.digest('hex') };
}

function decideFiscalYear(texts: readonly ReleaseText[], option: number | undefined, problems: ProblemList): number | undefined {
  const named = [...new Set(texts.map((t) => t.fiscalYear).filter((y): y is number => y !== undefined))];
  const latest = new Date().getUTCFullYear() + 2;
  if (option !== undefined && (!Number.isInteger(option) || option < FIRST_FISCAL_YEAR || option > latest)) {
    problems.add('(input)', 0, `the fiscal year must be between ${FIRST_FISCAL_YEAR} and ${latest}`);
    return undefined;
  }
  if (named.length > 1) {
    problems.add('(input)', 0, `the files are from different fiscal years (${named.sort().join(', ')}); import one release at a time`);
    return undefined;
  }
  const fromName = named[0];
  if (option !== undefined && fromName !== undefined && option !== fromName) {
    problems.add('(input)', 0, `the file names say fiscal year ${fromName}, not ${option}`);
    return undefined;
  }
  const year = option ?? fromName;
  if (year === undefined) {
    problems.add('(input)', 0, 'the file names do not say the fiscal year; pass it with --fiscal-year');
    return undefined;
  }
  if (year < FIRST_FISCAL_YEAR || year > latest) {
    problems.add('(input)', 0, `fiscal year ${year} is not one of ICD-10-CM's (${FIRST_FISCAL_YEAR} to ${latest})`);
    return undefined;
  }
  return year;
}

function checkDuplicates(file: string, lines: readonly { line: number; code: string }[], problems: ProblemList): void {
  const seen = new Map<string, number>();
  for (const { line, code } of lines) {
    const first = seen.get(code);
    if (first !== undefined) problems.add(file, line, `code ${withDot(code)} appears again (first on line ${first})`);
    else seen.set(code, line);
  }
}

/**
 * Every code below a category has the nearest code above it in the file, and that one is a header
 * (flag 0); every header has a code below it; billable codes have none.
 */
function checkHierarchy(file: string, lines: readonly OrderLine[], problems: ProblemList): void {
  const byCode = new Map(lines.map((l) => [l.code, l]));
  const hasChild = new Set<string>();
  for (const entry of lines) {
    if (entry.code.length === 3) continue;
    if (!byCode.has(entry.code.slice(0, 3))) {
      problems.add(file, entry.line, `${withDot(entry.code)} has no category ${entry.code.slice(0, 3)} in the file`);
      continue;
    }
    let parent: OrderLine | undefined;
    for (let length = entry.code.length - 1; length >= 3 && !parent; length -= 1) parent = byCode.get(entry.code.slice(0, length));
    if (!parent) continue;
    hasChild.add(parent.code);
    if (parent.billable) {
      problems.add(
        file,
        parent.line,
        `${withDot(parent.code)} is marked billable (flag 1) but has codes below it, such as ${withDot(entry.code)} on line ${entry.line}`,
      );
    }
  }
  for (const entry of lines) {
    if (!entry.billable && !hasChild.has(entry.code)) {
      problems.add(file, entry.line, `${withDot(entry.code)} is a header (flag 0) but no code below it is in the file`);
    }
  }
}

function checkAgreement(
  orderFile: string,
  orderLines: readonly OrderLine[],
  codesFile: string,
  codesLines: readonly CodesLine[],
  problems: ProblemList,
): void {
  const billable = new Map(orderLines.filter((l) => l.billable).map((l) => [l.code, l]));
  if (billable.size !== codesLines.length) {
    problems.add(codesFile, 0, `the codes file has ${codesLines.length} lines but the order file marks ${billable.size} codes billable`);
  }
  const listed = new Set<string>();
  for (const { line, code, title } of codesLines) {
    listed.add(code);
    const inOrder = billable.get(code);
    if (!inOrder) problems.add(codesFile, line, `${withDot(code)} is not a billable code of the order file`);
    else if (inOrder.title !== title)
      problems.add(codesFile, line, `the title of ${withDot(code)} differs from the order file's (line ${inOrder.line})`);
  }
  for (const entry of billable.values()) {
    if (!listed.has(entry.code)) problems.add(orderFile, entry.line, `${withDot(entry.code)} is billable but missing from the codes file`);
  }
}
