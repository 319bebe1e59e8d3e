import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'vitest';
import { readLogTail } from '../../../main/diagnostics/log-tail.js';
import { settingsForSupport } from '../../../main/diagnostics/diagnostics-bundle.js';
import { resolveEffectiveSettings } from '../../../main/policy/effective-settings.js';
import { settingDefaults } from '../../../shared/domain/policy.js';
import { tempDir } from '../../helpers/temp-store.js';

const line = (second: number, event = 'api.call') =>
  `${JSON.stringify({ at: `2026-11-21T09:30:${String(second).padStart(2, '0')}.000Z`, level: 'info', event, n: second })}\n`;

test('the newest lines across rotated files and several logs, oldest first, limited', () => {
  const tmp = tempDir('scribe-tail-');
  try {
    writeFileSync(join(tmp.dir, 'main.log.2'), line(1) + line(2));
    writeFileSync(join(tmp.dir, 'main.log.1'), line(3) + line(5));
    writeFileSync(join(tmp.dir, 'main.log'), line(7) + line(9));
    writeFileSync(join(tmp.dir, 'scribe-cli.log'), line(4) + line(8) + 'not json\n');
    writeFileSync(join(tmp.dir, 'notes.txt'), line(6));
    const tail = readLogTail(tmp.dir, 5);
    assert.deepEqual(
      tail.records.map((r) => r['n']),
      [4, 5, 7, 8, 9],
    );
    assert.deepEqual(readLogTail(join(tmp.dir, 'absent'), 10), { records: [], unreadable: 0 });
    const all = readLogTail(tmp.dir, 100);
    assert.deepEqual(
      all.records.map((r) => r['n']),
      [1, 2, 3, 4, 5, 7, 8, 9],
      'notes.txt is not a log',
    );
    assert.equal(all.unreadable, 1);
  } finally {
    tmp.cleanup();
  }
});

test('support sees where settings came from, and key material only as set / not set', () => {
  const view = {
    settings: resolveEffectiveSettings(
      settingDefaults,
      {},
      { fhirPrivateKeyFile: 'C:\\ProgramData\\Ambient Scribe\\key.pem', mllpHost: 'hl7.example.org' },
    ),
    policy: { file: 'C:\\ProgramData\\Ambient Scribe\\policy.json', locked: ['fhirPrivateKeyFile', 'mllpHost'] },
  };
  const out = settingsForSupport(view);
  assert.deepEqual(out['fhirPrivateKeyFile'], { value: '(set)', source: 'policy', locked: true });
  assert.deepEqual(out['mllpHost'], { value: 'hl7.example.org', source: 'policy', locked: true });
  assert.ok(!JSON.stringify(out).includes('key.pem'));
});
