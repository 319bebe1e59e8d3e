import { posix, win32 } from 'node:path';

export const POLICY_OVERRIDE_ENV = 'SCRIBE_POLICY_FILE';

/**
 * The machine-wide policy file: a place only administrators can write.
 * On Windows the folder is fixed rather than read from %ProgramData%: a user can set that variable
 * for their own processes and point the app at a folder they control (Microsoft does not support
 * moving ProgramData off C:\ anyway).
 */
export function machinePolicyPath(platform: NodeJS.Platform): string {
  if (platform === 'win32') return win32.join('C:\\ProgramData', 'Ambient Scribe', 'policy.json');
  if (platform === 'darwin') return posix.join('/Library', 'Application Support', 'Ambient Scribe', 'policy.json');
  return posix.join('/etc', 'ambient-scribe', 'policy.json');
}

export interface PolicyLocation {
  readonly path: string;
  /** True when the path came from SCRIBE_POLICY_FILE (development, tests, `scribe` from a checkout). */
  readonly overridden: boolean;
}

/**
 * Where to read the policy from. In an installed build the environment override is ignored: any
 * user can set environment variables for their own processes, so honouring it would let them
 * swap IT's policy for a file of their own and unlock every setting.
 */
export function resolvePolicyLocation(options: { env: NodeJS.ProcessEnv; platform: NodeJS.Platform; packaged: boolean }): PolicyLocation {
  const override = options.env[POLICY_OVERRIDE_ENV];
  if (!options.packaged && override !== undefined && override !== '') return { path: override, overridden: true };
  return { path: machinePolicyPath(options.platform), overridden: false };
}
