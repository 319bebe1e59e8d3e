import { z } from 'zod';
import { CLINICAL_LIST_ITEM_MAX_CHARS, CLINICAL_LIST_MAX_ITEMS } from '../../shared/domain/visit.js';
import type { Logger } from '../log/logger.js';
import { EhrError } from './ehr-error.js';
import type { FhirReader } from './fhir-reader.js';
import { CodeableConcept, conceptText, FhirId, readSearchPage, Reference, referencedId, resourcesOf } from './fhir-mapping.js';

/**
 * The patient's active medications (MedicationRequest) and problem list (Condition, category
 * problem-list-item) as display strings, read when a visit is created from the EHR's details so
 * transcription can be prompted with the words the visit is likely to use. A convenience: each
 * list that cannot be read is left out and reported as unavailable, never an error. Everything
 * the server returns is checked again here (patient, status, category), because a server that
 * ignores a search parameter answers with more than was asked, and another patient's medication
 * or an encounter diagnosis must not end up on this visit.
 */
export type ClinicalListStatus = 'read' | 'unavailable';

export interface ClinicalLists {
  readonly medications: readonly string[];
  readonly problems: readonly string[];
  readonly status: { readonly medications: ClinicalListStatus; readonly problems: ClinicalListStatus };
}

export const FhirMedicationRequest = z.looseObject({
  resourceType: z.literal('MedicationRequest'),
  id: FhirId,
  status: z.string(),
  subject: Reference.optional(),
  medicationCodeableConcept: CodeableConcept.optional(),
  medicationReference: Reference.optional(),
});
export type FhirMedicationRequest = z.infer<typeof FhirMedicationRequest>;

export const FhirCondition = z.looseObject({
  resourceType: z.literal('Condition'),
  id: FhirId,
  subject: Reference.optional(),
  clinicalStatus: CodeableConcept.optional(),
  verificationStatus: CodeableConcept.optional(),
  category: z.array(CodeableConcept).optional(),
  code: CodeableConcept.optional(),
});
export type FhirCondition = z.infer<typeof FhirCondition>;

/** Both reads together get this long, on top of the encounter and patient reads, before the visit starts without them. */
export const CLINICAL_LISTS_TIMEOUT_MS = 8_000;

const ACTIVE_CLINICAL = new Set(['active', 'recurrence', 'relapse']);
const NOT_TRUE = new Set(['entered-in-error', 'refuted']);

const codesOf = (c: z.infer<typeof CodeableConcept> | undefined) => (c?.coding ?? []).map((x) => x.code ?? '');

/** Distinct display strings, whitespace folded, each and the list bounded as PatientContext requires. */
export function boundedList(items: readonly (string | undefined)[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of items) {
    const text = raw?.replace(/\s+/g, ' ').trim().slice(0, CLINICAL_LIST_ITEM_MAX_CHARS).trim();
    if (!text || seen.has(text.toLowerCase())) continue;
    seen.add(text.toLowerCase());
    out.push(text);
    if (out.length === CLINICAL_LIST_MAX_ITEMS) break;
  }
  return out;
}

/**
 * Names of the patient's active medication requests. A medication given as a reference is named by
 * the reference's display; one without a display is left out rather than read separately (that
 * would need Medication read access, and `_include` is not supported everywhere).
 */
export function medicationNames(requests: readonly FhirMedicationRequest[], patientId: string): string[] {
  return boundedList(
    requests
      .filter((r) => r.status === 'active' && referencedId(r.subject?.reference, 'Patient') === patientId)
      .map((r) => conceptText(r.medicationCodeableConcept) || r.medicationReference?.display),
  );
}

/** Names of the patient's active problem-list conditions: no encounter diagnoses, nothing resolved, refuted or entered in error. */
export function problemNames(conditions: readonly FhirCondition[], patientId: string): string[] {
  return boundedList(
    conditions
      .filter(
        (c) =>
          referencedId(c.subject?.reference, 'Patient') === patientId &&
          (c.category ?? []).some((k) => codesOf(k).includes('problem-list-item')) &&
          codesOf(c.clinicalStatus).some((code) => ACTIVE_CLINICAL.has(code)) &&
          !codesOf(c.verificationStatus).some((code) => NOT_TRUE.has(code)),
      )
      .map((c) => conceptText(c.code)),
  );
}

export async function readClinicalLists(
  reader: FhirReader,
  patientId: string,
  logger: Logger,
  timeoutMs = CLINICAL_LISTS_TIMEOUT_MS,
): Promise<ClinicalLists> {
  const signal = AbortSignal.timeout(timeoutMs);
  const count = String(CLINICAL_LIST_MAX_ITEMS);
  // The typed form: every FHIR server takes it, and the sandbox's engine matches only it.
  const patient = `Patient/${patientId}`;
  const medicationsRead = (async () => {
    const what = 'medication list';
    const query = new URLSearchParams({ patient, status: 'active', _count: count });
    const page = readSearchPage(await reader.get(`MedicationRequest?${query.toString()}`, what, signal), what);
    return medicationNames(resourcesOf(page, 'MedicationRequest', FhirMedicationRequest, what), patientId);
  })();
  const problemsRead = (async () => {
    const what = 'problem list';
    const query = new URLSearchParams({
      patient,
      category: 'problem-list-item',
      'clinical-status': 'active,recurrence,relapse',
      _count: count,
    });
    const page = readSearchPage(await reader.get(`Condition?${query.toString()}`, what, signal), what);
    return problemNames(resourcesOf(page, 'Condition', FhirCondition, what), patientId);
  })();
  const [medications, problems] = await Promise.allSettled([medicationsRead, problemsRead]);
  const reasonOf = (r: PromiseSettledResult<unknown>) =>
    r.status === 'fulfilled' ? 'read' : r.reason instanceof EhrError ? r.reason.problem : 'internal';
  const status = {
    medications: medications.status === 'fulfilled' ? 'read' : 'unavailable',
    problems: problems.status === 'fulfilled' ? 'read' : 'unavailable',
  } as const;
  if (status.medications !== 'read' || status.problems !== 'read') {
    const httpStatus = (r: PromiseSettledResult<unknown>) =>
      r.status === 'rejected' && r.reason instanceof EhrError ? r.reason.status : undefined;
    logger.info('ehr.clinical_lists_unavailable', {
      medications: reasonOf(medications),
      problems: reasonOf(problems),
      medicationsStatus: httpStatus(medications),
      problemsStatus: httpStatus(problems),
    });
  }
  return {
    medications: medications.status === 'fulfilled' ? medications.value : [],
    problems: problems.status === 'fulfilled' ? problems.value : [],
    status,
  };
}
