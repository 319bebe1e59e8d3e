import type { EffectiveSettings, PolicyValues, SettingKey, Settings } from '../../shared/domain/policy.js';
import { settingKeys } from '../../shared/domain/policy.js';

/**
 * Policy beats the user, the user beats the defaults. A setting present in the policy is locked,
 * even when its value equals the default: IT meant that value to stay.
 */
export function resolveEffectiveSettings(defaults: Settings, user: Partial<Settings>, policy: PolicyValues): EffectiveSettings {
  const entry = <K extends SettingKey>(key: K) => {
    if (Object.hasOwn(policy, key) && policy[key] !== undefined)
      return { value: policy[key] as Settings[K], source: 'policy' as const, locked: true };
    if (Object.hasOwn(user, key) && user[key] !== undefined)
      return { value: user[key] as Settings[K], source: 'user' as const, locked: false };
    return { value: defaults[key], source: 'default' as const, locked: false };
  };
  return Object.fromEntries(settingKeys.map((key) => [key, entry(key)])) as EffectiveSettings;
}

/** Just the values, for services that act on them. */
export function settingValues(effective: EffectiveSettings): Settings {
  return Object.fromEntries(settingKeys.map((key) => [key, effective[key].value])) as Settings;
}

export function lockedKeys(policy: PolicyValues): SettingKey[] {
  return settingKeys.filter((key) => Object.hasOwn(policy, key) && policy[key] !== undefined);
}
