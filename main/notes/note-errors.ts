import { ForbiddenError, NotFoundError, ScribeError } from '../kernel/errors.js';

export const noteNotFound = () => new NotFoundError('A note for this visit', 'note.not_found');

export const noteEditForbidden = () => new ForbiddenError('Only clinicians and scribes can edit notes.', 'note.edit_forbidden');

export const noteOfAnotherVisit = () => new ScribeError('bad_request', 'The note belongs to another visit.', { reason: 'note.wrong_visit' });

/** A signed note is a legal record: only an addendum may add to it. */
export const noteSignedLocked = () => new ScribeError('conflict', 'This note is signed and locked; changes need an addendum.', { reason: 'note.signed_locked' });

export const noteRevisionConflict = (current: number) =>
  new ScribeError('conflict', `The note was changed by someone else (now revision ${current}). Reload it to see their changes, then edit again.`, {
    reason: 'note.revision_conflict',
    details: { current },
  });
