import type { Hl7Message, Hl7Segment } from '@medplum/core';
import { hl7Sub, hl7Text, hl7Value, repetitionCount } from './hl7-read.js';
import { parseHl7Date } from './timestamp.js';

/** A clinician field (XCN/PPN) as read: id, name, XCN-9 assigning authority and XCN-13 identifier type. */
export interface MdmPerson {
  readonly id: string;
  readonly family: string;
  readonly given: string;
  readonly authority: string;
  readonly idType: string;
}

/** An MDM^T02 (or T06 addendum) as a receiver reads it: every value unescaped, the note's TX lines joined back into its text. */
export interface MdmDocument {
  readonly controlId: string;
  readonly sendingApplication: string;
  readonly sendingFacility: string;
  readonly receivingApplication: string;
  readonly receivingFacility: string;
  /** MSH-7 as written (with its offset). */
  readonly messageTime: string;
  readonly messageType: string;
  readonly processingId: string;
  readonly version: string;
  readonly charset: string;
  readonly eventType: string;
  /** EVN-5: who caused the event (the signer). */
  readonly eventOperator: MdmPerson;
  readonly patient: {
    readonly identifiers: readonly { readonly id: string; readonly authority: string; readonly type: string }[];
    readonly family: string;
    readonly given: string;
    readonly middle: string;
    /** ISO date, or '' when absent. */
    readonly birthDate: string;
    readonly sex: string;
  };
  readonly patientClass: string;
  readonly attending: MdmPerson;
  readonly visitNumber: string;
  readonly document: {
    readonly type: string;
    readonly contentPresentation: string;
    readonly activityTime: string;
    readonly originationTime: string;
    readonly primaryProvider: MdmPerson;
    readonly originator: MdmPerson;
    readonly authenticator: MdmPerson;
    readonly uniqueDocumentNumber: string;
    readonly uniqueDocumentNamespace: string;
    /** TXA-13, on an addendum (T06): the TXA-12 of the document it adds to; '' otherwise. */
    readonly parentDocumentNumber: string;
    readonly completionStatus: string;
    readonly availabilityStatus: string;
    readonly authenticatedBy: MdmPerson;
    readonly authenticatedAt: string;
  };
  /** TX OBX values in set-id order, joined with LF: the note text. */
  readonly noteText: string;
  readonly noteObservation: string;
  readonly codes: readonly { readonly code: string; readonly description: string; readonly system: string; readonly observation: string }[];
}

/** What an MDM receiver would refuse, in HL7 error terms (table 0357) with a text naming fields, never values. */
export interface MdmProblem {
  readonly hl7ErrorCode: '100' | '101' | '102' | '200' | '201' | '203';
  readonly text: string;
}

