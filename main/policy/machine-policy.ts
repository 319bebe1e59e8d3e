import type { LoadedPolicy } from './policy-file.js';
import { loadPolicyFile } from './policy-file.js';
import { resolvePolicyLocation } from './policy-location.js';

/**
 * Loads the machine-wide policy for this process. Throws PolicyInvalidError when a policy exists
 * but cannot be used: callers refuse to start rather than run unlocked.
 */
export function loadMachinePolicy(options: { env: NodeJS.ProcessEnv; platform: NodeJS.Platform; packaged: boolean }): LoadedPolicy {
  const location = resolvePolicyLocation(options);
  // A test or development override is the caller's own file; the real location must be admin-only.
  return loadPolicyFile(location.path, { requireAdminOwned: !location.overridden && options.platform !== 'win32' });
}
