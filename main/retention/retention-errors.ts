import { ForbiddenError, ScribeError } from '../kernel/errors.js';

/** A signed note (or addendum) not yet confirmed by the EHR: its only copy is here, so it stays. */
export const eraseUndelivered = (undelivered: number) =>
  new ScribeError(
    'conflict',
    'This visit has a signed note that has not reached the EHR yet. It can be erased once the EHR has confirmed it; nothing was erased.',
    { reason: 'retention.erase_undelivered', details: { undelivered } },
  );

export const eraseWhileCapturing = () =>
  new ScribeError('conflict', 'This visit is being recorded or imported. Stop it first; nothing was erased.', {
    reason: 'retention.erase_while_capturing',
  });

export const eraseWhileTranscribing = () =>
  new ScribeError('conflict', 'This visit is being transcribed. Cancel the transcription first; nothing was erased.', {
    reason: 'retention.erase_while_transcribing',
  });

/** A table holding visit rows that erasure does not know: refused rather than leaving part of the visit behind. */
export const erasureSchemaUnknown = (table: string) =>
  new ScribeError('internal', 'Erasure does not cover every kind of visit record in this store; nothing was erased.', {
    reason: 'retention.erase_schema_unknown',
    details: { table },
  });

export const retentionRunForbidden = () =>
  new ForbiddenError('Scribes cannot run retention. Nothing was changed.', 'retention.run_forbidden');
