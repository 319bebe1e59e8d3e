import type { TerminologyInfo } from '../../shared/domain/terminology.js';
import type { AbbreviationTable } from './abbreviations.js';
import { abbreviationTable } from './abbreviations.js';
import type { CodeSet, IcdEntry } from './code-set.js';
import { createCodeSet } from './code-set.js';
import type { Concept } from './concepts.js';
import { concepts } from './concepts.js';
import type { IcdSearchIndex } from './icd-search.js';
import { buildSearchIndex } from './icd-search.js';
import { commonCodes } from './starter-set.js';

/** One loaded code set with everything search, validation and suggestions read from it. */
export interface Terminology {
  readonly codeSet: CodeSet;
  readonly index: IcdSearchIndex;
  readonly abbreviations: AbbreviationTable;
  readonly concepts: readonly Concept[];
  /** Codes practices use most (the starter set's billable codes), preferred among equal choices. */
  readonly common: ReadonlySet<string>;
  /** The concepts' default codes (E11.9 for type 2 diabetes): first among choices below a header. */
  readonly defaults: ReadonlySet<string>;
}

export function loadTerminology(entries: readonly IcdEntry[], info: TerminologyInfo): Terminology {
  const codeSet = createCodeSet(entries, info);
  const abbreviations = abbreviationTable();
  const index = buildSearchIndex({ codeSet, abbreviations, concepts, common: commonCodes });
  const defaults = new Set(concepts.map((c) => c.code.replace('.', '')));
  return { codeSet, index, abbreviations, concepts, common: commonCodes, defaults };
}
