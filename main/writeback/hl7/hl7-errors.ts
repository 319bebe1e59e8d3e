import { ScribeError } from '../../kernel/errors.js';

/** A message that cannot be framed, or a frame that cannot be read. */
export class MllpFrameError extends ScribeError {
  constructor(message: string, reason: string, details?: Record<string, number>) {
    super('bad_request', message, { reason, details });
  }
}

/** A payload that cannot become a valid message; the message names the part, never its value. */
export class Hl7BuildError extends ScribeError {
  constructor(message: string, reason: string) {
    super('bad_request', message, { reason });
  }
}

export const controlByteInPayload = () =>
  new MllpFrameError(
    'An HL7 message holds an MLLP control byte (VT or FS); it must be escaped before framing.',
    'hl7.control_byte_in_payload',
  );

export const frameTooLarge = (maxFrameBytes: number) =>
  new MllpFrameError(`An MLLP frame exceeded the limit of ${maxFrameBytes} bytes.`, 'hl7.frame_too_large', { maxFrameBytes });

export const unpairedSurrogate = () =>
  new Hl7BuildError('The note text holds an unpaired surrogate and cannot be encoded as UTF-8.', 'hl7.note_text_not_encodable');

export const noSigningTime = () => new Hl7BuildError('The attestation has no valid signing time.', 'hl7.no_signing_time');

export const noHl7Receiver = () =>
  new ScribeError('unavailable', 'No HL7 v2 receiver is set up (setting mllpHost).', { reason: 'hl7.not_configured' });

export const receiverIdentityMissing = (missing: readonly string[]) =>
  new ScribeError(
    'unavailable',
    `The HL7 v2 connection needs the receiver's identity: set ${missing.join(', ')} (ask the interface engine's team).`,
    {
      reason: 'hl7.receiver_identity_missing',
      details: { missing: missing.join(',') },
    },
  );

export const mllpListenerNotLoopback = () =>
  new ScribeError('bad_request', 'The sandbox MLLP listener binds to a loopback address only (127.0.0.1 or ::1).', {
    reason: 'hl7.listener_not_loopback',
  });
