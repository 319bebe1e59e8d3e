/**
 * Posting lists for code search: doc ids in ascending order, each with how well it matched. Queries
 * intersect and merge these lists instead of marking every doc a common word ("encounter" is in 37,254
 * FY2026 titles) touches, so a query costs about as much as its rarest part.
 */
export interface Postings {
  /** Ascending doc ids. */
  readonly ids: Int32Array;
  /** By position in `ids`: the match's score, the query words it took, and 1 when through an abbreviation. */
  readonly scores: Float32Array;
  readonly terms: Uint8Array;
  readonly expansion: Uint8Array;
  /**
   * A common word's docs as one bit per doc, so a doc is looked up without searching. Only on a word's
   * own list, whose every position reads the same score, terms and expansion.
   */
  readonly bits: Uint32Array | undefined;
}

/** Every list is made here, so all have one shape (property reads in the matching loop stay fast). */
const postings = (ids: Int32Array, scores: Float32Array, terms: Uint8Array, expansion: Uint8Array, bits?: Uint32Array): Postings => ({
  ids,
  scores,
  terms,
  expansion,
  bits,
});

/** Whether a doc is in a list by its bitset: `(bits[id >>> 5] >>> (id & 31)) & 1`. */
export function toBits(ids: Int32Array, n: number): Uint32Array {
  const bits = new Uint32Array((n + 31) >>> 5);
  for (let i = 0; i < ids.length; i += 1) bits[ids[i]! >>> 5]! |= 1 << (ids[i]! & 31);
  return bits;
}

/**
 * A query part: the docs in any of its lists, each with its best match (the earliest list's on a tie).
 * `size` counts those docs. A prefix ("fract") keeps its most common word's list (fracture) apart from the
 * merged rest, so the common word is only ever searched, never copied.
 */
export interface Part {
  readonly lists: readonly Postings[];
  readonly size: number;
}

