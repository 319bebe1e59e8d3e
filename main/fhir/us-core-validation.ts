import { createHash } from 'node:crypto';
import { evalFhirPath, OperationOutcomeError, validateResource } from '@medplum/core';
import type {
  Condition,
  DocumentReference,
  ElementDefinition,
  OperationOutcomeIssue,
  Provenance,
  Reference,
  Resource,
  StructureDefinition,
} from '@medplum/fhirtypes';
import { baseR4Terminology } from './fhir-definitions.js';
import { FHIR_SYSTEMS } from './fhir-systems.js';
import { createTerminology } from './terminology.js';
import type { Terminology } from './terminology.js';
import type { ProfileSet } from './us-core-profiles.js';

/**
 * Validation of one resource against its US Core 8.0.0 profile (or base R4): Medplum's validator
 * first, then what it skips here (docs/architecture.md, "Library findings") and matters for clinical notes: required
 * bindings, constraints on nested elements (us-core-6 on attachments), slice minimums that are
 * matched by binding (DocumentReference.category:uscore), reference target types, provenance-1, and
 * the LOINC document type. Messages name elements and rules, never values: a value may be PHI.
 */
export interface ValidationIssue {
  readonly severity: 'error' | 'warning';
  /** FHIRPath-like location, e.g. `DocumentReference.category`. */
  readonly expression: string;
  readonly message: string;
}

export interface ValidationContext {
  /** Resource types of resources in the same Bundle, by fullUrl (urn:uuid:...). */
  readonly bundleTypes?: ReadonlyMap<string, string>;
  /**
   * outgoing: what we send must carry its content inline (data, contentType, hash) and our
   * identifiers. incoming: what the sandbox receives from any client; US Core rules only.
   */
  readonly mode?: 'outgoing' | 'incoming';
}

export interface ResourceValidator {
  readonly profiles: ProfileSet;
  validate(resource: Resource, context?: ValidationContext): ValidationIssue[];
}

