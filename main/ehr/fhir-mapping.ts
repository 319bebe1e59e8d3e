import { z } from 'zod';
import type { EhrEncounter, EhrPatient } from '../../shared/domain/ehr.js';
import { EhrError } from './ehr-error.js';

/**
 * What the app reads from a FHIR searchset, checked with zod before anything is used: only the
 * fields the schedule and patient search show, loose about everything else. A Bundle that is not
 * a searchset, or an entry of the asked-for type that is malformed, refuses the whole answer with
 * a typed error rather than showing a schedule with patients silently missing.
 */
const Str = z.string();
export const Reference = z.looseObject({ reference: Str.optional(), display: Str.optional() });
const Coding = z.looseObject({ system: Str.optional(), code: Str.optional(), display: Str.optional() });
export const CodeableConcept = z.looseObject({ coding: z.array(Coding).optional(), text: Str.optional() });
const HumanName = z.looseObject({
  use: Str.optional(),
  text: Str.optional(),
  family: Str.optional(),
  given: z.array(Str).optional(),
  prefix: z.array(Str).optional(),
  suffix: z.array(Str).optional(),
});
const Identifier = z.looseObject({ use: Str.optional(), type: CodeableConcept.optional(), system: Str.optional(), value: Str.optional() });
export const FhirId = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/);

export const FhirPatient = z.looseObject({
  resourceType: z.literal('Patient'),
  id: FhirId,
  name: z.array(HumanName).optional(),
  birthDate: Str.optional(),
  gender: Str.optional(),
  identifier: z.array(Identifier).optional(),
});
export type FhirPatient = z.infer<typeof FhirPatient>;

export const FhirPractitioner = z.looseObject({ resourceType: z.literal('Practitioner'), id: FhirId, name: z.array(HumanName).optional() });
export type FhirPractitioner = z.infer<typeof FhirPractitioner>;

export const FhirEncounter = z.looseObject({
  resourceType: z.literal('Encounter'),
  id: FhirId,
  status: Str,
  subject: Reference.optional(),
  participant: z.array(z.looseObject({ type: z.array(CodeableConcept).optional(), individual: Reference.optional() })).optional(),
  period: z.looseObject({ start: Str.optional(), end: Str.optional() }).optional(),
  reasonCode: z.array(CodeableConcept).optional(),
});
export type FhirEncounter = z.infer<typeof FhirEncounter>;

const SearchBundle = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.literal('searchset'),
  total: z.number().int().nonnegative().optional(),
  link: z.array(z.looseObject({ relation: Str, url: Str })).optional(),
  entry: z
    .array(
      z.looseObject({
        resource: z.looseObject({ resourceType: Str }).optional(),
        search: z.looseObject({ mode: Str.optional() }).optional(),
      }),
    )
    .optional(),
});

export interface SearchPage {
  readonly resources: readonly { readonly resourceType: string }[];
  readonly next: string | undefined;
  readonly total: number | undefined;
}

/** A searchset Bundle's resources and next link; anything else (an OperationOutcome with 200, HTML, a transaction) is refused. */
export function readSearchPage(body: unknown, what: string): SearchPage {
  const bundle = SearchBundle.safeParse(body);
  if (!bundle.success) throw EhrError.badResponse(what);
  return {
    resources: (bundle.data.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : [])),
    next: bundle.data.link?.find((l) => l.relation === 'next')?.url,
    total: bundle.data.total,
  };
}

/** Resources of one type from a page, each checked; one malformed resource refuses the page. */
export function resourcesOf<T>(page: SearchPage, type: string, schema: z.ZodType<T>, what: string): T[] {
  return page.resources
    .filter((r) => r.resourceType === type)
    .map((r) => {
      const parsed = schema.safeParse(r);
      if (!parsed.success) throw EhrError.badResponse(what);
      return parsed.data;
    });
}

