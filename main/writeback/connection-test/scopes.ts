/** `system/DocumentReference.write` as its parts; undefined for scopes of another shape (openid, launch...). */
function parse(scope: string): { context: string; type: string; permission: string } | undefined {
  const m = /^(patient|user|system)\/([A-Za-z*]+)\.([a-z*]+)$/.exec(scope);
  return m ? { context: m[1]!, type: m[2]!, permission: m[3]! } : undefined;
}

/** SMART v1 read/write as SMART v2 letters: read is r(ead) and s(earch); write needs c(reate). */
const V2_NEEDS: Readonly<Record<string, readonly string[]>> = { read: ['r'], write: ['c'] };

function covers(granted: string, wanted: string): boolean {
  if (granted === wanted) return true;
  const g = parse(granted);
  const w = parse(wanted);
  if (!g || !w || g.context !== w.context || (g.type !== '*' && g.type !== w.type)) return false;
  if (g.permission === '*' || g.permission === w.permission) return true;
  // A v2 permission string (e.g. cruds) granted for a v1 request.
  const letters = V2_NEEDS[w.permission];
  return /^c?r?u?d?s?$/.test(g.permission) && letters !== undefined && letters.every((letter) => g.permission.includes(letter));
}

/** The requested scopes no granted scope covers (wildcards and SMART v2 permission letters count). */
export function missingScopes(requested: readonly string[], granted: readonly string[]): string[] {
  return requested.filter((wanted) => wanted !== '' && !granted.some((g) => covers(g, wanted)));
}
