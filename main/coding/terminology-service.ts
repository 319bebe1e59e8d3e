import { randomUUID } from 'node:crypto';
import type { CodeSuggestion } from '../../shared/domain/note.js';
import type { IcdSearchResult, IcdValidation, TerminologyInfo } from '../../shared/domain/terminology.js';
import type { Actor } from '../kernel/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';
import type { BuiltInLoad } from './builtin-release.js';
import { builtInInfo, defaultBuiltInPath, readBuiltIn } from './builtin-release.js';
import type { IcdEntry } from './code-set.js';
import { countEntries } from './code-set.js';
import type { SuggestionInput } from './code-suggestions.js';
import { suggestCodes } from './code-suggestions.js';
import { withDot } from './icd-code.js';
import { validateCode } from './icd-validate.js';
import {
  ProblemList,
  releaseIncomplete,
  releaseOlderThanBuiltIn,
  releaseYearUnchecked,
  TerminologyImportError,
  TooManyProblems,
} from './import-error.js';
import { checkRelease } from './release-check.js';
import { checkCompleteness, NEWEST_KNOWN_FISCAL_YEAR } from './release-completeness.js';
import { readReleaseFiles } from './release-files.js';
import { starterEntries, starterInfo } from './starter-set.js';
import type { Terminology } from './terminology.js';
import { loadTerminology } from './terminology.js';
import type { ReleaseRecord, TerminologyRepository } from './terminology-repository.js';

export interface ImportOutcome {
  readonly info: TerminologyInfo;
  /** True when this exact release was already the one in use: nothing was written. */
  readonly unchanged: boolean;
  readonly ms: number;
}

export interface TerminologyService {
  /** The code set in use, loaded and indexed once, reloaded when another process imports a release. */
  current(): Terminology;
  info(): TerminologyInfo;
  search(request: { query: string; limit: number; billableOnly: boolean }): IcdSearchResult;
  validate(code: string): IcdValidation;
  /** Ranked billable codes for a draft's assessment (see code-suggestions.ts). */
  suggest(input: SuggestionInput): CodeSuggestion[];
  import(paths: readonly string[], options: { fiscalYear?: number | undefined }, actor: Actor): ImportOutcome;
}

export interface TerminologyServiceDeps {
  readonly store: Store;
  readonly releases: TerminologyRepository;
  readonly audit: AuditLog;
  readonly logger: Logger;
  /** The built-in code set written by `npm run build` (default: dist/terminology/ beside the compiled code). */
  readonly builtInPath?: string;
}

const STARTER = 'starter';

/** The development fallback's notice: said wherever the code set is named (Settings, `scribe terminology info`). */
const fallbackNotice = (problem: string) =>
  `${problem} Only ${starterInfo.counts.billable} common outpatient codes can be searched and suggested. Ask IT to install a complete build or to import the official ICD-10-CM release.`;

function releaseInfo(release: ReleaseRecord): TerminologyInfo {
  return {
    system: 'ICD-10-CM',
    version: `FY${release.fiscalYear}`,
    fiscalYear: release.fiscalYear,
    source: 'release',
    files: [...release.files],
    counts: { total: release.totalCodes, billable: release.billableCodes, headers: release.totalCodes - release.billableCodes },
    importedAt: release.importedAt,
    importedBy: release.importedBy,
  };
}

