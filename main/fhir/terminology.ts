/**
 * Local expansion of the value sets that required bindings point to. Only what is enumerable
 * offline: a ValueSet that includes whole code systems we hold, or lists concepts. Filters (US Core's
 * LOINC document types) and external code systems (BCP-13 mime types) return undefined, and the
 * validator checks those with explicit rules instead.
 */
export interface Terminology {
  /** Members as `system|code`, or undefined when the value set cannot be expanded here. */
  members(valueSetUrl: string): ReadonlySet<string> | undefined;
}

interface Concept {
  readonly code?: string;
  readonly concept?: readonly Concept[];
}
interface CodeSystemLike {
  readonly resourceType: 'CodeSystem';
  readonly url?: string;
  readonly concept?: readonly Concept[];
}
interface Include {
  readonly system?: string;
  readonly concept?: readonly { readonly code?: string }[];
  readonly filter?: readonly unknown[];
  readonly valueSet?: readonly string[];
}
interface ValueSetLike {
  readonly resourceType: 'ValueSet';
  readonly url?: string;
  readonly compose?: { readonly include?: readonly Include[] };
}

const stripVersion = (url: string) => url.split('|')[0]!;

function flatten(concepts: readonly Concept[] | undefined, into: string[]): string[] {
  for (const c of concepts ?? []) {
    if (c.code) into.push(c.code);
    flatten(c.concept, into);
  }
  return into;
}

export function createTerminology(resources: readonly unknown[]): Terminology {
  const codeSystems = new Map<string, readonly string[]>();
  const valueSets = new Map<string, ValueSetLike>();
  for (const r of resources) {
    const resource = r as CodeSystemLike | ValueSetLike | undefined;
    if (!resource?.url) continue;
    if (resource.resourceType === 'CodeSystem') codeSystems.set(resource.url, flatten(resource.concept, []));
    else if (resource.resourceType === 'ValueSet') valueSets.set(resource.url, resource);
  }
  const cache = new Map<string, ReadonlySet<string> | undefined>();

  const expand = (url: string, depth: number): ReadonlySet<string> | undefined => {
    const key = stripVersion(url);
    if (cache.has(key)) return cache.get(key);
    const vs = valueSets.get(key);
    let result: Set<string> | undefined = vs?.compose?.include ? new Set() : undefined;
    for (const include of vs?.compose?.include ?? []) {
      if (!result) break;
      if (include.filter?.length || depth > 5) {
        result = undefined;
        break;
      }
      for (const nested of include.valueSet ?? []) {
        const members = expand(nested, depth + 1);
        if (!members) {
          result = undefined;
          break;
        }
        for (const m of members) result?.add(m);
      }
      if (!result || !include.system) continue;
      const codes = include.concept?.length ? include.concept.map((c) => c.code ?? '') : codeSystems.get(include.system);
      if (!codes) {
        result = undefined;
        break;
      }
      for (const code of codes) result.add(`${include.system}|${code}`);
    }
    cache.set(key, result);
    return result;
  };
  return { members: (url) => expand(url, 0) };
}
