import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'vitest';
import { createRotatingFile, createRotatingFileLogger } from '../../../main/log/rotating-file.js';
import { tempDir } from '../../helpers/temp-store.js';

const line = (i: number) => `${JSON.stringify({ i, pad: 'x'.repeat(80) })}\n`;

test('rotates by size and keeps at most maxFiles files, newest lines in the base file', () => {
  const tmp = tempDir('scribe-log-');
  try {
    const file = createRotatingFile({ dir: join(tmp.dir, 'logs'), fileName: 'main.log', maxBytes: 1000, maxFiles: 3 });
    for (let i = 0; i < 100; i += 1) file.write(line(i));
    file.close();
    const names = readdirSync(join(tmp.dir, 'logs')).sort();
    assert.deepEqual(names, ['main.log', 'main.log.1', 'main.log.2']);
    for (const name of names) assert.ok(statSync(join(tmp.dir, 'logs', name)).size <= 1000, name);
    const newest = readFileSync(join(tmp.dir, 'logs', 'main.log'), 'utf8')
      .trim()
      .split('\n');
    assert.equal((JSON.parse(newest.at(-1) ?? '{}') as { i: number }).i, 99);
    const older = readFileSync(join(tmp.dir, 'logs', 'main.log.2'), 'utf8')
      .trim()
      .split('\n');
    const firstOlder = (JSON.parse(older[0] ?? '{}') as { i: number }).i;
    const lastNewest = (JSON.parse(newest[0] ?? '{}') as { i: number }).i;
    assert.ok(firstOlder < lastNewest, 'the numbered files hold older lines');
    // No line was split across files, and lines are continuous across the kept files.
    const all = ['main.log.2', 'main.log.1', 'main.log'].flatMap((n) =>
      readFileSync(join(tmp.dir, 'logs', n), 'utf8')
        .trim()
        .split('\n'),
    );
    const seq = all.map((l) => (JSON.parse(l) as { i: number }).i);
    assert.deepEqual(
      seq,
      Array.from({ length: seq.length }, (_, k) => 100 - seq.length + k),
    );
  } finally {
    tmp.cleanup();
  }
});

test('appends to an existing log after a restart and creates files readable by the user only', () => {
  const tmp = tempDir('scribe-log-');
  try {
    const options = { dir: tmp.dir, fileName: 'main.log', maxBytes: 10_000, maxFiles: 2 };
    const first = createRotatingFile(options);
    first.write(line(1));
    first.close();
    const second = createRotatingFile(options);
    second.write(line(2));
    second.close();
    assert.equal(readFileSync(join(tmp.dir, 'main.log'), 'utf8'), line(1) + line(2));
    if (process.platform !== 'win32') assert.equal(statSync(join(tmp.dir, 'main.log')).mode & 0o777, 0o600);
  } finally {
    tmp.cleanup();
  }
});

test('a logger whose folder cannot be created loses lines, not the app', () => {
  const tmp = tempDir('scribe-log-');
  try {
    const blocked = join(tmp.dir, 'file-not-folder');
    createRotatingFile({ dir: tmp.dir, fileName: 'file-not-folder' }).write('x\n');
    const logger = createRotatingFileLogger({ dir: join(blocked, 'logs'), fileName: 'main.log' });
    assert.doesNotThrow(() => logger.info('app.started', { ms: 1 }));
    logger.close();
  } finally {
    tmp.cleanup();
  }
});
