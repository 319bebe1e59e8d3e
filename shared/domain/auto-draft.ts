import { z } from 'zod';
import { VisitId } from '../ids.js';

/**
 * Drafting on its own once a recorded visit's transcript is final: `drafting` while it runs,
 * `drafted` when the note is saved, `skipped` when a person's note was there first (it is never
 * overwritten), `failed` with the reason, `none` when nothing was tried for the visit in this session.
 */
export const AutoDraftState = z.enum(['none', 'drafting', 'drafted', 'skipped', 'failed']);
export type AutoDraftState = z.infer<typeof AutoDraftState>;

export const AutoDraftStatus = z.object({
  visitId: VisitId,
  state: AutoDraftState,
  /** Why it was skipped or failed, in plain words: never transcript or note text. */
  reason: z.string().max(500).optional(),
});
export type AutoDraftStatus = z.infer<typeof AutoDraftStatus>;
