import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { ValidationIssue } from '../fhir/us-core-validation.js';

export function outcome(code: OperationOutcomeIssue['code'], text: string, expression?: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code, details: { text }, ...(expression ? { expression: [expression] } : {}) }],
  };
}

/** A validation rejection: one issue per problem, located by FHIRPath. */
export function validationOutcome(issues: readonly (ValidationIssue & { readonly prefix?: string })[]): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((i) => ({
      severity: i.severity === 'error' ? 'error' : 'warning',
      code: 'invalid',
      details: { text: i.message },
      expression: [i.prefix ? `${i.prefix}.${i.expression.replace(/^[A-Z][A-Za-z]+\.?/, '')}`.replace(/\.$/, '') : i.expression],
    })),
  };
}
