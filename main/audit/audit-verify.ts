import type { AuditEntry, AuditProblem, AuditVerifyReport } from '../../shared/domain/audit.js';
import type { AnchorRead } from './audit-anchor.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface SealedHead {
  readonly seq: number;
  readonly hash: string;
  /** True when the head's own MAC checks out. */
  readonly sealed: boolean;
  /** The head has been copied to the anchor file at least once. */
  readonly anchored: boolean;
}

export interface ChainView {
  entries(): Iterable<AuditEntry>;
  /** Recomputes an entry's MAC as if it stood at `seq`. */
  mac(seq: number, entry: Omit<AuditEntry, 'seq' | 'hash'>): string;
  head: SealedHead | undefined;
  anchor: AnchorRead;
}

/**
 * Walks the chain from entry 1: every entry's MAC, its link to the one before, no gaps, the first
 * one the store's creation, the sealed head at the newest entry, and the anchor file beside the
 * database no newer than the log. Each problem names the entry where it shows.
 */
export function verifyChain(view: ChainView): AuditVerifyReport {
  const problems: AuditProblem[] = [];
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  let lastSeq = 0;
  let first: AuditEntry | undefined;
  const anchored = view.anchor.kind === 'ok' ? view.anchor.point : undefined;
  let hashAtAnchor: string | undefined;
  for (const entry of view.entries()) {
    count += 1;
    first ??= entry;
    if (entry.seq === anchored?.seq) hashAtAnchor = entry.hash;
    if (entry.seq > expectedSeq) {
      const missing = entry.seq - expectedSeq;
      problems.push({
        seq: expectedSeq,
        kind: 'deleted',
        message: missing === 1 ? `Entry ${expectedSeq} is missing.` : `Entries ${expectedSeq} to ${entry.seq - 1} are missing.`,
      });
    }
    if (view.mac(entry.seq, entry) !== entry.hash) {
      // Searching for a moved entry's original place costs one MAC per entry: only while problems are few.
      const origin = problems.length < 20 ? originalPosition(view, entry) : undefined;
      problems.push(
        origin === undefined
          ? { seq: entry.seq, kind: 'edited', message: `Entry ${entry.seq} was altered after it was written.` }
          : { seq: entry.seq, kind: 'reordered', message: `Entry ${entry.seq} was written as entry ${origin}; the log was reordered.` },
      );
    } else if (entry.prevHash !== prevHash && entry.seq === expectedSeq) {
      problems.push({ seq: entry.seq, kind: 'broken_link', message: `Entry ${entry.seq} does not follow entry ${entry.seq - 1}.` });
    }
    prevHash = entry.hash;
    expectedSeq = entry.seq + 1;
    lastSeq = entry.seq;
  }
  if (!first) {
    problems.push({
      seq: 1,
      kind: 'not_started',
      message: "The audit log is empty, but every store's log begins with its creation: it was emptied.",
    });
  } else if (first.seq === 1 && first.action !== 'store.created') {
    problems.push({ seq: 1, kind: 'not_started', message: "Entry 1 is not the store's creation: the log was emptied and started again." });
  }
  problems.push(...headProblems(view.head, lastSeq, prevHash, count));
  problems.push(...anchorProblems(view, lastSeq, hashAtAnchor));
  return { ok: problems.length === 0, entries: count, problems };
}

function headProblems(head: SealedHead | undefined, lastSeq: number, lastHash: string, count: number): AuditProblem[] {
  if (!head) return count > 0 ? [{ seq: 0, kind: 'edited', message: "The log's head record is missing." }] : [];
  if (!head.sealed) return [{ seq: head.seq, kind: 'edited', message: "The log's head record was altered: its seal does not match." }];
  if (head.seq === lastSeq && head.hash === lastHash) return [];
  return head.seq > lastSeq
    ? [{ seq: lastSeq + 1, kind: 'truncated', message: `Entries after ${lastSeq} (up to ${head.seq}) were removed.` }]
    : [{ seq: head.seq, kind: 'edited', message: `The log's head record does not match entry ${lastSeq}.` }];
}

function anchorProblems(view: ChainView, lastSeq: number, hashAtAnchor: string | undefined): AuditProblem[] {
  const { anchor, head } = view;
  if (anchor.kind === 'missing') {
    return head?.anchored
      ? [{ seq: lastSeq, kind: 'anchor_invalid', message: 'The audit anchor file beside the database is missing.' }]
      : [];
  }
  if (anchor.kind === 'invalid') {
    return [{ seq: lastSeq, kind: 'anchor_invalid', message: 'The audit anchor file beside the database was not written by this store.' }];
  }
  const { seq } = anchor.point;
  if (seq > lastSeq) {
    return [
      {
        seq: lastSeq + 1,
        kind: 'rolled_back',
        message: `The database is older than its audit anchor: entries up to ${seq} were written, the log now ends at ${lastSeq}. An older copy of the store was put back.`,
      },
    ];
  }
  if (hashAtAnchor !== anchor.point.hash) {
    return [
      {
        seq,
        kind: 'rolled_back',
        message: `Entry ${seq} is not the one the audit anchor recorded: the store was replaced by another copy.`,
      },
    ];
  }
  return [];
}

/** A moved entry still carries a valid MAC for the position it was written at; find that position. */
function originalPosition(view: ChainView, entry: AuditEntry): number | undefined {
  const limit = Math.max(view.head?.seq ?? 0, entry.seq) + 1;
  for (let seq = 1; seq <= limit; seq += 1) {
    if (seq !== entry.seq && view.mac(seq, entry) === entry.hash) return seq;
  }
  return undefined;
}
