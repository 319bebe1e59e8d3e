/**
 * ROUGE as the ACI-Bench papers report it, reimplemented: lower-cased alphanumeric tokens, no
 * stemming or stop words. ROUGE-N counts clipped n-gram matches; ROUGE-L uses the longest common
 * subsequence of the two whole texts, ROUGE-Lsum the per-line union LCS the paper's tables use.
 * Each returns precision, recall and their F1.
 */
export interface RougeScore {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

const score = (overlap: number, candidate: number, reference: number): RougeScore => {
  const precision = candidate === 0 ? 0 : overlap / candidate;
  const recall = reference === 0 ? 0 : overlap / reference;
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
};

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i += 1) {
    const gram = tokens.slice(i, i + n).join(' ');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

export function rougeN(candidate: readonly string[], reference: readonly string[], n: number): RougeScore {
  const cand = ngramCounts(candidate, n);
  const ref = ngramCounts(reference, n);
  let overlap = 0;
  for (const [gram, count] of cand) overlap += Math.min(count, ref.get(gram) ?? 0);
  return score(overlap, Math.max(0, candidate.length - n + 1), Math.max(0, reference.length - n + 1));
}

/** Length of the longest common subsequence, in O(n·m) time and O(m) memory. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let prev = new Uint32Array(b.length + 1);
  let row = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      row[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, row[j - 1]!);
    }
    [prev, row] = [row, prev];
  }
  return prev[b.length]!;
}

export function rougeL(candidate: readonly string[], reference: readonly string[]): RougeScore {
  return score(lcsLength(candidate, reference), candidate.length, reference.length);
}

export interface RougeTriple {
  readonly rouge1: RougeScore;
  readonly rouge2: RougeScore;
  readonly rougeL: RougeScore;
}

export function rouge(candidateText: string, referenceText: string): RougeTriple {
  const c = tokenize(candidateText);
  const r = tokenize(referenceText);
  return { rouge1: rougeN(c, r, 1), rouge2: rougeN(c, r, 2), rougeL: rougeL(c, r) };
}

/** Indices into `a` of one longest common subsequence with `b`, backtracked as rouge_score's `_backtrack_norec` does. */
export function lcsIndices(a: readonly string[], b: readonly string[]): number[] {
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      table[i * width + j] =
        a[i - 1] === b[j - 1] ? table[(i - 1) * width + j - 1]! + 1 : Math.max(table[(i - 1) * width + j]!, table[i * width + j - 1]!);
    }
  }
  const out: number[] = [];
  let i = a.length;
  let j = b.length;
  while (i > 0 && j > 0) {
    if (a[i - 1] === b[j - 1]) {
      out.push(i - 1);
      i -= 1;
      j -= 1;
    } else if (table[i * width + j - 1]! > table[(i - 1) * width + j]!) j -= 1;
    else i -= 1;
  }
  return out.reverse();
}

const lines = (text: string) =>
  text
    .split('\n')
    .map(tokenize)
    .filter((t) => t.length > 0);

/**
 * ROUGE-Lsum, the summary-level LCS the ACI-Bench paper reports (Google's rouge_score, `rougeLsum`):
 * texts are cut into lines at newlines; for each reference line, the union of its LCS tokens with
 * every candidate line counts as hits, each token at most as often as it occurs in both texts.
 */
export function rougeLsum(candidateText: string, referenceText: string): RougeScore {
  const candidate = lines(candidateText);
  const reference = lines(referenceText);
  const remaining = (sentences: readonly string[][]) => {
    const counts = new Map<string, number>();
    for (const token of sentences.flat()) counts.set(token, (counts.get(token) ?? 0) + 1);
    return counts;
  };
  const left = { candidate: remaining(candidate), reference: remaining(reference) };
  let hits = 0;
  for (const ref of reference) {
    const union = new Set<number>();
    for (const cand of candidate) for (const i of lcsIndices(ref, cand)) union.add(i);
    for (const i of [...union].sort((x, y) => x - y)) {
      const token = ref[i]!;
      const inCandidate = left.candidate.get(token) ?? 0;
      const inReference = left.reference.get(token) ?? 0;
      if (inCandidate > 0 && inReference > 0) {
        hits += 1;
        left.candidate.set(token, inCandidate - 1);
        left.reference.set(token, inReference - 1);
      }
    }
  }
  return score(hits, candidate.flat().length, reference.flat().length);
}
