import type { SandboxRefusal } from './profile.js';
import { refusal } from './profile.js';

/** `date:missing` → `date`, `patient.name` → `patient`. */
export const baseParameter = (name: string) => name.split(/[:.]/)[0]!;

const present = (params: URLSearchParams, names: readonly string[]) => [...params.keys()].some((k) => names.includes(baseParameter(k)));

/** A search without any of `names` is a 400. */
export const requireOneOf =
  (rule: string, names: readonly string[], text = `A search needs one of: ${names.join(', ')}.`) =>
  (params: URLSearchParams): SandboxRefusal | undefined =>
    present(params, names) ? undefined : refusal(400, rule, 'required', text);
