import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, test } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { runCli } from '../../../main/cli/program.js';
import { ScribeError } from '../../../main/kernel/errors.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import { DATABASE_FILE, openStore } from '../../../main/store/store.js';
import { createSqliteVisitRepository } from '../../../main/store/visit-repository.js';
import { FAST_SCRYPT, tempDir } from '../../helpers/temp-store.js';

const PASSPHRASE = 'quick check test passphrase';
const keyProvider = () => createPassphraseKeyProvider(PASSPHRASE, FAST_SCRYPT);
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function cli(dataDir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    io: { out: (t) => out.push(t), err: (t) => err.push(t) },
    env: { SCRIBE_DATA_DIR: dataDir, SCRIBE_PASSPHRASE: PASSPHRASE, SCRIBE_USER: 'it-admin' },
    untilStopped: () => Promise.resolve(),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function openFails(dataDir: string): ScribeError {
  try {
    openStore({ dataDir, keyProvider: keyProvider(), mode: 'open' }).close();
  } catch (error) {
    assert.ok(error instanceof ScribeError, String(error));
    return error;
  }
  assert.fail('the damaged store opened');
}

describe('PRAGMA quick_check on open and scribe store check', () => {
  const tmp = tempDir('scribe-quick-check-');
  const dataDir = join(tmp.dir, 'store');
  const path = join(dataDir, DATABASE_FILE);
  beforeAll(() => {
    const store = openStore({ dataDir, keyProvider: keyProvider(), mode: 'create' });
    const visits = createSqliteVisitRepository(store);
    store.transaction(() => {
      for (let i = 0; i < 2000; i += 1)
        visits.insert({ patientId: `patient-${i}`, patient: { displayName: `Patient ${i}` }, createdBy: 'u' });
    });
    store.close();
  });
  afterEach(() => {
    process.exitCode = undefined;
  });
  afterAll(() => tmp.cleanup());

  test('a sound store opens, and scribe store check says it passed', async () => {
    openStore({ dataDir, keyProvider: keyProvider(), mode: 'open' }).close();
    const checked = await cli(dataDir, 'store', 'check');
    assert.equal(checked.code, 0, checked.err);
    assert.match(checked.out, /^The store file passed SQLite's quick check \(\d+\.\d MB, \d+ ms\)\.$/);
  });

  test('a damaged page of the visits table is found on open, and the file is left as it was', async () => {
    const raw = new BetterSqlite3(path);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    const pageSize = raw.pragma('page_size', { simple: true }) as number;
    const { rootpage } = raw.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'visits'").get() as { rootpage: number };
    raw.close();
    const bytes = readFileSync(path);
    const root = (rootpage - 1) * pageSize;
    assert.equal(bytes[root], 0x05, 'the table has grown an interior page');
    // Its right-most leaf's count of fragmented free bytes (page header byte 7) no longer matches the page.
    const leaf = (bytes.readUInt32BE(root + 8) - 1) * pageSize;
    assert.equal(bytes[leaf], 0x0d);
    bytes[leaf + 7] = bytes[leaf + 7]! + 17;
    writeFileSync(path, bytes);
    const before = sha256(path);

    const error = openFails(dataDir);
    assert.equal(error.reason, 'store.file_damaged');
    assert.equal(error.code, 'integrity');
    assert.deepEqual(error.details, { check: 'quick_check', problems: 1 });
    assert.match(error.message, /restore the store from its backup/);
    assert.equal(sha256(path), before);

    const listed = await cli(dataDir, 'visit', 'list');
    assert.equal(listed.code, 1);
    assert.match(
      listed.err,
      /^scribe: Part of the store file is damaged and cannot be read\. Ask IT to check the disk and restore the store/,
    );
  });

  test('scribe store check names the damage, exit 1; --json gives the report', async () => {
    const checked = await cli(dataDir, 'store', 'check');
    assert.equal(checked.code, 1);
    assert.match(checked.err, /Fragmentation of 0 bytes reported as 17 on page \d+/);
    assert.match(checked.err, /scribe: Part of the store file is damaged/);
    const json = await cli(dataDir, 'store', 'check', '--json');
    assert.equal(json.code, 1);
    const report = JSON.parse(json.out) as { ok: boolean; problems: string[]; bytes: number };
    assert.equal(report.ok, false);
    assert.ok(report.problems.length >= 1 && report.problems.length <= 20);
    assert.equal(report.bytes, readFileSync(path).length);
  });

  test('a file that is not a database is damaged too, not an unexpected error', async () => {
    const dir = join(tmp.dir, 'not-a-db');
    mkdirSync(dir);
    writeFileSync(join(dir, DATABASE_FILE), Buffer.alloc(8192, 0x5a));
    const error = openFails(dir);
    assert.equal(error.reason, 'store.file_damaged');
    assert.equal(error.details?.['sqlite'], 'SQLITE_NOTADB');
    const checked = await cli(dir, 'store', 'check');
    assert.equal(checked.code, 1);
    assert.match(checked.err, /SQLite could not read the file \(SQLITE_NOTADB\)/);
  });
});
