import { ScribeError } from '../kernel/errors.js';
import type { Logger } from './logger.js';

/**
 * Says why a server process (`scribe web`, `scribe sandbox`, the Electron main) ends, so that no
 * process ever disappears with nothing written: a crash (an uncaught exception or an unhandled
 * rejection), a signal, the event loop running dry, or a normal stop. Only the error's class, our
 * reason id and a code are written, never its message: messages from libraries and native code
 * can quote request bodies, file paths or whatever a patient said. The stack frames after the
 * message are code locations and go to stderr, where a developer running the command sees them.
 */

export type ExitCategory = 'crash' | 'signal' | 'idle' | 'stopped';

/** The exit code of a crash (BSD's EX_SOFTWARE): never 0, and unlike 1 not a "clear error" of the CLI. */
export const CRASH_EXIT_CODE = 70;

/** The signals a terminal, a service manager or a container sends to end a process. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The part of `process` the reporter listens to (tests pass an EventEmitter). */
export interface ReportedProcess extends Pick<NodeJS.EventEmitter, 'on' | 'off'> {
  exitCode?: number | string | null | undefined;
}

export interface ExitReporterOptions {
  /** Which process this is, e.g. `web`, `sandbox`, `app`: the first word of each stderr line. */
  readonly name: 'web' | 'sandbox' | 'app';
  readonly logger: Logger;
  /** One plain line per abnormal end (the logger may be off, e.g. the CLI without SCRIBE_LOG). */
  readonly stderr: (line: string) => void;
  readonly process?: ReportedProcess;
  /** Ends the process after a crash; default process.exit. */
  readonly exit?: (code: number) => void;
}

export interface ExitReporter {
  /** The host is stopping on purpose (after a signal it handles, or its window closed). */
  stopping(): void;
  dispose(): void;
}

/** What may be written about an error: its class, our reason id, a short code. Never its message. */
export function describeError(error: unknown): { type: string; reason?: string; code?: string } {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.constructor.name || error.name,
    ...(error instanceof ScribeError && error.reason ? { reason: error.reason } : {}),
    ...(typeof code === 'string' && /^[A-Za-z0-9_.]{1,48}$/.test(code) ? { code } : {}),
  };
}

/** The stack's frames only (`    at fn (file:line:col)`): the lines before them are the message. */
export function stackFrames(error: unknown): string[] {
  if (!(error instanceof Error) || typeof error.stack !== 'string') return [];
  return error.stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 12);
}

export function installExitReporter(options: ExitReporterOptions): ExitReporter {
  const proc = options.process ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let category: ExitCategory | undefined;
  let signal: string | undefined;
  let crashed = false;

  const crash = (kind: 'uncaught_exception' | 'unhandled_rejection') => (error: unknown) => {
    if (crashed) return;
    crashed = true;
    category = 'crash';
    const described = describeError(error);
    options.logger.error('process.crashed', { kind, ...described, exitCode: CRASH_EXIT_CODE });
    const why = [described.type, described.reason, described.code].filter(Boolean).join(', ');
    options.stderr(
      `scribe ${options.name}: stopped by an ${kind.replace('_', ' ')} (${why}); its message is not shown because it may hold patient data.`,
    );
    for (const frame of stackFrames(error)) options.stderr(frame);
    proc.exitCode = CRASH_EXIT_CODE;
    exit(CRASH_EXIT_CODE);
  };
  const onUncaught = crash('uncaught_exception');
  const onRejection = crash('unhandled_rejection');
  // Listening does not stop the host's own handling of the signal (the CLI's untilStopped, Electron's quit).
  const onSignal = (name: string) => {
    signal ??= name;
    category ??= 'signal';
    options.logger.info('process.signal', { signal: name });
  };
  const signalListeners = STOP_SIGNALS.map((name) => [name, () => onSignal(name)] as const);
  const onBeforeExit = () => {
    // The loop ran dry with nothing asked of the process: a server that should still be serving.
    if (category === undefined) category = 'idle';
  };
  const onExit = (code: number) => {
    const kind = category ?? (code === 0 ? 'stopped' : 'idle');
    const fields = { kind, exitCode: code, ...(signal ? { signal } : {}) };
    if (kind === 'crash') return;
    if (kind === 'idle' || code !== 0) {
      options.logger.warn('process.exited', fields);
      options.stderr(`scribe ${options.name}: exiting with code ${code} (${kind === 'idle' ? 'nothing left to do' : kind}).`);
    } else options.logger.info('process.exited', fields);
  };

  proc.on('uncaughtException', onUncaught);
  proc.on('unhandledRejection', onRejection);
  for (const [name, listener] of signalListeners) proc.on(name, listener);
  proc.on('beforeExit', onBeforeExit);
  proc.on('exit', onExit);

  return {
    stopping() {
      category ??= 'stopped';
    },
    dispose() {
      proc.off('uncaughtException', onUncaught);
      proc.off('unhandledRejection', onRejection);
      for (const [name, listener] of signalListeners) proc.off(name, listener);
      proc.off('beforeExit', onBeforeExit);
      proc.off('exit', onExit);
    },
  };
}
