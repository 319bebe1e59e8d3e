import { abbreviationKey } from './abbreviations.js';

/**
 * Words and short phrases clinicians type into the code search, with the words ICD-10-CM's titles use
 * for the same thing. Search only: suggestions read notes with abbreviations.ts and concepts.ts alone.
 * A query word (or phrase of up to three words) listed here matches a title through what it is written
 * as OR through any of its meanings, so nothing that matched before stops matching.
 *
 * Sources: the ICD-10-CM Alphabetic Index's conventions for its main terms (History, personal → Z85-Z87,
 * History, family → Z80-Z84; Allergy, status → Z88; Noncompliance → Z91.1-; Long-term (current) drug
 * therapy → Z79; limbs as "lower limb" / "upper limb" in cellulitis, ulcer and vessel titles; Diabetes,
 * uncontrolled → "with hyperglycemia" or "with hypoglycemia"), and the authors' clinical knowledge of
 * how these conditions are written in notes. Checked against the FY2026 release by
 * test/unit/coding/coding-phrasings.test.ts.
 */
export interface SearchSynonym {
  /** As typed; matched like abbreviations (case, spaces and punctuation ignored: "h/o" = "ho"). */
  readonly phrase: string;
  readonly means: readonly string[];
  /** Only as the query's first word: "on insulin" is about taking it, "cellulitis on left leg" is not. */
  readonly firstWordOnly?: boolean;
}

export const searchSynonyms: readonly SearchSynonym[] = [
  // History and status (Z80-Z99)
  { phrase: 'h/o', means: ['history'] },
  { phrase: 'hx', means: ['history'] },
  { phrase: 'former smoker', means: ['history of nicotine dependence'] },
  { phrase: 'ex-smoker', means: ['history of nicotine dependence'] },
  { phrase: 'quit smoking', means: ['history of nicotine dependence'] },
  { phrase: 'on', means: ['long term use'], firstWordOnly: true },
  { phrase: 'chronic', means: ['long term'] },
  { phrase: 'allergic', means: ['allergy'] },
  { phrase: 'noncompliant', means: ['noncompliance'] },
  { phrase: 'nonadherence', means: ['noncompliance'] },
  { phrase: 'nonadherent', means: ['noncompliance'] },
  { phrase: 'not taking', means: ['noncompliance'] },
  { phrase: 'med', means: ['medication', 'medical'] },
  { phrase: 'meds', means: ['medication'] },
  // Drug classes as titles name them
  { phrase: 'blood thinner', means: ['anticoagulants'] },
  { phrase: 'blood thinners', means: ['anticoagulants'] },
  { phrase: 'anticoagulation', means: ['anticoagulants'] },
  { phrase: 'sulfa', means: ['sulfonamides'] },
  { phrase: 'codeine', means: ['narcotic agent', 'opiate'] },
  { phrase: 'morphine', means: ['narcotic agent', 'opiate'] },
  { phrase: 'opioid', means: ['opiate', 'narcotic'] },
  { phrase: 'opioids', means: ['opiate', 'narcotic'] },
  { phrase: 'narcotics', means: ['opiate', 'narcotic'] },
  { phrase: 'steroid', means: ['corticosteroids'] },
  { phrase: 'statin', means: ['lipid lowering drugs'] },
  // Body sites as titles name them
  { phrase: 'leg', means: ['lower limb'] },
  { phrase: 'arm', means: ['upper limb'] },
  { phrase: 'colon', means: ['digestive organs', 'large intestine'] },
  // Conditions in everyday words
  { phrase: 'stroke', means: ['cerebral infarction'] },
  { phrase: 'cancer', means: ['malignant neoplasm'] },
  { phrase: 'ear infection', means: ['otitis media'] },
  { phrase: 'sinus infection', means: ['sinusitis'] },
  { phrase: 'kidney stone', means: ['calculus of kidney', 'urinary calculi'] },
  { phrase: 'kidney stones', means: ['calculus of kidney', 'urinary calculi'] },
  { phrase: 'heart attack', means: ['myocardial infarction'] },
  { phrase: 'shellfish', means: ['seafood'] },
  { phrase: 'blood clot', means: ['thrombosis', 'embolism'] },
  { phrase: 'dvt', means: ['venous thrombosis'] },
  { phrase: 'uncontrolled', means: ['hyperglycemia', 'hypoglycemia'] },
  { phrase: 'broken', means: ['fracture'] },
  { phrase: 'carpal tunnel', means: ['carpal tunnel syndrome'] },
];

/** Phrases keyed as abbreviations are (abbreviationKey), each with every meaning listed for it. */
export type SynonymTable = ReadonlyMap<string, SearchSynonym>;

export function synonymTable(list: readonly SearchSynonym[] = searchSynonyms): SynonymTable {
  return new Map(list.map((entry) => [abbreviationKey(entry.phrase), entry]));
}

/** The longest phrase a table holds, in words. */
export const LONGEST_SYNONYM = 3;
