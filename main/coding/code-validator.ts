import type { IcdValidation } from '../../shared/domain/terminology.js';

/**
 * Checks a code a drafter proposed against the imported ICD-10-CM code set (main/coding/ provides
 * it). Only an existing, billable code is ok; the description always comes from the code set, never
 * from the drafter. `code` is returned in the dotted form the note uses (E11.65).
 */
export type CodeValidation = { readonly ok: true; readonly code: string; readonly description: string } | { readonly ok: false };
export type CodeValidator = (code: string) => CodeValidation;

/** Adapts the terminology service's validation: only a billable code with its official description passes. */
export function codeValidatorFrom(validate: (code: string) => IcdValidation): CodeValidator {
  return (code) => {
    const result = validate(code);
    return result.status === 'billable' && result.billable && result.code !== undefined && result.description !== undefined
      ? { ok: true, code: result.code, description: result.description }
      : { ok: false };
  };
}

/**
 * Each code as the code set in use has it (its dotted form and official description), and the accepted
 * ones it does not hold as billable: those would reach the EHR as diagnoses, so callers refuse them.
 */
export function checkAgainstCodeSet<T extends { readonly code: string; readonly description: string; readonly status: string }>(
  codes: readonly T[],
  validate: CodeValidator,
): { codes: T[]; refused: string[] } {
  const refused: string[] = [];
  const checked = codes.map((code) => {
    const valid = validate(code.code);
    if (valid.ok) return { ...code, code: valid.code, description: valid.description };
    if (code.status === 'accepted') refused.push(code.code);
    return code;
  });
  return { codes: checked, refused };
}
