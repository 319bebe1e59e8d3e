import type { Condition, DocumentReference, Provenance, Resource } from '@medplum/fhirtypes';
import type { CreateContext, Kept, SandboxProfile, SandboxRefusal } from './profile.js';
import { ALL_READ, refusal, unkeptFields } from './profile.js';
import { CONDITION_CATEGORY, ICD10CM, ICD9CM, LOINC, SNOMED, hasUtf8Charset, mediaTypeOf, referencedId } from './rule-helpers.js';
import { requireOneOf } from './search-rules.js';

/** Millennium's MIME types for a note's one attachment. */
export const ORACLE_MIME_TYPES: readonly string[] = [
  'application/pdf',
  'text/plain',
  'text/richtext',
  'text/rtf',
  'text/html',
  'application/xml',
  'application/xhtml+xml',
];

const CODE_SET_72 = /^https:\/\/fhir\.cerner\.com\/[^/]+\/codeSet\/72$/;
const DATE_WITHOUT_TIME = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const PROVENANCE_TARGETS = [
  'AllergyIntolerance',
  'Condition',
  'DocumentReference',
  'Encounter',
  'Immunization',
  'MedicationRequest',
  'Observation',
  'Procedure',
];

const no = (rule: string, text: string, expression: string) => refusal(422, `oracle.${rule}`, 'invalid', text, { expression });
const done = (r: SandboxRefusal | undefined) => Promise.resolve(r);

function checkNote(resource: Resource, context: CreateContext): Promise<SandboxRefusal | undefined> {
  const d = resource as DocumentReference;
  const user = context.token.kind === 'user';
  if (d.modifierExtension?.length)
    return done(refusal(422, 'oracle.docref.modifier-extension', 'extension', 'Modifier extensions are not supported.'));
  if (d.implicitRules) return done(refusal(422, 'oracle.docref.implicit-rules', 'not-supported', 'implicitRules is not supported.'));
  if (!d.status) return done(refusal(500, 'oracle.docref.status-required', 'required', 'status is required.', { severity: 'fatal' }));
  if (d.status !== 'current') return done(no('docref.status', 'Only a status of current is supported.', 'DocumentReference.status'));
  if (!d.docStatus) return done(no('docref.doc-status-required', 'docStatus is required.', 'DocumentReference.docStatus'));
  const allowed = user ? ['final'] : ['final', 'amended'];
  if (!allowed.includes(d.docStatus))
    return done(no('docref.doc-status', 'docStatus is not allowed for this access.', 'DocumentReference.docStatus'));
  const codings = d.type?.coding ?? [];
  const loinc = codings.filter((c) => c.system === LOINC).length;
  const codeSet72 = codings.filter((c) => CODE_SET_72.test(c.system ?? '')).length;
  if ((loinc > 0 && codeSet72 > 0) || codeSet72 > 1 || loinc + codeSet72 === 0)
    return done(no('docref.type', 'type needs LOINC codings or one code set 72 coding.', 'DocumentReference.type'));
  if (!referencedId(d.subject, 'Patient')) return done(no('docref.subject', 'The subject must be a Patient.', 'DocumentReference.subject'));
  if (user) {
    const authors = d.author ?? [];
    if (authors.length !== 1 || referencedId(authors[0], 'Practitioner') !== context.token.practitionerId)
      return done(no('docref.author', "The author must be the token's provider.", 'DocumentReference.author'));
    if (d.authenticator)
      return done(no('docref.authenticator', 'authenticator is for system access only.', 'DocumentReference.authenticator'));
  }
  if (d.content?.length !== 1) return done(no('docref.content-count', 'Exactly one content entry.', 'DocumentReference.content'));
  const a = d.content[0]!.attachment;
  if (!a.data || !a.contentType)
    return done(no('docref.content-required', 'data and contentType are required.', 'DocumentReference.content.attachment'));
  const mediaType = mediaTypeOf(a.contentType);
  if (!ORACLE_MIME_TYPES.includes(mediaType) || (mediaType !== 'application/pdf' && !hasUtf8Charset(a.contentType)))
    return done(
      no('docref.content-type', 'The content type or character set is not supported.', 'DocumentReference.content.attachment.contentType'),
    );
  if (!d.context?.period?.end)
    return done(no('docref.period-end', 'context.period.end is required.', 'DocumentReference.context.period.end'));
  if ((d.context.encounter?.length ?? 0) > 1)
    return done(no('docref.encounters', 'At most one encounter.', 'DocumentReference.context.encounter'));
  const dates = [d.date, d.context.period.start, d.context.period.end, a.creation];
  if (dates.some((v) => v !== undefined && DATE_WITHOUT_TIME.test(v)))
    return done(no('docref.date-without-time', 'Every date needs a time.', 'DocumentReference'));
  return done(undefined);
}

