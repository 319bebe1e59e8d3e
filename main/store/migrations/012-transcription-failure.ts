import type { Migration } from './migration.js';

/**
 * Why a visit's transcription last failed, kept with the visit so the reason survives a restart:
 * a JSON object of a stable reason id, a plain-words message, the technical detail for IT, the
 * engine and the time. No PHI (engine messages never carry audio words or patient data).
 */
export const transcriptionFailure: Migration = {
  version: 12,
  name: 'transcription-failure',
  sql: `
    ALTER TABLE visits ADD COLUMN transcription_failure TEXT;
  `,
};
