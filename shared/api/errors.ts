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
  /** Paths of invalid request fields, for bad_request: names only, never values. */
  fields: z.array(z.string()).optional(),
});
export type ApiError = z.infer<typeof ApiError>;

export type ApiResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

/** Thrown by API clients (renderer, tests) when a call comes back with an error. */
export class ApiCallError extends Error {
  readonly code: ApiErrorCode;
  readonly fields: readonly string[] | undefined;
  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.fields = error.fields;
  }
}
