import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IcdEntry } from '../../main/coding/code-set.js';
import { NEWEST_KNOWN_FISCAL_YEAR } from '../../main/coding/release-completeness.js';
import { starterEntries } from '../../main/coding/starter-set.js';

/** The official CMS/CDC release, read by path from beside the repository (never copied into it). */
export const OFFICIAL_RELEASE_DIR = fileURLToPath(new URL('../../../shared/terminology/icd10cm/', import.meta.url));
export const officialRelease = {
  dir: OFFICIAL_RELEASE_DIR,
  zip: join(OFFICIAL_RELEASE_DIR, 'cms_2026_dx.zip'),
  order: join(OFFICIAL_RELEASE_DIR, 'icd10cm_order_2026.txt'),
  codes: join(OFFICIAL_RELEASE_DIR, 'icd10cm_codes_2026.txt'),
  present: existsSync(join(OFFICIAL_RELEASE_DIR, 'icd10cm_order_2026.txt')),
};
/**
 * The code set the compiled app (dist/, used by CLI and browser tests) starts with: the official
 * release when `npm run build` found it, else the development fallback.
 */
export const BUILT_IN_VERSION = existsSync(fileURLToPath(new URL('../../dist/terminology/icd10cm-built-in.tsv.gz', import.meta.url)))
  ? 'FY2026'
  : 'starter-fy2026';
export const OFFICIAL_RELEASE_MISSING = `The official ICD-10-CM release is not at ${OFFICIAL_RELEASE_DIR} (../shared beside the repository); tests that need it are skipped.`;

/** One order-file line in the official fixed-width layout. */
export function orderLine(order: number, code: string, billable: boolean, shortTitle: string, title: string): string {
  return `${String(order).padStart(5, '0')} ${code.padEnd(7)} ${billable ? '1' : '0'} ${shortTitle.padEnd(60)} ${title}`;
}

export function codesLine(code: string, title: string): string {
  return `${code.padEnd(7)} ${title}`;
}

/**
 * The fiscal year synthetic releases are named with: the year after the newest one whose counts the
 * app knows, so an import checks them as it checks a real release of a year it has no counts for yet
 * (every chapter and closing category present), never against the counts of a real year.
 */
export const SYNTHETIC_FISCAL_YEAR = NEWEST_KNOWN_FISCAL_YEAR + 1;
export const syntheticFileName = (kind: 'order' | 'codes', fiscalYear = SYNTHETIC_FISCAL_YEAR) => `icd10cm_${kind}_${fiscalYear}.txt`;

/**
 * The closing category of each chapter the starter set lacks, with its first billable code and the
 * headers between them (FY2026 titles): with these a synthetic release holds every chapter.
 */
