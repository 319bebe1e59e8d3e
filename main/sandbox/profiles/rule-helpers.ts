import type { Coding, Reference } from '@medplum/fhirtypes';

export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
export const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
export const ICD9CM = 'http://hl7.org/fhir/sid/icd-9-cm';
export const US_CORE_DOC_CATEGORY = 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category';
export const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';

/** The id in `Type/id` (or an absolute URL ending so); undefined for another type or shape. */
export function referencedId(reference: Reference | undefined, type: string): string | undefined {
  const m = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(reference?.reference ?? '');
  return m && m[1] === type ? m[2] : undefined;
}

/** `text/plain; charset=UTF-8` → `text/plain`. */
export const mediaTypeOf = (contentType: string | undefined) => (contentType ?? '').split(';')[0]!.trim().toLowerCase();

export const hasUtf8Charset = (contentType: string | undefined) =>
  (contentType ?? '')
    .split(';')
    .slice(1)
    .some((p) => p.replace(/\s+/g, '').toLowerCase() === 'charset=utf-8');

export const codesOf = (concepts: readonly { coding?: Coding[] }[] | undefined, system: string) =>
  (concepts ?? []).flatMap((c) => c.coding ?? []).filter((c) => c.system === system && c.code);

export const isBase64 = (data: string | undefined) => !!data && /^[A-Za-z0-9+/]+={0,2}$/.test(data.replace(/\s+/g, ''));
