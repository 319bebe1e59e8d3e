import type { IcdMatch } from '../../shared/domain/terminology.js';
import type { AbbreviationTable } from './abbreviations.js';
import type { CodeSet, IcdEntry } from './code-set.js';
import type { Concept } from './concepts.js';
import { toCodePrefix, toReleaseCode } from './icd-code.js';
import type { Group, QueryTerm } from './search-query.js';
import { parseQuery, phraseKey, readings } from './search-query.js';
import { synonymTable } from './search-synonyms.js';
import type { TitleAnalysis } from './text.js';
import { analyseTitle } from './text.js';

export interface SearchHit {
  readonly entry: IcdEntry;
  readonly matchedBy: IcdMatch;
}

export interface SearchResults {
  /** Every code that matched; `hits` holds the best `limit` of them. */
  readonly total: number;
  readonly hits: readonly SearchHit[];
}

export interface SearchOptions {
  readonly limit: number;
  readonly billableOnly?: boolean;
}

/** An in-memory index over one code set, built once per loaded code set. Not re-entrant: search is synchronous. */
export interface IcdSearchIndex {
  search(query: string, options: SearchOptions): SearchResults;
  /** A code's title as suggestions read it. */
  analysis(code: string): TitleAnalysis | undefined;
  readonly buildMs: number;
}

export interface SearchIndexDeps {
  readonly codeSet: CodeSet;
  readonly abbreviations: AbbreviationTable;
  readonly concepts: readonly Concept[];
  /** Codes practices use most: preferred among otherwise equal matches. */
  readonly common: ReadonlySet<string>;
}

/** Score of a doc matched through a word that merely starts with the typed one. */
const PREFIX_SCORE = 0.85;
/** "History of X" means the patient's own history unless the query says "family" (Z85-Z87 before Z80-Z84). */
const FAMILY_HISTORY_PENALTY = 0.5;
const FAMILY_HISTORY = /^family history\b/i;
const COVERAGE_WEIGHT = 0.6;

/**
 * Ranking, in order: exact code; the concept's default for a query that names a condition
 * ("HTN" → I10); codes under a typed code prefix (a query shaped like a code that finds codes finds
 * nothing else); then word matches covering the most query parts,
 * billable before headers, by match quality (whole words over prefixes, query words covering more
 * of the title, general "unspecified" titles and common codes first), shorter codes and titles first.
 */
