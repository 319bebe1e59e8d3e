import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import MiniSearch from 'minisearch';
import { abbreviations } from '../main/coding/abbreviations.js';
import { BUILT_IN_FILE_NAME, builtInInfo, readBuiltIn } from '../main/coding/builtin-release.js';
import { countEntries } from '../main/coding/code-set.js';
import type { IcdEntry } from '../main/coding/code-set.js';
import { withDot } from '../main/coding/icd-code.js';
import { ProblemList, describeProblem } from '../main/coding/import-error.js';
import { checkRelease } from '../main/coding/release-check.js';
import { readReleaseFiles } from '../main/coding/release-files.js';
import { loadTerminology } from '../main/coding/terminology.js';
import { analyseTitle } from '../main/coding/text.js';

/**
 * ICD-10-CM search on the full official code set: our index against MiniSearch with default
 * settings, on the same queries in the same run. Latency over generated queries (words, word
 * prefixes, codes, abbreviations); accuracy on abbreviation queries with the code a coder would
 * pick written down beside each.
 */
export const ABBREVIATION_EXPECTATIONS: readonly { readonly query: string; readonly expected: string }[] = [
  { query: 'HTN', expected: 'I10' },
  { query: 'T2DM', expected: 'E11.9' },
  { query: 'DM2', expected: 'E11.9' },
  { query: 'T1DM', expected: 'E10.9' },
  { query: 'CHF', expected: 'I50.9' },
  { query: 'HFrEF', expected: 'I50.20' },
  { query: 'COPD', expected: 'J44.9' },
  { query: 'GERD', expected: 'K21.9' },
  { query: 'UTI', expected: 'N39.0' },
  { query: 'URI', expected: 'J06.9' },
  { query: 'CKD', expected: 'N18.9' },
  { query: 'ESRD', expected: 'N18.6' },
  { query: 'AKI', expected: 'N17.9' },
  { query: 'AFib', expected: 'I48.91' },
  { query: 'CAD', expected: 'I25.10' },
  { query: 'MI', expected: 'I21.9' },
  { query: 'PAD', expected: 'I73.9' },
  { query: 'DVT', expected: 'I82.409' },
  { query: 'PE', expected: 'I26.99' },
  { query: 'CVA', expected: 'I63.9' },
  { query: 'TIA', expected: 'G45.9' },
  { query: 'OA', expected: 'M19.90' },
  { query: 'RA', expected: 'M06.9' },
  { query: 'LBP', expected: 'M54.50' },
  { query: 'BPH', expected: 'N40.0' },
  { query: 'OSA', expected: 'G47.33' },
  { query: 'HLD', expected: 'E78.5' },
  { query: 'MDD', expected: 'F32.9' },
  { query: 'GAD', expected: 'F41.1' },
  { query: 'ADHD', expected: 'F90.9' },
  { query: 'PTSD', expected: 'F43.10' },
  { query: 'IBS', expected: 'K58.9' },
  { query: 'NAFLD', expected: 'K76.0' },
  { query: 'IDA', expected: 'D50.9' },
  { query: 'SOB', expected: 'R06.02' },
  { query: 'PNA', expected: 'J18.9' },
  { query: 'OM', expected: 'H66.90' },
  { query: 'CTS', expected: 'G56.00' },
  { query: 'RLS', expected: 'G25.81' },
  { query: 'VDD', expected: 'E55.9' },
];

