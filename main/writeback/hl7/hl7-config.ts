import { z } from 'zod';
import { DEFAULT_HL7_DOCUMENT_TYPES, Hl7DocumentTypes, Hl7ProviderIdType } from '../../../shared/domain/hl7-document-types.js';

/** HD namespace ids and similar: printable, no HL7 delimiter, so they never need escaping on the wire. */
const HdName = z
  .string()
  .trim()
  .min(1)
  .max(180)
  .regex(/^[^|^~\\&\p{Cc}]+$/u, 'must not contain | ^ ~ \\ & or control characters');

/** PEM text (not a path): the caller reads files, so this module never touches the file system. */
const Pem = z.string().min(1).max(1_000_000);

export const MllpTlsConfig = z.object({
  /** Trusted CA certificates for the receiver; the system's roots when absent. */
  ca: Pem.optional(),
  /** Client certificate and key, for receivers that require mutual TLS. */
  cert: Pem.optional(),
  key: Pem.optional(),
  /** Name the server certificate must carry when it differs from `host`. */
  servername: z.string().min(1).max(253).optional(),
});
export type MllpTlsConfig = z.infer<typeof MllpTlsConfig>;

/** One HL7 v2 receiver, as the site configuration names it. */
export const Hl7TargetConfig = z.object({
  host: z.string().trim().min(1).max(253),
  port: z.number().int().min(1).max(65_535),
  tls: MllpTlsConfig.optional(),
  receivingApplication: HdName,
  receivingFacility: HdName,
  /** MSH-3, and the namespace of TXA-12 (the document number). */
  sendingApplication: HdName.default('AMBIENT_SCRIBE'),
  sendingFacility: HdName.optional(),
  /** MSH-11: P production, T training, D debugging. */
  processingId: z.enum(['P', 'T', 'D']).default('P'),
  /** PID-3.4: the EHR's patient identifier namespace (its MRN system). */
  patientIdAuthority: HdName,
  /** PID-3.5 for the EHR's patient id (table 0203): MR medical record number, PI patient internal id. */
  patientIdType: z.enum(['MR', 'PI', 'PT', 'PN']).default('MR'),
  /** XCN-9 of every clinician field; absent: the receiving application, which assigns the EHR's own practitioner ids. */
  providerIdAuthority: HdName.optional(),
  /** XCN-13 of every clinician field. */
  providerIdType: Hl7ProviderIdType.default('PRN'),
  /** TXA-2 per note template and for addenda (table 0270, user-defined). */
  documentTypes: Hl7DocumentTypes.default(DEFAULT_HL7_DOCUMENT_TYPES),
  /** PV1-2 (table 0004): O outpatient, I inpatient, E emergency... */
  patientClass: z.enum(['O', 'I', 'E', 'P', 'R', 'B', 'C', 'N', 'U']).default('O'),
  /**
   * TXA-17 (table 0271). LA (legally authenticated): the signer is the clinician responsible for
   * the visit. AU (authenticated) for receivers that reserve LA for their own sign-off step.
   */
  completionStatus: z.enum(['LA', 'AU']).default('LA'),
  connectTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  ackTimeoutMs: z.number().int().min(100).max(600_000).default(30_000),
  /** An ACK bigger than this is refused; ours are a few hundred bytes. */
  maxAckBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
});
export type Hl7TargetConfig = z.infer<typeof Hl7TargetConfig>;
export type Hl7TargetConfigInput = z.input<typeof Hl7TargetConfig>;
