import { Hl7Message } from '@medplum/core';
import type { Hl7Field } from '@medplum/core';
import type { SignedNotePayload } from '../delivery.js';
import { documentNumber, messageControlId } from './control-id.js';
import type { Hl7TargetConfig } from './hl7-config.js';
import { splitPersonName } from './person-name.js';
import { HL7_CONTEXT, field, mshSegment, repeated, segment } from './segments.js';
import { formatHl7Date, formatHl7Timestamp, localOffsetMinutes } from './timestamp.js';
import { noSigningTime, unpairedSurrogate } from './hl7-errors.js';

export const SENDING_APPLICATION = 'AMBIENT_SCRIBE';
export const HL7_VERSION = '2.5.1';
export const MESSAGE_CHARSET = 'UNICODE UTF-8';

/** OBX-3 of the note's text lines: LOINC 11506-3, the same document type FHIR write-back uses. */
export const NOTE_OBSERVATION = ['11506-3', 'Progress note', 'LN'] as const;
/** TXA-3 (table 0191, v2.5.1): TEXT, machine readable text document (TX was v2.2 only). */
export const TEXT_CONTENT = 'TEXT';
/** OBX-3 of each accepted diagnosis code: LOINC 29308-4 "Diagnosis". */
export const DIAGNOSIS_OBSERVATION = ['29308-4', 'Diagnosis', 'LN'] as const;
/**
 * CWE-3 for ICD-10-CM codes. Table 0396 is maintained by HL7 outside the version releases and is
 * used with any 2.x version; its value for ICD-10-CM is I10C. (I10 is WHO ICD-10, whose codes
 * differ from the US clinical modification, so sending ICD-10-CM codes as I10 would be wrong.)
 * The codes go in OBX segments because the v2.5.1 MDM_T02 structure has no DG1.
 */
export const ICD10CM_CODING_SYSTEM = 'I10C';

export type MdmT02Settings = Pick<
  Hl7TargetConfig,
  | 'receivingApplication'
  | 'receivingFacility'
  | 'sendingFacility'
  | 'processingId'
  | 'patientIdAuthority'
  | 'patientIdType'
  | 'patientClass'
  | 'completionStatus'
  | 'providerIdType'
  | 'documentTypes'
> &
  Partial<Pick<Hl7TargetConfig, 'sendingApplication' | 'providerIdAuthority'>>;

export interface BuiltMdmT02 {
  /** MSH-10: derived from the idempotency key, identical on every resend. */
  readonly controlId: string;
  readonly message: Hl7Message;
  /** The message as sent: segments each terminated by CR. */
  readonly text: string;
}

/**
 * MDM^T02 (original document notification and content) for one signed note: MSH, EVN, PID, PV1,
 * TXA, then one TX OBX per line of the note text (so a line break is a segment boundary and every
 * line survives byte for byte, empty ones included) and one CWE OBX per accepted code.
 * An addendum is MDM^T06 (document addendum notification and content, same MDM_T02 structure):
 * its own TXA-12 from its own key, and TXA-13 (parent document number) the original's TXA-12.
 */
