import { z } from 'zod';
import { IsoDateTime, VisitId } from '../ids.js';
import { OutboxState } from './outbox.js';

/** Longest addendum text accepted (characters); a note's addendum is a paragraph, not a chart. */
export const MAX_ADDENDUM_CHARS = 20_000;

export const AddendumText = z.string().max(MAX_ADDENDUM_CHARS);

/**
 * Where an addendum stands. `draft`: written, not signed (editable). `waiting`: signed, held
 * until the original note is delivered. Then the outbox states of its own job.
 */
export const AddendumState = z.enum(['draft', 'waiting', 'queued', 'sending', 'delivered', 'failed', 'unknown_outcome']);
export type AddendumState = z.infer<typeof AddendumState>;

/** One addendum to a signed note, as review shows it under the note. */
export const NoteAddendum = z.object({
  visitId: VisitId,
  /** 1 for the first addendum, 2 for the next... */
  seq: z.number().int().positive(),
  /** The note revision holding the latest text (what a signature must name). */
  revision: z.number().int().positive(),
  text: AddendumText,
  updatedAt: IsoDateTime,
  updatedBy: z.string(),
  state: AddendumState,
  signedBy: z.string().optional(),
  signedAt: IsoDateTime.optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  jobId: z.string().optional(),
  /** Why a signed addendum is not delivered yet, in plain words (may quote the EHR: never logged). */
  reason: z.string().optional(),
});
export type NoteAddendum = z.infer<typeof NoteAddendum>;

export const SaveAddendumRequest = z.object({
  visitId: VisitId,
  /** The draft addendum's revision the edit is based on; omit to start a new addendum. */
  baseRevision: z.number().int().positive().optional(),
  text: AddendumText,
});
export type SaveAddendumRequest = z.infer<typeof SaveAddendumRequest>;

export const SignAddendumRequest = z.object({ visitId: VisitId, revision: z.number().int().positive() });

export const AddendumAttestation = z.object({
  visitId: VisitId,
  seq: z.number().int().positive(),
  revision: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  signedBy: z.string(),
  signedAt: IsoDateTime,
});
export type AddendumAttestation = z.infer<typeof AddendumAttestation>;

export const SignAddendumResult = z.object({ attestation: AddendumAttestation, jobId: z.string(), state: OutboxState });
