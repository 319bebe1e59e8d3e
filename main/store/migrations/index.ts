import type { Database } from 'better-sqlite3';
import { initial } from './001-initial.js';
import { capture } from './002-capture.js';
import { terminology } from './003-terminology.js';
import { notesOutbox } from './004-notes-outbox.js';
import { transcripts } from './005-transcripts.js';
import { addenda } from './006-addenda.js';
import { visitEncounterKey } from './007-visit-encounter-key.js';
import { auditHeadSeal } from './008-audit-head-seal.js';
import { noteEvidenceBasis } from './009-note-evidence-basis.js';
import { audioKeys } from './010-audio-keys.js';
import { outboxWriteLedger } from './011-outbox-write-ledger.js';
import { transcriptionFailure } from './012-transcription-failure.js';

import type { Migration } from './migration.js';

/** Append-only: never edit a released migration, add the next number. */
export const migrations: readonly Migration[] = [
  initial,
  capture,
  terminology,
  notesOutbox,
  transcripts,
  addenda,
  visitEncounterKey,
  auditHeadSeal,
  noteEvidenceBasis,
  audioKeys,
  outboxWriteLedger,
  transcriptionFailure,
];
export const LATEST_SCHEMA_VERSION = migrations.at(-1)?.version ?? 0;

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Runs every migration newer than the database, each in its own transaction with its version. */
export function runMigrations(db: Database): void {
  for (const migration of migrations) {
    if (migration.version <= schemaVersion(db)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
