/**
 * ICD-10-CM codes in two spellings: the release files write them without a dot ("E1165"), people
 * and FHIR with one after the category ("E11.65"). Inside main/coding/ codes are kept dot-less;
 * they get their dot only when they leave (API responses, CLI output, suggestions).
 */

/** A category of three characters and up to four more, upper case, no dot: the release files' spelling. */
export const RELEASE_CODE = /^[A-Z][0-9A-Z]{2}[0-9A-Z]{0,4}$/;

const ENTERED_CODE = /^([A-Za-z][0-9A-Za-z]{2})\.?([0-9A-Za-z]{0,4})$/;

/** "e11.65", "E1165" or " E11.65 " → "E1165"; anything that is not shaped like a code → undefined. */
export function toReleaseCode(input: string): string | undefined {
  const match = ENTERED_CODE.exec(input.trim());
  if (!match) return undefined;
  return `${match[1]}${match[2]}`.toUpperCase();
}

/** "E1165" → "E11.65"; a category ("E11") has no dot. */
export function withDot(code: string): string {
  return code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code;
}

/** Entered text that could be the beginning of a code: "E1", "e11.", "E11.6", "E116". */
const CODE_PREFIX = /^[A-Za-z][0-9][0-9A-Za-z]?(\.[0-9A-Za-z]{0,4}|[0-9A-Za-z]{0,4})$/;

export function toCodePrefix(input: string): string | undefined {
  const trimmed = input.trim();
  if (!CODE_PREFIX.test(trimmed)) return undefined;
  return trimmed.replace('.', '').toUpperCase();
}
