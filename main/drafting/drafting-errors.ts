import { ForbiddenError, ScribeError } from '../kernel/errors.js';

export const draftForbidden = () => new ForbiddenError('Only clinicians and scribes can draft notes.', 'drafting.forbidden');

export const transcriptNotFinal = () =>
  new ScribeError('conflict', 'The transcript is not final yet: drafting starts once the visit is stopped and its audio transcribed.', {
    reason: 'drafting.transcript_not_final',
  });

export const transcriptEmpty = () =>
  new ScribeError('conflict', 'The transcript is empty; there is nothing to draft from.', { reason: 'drafting.transcript_empty' });

/** Drafting again over a clinician's edits only when asked: the edits stay in the history either way. */
export const noteHasEdits = (edits: number) =>
  new ScribeError(
    'conflict',
    `The note has ${edits} edit(s) since it was drafted; drafting again would put a new draft on top of them. Ask for that explicitly (replace edits) if you mean it; the edits stay in the history.`,
    { reason: 'drafting.note_has_edits', details: { edits } },
  );
