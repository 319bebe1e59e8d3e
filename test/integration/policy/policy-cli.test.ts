import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { SettingsView } from '../../../shared/domain/policy.js';
import { CLI_MISSING, cliBuilt, scribe } from '../../helpers/cli.js';
import { SENTINEL, tempDir } from '../../helpers/temp-store.js';
import { skipWhen } from '../../helpers/skip.js';

describe('scribe policy', skipWhen(cliBuilt ? false : CLI_MISSING), () => {
  const tmp = tempDir('scribe-policy-cli-');
  const good = join(tmp.dir, 'good.json');
  const bad = join(tmp.dir, 'bad.json');
  const dataDir = join(tmp.dir, 'data');
  const env = { SCRIBE_DATA_DIR: dataDir, SCRIBE_PASSPHRASE: 'policy cli passphrase', SCRIBE_USER: 'dr-policy' };

  beforeAll(() => {
    writeFileSync(good, JSON.stringify({ $schema: './policy.schema.json', audioMayLeaveDevice: false, transcriptionEngines: ['local'] }));
    writeFileSync(bad, '{\n  "audioMayLeaveDevic": false,\n  "mllpPort": 70000,\n  "ehrRouting": "fax"\n}\n');
    const init = scribe(['init'], env);
    assert.equal(init.status, 0, init.stderr);
  });
  afterAll(() => tmp.cleanup());

  test('validate: a valid file exits 0 and says what it locks', () => {
    const result = scribe(['policy', 'validate', good], env);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), `${good} is a valid policy. It locks 2 settings: transcriptionEngines, audioMayLeaveDevice.`);
  });

  test('validate: an invalid file exits 1 with one line per field and its reason', () => {
    const result = scribe(['policy', 'validate', bad], env);
    assert.equal(result.status, 1);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines[0], `${bad} is NOT a valid policy (3 problems):`);
    assert.ok(lines.includes('  audioMayLeaveDevic: is not a setting Ambient Scribe knows (check the spelling)'), result.stdout);
    assert.ok(
      lines.some((l) => /^ {2}mllpPort: .*65535/.test(l)),
      result.stdout,
    );
    assert.ok(
      lines.some((l) => /^ {2}ehrRouting: .*fhir/.test(l)),
      result.stdout,
    );
    const json = JSON.parse(scribe(['policy', 'validate', bad, '--json'], env).stdout) as { valid: boolean; problems: { field: string }[] };
    assert.equal(json.valid, false);
    assert.equal(json.problems.length, 3);
    assert.equal(scribe(['policy', 'validate', join(tmp.dir, 'missing.json')], env).status, 1);
  });

  test('show: every setting with its value, where it came from, and whether it is locked', () => {
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ audioRetentionDays: 30, audioMayLeaveDevice: true }));
    const result = scribe(['policy', 'show', '--json'], { ...env, SCRIBE_POLICY_FILE: good });
    assert.equal(result.status, 0, result.stderr);
    const view = JSON.parse(result.stdout) as SettingsView;
    assert.equal(view.policy.file, good);
    assert.deepEqual(view.settings.audioMayLeaveDevice, { value: false, source: 'policy', locked: true });
    assert.deepEqual(view.settings.audioRetentionDays, { value: 30, source: 'user', locked: false });
    assert.deepEqual(view.settings.consentRequired, { value: true, source: 'default', locked: false });
    const text = scribe(['policy', 'show'], { ...env, SCRIBE_POLICY_FILE: good }).stdout;
    assert.match(text, /^Machine policy: .*good\.json \(locks 2 settings\)/);
    assert.match(text, /audioMayLeaveDevice\s+locked\s+policy\s+false/);
    assert.match(text, /audioRetentionDays\s+user\s+30/);
  });

  test('an invalid machine policy stops every command that opens the store, naming field and reason; the store is untouched', () => {
    const before = readdirSync(dataDir).sort();
    for (const args of [
      ['visit', 'list'],
      ['visit', 'create', '--patient', SENTINEL.patientId, '--name', SENTINEL.name],
      ['policy', 'show'],
    ]) {
      const result = scribe(args, { ...env, SCRIBE_POLICY_FILE: bad });
      assert.equal(result.status, 1, args.join(' '));
      assert.match(result.stderr, /cannot be used, so Ambient Scribe will not start/);
      assert.match(result.stderr, /audioMayLeaveDevic: is not a setting/);
      assert.match(result.stderr, /mllpPort: /);
      assert.ok(!result.stderr.includes(SENTINEL.name));
      assert.equal(result.stdout, '');
    }
    assert.deepEqual(readdirSync(dataDir).sort(), before);
    const listed = scribe(['visit', 'list', '--json'], env);
    assert.equal(listed.status, 0, listed.stderr);
    assert.ok(!listed.stdout.includes(SENTINEL.patientId), 'the refused create did not happen');
  });

  test('a missing policy file is no policy', () => {
    const result = scribe(['policy', 'show', '--json'], { ...env, SCRIBE_POLICY_FILE: join(tmp.dir, 'nope', 'policy.json') });
    assert.equal(result.status, 0, result.stderr);
    const view = JSON.parse(result.stdout) as SettingsView;
    assert.equal(view.policy.file, null);
    assert.deepEqual(view.policy.locked, []);
  });

  test('schema prints the published JSON Schema', () => {
    const result = scribe(['policy', 'schema'], env);
    assert.equal(result.status, 0);
    const schema = JSON.parse(result.stdout) as { title: string; additionalProperties: boolean; properties: Record<string, unknown> };
    assert.equal(schema.title, 'Ambient Scribe machine policy');
    assert.equal(schema.additionalProperties, false);
    assert.ok('audioMayLeaveDevice' in schema.properties);
  });
});
