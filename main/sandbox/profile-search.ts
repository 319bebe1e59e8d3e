import { getSearchParameter } from '@medplum/core';
import { loadBaseR4Definitions } from '../fhir/fhir-definitions.js';
import type { SandboxProfile, SandboxRefusal } from './profiles/profile.js';
import { refusal } from './profiles/profile.js';
import { baseParameter } from './profiles/search-rules.js';

/** Result parameters every R4 server knows (they are not SearchParameter resources). */
const CONTROL = new Set(['_count', '_sort', '_include', '_revinclude', '_summary', '_elements', '_total', '_offset']);

/** Reference parameters that take a bare id as well as `Type/id` (R4 search, "reference"), by resource type. */
const BARE_ID_TARGETS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  DocumentReference: { patient: 'Patient', subject: 'Patient', encounter: 'Encounter' },
  Condition: { patient: 'Patient', subject: 'Patient', encounter: 'Encounter' },
  Encounter: { patient: 'Patient', subject: 'Patient' },
};

export interface SearchPlan {
  /** The parameters the server uses (bare ids written as Type/id): what it searches and names in the self link. */
  readonly query: URLSearchParams;
  /** Parameters left out: unknown to R4 or not honoured by the profile. */
  readonly ignored: readonly string[];
}

const known = (type: string, name: string) => CONTROL.has(name) || getSearchParameter(type, name) !== undefined;

/**
 * What a type-level search under `profile` actually searches for: parameters the profile does not
 * honour are dropped (or, on a profile that supports it, refused under `Prefer: handling=strict`),
 * and a search the profile refuses outright is a refusal.
 */
export function planSearch(profile: SandboxProfile, type: string, params: URLSearchParams, strict: boolean): SearchPlan | SandboxRefusal {
  loadBaseR4Definitions();
  const behaviour = profile.resources[type];
  const refused = behaviour?.searchRefusal?.(params);
  if (refused) return refused;
  const honoured = behaviour?.searchParams ?? [];
  const query = new URLSearchParams();
  const ignored: string[] = [];
  for (const [key, value] of params) {
    const name = baseParameter(key);
    const used = known(type, name) && (honoured === 'all' || honoured.includes(name));
    if (!used) {
      if (strict && profile.strictHandling)
        return refusal(400, 'search.unknown-parameter', 'not-supported', `Unknown search parameter: ${key}.`);
      ignored.push(key);
      continue;
    }
    const target = key === name ? BARE_ID_TARGETS[type]?.[name] : undefined;
    query.append(key, target ? withType(value, target) : value);
  }
  return { query, ignored };
}

const withType = (value: string, target: string) =>
  value
    .split(',')
    .map((v) => (v.includes('/') || v === '' ? v : `${target}/${v}`))
    .join(',');

export const isRefusal = (x: SearchPlan | SandboxRefusal): x is SandboxRefusal => 'rule' in x;
