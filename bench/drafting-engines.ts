import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderNoteText } from '../shared/domain/note-text.js';
import type { TranscriptSegment } from '../shared/domain/transcript.js';
import type { VisitId } from '../shared/ids.js';
import { countEntries } from '../main/coding/code-set.js';
import { codeValidatorFrom } from '../main/coding/code-validator.js';
import { suggestCodes } from '../main/coding/code-suggestions.js';
import { validateCode } from '../main/coding/icd-validate.js';
import { ProblemList } from '../main/coding/import-error.js';
import { checkRelease } from '../main/coding/release-check.js';
import { readReleaseFiles } from '../main/coding/release-files.js';
import type { Terminology } from '../main/coding/terminology.js';
import { loadTerminology } from '../main/coding/terminology.js';
import { assembleNote } from '../main/drafting/assemble-note.js';
import type { DraftedNote } from '../main/drafting/drafted-content.js';
import { llmConfigFromEnv, modelName } from '../main/drafting/llm/llm-config.js';
import { createLlmDrafter } from '../main/drafting/llm/llm-drafter.js';
import { draftOffline } from '../main/drafting/offline/offline-drafter.js';
import { withSuggestedCodes } from '../main/drafting/suggested-codes.js';
import { TEMPLATES } from '../main/drafting/templates.js';
import { nullLogger } from '../main/log/logger.js';
import type { NoteDraft } from '../main/notes/note-service.js';

/**
 * The drafters the drafting bench compares, each turning a transcript into what a clinician would
 * review: the note text (SOAP template, rendered as shown), its sections with cited segments, and the
 * codes in the order suggested. The offline drafter and the language-model drafter go through the
 * same assembly and code suggestions as the app (drafting-service.ts); the transcript baseline is the
 * transcript itself as the note, its codes suggested from the whole transcript as if it were the assessment.
 */
export interface DraftOutcome {
  readonly text: string;
  /** Drafted sentences by section, with the transcript segments each cites; absent for the baseline. */
  readonly sections?: NoteDraft['sections'];
  readonly codes: readonly string[];
  /** The problem headings of a problem-oriented assessment and plan, in order; absent when the drafter gives none. */
  readonly problems?: readonly string[];
  readonly ms: number;
}

/** What the app knows of the patient from the schedule or EHR before drafting (drafting-service.ts passes the same). */
export interface PatientContext {
  readonly sex?: 'female' | 'male' | undefined;
}

export interface Engine {
  readonly name: string;
  draft(segments: readonly TranscriptSegment[], patient?: PatientContext): Promise<DraftOutcome>;
}

const VISIT = '00000000-0000-4000-8000-000000000000' as VisitId;

/** The repository root: the nearest folder above this file with a package.json (source or dist/). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** The FY2026 code set from the official release files, as the app would hold it after import. */
export function releaseTerminology(dir: string): Terminology | undefined {
  const order = join(dir, 'icd10cm_order_2026.txt');
  const codes = join(dir, 'icd10cm_codes_2026.txt');
  if (!existsSync(order) || !existsSync(codes)) return undefined;
  const problems = new ProblemList();
  const release = checkRelease(readReleaseFiles([order, codes], problems), undefined, problems);
  if (!release) return undefined;
  return loadTerminology(release.entries, {
    system: 'ICD-10-CM',
    version: `FY${release.fiscalYear}`,
    fiscalYear: release.fiscalYear,
    source: 'release',
    files: [],
    counts: countEntries(release.entries),
  });
}

/** Billable codes straight from the CMS codes file, independent of the app's code set: what "valid" means here. */
export function billableCodes(dir: string): ReadonlySet<string> | undefined {
  const file = join(dir, 'icd10cm_codes_2026.txt');
  if (!existsSync(file)) return undefined;
  return new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.slice(0, 8).trim())
      .filter(Boolean),
  );
}

function finished(drafted: DraftedNote, segments: readonly TranscriptSegment[], terminology: Terminology | undefined, ms: number) {
  const { draft } = assembleNote(VISIT, TEMPLATES.soap, drafted, segments);
  const coded = withSuggestedCodes(draft, segments, terminology ? (input) => suggestCodes(input, terminology) : undefined);
  const problems = drafted.problems?.map((p) => p.heading.text);
  return {
    text: renderNoteText(draft),
    sections: draft.sections,
    codes: coded.codes.map((c) => c.code),
    ...(problems ? { problems } : {}),
    ms,
  };
}

export function offlineEngine(terminology: Terminology | undefined): Engine {
  return {
    name: 'offlineDrafter',
    draft(segments, patient) {
      const started = performance.now();
      const drafted = draftOffline(segments, { sex: patient?.sex });
      const ms = performance.now() - started;
      return Promise.resolve(finished(drafted, segments, terminology, ms));
    },
  };
}

export function transcriptEngine(terminology: Terminology | undefined): Engine {
  return {
    name: 'transcriptBaseline',
    draft(segments) {
      const started = performance.now();
      const text = segments.map((s) => s.text).join('\n');
      const ms = performance.now() - started;
      const units = segments.map((s) => ({ id: s.id, text: s.text }));
      const codes = terminology ? suggestCodes({ assessment: units, transcript: units }, terminology).map((c) => c.code) : [];
      return Promise.resolve({ text, codes, ms });
    },
  };
}

/** The language-model drafter when the environment configures one as the app reads it, else why not. */
export function languageModelEngine(terminology: Terminology | undefined, env: NodeJS.ProcessEnv): Engine | { notMeasured: string } {
  const settings = llmConfigFromEnv(env);
  if (!settings.ok) return { notMeasured: `not measured: ${settings.problem}` };
  if (!terminology) return { notMeasured: 'not measured: the ICD-10-CM release is missing, so model codes cannot be checked' };
  const validate = codeValidatorFrom((code) =>
    validateCode(terminology.codeSet, code, { preferred: terminology.defaults, common: terminology.common }),
  );
  const drafter = createLlmDrafter(settings.config, { validateCode: validate, logger: nullLogger });
  return {
    name: `languageModel (${modelName(settings.config)})`,
    async draft(segments) {
      const started = performance.now();
      const drafted = await drafter.draft({ segments, template: TEMPLATES.soap, identifiers: {} });
      return finished(drafted, segments, terminology, performance.now() - started);
    },
  };
}