/** `Patient/123`, `https://ehr/fhir/Patient/123` or `…/Patient/123/_history/2` → `123` when the type matches. */
export function referencedId(reference: string | undefined, type: string): string | undefined {
  if (!reference) return undefined;
  const path = reference.split(/[?#]/)[0]!.replace(/\/_history\/[^/]+$/, '');
  const parts = path.split('/');
  const id = parts.at(-1);
  return parts.at(-2) === type && id && FhirId.safeParse(id).success ? id : undefined;
}

const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

export function formatName(names: readonly z.infer<typeof HumanName>[] | undefined, withPrefix: boolean): string | undefined {
  const list = names ?? [];
  const name =
    list.find((n) => n.use === 'official') ?? list.find((n) => n.use === 'usual') ?? list.find((n) => n.use !== 'old') ?? list[0];
  if (!name) return undefined;
  const parts = name.text?.trim()
    ? [name.text.trim()]
    : [...(withPrefix ? (name.prefix ?? []) : []), ...(name.given ?? []), name.family ?? '', ...(withPrefix ? (name.suffix ?? []) : [])];
  const text = parts
    .map((p) => p.trim())
    .filter(Boolean)
    .join(' ');
  return text ? clip(text, 200) : undefined;
}

const MR = /^(MR|MRN)$/i;

/** The medical record number: an identifier typed MR (HL7 v2 table 0203). Other identifiers (SSN, insurance) are never shown as one. */
export function mrnOf(identifiers: FhirPatient['identifier']): string | undefined {
  const mrn = (identifiers ?? []).find(
    (i) =>
      i.value?.trim() &&
      (i.type?.coding?.some((c) => c.code !== undefined && MR.test(c.code)) ||
        /^(MRN|medical record number)$/i.test(i.type?.text?.trim() ?? '')),
  );
  return mrn?.value ? clip(mrn.value.trim(), 64) : undefined;
}

const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** FHIR dateTime with a time and offset → ISO instant; partial dates are left out rather than guessed. */
export function instantOf(value: string | undefined): string | undefined {
  if (!value || !DATE_TIME.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

const SEXES = new Set(['female', 'male', 'other', 'unknown']);

export function toEhrPatient(p: FhirPatient): EhrPatient {
  const displayName = formatName(p.name, false);
  const mrn = mrnOf(p.identifier);
  const birthDate = p.birthDate && FULL_DATE.test(p.birthDate) && Number.isFinite(Date.parse(p.birthDate)) ? p.birthDate : undefined;
  return {
    patientId: p.id,
    ...(displayName ? { displayName } : {}),
    ...(birthDate ? { birthDate } : {}),
    ...(mrn ? { mrn } : {}),
    ...(p.gender && SEXES.has(p.gender) ? { sex: p.gender as EhrPatient['sex'] } : {}),
  };
}

export const conceptText = (c: z.infer<typeof CodeableConcept> | undefined) =>
  c?.text?.trim() || c?.coding?.find((x) => x.display?.trim())?.display?.trim();

const PRIMARY = ['PPRF', 'ATND', 'PRF', 'PART'];

/** The encounter's main practitioner reference: primary performer, attender, then any practitioner. */
export function practitionerRefOf(e: FhirEncounter): z.infer<typeof Reference> | undefined {
  const people = (e.participant ?? []).filter((p) => referencedId(p.individual?.reference, 'Practitioner') || p.individual?.display);
  const rank = (p: (typeof people)[number]) => {
    const codes = (p.type ?? []).flatMap((t) => t.coding ?? []).map((c) => c.code ?? '');
    const best = Math.min(...codes.map((c) => PRIMARY.indexOf(c)).filter((i) => i >= 0));
    return Number.isFinite(best) ? best : PRIMARY.length;
  };
  return [...people].sort((a, b) => rank(a) - rank(b))[0]?.individual;
}

export function toEhrEncounter(
  e: FhirEncounter,
  patients: ReadonlyMap<string, EhrPatient>,
  practitioners: ReadonlyMap<string, string>,
): EhrEncounter | undefined {
  const patientId = referencedId(e.subject?.reference, 'Patient');
  if (!patientId) return undefined;
  const patient = patients.get(patientId) ?? {
    patientId,
    ...(e.subject?.display?.trim() ? { displayName: clip(e.subject.display.trim(), 200) } : {}),
  };
  const who = practitionerRefOf(e);
  const practitioner = who?.display?.trim() || practitioners.get(referencedId(who?.reference, 'Practitioner') ?? '');
  const start = instantOf(e.period?.start);
  const end = instantOf(e.period?.end);
  const reason = e.reasonCode?.map(conceptText).find(Boolean);
  return {
    encounterId: e.id,
    status: clip(e.status, 40),
    ...(start ? { start } : {}),
    ...(end ? { end } : {}),
    ...(reason ? { reason: clip(reason, 500) } : {}),
    ...(practitioner ? { practitioner: clip(practitioner, 200) } : {}),
    patient,
  };
}
