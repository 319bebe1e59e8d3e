import type { SettingKey } from '../../shared/domain/policy.js';
import type { ErrorDetails } from '../kernel/errors.js';
import { ForbiddenError, ScribeError } from '../kernel/errors.js';

/** A change or an action the machine policy does not allow. Names settings, never values. */
export class LockedByPolicyError extends ScribeError {
  constructor(message: string, reason: string, details?: ErrorDetails) {
    super('locked_by_policy', message, { reason, details });
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
      { reason: 'policy.invalid', details: { count: problems.length } },
    );
    this.file = file;
    this.problems = problems;
  }
}

/** An action the setting `setting` does not allow: locked by the machine policy, or turned off in settings. */
export const refusedBySetting = (setting: SettingKey, what: string, locked: boolean) =>
  locked
    ? new LockedByPolicyError(`${what} (set by your organisation's policy).`, 'policy.refused', { setting })
    : new ForbiddenError(`${what} (turned off in settings).`, 'settings.refused', { setting });

export const settingsLocked = (keys: readonly SettingKey[]) =>
  new LockedByPolicyError(`Your organisation's policy locks ${keys.join(', ')}. Nothing was changed.`, 'policy.settings_locked', {
    settings: keys.join(','),
  });

export const invalidSettings = () =>
  new ScribeError('bad_request', 'Invalid settings: name known settings with valid values.', { reason: 'settings.invalid' });

export const scribesCannotChangeSettings = () =>
  new ForbiddenError('Scribes cannot change settings. Nothing was changed.', 'settings.scribe_forbidden');

export const signingRolesAdminOnly = () =>
  new ForbiddenError('Only an administrator can change who may sign. Nothing was changed.', 'settings.signing_roles_admin_only');

export const erasureRolesAdminOnly = () =>
  new ForbiddenError('Only an administrator can change who may erase visits. Nothing was changed.', 'settings.erasure_roles_admin_only');
