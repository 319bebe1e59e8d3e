import { PhraseTable } from './phrases.js';
import type { PhraseMatch } from './phrases.js';
import type { Token } from './tokens.js';

/**
 * How a medicine is given, one key per route: by mouth = PO = p.o. = orally = oral = per os;
 * IV = intravenous(ly); IM = intramuscular(ly); subcutaneous(ly) = subq = sub-q = SQ = SC = under
 * the skin; sublingual(ly) = SL = under the tongue; rectally = per rectum = PR; topical(ly);
 * inhaled = by inhalation; nebulized = by/via nebulizer; intranasal(ly) = nasally; transdermal.
 * "IM", "PR", "SL", "SC" and "SQ" count only in capitals or with dots: "im" is how speech-to-text
 * writes "I'm", and "pr" is a word in other senses.
 */
const TABLE = new PhraseTable([
  ['po', ['by mouth', 'po', 'orally', 'oral', 'per os', 'per mouth', 'p o']],
  ['iv', ['iv', 'intravenous', 'intravenously']],
  ['im', ['im', 'intramuscular', 'intramuscularly']],
  ['subq', ['subcutaneous', 'subcutaneously', 'subq', 'sub-q', 'subcut', 'sq', 'sc', 'under the skin']],
  ['sl', ['sublingual', 'sublingually', 'sl', 'under the tongue']],
  ['pr', ['rectally', 'per rectum', 'pr']],
  ['topical', ['topical', 'topically']],
  ['inhaled', ['inhaled', 'by inhalation']],
  ['nebulized', ['nebulized', '(by|via) (nebulizer|neb)']],
  ['nasal', ['intranasal', 'intranasally', 'nasally']],
  ['transdermal', ['transdermal', 'transdermally']],
]);

const MARKED_ONLY = new Set(['im', 'pr', 'sl', 'sc', 'sq']);
/** "oral" that is not a route: "oral contraceptive", "oral exam". */
const ORAL_OTHER = new Set(
  'contraceptive contraceptives contraception exam examination cavity hygiene surgeon surgery thrush mucosa intake lesion lesions ulcer ulcers cancer sex temperature health care'.split(
    ' ',
  ),
);

export function routeAt(tokens: readonly Token[], i: number): PhraseMatch | undefined {
  const found = TABLE.matchAt(tokens, i);
  if (!found) return undefined;
  const t = tokens[i]!;
  if (found.end === i + 1 && MARKED_ONLY.has(t.norm) && !t.marked) return undefined;
  if (t.norm === 'oral' && ORAL_OTHER.has(tokens[i + 1]?.norm ?? '')) return undefined;
  return found;
}
