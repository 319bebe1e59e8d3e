import type { UnsupportedSummary } from '../../shared/domain/unsupported-sentences.js';
import { SECTION_NAMES } from '../../shared/domain/unsupported-sentences.js';
import { ScribeError } from '../kernel/errors.js';

/**
 * A signature asked for on a note with drafted sentences no transcript line backs, without saying
 * the clinician checked them. Names counts and fixed section names only, never the sentences.
 */
export class UnsupportedSentencesError extends ScribeError {
  readonly count: number;
  constructor(summary: UnsupportedSummary) {
    const where = summary.sections.map((section) => SECTION_NAMES[section.id]).join(', ');
    super(
      'bad_request',
      `${summary.count} sentence${summary.count === 1 ? ' has' : 's have'} no support in the transcript (${where}). Check ${summary.count === 1 ? 'it' : 'them'}, then sign again confirming you did (acknowledgeUnsupported). Nothing was signed.`,
    );
    this.count = summary.count;
  }
}
