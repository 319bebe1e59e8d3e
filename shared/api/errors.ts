import { z } from 'zod';

/**
 * Every failure crosses the boundary as one of these codes with a message that is safe to show
 * and to log: it never holds PHI, request bodies, URLs with tokens or stack traces.
 */
export const ApiErrorCode = z.enum([
  'bad_request',
  'unknown_channel',
  'not_found',
  'forbidden',
  'conflict',
  'locked_by_policy',
  'store_locked',
  'integrity',
  'unavailable',
  'internal',
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCode>;

export const ApiError = z.object({
  code: ApiErrorCode,
  message: z.string(),
  /** Stable id of what went wrong (`visit.illegal_transition`); match on this, never on the message. */
  reason: z.string().optional(),
  /** Safe facts about the failure (states, counts): never PHI. */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** Paths of invalid request fields, for bad_request: names only, never values. */
  fields: z.array(z.string()).optional(),
});
export type ApiError = z.infer<typeof ApiError>;

export type ApiResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

/** Thrown by API clients (renderer, tests) when a call comes back with an error. */
export class ApiCallError extends Error {
  readonly code: ApiErrorCode;
  readonly reason: string | undefined;
  readonly details: ApiError['details'];
  readonly fields: readonly string[] | undefined;
  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.reason = error.reason;
    this.details = error.details;
    this.fields = error.fields;
  }
}
