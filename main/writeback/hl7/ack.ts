import { Hl7Message } from '@medplum/core';
import { parseHl7, hl7Sub, hl7Value } from './hl7-read.js';
import { HL7_CONTEXT, field, mshSegment, segment } from './segments.js';
import { formatHl7Timestamp } from './timestamp.js';

export const ACK_CODES = ['AA', 'AE', 'AR', 'CA', 'CE', 'CR'] as const;
export type AckCode = (typeof ACK_CODES)[number];

export interface ParsedAck {
  readonly code: AckCode;
  /** MSA-2: the MSH-10 of the message this acknowledges. */
  readonly acknowledgedControlId: string;
  /** MSH-10 of the ACK itself. */
  readonly ackControlId: string;
  /** The receiver's words (ERR-8, ERR-3 text, MSA-3), for people; may quote data, so never logged. */
  readonly text: string;
  /** ERR-3.1 of each ERR segment (table 0357), e.g. 204 unknown key identifier. */
  readonly errorCodes: readonly string[];
}

const MAX_REASON_CHARS = 2000;

/**
 * Reads an acknowledgement. A frame that is not a parseable ACK with a known MSA-1 and a
 * non-empty MSA-2 is malformed: `problem` then says what was wrong without quoting the frame.
 */
export function parseAck(text: string): { ok: true; ack: ParsedAck } | { ok: false; problem: string } {
  let message: Hl7Message;
  try {
    message = parseHl7(text);
  } catch {
    return { ok: false, problem: 'not an HL7 message' };
  }
  const msa = message.getSegment('MSA');
  if (!msa) return { ok: false, problem: 'no MSA segment' };
  const code = hl7Value(msa, 1);
  if (!(ACK_CODES as readonly string[]).includes(code)) return { ok: false, problem: 'MSA-1 is not an acknowledgment code' };
  const acknowledgedControlId = hl7Value(msa, 2);
  if (!acknowledgedControlId) return { ok: false, problem: 'MSA-2 (acknowledged message id) is empty' };

  const reasons: string[] = [];
  const errorCodes: string[] = [];
  for (const err of message.getAllSegments('ERR')) {
    const errorCode = hl7Value(err, 3, 1) || hl7Sub(err, 1, 4, 1);
    if (errorCode) errorCodes.push(errorCode);
    // v2.5 ERR: 8 user message, 3 HL7 error code (CWE: code^text); v2.4 ERR-1 ELD: ...^code&text in component 4.
    const said = hl7Value(err, 8) || hl7Value(err, 3, 2) || hl7Sub(err, 1, 4, 2);
    if (said) reasons.push(said);
  }
  const msa3 = hl7Value(msa, 3);
  if (reasons.length === 0 && msa3) reasons.push(msa3);
  const joined = reasons.join('; ');
  return {
    ok: true,
    ack: {
      code: code as AckCode,
      acknowledgedControlId,
      ackControlId: hl7Value(message.header, 10),
      text: joined.length > MAX_REASON_CHARS ? `${joined.slice(0, MAX_REASON_CHARS)}…` : joined,
      errorCodes,
    },
  };
}

export interface AckError {
  /** Table 0357, e.g. 101 required field missing, 207 application internal error. */
  readonly hl7ErrorCode: string;
  readonly text: string;
  /** ERR-2 (ERL): the segment and field the error is about, e.g. PID-3. */
  readonly location?: { readonly segment: string; readonly field: number } | undefined;
}

const HL7_ERROR_TEXT: Record<string, string> = {
  '0': 'Message accepted',
  '100': 'Segment sequence error',
  '101': 'Required field missing',
  '102': 'Data type error',
  '103': 'Table value not found',
  '200': 'Unsupported message type',
  '201': 'Unsupported event code',
  '202': 'Unsupported processing id',
  '203': 'Unsupported version id',
  '204': 'Unknown key identifier',
  '205': 'Duplicate key identifier',
  '206': 'Application record locked',
  '207': 'Application internal error',
};

/**
 * An original-mode ACK to `to` (or to a bare control id when the message could not be parsed),
 * from `application`/`facility`.
 */
export function buildAck(options: {
  readonly to: Hl7Message | { readonly controlId: string };
  readonly code: AckCode;
  readonly application: string;
  readonly facility?: string | undefined;
  readonly ackControlId: string;
  readonly now: Date;
  readonly error?: AckError | undefined;
}): string {
  const original = options.to instanceof Hl7Message ? options.to : undefined;
  const msh = original?.header;
  const controlId = original ? hl7Value(msh, 10) : (options.to as { controlId: string }).controlId;
  const trigger = original ? hl7Value(msh, 9, 2) : '';
  const segments = [
    mshSegment(
      options.application,
      options.facility,
      msh?.getField(3),
      msh?.getField(4),
      formatHl7Timestamp(options.now),
      undefined,
      trigger ? field('ACK', trigger, 'ACK') : 'ACK',
      options.ackControlId,
      (original && hl7Value(msh, 11)) || 'P',
      '2.5.1',
    ),
    segment('MSA', options.code, controlId, options.error?.text),
  ];
  if (options.error) {
    const { hl7ErrorCode, text, location } = options.error;
    segments.push(
      segment(
        'ERR',
        undefined,
        location ? field(location.segment, '1', String(location.field)) : undefined,
        field(hl7ErrorCode, HL7_ERROR_TEXT[hl7ErrorCode] ?? 'Error', 'HL70357'),
        'E',
        ...Array.from({ length: 3 }, () => undefined),
        text,
      ),
    );
  }
  return `${new Hl7Message(segments, HL7_CONTEXT).toString()}${HL7_CONTEXT.segmentSeparator}`;
}
