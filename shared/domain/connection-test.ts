import { z } from 'zod';
import { IsoDateTime } from '../ids.js';
import { EhrRouting } from './policy.js';

/**
 * "Test connection": what the configured EHR route answered when probed without sending any
 * patient data or creating anything. Messages are plain language, for whoever set the connection
 * up; they name settings, hosts and HTTP statuses, never note content.
 */
export const ConnectionCheckTarget = z.enum(['fhir', 'hl7v2', 'file-drop']);
export type ConnectionCheckTarget = z.infer<typeof ConnectionCheckTarget>;

/** ok: works. warning: works, but something may need attention. failed: notes would not arrive. skipped: an earlier check failed. */
export const ConnectionCheckStatus = z.enum(['ok', 'warning', 'failed', 'skipped']);
export type ConnectionCheckStatus = z.infer<typeof ConnectionCheckStatus>;

export const ConnectionCheck = z.object({
  target: ConnectionCheckTarget,
  /** Stable name of the step, e.g. `fhir.metadata`, `hl7v2.connect`, `file-drop.write`. */
  step: z.string(),
  /** What was checked, for people: "FHIR server", "Authorization"... */
  title: z.string(),
  status: ConnectionCheckStatus,
  /** A short code for what happened (`ok`, `timeout`, `connect_refused`, `auth_rejected`...). */
  code: z.string(),
  message: z.string(),
  /** What to do about it; absent when nothing needs doing. */
  hint: z.string().optional(),
  ms: z.number().int().nonnegative(),
  /** What the server told us, when the step got that far. */
  details: z
    .object({
      fhirVersion: z.string().optional(),
      transactions: z.boolean().optional(),
      grantedScopes: z.array(z.string()).optional(),
    })
    .optional(),
});
export type ConnectionCheck = z.infer<typeof ConnectionCheck>;

export const ConnectionTestResult = z.object({
  route: EhrRouting,
  /** True when no check failed (warnings allowed). */
  ok: z.boolean(),
  testedAt: IsoDateTime,
  checks: z.array(ConnectionCheck),
});
export type ConnectionTestResult = z.infer<typeof ConnectionTestResult>;
