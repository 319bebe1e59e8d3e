import { ApiCallError } from '../../shared/api/errors.js';

/**
 * The text to show for a failed call. API errors carry a message that is safe to show; anything
 * else (a bug, a browser error) may hold details that are not, so it gets a fixed sentence.
 */
export function errorText(error: unknown): string {
  if (error instanceof ApiCallError) return error.message;
  return 'Something went wrong. Try again, and tell IT if it keeps happening.';
}