export function createTerminologyService(deps: TerminologyServiceDeps): TerminologyService {
  const { store, releases, audit, logger } = deps;
  let loaded: { id: string; terminology: Terminology } | undefined;
  let builtIn: BuiltInLoad | undefined;

  /** Read once per process: the file only changes with the app. */
  function readBuiltInOnce(): BuiltInLoad {
    if (builtIn) return builtIn;
    builtIn = readBuiltIn(deps.builtInPath ?? defaultBuiltInPath());
    if (builtIn.ok)
      logger.info('terminology.built_in_read', { fiscalYear: builtIn.codeSet.header.fiscalYear, ms: Math.round(builtIn.codeSet.ms) });
    else logger.warn('terminology.built_in_missing', { problem: builtIn.problem });
    return builtIn;
  }

  /**
   * The code set in use: an imported release unless the built-in one is of a later fiscal year (an
   * app update brought a newer year than IT imported); the development fallback only without either.
   */
  function choose(): { id: string; info: TerminologyInfo; entries: () => readonly IcdEntry[] } {
    const active = releases.active();
    const built = readBuiltInOnce();
    if (active && (!built.ok || active.fiscalYear >= built.codeSet.header.fiscalYear))
      return { id: active.id, info: releaseInfo(active), entries: () => releases.entries(active.id) };
    if (built.ok)
      return {
        id: `built-in:${built.codeSet.header.sha256}`,
        info: builtInInfo(built.codeSet.header),
        entries: () => built.codeSet.entries,
      };
    return { id: STARTER, info: { ...starterInfo, notice: fallbackNotice(built.problem) }, entries: () => starterEntries };
  }

  function current(): Terminology {
    const chosen = choose();
    if (loaded?.id === chosen.id) return loaded.terminology;
    const started = performance.now();
    const terminology = loadTerminology(chosen.entries(), chosen.info);
    loaded = { id: chosen.id, terminology };
    logger.info('terminology.loaded', {
      source: terminology.codeSet.info.source,
      fiscalYear: terminology.codeSet.info.fiscalYear,
      codes: terminology.codeSet.entries.length,
      indexMs: Math.round(terminology.index.buildMs),
      ms: Math.round(performance.now() - started),
    });
    return terminology;
  }

  const info = (): TerminologyInfo => choose().info;

  const unchangedNote = () => `The code set in use (ICD-10-CM ${info().version}) is unchanged.`;

  return {
    current,
    info,
    search(request) {
      const terminology = current();
      const results = terminology.index.search(request.query, { limit: request.limit, billableOnly: request.billableOnly });
      return {
        version: terminology.codeSet.info.version,
        total: results.total,
        hits: results.hits.map((hit) => ({
          code: withDot(hit.entry.code),
          description: hit.entry.title,
          billable: hit.entry.billable,
          matchedBy: hit.matchedBy,
        })),
      };
    },
    validate(code) {
      const terminology = current();
      return validateCode(terminology.codeSet, code, { preferred: terminology.defaults, common: terminology.common });
    },
    suggest: (input) => suggestCodes(input, current()),
    import(paths, options, actor) {
      const started = performance.now();
      const problems = new ProblemList();
      let release: ReturnType<typeof checkRelease>;
      try {
        release = checkRelease(readReleaseFiles(paths, problems), options.fiscalYear, problems);
      } catch (error) {
        if (!(error instanceof TooManyProblems)) throw error;
      }
      if (!release || !problems.empty) {
        logger.warn('terminology.import_rejected', { problems: problems.items.length, ms: Math.round(performance.now() - started) });
        throw new TerminologyImportError(problems.items, unchangedNote());
      }
      const completeness = checkCompleteness(release.fiscalYear, release.entries, release.fromOrderFile);
      if (completeness.kind !== 'complete') {
        logger.warn('terminology.import_rejected', {
          incomplete: true,
          fiscalYear: release.fiscalYear,
          ms: Math.round(performance.now() - started),
        });
        throw completeness.kind === 'incomplete'
          ? releaseIncomplete(completeness.gaps, unchangedNote())
          : releaseYearUnchecked(completeness.fiscalYear, NEWEST_KNOWN_FISCAL_YEAR, unchangedNote());
      }
      const built = readBuiltInOnce();
      if (built.ok && release.fiscalYear < built.codeSet.header.fiscalYear) {
        logger.warn('terminology.import_rejected', { olderThanBuiltIn: true, fiscalYear: release.fiscalYear });
        throw releaseOlderThanBuiltIn(release.fiscalYear, built.codeSet.header.fiscalYear, unchangedNote());
      }
      const previous = releases.active();
      if (previous?.sha256 === release.sha256) return { info: releaseInfo(previous), unchanged: true, ms: performance.now() - started };
      if (!previous && built.ok && built.codeSet.header.sha256 === release.sha256)
        return { info: builtInInfo(built.codeSet.header), unchanged: true, ms: performance.now() - started };

      const counts = countEntries(release.entries);
      const record: ReleaseRecord = {
        id: randomUUID(),
        fiscalYear: release.fiscalYear,
        files: release.files,
        sha256: release.sha256,
        totalCodes: counts.total,
        billableCodes: counts.billable,
        importedAt: store.clock.now().toISOString(),
        importedBy: actor.id,
      };
      const entries = release.entries;
      store.transaction(() => {
        releases.activate(record, entries);
        audit.append({ actor: actor.id, action: 'terminology.imported', objectType: 'terminology', objectId: record.id });
      });
      const ms = performance.now() - started;
      logger.info('terminology.imported', {
        fiscalYear: record.fiscalYear,
        codes: counts.total,
        billable: counts.billable,
        ms: Math.round(ms),
      });
      return { info: releaseInfo(record), unchanged: false, ms };
    },
  };
}
