import type { VisitState } from '../../shared/domain/visit.js';
import { ForbiddenError, ScribeError } from '../kernel/errors.js';

const words = (state: VisitState) => state.replaceAll('_', ' ');

/** A move the lifecycle table does not have: a caller asked for something the visit can never do. */
export const illegalTransition = (from: VisitState, to: VisitState) =>
  new ScribeError('conflict', `A visit cannot move from ${words(from)} to ${words(to)}.`, {
    reason: 'visit.illegal_transition',
    details: { from, to },
  });

/** The encounter already has a visit for another patient: refused rather than mixed up. */
export const encounterOfAnotherPatient = () =>
  new ScribeError('conflict', 'A visit for this encounter already exists for a different patient; check the encounter ID.', {
    reason: 'visit.encounter_patient_mismatch',
  });

export const markReadyForbidden = () =>
  new ForbiddenError('Only clinicians and scribes can mark a note ready for signature.', 'visit.mark_ready_forbidden');

export const notReadyForSignature = (state: VisitState) =>
  new ScribeError('conflict', `Only a drafted note in review can be marked ready for signature; this visit is ${words(state)}.`, {
    reason: 'visit.not_ready_for_signature',
    details: { state },
  });
