import { z } from 'zod';

/** A private JWK as jose exports it; `kid` is what the EHR's registered JWKS names it by. */
export const PrivateJwk = z
  .object({
    kty: z.enum(['RSA', 'EC']),
    kid: z.string().min(1),
    d: z.string().min(1),
  })
  .catchall(z.unknown());
export type PrivateJwk = z.infer<typeof PrivateJwk>;

export const FhirSigningAlg = z.enum(['RS384', 'ES384']);
export type FhirSigningAlg = z.infer<typeof FhirSigningAlg>;

/**
 * How this workstation reaches one FHIR EHR for unattended write-back (SMART Backend Services).
 * The private key is a secret: it belongs in the encrypted store or a protected key file, never in
 * logs or a policy file.
 */
export const FhirTargetConfig = z.object({
  /** FHIR base URL, e.g. https://ehr.example.org/fhir/R4 (the sandbox: http://127.0.0.1:8910/fhir). */
  baseUrl: z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, '')),
  clientId: z.string().min(1),
  privateKey: PrivateJwk,
  signingAlg: FhirSigningAlg.default('RS384'),
  /**
   * Default: writing the note's resources, reading them back (a server without conditional create
   * is searched first, and some servers want read scope for If-None-Exist), reading the encounter
   * and patient to find the organization and the schedule, the problem list as transcription
   * vocabulary, and the signing practitioner (checked before a note is signed). Medications need
   * `system/MedicationRequest.read`, which is not asked for unless configured: an EHR may refuse the
   * whole token for a scope the client is not registered for.
   */
  scope: z
    .string()
    .min(1)
    .default(
      'system/DocumentReference.read system/DocumentReference.write system/Condition.read system/Condition.write system/Provenance.read system/Provenance.write system/Encounter.read system/Patient.read system/Practitioner.read',
    ),
  /** Token endpoint; default: discovered from {baseUrl}/.well-known/smart-configuration. */
  tokenUrl: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * The practice's Organization id in the EHR: US Core Provenance agents act on its behalf
   * (provenance-1). Default: the encounter's serviceProvider, else the patient's managingOrganization.
   */
  organizationId: z.string().min(1).max(64).optional(),
  /**
   * Whose write rules the EHR follows beyond what its CapabilityStatement says (docs/ehr-vendors.md):
   * `epic` takes no encounter diagnoses and new problems only as provisional, so no Conditions are
   * written; `oracle` takes a Provenance only with one target and one agent. `generic`: the
   * CapabilityStatement alone decides.
   */
  vendor: z.enum(['generic', 'epic', 'oracle', 'athena']).default('generic'),
  requestTimeoutMs: z.number().int().min(1000).max(600_000).default(30_000),
  /** How long a read CapabilityStatement is trusted before it is read again. */
  capabilityTtlMs: z
    .number()
    .int()
    .min(0)
    .default(10 * 60_000),
});
/** The default scopes plus the medication list, for clients registered with it (the sandbox's is). */
export const SCOPE_WITH_MEDICATIONS = `${FhirTargetConfig.shape.scope.parse(undefined)} system/MedicationRequest.read`;

export type FhirTargetConfig = z.infer<typeof FhirTargetConfig>;
export type FhirTargetConfigInput = z.input<typeof FhirTargetConfig>;
