import type { VisitState } from '../../shared/domain/visit.js';
import { ScribeError } from '../kernel/errors.js';

const words = (state: VisitState) => state.replaceAll('_', ' ');

/** A move the lifecycle table does not have: a caller asked for something the visit can never do. */
export const illegalTransition = (from: VisitState, to: VisitState) =>
  new ScribeError('conflict', `A visit cannot move from ${words(from)} to ${words(to)}.`, {
    reason: 'visit.illegal_transition',
    details: { from, to },
  });
