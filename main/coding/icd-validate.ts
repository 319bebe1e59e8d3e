import type { IcdValidation } from '../../shared/domain/terminology.js';
import type { CodeSet, IcdEntry } from './code-set.js';
import { toReleaseCode, withDot } from './icd-code.js';
import { analyseTitle } from './text.js';

/** How many billable codes a message names as choices. */
const CHOICES = 5;

const describe = (e: IcdEntry) => `${withDot(e.code)} (${e.title})`;
const alternative = (e: IcdEntry) => ({ code: withDot(e.code), description: e.title });

/** What makes one billable code a likelier choice than another: the concept defaults, then common codes. */
export interface ChoiceRanking {
  /** Codes the concept table names as what a clinician means when saying no more (E11.9 for E11). */
  readonly preferred?: ReadonlySet<string>;
  readonly common?: ReadonlySet<string>;
}

/**
 * Billable codes below `code`, the ones a clinician most likely means first: concept defaults,
 * common codes, "unspecified" and shorter codes before the long tail, then tabular order.
 */
export function choicesBelow(codeSet: CodeSet, code: string, ranking: ChoiceRanking = {}): IcdEntry[] {
  return codeSet
    .billableBelow(code)
    .map((entry) => ({
      entry,
      preferred: ranking.preferred?.has(entry.code) ?? false,
      common: ranking.common?.has(entry.code) ?? false,
      general: analyseTitle(entry.title).general,
    }))
    .sort(
      (a, b) =>
        Number(b.preferred) - Number(a.preferred) ||
        Number(b.common) - Number(a.common) ||
        Number(b.general) - Number(a.general) ||
        a.entry.code.length - b.entry.code.length ||
        a.entry.order - b.entry.order,
    )
    .slice(0, CHOICES)
    .map((c) => c.entry);
}

/** Checks one code against the code set: exists? billable? what to choose instead? */
export function validateCode(codeSet: CodeSet, input: string, ranking: ChoiceRanking = {}): IcdValidation {
  const version = codeSet.info.version;
  const code = toReleaseCode(input);
  if (!code) {
    return {
      status: 'malformed',
      billable: false,
      alternatives: [],
      version,
      message: 'That is not an ICD-10-CM code: a code is a letter, two more characters, and optionally a dot and up to four more (E11.9).',
    };
  }
  const shown = withDot(code);
  const base = { input: input.trim(), code: shown, version };
  const entry = codeSet.get(code);
  if (entry?.billable) {
    return {
      ...base,
      status: 'billable',
      billable: true,
      description: entry.title,
      alternatives: [],
      message: `${shown} is billable: ${entry.title} (ICD-10-CM ${version}).`,
    };
  }
  const below = choicesBelow(codeSet, code, ranking);
  if (entry || below.length > 0) {
    // A codes-file-only release has billable codes but no header lines: a prefix of them is still a header.
    const what = entry ? `a ${code.length === 3 ? 'category' : 'subcategory'} header` : 'a heading of more specific codes';
    return {
      ...base,
      status: 'header',
      billable: false,
      ...(entry ? { description: entry.title } : {}),
      alternatives: below.map(alternative),
      message: `${shown} is ${what}, not billable; choose a more specific code such as ${below.map(describe).join(', ')}.`,
    };
  }
  // An invented code usually extends a real one (E11.99 → E11.9): offer it and its neighbours.
  const near = codeSet.parent(code);
  let nearChoices: IcdEntry[] = [];
  if (near?.billable) {
    const siblings = choicesBelow(codeSet, codeSet.parent(near.code)?.code ?? near.code, ranking);
    nearChoices = [near, ...siblings.filter((e) => e.code !== near.code)].slice(0, CHOICES);
  } else if (near) nearChoices = choicesBelow(codeSet, near.code, ranking);
  return {
    ...base,
    status: 'unknown',
    billable: false,
    alternatives: nearChoices.map(alternative),
    message: `${shown} does not exist in ICD-10-CM ${version}.${nearText(near, nearChoices)}`,
  };
}

function nearText(near: IcdEntry | undefined, choices: readonly IcdEntry[]): string {
  if (!near || choices.length === 0) return '';
  if (!near.billable) return ` It would sit under ${describe(near)}, whose billable codes include ${choices.map(describe).join(', ')}.`;
  const others = choices.filter((e) => e.code !== near.code);
  return ` Did you mean ${describe(near)}?${others.length > 0 ? ` Other billable codes nearby: ${others.map(describe).join(', ')}.` : ''}`;
}

export interface CodeCheck {
  readonly accepted: readonly { readonly code: string; readonly description: string }[];
  readonly rejected: readonly { readonly input: string; readonly status: 'header' | 'unknown' | 'malformed'; readonly message: string }[];
}

/**
 * The gate every drafter's codes pass through: only codes that exist in the code set in use and
 * are billable are accepted (with the official description, whatever the drafter wrote); invented,
 * retired and header codes are rejected. Duplicates are accepted once.
 */
export function validateCodes(codeSet: CodeSet, codes: readonly string[]): CodeCheck {
  const accepted: { code: string; description: string }[] = [];
  const rejected: { input: string; status: 'header' | 'unknown' | 'malformed'; message: string }[] = [];
  const seen = new Set<string>();
  for (const input of codes) {
    const result = validateCode(codeSet, input);
    if (result.status === 'billable') {
      if (!seen.has(result.code!)) accepted.push({ code: result.code!, description: result.description! });
      seen.add(result.code!);
    } else {
      rejected.push({ input: result.input ?? '(not a code)', status: result.status, message: result.message });
    }
  }
  return { accepted, rejected };
}