/** The repository root (where package.json is), from src or from dist. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export function releaseDir(): string {
  return process.env['SCRIBE_ICD10CM_DIR'] ?? resolve(repoRoot(), '../shared/terminology/icd10cm');
}

/** A small deterministic generator, so every run times the same queries. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

type QueryKind = 'words' | 'prefixes' | 'codes' | 'abbreviations';

function generateQueries(entries: readonly IcdEntry[], count: number): { query: string; kind: QueryKind }[] {
  const next = random(20_26);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const billable = entries.filter((e) => e.billable);
  const queries: { query: string; kind: QueryKind }[] = [];
  while (queries.length < count) {
    const entry = pick(billable);
    const content = analyseTitle(entry.title).required.filter((w) => w.length > 2);
    const kind = queries.length % 10;
    if (kind < 4 && content.length >= 2) {
      // Two words of the title, in either order.
      const a = pick(content);
      const b = pick(content.filter((w) => w !== a));
      queries.push({ query: next() < 0.5 ? `${a} ${b}` : `${b} ${a}`, kind: 'words' });
    } else if (kind < 7 && content.length >= 2) {
      // Prefixes of words, as people type before they finish.
      queries.push({
        query: content
          .slice(0, 2)
          .map((w) => w.slice(0, Math.max(3, Math.ceil(w.length * 0.6))))
          .join(' '),
        kind: 'prefixes',
      });
    } else if (kind < 9) {
      const code = entry.code.slice(0, 3 + Math.floor(next() * (entry.code.length - 2)));
      queries.push({ query: next() < 0.5 ? withDot(code) : code.toLowerCase(), kind: 'codes' });
    } else queries.push({ query: pick(abbreviations).abbr, kind: 'abbreviations' });
  }
  return queries;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function time(queries: readonly string[], run: (q: string) => unknown) {
  for (const q of queries.slice(0, 100)) run(q);
  const ms = queries.map((q) => {
    const started = performance.now();
    run(q);
    return performance.now() - started;
  });
  ms.sort((a, b) => a - b);
  const round = (n: number) => Number(n.toFixed(3));
  return { p50Ms: round(percentile(ms, 50)), p99Ms: round(percentile(ms, 99)), maxMs: round(ms.at(-1)!) };
}

interface Phrasing {
  readonly query: string;
  readonly expected: readonly string[];
  readonly within?: number;
}

function readPhrasings(): Phrasing[] {
  const path = join(repoRoot(), 'test', 'fixtures', 'coding-phrasings.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { phrasings: Phrasing[] }).phrasings : [];
}

/** What a fresh install does on first use: read dist/terminology/ (written by `npm run build`) and index it. */
function benchBuiltInLoad() {
  const path = join(repoRoot(), 'dist', 'terminology', BUILT_IN_FILE_NAME);
  const started = performance.now();
  const read = readBuiltIn(path);
  if (!read.ok) return { skipped: `${read.problem} (run npm run build with the CMS zip)` };
  const readMs = performance.now() - started;
  const loaded = loadTerminology(read.codeSet.entries, builtInInfo(read.codeSet.header));
  return {
    fileBytes: statSync(path).size,
    readMs: Math.round(readMs),
    indexMs: Math.round(loaded.index.buildMs),
    totalMs: Math.round(performance.now() - started),
  };
}

