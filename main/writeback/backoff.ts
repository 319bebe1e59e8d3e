/**
 * When to try again after a transient failure: exponential from `baseMs`, capped, with "equal
 * jitter" (half fixed, half random) so many workstations whose EHR came back at once do not all
 * retry in the same second. A server's Retry-After is a floor.
 */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * A note signed while the EHR is down must reach it within a minute of its return, by itself: the
 * longest wait between attempts (40 s) plus the worker's interval (OUTBOX_INTERVAL_MS, 15 s) stays
 * under 60 s. One request per waiting note every 20 to 40 s is little load for an EHR.
 */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 10_000, maxMs: 40_000 };

/** How often hosts that keep running (the app, `scribe web`) look for due outbox jobs. */
export const OUTBOX_INTERVAL_MS = 15_000;

export function retryDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random, retryAfterMs?: number): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.round(Math.max(jittered, retryAfterMs ?? 0));
}
