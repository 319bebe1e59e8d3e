// electron-builder's beforePack hook (electron-builder.yml): an installer without the official
// ICD-10-CM code set is not built. `npm run build` writes it (scripts/build-terminology.mjs) when the
// CMS zip is available.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** FY2026's file is about 1.2 MB; anything much smaller is not a whole release. */
const MIN_BYTES = 500_000;

export default async function checkPackagedTerminology(context) {
  const file = join(context.packager.projectDir, 'dist', 'terminology', 'icd10cm-built-in.tsv.gz');
  if (!existsSync(file) || statSync(file).size < MIN_BYTES) {
    throw new Error(
      `Packaging refused: ${file} is missing or too small, so the installer would have no ICD-10-CM code set. ` +
        'Run `npm run build` with the CMS zip available (SCRIBE_ICD10CM_ZIP, default ../shared/terminology/icd10cm/cms_2026_dx.zip).',
    );
  }
}
