import { z } from 'zod';
import { IsoDateTime, VisitId } from '../ids.js';

/** Every state a visit passes through, in order; later issues move visits along it. */
export const VisitState = z.enum([
  'not_started',
  'recording',
  'recording_interrupted',
  'transcribing',
  /** Transcription stopped for a reason that will not pass by itself (no speech model, no service, unreadable audio); the audio is kept. */
  'transcription_failed',
  'draft_ready',
  'in_review',
  'ready_for_signature',
  'signed',
  'delivered',
  'failed',
]);
export type VisitState = z.infer<typeof VisitState>;

/** The states before signing: the note can still change. */
export const UNSIGNED_VISIT_STATES: readonly VisitState[] = VisitState.options.slice(0, VisitState.options.indexOf('signed'));

/** An identifier the EHR gave (FHIR logical id or HL7 PID-3 value): PHI, stored encrypted. */
const EhrId = z.string().trim().min(1).max(128);

/** Bounds on the medication and problem lists kept with a visit (what the EHR's lists name). */
export const CLINICAL_LIST_MAX_ITEMS = 50;
export const CLINICAL_LIST_ITEM_MAX_CHARS = 120;
const ClinicalList = z.array(z.string().trim().min(1).max(CLINICAL_LIST_ITEM_MAX_CHARS)).max(CLINICAL_LIST_MAX_ITEMS);

/** What we know about the patient for this visit. All PHI: encrypted at rest, never logged. */
export const PatientContext = z.object({
  displayName: z.string().trim().max(200).optional(),
  mrn: z.string().trim().max(64).optional(),
  birthDate: z.iso.date().optional(),
  sex: z.enum(['female', 'male', 'other', 'unknown']).optional(),
  reasonForVisit: z.string().trim().max(500).optional(),
  /** The clinician seeing the patient: the encounter's practitioner, or the clinician who started the visit. */
  clinician: z.string().trim().max(200).optional(),
  /** When the encounter is scheduled to start, as the EHR says. */
  scheduledAt: IsoDateTime.optional(),
  /**
   * The patient's active medications and problem list as the EHR named them when the visit was
   * started from an encounter or a patient search ("lisinopril 10 MG Oral Tablet", "Essential
   * hypertension"): the vocabulary transcription is prompted with. Absent when unknown or when
   * the EHR listed none.
   */
  medications: ClinicalList.optional(),
  problems: ClinicalList.optional(),
});
export type PatientContext = z.infer<typeof PatientContext>;

export const Visit = z.object({
  id: VisitId,
  patientId: EhrId,
  encounterId: EhrId.optional(),
  patient: PatientContext,
  state: VisitState,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  createdBy: z.string(),
});
export type Visit = z.infer<typeof Visit>;

export const NewVisit = z.object({
  patientId: EhrId,
  encounterId: EhrId.optional(),
  patient: PatientContext.default({}),
});
export type NewVisit = z.infer<typeof NewVisit>;