export function benchIcdSearch(queryCount = 1200) {
  const dir = releaseDir();
  const order = join(dir, 'icd10cm_order_2026.txt');
  if (!existsSync(order)) return { skipped: `The official ICD-10-CM release is not at ${dir}; set SCRIBE_ICD10CM_DIR or add ../shared.` };

  const problems = new ProblemList();
  let started = performance.now();
  const release = checkRelease(readReleaseFiles([order, join(dir, 'icd10cm_codes_2026.txt')], problems), undefined, problems);
  const parseMs = performance.now() - started;
  if (!release) return { skipped: `The release did not validate: ${problems.items.slice(0, 3).map(describeProblem).join('; ')}` };
  const counts = countEntries(release.entries);

  started = performance.now();
  const ours = loadTerminology(release.entries, {
    system: 'ICD-10-CM',
    version: `FY${release.fiscalYear}`,
    fiscalYear: release.fiscalYear,
    source: 'release',
    files: [],
    counts,
  });
  const oursBuildMs = performance.now() - started;

  started = performance.now();
  const mini = new MiniSearch<{ id: number; code: string; title: string }>({ fields: ['code', 'title'], storeFields: ['code'] });
  mini.addAll(release.entries.map((e, id) => ({ id, code: withDot(e.code), title: e.title })));
  const miniBuildMs = performance.now() - started;

  const generated = generateQueries(release.entries, queryCount);
  // The clinician phrasings of the search test, repeated: status codes, history, laterality, abbreviations, codes.
  const phrasings = readPhrasings();
  const clinical = Array.from({ length: Math.ceil(queryCount / 4 / Math.max(1, phrasings.length)) }, () =>
    phrasings.map((p) => p.query),
  ).flat();
  const queries = [...generated.map((g) => g.query), ...clinical];
  const oursLatency = time(queries, (q) => ours.index.search(q, { limit: 20 }));
  const miniLatency = time(queries, (q) => mini.search(q).slice(0, 20));
  const byKind = (run: (q: string) => unknown) => {
    const kinds: Record<string, ReturnType<typeof time>> = {};
    for (const kind of ['words', 'prefixes', 'codes', 'abbreviations'] as const)
      kinds[kind] = time(
        generated.filter((g) => g.kind === kind).map((g) => g.query),
        run,
      );
    kinds['clinicalPhrasings'] = time(clinical, run);
    return kinds;
  };
  const latencyByKind = {
    ours: byKind((q) => ours.index.search(q, { limit: 20 })),
    miniSearch: byKind((q) => mini.search(q).slice(0, 20)),
  };

  const oursTop = (q: string) => ours.index.search(q, { limit: 5 }).hits.map((h) => withDot(h.entry.code));
  const miniTop = (q: string) =>
    mini
      .search(q)
      .slice(0, 5)
      .map((r) => String(r['code']));
  const expansionOf = (q: string) => abbreviations.find((a) => a.abbr.toLowerCase() === q.toLowerCase())?.expansions[0] ?? q;
  const accuracy = (top: (q: string) => string[], rewrite: (q: string) => string = (q) => q) => {
    let hit1 = 0;
    let hit5 = 0;
    const misses: string[] = [];
    for (const { query, expected } of ABBREVIATION_EXPECTATIONS) {
      const list = top(rewrite(query));
      if (list[0] === expected) hit1 += 1;
      if (list.includes(expected)) hit5 += 1;
      else misses.push(`${query}→${expected} (got ${list[0] ?? 'nothing'})`);
    }
    const n = ABBREVIATION_EXPECTATIONS.length;
    return {
      hitAt1: Number((hit1 / n).toFixed(3)),
      hitAt5: Number((hit5 / n).toFixed(3)),
      misses: misses.length,
      firstMisses: misses.slice(0, 8),
    };
  };
  let sameTop1 = 0;
  let overlap = 0;
  for (const { query } of ABBREVIATION_EXPECTATIONS) {
    const a = oursTop(query);
    const b = miniTop(query);
    if (a[0] !== undefined && a[0] === b[0]) sameTop1 += 1;
    overlap += a.filter((c) => b.includes(c)).length / 5;
  }

  const phrasingAccuracy = (top: (q: string) => string[]) => {
    const misses = phrasings.filter((p) => {
      const list = top(p.query).slice(0, p.within ?? 3);
      return !list.some((c) => p.expected.some((e) => (e.endsWith('*') ? c.startsWith(e.slice(0, -1)) : c === e)));
    });
    return { withinRank: Number(((phrasings.length - misses.length) / phrasings.length).toFixed(3)), misses: misses.map((p) => p.query) };
  };

  return {
    codeSet: { version: `FY${release.fiscalYear}`, ...counts, parseAndValidateMs: Math.round(parseMs) },
    builtIn: benchBuiltInLoad(),
    queries: queries.length,
    queryMix: `${generated.length} generated (4/10 title words, 3/10 word prefixes, 2/10 codes, 1/10 abbreviations) + ${clinical.length} clinician phrasings`,
    indexBuildMs: { ours: Math.round(oursBuildMs), miniSearch: Math.round(miniBuildMs) },
    latency: { ours: oursLatency, miniSearch: miniLatency },
    latencyByKind,
    clinicalPhrasings: {
      queries: phrasings.length,
      note: 'test/fixtures/coding-phrasings.json: the expected code within its rank (default top 3).',
      ours: phrasingAccuracy((q) => oursTop(q)),
      miniSearch: phrasingAccuracy((q) => miniTop(q)),
    },
    abbreviations: {
      queries: ABBREVIATION_EXPECTATIONS.length,
      note: 'Ours reads main/coding/abbreviations.ts and concepts.ts, written with these conditions in mind; MiniSearch gets the same text with default settings.',
      ours: accuracy(oursTop),
      miniSearch: accuracy(miniTop),
      // What MiniSearch finds when the person types the words instead of the abbreviation: ranking alone.
      miniSearchOnExpandedWords: accuracy(miniTop, expansionOf),
      agreement: {
        sameTop1: Number((sameTop1 / ABBREVIATION_EXPECTATIONS.length).toFixed(3)),
        meanTop5Overlap: Number((overlap / ABBREVIATION_EXPECTATIONS.length).toFixed(3)),
      },
    },
  };
}