export function buildMdmT02(
  job: { readonly idempotencyKey: string; readonly payload: SignedNotePayload },
  settings: MdmT02Settings,
  now: Date,
  offsetMinutes: (at: Date) => number = localOffsetMinutes,
): BuiltMdmT02 {
  const { payload } = job;
  if (!isWellFormed(payload.noteText)) throw unpairedSurrogate();
  const signedAt = new Date(payload.attestation.signedAt);
  if (!Number.isFinite(signedAt.getTime())) throw noSigningTime();
  const ts = (at: Date) => formatHl7Timestamp(at, offsetMinutes(at));
  const controlId = messageControlId(job.idempotencyKey);
  const sendingApplication = settings.sendingApplication ?? SENDING_APPLICATION;
  const trigger = payload.addendum ? 'T06' : 'T02';
  const ei = (key: string) => {
    const number = documentNumber(key, sendingApplication);
    return field(number.id, number.namespace);
  };
  const parentDocumentNumber = payload.addendum ? ei(payload.addendum.parentIdempotencyKey) : undefined;
  const documentType = (payload.addendum && settings.documentTypes.addendum) || settings.documentTypes[payload.note.template];

  const clinician = {
    ...payload.practitioner,
    authority: settings.providerIdAuthority ?? settings.receivingApplication,
    idType: settings.providerIdType,
  };
  const practitioner = xcn(clinician);
  const patientName = splitPersonName(payload.patient.displayName);

  const segments = [
    mshSegment(
      sendingApplication,
      settings.sendingFacility,
      settings.receivingApplication,
      settings.receivingFacility,
      ts(now),
      undefined,
      field('MDM', trigger, 'MDM_T02'),
      controlId,
      settings.processingId,
      HL7_VERSION,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      MESSAGE_CHARSET,
    ),
    segment('EVN', trigger, ts(now), undefined, undefined, practitioner, ts(signedAt)),
    segment(
      'PID',
      '1',
      undefined,
      repeated(...patientIdentifiers(payload.patient, settings)),
      undefined,
      patientName
        ? field(patientName.family, patientName.given, patientName.middle, undefined, patientName.prefix, patientName.degree)
        : undefined,
      undefined,
      payload.patient.birthDate ? formatHl7Date(payload.patient.birthDate) : undefined,
      payload.patient.sex ? SEX[payload.patient.sex] : undefined,
    ),
    segment(
      'PV1',
      '1',
      settings.patientClass,
      ...blank(4),
      practitioner,
      ...blank(11),
      payload.encounterId ? field(payload.encounterId, undefined, undefined, settings.patientIdAuthority, 'VN') : undefined,
    ),
    segment(
      'TXA',
      '1',
      documentType,
      TEXT_CONTENT,
      ts(signedAt),
      practitioner,
      ts(signedAt),
      undefined,
      undefined,
      practitioner,
      practitioner,
      undefined,
      ei(job.idempotencyKey),
      parentDocumentNumber,
      ...blank(3),
      settings.completionStatus,
      undefined,
      'AV',
      undefined,
      undefined,
      ppn(clinician, ts(signedAt)),
    ),
  ];

  let setId = 0;
  for (const line of payload.noteText.split('\n')) {
    setId += 1;
    segments.push(
      segment('OBX', String(setId), 'TX', field(...NOTE_OBSERVATION), '1', line, ...blank(5), 'F', undefined, undefined, ts(signedAt)),
    );
  }
  payload.codes
    .filter((code) => code.status === 'accepted')
    .forEach((code, index) => {
      setId += 1;
      segments.push(
        segment(
          'OBX',
          String(setId),
          'CWE',
          field(...DIAGNOSIS_OBSERVATION),
          String(index + 1),
          field(code.code, code.description, ICD10CM_CODING_SYSTEM),
          ...blank(5),
          'F',
        ),
      );
    });

  const message = new Hl7Message(segments, HL7_CONTEXT);
  return { controlId, message, text: `${message.toString()}${HL7_CONTEXT.segmentSeparator}` };
}

const SEX = { female: 'F', male: 'M', other: 'O', unknown: 'U' } as const;

/**
 * PID-3: the MRN first, under the EHR's MRN namespace; then the EHR's own patient id when it is a
 * different value. That id is typed as the site set it up and, unless it is itself an MRN, assigned
 * by the receiving application (a FHIR Patient id is not a number of the MRN namespace).
 */
function patientIdentifiers(patient: SignedNotePayload['patient'], settings: MdmT02Settings): Hl7Field[] {
  const { mrn, id } = patient;
  const ids = mrn ? [field(mrn, undefined, undefined, settings.patientIdAuthority, 'MR')] : [];
  if (id !== mrn) {
    const type = mrn && settings.patientIdType === 'MR' ? 'PI' : settings.patientIdType;
    ids.push(field(id, undefined, undefined, type === 'MR' ? settings.patientIdAuthority : settings.receivingApplication, type));
  }
  return ids;
}

interface Clinician {
  readonly id: string;
  readonly name?: string | undefined;
  readonly authority: string;
  readonly idType: string;
}

/**
 * XCN (v2.5.1): 1 id, 2 family name, 3 given, 4 further given names, 6 prefix, 7 degree, 9 assigning
 * authority, 13 identifier type code. The name parts are empty when the payload carries no name.
 */
function xcnComponents(person: Clinician): (string | undefined)[] {
  const name = splitPersonName(person.name);
  return [
    person.id,
    name?.family,
    name?.given,
    name?.middle,
    undefined,
    name?.prefix,
    name?.degree,
    undefined,
    person.authority,
    ...blank(3),
    person.idType,
  ];
}

function xcn(person: Clinician): Hl7Field {
  return field(...xcnComponents(person));
}

/** PPN: an XCN whose 15th component is when that person authenticated the document. */
function ppn(person: Clinician, at: string): Hl7Field {
  return field(...xcnComponents(person), undefined, at);
}

function blank(count: number): undefined[] {
  return Array.from({ length: count }, () => undefined);
}

function isWellFormed(text: string): boolean {
  // With the u flag a surrogate class matches only surrogates that are not part of a pair.
  return !/[\uD800-\uDFFF]/u.test(text);
}
