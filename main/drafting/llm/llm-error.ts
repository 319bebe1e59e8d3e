import type { ApiErrorCode } from '../../../shared/api/errors.js';
import { ScribeError } from '../../kernel/errors.js';

export type LlmFailure =
  | 'not_configured'
  | 'timeout'
  | 'unreachable'
  | 'unauthorized'
  | 'rate_limited'
  | 'server_error'
  | 'rejected'
  | 'invalid_response'
  | 'refused';

const CODES: Record<LlmFailure, ApiErrorCode> = {
  not_configured: 'unavailable',
  timeout: 'unavailable',
  unreachable: 'unavailable',
  unauthorized: 'unavailable',
  rate_limited: 'unavailable',
  server_error: 'unavailable',
  rejected: 'unavailable',
  invalid_response: 'unavailable',
  refused: 'unavailable',
};

/**
 * The language model could not draft. The message is ours, written for the person drafting: it
 * never carries the server's body (which can echo the prompt) or the endpoint's address.
 */
export class LlmError extends ScribeError {
  readonly failure: LlmFailure;
  readonly status: number | undefined;
  // No `cause`: the SDK's error holds the response body, which must not travel with ours.
  constructor(failure: LlmFailure, message: string, status?: number) {
    super(CODES[failure], message, { reason: `llm.${failure}`, ...(status === undefined ? {} : { details: { status } }) });
    this.failure = failure;
    this.status = status;
  }
}
