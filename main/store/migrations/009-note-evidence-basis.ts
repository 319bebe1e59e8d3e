import type { Migration } from './migration.js';

/**
 * What each transcript segment said when the note was drafted (encrypted digests), so a transcript
 * replaced or revised after drafting shows which sentences lost their evidence. Notes drafted
 * before this have none: their evidence is checked for missing segments and facts only.
 */
export const noteEvidenceBasis: Migration = {
  version: 9,
  name: 'note-evidence-basis',
  sql: `ALTER TABLE notes ADD COLUMN evidence_basis BLOB;`,
};
