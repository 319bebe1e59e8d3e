import type { Store } from '../store/store.js';
import type { LedgerEntry, WriteLedger } from './delivery.js';

interface Row {
  entry: string;
  resource_type: string;
  state: 'sent' | 'created';
  resource_id: string | null;
}

/** The write ledger of one job in the store; each call commits on its own (never inside the send). */
export function createSqliteWriteLedger(store: Store, jobId: string, attempt: number): WriteLedger {
  const { db, clock } = store;
  const select = db.prepare('SELECT entry, resource_type, state, resource_id FROM outbox_writes WHERE job_id = ?');
  const upsert = db.prepare(
    `INSERT INTO outbox_writes (job_id, entry, resource_type, state, attempt, sent_at, resource_id)
     VALUES (@jobId, @entry, @type, @state, @attempt, @now, @id)
     ON CONFLICT (job_id, entry) DO UPDATE SET state = excluded.state, attempt = excluded.attempt,
       sent_at = CASE WHEN excluded.state = 'sent' THEN excluded.sent_at ELSE outbox_writes.sent_at END, resource_id = excluded.resource_id`,
  );
  const remove = db.prepare('DELETE FROM outbox_writes WHERE job_id = ? AND entry = ?');
  const write = (entry: string, type: string, state: 'sent' | 'created', id: string | null) =>
    upsert.run({ jobId, entry, type, state, attempt, now: clock.now().toISOString(), id });
  return {
    entries() {
      const rows = select.all(jobId) as Row[];
      return new Map<string, LedgerEntry>(
        rows.map((r) => [
          r.entry,
          { entry: r.entry, resourceType: r.resource_type, state: r.state, ...(r.resource_id ? { resourceId: r.resource_id } : {}) },
        ]),
      );
    },
    sent: (entry, type) => void write(entry, type, 'sent', null),
    created: (entry, type, id) => void write(entry, type, 'created', id),
    cleared: (entry) => void remove.run(jobId, entry),
  };
}
