import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { openScribe } from '../../../main/compose.js';
import type { Scribe } from '../../../main/compose.js';
import { IntegrityError, StoreTooNewError, WrongKeyError } from '../../../main/store/errors.js';
import { createKeyFile, createKeyFileKeyProvider } from '../../../main/store/key-file-key-provider.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import { DATABASE_FILE } from '../../../main/store/store.js';
import { createSqliteVisitRepository } from '../../../main/store/visit-repository.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from '../../helpers/temp-store.js';

const actor = { id: 'dr-test', role: 'clinician' } as const;
const ctx = { transport: 'cli', actor } as const;
const PASSPHRASE = 'correct horse battery staple';

async function createVisit(scribe: Scribe): Promise<Visit> {
  const result = await scribe.dispatch(
    'visit:create',
    { patientId: SENTINEL.patientId, patient: { displayName: SENTINEL.name, mrn: SENTINEL.mrn, birthDate: SENTINEL.birthDate } },
    ctx,
  );
  assert.ok(result.ok, 'visit:create should succeed');
  return result.value as Visit;
}

function storeFiles(dbPath: string): string[] {
  return [dbPath, `${dbPath}-wal`, `${dbPath}-journal`, `${dbPath}-shm`].filter((f) => existsSync(f));
}

function assertNoMarker(files: readonly string[]): void {
  for (const file of files) {
    const bytes = readFileSync(file);
    for (const marker of [SENTINEL.name, SENTINEL.mrn, SENTINEL.patientId, 'Quillfeather']) {
      for (const encoding of ['utf8', 'utf16le'] as const) {
        assert.equal(bytes.indexOf(Buffer.from(marker, encoding)), -1, `${marker} (${encoding}) found in ${file}`);
      }
    }
  }
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('encrypted store', () => {
  const tmp = tempDir();
  const dataDir = tmp.dir;
  const dbPath = `${dataDir}/${DATABASE_FILE}`;
  let visit: Visit;
  afterAll(() => tmp.cleanup());

  beforeAll(async () => {
    const scribe = openScribe({ dataDir, keyProvider: createPassphraseKeyProvider(PASSPHRASE), mode: 'create' });
    visit = await createVisit(scribe);
    // While open, the new rows sit in the WAL: it must hold only ciphertext too.
    assert.ok(existsSync(`${dbPath}-wal`), 'the WAL exists while the store is open');
    assertNoMarker(storeFiles(dbPath));
    scribe.close();
  });

  test('holds no patient marker in the database, its WAL or its journal after closing', () => {
    assertNoMarker(storeFiles(dbPath));
    assert.ok(readFileSync(dbPath).length > 0);
  });

  test('reads the visit back after reopening with the right passphrase', async () => {
    const scribe = openScribe({ dataDir, keyProvider: createPassphraseKeyProvider(PASSPHRASE) });
    try {
      const result = await scribe.dispatch('visit:get', { id: visit.id }, ctx);
      assert.ok(result.ok);
      assert.deepEqual(result.value, visit);
    } finally {
      scribe.close();
    }
  });

  test('refuses a wrong passphrase with a clear error and leaves the file unchanged', () => {
    const before = sha256(dbPath);
    assert.throws(
      () => openScribe({ dataDir, keyProvider: createPassphraseKeyProvider('not the passphrase') }),
      (error: unknown) => error instanceof WrongKeyError && error.reason === 'store.wrong_key',
    );
    assert.equal(sha256(dbPath), before);
  });

  test('refuses a key file for a passphrase store, naming what it expects', () => {
    const keyFile = `${dataDir}/other.key`;
    createKeyFile(keyFile);
    assert.throws(() => openScribe({ dataDir, keyProvider: createKeyFileKeyProvider(keyFile) }), {
      reason: 'store.wrong_key_kind',
      details: { stored: 'passphrase', given: 'key-file' },
    });
  });

  test('reports a flipped ciphertext byte as an integrity error naming the row, and the other rows still read', async () => {
    const scribe = openScribe({ dataDir, keyProvider: createPassphraseKeyProvider(PASSPHRASE) });
    const second = await createVisit(scribe);
    scribe.close();

    const raw = new BetterSqlite3(dbPath);
    const { patient_context: blob } = raw.prepare('SELECT patient_context FROM visits WHERE id = ?').get(visit.id) as {
      patient_context: Buffer;
    };
    const flipped = Buffer.from(blob);
    flipped[flipped.length - 3]! ^= 0x01;
    raw.prepare('UPDATE visits SET patient_context = ? WHERE id = ?').run(flipped, visit.id);
    raw.close();

    const reopened = openScribe({ dataDir, keyProvider: createPassphraseKeyProvider(PASSPHRASE) });
    try {
      const repo = createSqliteVisitRepository(reopened.store);
      assert.throws(
        () => repo.get(visit.id),
        (error: unknown) =>
          error instanceof IntegrityError &&
          error.rowId === visit.id &&
          error.message.includes(visit.id) &&
          error.column === 'patient_context',
      );
      const result = await reopened.dispatch('visit:get', { id: visit.id }, ctx);
      assert.equal(result.ok, false);
      assert.ok(!result.ok && result.error.code === 'integrity' && result.error.message.includes(visit.id));
      assert.equal(repo.get(second.id)?.patient.displayName, SENTINEL.name);
    } finally {
      reopened.close();
    }
  });

  test('refuses a ciphertext moved to another row (values are bound to their row)', async () => {
    const scribe = openScribe({ dataDir, keyProvider: createPassphraseKeyProvider(PASSPHRASE) });
    const a = await createVisit(scribe);
    const b = await createVisit(scribe);
    const copy = scribe.store.db.prepare('SELECT patient_ref FROM visits WHERE id = ?').get(a.id) as { patient_ref: Buffer };
    scribe.store.db.prepare('UPDATE visits SET patient_ref = ? WHERE id = ?').run(copy.patient_ref, b.id);
    try {
      assert.throws(() => createSqliteVisitRepository(scribe.store).get(b.id), IntegrityError);
    } finally {
      scribe.close();
    }
  });
});

describe('store versions', () => {
  test('refuses a database written by a newer version', () => {
    const tmp = tempDir();
    try {
      const keyProvider = createPassphraseKeyProvider(PASSPHRASE, FAST_SCRYPT);
      openScribe({ dataDir: tmp.dir, keyProvider, mode: 'create' }).close();
      const raw = new BetterSqlite3(`${tmp.dir}/${DATABASE_FILE}`);
      raw.pragma('user_version = 99');
      raw.close();
      assert.throws(() => openScribe({ dataDir: tmp.dir, keyProvider }), StoreTooNewError);
    } finally {
      tmp.cleanup();
    }
  });

  test('the database and its -wal and -shm files are readable by the owner only, in a folder that already existed', () => {
    const tmp = tempDir();
    try {
      chmodSync(tmp.dir, 0o755);
      const scribe = openScribe({ dataDir: tmp.dir, keyProvider: createPassphraseKeyProvider(PASSPHRASE, FAST_SCRYPT), mode: 'create' });
      scribe.store.db.prepare('SELECT count(*) FROM visits').get();
      const files = readdirSync(tmp.dir).filter((name) => name.startsWith(DATABASE_FILE));
      assert.deepEqual(files.sort(), [DATABASE_FILE, `${DATABASE_FILE}-shm`, `${DATABASE_FILE}-wal`]);
      for (const name of files) assert.equal(statSync(join(tmp.dir, name)).mode & 0o077, 0, `${name} is owner-only`);
      scribe.close();
      // A store left readable by an older version is tightened when it is opened.
      chmodSync(join(tmp.dir, DATABASE_FILE), 0o644);
      openScribe({ dataDir: tmp.dir, keyProvider: createPassphraseKeyProvider(PASSPHRASE, FAST_SCRYPT) }).close();
      assert.equal(statSync(join(tmp.dir, DATABASE_FILE)).mode & 0o077, 0);
    } finally {
      tmp.cleanup();
    }
  });

  test('creates the schema with WAL, foreign keys and secure delete on', () => {
    const tmp = tempDir();
    try {
      const scribe = openScribe({ dataDir: tmp.dir, keyProvider: createPassphraseKeyProvider(PASSPHRASE, FAST_SCRYPT), mode: 'create' });
      const { db } = scribe.store;
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
      assert.equal(db.pragma('secure_delete', { simple: true }), 1);
      const plan = db.prepare('EXPLAIN QUERY PLAN SELECT * FROM visits WHERE created_at >= ? ORDER BY created_at DESC').all('2026') as {
        detail: string;
      }[];
      assert.ok(
        plan.some((row) => row.detail.includes('visits_by_created_at')),
        'listing by date uses the index',
      );
      scribe.close();
    } finally {
      tmp.cleanup();
    }
  });
});
