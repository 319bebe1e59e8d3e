import { z } from 'zod';

/** How the app names the demo EHR wherever it names the EHR (header, schedule, outbox, settings). */
export const DEMO_EHR_LABEL = 'Demo EHR — synthetic patients';

/** Whether the app is connected to the demo EHR it started itself (no EHR configured, policy allowing). */
export const DemoEhrStatus = z.object({
  inUse: z.boolean(),
  label: z.literal(DEMO_EHR_LABEL),
});
export type DemoEhrStatus = z.infer<typeof DemoEhrStatus>;

/** One document the demo EHR filed: a FHIR DocumentReference or an HL7 v2 MDM message. Synthetic patients only. */
export const DemoEhrDocument = z.object({
  id: z.string().max(200),
  via: z.enum(['fhir', 'hl7v2']),
  receivedAt: z.string().max(64),
  patient: z.string().max(200),
  title: z.string().max(200),
  /** FHIR docStatus or HL7 TXA-17: final, amended… */
  status: z.string().max(64),
  /** The document this one adds to (an addendum), when it is one. */
  addendumTo: z.string().max(200).optional(),
  text: z.string().max(200_000),
});
export type DemoEhrDocument = z.infer<typeof DemoEhrDocument>;

export const DemoEhrReceived = z.object({ inUse: z.boolean(), documents: z.array(DemoEhrDocument) });
export type DemoEhrReceived = z.infer<typeof DemoEhrReceived>;
