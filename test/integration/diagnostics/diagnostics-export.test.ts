import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { createRotatingFileLogger } from '../../../main/log/rotating-file.js';
import { CLI_MISSING, cliBuilt, scribe } from '../../helpers/cli.js';
import { SENTINEL, tempDir } from '../../helpers/temp-store.js';
import { skipWhen } from '../../helpers/skip.js';

/**
 * The support bundle, made by the built CLI from a real store and real log files that were fed
 * patient names, MRNs, dates of birth and note text (through the logger, and as raw lines an older
 * version might have left behind). None of it may be in the log files the logger wrote, on the
 * CLI's stderr, or anywhere in the bundle.
 */

const NOTE_TEXT = 'Assessment: community-acquired pneumonia; Zzyzx to return in 48 hours';
const PHI = [
  SENTINEL.name,
  'Zzyzx',
  'Quillfeather',
  SENTINEL.mrn,
  '77341',
  SENTINEL.birthDate,
  SENTINEL.patientId,
  'pneumonia',
  'return in 48 hours',
];

function assertNoPhi(where: string, text: string) {
  for (const phi of PHI) assert.ok(!text.toLowerCase().includes(phi.toLowerCase()), `${where} contains "${phi}"`);
}

describe('scribe diagnostics export', skipWhen(cliBuilt ? false : CLI_MISSING), () => {
  const tmp = tempDir('scribe-diag-');
  const dataDir = join(tmp.dir, 'data');
  const logDir = join(tmp.dir, 'logs');
  const env = {
    SCRIBE_DATA_DIR: dataDir,
    SCRIBE_PASSPHRASE: 'diagnostics passphrase',
    SCRIBE_USER: 'dr-diag',
    SCRIBE_LOG: 'json',
    SCRIBE_LOG_DIR: logDir,
  };
  let stderrSeen = '';

  beforeAll(() => {
    const run = (args: string[]) => {
      const result = scribe(args, env);
      assert.equal(result.status, 0, result.stderr);
      stderrSeen += result.stderr;
      return result;
    };
    run(['init']);
    for (let i = 0; i < 3; i += 1) {
      run([
        'visit',
        'create',
        '--patient',
        `${SENTINEL.patientId}-${i}`,
        '--name',
        SENTINEL.name,
        '--mrn',
        SENTINEL.mrn,
        '--birth-date',
        SENTINEL.birthDate,
        '--reason',
        NOTE_TEXT,
      ]);
    }
    run(['visit', 'list']);
    // A careless caller, through the real logger, into the desktop app's log file name.
    const logger = createRotatingFileLogger({ dir: logDir, fileName: 'main.log', maxBytes: 4096, maxFiles: 5 });
    for (let i = 0; i < 40; i += 1) {
      logger.error('note.save_failed', {
        visitId: '0b9d3c5e-8f1a-4e2b-b7c6-1d2e3f4a5b6c',
        patient: SENTINEL.name,
        mrn: SENTINEL.mrn,
        dob: SENTINEL.birthDate,
        text: NOTE_TEXT,
        code: 'internal',
      });
    }
    logger.close();
    // Raw lines from "an older version" that logged without redaction, and a torn last line.
    writeFileSync(
      join(logDir, 'legacy.log'),
      `${JSON.stringify({ at: '2026-01-01T00:00:00.000Z', level: 'info', event: 'visit.created', patientName: SENTINEL.name, mrn: SENTINEL.mrn, note: NOTE_TEXT })}\n` +
        `${JSON.stringify({ at: '2026-01-01T00:00:01.000Z', level: 'info', event: `opened ${SENTINEL.name}`, state: SENTINEL.mrn })}\n` +
        `{"at":"2026-01-01T00:00:02.000Z","event":"x","name":"${SENTINEL.name}`,
    );
  });
  afterAll(() => tmp.cleanup());

  test('the log files written by the logger hold none of the patient data they were fed', () => {
    const written = readdirSync(logDir)
      .filter((f) => f !== 'legacy.log')
      .map((f) => readFileSync(join(logDir, f), 'utf8'))
      .join('');
    assert.ok(written.includes('"event":"api.call"'), 'the CLI logged its calls');
    assert.ok(written.includes('"event":"note.save_failed"'));
    assertNoPhi('the log files', written);
    assertNoPhi('the CLI stderr', stderrSeen);
    assert.ok(stderrSeen.includes('"channel":"visit:create"'), 'SCRIBE_LOG=json wrote lines to stderr');
  });

  test('the bundle has what support needs and no patient data', () => {
    const file = join(tmp.dir, 'support.zip');
    const result = scribe(['diagnostics', 'export', file, '--lines', '1000'], env);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Wrote .*support\.zip/);
    const files = unzipSync(readFileSync(file));
    assert.deepEqual(Object.keys(files).sort(), [
      'README.txt',
      'logs-summary.json',
      'logs.jsonl',
      'manifest.json',
      'settings.json',
      'store.json',
    ]);
    const text = (name: string) => strFromU8(files[name] ?? new Uint8Array());
    for (const name of Object.keys(files)) assertNoPhi(`bundle ${name}`, text(name));

    const manifest = JSON.parse(text('manifest.json')) as {
      app: { name: string; version: string };
      platform: { os: string };
      schemaVersion: number;
    };
    assert.equal(manifest.app.name, 'Ambient Scribe');
    assert.equal(manifest.platform.os, process.platform);
    assert.ok(manifest.schemaVersion >= 1);
    const store = JSON.parse(text('store.json')) as {
      available: boolean;
      audit: { ok: boolean; entries: number };
      tables: Record<string, number>;
      visitsByState: Record<string, number>;
    };
    assert.equal(store.available, true);
    assert.equal(store.audit.ok, true);
    assert.ok(store.audit.entries >= 4);
    assert.equal(store.tables['visits'], 3);
    assert.deepEqual(store.visitsByState, { not_started: 3 });
    const settings = JSON.parse(text('settings.json')) as {
      policy: { valid: boolean };
      settings: Record<string, { value: unknown; source: string }>;
    };
    assert.equal(settings.policy.valid, true);
    assert.deepEqual(settings.settings['audioMayLeaveDevice'], { value: false, source: 'default', locked: false });

    const logLines = text('logs.jsonl')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(logLines.some((l) => l['event'] === 'api.call' && l['channel'] === 'visit:create'));
    assert.ok(
      logLines.some((l) => l['event'] === 'visit.created' && l['patientName'] === '[redacted]'),
      'legacy lines are redacted on export',
    );
    assert.ok(logLines.some((l) => l['event'] === 'invalid_event'));
    assert.deepEqual(JSON.parse(text('logs-summary.json')), { lines: logLines.length, unreadableLines: 1 });
  });

  test('never overwrites a file', () => {
    const file = join(tmp.dir, 'exists.zip');
    writeFileSync(file, 'keep me');
    const result = scribe(['diagnostics', 'export', file], env);
    assert.equal(result.status, 1);
    assert.equal(readFileSync(file, 'utf8'), 'keep me');
  });

  test('without the key, or with a broken policy, the bundle is still written and says why parts are missing', () => {
    const locked = join(tmp.dir, 'locked.zip');
    const noKey = { ...env, SCRIBE_PASSPHRASE: '' };
    assert.equal(scribe(['diagnostics', 'export', locked], noKey).status, 0);
    assert.deepEqual(JSON.parse(strFromU8(unzipSync(readFileSync(locked))['store.json'] ?? new Uint8Array())), {
      available: false,
      code: 'store_locked',
    });

    const badPolicy = join(tmp.dir, 'bad-policy.json');
    writeFileSync(badPolicy, '{"consentRequired": "maybe"}');
    const broken = join(tmp.dir, 'broken.zip');
    assert.equal(scribe(['diagnostics', 'export', broken], { ...env, SCRIBE_POLICY_FILE: badPolicy }).status, 0);
    const bundle = unzipSync(readFileSync(broken));
    const settings = JSON.parse(strFromU8(bundle['settings.json'] ?? new Uint8Array())) as {
      policy: { valid: boolean; problems: { field: string }[] };
      settings: unknown;
    };
    assert.equal(settings.policy.valid, false);
    assert.deepEqual(
      settings.policy.problems.map((p) => p.field),
      ['consentRequired'],
    );
    assert.deepEqual(JSON.parse(strFromU8(bundle['store.json'] ?? new Uint8Array())), { available: false, code: 'policy_invalid' });
  });
});
