import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { openStore } from '../../../../main/store/store.js';
import type { Store } from '../../../../main/store/store.js';
import { createPassphraseKeyProvider } from '../../../../main/store/passphrase-key-provider.js';
import { FAST_SCRYPT, tempDir } from '../../../helpers/temp-store.js';

const plan = (store: Store, sql: string, ...params: unknown[]) =>
  (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((row) => row.detail).join(' | ');

describe('migration 002 (capture)', () => {
  const tmp = tempDir('scribe-migration-002-');
  let store: Store;
  beforeAll(() => {
    store = openStore({ dataDir: tmp.dir, keyProvider: createPassphraseKeyProvider('migration passphrase', FAST_SCRYPT), mode: 'create' });
  });
  afterAll(() => {
    store.close();
    tmp.cleanup();
  });

  test('reading from an offset finds the chunk through the position index, never a scan', () => {
    const detail = plan(
      store,
      `SELECT seq FROM audio_chunks WHERE visit_id = ? AND start_sample >= (
         SELECT COALESCE(MAX(start_sample), 0) FROM audio_chunks WHERE visit_id = ? AND start_sample <= ?
       ) ORDER BY start_sample LIMIT 16`,
      'v',
      'v',
      1000,
    );
    assert.match(detail, /audio_chunks_by_position/);
    assert.doesNotMatch(detail, /SCAN audio_chunks(?! USING)/);
    assert.doesNotMatch(detail, /TEMP B-TREE/, 'rows come in index order, no sort');
  });

  test('gaps, segments and recovery use their keys and indexes', () => {
    assert.match(
      plan(store, 'SELECT seq FROM audio_chunks WHERE visit_id = ? ORDER BY seq', 'v'),
      /USING (COVERING )?INDEX sqlite_autoindex_audio_chunks_1|USING PRIMARY KEY/,
    );
    assert.match(
      plan(store, 'SELECT idx FROM speech_segments WHERE visit_id = ? AND idx > ? ORDER BY idx', 'v', -1),
      /sqlite_autoindex_speech_segments_1/,
    );
    assert.match(plan(store, "SELECT * FROM audio_tracks WHERE status IN ('recording', 'paused')"), /audio_tracks_by_status/);
    assert.match(
      plan(store, 'SELECT * FROM visit_consents WHERE visit_id = ? ORDER BY recorded_at DESC LIMIT 1', 'v'),
      /visit_consents_by_visit/,
    );
  });

  test('a track cannot hold a state outside the list, nor audio for a visit that does not exist', () => {
    assert.throws(
      () =>
        store.db
          .prepare(
            "INSERT INTO audio_tracks (visit_id, status, next_seq, sample_count, chunk_count, started_at, updated_at) VALUES ('x', 'weird', 0, 0, 0, '', '')",
          )
          .run(),
      /CHECK constraint failed|FOREIGN KEY/,
    );
    assert.throws(
      () =>
        store.db
          .prepare("INSERT INTO audio_chunks (visit_id, seq, start_sample, sample_count, pcm) VALUES ('no-such-visit', 0, 0, 1, x'00')")
          .run(),
      /FOREIGN KEY constraint failed/,
    );
  });
});
