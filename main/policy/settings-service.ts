import type { EffectiveSettings, SettingKey, Settings, SettingsView } from '../../shared/domain/policy.js';
import { SettingsUpdate, settingDefaults } from '../../shared/domain/policy.js';
import type { Actor } from '../kernel/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';
import { lockedKeys, resolveEffectiveSettings, settingValues } from './effective-settings.js';
import { erasureRolesAdminOnly, invalidSettings, scribesCannotChangeSettings, settingsLocked, signingRolesAdminOnly } from './errors.js';
import type { LoadedPolicy } from './policy-file.js';
import { readUserSettings, writeUserSettings } from './user-settings-file.js';

export interface SettingsService {
  readonly policy: LoadedPolicy;
  view(): SettingsView;
  effective(): EffectiveSettings;
  values(): Settings;
  isLocked(key: SettingKey): boolean;
  /** Changes unlocked settings for this user; refuses the whole change if any key is locked. */
  update(patch: unknown, actor: Actor): SettingsView;
}

export interface SettingsServiceDeps {
  readonly dataDir: string;
  readonly policy: LoadedPolicy;
  readonly store: Store;
  readonly audit: AuditLog;
  readonly logger: Logger;
  readonly defaults?: Settings;
  /** Told which settings changed (names only), e.g. to push an event to the renderer. */
  readonly onChanged?: (keys: readonly SettingKey[]) => void;
}

/** Changing who may sign, as which practitioner, or who may erase visits, is itself that decision: administrators only. */
const ADMIN_ONLY: ReadonlySet<SettingKey> = new Set<SettingKey>([
  'signingRoles',
  'signerPractitioners',
  'ehrUserRoles',
  'visitErasureRoles',
]);

export function createSettingsService(deps: SettingsServiceDeps): SettingsService {
  const defaults = deps.defaults ?? settingDefaults;
  const locked = new Set(lockedKeys(deps.policy.values));
  const initial = readUserSettings(deps.dataDir);
  if (initial.ignored.length > 0) deps.logger.warn('settings.user_entries_ignored', { count: initial.ignored.length });
  let user = initial.values;

  const effective = () => resolveEffectiveSettings(defaults, user, deps.policy.values);
  const view = (): SettingsView => ({ settings: effective(), policy: { file: deps.policy.file, locked: [...locked] } });

  return {
    policy: deps.policy,
    view,
    effective,
    values: () => settingValues(effective()),
    isLocked: (key) => locked.has(key),
    update(patch, actor) {
      // The dispatcher has validated the request; services check again because not every caller is the dispatcher.
      const parsed = SettingsUpdate.safeParse(patch);
      if (!parsed.success) throw invalidSettings();
      const keys = (Object.keys(parsed.data) as SettingKey[]).sort();
      const refused = keys.filter((key) => locked.has(key));
      if (refused.length > 0) {
        deps.logger.warn('settings.update_refused', { reason: 'locked_by_policy', count: refused.length });
        throw settingsLocked(refused);
      }
      if (actor.role === 'scribe') throw scribesCannotChangeSettings();
      if (actor.role !== 'admin' && keys.includes('visitErasureRoles')) throw erasureRolesAdminOnly();
      if (actor.role !== 'admin' && keys.some((key) => ADMIN_ONLY.has(key))) {
        throw signingRolesAdminOnly();
      }
      deps.store.transaction(() => {
        // The audit row first: it takes the database's write lock, so a second process changing
        // settings waits here and then merges onto what this one wrote.
        deps.audit.append({ actor: actor.id, action: 'settings.updated', objectType: 'settings', objectId: keys.join(',') });
        const next = { ...readUserSettings(deps.dataDir).values, ...parsed.data };
        writeUserSettings(deps.dataDir, next);
        user = next;
      });
      deps.logger.info('settings.updated', { count: keys.length });
      deps.onChanged?.(keys);
      return view();
    },
  };
}
