import { z } from 'zod';
import { IsoDateTime, VisitId } from '../ids.js';

export const OutboxRoute = z.enum(['fhir', 'hl7v2', 'file-drop', 'fhir-then-hl7v2']);
export type OutboxRoute = z.infer<typeof OutboxRoute>;

/** unknown_outcome: something was sent whose arrival the EHR cannot be asked about: a person confirms delivered or not. */
export const OutboxState = z.enum(['queued', 'sending', 'delivered', 'failed', 'unknown_outcome']);
export type OutboxState = z.infer<typeof OutboxState>;

const Receipt = z.discriminatedUnion('target', [
  z.object({
    target: z.literal('fhir'),
    resources: z.array(z.object({ type: z.string(), id: z.string(), versionId: z.string().optional() })),
    /** Resources the write plan left out for this EHR, and why (e.g. it takes no diagnoses over FHIR). */
    skipped: z.array(z.object({ type: z.string(), count: z.number().int().positive(), why: z.string() })).optional(),
    /** A person confirmed the delivery after its outcome was unknown (their id). */
    confirmedBy: z.string().optional(),
  }),
  z.object({
    target: z.literal('hl7v2'),
    ackCode: z.enum(['AA', 'CA']),
    messageControlId: z.string(),
    ackControlId: z.string().optional(),
  }),
  z.object({ target: z.literal('file-drop'), files: z.array(z.string()) }),
]);

export const OutboxJobSummary = z.object({
  id: z.string(),
  visitId: VisitId,
  route: OutboxRoute,
  target: z.enum(['fhir', 'hl7v2', 'file-drop']).optional(),
  state: OutboxState,
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: IsoDateTime.optional(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  deliveredAt: IsoDateTime.optional(),
  lastErrorCode: z.string().optional(),
  /** The server's reason in its words: may quote data, so it is shown to staff but never logged. */
  lastError: z.string().optional(),
  receipt: Receipt.optional(),
  /** Set on an addendum's job: which addendum, and the original note's job it must follow. */
  addendum: z.object({ seq: z.number().int().positive(), parentJobId: z.string() }).optional(),
  /** Why a queued addendum is held back (its original is not delivered yet). */
  waiting: z.string().optional(),
});
export type OutboxJobSummary = z.infer<typeof OutboxJobSummary>;
