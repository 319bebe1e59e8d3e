import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { DATABASE_FILE } from '../../../main/store/store.js';
import { AUDIT_ANCHOR_FILE } from '../../../main/audit/audit-anchor.js';
import { CLI_MISSING, cliBuilt, scribe } from '../../helpers/cli.js';
import { SENTINEL, tempDir } from '../../helpers/temp-store.js';
import { skipWhen } from '../../helpers/skip.js';

/** Makes a store with a few visits (so a few audit entries) and returns its folder. */
function storeWithEntries(): { dir: string; env: Record<string, string>; cleanup(): void } {
  const tmp = tempDir('scribe-audit-');
  const env = { SCRIBE_DATA_DIR: tmp.dir, SCRIBE_PASSPHRASE: 'audit test passphrase', SCRIBE_USER: 'dr-audit' };
  assert.equal(scribe(['init'], env).status, 0);
  for (let i = 0; i < 4; i += 1) {
    const created = scribe(['visit', 'create', '--patient', `${SENTINEL.patientId}-${i}`, '--name', SENTINEL.name], env);
    assert.equal(created.status, 0, created.stderr);
  }
  return { ...tmp, env };
}

/** An attacker with file access: drops the append-only triggers, then edits rows. */
function tamper(dir: string, sql: string[]): void {
  const db = new BetterSqlite3(`${dir}/${DATABASE_FILE}`);
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  for (const statement of sql) db.exec(statement);
  db.close();
}

