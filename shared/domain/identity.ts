import { z } from 'zod';
import { SignedInUser, UserRole } from './auth.js';

/**
 * Who is using Ambient Scribe right now, as the header and `scribe whoami` show it: the person
 * signed in with the EHR, or else the workstation account; their role and where it came from; the
 * EHR practitioner they would sign as and how that was settled; and whether they may sign.
 */

/** Where the role came from: IT's mapping or the fhirUser's type (signed in with the EHR), or the workstation account. */
export const IdentityRoleSource = z.enum(['policy_mapping', 'fhir_user_type', 'workstation']);
export type IdentityRoleSource = z.infer<typeof IdentityRoleSource>;

/**
 * How the signing practitioner was settled: vouched for by the EHR at sign-in; named on the command
 * line (`--as`); IT's link of the workstation account (`signerPractitioners`); or, with no EHR
 * configured, the demo EHR's clinician.
 */
export const SignerSource = z.enum(['ehr_sign_in', 'command_line', 'workstation_mapping', 'demo_ehr']);
export type SignerSource = z.infer<typeof SignerSource>;

/** Why this user is not offered signing. */
export const SignBlock = z.enum(['role', 'no_practitioner', 'unknown_to_ehr']);
export type SignBlock = z.infer<typeof SignBlock>;

export const Identity = z.object({
  /** Who acts in the audit log: the signed-in user's id, or the workstation account. */
  actorId: z.string(),
  role: UserRole,
  roleFrom: IdentityRoleSource,
  /** The name to show: the signed-in user's, else the signing practitioner's, else null (show actorId). */
  displayName: z.string().nullable(),
  /** Signed in with the EHR (SMART on FHIR); null when the workstation account acts. */
  signedIn: SignedInUser.nullable(),
  /** The EHR practitioner this user signs as; null when none can be settled. */
  practitioner: z.object({ id: z.string(), name: z.string().nullable(), from: SignerSource }).nullable(),
  /** Whether signing is offered: a role that may sign and a practitioner to sign as. The server checks again at signing. */
  maySign: z.boolean(),
  signBlocked: SignBlock.nullable(),
  /** Sign-in with the EHR: whether it is set up, and the EHR's name for the button ("Sign in with Epic"). */
  signIn: z.object({ available: z.boolean(), ehrName: z.string() }),
});
export type Identity = z.infer<typeof Identity>;
