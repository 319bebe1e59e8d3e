import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { PolicyFile } from '../../shared/domain/policy.js';
import type { PolicyValues } from '../../shared/domain/policy.js';
import type { PolicyProblem } from './errors.js';
import { PolicyInvalidError } from './errors.js';

/** The machine policy in force. `file: null` means there is none: nothing is locked. */
export interface LoadedPolicy {
  readonly file: string | null;
  readonly values: PolicyValues;
  /** Of the file's bytes, so a log line can say which policy was applied without quoting it. */
  readonly sha256: string | null;
}

export const noPolicy: LoadedPolicy = { file: null, values: {}, sha256: null };

export type PolicyValidation =
  { readonly ok: true; readonly values: PolicyValues } | { readonly ok: false; readonly problems: readonly PolicyProblem[] };

const MAX_POLICY_BYTES = 1024 * 1024;
const WHOLE_FILE = '(file)';

function jsonProblem(error: unknown, text: string): PolicyProblem {
  const position = error instanceof SyntaxError ? /position (\d+)/.exec(error.message)?.[1] : undefined;
  if (position === undefined) return { field: WHOLE_FILE, reason: 'is not valid JSON' };
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return { field: WHOLE_FILE, reason: `is not valid JSON (line ${line}, column ${column})` };
}

function problemsOf(error: z.ZodError): PolicyProblem[] {
  return error.issues.flatMap((issue): PolicyProblem[] => {
    const field = issue.path.map(String).join('.') || WHOLE_FILE;
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: key, reason: 'is not a setting Ambient Scribe knows (check the spelling)' }));
    }
    return [{ field, reason: issue.message }];
  });
}

/** Checks a policy document: every problem, each with the setting it concerns and why. */
export function validatePolicyText(text: string): PolicyValidation {
  let data: unknown;
  // Notepad saves UTF-8 with a byte-order mark; JSON.parse would reject it.
  const body = text.replace(/^\uFEFF/, '');
  try {
    data = JSON.parse(body);
  } catch (error) {
    return { ok: false, problems: [jsonProblem(error, body)] };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, problems: [{ field: WHOLE_FILE, reason: 'must be a JSON object of settings' }] };
  }
  const parsed = PolicyFile.safeParse(data);
  if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error) };
  const values: Record<string, unknown> = { ...parsed.data };
  delete values['$schema'];
  return { ok: true, values };
}

export interface StatLike {
  readonly uid: number;
  readonly mode: number;
}

/**
 * On macOS and Linux the policy, and the folder holding it, must belong to root and be writable
 * by nobody else; otherwise a user could rewrite the locks. (Windows ACLs cannot be read from
 * Node: the installation guide sets them.)
 */
export function ownershipProblem(stat: StatLike, what: 'file' | 'folder'): PolicyProblem | undefined {
  if (stat.uid !== 0) return { field: WHOLE_FILE, reason: `its ${what} must be owned by root` };
  if ((stat.mode & 0o022) !== 0) return { field: WHOLE_FILE, reason: `its ${what} must not be writable by group or others (chmod go-w)` };
  return undefined;
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : 'unknown error';
}

/**
 * Reads and validates the policy at `path`. A missing file is no policy; a file that exists but
 * cannot be read, is not admin-owned (when required) or is invalid throws PolicyInvalidError.
 */
export function loadPolicyFile(path: string, options: { requireAdminOwned: boolean }): LoadedPolicy {
  let bytes: Buffer;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new PolicyInvalidError(path, [{ field: WHOLE_FILE, reason: 'is not a regular file' }]);
    if (stat.size > MAX_POLICY_BYTES) throw new PolicyInvalidError(path, [{ field: WHOLE_FILE, reason: 'is larger than 1 MiB' }]);
    if (options.requireAdminOwned) {
      const problem = ownershipProblem(stat, 'file') ?? ownershipProblem(statSync(dirname(path)), 'folder');
      if (problem) throw new PolicyInvalidError(path, [problem]);
    }
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof PolicyInvalidError) throw error;
    if (errorCode(error) === 'ENOENT') return noPolicy;
    throw new PolicyInvalidError(path, [{ field: WHOLE_FILE, reason: `cannot be read (${errorCode(error)})` }]);
  }
  const result = validatePolicyText(bytes.toString('utf8'));
  if (!result.ok) throw new PolicyInvalidError(path, result.problems);
  return { file: path, values: result.values, sha256: createHash('sha256').update(bytes).digest('hex') };
}
