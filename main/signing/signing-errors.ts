import type { UnsupportedSummary } from '../../shared/domain/unsupported-sentences.js';
import { SECTION_NAMES } from '../../shared/domain/unsupported-sentences.js';
import type { VisitState } from '../../shared/domain/visit.js';
import { ScribeError } from '../kernel/errors.js';

/** What a signature is over: the note itself, or an addendum to the signed note. */
export type SignedKind = 'note' | 'addendum';

const noun = (kind: SignedKind) => (kind === 'note' ? 'note' : 'addendum');

export const signingRoleForbidden = (kind: SignedKind) =>
  new ScribeError('forbidden', `Only a clinician can sign ${kind === 'note' ? 'a note' : 'an addendum'}.`, {
    reason: 'signing.role_forbidden',
  });

export const noteAlreadySigned = () => new ScribeError('conflict', 'This note is already signed.', { reason: 'signing.already_signed' });

export const noteNotSigned = () =>
  new ScribeError('conflict', 'The note is not signed yet: edit the note itself; an addendum is for changes after signing.', {
    reason: 'signing.note_not_signed',
  });

export const noOpenAddendum = () =>
  new ScribeError('conflict', 'There is no unsigned addendum to sign.', { reason: 'signing.no_open_addendum' });

/** The signature named a revision other than the current one: the signer did not see what is there now. */
export const revisionChanged = (kind: SignedKind, current: number) =>
  new ScribeError(
    'conflict',
    kind === 'note'
      ? `The note changed since you reviewed it (now revision ${current}). Review the current note, then sign.`
      : `The addendum changed since you reviewed it (now revision ${current}). Review the current text, then sign.`,
    { reason: 'signing.revision_changed', details: { kind, current } },
  );

export const emptyText = (kind: SignedKind) =>
  new ScribeError('bad_request', `An empty ${noun(kind)} cannot be signed.`, { reason: 'signing.empty_text', details: { kind } });

export const visitNotSignable = (kind: SignedKind, state: VisitState) =>
  new ScribeError(
    'conflict',
    `${kind === 'note' ? 'A note' : 'An addendum'} cannot be signed while the visit is ${state.replaceAll('_', ' ')}.`,
    {
      reason: 'signing.visit_not_signable',
      details: { kind, state },
    },
  );

export const originalNotQueued = () =>
  new ScribeError('conflict', 'The original note has no outbox job to follow.', { reason: 'signing.original_not_queued' });

/**
 * A signature asked for on a note with drafted sentences no transcript line backs, without saying
 * the clinician checked them. Names counts and fixed section names only, never the sentences.
 */
export const unsupportedUnacknowledged = (summary: UnsupportedSummary) => {
  const where = summary.sections.map((section) => SECTION_NAMES[section.id]).join(', ');
  const one = summary.count === 1;
  return new ScribeError(
    'bad_request',
    `${summary.count} sentence${one ? ' has' : 's have'} no support in the transcript (${where}). Check ${one ? 'it' : 'them'}, then sign again confirming you did (acknowledgeUnsupported). Nothing was signed.`,
    { reason: 'signing.unsupported_unacknowledged', details: { count: summary.count } },
  );
};

/** An accepted code is sent to the EHR as a diagnosis: re-checked against the code set in use at signing. */
export const acceptedCodeNotBillable = (codes: readonly string[]) =>
  new ScribeError(
    'bad_request',
    'An accepted diagnosis code is not a billable ICD-10-CM code in the code set in use. Choose a billable code or remove it, then sign. Nothing was signed.',
    { reason: 'signing.code_not_billable', details: { codes: codes.join(', ') } },
  );

/** Nobody vouches for which EHR practitioner is signing: no EHR sign-in, no IT mapping of this account. */
export const signerUnresolved = () =>
  new ScribeError(
    'forbidden',
    'The EHR does not know who is signing: you are not signed in to the EHR, and this workstation account is not linked to an EHR practitioner. Sign in to the EHR, or ask IT to link your account (signerPractitioners). Nothing was signed.',
    { reason: 'signing.signer_unresolved' },
  );

/** The EHR answered that it has no such practitioner: a note signed under that id could never be filed. */
export const signerUnknownToEhr = () =>
  new ScribeError(
    'bad_request',
    'The EHR has no practitioner with the id this signature would carry, so it would refuse the note. Check the practitioner id, or ask IT to correct the link for this account. Nothing was signed.',
    { reason: 'signing.signer_unknown' },
  );
