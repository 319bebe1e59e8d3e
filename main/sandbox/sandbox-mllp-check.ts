import type { AckError } from '../writeback/hl7/ack.js';
import type { MdmDocument, MdmPerson } from '../writeback/hl7/mdm-t02-read.js';
import { SANDBOX_MRN_SYSTEM, SANDBOX_PATIENTS, SANDBOX_PRACTITIONERS } from './seed.js';

/** MSH-5 of the sandbox's HL7 receiver; it assigns the sandbox's own patient and practitioner ids. */
export const SANDBOX_HL7_APPLICATION = 'SANDBOX_EHR';

/** The sandbox clinic's document type table (TXA-2): progress note, history and physical, consultation (table 0270). */
export const SANDBOX_DOCUMENT_TYPES: readonly string[] = ['PR', 'HP', 'CN'];

const mrns = new Set(SANDBOX_PATIENTS.map((p) => p.mrn));
const patientIds = new Set(SANDBOX_PATIENTS.map((p) => p.id));
const practitionerIds = new Set(SANDBOX_PRACTITIONERS.map((p) => p.id));

/**
 * What the sandbox's interface engine checks before filing a document, against its seeded data:
 * the patient (found by an MRN in the sandbox's MRN namespace or by its own patient id, and not two
 * different patients), every clinician field, and the document type. A refusal is an AR whose
 * ERR names the field and whose text says what is unknown, never the value.
 */
export function sandboxMdmCheck(document: MdmDocument): AckError | undefined {
  const found = new Set<string>();
  for (const identifier of document.patient.identifiers) {
    if (identifier.type === 'MR' && identifier.authority === SANDBOX_MRN_SYSTEM && mrns.has(identifier.id)) {
      found.add(SANDBOX_PATIENTS.find((p) => p.mrn === identifier.id)!.id);
    } else if (identifier.type !== 'MR' && identifier.authority === SANDBOX_HL7_APPLICATION && patientIds.has(identifier.id)) {
      found.add(identifier.id);
    }
  }
  if (found.size === 0) {
    return { hl7ErrorCode: '204', text: 'Unknown patient: no PID-3 identifier matches a patient of this EHR.', location: pid3 };
  }
  if (found.size > 1) {
    return { hl7ErrorCode: '204', text: 'The PID-3 identifiers name different patients of this EHR.', location: pid3 };
  }

  const clinicians: [MdmPerson, string, number][] = [
    [document.eventOperator, 'EVN', 5],
    [document.attending, 'PV1', 7],
    [document.document.primaryProvider, 'TXA', 5],
    [document.document.originator, 'TXA', 9],
    [document.document.authenticator, 'TXA', 10],
    [document.document.authenticatedBy, 'TXA', 22],
  ];
  for (const [person, segment, field] of clinicians) {
    if (person.id !== '' && !practitionerIds.has(person.id)) {
      return {
        hl7ErrorCode: '204',
        text: `Unknown provider in ${segment}-${field}: no practitioner of this EHR has that id.`,
        location: { segment, field },
      };
    }
  }

  if (!SANDBOX_DOCUMENT_TYPES.includes(document.document.type)) {
    return {
      hl7ErrorCode: '103',
      text: `Unknown document type in TXA-2: this EHR files ${SANDBOX_DOCUMENT_TYPES.join(', ')}.`,
      location: { segment: 'TXA', field: 2 },
    };
  }
  return undefined;
}

const pid3 = { segment: 'PID', field: 3 } as const;

/** TXA-12's length in HL7 v2.5.1 (EI, 30 characters here as the issue's receivers truncate beyond it). */
export const TXA12_MAX_LENGTH = 30;

/**
 * The athena profile's interface engine: the sandbox's checks plus TXA-12 within 30 characters, since
 * a receiver that truncates it breaks duplicate detection (docs/ehr-vendors.md, "athena").
 */
export function athenaMdmCheck(document: MdmDocument): AckError | undefined {
  const refused = sandboxMdmCheck(document);
  if (refused) return refused;
  if (document.document.uniqueDocumentNumber.length > TXA12_MAX_LENGTH) {
    return {
      hl7ErrorCode: '102',
      text: `TXA-12 is longer than ${TXA12_MAX_LENGTH} characters.`,
      location: { segment: 'TXA', field: 12 },
    };
  }
  return undefined;
}