describe('scribe audit verify', skipWhen(cliBuilt ? false : CLI_MISSING), () => {
  test('an untouched log verifies with exit code 0', () => {
    const s = storeWithEntries();
    try {
      const result = scribe(['audit', 'verify'], s.env);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /Audit log intact: 5 entries verified/);
    } finally {
      s.cleanup();
    }
  });

  const cases: { name: string; sql: string[]; expect: RegExp; kind: string }[] = [
    {
      name: 'an edited entry',
      sql: ["UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3"],
      expect: /entry 3: \[edited\]/,
      kind: 'edited',
    },
    {
      name: 'a deleted entry',
      sql: ['DELETE FROM audit_log WHERE seq = 2'],
      expect: /entry 2: \[deleted\] Entry 2 is missing/,
      kind: 'deleted',
    },
    {
      name: 'two reordered entries',
      sql: [
        'UPDATE audit_log SET seq = -1 WHERE seq = 2',
        'UPDATE audit_log SET seq = 2 WHERE seq = 3',
        'UPDATE audit_log SET seq = 3 WHERE seq = -1',
      ],
      expect: /entry 2: \[reordered\] Entry 2 was written as entry 3/,
      kind: 'reordered',
    },
    {
      name: 'the newest entries cut off',
      sql: ['DELETE FROM audit_log WHERE seq >= 4'],
      expect: /entry 4: \[truncated\]/,
      kind: 'truncated',
    },
    {
      name: 'a forged entry with a recomputed plain hash',
      sql: ["UPDATE audit_log SET action = 'visit.viewed', hash = lower(hex(randomblob(32))) WHERE seq = 5"],
      expect: /entry 5: \[edited\]/,
      kind: 'edited',
    },
    {
      name: 'the newest entries cut off and the head rewritten to the last kept entry',
      sql: ['DELETE FROM audit_log WHERE seq >= 4', 'UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_log WHERE seq = 3)'],
      expect: /entry 3: \[edited\] The log's head record was altered/,
      kind: 'edited',
    },
    {
      name: 'every entry and the head deleted',
      sql: ['DELETE FROM audit_log', 'DELETE FROM audit_head'],
      expect: /entry 1: \[not_started\]/,
      kind: 'not_started',
    },
    { name: 'the log table dropped', sql: ['DROP TABLE audit_log'], expect: /entry 0: \[missing_table\]/, kind: 'missing_table' },
  ];
  for (const c of cases) {
    test(`reports ${c.name} with a non-zero exit code`, () => {
      const s = storeWithEntries();
      try {
        tamper(s.dir, c.sql);
        const result = scribe(['audit', 'verify'], s.env);
        assert.equal(result.status, 3, `exit code for ${c.name}`);
        assert.match(result.stdout, /Audit log BROKEN/);
        assert.match(result.stdout, c.expect);
        const json = JSON.parse(scribe(['audit', 'verify', '--json'], s.env).stdout) as { ok: boolean; problems: { kind: string }[] };
        assert.equal(json.ok, false);
        assert.ok(json.problems.some((p) => p.kind === c.kind));
      } finally {
        s.cleanup();
      }
    });
  }

  test('a log emptied and then written again does not pass as a new store', () => {
    const s = storeWithEntries();
    try {
      tamper(s.dir, ['DELETE FROM audit_log', 'DELETE FROM audit_head']);
      assert.equal(scribe(['visit', 'create', '--patient', 'p-after'], s.env).status, 0);
      const result = scribe(['audit', 'verify'], s.env);
      assert.equal(result.status, 3);
      assert.match(result.stdout, /entry 1: \[not_started\] Entry 1 is not the store's creation/);
      assert.match(result.stdout, /\[rolled_back\]/);
    } finally {
      s.cleanup();
    }
  });

  test('an older copy of the database put back is detected by the anchor beside it', () => {
    const s = storeWithEntries();
    try {
      const files = readdirSync(s.dir).filter((name) => name.startsWith(DATABASE_FILE));
      const saved = files.map((name) => ({ name, data: readFileSync(join(s.dir, name)) }));
      assert.equal(scribe(['visit', 'create', '--patient', 'p-later'], s.env).status, 0);
      for (const name of readdirSync(s.dir).filter((n) => n.startsWith(DATABASE_FILE))) rmSync(join(s.dir, name));
      for (const file of saved) writeFileSync(join(s.dir, file.name), file.data);
      const result = scribe(['audit', 'verify'], s.env);
      assert.equal(result.status, 3, result.stdout);
      assert.match(
        result.stdout,
        /entry 6: \[rolled_back\] The database is older than its audit anchor: entries up to 6 were written, the log now ends at 5/,
      );
    } finally {
      s.cleanup();
    }
  });

  test('a deleted or forged anchor file is reported', () => {
    const s = storeWithEntries();
    try {
      const anchorFile = join(s.dir, AUDIT_ANCHOR_FILE);
      const anchor = JSON.parse(readFileSync(anchorFile, 'utf8')) as { seq: number };
      assert.equal(anchor.seq, 5, 'the anchor follows the newest entry');
      writeFileSync(anchorFile, JSON.stringify({ ...anchor, seq: 99 }));
      const forged = scribe(['audit', 'verify'], s.env);
      assert.equal(forged.status, 3);
      assert.match(forged.stdout, /\[anchor_invalid\] The audit anchor file beside the database was not written by this store/);
      rmSync(anchorFile);
      const missing = scribe(['audit', 'verify'], s.env);
      assert.equal(missing.status, 3);
      assert.match(missing.stdout, /entry 5: \[anchor_invalid\] The audit anchor file beside the database is missing/);
    } finally {
      s.cleanup();
    }
  });

  test('the raw log refuses updates and deletes while its triggers stand', () => {
    const s = storeWithEntries();
    try {
      const db = new BetterSqlite3(`${s.dir}/${DATABASE_FILE}`);
      assert.throws(() => db.exec("UPDATE audit_log SET actor = 'x' WHERE seq = 1"), /append-only/);
      assert.throws(() => db.exec('DELETE FROM audit_log'), /append-only/);
      db.close();
    } finally {
      s.cleanup();
    }
  });

  test('export writes every entry as JSON lines, without PHI, and never overwrites a file', () => {
    const s = storeWithEntries();
    try {
      const file = `${s.dir}/audit.jsonl`;
      const result = scribe(['audit', 'export', file], s.env);
      assert.equal(result.status, 0, result.stderr);
      const text = readFileSync(file, 'utf8');
      const lines = text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { seq: number; action: string; actor: string });
      assert.deepEqual(
        lines.map((l) => l.seq),
        [1, 2, 3, 4, 5, 6],
      );
      assert.deepEqual(
        lines.map((l) => l.action),
        ['store.created', 'visit.created', 'visit.created', 'visit.created', 'visit.created', 'audit.exported'],
      );
      assert.equal(lines[1]?.actor, 'dr-audit');
      assert.ok(!text.includes(SENTINEL.name) && !text.includes(SENTINEL.patientId));
      const again = scribe(['audit', 'export', file], s.env);
      assert.equal(again.status, 1);
      assert.match(again.stderr, /already exists/);
      // The export itself is audited, and a scribe may not export, from the CLI as in the app.
      const second = `${s.dir}/audit-2.jsonl`;
      assert.equal(scribe(['audit', 'export', second], s.env).status, 0);
      const actions = readFileSync(second, 'utf8')
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { action: string }).action);
      assert.deepEqual(actions.slice(-2), ['audit.exported', 'audit.exported'], 'each export is in the log it writes');
      const byScribe = scribe(['audit', 'export', `${s.dir}/by-scribe.jsonl`], { ...s.env, SCRIBE_ROLE: 'scribe' });
      assert.equal(byScribe.status, 1);
      assert.match(byScribe.stderr, /Scribes cannot export the audit log/);
      assert.ok(!existsSync(`${s.dir}/by-scribe.jsonl`));
    } finally {
      s.cleanup();
    }
  });
});

