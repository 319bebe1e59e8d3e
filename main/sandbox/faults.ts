import { z } from 'zod';

/**
 * Faults the sandbox injects on request, so tests and demos can show what the outbox does when an
 * EHR misbehaves. Rates are probabilities per request (0 to 1), rolled independently in order:
 * timeout, error, then (for writes that succeeded) drop-after-commit.
 */
export const FaultSettings = z.object({
  /** Answer with `errorStatus` before doing anything (nothing is committed). */
  errorRate: z.number().min(0).max(1).default(0),
  errorStatus: z.number().int().min(400).max(599).default(503),
  /** Sent with 429/503 errors when set. */
  retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  /** Never answer (nothing is committed); the connection closes after `hangMs` or when the client gives up. */
  timeoutRate: z.number().min(0).max(1).default(0),
  hangMs: z.number().int().min(0).max(600_000).default(120_000),
  /** Commit the write, then destroy the connection instead of answering: the client cannot know it worked. */
  dropAfterCommitRate: z.number().min(0).max(1).default(0),
  /** Added before every FHIR request is handled. */
  delayMs: z.number().int().min(0).max(600_000).default(0),
});
export type FaultSettings = z.infer<typeof FaultSettings>;
export type FaultSettingsInput = z.input<typeof FaultSettings>;

export type FaultDecision = 'none' | 'error' | 'timeout';

export interface FaultCounters {
  errors: number;
  timeouts: number;
  dropsAfterCommit: number;
}

export interface FaultController {
  settings(): FaultSettings;
  /** Merges a partial update; returns the settings now in force. */
  update(patch: FaultSettingsInput): FaultSettings;
  reset(): FaultSettings;
  /** Decides, before handling, whether this request fails outright. */
  beforeRequest(): FaultDecision;
  /** Decides, after a write committed, whether its answer is lost. */
  dropAfterCommit(): boolean;
  /** Rolls an arbitrary rate with the same random source (for other listeners, e.g. MLLP). */
  roll(rate: number): boolean;
  counters(): Readonly<FaultCounters>;
}

export function createFaultController(initial: FaultSettingsInput = {}, random: () => number = Math.random): FaultController {
  let current = FaultSettings.parse(initial);
  const counters: FaultCounters = { errors: 0, timeouts: 0, dropsAfterCommit: 0 };
  const roll = (rate: number) => rate > 0 && random() < rate;
  return {
    settings: () => current,
    update(patch) {
      current = FaultSettings.parse({ ...current, ...patch });
      return current;
    },
    reset() {
      current = FaultSettings.parse({});
      return current;
    },
    beforeRequest() {
      if (roll(current.timeoutRate)) {
        counters.timeouts += 1;
        return 'timeout';
      }
      if (roll(current.errorRate)) {
        counters.errors += 1;
        return 'error';
      }
      return 'none';
    },
    dropAfterCommit() {
      if (!roll(current.dropAfterCommitRate)) return false;
      counters.dropsAfterCommit += 1;
      return true;
    },
    roll,
    counters: () => ({ ...counters }),
  };
}
