import { createHmac } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Statement } from 'better-sqlite3';
import type { AuditAction, AuditEntry, AuditVerifyReport } from '../../shared/domain/audit.js';
import type { Store } from '../store/store.js';
import { createAuditAnchor } from './audit-anchor.js';
import type { AnchorRead } from './audit-anchor.js';
import { auditLogMissing, isAuditLogMissing } from './audit-errors.js';
import { GENESIS_HASH, verifyChain } from './audit-verify.js';
import type { SealedHead } from './audit-verify.js';

/**
 * Append-only, hash-chained audit log. Each entry's hash is an HMAC (keyed from the store's data
 * key) over its fields and the previous entry's hash, so an edit, a deletion or a reordering in the
 * raw database breaks the chain, and nobody without the key can forge a consistent one. The head
 * (last seq and hash) is kept beside it under its own MAC, so cutting off the newest entries shows
 * too, and copied after each commit to an anchor file outside the database, so putting back an
 * older copy of the database shows. Entries hold ids, never PHI.
 */
export { GENESIS_HASH };

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

interface HeadRow {
  seq: number;
  hash: string;
  mac: string | null;
  anchored: number;
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

const isMissingTable = (error: unknown) => error instanceof Error && /no such table/i.test(error.message);

export function createAuditLog(store: Store): AuditLog {
  const { db, clock } = store;
  const hmac = (key: Buffer, fields: readonly unknown[]) => createHmac('sha256', key).update(JSON.stringify(fields)).digest('hex');
  const chainKey = store.deriveKey('audit-chain/v1');
  const headKey = store.deriveKey('audit-head/v1');
  const mac = (seq: number, e: Omit<AuditEntry, 'seq' | 'hash'>) =>
    hmac(chainKey, [seq, e.at, e.actor, e.action, e.objectType, e.objectId, e.prevHash]);
  const headMac = (seq: number, hash: string) => hmac(headKey, ['audit-head', seq, hash]);
  const anchor = createAuditAnchor(store.path, store.deriveKey('audit-anchor/v1'));

  // Prepared on first use: a store whose log tables were dropped must still open, so verify can say so.
  const statements = new Map<string, Statement>();
  const sql = (text: string) => {
    let statement = statements.get(text);
    if (!statement) {
      try {
        statement = db.prepare(text);
      } catch (error) {
        if (isMissingTable(error)) throw auditLogMissing(error);
        throw error;
      }
      statements.set(text, statement);
    }
    return statement;
  };
  const readHead = () => sql('SELECT seq, hash, mac, anchored FROM audit_head WHERE id = 1').get() as HeadRow | undefined;
  const lastEntry = () =>
    sql('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  const hashAt = (seq: number) => (sql('SELECT hash FROM audit_log WHERE seq = ?').get(seq) as { hash: string } | undefined)?.hash;

  /** Whether this process may move the anchor forward: only while the anchor agrees with the log, so evidence of a rollback stays. */
  const anchorAgrees = (head: HeadRow | undefined, read: AnchorRead): boolean => {
    if (read.kind === 'missing') return !head?.anchored;
    if (read.kind === 'invalid') return false;
    return head !== undefined && read.point.seq <= head.seq && hashAt(read.point.seq) === read.point.hash;
  };

  let anchorTrusted = false;
  // The seq the anchor file holds, as far as this process knows: a commit whose head is already there writes nothing.
  let anchoredSeq: number | undefined;
  try {
    const head = readHead();
    const last = lastEntry();
    // Stores from before the head had a seal get one, if their head still matches their newest entry.
    if (head && head.mac === null && last && last.seq === head.seq && last.hash === head.hash) {
      sql('UPDATE audit_head SET mac = ? WHERE id = 1').run(headMac(head.seq, head.hash));
    }
    const read = anchor.read();
    anchorTrusted = anchorAgrees(head, read);
    if (anchorTrusted && read.kind === 'ok') anchoredSeq = read.point.seq;
    if (anchorTrusted && head) moveAnchor();
  } catch (error) {
    if (!isMissingTable(error) && !isAuditLogMissing(error)) throw error;
  }

  function moveAnchor(): void {
    // Inside someone's raw transaction the head may still roll back: the anchor waits for the next commit.
    if (db.inTransaction) return;
    const head = readHead();
    if (!head || (head.seq === anchoredSeq && head.anchored)) return;
    anchor.write({ seq: head.seq, hash: head.hash });
    anchoredSeq = head.seq;
    if (!head.anchored) sql('UPDATE audit_head SET anchored = 1 WHERE id = 1').run();
  }

  const append = (record: AuditRecord): AuditEntry =>
    store.transaction(() => {
      const head = readHead();
      const seq = (head?.seq ?? 0) + 1;
      const fields = { at: clock.now().toISOString(), ...record, prevHash: head?.hash ?? GENESIS_HASH };
      const hash = mac(seq, fields);
      sql('INSERT INTO audit_log (seq, at, actor, action, object_type, object_id, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
        seq,
        fields.at,
        fields.actor,
        fields.action,
        fields.objectType,
        fields.objectId,
        fields.prevHash,
        hash,
      );
      sql(
        'INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac',
      ).run(seq, hash, headMac(seq, hash));
      if (anchorTrusted) store.afterCommit(moveAnchor);
      return { seq, ...fields, hash };
    });

  function* entries(): IterableIterator<AuditEntry> {
    for (const row of sql('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<Row>) yield toEntry(row);
  }

  function verify(): AuditVerifyReport {
    let head: SealedHead | undefined;
    try {
      const row = readHead();
      head = row && { seq: row.seq, hash: row.hash, sealed: row.mac === headMac(row.seq, row.hash), anchored: row.anchored === 1 };
      return verifyChain({ entries, mac, head, anchor: anchor.read() });
    } catch (error) {
      if (!isMissingTable(error) && !isAuditLogMissing(error)) throw error;
      return {
        ok: false,
        entries: 0,
        problems: [{ seq: 0, kind: 'missing_table', message: "The audit log's tables are missing: they were dropped outside the app." }],
      };
    }
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
