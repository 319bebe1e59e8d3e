/** Walking the Reference values of a resource: collecting them, and replacing bundle-local ones. */
export interface FoundReference {
  /** Where it sits, e.g. `subject` or `agent[1].who`. */
  readonly path: string;
  readonly reference: string;
}

export function collectReferences(value: unknown, path = ''): FoundReference[] {
  const found: FoundReference[] = [];
  const walk = (node: unknown, at: string) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${at}[${i}]`));
      return;
    }
    if (!node || typeof node !== 'object') return;
    const object = node as Record<string, unknown>;
    if (typeof object['reference'] === 'string') found.push({ path: at, reference: object['reference'] });
    for (const [key, child] of Object.entries(object)) {
      // Contained resources reference their container with '#', checked by their own rules.
      if (key === 'contained' || key === 'reference') continue;
      walk(child, at ? `${at}.${key}` : key);
    }
  };
  walk(value, path);
  return found;
}

/** A deep copy with every `reference` found in `replacements` (e.g. urn:uuid → Type/id) replaced. */
export function rewriteReferences<T>(value: T, replacements: ReadonlyMap<string, string>): T {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
      out[key] = key === 'reference' && typeof child === 'string' ? (replacements.get(child) ?? child) : walk(child);
    }
    return out;
  };
  return walk(value) as T;
}
