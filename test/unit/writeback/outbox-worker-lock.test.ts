import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'vitest';
import { DEFAULT_BACKOFF, OUTBOX_INTERVAL_MS, retryDelayMs } from '../../../main/writeback/backoff.js';
import { OUTBOX_LOCK_FILE, startOutboxWorkerOnce, tryOutboxLock } from '../../../main/writeback/outbox-worker-lock.js';
import { nullLogger } from '../../../main/log/logger.js';

const dirs: string[] = [];
const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'outbox-lock-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('one outbox timer per data folder', () => {
  it('the first process takes the lock; a second, while the first lives, does not', () => {
    const dir = folder();
    const alive = new Set([100, 200]);
    assert.equal(tryOutboxLock(dir, { pid: 100, isAlive: (pid) => alive.has(pid) }), true);
    assert.equal(tryOutboxLock(dir, { pid: 200, isAlive: (pid) => alive.has(pid) }), false);
    assert.equal(readFileSync(join(dir, OUTBOX_LOCK_FILE), 'utf8'), '100\n');
  });

  it('a lock whose process is gone is taken over', () => {
    const dir = folder();
    writeFileSync(join(dir, OUTBOX_LOCK_FILE), '4242\n');
    assert.equal(tryOutboxLock(dir, { pid: 200, isAlive: () => false }), true);
    assert.equal(readFileSync(join(dir, OUTBOX_LOCK_FILE), 'utf8'), '200\n');
  });

  it('starts the worker only in the holder, and releases the lock on stop', async () => {
    const dir = folder();
    const started: string[] = [];
    const worker = (name: string) => ({ start: () => void started.push(name), stop: () => Promise.resolve() });
    const alive = () => true;
    const first = startOutboxWorkerOnce({
      worker: worker('first'),
      dataDir: dir,
      intervalMs: 60_000,
      logger: nullLogger,
      probe: { pid: 1, isAlive: alive },
    });
    const second = startOutboxWorkerOnce({
      worker: worker('second'),
      dataDir: dir,
      intervalMs: 60_000,
      logger: nullLogger,
      probe: { pid: 2, isAlive: alive },
    });
    assert.deepEqual(started, ['first']);
    assert.equal(second.holding(), false);
    await first.stop();
    assert.equal(tryOutboxLock(dir, { pid: 2, isAlive: alive }), true, 'free once the holder stopped');
    await second.stop();
  });

  it('the product timings bring a note to an EHR that came back within a minute', () => {
    for (const attempt of [1, 2, 5, 50]) {
      const longest = retryDelayMs(attempt, DEFAULT_BACKOFF, () => 1) + OUTBOX_INTERVAL_MS;
      assert.ok(longest < 60_000, `attempt ${attempt}: at most ${longest} ms`);
    }
  });
});
