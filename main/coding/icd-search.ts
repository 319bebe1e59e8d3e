import type { IcdMatch } from '../../shared/domain/terminology.js';
import type { AbbreviationTable } from './abbreviations.js';
import type { CodeSet, IcdEntry } from './code-set.js';
import type { Concept } from './concepts.js';
import { toCodePrefix, toReleaseCode } from './icd-code.js';
import type { Part, Postings } from './search-postings.js';
import { postingOps, seek, toBits } from './search-postings.js';
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
/** Words in this many titles or more also get a bitset (12 kB each for FY2026; about 80 words). */
const BITSET_MIN = 1500;

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
  const tieOrder = new Float64Array(n);
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
    // Shorter codes, then shorter titles, then tabular order, as one number (exact: below 2^53).
    tieOrder[id] = (entry.code.length * 10_000 + Math.min(9_999, entry.title.length)) * 1e9 + entry.order;
    for (const term of analysis.terms) {
      const list = lists.get(term);
      if (list) list.push(id);
      else lists.set(term, [id]);
    }
  }
  const vocabulary = [...lists.keys()].sort();
  const postings = new Map<string, Int32Array>();
  const bitsets = new Map<string, Uint32Array>();
  for (const [term, list] of lists) {
    const ids = Int32Array.from(list);
    postings.set(term, ids);
    if (ids.length >= BITSET_MIN) bitsets.set(term, toBits(ids, n));
  }
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

  const termPart = (term: QueryTerm, cache: Map<string, Part>): Part => {
    const key = `${term.prefix ? '*' : '='}${term.stem}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const lists: Postings[] = [];
    if (!term.prefix) {
      const ids = postings.get(term.stem);
      if (ids) lists.push(ops.list(ids, 1, bitsets.get(term.stem)));
    } else {
      for (let i = lowerBound(term.stem); i < vocabulary.length && vocabulary[i]!.startsWith(term.stem); i += 1)
        lists.push(ops.list(postings.get(vocabulary[i]!)!, vocabulary[i] === term.stem ? 1 : PREFIX_SCORE, bitsets.get(vocabulary[i]!)));
    }
    const part = ops.anyWord(lists);
    cache.set(key, part);
    return part;
  };

  /** Each query part's docs, through the best of its alternatives (all of an alternative's words). */
  const queryParts = (query: readonly Group[]): Part[] => {
    const cache = new Map<string, Part>();
    return query.map((group) => {
      const alternatives = group.filter((alternative) => alternative.terms.length > 0);
      const only = alternatives.length === 1 ? alternatives[0]! : undefined;
      if (only && only.terms.length === 1 && !only.expansion) return termPart(only.terms[0]!, cache);
      return ops.whole(
        ops.union(
          alternatives.map((alternative) =>
            ops.intersection(
              alternative.terms.map((term) => ops.merged(termPart(term, cache))),
              alternative.expansion,
            ),
          ),
        ),
      );
    });
  };

  /** One query's parts with a read position in each of their lists (ids are asked in ascending order). */
  interface Matching {
    readonly parts: readonly Part[];
    readonly lists: readonly Postings[];
    /** Part k's lists are lists[firstList[k]] up to lists[firstList[k + 1]]. */
    readonly firstList: Int32Array;
    readonly at: Int32Array;
    /** How much of the query a doc covers, each part weighted by how rare its matches are (IDF). */
    readonly weights: readonly number[];
    readonly queryWeight: number;
    readonly saysFamily: boolean;
  }

  const matching = (parts: readonly Part[], saysFamily: boolean): Matching => {
    const weights = parts.map((part) => Math.log(1 + n / Math.max(1, part.size)));
    let queryWeight = 0;
    for (const weight of weights) queryWeight += weight;
    const lists = parts.flatMap((part) => part.lists);
    const firstList = new Int32Array(parts.length + 1);
    for (let k = 0; k < parts.length; k += 1) firstList[k + 1] = firstList[k]! + parts[k]!.lists.length;
    return { parts, lists, firstList, at: new Int32Array(lists.length), weights, queryWeight, saysFamily };
  };

  /** Whether doc `id` matches at least `most` parts; when it does, its quality and how it matched are written. */
  const matchDoc = (m: Matching, id: number, most: number): boolean => {
    const { parts, lists, firstList, at } = m;
    let matched = 0;
    let scoreSum = 0;
    let termSum = 0;
    let coverage = 0;
    let expansion = 0;
    for (let k = 0; k < parts.length && matched + parts.length - k >= most; k += 1) {
      let best: Postings | undefined;
      let bestAt = 0;
      for (let j = firstList[k]!; j < firstList[k + 1]!; j += 1) {
        const list = lists[j]!;
        let position = 0;
        if (list.bits) {
          if (((list.bits[id >>> 5]! >>> (id & 31)) & 1) === 0) continue;
        } else {
          position = seek(list.ids, at[j]!, id);
          at[j] = position;
          if (list.ids[position] !== id) continue;
        }
        if (!best || list.scores[position]! > best.scores[bestAt]!) {
          best = list;
          bestAt = position;
        }
      }
      if (!best) continue;
      matched += 1;
      // Float32 sums, as the scores are stored.
      scoreSum = Math.fround(scoreSum + best.scores[bestAt]!);
      termSum += best.terms[bestAt]!;
      coverage = Math.fround(coverage + m.weights[k]!);
      expansion |= best.expansion[bestAt]!;
    }
    if (matched < most) return false;
    const precision = Math.min(1, termSum / Math.max(1, contentWords[id]!));
    // Coverage only separates docs that each miss some part: the rarer part matched ranks first.
    quality[id] =
      scoreSum / parts.length +
      0.5 * precision +
      COVERAGE_WEIGHT * (coverage / m.queryWeight) +
      prior[id]! -
      (!m.saysFamily && familyHistory[id] ? FAMILY_HISTORY_PENALTY : 0);
    viaExpansion[id] = expansion;
    return true;
  };

  /**
   * Lists the docs matching the most query parts in `candidateIds` (leaving out `skip`), scored; returns
   * how many. A doc matching `most` of the parts is in one of the parts.length - most + 1 rarest parts, so
   * each `most`, from all parts down, reads only those parts' docs: each once, list by list, leaving out
   * the docs an earlier list held.
   */
  const selectCandidates = (m: Matching, skip: (id: number) => boolean): number => {
    const { parts } = m;
    const rarestFirst = parts.map((_, k) => k).sort((a, b) => parts[a]!.size - parts[b]!.size);
    for (let most = parts.length; most >= 1; most -= 1) {
      const sources = rarestFirst.slice(0, parts.length - most + 1).flatMap((k) => parts[k]!.lists);
      const sourceAt = new Int32Array(sources.length);
      let found = false;
      let count = 0;
      for (let s = 0; s < sources.length; s += 1) {
        const from = sources[s]!.ids;
        m.at.fill(0);
        sourceAt.fill(0);
        next: for (let i = 0; i < from.length; i += 1) {
          const id = from[i]!;
          for (let e = 0; e < s; e += 1) {
            const earlier = sources[e]!.ids;
            sourceAt[e] = seek(earlier, sourceAt[e]!, id);
            if (earlier[sourceAt[e]!] === id) continue next;
          }
          if (!matchDoc(m, id, most)) continue;
          found = true;
          if (!skip(id)) candidateIds[count++] = id;
        }
      }
      if (found) return count;
    }
    return 0;
  };

  /** For a typed code prefix: billable codes first, then shorter codes, then tabular order. */
  const byCode = (a: IcdEntry, b: IcdEntry): number =>
    Number(b.billable) - Number(a.billable) || a.code.length - b.code.length || a.order - b.order;

  /** Negative when doc a ranks before doc b. */
  const compare = (a: number, b: number): number => billable[b]! - billable[a]! || quality[b]! - quality[a]! || tieOrder[a]! - tieOrder[b]!;

  function search(query: string, options: SearchOptions): SearchResults {
    const seen = new Set<string>();
    const seenIds: number[] = [];
    const ordered: SearchHit[] = [];
    const add = (entry: IcdEntry | undefined, matchedBy: IcdMatch) => {
      if (!entry || seen.has(entry.code) || (options.billableOnly && !entry.billable)) return;
      seen.add(entry.code);
      const id = idOf.get(entry.code);
      if (id !== undefined) seenIds.push(id);
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
      const below = codeSet.withPrefix(prefix).filter((e) => !seen.has(e.code) && (!options.billableOnly || e.billable));
      if (ordered.length + below.length > 0) {
        const total = ordered.length + below.length;
        for (const entry of topK(below, options.limit - ordered.length, byCode)) add(entry, 'code');
        return { total, hits: ordered.slice(0, options.limit) };
      }
    }
    if (parsed.length === 0) return { total: ordered.length, hits: ordered.slice(0, options.limit) };
    const saysFamily = parsed.some((group) => group.some((alternative) => alternative.terms.some((t) => t.stem === 'family')));

    const count = selectCandidates(
      matching(queryParts(parsed), saysFamily),
      (id) => (options.billableOnly === true && billable[id] === 0) || (seenIds.length > 0 && seenIds.includes(id)),
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
export function topK<T>(items: ArrayLike<T>, k: number, compare: (a: T, b: T) => number): T[] {
  if (k <= 0) return [];
  if (items.length <= k * 4) return Array.from(items).sort(compare).slice(0, k);
  // A max-heap of the best k so far: its root is the worst of them.
  const heap: T[] = [];
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