/** The first position at or after `from` whose id is at least `id`: galloping, for ids asked in ascending order. */
export function seek(ids: Int32Array, from: number, id: number): number {
  let lo = from;
  let step = 1;
  let hi = from;
  while (hi < ids.length && ids[hi]! < id) {
    lo = hi + 1;
    hi += step;
    step *= 2;
  }
  if (hi > ids.length) hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** List operations over a code set of `n` docs; their scratch space is reused, so they are not re-entrant. */
export function postingOps(n: number) {
  // Every position of a list that matched in one way reads the same score: shared, never written.
  const constant = <T extends Float32Array | Uint8Array>(array: T, value: number): T => {
    array.fill(value);
    return array;
  };
  const scoreArrays = new Map<number, Float32Array>();
  const scoresOf = (score: number): Float32Array => {
    let scores = scoreArrays.get(score);
    if (!scores) scoreArrays.set(score, (scores = constant(new Float32Array(n), score)));
    return scores;
  };
  const termArrays = new Map<number, Uint8Array>();
  const termsOf = (terms: number): Uint8Array => {
    let array = termArrays.get(terms);
    if (!array) termArrays.set(terms, (array = constant(new Uint8Array(n), terms)));
    return array;
  };
  const ones = termsOf(1);
  const zeros = termsOf(0);
  const empty = postings(new Int32Array(0), new Float32Array(0), zeros, zeros);

  /** One word's docs, all scoring `score`. */
  const list = (ids: Int32Array, score: number, bits?: Uint32Array): Postings => postings(ids, scoresOf(score), ones, zeros, bits);

  const withExpansion = (list: Postings, expansion: boolean): Postings =>
    expansion ? postings(list.ids, list.scores, list.terms, ones, list.bits) : list;

  const bestScore = new Float32Array(n);
  const bestTerms = new Uint8Array(n);
  const bestExpansion = new Uint8Array(n);

  /**
   * Docs in any of the lists, each with its best match (the earliest list's on a tie). Written
   * through doc-indexed scratch, then read back in id order: by sorting the few, or scanning for many.
   */
  const union = (lists: readonly Postings[]): Postings => {
    const parts = lists.filter((l) => l.ids.length > 0);
    if (parts.length === 0) return empty;
    if (parts.length === 1) return parts[0]!;
    let total = 0;
    for (const part of parts) total += part.ids.length;
    const found = new Int32Array(Math.min(n, total));
    let count = 0;
    for (const { ids, scores, terms, expansion } of parts) {
      for (let i = 0; i < ids.length; i += 1) {
        const id = ids[i]!;
        const score = scores[i]!;
        if (bestScore[id] === 0) found[count++] = id;
        else if (bestScore[id]! >= score) continue;
        bestScore[id] = score;
        bestTerms[id] = terms[i]!;
        bestExpansion[id] = expansion[i]!;
      }
    }
    let ids = found.subarray(0, count);
    if (count * Math.log2(count + 1) < n) ids.sort();
    else {
      ids = found;
      count = 0;
      for (let id = 0; id < n; id += 1) if (bestScore[id] !== 0) ids[count++] = id;
      ids = ids.subarray(0, count);
    }
    const out = postings(ids, new Float32Array(count), new Uint8Array(count), new Uint8Array(count));
    for (let i = 0; i < count; i += 1) {
      const id = ids[i]!;
      out.scores[i] = bestScore[id]!;
      out.terms[i] = bestTerms[id]!;
      out.expansion[i] = bestExpansion[id]!;
      bestScore[id] = 0;
    }
    return out;
  };

  /** Docs in every list, scoring the mean of their scores (added rarest list first). */
  const intersection = (lists: readonly Postings[], expansion: boolean): Postings => {
    if (lists.length === 1) return withExpansion(lists[0]!, expansion);
    const sorted = [...lists].sort((a, b) => a.ids.length - b.ids.length);
    const rarest = sorted[0]!;
    const ids = new Int32Array(rarest.ids.length);
    const scores = new Float32Array(rarest.ids.length);
    const at = new Int32Array(sorted.length);
    let count = 0;
    next: for (let i = 0; i < rarest.ids.length; i += 1) {
      const id = rarest.ids[i]!;
      let sum = rarest.scores[i]!;
      for (let k = 1; k < sorted.length; k += 1) {
        const other = sorted[k]!;
        const position = seek(other.ids, at[k]!, id);
        at[k] = position;
        if (position === other.ids.length) break next;
        if (other.ids[position] !== id) continue next;
        sum += other.scores[position]!;
      }
      ids[count] = id;
      scores[count] = sum / sorted.length;
      count += 1;
    }
    return postings(ids.subarray(0, count), scores.subarray(0, count), termsOf(sorted.length), expansion ? ones : zeros);
  };

  const whole = (list: Postings): Part => ({ lists: [list], size: list.ids.length });

  /** Words' lists as one part: the longest kept apart, the rest merged (words' lists differ only in score). */
  const anyWord = (lists: readonly Postings[]): Part => {
    if (lists.length <= 1) return whole(lists[0] ?? empty);
    let longest = 0;
    for (let i = 1; i < lists.length; i += 1) if (lists[i]!.ids.length > lists[longest]!.ids.length) longest = i;
    const common = lists[longest]!;
    const rest = union(lists.filter((_, i) => i !== longest));
    let shared = 0;
    for (let i = 0, at = 0; i < rest.ids.length; i += 1) {
      at = seek(common.ids, at, rest.ids[i]!);
      if (common.ids[at] === rest.ids[i]) shared += 1;
    }
    return { lists: [common, rest], size: common.ids.length + rest.ids.length - shared };
  };

  /** A part as one list. */
  const merged = (part: Part): Postings => (part.lists.length === 1 ? part.lists[0]! : union(part.lists));

  return { empty, list, union, intersection, whole, anyWord, merged };
}
