import type { TerminologyInfo } from '../../shared/domain/terminology.js';

/** One line of the order file: a billable code or a header above billable codes. Codes without dot. */
export interface IcdEntry {
  readonly code: string;
  readonly billable: boolean;
  /** The long (full) title: the official description shown everywhere. */
  readonly title: string;
  /** The 60-character short title. */
  readonly shortTitle: string;
  /** Position in tabular order (the order file's first column). */
  readonly order: number;
}

/** An immutable, loaded code set with the look-ups validation, search and suggestions share. */
export interface CodeSet {
  readonly info: TerminologyInfo;
  /** Every entry in tabular order. */
  readonly entries: readonly IcdEntry[];
  get(code: string): IcdEntry | undefined;
  /** Entries whose code starts with `prefix` (the entry itself included), in code order. */
  withPrefix(prefix: string): readonly IcdEntry[];
  /** Billable entries strictly below `code`, in tabular order. */
  billableBelow(code: string): readonly IcdEntry[];
  /** The nearest entry above `code` (E11.65 → E11.6), if the set has one. */
  parent(code: string): IcdEntry | undefined;
}

export function createCodeSet(entries: readonly IcdEntry[], info: TerminologyInfo): CodeSet {
  const byCode = new Map<string, IcdEntry>();
  for (const entry of entries) byCode.set(entry.code, entry);
  // Tabular order is not code order (C4A sits after C43), so prefix look-ups use their own sorted copy.
  const sorted = [...entries].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

  const lowerBound = (prefix: string): number => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]!.code < prefix) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const withPrefix = (prefix: string): IcdEntry[] => {
    const found: IcdEntry[] = [];
    for (let i = lowerBound(prefix); i < sorted.length && sorted[i]!.code.startsWith(prefix); i += 1) found.push(sorted[i]!);
    return found;
  };

  return {
    info,
    entries,
    get: (code) => byCode.get(code),
    withPrefix,
    billableBelow: (code) =>
      withPrefix(code)
        .filter((e) => e.billable && e.code !== code)
        .sort((a, b) => a.order - b.order),
    parent(code) {
      for (let length = code.length - 1; length >= 3; length -= 1) {
        const found = byCode.get(code.slice(0, length));
        if (found) return found;
      }
      return undefined;
    },
  };
}

export function countEntries(entries: readonly IcdEntry[]): TerminologyInfo['counts'] {
  let billable = 0;
  for (const entry of entries) if (entry.billable) billable += 1;
  return { total: entries.length, billable, headers: entries.length - billable };
}
