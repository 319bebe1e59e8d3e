import { z } from 'zod';
import { IsoDateTime, VisitId } from '../ids.js';
import { PatientContext, Visit, VisitState } from './visit.js';

/**
 * What the app reads from the EHR to build today's schedule and to find a patient. Everything
 * here except the ids of our own visits is PHI: it crosses the API to the screen and the CLI's
 * output, and is never logged, put in an event or an audit row.
 */
const EhrId = z.string().trim().min(1).max(128);

/** A patient as the EHR lists them. */
export const EhrPatient = z.object({
  patientId: EhrId,
  displayName: z.string().max(200).optional(),
  birthDate: z.iso.date().optional(),
  mrn: z.string().max(64).optional(),
  sex: PatientContext.shape.sex,
});
export type EhrPatient = z.infer<typeof EhrPatient>;

/** One of today's encounters, with its patient filled in where the EHR returned them. */
export const EhrEncounter = z.object({
  encounterId: EhrId,
  /** planned, arrived, in-progress, finished... as the EHR says (cancelled ones are left out). */
  status: z.string().max(40),
  start: IsoDateTime.optional(),
  end: IsoDateTime.optional(),
  reason: z.string().max(500).optional(),
  practitioner: z.string().max(200).optional(),
  patient: EhrPatient,
});
export type EhrEncounter = z.infer<typeof EhrEncounter>;

/** Where the schedule came from: the built-in sandbox EHR (nothing configured) or the configured FHIR server. */
export const EhrSource = z.enum(['sandbox', 'configured']);
export type EhrSource = z.infer<typeof EhrSource>;

export const ScheduleEntry = EhrEncounter.extend({
  /** The local visit started from this encounter, when there is one. */
  visit: z.object({ id: VisitId, state: VisitState }).optional(),
});
export type ScheduleEntry = z.infer<typeof ScheduleEntry>;

export const ScheduleRequest = z.object({
  /** A signed-in clinician sees their own encounters; `everyone` shows the whole clinic's day. */
  everyone: z.boolean().default(false),
});

export const Schedule = z.object({
  /** The local calendar day, YYYY-MM-DD. */
  date: z.iso.date(),
  source: EhrSource,
  /** Whose encounters: the signed-in practitioner's, or everyone's. */
  scope: z.enum(['mine', 'everyone']),
  entries: z.array(ScheduleEntry),
  /** The EHR had more than this app reads in one go. */
  truncated: z.boolean(),
});
export type Schedule = z.infer<typeof Schedule>;

const SearchText = z.string().trim().min(2).max(100);

export const PatientSearchRequest = z
  .object({
    /** A name or an MRN, as typed: searched as both. */
    text: SearchText.optional(),
    name: SearchText.optional(),
    mrn: z.string().trim().min(1).max(64).optional(),
    birthDate: z.iso.date().optional(),
  })
  .refine((r) => r.text !== undefined || r.name !== undefined || r.mrn !== undefined || r.birthDate !== undefined, {
    message: 'give a name, an MRN or a birth date',
    path: ['text'],
  });
export type PatientSearchRequest = z.infer<typeof PatientSearchRequest>;

export const PatientSearchResult = z.object({
  patients: z.array(EhrPatient),
  /** More patients matched than are shown: narrow the search. */
  truncated: z.boolean(),
});
export type PatientSearchResult = z.infer<typeof PatientSearchResult>;

export const StartEncounterRequest = z.object({ encounterId: EhrId });

/** Launched from a patient's chart (SMART EHR launch with a patient and no encounter). */
export const OpenPatientVisitRequest = z.object({ patientId: EhrId });

/** A visit for a patient picked from a search: their details come from the EHR, only the reason from the user. */
export const StartPatientVisitRequest = z.object({ patientId: EhrId, reasonForVisit: PatientContext.shape.reasonForVisit });
export type StartPatientVisitRequest = z.infer<typeof StartPatientVisitRequest>;

const ListStatus = z.enum(['read', 'unavailable']);

export const StartVisitResult = z.object({
  visit: Visit,
  created: z.boolean(),
  /**
   * For a visit created just now: whether the patient's medication and problem lists could be read
   * from the EHR (they are kept with the visit for transcription). The visit starts either way.
   */
  clinicalLists: z.object({ medications: ListStatus, problems: ListStatus }).optional(),
});
export type StartVisitResult = z.infer<typeof StartVisitResult>;
