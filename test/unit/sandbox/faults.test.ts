import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { createFaultController } from '../../../main/sandbox/faults.js';

/** A fixed sequence of "random" numbers. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe('fault controller', () => {
  test('no faults by default', () => {
    const f = createFaultController();
    for (let i = 0; i < 100; i += 1) assert.equal(f.beforeRequest(), 'none');
    assert.equal(f.dropAfterCommit(), false);
  });

  test('rolls timeout, then error, then drop-after-commit, and counts them', () => {
    const f = createFaultController({ timeoutRate: 0.1, errorRate: 0.2, dropAfterCommitRate: 0.5 }, sequence(0.05, 0.5, 0.15, 0.9, 0.4));
    assert.equal(f.beforeRequest(), 'timeout');
    assert.equal(f.beforeRequest(), 'error', '0.5 >= timeout 0.1, then 0.15 < error 0.2');
    assert.equal(f.beforeRequest(), 'none');
    assert.equal(f.dropAfterCommit(), true);
    assert.deepEqual(f.counters(), { timeouts: 1, errors: 1, dropsAfterCommit: 1 });
  });

  test('updates are validated and merged; reset clears', () => {
    const f = createFaultController();
    assert.equal(f.update({ errorRate: 0.3 }).errorRate, 0.3);
    assert.equal(f.update({ delayMs: 10 }).errorRate, 0.3);
    assert.throws(() => f.update({ errorRate: 1.5 }));
    assert.equal(f.reset().errorRate, 0);
  });
});