const CLOSING_ENTRIES: readonly (readonly [string, boolean, string, string])[] = [
  ['B99', false, 'Other and unspecified infectious diseases', 'Other and unspecified infectious diseases'],
  ['B998', true, 'Other infectious disease', 'Other infectious disease'],
  ['D49', false, 'Neoplasms of unspecified behavior', 'Neoplasms of unspecified behavior'],
  ['D490', true, 'Neoplasm of unspecified behavior of digestive system', 'Neoplasm of unspecified behavior of digestive system'],
  [
    'D89',
    false,
    'Oth disorders involving the immune mechanism, NEC',
    'Other disorders involving the immune mechanism, not elsewhere classified',
  ],
  ['D890', true, 'Polyclonal hypergammaglobulinemia', 'Polyclonal hypergammaglobulinemia'],
  ['F99', true, 'Mental disorder, not otherwise specified', 'Mental disorder, not otherwise specified'],
  [
    'G99',
    false,
    'Oth disorders of nervous system in diseases classd elswhr',
    'Other disorders of nervous system in diseases classified elsewhere',
  ],
  ['G990', true, 'Autonomic neuropathy in diseases classified elsewhere', 'Autonomic neuropathy in diseases classified elsewhere'],
  [
    'H59',
    false,
    'Intraop and postproc comp and disord of eye and adnexa, NEC',
    'Intraoperative and postprocedural complications and disorders of eye and adnexa, not elsewhere classified',
  ],
  ['H590', false, 'Disorders of the eye following cataract surgery', 'Disorders of the eye following cataract surgery'],
  ['H5901', false, 'Keratopathy (bullous aphakic) following cataract surgery', 'Keratopathy (bullous aphakic) following cataract surgery'],
  [
    'H59011',
    true,
    'Keratopathy (bullous aphakic) fol cataract surgery, r eye',
    'Keratopathy (bullous aphakic) following cataract surgery, right eye',
  ],
  [
    'H95',
    false,
    'Intraop and postproc comp and disorders of ear/mastd, NEC',
    'Intraoperative and postprocedural complications and disorders of ear and mastoid process, not elsewhere classified',
  ],
  ['H950', false, 'Recurrent cholesteatoma of postmastoidectomy cavity', 'Recurrent cholesteatoma of postmastoidectomy cavity'],
  [
    'H9500',
    true,
    'Recur cholesteatoma of postmastoidectomy cavity, unsp ear',
    'Recurrent cholesteatoma of postmastoidectomy cavity, unspecified ear',
  ],
  ['I99', false, 'Other and unspecified disorders of circulatory system', 'Other and unspecified disorders of circulatory system'],
  ['I998', true, 'Other disorder of circulatory system', 'Other disorder of circulatory system'],
  ['J99', true, 'Respiratory disorders in diseases classified elsewhere', 'Respiratory disorders in diseases classified elsewhere'],
  ['K95', false, 'Complications of bariatric procedures', 'Complications of bariatric procedures'],
  ['K950', false, 'Complications of gastric band procedure', 'Complications of gastric band procedure'],
  ['K9501', true, 'Infection due to gastric band procedure', 'Infection due to gastric band procedure'],
  [
    'L99',
    true,
    'Oth disorders of skin, subcu in diseases classd elswhr',
    'Other disorders of skin and subcutaneous tissue in diseases classified elsewhere',
  ],
  ['M99', false, 'Biomechanical lesions, not elsewhere classified', 'Biomechanical lesions, not elsewhere classified'],
  ['M990', false, 'Segmental and somatic dysfunction', 'Segmental and somatic dysfunction'],
  ['M9900', true, 'Segmental and somatic dysfunction of head region', 'Segmental and somatic dysfunction of head region'],
  [
    'N99',
    false,
    'Intraop and postproc comp and disorders of GU sys, NEC',
    'Intraoperative and postprocedural complications and disorders of genitourinary system, not elsewhere classified',
  ],
  ['N990', true, 'Postprocedural (acute) (chronic) kidney failure', 'Postprocedural (acute) (chronic) kidney failure'],
  [
    'O9A',
    false,
    'Maternl malig or injury compl preg/childbrth',
    'Maternal malignant neoplasms, traumatic injuries and abuse classifiable elsewhere but complicating pregnancy, childbirth and the puerperium',
  ],
  ['O9A1', false, 'Malignant neoplasm compl preg/chldbrth', 'Malignant neoplasm complicating pregnancy, childbirth and the puerperium'],
  ['O9A11', false, 'Malignant neoplasm complicating pregnancy', 'Malignant neoplasm complicating pregnancy'],
  [
    'O9A111',
    true,
    'Malignant neoplasm complicating pregnancy, first trimester',
    'Malignant neoplasm complicating pregnancy, first trimester',
  ],
  ['P96', false, 'Other conditions originating in the perinatal period', 'Other conditions originating in the perinatal period'],
  ['P960', true, 'Congenital renal failure', 'Congenital renal failure'],
  ['Q99', false, 'Other chromosome abnormalities, not elsewhere classified', 'Other chromosome abnormalities, not elsewhere classified'],
  ['Q990', true, 'Chimera 46, XX/46, XY', 'Chimera 46, XX/46, XY'],
  ['R99', true, 'Ill-defined and unknown cause of mortality', 'Ill-defined and unknown cause of mortality'],
  [
    'T88',
    false,
    'Oth complications of surgical and medical care, NEC',
    'Other complications of surgical and medical care, not elsewhere classified',
  ],
  ['T880', false, 'Infection following immunization', 'Infection following immunization'],
  ['T880XXA', true, 'Infection following immunization, initial encounter', 'Infection following immunization, initial encounter'],
  ['Y99', false, 'External cause status', 'External cause status'],
  ['Y990', true, 'Civilian activity done for income or pay', 'Civilian activity done for income or pay'],
  [
    'Z99',
    false,
    'Dependence on enabling machines and devices, NEC',
    'Dependence on enabling machines and devices, not elsewhere classified',
  ],
  ['Z990', true, 'Dependence on aspirator', 'Dependence on aspirator'],
];

/** The starter set's codes (first, in their order, so a test can find a line by its index), then the closing entries. */
export const syntheticEntries: readonly IcdEntry[] = [
  ...starterEntries,
  ...CLOSING_ENTRIES.map(([code, billable, shortTitle, title], i) => ({
    code,
    billable,
    shortTitle,
    title,
    order: starterEntries.length + i + 1,
  })),
];

/** A small, complete release in the official layout (CRLF), renumbered. */
export function syntheticRelease(entries: readonly IcdEntry[] = syntheticEntries): { order: string[]; codes: string[] } {
  return {
    order: entries.map((e, i) => orderLine(i + 1, e.code, e.billable, e.shortTitle.slice(0, 60), e.title)),
    codes: entries.filter((e) => e.billable).map((e) => codesLine(e.code, e.title)),
  };
}

export const crlf = (lines: readonly string[]): string => `${lines.join('\r\n')}\r\n`;
