import type { IcdMatch } from '../../shared/domain/terminology.js';
import type { AbbreviationTable } from './abbreviations.js';
import type { CodeSet, IcdEntry } from './code-set.js';
import type { Concept } from './concepts.js';
import { toCodePrefix, toReleaseCode } from './icd-code.js';
import type { Postings } from './search-postings.js';
import { postingOps, seek } from './search-postings.js';
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

  const ops = postingOps(n);
  // By doc id, written for each candidate before it is read (search is synchronous).
  const quality = new Float32Array(n);
  const viaExpansion = new Uint8Array(n);
  const candidateIds = new Int32Array(n);

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

  const termPostings = (term: QueryTerm, cache: Map<string, Postings>): Postings => {
    const key = `${term.prefix ? '*' : '='}${term.stem}`;
    const cached = cache.get(key);
    if (cached) return cached;
    let found = ops.empty;
    if (!term.prefix) {
      const ids = postings.get(term.stem);
      if (ids) found = ops.list(ids, 1);
    } else {
      const lists: Postings[] = [];
      for (let i = lowerBound(term.stem); i < vocabulary.length && vocabulary[i]!.startsWith(term.stem); i += 1)
        lists.push(ops.list(postings.get(vocabulary[i]!)!, vocabulary[i] === term.stem ? 1 : PREFIX_SCORE));
      found = ops.union(lists);
    }
    cache.set(key, found);
    return found;
  };

  /** Each query part's docs, through the best of its alternatives (all of an alternative's words). */
  const partPostings = (query: readonly Group[]): Postings[] => {
    const cache = new Map<string, Postings>();
    return query.map((group) =>
      ops.union(
        group
          .filter((alternative) => alternative.terms.length > 0)
          .map((alternative) =>
            ops.intersection(
              alternative.terms.map((term) => termPostings(term, cache)),
              alternative.expansion,
            ),
          ),
      ),
    );
  };

  /**
   * Scores the docs matching the most query parts into `quality` and lists them in `candidateIds`
   * (leaving out `skip`); returns how many. A doc matching `most` of the parts is in at least one of the
   * parts.length - most + 1 rarest parts, so each `most` from all parts down reads only those parts' docs.
   */
  const selectCandidates = (parts: readonly Postings[], skip: (id: number) => boolean, saysFamily: boolean): number => {
    // How much of the query a doc covers, each part weighted by how rare its matches are (IDF).
    const weights = parts.map((part) => Math.log(1 + n / Math.max(1, part.ids.length)));
    let queryWeight = 0;
    for (const weight of weights) queryWeight += weight;
    const rarestFirst = parts.map((_, k) => k).sort((a, b) => parts[a]!.ids.length - parts[b]!.ids.length);
    const at = new Int32Array(parts.length);
    for (let most = parts.length; most >= 1; most -= 1) {
      const from = ops.union(rarestFirst.slice(0, parts.length - most + 1).map((k) => parts[k]!)).ids;
      at.fill(0);
      let found = false;
      let count = 0;
      for (let i = 0; i < from.length; i += 1) {
        const id = from[i]!;
        let matched = 0;
        let scoreSum = 0;
        let termSum = 0;
        let coverage = 0;
        let expansion = 0;
        for (let k = 0; k < parts.length && matched + parts.length - k >= most; k += 1) {
          const part = parts[k]!;
          const position = seek(part.ids, at[k]!, id);
          at[k] = position;
          if (part.ids[position] !== id) continue;
          matched += 1;
          // Float32 sums, as the scores are stored.
          scoreSum = Math.fround(scoreSum + part.scores[position]!);
          termSum += part.terms[position]!;
          coverage = Math.fround(coverage + weights[k]!);
          expansion |= part.expansion[position]!;
        }
        if (matched < most) continue;
        found = true;
        if (skip(id)) continue;
        const precision = Math.min(1, termSum / Math.max(1, contentWords[id]!));
        // Coverage only separates docs that each miss some part: the rarer part matched ranks first.
        quality[id] =
          scoreSum / parts.length +
          0.5 * precision +
          COVERAGE_WEIGHT * (coverage / queryWeight) +
          prior[id]! -
          (!saysFamily && familyHistory[id] ? FAMILY_HISTORY_PENALTY : 0);
        viaExpansion[id] = expansion;
        candidateIds[count++] = id;
      }
      if (found) return count;
    }
    return 0;
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

    const count = selectCandidates(
      partPostings(parsed),
      (id) => (options.billableOnly === true && billable[id] === 0) || seen.has(entries[id]!.code),
      saysFamily,
    );
    const before = ordered.length;
    // Only the best few need ordering; the rest only count.
    for (const id of topK(candidateIds.subarray(0, count), Math.max(0, options.limit - before), compare))
      add(entries[id], viaExpansion[id] ? 'abbreviation' : 'words');
    return { total: before + count, hits: ordered.slice(0, options.limit) };
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
export function topK(items: ArrayLike<number>, k: number, compare: (a: number, b: number) => number): number[] {
  if (k <= 0) return [];
  if (items.length <= k * 4) return Array.from(items).sort(compare).slice(0, k);
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
  for (let i = 0; i < items.length; i += 1) {
    const item = items[i]!;
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
