import { createHmac } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { AuditAction, AuditEntry, AuditProblem, AuditVerifyReport } from '../../shared/domain/audit.js';
import type { Store } from '../store/store.js';

/**
 * Append-only, hash-chained audit log. Each entry's hash is an HMAC (keyed from the store's data
 * key) over its fields and the previous entry's hash, so an edit, a deletion or a reordering in the
 * raw database breaks the chain, and nobody without the key can forge a consistent one.
 * The head (last seq and hash) is kept beside it so that cutting off the newest entries shows too.
 * Entries hold ids, never PHI.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditRecord {
  readonly actor: string;
  readonly action: AuditAction;
  readonly objectType: string;
  readonly objectId: string;
}

export interface AuditLog {
  /** Appends inside the caller's transaction when there is one, so the action and its record commit together. */
  append(record: AuditRecord): AuditEntry;
  entries(): IterableIterator<AuditEntry>;
  verify(): AuditVerifyReport;
  exportJsonLines(file: string): Promise<number>;
}

interface Row {
  seq: number;
  at: string;
  actor: string;
  action: string;
  object_type: string;
  object_id: string;
  prev_hash: string;
  hash: string;
}

const toEntry = (row: Row): AuditEntry => ({
  seq: row.seq,
  at: row.at,
  actor: row.actor,
  action: row.action,
  objectType: row.object_type,
  objectId: row.object_id,
  prevHash: row.prev_hash,
  hash: row.hash,
});

export function createAuditLog(store: Store): AuditLog {
  const { db, clock } = store;
  const key = store.deriveKey('audit-chain/v1');
  const mac = (seq: number, e: Omit<AuditEntry, 'seq' | 'hash'>) =>
    createHmac('sha256', key).update(JSON.stringify([seq, e.at, e.actor, e.action, e.objectType, e.objectId, e.prevHash])).digest('hex');

  const readHead = db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1');
  const insert = db.prepare(
    'INSERT INTO audit_log (seq, at, actor, action, object_type, object_id, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const writeHead = db.prepare(
    'INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash',
  );
  const selectAll = db.prepare('SELECT * FROM audit_log ORDER BY seq');

  const append = db.transaction((record: AuditRecord): AuditEntry => {
    const head = readHead.get() as { seq: number; hash: string } | undefined;
    const seq = (head?.seq ?? 0) + 1;
    const fields = { at: clock.now().toISOString(), ...record, prevHash: head?.hash ?? GENESIS_HASH };
    const hash = mac(seq, fields);
    insert.run(seq, fields.at, fields.actor, fields.action, fields.objectType, fields.objectId, fields.prevHash, hash);
    writeHead.run(seq, hash);
    return { seq, ...fields, hash };
  });

  function* entries(): IterableIterator<AuditEntry> {
    for (const row of selectAll.iterate() as IterableIterator<Row>) yield toEntry(row);
  }

  function verify(): AuditVerifyReport {
    const problems: AuditProblem[] = [];
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let count = 0;
    let lastSeq = 0;
    for (const entry of entries()) {
      count += 1;
      if (entry.seq > expectedSeq) {
        const missing = entry.seq - expectedSeq;
        problems.push({
          seq: expectedSeq,
          kind: 'deleted',
          message: missing === 1 ? `Entry ${expectedSeq} is missing.` : `Entries ${expectedSeq} to ${entry.seq - 1} are missing.`,
        });
      }
      const computed = mac(entry.seq, entry);
      if (computed !== entry.hash) {
        // Searching for a moved entry's original place costs one MAC per entry: only while problems are few.
        const origin = problems.length < 20 ? originalPosition(entry) : undefined;
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
    const head = readHead.get() as { seq: number; hash: string } | undefined;
    if (head && (head.seq !== lastSeq || head.hash !== prevHash)) {
      problems.push(
        head.seq > lastSeq
          ? { seq: lastSeq + 1, kind: 'truncated', message: `Entries after ${lastSeq} (up to ${head.seq}) were removed.` }
          : { seq: head.seq, kind: 'edited', message: `The log's head record does not match entry ${lastSeq}.` },
      );
    } else if (!head && count > 0) {
      problems.push({ seq: 0, kind: 'edited', message: "The log's head record is missing." });
    }
    return { ok: problems.length === 0, entries: count, problems };
  }

  /** A moved entry still carries a valid MAC for the position it was written at; find that position. */
  function originalPosition(entry: AuditEntry): number | undefined {
    const head = readHead.get() as { seq: number } | undefined;
    const limit = Math.max(head?.seq ?? 0, entry.seq) + 1;
    for (let seq = 1; seq <= limit; seq += 1) {
      if (seq !== entry.seq && mac(seq, entry) === entry.hash) return seq;
    }
    return undefined;
  }

  async function exportJsonLines(file: string): Promise<number> {
    const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
    let count = 0;
    for (const entry of entries()) {
      if (!out.write(`${JSON.stringify(entry)}\n`)) await once(out, 'drain');
      count += 1;
    }
    out.end();
    await once(out, 'finish');
    return count;
  }

  return { append, entries, verify, exportJsonLines };
}
