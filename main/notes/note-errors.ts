import { ForbiddenError, NotFoundError, ScribeError } from '../kernel/errors.js';

export const noteNotFound = () => new NotFoundError('A note for this visit', 'note.not_found');

export const noteEditForbidden = () => new ForbiddenError('Only clinicians and scribes can edit notes.', 'note.edit_forbidden');

export const noteOfAnotherVisit = () =>
  new ScribeError('bad_request', 'The note belongs to another visit.', { reason: 'note.wrong_visit' });

/** A signed note is a legal record: only an addendum may add to it. */
export const noteSignedLocked = () =>
  new ScribeError('conflict', 'This note is signed and locked; changes need an addendum.', { reason: 'note.signed_locked' });

export const noteRevisionConflict = (current: number) =>
  new ScribeError(
    'conflict',
    `The note was changed by someone else (now revision ${current}). Reload it to see their changes, then edit again.`,
    {
      reason: 'note.revision_conflict',
      details: { current },
    },
  );

export const addendumWriterForbidden = () =>
  new ScribeError('forbidden', 'Only clinicians and scribes can write addenda.', { reason: 'addendum.write_forbidden' });

export const addendumBeforeSigning = () =>
  new ScribeError('conflict', 'The note is not signed yet: edit the note itself; an addendum is for changes after signing.', {
    reason: 'addendum.note_not_signed',
  });

/** Someone saved the open addendum since this edit's base revision: reload, then edit again. */
export const addendumRevisionConflict = (current: number) =>
  new ScribeError(
    'conflict',
    `The addendum was changed by someone else (now revision ${current}). Reload it to see their changes, then edit again.`,
    {
      reason: 'addendum.revision_conflict',
      details: { current },
    },
  );

/** The edit continues an addendum that has been signed meanwhile: signed words never change. */
export const addendumSignedMeanwhile = () =>
  new ScribeError('conflict', 'The addendum you were editing has been signed. Reload to see it; further changes need a new addendum.', {
    reason: 'addendum.already_signed',
  });

export const addendumEmpty = () => new ScribeError('bad_request', 'An addendum needs some text.', { reason: 'addendum.empty' });

/** Accepted codes go to the EHR as diagnoses: each must be a billable code of the code set in use. */
export const acceptedCodesNotBillable = (codes: readonly string[]) =>
  new ScribeError(
    'bad_request',
    'An accepted diagnosis code is not a billable ICD-10-CM code in the code set in use. Choose a billable code or remove it.',
    { reason: 'note.code_not_billable', details: { codes: codes.join(', ') } },
  );