export function readMdmT02(message: Hl7Message): { ok: true; document: MdmDocument } | { ok: false; problem: MdmProblem } {
  const msh = message.header;
  const [type, trigger] = [hl7Value(msh, 9, 1), hl7Value(msh, 9, 2)];
  if (type !== 'MDM') return { ok: false, problem: { hl7ErrorCode: '200', text: `Unsupported message type ${type || '(none)'}.` } };
  if (trigger !== 'T02' && trigger !== 'T06')
    return { ok: false, problem: { hl7ErrorCode: '201', text: `Unsupported MDM trigger event ${trigger || '(none)'}.` } };
  if (!hl7Value(msh, 12).startsWith('2.5'))
    return { ok: false, problem: { hl7ErrorCode: '203', text: 'Unsupported HL7 version (2.5.x expected).' } };
  if (!hl7Value(msh, 10)) return { ok: false, problem: { hl7ErrorCode: '101', text: 'MSH-10 (message control id) is missing.' } };

  const pid = message.getSegment('PID');
  const pv1 = message.getSegment('PV1');
  const txa = message.getSegment('TXA');
  const observations = message.getAllSegments('OBX');
  const missing = [!pid && 'PID', !pv1 && 'PV1', !txa && 'TXA', observations.length === 0 && 'OBX'].filter(Boolean);
  if (missing.length > 0)
    return { ok: false, problem: { hl7ErrorCode: '100', text: `Required segment(s) missing: ${missing.join(', ')}.` } };
  if (!hl7Value(pid, 3)) return { ok: false, problem: { hl7ErrorCode: '101', text: 'PID-3 (patient identifier) is missing.' } };
  if (!hl7Value(txa, 12)) return { ok: false, problem: { hl7ErrorCode: '101', text: 'TXA-12 (unique document number) is missing.' } };
  if (trigger === 'T06' && !hl7Value(txa, 13))
    return { ok: false, problem: { hl7ErrorCode: '101', text: 'TXA-13 (parent document number) is missing from an addendum.' } };
  if (!hl7Value(txa, 17)) return { ok: false, problem: { hl7ErrorCode: '101', text: 'TXA-17 (document completion status) is missing.' } };

  const textLines: { setId: number; text: string }[] = [];
  const codes: MdmDocument['codes'][number][] = [];
  for (const obx of observations) {
    const valueType = hl7Value(obx, 2);
    if (valueType === 'TX' || valueType === 'FT' || valueType === 'ST') {
      textLines.push({ setId: Number.parseInt(hl7Value(obx, 1), 10), text: hl7Text(obx, 5) });
    } else if (valueType === 'CWE' || valueType === 'CE') {
      codes.push({
        code: hl7Value(obx, 5, 1),
        description: hl7Value(obx, 5, 2),
        system: hl7Value(obx, 5, 3),
        observation: hl7Value(obx, 3, 1),
      });
    } else {
      return {
        ok: false,
        problem: { hl7ErrorCode: '102', text: `OBX-2 value type ${valueType || '(none)'} is not supported for documents.` },
      };
    }
  }
  if (textLines.some((l) => !Number.isInteger(l.setId)))
    return { ok: false, problem: { hl7ErrorCode: '102', text: 'OBX-1 (set id) is not a number.' } };
  textLines.sort((a, b) => a.setId - b.setId);

  const identifiers = Array.from({ length: repetitionCount(pid, 3) }, (_, rep) => ({
    id: hl7Value(pid, 3, 1, rep),
    authority: hl7Sub(pid, 3, 4, 1, rep),
    type: hl7Value(pid, 3, 5, rep),
  }));

  return {
    ok: true,
    document: {
      controlId: hl7Value(msh, 10),
      sendingApplication: hl7Sub(msh, 3, 1),
      sendingFacility: hl7Sub(msh, 4, 1),
      receivingApplication: hl7Sub(msh, 5, 1),
      receivingFacility: hl7Sub(msh, 6, 1),
      messageTime: hl7Value(msh, 7),
      messageType: [type, trigger, hl7Value(msh, 9, 3)].join('^'),
      processingId: hl7Value(msh, 11),
      version: hl7Value(msh, 12),
      charset: hl7Value(msh, 18),
      eventType: hl7Value(message.getSegment('EVN'), 1),
      eventOperator: person(message.getSegment('EVN'), 5),
      patient: {
        identifiers,
        family: hl7Value(pid, 5, 1),
        given: hl7Value(pid, 5, 2),
        middle: hl7Value(pid, 5, 3),
        birthDate: parseHl7Date(hl7Value(pid, 7).slice(0, 8)) ?? '',
        sex: hl7Value(pid, 8),
      },
      patientClass: hl7Value(pv1, 2),
      attending: person(pv1, 7),
      visitNumber: hl7Value(pv1, 19),
      document: {
        type: hl7Value(txa, 2),
        contentPresentation: hl7Value(txa, 3),
        activityTime: hl7Value(txa, 4),
        originationTime: hl7Value(txa, 6),
        primaryProvider: person(txa, 5),
        originator: person(txa, 9),
        authenticator: person(txa, 10),
        uniqueDocumentNumber: hl7Value(txa, 12, 1),
        uniqueDocumentNamespace: hl7Value(txa, 12, 2),
        parentDocumentNumber: hl7Value(txa, 13, 1),
        completionStatus: hl7Value(txa, 17),
        availabilityStatus: hl7Value(txa, 19),
        authenticatedBy: person(txa, 22),
        authenticatedAt: hl7Value(txa, 22, 15),
      },
      noteText: textLines.map((l) => l.text).join('\n'),
      noteObservation:
        textLines.length > 0
          ? hl7Value(
              observations.find((o) => hl7Value(o, 2) !== 'CWE' && hl7Value(o, 2) !== 'CE'),
              3,
              1,
            )
          : '',
      codes,
    },
  };
}

function person(segment: Hl7Segment | undefined, index: number): MdmPerson {
  return {
    id: hl7Value(segment, index, 1),
    family: hl7Value(segment, index, 2),
    given: hl7Value(segment, index, 3),
    authority: hl7Sub(segment, index, 9),
    idType: hl7Value(segment, index, 13),
  };
}