const LOINC_CODE = /^\d{1,7}-\d$/;
/** ICD-10-CM as FHIR writes it (dotted). Any first letter: U codes (U07.1 COVID-19) are real. */
const ICD10CM_SHAPE = /^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/;
const MIME_TYPE = /^[A-Za-z0-9][\w!#$&^.+-]*\/[A-Za-z0-9][\w!#$&^.+-]*(\s*;\s*[\w.-]+=[^;]+)*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Constraint families checked elsewhere: every element (ele, ext) or the root only (dom). */
const SKIPPED_CONSTRAINTS = /^(ele|ext|dom)-/;

interface Plan {
  readonly constraints: readonly { readonly path: string; readonly key: string; readonly expression: string }[];
  readonly bindings: readonly { readonly path: string; readonly valueSet: string; readonly name: string }[];
  readonly bindingSlices: readonly { readonly path: string; readonly slice: string; readonly min: number; readonly valueSet: string }[];
  readonly references: readonly { readonly path: string; readonly targets: readonly string[] }[];
}

const isSliceElement = (e: ElementDefinition) => (e.id ?? '').includes(':');
const valueSetName = (url: string) => url.split('|')[0]!.split('/').pop() ?? url;

function planFor(sd: StructureDefinition): Plan {
  const constraints: Plan['constraints'][number][] = [];
  const bindings: Plan['bindings'][number][] = [];
  const bindingSlices: Plan['bindingSlices'][number][] = [];
  const references: Plan['references'][number][] = [];
  for (const e of sd.snapshot?.element ?? []) {
    const path = e.path ?? '';
    if (path.includes('[x]')) continue;
    const nested = path.split('.').length > 1;
    if (isSliceElement(e)) {
      // A slice told apart by a required binding: the validator does not count its members.
      const lastSegment = (e.id ?? '').split('.').pop() ?? '';
      if (lastSegment.includes(':') && e.binding?.strength === 'required' && e.binding.valueSet && !path.endsWith('.extension')) {
        bindingSlices.push({ path, slice: lastSegment.split(':')[1]!, min: e.min ?? 0, valueSet: e.binding.valueSet });
      }
      continue;
    }
    if (nested) {
      for (const c of e.constraint ?? []) {
        if (c.severity === 'error' && c.key && c.expression && !SKIPPED_CONSTRAINTS.test(c.key) && !c.expression.includes('resolve()')) {
          constraints.push({ path, key: c.key, expression: c.expression });
        }
      }
    }
    if (e.binding?.strength === 'required' && e.binding.valueSet)
      bindings.push({ path, valueSet: e.binding.valueSet, name: valueSetName(e.binding.valueSet) });
    const targets = (e.type ?? []).filter((t) => t.code === 'Reference').flatMap((t) => t.targetProfile ?? []);
    if (targets.length > 0) references.push({ path, targets });
  }
  return { constraints, bindings, bindingSlices, references };
}

interface CodingLike {
  readonly system?: string;
  readonly code?: string;
}

/** The codings a bound value carries: a code, a Coding, or a CodeableConcept. */
function codingsOf(value: unknown): { kind: 'code' | 'coding' | 'concept'; codings: CodingLike[] } {
  if (typeof value === 'string') return { kind: 'code', codings: [{ code: value }] };
  const v = value as { coding?: CodingLike[]; system?: string; code?: string };
  if (Array.isArray(v.coding)) return { kind: 'concept', codings: v.coding };
  return { kind: 'coding', codings: [v] };
}

function inValueSet(members: ReadonlySet<string>, coding: CodingLike, codeOnly: boolean): boolean {
  if (!coding.code) return false;
  if (!codeOnly) return members.has(`${coding.system ?? ''}|${coding.code}`);
  for (const m of members) if (m.endsWith(`|${coding.code}`)) return true;
  return false;
}

function referenceType(ref: string, resource: Resource, context: ValidationContext): string | undefined {
  if (ref.startsWith('#')) {
    const contained = (resource as { contained?: Resource[] }).contained ?? [];
    return contained.find((c) => `#${c.id ?? ''}` === ref)?.resourceType;
  }
  if (ref.startsWith('urn:uuid:')) return context.bundleTypes?.get(ref);
  const parts = ref.split('?')[0]!.split('/');
  // Type/id, or an absolute URL ending in Type/id, or Type/id/_history/v.
  const historyAt = parts.lastIndexOf('_history');
  const typeIndex = historyAt > 0 ? historyAt - 2 : parts.length - 2;
  const type = parts[typeIndex];
  return type && /^[A-Z][A-Za-z]+$/.test(type) ? type : undefined;
}

export function createResourceValidator(profiles: ProfileSet): ResourceValidator {
  const terminology: Terminology = createTerminology([...baseR4Terminology(), ...profiles.terminology]);
  const plans = new Map<string, Plan>();
  const planOf = (sd: StructureDefinition) => {
    const key = sd.url ?? sd.id ?? '';
    let plan = plans.get(key);
    if (!plan) {
      plan = planFor(sd);
      plans.set(key, plan);
    }
    return plan;
  };

  const medplumIssues = (resource: Resource, profile: StructureDefinition | undefined): ValidationIssue[] => {
    const toIssue = (i: OperationOutcomeIssue): ValidationIssue => ({
      severity: i.severity === 'error' || i.severity === 'fatal' ? 'error' : 'warning',
      expression: i.expression?.[0] ?? resource.resourceType,
      message: i.details?.text ?? i.diagnostics ?? 'invalid',
    });
    try {
      return validateResource(resource, profile ? { profile } : undefined).map(toIssue);
    } catch (error) {
      if (error instanceof OperationOutcomeError) return (error.outcome.issue ?? []).map(toIssue);
      return [{ severity: 'error', expression: resource.resourceType, message: 'The validator could not process this resource.' }];
    }
  };

  const profileIssues = (resource: Resource, profile: StructureDefinition, context: ValidationContext): ValidationIssue[] => {
    const issues: ValidationIssue[] = [];
    const plan = planOf(profile);
    const at = (path: string): unknown[] => {
      try {
        return evalFhirPath(path, resource);
      } catch {
        return [];
      }
    };
    for (const c of plan.constraints) {
      for (const node of at(c.path)) {
        let result: unknown[];
        try {
          result = evalFhirPath(c.expression, node);
        } catch {
          continue;
        }
        if (result.length === 1 && result[0] === false)
          issues.push({ severity: 'error', expression: c.path, message: `Constraint ${c.key} failed.` });
      }
    }
    for (const b of plan.bindings) {
      const members = terminology.members(b.valueSet);
      if (!members) continue;
      for (const value of at(b.path)) {
        const { kind, codings } = codingsOf(value);
        if (!codings.some((coding) => inValueSet(members, coding, kind === 'code'))) {
          issues.push({ severity: 'error', expression: b.path, message: `Code not in the required value set ${b.name}.` });
        }
      }
    }
    for (const s of plan.bindingSlices) {
      const members = terminology.members(s.valueSet);
      if (!members) continue;
      // A value belongs to the slice when it uses one of the value set's code systems; then its code must be in it.
      const systems = new Set([...members].map((m) => m.slice(0, m.lastIndexOf('|'))));
      let count = 0;
      for (const value of at(s.path)) {
        const codings = codingsOf(value).codings;
        if (!codings.some((c) => systems.has(c.system ?? ''))) continue;
        count += 1;
        if (!codings.some((coding) => inValueSet(members, coding, false))) {
          issues.push({
            severity: 'error',
            expression: s.path,
            message: `Code not in the required value set ${valueSetName(s.valueSet)} (slice ${s.slice}).`,
          });
        }
      }
      if (count < s.min)
        issues.push({
          severity: 'error',
          expression: s.path,
          message: `Slice ${s.slice} needs at least ${s.min} value(s) from ${valueSetName(s.valueSet)}.`,
        });
    }
    for (const r of plan.references) {
      const allowed = r.targets.map((url) => profiles.typeOfProfile(url));
      if (allowed.includes('Resource') || allowed.includes(undefined)) continue;
      for (const value of at(r.path)) {
        const ref = (value as Reference).reference;
        if (!ref) continue;
        const type = referenceType(ref, resource, context);
        if (!type)
          issues.push({ severity: 'error', expression: r.path, message: 'Reference target cannot be resolved to a resource type.' });
        else if (!allowed.includes(type))
          issues.push({
            severity: 'error',
            expression: r.path,
            message: `Reference to a ${type}; expected ${[...new Set(allowed)].join(' or ')}.`,
          });
      }
    }
    return issues;
  };

  return {
    profiles,
    validate(resource, context = {}) {
      const profile = profiles.profileFor(resource);
      const issues = [...medplumIssues(resource, profile)];
      if (profile) issues.push(...profileIssues(resource, profile, context));
      issues.push(...explicitChecks(resource, context));
      return issues;
    },
  };
}

type Report = (expression: string, message: string) => void;

function checkDocumentReference(resource: DocumentReference, outgoing: boolean, error: Report): void {
  const codings = resource.type?.coding ?? [];
  const loinc = codings.some((c) => c.system === FHIR_SYSTEMS.loinc && LOINC_CODE.test(c.code ?? ''));
  const unknown = codings.some((c) => c.system === FHIR_SYSTEMS.nullFlavor && c.code === 'UNK');
  if (!loinc && !unknown) error('DocumentReference.type', 'Type must be a LOINC document code (or NullFlavor UNK).');
  (resource.content ?? []).forEach((content, i) => {
    const a = content.attachment as Partial<NonNullable<typeof content.attachment>> | undefined;
    const where = `DocumentReference.content[${i}].attachment`;
    if (!a) return;
    if (!a.contentType || !MIME_TYPE.test(a.contentType)) error(`${where}.contentType`, 'Attachment needs a media type (contentType).');
    if (a.data !== undefined && !BASE64.test(a.data)) error(`${where}.data`, 'Attachment data is not base64.');
    if (a.data !== undefined && BASE64.test(a.data)) {
      const bytes = Buffer.from(a.data, 'base64');
      if (a.hash !== undefined && a.hash !== createHash('sha1').update(bytes).digest('base64'))
        error(`${where}.hash`, 'Attachment hash does not match its data (SHA-1, base64).');
      if (a.size !== undefined && a.size !== bytes.length) error(`${where}.size`, 'Attachment size does not match its data.');
    }
    if (outgoing && (!a.data || a.data.length === 0)) error(`${where}.data`, 'The note must travel inline as attachment data.');
    if (outgoing && !a.hash) error(`${where}.hash`, 'The note attachment must carry its hash.');
  });
  if (
    outgoing &&
    !resource.category?.some((c) => c.coding?.some((k) => k.system === FHIR_SYSTEMS.usCoreDocumentCategory && k.code === 'clinical-note'))
  ) {
    error('DocumentReference.category', 'A clinical note must carry the US Core clinical-note category.');
  }
  if (outgoing && !resource.identifier?.some((id) => id.system === FHIR_SYSTEMS.noteIdentifier && id.value)) {
    error('DocumentReference.identifier', 'The note must carry its idempotency identifier.');
  }
}

function checkCondition(resource: Condition, outgoing: boolean, error: Report): void {
  (resource.code?.coding ?? []).forEach((c, i) => {
    if (c.system === FHIR_SYSTEMS.icd10cm && !ICD10CM_SHAPE.test(c.code ?? ''))
      error(`Condition.code.coding[${i}].code`, 'Not a well-formed ICD-10-CM code.');
  });
  if (outgoing && !resource.code?.coding?.some((c) => c.system === FHIR_SYSTEMS.icd10cm && c.display)) {
    error('Condition.code', 'An ICD-10-CM coding with its official display is required.');
  }
}

/** provenance-1, without resolve(): a Practitioner or Device agent acts on behalf of an organization. */
function checkProvenance(resource: Provenance, context: ValidationContext, error: Report): void {
  (resource.agent ?? []).forEach((agent, i) => {
    const ref = agent.who?.reference;
    const type = ref ? referenceType(ref, resource, context) : undefined;
    if ((type === 'Practitioner' || type === 'Device') && !agent.onBehalfOf) {
      error(`Provenance.agent[${i}].onBehalfOf`, 'Constraint provenance-1 failed: a Practitioner or Device agent needs onBehalfOf.');
    }
  });
}

/** Rules that need more than the profile says, or where the profile's value set is not enumerable here. */
function explicitChecks(resource: Resource, context: ValidationContext): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const error: Report = (expression, message) => issues.push({ severity: 'error', expression, message });
  const outgoing = context.mode === 'outgoing';
  if (resource.resourceType === 'DocumentReference') checkDocumentReference(resource, outgoing, error);
  else if (resource.resourceType === 'Condition') checkCondition(resource, outgoing, error);
  else if (resource.resourceType === 'Provenance') checkProvenance(resource, context, error);
  return issues;
}

export const errorsOf = (issues: readonly ValidationIssue[]) => issues.filter((i) => i.severity === 'error');
