import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { SettingKey, Settings } from '../../shared/domain/policy.js';
import { Settings as SettingsSchema, settingKeys } from '../../shared/domain/policy.js';

export const USER_SETTINGS_FILE = 'settings.json';

export interface UserSettingsRead {
  readonly values: Partial<Settings>;
  /** Entries that were ignored (unknown names, invalid values, unreadable file): names only. */
  readonly ignored: readonly string[];
}

export function userSettingsPath(dataDir: string): string {
  return join(dataDir, USER_SETTINGS_FILE);
}

/**
 * The per-user settings (what the user chose for settings policy does not lock). A damaged entry
 * is ignored, not fatal: policy, not this file, is what must fail closed.
 */
export function readUserSettings(dataDir: string): UserSettingsRead {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(userSettingsPath(dataDir), 'utf8'));
  } catch (error) {
    const missing = typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
    return { values: {}, ignored: missing ? [] : [USER_SETTINGS_FILE] };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { values: {}, ignored: [USER_SETTINGS_FILE] };
  const values: Partial<Record<SettingKey, unknown>> = {};
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (!(settingKeys as string[]).includes(key)) {
      ignored.push(key);
      continue;
    }
    const parsed = SettingsSchema.shape[key as SettingKey].safeParse(value);
    if (parsed.success) values[key as SettingKey] = parsed.data;
    else ignored.push(key);
  }
  return { values: values as Partial<Settings>, ignored };
}

/** Replaces the file atomically (write, flush, rename): a crash leaves the old or the new file, never half of one. */
export function writeUserSettings(dataDir: string, values: Partial<Settings>): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const target = userSettingsPath(dataDir);
  const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(values, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