describe('scribe visits and keys', skipWhen(cliBuilt ? false : CLI_MISSING), () => {
  const tmp = tempDir('scribe-cli-');
  const env = { SCRIBE_DATA_DIR: tmp.dir, SCRIBE_PASSPHRASE: 'visit test passphrase' };
  beforeAll(() => assert.equal(scribe(['init'], env).status, 0));
  afterAll(() => tmp.cleanup());

  test('creates, lists and shows a visit as JSON', () => {
    const created = scribe(['visit', 'create', '--patient', 'pat-1', '--encounter', 'enc-1', '--name', 'Test Patient', '--json'], env);
    assert.equal(created.status, 0, created.stderr);
    const visit = JSON.parse(created.stdout) as { id: string; patientId: string; encounterId: string; state: string };
    assert.equal(visit.patientId, 'pat-1');
    assert.equal(visit.encounterId, 'enc-1');
    assert.equal(visit.state, 'not_started');
    const list = JSON.parse(scribe(['visit', 'list', '--json'], env).stdout) as { id: string; patientName: string }[];
    assert.ok(list.some((v) => v.id === visit.id && v.patientName === 'Test Patient'));
    const shown = JSON.parse(scribe(['visit', 'show', visit.id, '--json'], env).stdout) as { id: string; patient: { displayName: string } };
    assert.equal(shown.patient.displayName, 'Test Patient');
  });

  test('bad input gets a clear error, never a stack trace or the input echoed', () => {
    const missing = scribe(['visit', 'show', '00000000-0000-4000-8000-000000000000'], env);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /The visit was not found/);
    const badDate = scribe(['visit', 'create', '--patient', 'p', '--birth-date', `${SENTINEL.name}`], env);
    assert.equal(badDate.status, 1);
    assert.match(badDate.stderr, /Invalid request: check patient\.birthDate/);
    assert.ok(!badDate.stderr.includes(SENTINEL.name));
    assert.ok(!/at .*\.js:\d+/.test(badDate.stderr));
  });

  test('a wrong passphrase or no key is refused clearly', () => {
    const wrong = scribe(['visit', 'list'], { ...env, SCRIBE_PASSPHRASE: 'wrong passphrase!' });
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /does not open this store/);
    const none = scribe(['visit', 'list'], { SCRIBE_DATA_DIR: tmp.dir });
    assert.equal(none.status, 1);
    assert.match(none.stderr, /set SCRIBE_PASSPHRASE or pass --key-file/);
  });

  test('a key-file store works end to end', () => {
    const t = tempDir('scribe-keyfile-');
    try {
      const keyEnv = { SCRIBE_DATA_DIR: `${t.dir}/data` };
      const init = scribe(['--key-file', `${t.dir}/store.key`, 'init', '--create-key-file'], keyEnv);
      assert.equal(init.status, 0, init.stderr);
      assert.equal(scribe(['--key-file', `${t.dir}/store.key`, 'visit', 'create', '--patient', 'p9'], keyEnv).status, 0);
      assert.match(scribe(['--key-file', `${t.dir}/store.key`, 'visit', 'list'], keyEnv).stdout, /patient p9/);
      const noStore = scribe(['visit', 'list'], { SCRIBE_DATA_DIR: `${t.dir}/none`, SCRIBE_PASSPHRASE: 'whatever passphrase' });
      assert.match(noStore.stderr, /No store in .* Run `scribe init` first/);
    } finally {
      t.cleanup();
    }
  });
});