const NOTE_FIELDS = ['status', 'docStatus', 'type', 'subject', 'author', 'authenticator', 'content', 'context'];

function keepNote(resource: Resource): Kept {
  const d = resource as DocumentReference;
  const a = d.content?.[0]?.attachment ?? {};
  const extra =
    unkeptFields(d, NOTE_FIELDS).length > 0 ||
    Object.keys(d.context ?? {}).some((k) => k !== 'encounter' && k !== 'period') ||
    Object.keys(d.content?.[0] ?? {}).some((k) => k !== 'attachment') ||
    Object.keys(a).some((k) => !['contentType', 'data', 'title', 'creation'].includes(k));
  const kept: DocumentReference = {
    resourceType: 'DocumentReference',
    status: d.status,
    docStatus: d.docStatus,
    type: d.type,
    subject: d.subject,
    ...(d.author ? { author: d.author } : {}),
    ...(d.authenticator ? { authenticator: d.authenticator } : {}),
    content: [
      {
        attachment: {
          contentType: a.contentType,
          data: a.data,
          ...(a.title ? { title: a.title } : {}),
          ...(a.creation ? { creation: a.creation } : {}),
        },
      },
    ],
    context: {
      ...(d.context?.encounter?.[0] ? { encounter: [d.context.encounter[0]] } : {}),
      ...(d.context?.period ? { period: d.context.period } : {}),
    },
  };
  return { resource: kept, droppedBy: extra ? ['oracle.docref.unsupported-fields'] : [] };
}

const CONDITION_SYSTEMS = [SNOMED, ICD10CM, ICD9CM];

function checkProblem(resource: Resource): Promise<SandboxRefusal | undefined> {
  const c = resource as Condition;
  const categories = (c.category ?? []).flatMap((x) => x.coding ?? []).filter((x) => x.system === CONDITION_CATEGORY);
  const category = categories[0]?.code;
  if (
    (c.category?.length ?? 0) !== 1 ||
    categories.length !== 1 ||
    (category !== 'problem-list-item' && category !== 'encounter-diagnosis')
  )
    return done(no('condition.category', 'Exactly one category: problem-list-item or encounter-diagnosis.', 'Condition.category'));
  const diagnosis = category === 'encounter-diagnosis';
  const clinical = c.clinicalStatus?.coding?.[0]?.code;
  if (!clinical) return done(no('condition.clinical-status', 'clinicalStatus is required.', 'Condition.clinicalStatus'));
  if (diagnosis && clinical !== 'active')
    return done(no('condition.clinical-status', 'A diagnosis must be active.', 'Condition.clinicalStatus'));
  const verification = c.verificationStatus?.coding?.[0]?.code;
  if (verification === 'refuted' || verification === 'entered-in-error')
    return done(no('condition.verification-status', 'This verificationStatus cannot be created.', 'Condition.verificationStatus'));
  const codings = c.code?.coding ?? [];
  if (codings.length === 0 || codings.length > 2 || !codings.every((x) => CONDITION_SYSTEMS.includes(x.system ?? '')))
    return done(no('condition.code', 'code needs one or two SNOMED CT, ICD-10-CM or ICD-9-CM codings.', 'Condition.code'));
  if (codings.length === 2 && codings.filter((x) => x.userSelected === true).length !== 1)
    return done(no('condition.user-selected', 'Of two codings exactly one is userSelected.', 'Condition.code.coding.userSelected'));
  if (diagnosis && !c.encounter) return done(no('condition.encounter-required', 'A diagnosis needs an encounter.', 'Condition.encounter'));
  if (diagnosis && c.abatementDateTime)
    return done(no('condition.abatement', 'A diagnosis cannot be abated.', 'Condition.abatementDateTime'));
  return done(undefined);
}

