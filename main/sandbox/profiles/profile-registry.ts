import { athenaProfile } from './athena.js';
import { epicProfile } from './epic.js';
import { oracleProfile } from './oracle.js';
import { permissiveProfile } from './permissive.js';
import type { SandboxProfile, SandboxProfileName } from './profile.js';

export { SANDBOX_PROFILE_NAMES } from './profile.js';
export type { SandboxProfile, SandboxProfileName } from './profile.js';

const PROFILES: Readonly<Record<SandboxProfileName, SandboxProfile>> = {
  permissive: permissiveProfile,
  epic: epicProfile,
  oracle: oracleProfile,
  athena: athenaProfile,
};

export const sandboxProfile = (name: SandboxProfileName): SandboxProfile => PROFILES[name];
