import { ScribeError } from '../kernel/errors.js';

export const addendumWriterForbidden = () => new ScribeError('forbidden', 'Only clinicians and scribes can write addenda.', { reason: 'addendum.write_forbidden' });

export const addendumVisitNotFound = () => new ScribeError('not_found', 'The visit was not found.', { reason: 'visit.not_found' });

export const addendumNoteNotFound = () => new ScribeError('not_found', 'A note for this visit was not found.', { reason: 'note.not_found' });

export const addendumBeforeSigning = () =>
  new ScribeError('conflict', 'The note is not signed yet: edit the note itself; an addendum is for changes after signing.', { reason: 'addendum.note_not_signed' });

/** Someone saved the open addendum since this edit's base revision: reload, then edit again. */
export const addendumRevisionConflict = (current: number) =>
  new ScribeError('conflict', `The addendum was changed by someone else (now revision ${current}). Reload it to see their changes, then edit again.`, {
    reason: 'addendum.revision_conflict',
    details: { current },
  });

/** The edit continues an addendum that has been signed meanwhile: signed words never change. */
export const addendumSignedMeanwhile = () =>
  new ScribeError('conflict', 'The addendum you were editing has been signed. Reload to see it; further changes need a new addendum.', { reason: 'addendum.already_signed' });

export const addendumEmpty = () => new ScribeError('bad_request', 'An addendum needs some text.', { reason: 'addendum.empty' });