function keepProblem(resource: Resource): Kept {
  const { identifier, ...rest } = resource as Condition;
  return { resource: rest, droppedBy: identifier ? ['oracle.condition.unsupported-fields'] : [] };
}

function checkProvenance(resource: Resource): Promise<SandboxRefusal | undefined> {
  const p = resource as Provenance;
  const targetType = /(?:^|\/)([A-Z][A-Za-z]+)\/[^/]+$/.exec(p.target?.[0]?.reference ?? '')?.[1];
  if (p.target?.length !== 1 || !PROVENANCE_TARGETS.includes(targetType ?? ''))
    return done(no('provenance.target', 'Exactly one target of a supported type.', 'Provenance.target'));
  if (p.agent?.length !== 1) return done(no('provenance.agent', 'Exactly one agent.', 'Provenance.agent'));
  if (!p.recorded) return done(no('provenance.recorded', 'recorded is required.', 'Provenance.recorded'));
  return done(undefined);
}

function keepProvenance(resource: Resource): Kept {
  const p = resource as Provenance;
  if (!p.meta?.tag) return { resource: p, droppedBy: [] };
  const meta = { ...p.meta };
  delete meta.tag;
  const kept: Provenance = { ...p, meta };
  if (Object.keys(meta).length === 0) delete kept.meta;
  return { resource: kept, droppedBy: ['oracle.provenance.unsupported-fields'] };
}

function documentSearchRefusal(params: URLSearchParams): SandboxRefusal | undefined {
  const missing = requireOneOf('oracle.search.patient-required', ['_id', 'patient'], 'no supported search parameters provided')(params);
  if (missing) return missing;
  const periods = params.getAll('period');
  if (periods.length > 0 && (periods.length !== 2 || !periods.some((v) => v.startsWith('ge')) || !periods.some((v) => v.startsWith('lt'))))
    return refusal(400, 'oracle.search.period', 'invalid', 'period needs exactly one ge and one lt value.');
  return undefined;
}

const read = { interactions: ALL_READ, searchParams: 'all' } as const;

/**
 * Oracle Health Millennium R4 (docs/ehr-vendors.md, "oracle"): create and update (with If-Match) of
 * notes and problems, Provenance create, no Bundles, PATCH, DELETE or conditional create; a note
 * keeps only its documented fields (identifier and meta dropped silently); every 422 reads
 * "Unprocessable entity"; 201 with an empty body, an absolute Location and `ETag: W/"1"`.
 */
export const oracleProfile: SandboxProfile = {
  name: 'oracle',
  resources: {
    DocumentReference: {
      interactions: ['create', 'update', 'read', 'search-type'],
      searchParams: ['_id', 'patient', 'encounter', 'period', 'type', 'category', '_count', '_revinclude'],
      searchRefusal: documentSearchRefusal,
      check: checkNote,
      keep: keepNote,
    },
    Condition: {
      interactions: ['create', 'update', 'read', 'search-type'],
      searchParams: ['_id', 'patient', 'subject', 'clinical-status', 'category', '_revinclude'],
      searchRefusal: requireOneOf(
        'oracle.search.patient-required',
        ['_id', 'patient', 'subject'],
        'no supported search parameters provided',
      ),
      check: checkProblem,
      keep: keepProblem,
      idPrefix: 'p',
    },
    Provenance: {
      interactions: ['create', 'read', 'search-type'],
      searchParams: 'all',
      check: checkProvenance,
      keep: keepProvenance,
    },
    Encounter: read,
    Patient: read,
    Practitioner: read,
    // Not in the spec's table: the seeded charts' medication lists and clinic.
    Organization: read,
    MedicationRequest: read,
    Medication: read,
  },
  transaction: false,
  batch: false,
  conditionalCreate: false,
  usCoreValidation: false,
  strictHandling: false,
  answerBody: () => 'minimal',
  location: 'absolute',
  etag: 'counter',
  updateNeedsIfMatch: true,
  forbiddenBody: 'outcome',
  unprocessableBody: 'generic',
};
