import { z } from 'zod';

/** Our own identifiers are random UUIDs: they carry no PHI and may appear in logs and audit rows. */
export const VisitId = z.uuid().brand<'VisitId'>();
export type VisitId = z.infer<typeof VisitId>;

export const UserId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._@-]+$/)
  .brand<'UserId'>();
export type UserId = z.infer<typeof UserId>;

/** ISO-8601 instant with offset, e.g. 2026-11-21T09:30:00.000Z. */
export const IsoDateTime = z.iso.datetime({ offset: true });
export type IsoDateTime = z.infer<typeof IsoDateTime>;
