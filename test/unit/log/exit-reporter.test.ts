import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'vitest';
import { CRASH_EXIT_CODE, installExitReporter } from '../../../main/log/exit-reporter.js';
import { recordingLogger } from '../../helpers/fhir-sandbox.js';
import { notASandboxClientKey } from '../../../main/sandbox/sandbox-errors.js';

const PATIENT_WORDS = 'Ada Fakename-Sandbox said her chest hurts';

function harness() {
  const proc = Object.assign(new EventEmitter(), { exitCode: undefined as number | undefined });
  const logger = recordingLogger();
  const stderr: string[] = [];
  const exits: number[] = [];
  const reporter = installExitReporter({
    name: 'web',
    logger,
    stderr: (line) => stderr.push(line),
    process: proc,
    exit: (code) => exits.push(code),
  });
  return { proc, logger, stderr, exits, reporter, all: () => [...logger.lines, ...stderr].join('\n') };
}

describe('the exit reporter says why a server process ends, without PHI', () => {
  it('an uncaught exception: its class, exit 70, never its message', () => {
    const h = harness();
    h.proc.emit('uncaughtException', new TypeError(PATIENT_WORDS), 'uncaughtException');
    assert.deepEqual(h.exits, [CRASH_EXIT_CODE]);
    assert.equal(h.proc.exitCode, CRASH_EXIT_CODE);
    assert.match(h.all(), /"event":"process\.crashed".*"kind":"uncaught_exception".*"type":"TypeError"/);
    assert.match(h.stderr[0]!, /^scribe web: stopped by an uncaught exception \(TypeError\)/);
    assert.match(h.stderr.slice(1).join('\n'), /^\s+at /, 'the stack frames follow, for a developer');
    assert.doesNotMatch(h.all(), /Fakename|chest/);
    h.reporter.dispose();
  });

  it('an unhandled rejection of our own error: its reason id', () => {
    const h = harness();
    h.proc.emit('unhandledRejection', notASandboxClientKey());
    assert.deepEqual(h.exits, [CRASH_EXIT_CODE]);
    assert.match(h.all(), /"kind":"unhandled_rejection".*"reason":"sandbox\./);
    h.reporter.dispose();
  });

  it('a signal, then a clean exit: logged, nothing on stderr', () => {
    const h = harness();
    h.proc.emit('SIGHUP');
    h.proc.emit('exit', 0);
    assert.match(h.all(), /"event":"process\.signal","signal":"SIGHUP"/);
    assert.match(h.all(), /"event":"process\.exited","kind":"signal","exitCode":0,"signal":"SIGHUP"/);
    assert.deepEqual(h.stderr, []);
    h.reporter.dispose();
  });

  it('the event loop running dry in a server: said on stderr', () => {
    const h = harness();
    h.proc.emit('beforeExit', 0);
    h.proc.emit('exit', 13);
    assert.match(h.all(), /"level":"warn","event":"process\.exited","kind":"idle","exitCode":13/);
    assert.match(h.stderr.join('\n'), /exiting with code 13 \(nothing left to do\)/);
    h.reporter.dispose();
  });
});
