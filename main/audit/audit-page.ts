import type { AuditEntry } from '../../shared/domain/audit.js';
import type { AuditLog } from './audit-log.js';

export interface AuditPage {
  readonly entries: AuditEntry[];
  /** Pass as `afterSeq` for the next page; null after the last one. */
  readonly nextAfterSeq: number | null;
}

/**
 * One page of the audit log for an export in the app (the renderer joins the pages into a file).
 * Entries hold ids, never PHI. The cursor walks the log from the start, which is fine for the
 * sizes an in-app export is for; `scribe audit export` streams any size to a file.
 */
export function auditPage(audit: AuditLog, afterSeq: number, limit: number): AuditPage {
  const entries: AuditEntry[] = [];
  for (const entry of audit.entries()) {
    if (entry.seq <= afterSeq) continue;
    if (entries.length === limit) return { entries, nextAfterSeq: entries[entries.length - 1]!.seq };
    entries.push(entry);
  }
  return { entries, nextAfterSeq: null };
}
