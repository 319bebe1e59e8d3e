import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from '../kernel/process-alive.js';
import type { Logger } from '../log/logger.js';
import type { OutboxWorker } from './outbox-worker.js';

/**
 * One outbox timer per data folder. Claims in the outbox are already safe between processes (a
 * job is claimed with a lease in one transaction, see outbox-repository.ts), so two timers would
 * not send a note twice; they would only double the traffic to the EHR and the log lines. The
 * lock is a file in the data folder holding the owner's process id; a lock whose process is gone
 * (a crash, a kill) is taken over. A process that does not hold the lock keeps asking at every
 * interval, so the desktop app and `scribe web` on one folder hand the outbox over when one ends.
 */
export const OUTBOX_LOCK_FILE = 'outbox-worker.lock';

export interface LockProbe {
  readonly pid: number;
  readonly isAlive: (pid: number) => boolean;
}

const ownerOf = (file: string): number | undefined => {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
};

/** Takes the lock if it is free or its owner is gone; true while this process holds it. */
export function tryOutboxLock(dataDir: string, probe: LockProbe = { pid: process.pid, isAlive: isProcessAlive }): boolean {
  const file = join(dataDir, OUTBOX_LOCK_FILE);
  for (let tries = 0; tries < 2; tries += 1) {
    try {
      writeFileSync(file, `${probe.pid}\n`, { flag: 'wx', mode: 0o600 });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false;
    }
    const owner = ownerOf(file);
    if (owner === probe.pid) return true;
    if (owner !== undefined && probe.isAlive(owner)) return false;
    // Stale (its process is gone) or unreadable: take it over. A racing taker is caught below.
    rmSync(file, { force: true });
  }
  return ownerOf(file) === probe.pid;
}

export function releaseOutboxLock(dataDir: string, pid: number = process.pid): void {
  const file = join(dataDir, OUTBOX_LOCK_FILE);
  if (ownerOf(file) === pid) rmSync(file, { force: true });
}

export interface LockedOutboxWorker {
  /** Whether this process runs the outbox timer now. */
  holding(): boolean;
  stop(): Promise<void>;
}

/** Runs the worker's timer every `intervalMs` while this process holds the data folder's outbox lock. */
export function startOutboxWorkerOnce(options: {
  readonly worker: Pick<OutboxWorker, 'start' | 'stop'>;
  readonly dataDir: string;
  readonly intervalMs: number;
  readonly logger: Logger;
  readonly probe?: LockProbe;
}): LockedOutboxWorker {
  const pid = options.probe?.pid ?? process.pid;
  let holding = false;
  let waitingLogged = false;
  const check = () => {
    const held = tryOutboxLock(options.dataDir, options.probe);
    if (held && !holding) {
      holding = true;
      options.logger.info('outbox.worker_started', { intervalMs: options.intervalMs });
      options.worker.start(options.intervalMs);
    } else if (!held && holding) {
      // Another process took the lock over (it thought this one gone): leave the outbox to it.
      holding = false;
      options.logger.warn('outbox.worker_lock_lost');
      void options.worker.stop();
    } else if (!held && !waitingLogged) {
      waitingLogged = true;
      options.logger.info('outbox.worker_elsewhere');
    }
  };
  check();
  const timer = setInterval(check, options.intervalMs);
  timer.unref();
  return {
    holding: () => holding,
    async stop() {
      clearInterval(timer);
      if (holding) await options.worker.stop();
      holding = false;
      releaseOutboxLock(options.dataDir, pid);
    },
  };
}
