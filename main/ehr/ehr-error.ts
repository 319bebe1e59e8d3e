import { ScribeError } from '../kernel/errors.js';

/**
 * Why a read from the EHR (schedule, patient search, an encounter) did not work. Messages say what
 * happened and what still works; they never quote a search term, a name or the server's words
 * (an OperationOutcome can echo the query), only status codes and our own text.
 */
export type EhrProblem =
  /** No connection, refused, name not resolved, timed out. */
  | 'unreachable'
  /** The FHIR connection is not set up well enough to try (missing key file, say). */
  | 'not_configured'
  /** The authorization server or the FHIR server refused this workstation or user. */
  | 'unauthorized'
  /** The server answered with an error (4xx/5xx, an OperationOutcome). */
  | 'server_error'
  /** The answer was not the FHIR the app asked for. */
  | 'bad_response'
  /** The encounter asked for is not on the EHR. */
  | 'not_found';

const MANUAL = 'You can still create a visit by hand.';

/** Its reason is `ehr.<problem>`; `problem` alone is what the logs record. */
export class EhrError extends ScribeError {
  readonly problem: EhrProblem;
  readonly status: number | undefined;
  constructor(problem: EhrProblem, message: string, options: { status?: number | undefined; cause?: unknown } = {}) {
    super(problem === 'not_found' ? 'not_found' : problem === 'unauthorized' ? 'forbidden' : 'unavailable', message, {
      cause: options.cause,
      reason: `ehr.${problem}`,
      ...(options.status === undefined ? {} : { details: { status: options.status } }),
    });
    this.problem = problem;
    this.status = options.status;
  }

  static unreachable(detail: string | undefined, cause?: unknown): EhrError {
    // The connection detail is IT's: a sentence of its own, so the renderer can keep it under "Details for IT".
    return new EhrError('unreachable', `EHR unreachable: the EHR did not answer. ${MANUAL}${detail ? ` (${detail}.)` : ''}`, { cause });
  }

  static server(status: number, outcome: boolean): EhrError {
    const what = status >= 500 ? 'is having trouble' : 'turned the request down';
    return new EhrError('server_error', `The EHR ${what}. ${MANUAL} (HTTP ${status}${outcome ? ', with an OperationOutcome' : ''}.)`, {
      status,
    });
  }

  static badResponse(what: string, status?: number): EhrError {
    return new EhrError('bad_response', `The EHR's answer to the ${what} is not FHIR this app can read. ${MANUAL}`, { status });
  }
}
