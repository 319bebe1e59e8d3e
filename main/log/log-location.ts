import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_LOG_FILE = 'main.log';
export const CLI_LOG_FILE = 'scribe-cli.log';

/** The folder Electron's app.getPath('logs') gives, so the CLI finds the desktop app's logs. */
export function defaultLogDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const product = 'Ambient Scribe';
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), product, 'logs');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Logs', product);
  return join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), product, 'logs');
}
