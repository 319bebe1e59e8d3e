import type { RoleSource, UserRole } from '../../shared/domain/auth.js';
import type { StaffUserType } from './id-token.js';

/**
 * The role of someone who signed in with the EHR (docs/clinician-sign-in.md). IT's mapping of their fhirUser
 * (`ehrUserRoles`, keyed `Type/ID`) comes first; without one, the fhirUser's type decides: a
 * Practitioner is a clinician; a Person or PractitionerRole (staff the EHR knows but not as a
 * practitioner, e.g. a scribe's account) is a scribe. No EHR vendor publishes how it names a
 * scribe's fhirUser, so the type rule is an assumption; IT's mapping settles any EHR that differs.
 */
export function roleOfEhrUser(
  user: { readonly type: StaffUserType; readonly fhirUser: string },
  mapping: Readonly<Record<string, UserRole>>,
): { readonly role: UserRole; readonly roleFrom: RoleSource } {
  const mapped = Object.hasOwn(mapping, user.fhirUser) ? mapping[user.fhirUser] : undefined;
  if (mapped !== undefined) return { role: mapped, roleFrom: 'policy_mapping' };
  return { role: user.type === 'Practitioner' ? 'clinician' : 'scribe', roleFrom: 'fhir_user_type' };
}
