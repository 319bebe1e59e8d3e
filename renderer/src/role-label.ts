import type { Role } from '../../shared/api/contract.js';

const labels: Record<Role, string> = { clinician: 'Clinician', scribe: 'Scribe', admin: 'Administrator' };

export function roleLabel(role: Role): string {
  return labels[role] ?? role;
}
