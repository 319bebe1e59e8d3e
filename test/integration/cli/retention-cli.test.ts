import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { DATABASE_FILE } from '../../../main/store/store.js';
import { CLI_MISSING, cliBuilt, scribe } from '../../helpers/cli.js';
import { RECORDED_FRAMES, foundIn, openDeliveringScribe, pcmRuns, recordedVisit, storeFiles } from '../../helpers/recorded-visit.js';
import { skipWhen } from '../../helpers/skip.js';
import { tempDir } from '../../helpers/temp-store.js';

const PASSPHRASE = 'retention cli passphrase';
const DAY = 86_400_000;

/**
 * `scribe retention run` and `scribe visit erase` on a store made in-process a month ago: one
 * visit delivered, one whose note the EHR refused (signed, not delivered), one only recorded.
 */
describe('scribe retention run and scribe visit erase', skipWhen(cliBuilt ? false : CLI_MISSING), () => {
  const tmp = tempDir('scribe-retention-cli-');
  const policyFile = join(tmp.dir, 'policy.json');
  const env = { SCRIBE_DATA_DIR: tmp.dir, SCRIBE_PASSPHRASE: PASSPHRASE, SCRIBE_USER: 'it-ops', SCRIBE_POLICY_FILE: policyFile };
  const ids = { delivered: '', signed: '', recorded: '' };
  let deliveredFrames: Buffer[] = [];

  const count = (sql: string, ...params: unknown[]) => {
    const db = new BetterSqlite3(join(tmp.dir, DATABASE_FILE), { readonly: true });
    try {
      return (db.prepare(sql).get(...params) as { n: number }).n;
    } finally {
      db.close();
    }
  };
  const chunks = (visitId: string) => count('SELECT COUNT(*) AS n FROM audio_chunks WHERE visit_id = ?', visitId);
  const keys = (visitId: string) => count('SELECT COUNT(*) AS n FROM audio_keys WHERE visit_id = ?', visitId);
  const audited = (action: string, actor: string, objectId: string) =>
    count('SELECT COUNT(*) AS n FROM audit_log WHERE action = ? AND actor = ? AND object_id = ?', action, actor, objectId);

  beforeAll(async () => {
    writeFileSync(policyFile, '{}');
    const refused = new Set<string>();
    const monthAgo = Date.now() - 30 * DAY;
    const app = openDeliveringScribe(tmp.dir, PASSPHRASE, { now: () => new Date(monthAgo) }, refused);
    try {
      const delivered = await recordedVisit(app, 1, 'delivered');
      deliveredFrames = delivered.frames;
      ids.delivered = delivered.visit.id;
      ids.signed = (await recordedVisit(app, 2, 'signed', (id) => refused.add(id))).visit.id;
      ids.recorded = (await recordedVisit(app, 3, 'recorded')).visit.id;
    } finally {
      app.close();
    }
  });
  afterAll(() => tmp.cleanup());

  test('--dry-run --json lists the delivered visit and changes nothing', () => {
    const result = scribe(['retention', 'run', '--dry-run', '--json'], env);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { dryRun: boolean; retentionDays: number; visits: { visitId: string }[] };
    assert.deepEqual([report.dryRun, report.retentionDays, report.visits.map((v) => v.visitId)], [true, 7, [ids.delivered]]);
    assert.deepEqual([chunks(ids.delivered), keys(ids.delivered)], [RECORDED_FRAMES, 1]);
    assert.equal(count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'audio.purged'"), 0);
  });

  test('a scribe may not run it', () => {
    const result = scribe(['retention', 'run'], { ...env, SCRIBE_ROLE: 'scribe' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /Scribes cannot run retention/);
    assert.equal(chunks(ids.delivered), RECORDED_FRAMES);
  });

  test('run --json destroys the delivered visit’s audio only, audited as the one who ran it', () => {
    const result = scribe(['retention', 'run', '--json'], env);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { dryRun: boolean; visits: { visitId: string; chunks: number }[]; fileScrubbed: boolean };
    assert.deepEqual(
      [report.dryRun, report.visits.map((v) => [v.visitId, v.chunks]), report.fileScrubbed],
      [false, [[ids.delivered, RECORDED_FRAMES]], true],
    );
    assert.deepEqual([chunks(ids.delivered), keys(ids.delivered)], [0, 0]);
    assert.equal(foundIn(storeFiles(tmp.dir), pcmRuns(deliveredFrames)), 0);
    assert.equal(audited('audio.purged', 'it-ops', ids.delivered), 1);
    assert.deepEqual([chunks(ids.signed), chunks(ids.recorded)], [RECORDED_FRAMES, RECORDED_FRAMES]);
    const again = scribe(['retention', 'run'], env);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /No visit's audio is due/);
  });

  test('visit erase: off by default, refused for a note not yet in the EHR, then erases a delivered visit', () => {
    const off = scribe(['visit', 'erase', ids.delivered], env);
    assert.equal(off.status, 1);
    assert.match(off.stderr, /may not erase visits/);

    writeFileSync(policyFile, JSON.stringify({ visitErasureRoles: ['admin'] }));
    const admin = { ...env, SCRIBE_ROLE: 'admin' };
    const undelivered = scribe(['visit', 'erase', ids.signed], admin);
    assert.equal(undelivered.status, 1);
    assert.match(undelivered.stderr, /has not reached the EHR yet/);
    assert.equal(count('SELECT COUNT(*) AS n FROM visits WHERE id = ?', ids.signed), 1);

    const erased = scribe(['visit', 'erase', ids.delivered, '--json'], admin);
    assert.equal(erased.status, 0, erased.stderr);
    assert.equal((JSON.parse(erased.stdout) as { visitId: string }).visitId, ids.delivered);
    assert.equal(count('SELECT COUNT(*) AS n FROM visits WHERE id = ?', ids.delivered), 0);
    assert.equal(count('SELECT COUNT(*) AS n FROM notes WHERE visit_id = ?', ids.delivered), 0);
    assert.equal(audited('visit.erased', 'it-ops', ids.delivered), 1);
    const verify = scribe(['audit', 'verify'], env);
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  });
});
