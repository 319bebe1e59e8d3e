import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Actor } from '../kernel/actor.js';
import { Role } from '../../shared/api/contract.js';
import { createKeyFileKeyProvider } from '../store/key-file-key-provider.js';
import type { KeyProvider } from '../store/key-provider.js';
import { createPassphraseKeyProvider } from '../store/passphrase-key-provider.js';
import { invalidRole, noKeyGiven } from './cli-errors.js';

export interface GlobalOptions {
  readonly dataDir?: string;
  readonly keyFile?: string;
}

/** The same folder Electron's app.getPath('userData') gives, plus /store, so both find one store. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const product = 'Ambient Scribe';
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), product, 'store');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', product, 'store');
  // An empty XDG_CONFIG_HOME counts as unset (XDG Base Directory spec): never a folder relative to wherever the command runs.
  return join(env['XDG_CONFIG_HOME'] || join(homedir(), '.config'), product, 'store');
}

export function resolveDataDir(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): string {
  return options.dataDir ?? env['SCRIBE_DATA_DIR'] ?? defaultDataDir(env);
}

/**
 * The key file `scribe web` makes on a first run with no key given (docs/deploying.md, "npm run web on a
 * first run"): beside the data folder, never in it, so a copy of the folder alone opens nothing.
 */
export function localKeyFilePath(dataDir: string): string {
  return join(dirname(dataDir), `${basename(dataDir)}.key`);
}

export function resolveKeyProvider(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): KeyProvider {
  if (options.keyFile) return createKeyFileKeyProvider(options.keyFile);
  const passphrase = env['SCRIBE_PASSPHRASE'];
  if (passphrase) return createPassphraseKeyProvider(passphrase);
  const local = localKeyFilePath(resolveDataDir(options, env));
  if (existsSync(local)) return createKeyFileKeyProvider(local);
  throw noKeyGiven();
}

/** Who runs the command: SCRIBE_USER / SCRIBE_ROLE, else the OS account as a clinician. */
export function resolveActor(env: NodeJS.ProcessEnv = process.env): Actor {
  const id = (env['SCRIBE_USER'] ?? userInfo().username).replace(/[^A-Za-z0-9._@-]/g, '_') || 'local-user';
  const role = Role.safeParse(env['SCRIBE_ROLE'] ?? 'clinician');
  if (!role.success) throw invalidRole();
  return { id, role: role.data };
}
