import type { Migration } from './migration.js';

/**
 * One local visit per EHR encounter. The encounter id is PHI and stored encrypted (encounter_ref),
 * so it cannot be looked up or made unique in SQL; encounter_key is a keyed blind index beside it:
 * HMAC-SHA-256 of the encounter id under a key derived from the data key (main/store/visit-repository.ts).
 * Without the key it reveals nothing and cannot be brute-forced from guessed ids. Visits made before
 * this migration get their key the next time the store opens. NULLs (visits without an encounter) never collide.
 */
export const visitEncounterKey: Migration = {
  version: 7,
  name: 'visit-encounter-key',
  sql: `
    ALTER TABLE visits ADD COLUMN encounter_key TEXT;
    CREATE UNIQUE INDEX visits_by_encounter_key ON visits (encounter_key);
  `,
};
