import { z } from 'zod';
import { IsoDateTime } from '../ids.js';

/** Audit rows hold who did what to which object, never PHI: object ids are our random ids. */
export const AuditAction = z.enum([
  'store.created',
  'store.unlocked',
  'visit.created',
  'visit.viewed',
  'audit.exported',
]);
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditEntry = z.object({
  seq: z.number().int().positive(),
  at: IsoDateTime,
  actor: z.string(),
  action: z.string(),
  objectType: z.string(),
  objectId: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditProblem = z.object({
  seq: z.number().int(),
  kind: z.enum(['edited', 'deleted', 'reordered', 'truncated', 'broken_link']),
  message: z.string(),
});
export type AuditProblem = z.infer<typeof AuditProblem>;

export const AuditVerifyReport = z.object({
  ok: z.boolean(),
  entries: z.number().int().nonnegative(),
  problems: z.array(AuditProblem),
});
export type AuditVerifyReport = z.infer<typeof AuditVerifyReport>;
