import { z } from 'zod';
import { IsoDateTime } from '../ids.js';

/**
 * Clinician sign-in with SMART on FHIR, as the renderer sees it: who is signed in, what they were
 * granted, the chart an EHR launch opened, and when the access token runs out. Tokens never cross
 * this boundary; they stay in the main process.
 */

export const AuthState = z.enum(['signed_out', 'signing_in', 'signed_in']);
export type AuthState = z.infer<typeof AuthState>;

/** standalone: the clinician started sign-in in the app; ehr: the EHR launched the app from a chart. */
export const LaunchKind = z.enum(['standalone', 'ehr']);
export type LaunchKind = z.infer<typeof LaunchKind>;

/** Why a sign-in did not complete, or a session ended. Each has its own message for people. */
export const AuthProblem = z.enum([
  'not_configured',
  'discovery_failed',
  'unsupported_server',
  'browser_failed',
  'access_denied',
  'authorization_failed',
  'token_exchange_failed',
  'identity_invalid',
  'not_a_practitioner',
  'timed_out',
  'cancelled',
  'superseded',
  'session_expired',
  'launch_refused',
]);
export type AuthProblem = z.infer<typeof AuthProblem>;

/** The app's roles (the same values as the contract's Role, which this file cannot import). */
export const UserRole = z.enum(['clinician', 'scribe', 'admin']);
export type UserRole = z.infer<typeof UserRole>;

/**
 * How a signed-in user's role was decided (docs/clinician-sign-in.md): IT's mapping of their fhirUser
 * (`ehrUserRoles`), else the fhirUser's resource type (Practitioner: clinician; Person or
 * PractitionerRole: scribe).
 */
export const RoleSource = z.enum(['policy_mapping', 'fhir_user_type']);
export type RoleSource = z.infer<typeof RoleSource>;

export const SignedInUser = z.object({
  /** The app's actor id: the Practitioner id for a practitioner, `Type/ID` for anyone else. */
  id: z.string(),
  /** The FHIR Practitioner id from the id_token's fhirUser claim; null when the user is not a Practitioner (a scribe). */
  practitionerId: z.string().nullable(),
  /** `Type/ID` as the EHR named it (Practitioner, Person, PractitionerRole). */
  fhirUser: z.string(),
  /** The id_token's name claim, or the Practitioner's name read from the EHR; null when neither is available. */
  displayName: z.string().nullable(),
  role: UserRole,
  roleFrom: RoleSource,
});
export type SignedInUser = z.infer<typeof SignedInUser>;

export const AuthStatus = z.object({
  state: AuthState,
  /** False until a FHIR base URL and a sign-in client id are set (settings or machine policy). */
  configured: z.boolean(),
  /** The FHIR server signed in to (or that sign-in would use). */
  fhirBaseUrl: z.string().nullable(),
  user: SignedInUser.nullable(),
  launch: LaunchKind.nullable(),
  /** Scopes the EHR granted (may be fewer than were asked for). */
  scopes: z.array(z.string()),
  /** Patient and encounter context from the token response (EHR launch, or standalone launch/patient). */
  context: z.object({ patientId: z.string().nullable(), encounterId: z.string().nullable() }),
  /** When the current access token expires; a refreshable session renews it without asking the clinician. */
  expiresAt: IsoDateTime.nullable(),
  refreshable: z.boolean(),
  /** The EHR launch URL this workstation listens on (register it with the EHR); null when EHR launch is off. */
  launchUrl: z.string().nullable(),
  /** Why the last attempt failed or the last session ended; cleared when a sign-in starts. */
  problem: z.object({ code: AuthProblem, message: z.string() }).nullable(),
});
export type AuthStatus = z.infer<typeof AuthStatus>;

export const SignInRequest = z.object({
  mode: z.literal('standalone'),
  /** Switch user: the EHR is asked to show its login page again (OIDC prompt=login) even while its own session lasts. */
  switchUser: z.boolean().optional(),
});
export type SignInRequest = z.infer<typeof SignInRequest>;

/** Pushed on every change of state (signing in, signed in, refreshed context, signed out); fetch details with auth:status. */
export const AuthChanged = z.object({ state: AuthState, problem: AuthProblem.nullable() });
export type AuthChanged = z.infer<typeof AuthChanged>;

/**
 * What auth:signIn answers: the status (signing in), and, in the browser mode only, the EHR's
 * sign-in address for the page to open in a new tab (the browser the page runs in is the system
 * browser there). Null in the desktop app, which opens the system browser itself.
 */
export const SignInStarted = AuthStatus.extend({ openInBrowser: z.string().nullable() });
export type SignInStarted = z.infer<typeof SignInStarted>;
