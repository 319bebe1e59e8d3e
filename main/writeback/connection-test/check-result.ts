import type { ConnectionCheck, ConnectionCheckStatus, ConnectionCheckTarget } from '../../../shared/domain/connection-test.js';

/** One step's outcome, with its duration measured from `started` (performance.now()). */
export function checkResult(
  target: ConnectionCheckTarget,
  step: string,
  title: string,
  started: number,
  outcome: {
    status: ConnectionCheckStatus;
    code: string;
    message: string;
    hint?: string | undefined;
    details?: ConnectionCheck['details'];
  },
): ConnectionCheck {
  return {
    target,
    step,
    title,
    status: outcome.status,
    code: outcome.code,
    message: outcome.message,
    ...(outcome.hint === undefined ? {} : { hint: outcome.hint }),
    ms: Math.max(0, Math.round(performance.now() - started)),
    ...(outcome.details === undefined ? {} : { details: outcome.details }),
  };
}

/** The steps that were not run because an earlier one failed. */
export function skipped(target: ConnectionCheckTarget, steps: readonly { step: string; title: string }[]): ConnectionCheck[] {
  return steps.map(({ step, title }) => ({
    target,
    step,
    title,
    status: 'skipped',
    code: 'skipped',
    message: 'Not checked: the step before it failed.',
    ms: 0,
  }));
}

/** Settles with `work`, or with undefined after `ms` (the work is left to finish on its own). */
export async function within<T>(work: Promise<T>, ms: number): Promise<{ done: true; value: T } | { done: false }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ done: false }>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), ms);
  });
  try {
    return await Promise.race([work.then((value) => ({ done: true as const, value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
