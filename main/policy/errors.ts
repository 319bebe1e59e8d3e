import { ScribeError } from '../kernel/errors.js';

/** A change or an action the machine policy does not allow. Names settings, never values. */
export class LockedByPolicyError extends ScribeError {
  constructor(message: string) {
    super('locked_by_policy', message);
  }
}

export interface PolicyProblem {
  /** The setting (or `(file)` for the file as a whole). */
  readonly field: string;
  readonly reason: string;
}

/**
 * The machine policy exists but cannot be used. The app refuses to start on it: running on
 * defaults instead would silently unlock everything IT meant to lock.
 */
export class PolicyInvalidError extends ScribeError {
  readonly file: string;
  readonly problems: readonly PolicyProblem[];
  constructor(file: string, problems: readonly PolicyProblem[]) {
    super(
      'unavailable',
      `The machine policy ${file} cannot be used, so Ambient Scribe will not start. Ask IT to fix it: ${problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}.`,
    );
    this.file = file;
    this.problems = problems;
  }
}
