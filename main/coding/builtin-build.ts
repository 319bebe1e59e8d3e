import { describeProblem, ProblemList, TooManyProblems } from './import-error.js';
import { encodeBuiltIn } from './builtin-release.js';
import type { Release } from './release-check.js';
import { checkRelease } from './release-check.js';
import { checkCompleteness } from './release-completeness.js';
import { readReleaseFiles } from './release-files.js';

export type BuiltInBuild =
  { readonly ok: true; readonly release: Release; readonly bytes: Buffer } | { readonly ok: false; readonly problems: string[] };

/**
 * The build's conversion of the official release (the CMS zip) into the built-in code set, with the
 * same checks as `scribe terminology import`: a release that import would refuse is not built in either.
 */
export function buildBuiltIn(paths: readonly string[]): BuiltInBuild {
  const problems = new ProblemList();
  let release: Release | undefined;
  try {
    release = checkRelease(readReleaseFiles(paths, problems), undefined, problems);
  } catch (error) {
    if (!(error instanceof TooManyProblems)) throw error;
  }
  if (!release || !problems.empty) return { ok: false, problems: problems.items.map(describeProblem) };
  const completeness = checkCompleteness(release.fiscalYear, release.entries, release.fromOrderFile);
  if (completeness.kind !== 'complete')
    return { ok: false, problems: [`the FY${release.fiscalYear} release is not complete (${completeness.kind})`] };
  return { ok: true, release, bytes: encodeBuiltIn(release) };
}
