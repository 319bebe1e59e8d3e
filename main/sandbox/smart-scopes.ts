/**
 * SMART on FHIR resource scopes, v1 (`system/DocumentReference.write`) and v2 (`system/*.cruds`),
 * enforced by resource type and action: a v2 `c` creates but does not update or delete, while v1
 * `write` (and `write` as an action: any of c, u, d) covers all three. Compartments (patient/...)
 * are not narrowed to the launch patient here; the sandbox is a test EHR, not a policy engine.
 */
export type ScopeAction = 'read' | 'write' | 'create' | 'update' | 'delete';

const V2_LETTER: Record<ScopeAction, RegExp> = { read: /[rs]/, write: /[cud]/, create: /c/, update: /u/, delete: /d/ };

const SCOPE = /^(system|user|patient)\/([A-Z][A-Za-z]+|\*)\.(read|write|\*|c?r?u?d?s?)$/;

/** Resource types the sandbox's authorization server will put in a token's scope. */
export const SCOPED_RESOURCE_TYPES = [
  '*',
  'Patient',
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'Encounter',
  'DocumentReference',
  'Condition',
  'MedicationRequest',
  'Medication',
  'Provenance',
  'Observation',
  'Binary',
] as const;

const PERMISSIONS = ['read', 'write', '*', 'c', 'r', 'rs', 'cu', 'cud', 'cruds', 's', 'u', 'd', 'cr', 'crs', 'cus', 'cuds'] as const;

/** Every resource scope string the authorization server recognises (oidc-provider needs the literal list). */
export function allResourceScopes(): string[] {
  const out: string[] = [];
  for (const level of ['system', 'user', 'patient'])
    for (const type of SCOPED_RESOURCE_TYPES) for (const p of PERMISSIONS) out.push(`${level}/${type}.${p}`);
  return out;
}

export function scopeAllows(scopes: Iterable<string>, resourceType: string, action: ScopeAction): boolean {
  for (const scope of scopes) {
    const m = SCOPE.exec(scope);
    if (!m) continue;
    const [, , type, perm] = m;
    if (type !== '*' && type !== resourceType) continue;
    if (perm === '*' || perm === action) return true;
    if (perm === 'write' && action !== 'read') return true;
    if (perm === 'read' || perm === 'write') continue;
    if (V2_LETTER[action].test(perm!)) return true;
  }
  return false;
}
