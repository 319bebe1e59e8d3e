import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { classifyHttpFailure, classifyNetworkError, operationOutcomeText, parseRetryAfter } from '../../../../main/fhir/fhir-errors.js';

const withCode = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('x'), { code }) });

describe('FHIR failure classification', () => {
  test('HTTP statuses: transient ones are retried, the rest need a person', () => {
    const cases: [number, string, string][] = [
      [408, 'retry', 'timeout'],
      [429, 'retry', 'rate_limited'],
      [500, 'retry', 'server_error'],
      [502, 'retry', 'server_error'],
      [503, 'retry', 'server_error'],
      [400, 'failed', 'bad_request'],
      [403, 'failed', 'forbidden'],
      [404, 'failed', 'not_found'],
      [409, 'failed', 'conflict'],
      [412, 'failed', 'precondition_failed'],
      [422, 'failed', 'rejected'],
      [501, 'failed', 'not_supported'],
    ];
    for (const [status, kind, code] of cases) {
      const e = classifyHttpFailure(status, undefined, null, 'note transaction');
      assert.equal(e.kind, kind, `${status}`);
      assert.equal(e.code, code, `${status}`);
      assert.equal(e.status, status);
    }
  });

  test('connection failures: refused and unresolvable are unreachable; resets and timeouts are retried', () => {
    assert.equal(classifyNetworkError(withCode('ECONNREFUSED'), undefined, 'x').kind, 'unreachable');
    assert.equal(classifyNetworkError(withCode('ENOTFOUND'), undefined, 'x').kind, 'unreachable');
    assert.equal(classifyNetworkError(withCode('UND_ERR_CONNECT_TIMEOUT'), undefined, 'x').kind, 'unreachable');
    const aggregate = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })]), {}),
    });
    assert.equal(classifyNetworkError(aggregate, undefined, 'x').kind, 'unreachable');
    assert.equal(classifyNetworkError(withCode('CERT_HAS_EXPIRED'), undefined, 'x').code, 'tls_error');
    for (const code of ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE'])
      assert.equal(classifyNetworkError(withCode(code), undefined, 'x').kind, 'retry', code);
    assert.equal(classifyNetworkError(new DOMException('t', 'TimeoutError'), undefined, 'x').code, 'timeout');
    const aborted = AbortSignal.abort();
    assert.equal(classifyNetworkError(new DOMException('a', 'AbortError'), aborted, 'x').code, 'aborted');
  });

  test('the error message is safe to log; the server words stay in reason', () => {
    const body = {
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'invalid',
          details: { text: 'Patient Zzyzx Quillfeather not found' },
          expression: ['Bundle.entry[0].resource.subject'],
        },
      ],
    };
    const e = classifyHttpFailure(422, body, null, 'note transaction');
    assert.equal(e.message, 'FHIR delivery failed: rejected (HTTP 422)');
    assert.match(e.reason, /error invalid: Patient Zzyzx Quillfeather not found \(at Bundle\.entry\[0\]\.resource\.subject\)/);
  });

  test('OperationOutcome text falls back to diagnostics and code, and is bounded', () => {
    assert.equal(
      operationOutcomeText({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', diagnostics: 'd' }] }),
      'error processing: d',
    );
    assert.equal(
      operationOutcomeText({ resourceType: 'OperationOutcome', issue: [{ severity: 'fatal', code: 'exception' }] }),
      'fatal exception: exception',
    );
    assert.equal(operationOutcomeText({ resourceType: 'Patient' }), undefined);
    const long = operationOutcomeText({
      resourceType: 'OperationOutcome',
      issue: Array.from({ length: 200 }, () => ({ severity: 'error', code: 'invalid', diagnostics: 'x'.repeat(50) })),
    });
    assert.ok(long && long.length <= 2001);
  });

  test('Retry-After in seconds or as a date, capped', () => {
    assert.equal(parseRetryAfter('7'), 7000);
    assert.equal(parseRetryAfter(null), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
    const now = Date.parse('2026-11-21T10:00:00Z');
    assert.equal(parseRetryAfter('Sat, 21 Nov 2026 10:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('999999'), 3_600_000);
  });
});