export function buildSearchIndex({ codeSet, abbreviations, concepts, common }: SearchIndexDeps): IcdSearchIndex {
  const started = performance.now();
  const entries = codeSet.entries;
  const n = entries.length;
  const analyses: TitleAnalysis[] = new Array<TitleAnalysis>(n);
  const idOf = new Map<string, number>();
  const billable = new Uint8Array(n);
  const contentWords = new Uint8Array(n);
  const prior = new Float32Array(n);
  const familyHistory = new Uint8Array(n);
  const lists = new Map<string, number[]>();
  for (let id = 0; id < n; id += 1) {
    const entry = entries[id]!;
    const analysis = analyseTitle(entry.title);
    analyses[id] = analysis;
    idOf.set(entry.code, id);
    billable[id] = entry.billable ? 1 : 0;
    contentWords[id] = Math.min(255, analysis.required.length + analysis.excluded.length);
    prior[id] = (analysis.general ? 0.15 : 0) + (common.has(entry.code) ? 0.3 : 0) - (analysis.residual ? 0.1 : 0);
    familyHistory[id] = FAMILY_HISTORY.test(entry.title) ? 1 : 0;
    for (const term of analysis.terms) {
      const list = lists.get(term);
      if (list) list.push(id);
      else lists.set(term, [id]);
    }
  }
  const vocabulary = [...lists.keys()].sort();
  const postings = new Map<string, Int32Array>();
  for (const [term, list] of lists) postings.set(term, Int32Array.from(list));
  lists.clear();

  const synonyms = synonymTable();
  const conceptByPhrase = new Map<string, Concept>();
  for (const concept of concepts) for (const phrase of concept.phrases) conceptByPhrase.set(phraseKey(phrase), concept);

  // Scratch space reused by every query (search is synchronous).
  const groupScore = new Float32Array(n);
  const groupTerms = new Uint8Array(n);
  const groupExpansion = new Uint8Array(n);
  const groups = new Uint8Array(n);
  const scoreSum = new Float32Array(n);
  const termSum = new Uint16Array(n);
  const viaExpansion = new Uint8Array(n);
  /** How much of the query a doc covers, each part weighted by how rare its matches are (IDF). */
  const coverage = new Float32Array(n);
  let queryWeight = 0;
  const quality = new Float32Array(n);

  const lowerBound = (prefix: string): number => {
    let lo = 0;
    let hi = vocabulary.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (vocabulary[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  /** Score by doc id (0 where the term does not match), and the ids where it is not 0. */
  interface TermMatch {
    readonly ids: readonly number[] | Int32Array;
    readonly score: Float32Array;
  }

  // Score arrays are as long as the code set: reused across queries rather than left to the collector.
  const pool: Float32Array[] = [];
  const release = (cache: Map<string, TermMatch>) => {
    for (const match of cache.values()) {
      for (const id of match.ids) match.score[id] = 0;
      pool.push(match.score);
    }
  };

  const termMatch = (term: QueryTerm, cache: Map<string, TermMatch>): TermMatch => {
    const key = `${term.prefix ? '*' : '='}${term.stem}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const score = pool.pop() ?? new Float32Array(n);
    let ids: number[] | Int32Array = [];
    if (!term.prefix) {
      ids = postings.get(term.stem) ?? [];
      for (const id of ids) score[id] = 1;
    } else {
      const found: number[] = [];
      for (let i = lowerBound(term.stem); i < vocabulary.length && vocabulary[i]!.startsWith(term.stem); i += 1) {
        const s = vocabulary[i] === term.stem ? 1 : PREFIX_SCORE;
        for (const id of postings.get(vocabulary[i]!)!) {
          if (score[id] === 0) found.push(id);
          if (score[id]! < s) score[id] = s;
        }
      }
      ids = found;
    }
    const match = { ids, score };
    cache.set(key, match);
    return match;
  };

  /** Marks, for every doc, how many query parts it matches and how well; returns the docs touched. */
  const matchWords = (query: readonly Group[]): number[] => {
    const cache = new Map<string, TermMatch>();
    try {
      return matchGroups(query, cache);
    } finally {
      release(cache);
    }
  };

  const matchGroups = (query: readonly Group[], cache: Map<string, TermMatch>): number[] => {
    const touched: number[] = [];
    queryWeight = 0;
    for (const group of query) {
      const inGroup: number[] = [];
      for (const alternative of group) {
        if (alternative.terms.length === 0) continue;
        const matches = alternative.terms.map((t) => termMatch(t, cache)).sort((a, b) => a.ids.length - b.ids.length);
        for (const id of matches[0]!.ids) {
          let sum = 0;
          let all = true;
          for (let k = 0; k < matches.length && all; k += 1) {
            const s = matches[k]!.score[id]!;
            if (s === 0) all = false;
            sum += s;
          }
          if (!all) continue;
          const score = sum / matches.length;
          if (groupScore[id] === 0) inGroup.push(id);
          if (groupScore[id]! < score) {
            groupScore[id] = score;
            groupTerms[id] = matches.length;
            groupExpansion[id] = alternative.expansion ? 1 : 0;
          }
        }
      }
      const weight = Math.log(1 + n / Math.max(1, inGroup.length));
      queryWeight += weight;
      for (const id of inGroup) {
        coverage[id]! += weight;
        if (groups[id] === 0) touched.push(id);
        groups[id]! += 1;
        scoreSum[id]! += groupScore[id]!;
        termSum[id]! += groupTerms[id]!;
        viaExpansion[id]! |= groupExpansion[id]!;
        groupScore[id] = 0;
      }
    }
    return touched;
  };

  const resetScratch = (touched: readonly number[]) => {
    for (const id of touched) {
      groups[id] = 0;
      scoreSum[id] = 0;
      termSum[id] = 0;
      viaExpansion[id] = 0;
      coverage[id] = 0;
      quality[id] = 0;
    }
  };

  /** Negative when doc a ranks before doc b. */
  const compare = (a: number, b: number): number =>
    billable[b]! - billable[a]! ||
    quality[b]! - quality[a]! ||
    entries[a]!.code.length - entries[b]!.code.length ||
    entries[a]!.title.length - entries[b]!.title.length ||
    entries[a]!.order - entries[b]!.order;

  function search(query: string, options: SearchOptions): SearchResults {
    const seen = new Set<string>();
    const ordered: SearchHit[] = [];
    const add = (entry: IcdEntry | undefined, matchedBy: IcdMatch) => {
      if (!entry || seen.has(entry.code) || (options.billableOnly && !entry.billable)) return;
      seen.add(entry.code);
      ordered.push({ entry, matchedBy });
    };

    const exact = toReleaseCode(query);
    if (exact) add(codeSet.get(exact), 'code');

    const parsed = parseQuery(query, abbreviations, synonyms);
    for (const reading of readings(parsed)) {
      const concept = conceptByPhrase.get(reading.phrase);
      const entry = concept ? codeSet.get(concept.code.replace('.', '')) : undefined;
      if (entry?.billable) add(entry, reading.expansion ? 'abbreviation' : 'words');
    }

    const prefix = toCodePrefix(query);
    if (prefix) {
      const byPrefix = [...codeSet.withPrefix(prefix)].sort(
        (a, b) => Number(b.billable) - Number(a.billable) || a.code.length - b.code.length || a.order - b.order,
      );
      for (const entry of byPrefix) add(entry, 'code');
    }
    if (parsed.length === 0 || (prefix && ordered.length > 0)) return { total: ordered.length, hits: ordered.slice(0, options.limit) };
    const saysFamily = parsed.some((group) => group.some((alternative) => alternative.terms.some((t) => t.stem === 'family')));

    const touched = matchWords(parsed);
    try {
      let most = 0;
      for (const id of touched) most = Math.max(most, groups[id]!);
      const candidates: number[] = [];
      for (const id of touched) {
        if (groups[id]! < most || (options.billableOnly && billable[id] === 0) || seen.has(entries[id]!.code)) continue;
        candidates.push(id);
        const precision = Math.min(1, termSum[id]! / Math.max(1, contentWords[id]!));
        // Coverage only separates docs that each miss some part: the rarer part matched ranks first.
        quality[id] =
          scoreSum[id]! / parsed.length +
          0.5 * precision +
          COVERAGE_WEIGHT * (coverage[id]! / queryWeight) +
          prior[id]! -
          (!saysFamily && familyHistory[id] ? FAMILY_HISTORY_PENALTY : 0);
      }
      const before = ordered.length;
      // Only the best few need ordering; the rest only count.
      for (const id of topK(candidates, Math.max(0, options.limit - before), compare))
        add(entries[id], viaExpansion[id] ? 'abbreviation' : 'words');
      return { total: before + candidates.length, hits: ordered.slice(0, options.limit) };
    } finally {
      resetScratch(touched);
    }
  }

  return {
    search,
    analysis: (code) => {
      const id = idOf.get(code);
      return id === undefined ? undefined : analyses[id];
    },
    buildMs: performance.now() - started,
  };
}

/** The k smallest items by `compare`, in order, without sorting all of them. */
export function topK(items: readonly number[], k: number, compare: (a: number, b: number) => number): number[] {
  if (k <= 0) return [];
  if (items.length <= k * 4) return [...items].sort(compare).slice(0, k);
  // A max-heap of the best k so far: its root is the worst of them.
  const heap: number[] = [];
  const swap = (i: number, j: number) => {
    const t = heap[i]!;
    heap[i] = heap[j]!;
    heap[j] = t;
  };
  const up = (i: number) => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compare(heap[i]!, heap[parent]!) <= 0) return;
      swap(i, parent);
      i = parent;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < heap.length && compare(heap[l]!, heap[worst]!) > 0) worst = l;
      if (r < heap.length && compare(heap[r]!, heap[worst]!) > 0) worst = r;
      if (worst === i) return;
      swap(i, worst);
      i = worst;
    }
  };
  for (const item of items) {
    if (heap.length < k) {
      heap.push(item);
      up(heap.length - 1);
    } else if (compare(item, heap[0]!) < 0) {
      heap[0] = item;
      down(0);
    }
  }
  return heap.sort(compare);
}
