import { VisitState } from '../../shared/domain/visit.js';
import type { VisitId } from '../../shared/ids.js';
import type { Store } from '../store/store.js';
import type { VisitStateColumnOptions } from '../store/visit-repository.js';
import { createSqliteVisitStateColumn } from '../store/visit-repository.js';
import { illegalTransition } from './visit-errors.js';

/** Every state a visit can be in (the API's enum, in order). */
export const VISIT_STATES: readonly VisitState[] = VisitState.options;

export interface VisitMove {
  readonly from: VisitState;
  readonly to: VisitState;
  /** Who makes the move and when. */
  readonly trigger: string;
}

/** The states a signed visit moves among as its outbox jobs (the note and its addenda) are sent, fail and are retried. */
export const DELIVERY_STATES: readonly VisitState[] = ['signed', 'delivered', 'failed'];

const deliveryMoves: VisitMove[] = DELIVERY_STATES.flatMap((from) =>
  DELIVERY_STATES.filter((to) => to !== from).map((to) => ({
    from,
    to,
    trigger: 'writeback: the outbox settles the visit on what all its jobs say (delivered, failed, an addendum queued, a retry)',
  })),
);

/** Every legal move. A move not listed here is refused with `visit.illegal_transition`. */
export const VISIT_MOVES: readonly VisitMove[] = [
  { from: 'not_started', to: 'recording', trigger: 'capture: recording starts' },
  { from: 'recording', to: 'transcribing', trigger: 'capture: recording stops' },
  { from: 'recording', to: 'recording_interrupted', trigger: 'capture: the recording process is gone (lease sweep)' },
  { from: 'recording_interrupted', to: 'recording', trigger: 'capture: an interrupted recording is resumed' },
  { from: 'recording_interrupted', to: 'transcribing', trigger: 'capture: an interrupted recording is finished as it is' },
  { from: 'not_started', to: 'transcribing', trigger: 'capture: an audio file is imported' },
  { from: 'not_started', to: 'draft_ready', trigger: 'notes: a first draft is saved for a visit never recorded' },
  { from: 'transcribing', to: 'draft_ready', trigger: 'notes: the first draft of a recorded visit is saved' },
  { from: 'transcribing', to: 'in_review', trigger: "pipeline: the transcript is final and a person's note is already there" },
  { from: 'transcribing', to: 'transcription_failed', trigger: 'transcription: the run failed for a reason that will not pass by itself' },
  { from: 'transcription_failed', to: 'transcribing', trigger: 'transcription: tried again, or a transcript is imported' },
  { from: 'transcription_failed', to: 'draft_ready', trigger: 'notes: a first draft is saved for a visit whose transcription failed' },
  { from: 'transcription_failed', to: 'in_review', trigger: 'notes: a person writes the note by hand' },
  { from: 'draft_ready', to: 'in_review', trigger: 'notes: a person edits the draft' },
  { from: 'draft_ready', to: 'ready_for_signature', trigger: 'visits: marked ready for signature' },
  { from: 'in_review', to: 'ready_for_signature', trigger: 'visits: marked ready for signature' },
  ...(['not_started', 'transcribing', 'transcription_failed', 'draft_ready', 'in_review', 'ready_for_signature'] as const).map((from) => ({
    from,
    to: 'signed' as const,
    trigger: 'writeback: the clinician signs the note (its outbox job is queued in the same transaction)',
  })),
  ...deliveryMoves,
];

const legal = new Set(VISIT_MOVES.map((move) => `${move.from}>${move.to}`));

export const isLegalMove = (from: VisitState, to: VisitState): boolean => legal.has(`${from}>${to}`);

export interface VisitLifecycle {
  /**
   * Moves the visit to `to` if it is in `from` (or one of them), as a compare-and-set inside the
   * caller's transaction when there is one; `visit:changed` follows the commit. Every from → to asked
   * for must be in VISIT_MOVES, else it throws `visit.illegal_transition` naming both states and
   * changes nothing. Listing `to` among `from` means "or already there": then a visit already in `to`
   * is left as it is and the call returns true. Otherwise returns false, changing nothing, when the
   * visit is missing or in another state: the caller decides whether that is an error.
   */
  transition(visitId: VisitId, from: VisitState | readonly VisitState[], to: VisitState): boolean;
}

export interface VisitLifecycleDeps extends VisitStateColumnOptions {
  readonly store: Store;
}

export function createVisitLifecycle({ store, onStateChanged }: VisitLifecycleDeps): VisitLifecycle {
  const column = createSqliteVisitStateColumn(store, { onStateChanged });

  function transition(visitId: VisitId, from: VisitState | readonly VisitState[], to: VisitState): boolean {
    const froms: readonly VisitState[] = typeof from === 'string' ? [from] : from;
    const illegal = froms.find((state) => state !== to && !isLegalMove(state, to));
    if (illegal !== undefined) throw illegalTransition(illegal, to);
    const moving = froms.filter((state) => state !== to);
    if (column.compareAndSet(visitId, moving, to)) return true;
    return froms.includes(to) && column.read(visitId) === to;
  }

  return { transition };
}
