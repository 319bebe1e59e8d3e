import type { Condition, DocumentReference, Resource } from '@medplum/fhirtypes';
import type { CreateContext, Kept, SandboxProfile, SandboxRefusal } from './profile.js';
import { ALL_READ, refusal, unkeptFields } from './profile.js';
import { LOINC, US_CORE_DOC_CATEGORY, codesOf, isBase64, mediaTypeOf, referencedId } from './rule-helpers.js';
import { requireOneOf } from './search-rules.js';

/** US Core's ten common clinical notes (the note types an Epic organisation typically maps). (A) */
export const EPIC_NOTE_TYPES: readonly string[] = [
  '11488-4', // consultation note
  '18842-5', // discharge summary
  '34117-2', // history and physical
  '28570-0', // procedure note
  '11506-3', // progress note
  '18748-4', // imaging narrative
  '11502-2', // laboratory report narrative
  '11526-1', // pathology report narrative
  '57133-1', // referral note
  '11504-8', // surgical operation note
];

/** Who a note without an author is filed under: the client's background user. */
export const EPIC_BACKGROUND_USER = 'Practitioner/sbx-background';

const unprocessable = (rule: string, code: SandboxRefusal['code'], text: string, expression: string) =>
  refusal(422, `epic.${rule}`, code, text, { expression });

async function checkNote(resource: Resource, context: CreateContext): Promise<SandboxRefusal | undefined> {
  const d = resource as DocumentReference;
  if (d.modifierExtension?.length)
    return unprocessable(
      'docref.modifier-extension',
      'not-supported',
      'A modifier extension is not supported.',
      'DocumentReference.modifierExtension',
    );
  if (d.status !== 'current')
    return unprocessable('docref.status', 'value', 'Only a status of current is supported.', 'DocumentReference.status');
  if (!d.docStatus) return unprocessable('docref.doc-status-required', 'required', 'docStatus is required.', 'DocumentReference.docStatus');
  if (d.docStatus !== 'final' && d.docStatus !== 'preliminary')
    return unprocessable('docref.doc-status', 'value', 'docStatus must be final or preliminary.', 'DocumentReference.docStatus');
  const patientId = referencedId(d.subject, 'Patient');
  if (!patientId || !(await context.read('Patient', patientId)))
    return unprocessable('docref.subject', 'not-found', 'The subject is not a patient of this EHR.', 'DocumentReference.subject');
  const encounterRef = d.context?.encounter?.[0];
  if (!encounterRef)
    return unprocessable('docref.encounter-required', 'required', 'An encounter is required.', 'DocumentReference.context.encounter');
  const encounterId = referencedId(encounterRef, 'Encounter');
  const encounter = encounterId ? await context.read('Encounter', encounterId) : undefined;
  if (!encounter)
    return unprocessable('docref.encounter-unknown', 'not-found', 'The encounter does not exist.', 'DocumentReference.context.encounter');
  if (referencedId((encounter as { subject?: { reference?: string } }).subject, 'Patient') !== patientId)
    return unprocessable(
      'docref.encounter-patient',
      'business-rule',
      'The encounter belongs to another patient.',
      'DocumentReference.context.encounter',
    );
  const attachment = d.content?.[0]?.attachment;
  if (!attachment || !isBase64(attachment.data))
    return unprocessable('docref.content-required', 'required', 'The first attachment needs base64 data.', 'DocumentReference.content');
  if (mediaTypeOf(attachment.contentType) !== 'text/plain')
    return unprocessable(
      'docref.content-type',
      'not-supported',
      'Only text/plain notes are supported.',
      'DocumentReference.content.attachment.contentType',
    );
  if (!codesOf(d.type ? [d.type] : [], LOINC).some((c) => EPIC_NOTE_TYPES.includes(c.code!)))
    return unprocessable('docref.type', 'code-invalid', 'The note type is not one this organisation files.', 'DocumentReference.type');
  return undefined;
}

const NOTE_FIELDS = ['status', 'docStatus', 'type', 'category', 'subject', 'author', 'date', 'context', 'content'];

function keepNote(resource: Resource): Kept {
  const d = resource as DocumentReference;
  const droppedBy: string[] = [];
  if ((d.content?.length ?? 0) > 1) droppedBy.push('epic.docref.first-attachment-only');
  const a = d.content?.[0]?.attachment ?? {};
  const extraContext = Object.keys(d.context ?? {}).some((k) => k !== 'encounter' && k !== 'period');
  const extraAttachment = Object.keys(a).some((k) => !['contentType', 'data', 'title'].includes(k));
  const extraContent = Object.keys(d.content?.[0] ?? {}).some((k) => k !== 'attachment');
  if (unkeptFields(d, NOTE_FIELDS).length > 0 || extraContext || extraAttachment || extraContent)
    droppedBy.push('epic.docref.unkept-fields');
  const kept: DocumentReference = {
    resourceType: 'DocumentReference',
    status: d.status,
    docStatus: d.docStatus,
    ...(d.type ? { type: d.type } : {}),
    category: [{ coding: [{ system: US_CORE_DOC_CATEGORY, code: 'clinical-note', display: 'Clinical Note' }] }],
    ...(d.subject ? { subject: d.subject } : {}),
    author: d.author?.length ? d.author : [{ reference: EPIC_BACKGROUND_USER }],
    ...(d.date ? { date: d.date } : {}),
    context: { encounter: d.context?.encounter, ...(d.context?.period ? { period: d.context.period } : {}) },
    content: [
      {
        attachment: {
          contentType: a.contentType,
          data: a.data,
          ...(a.title ? { title: a.title } : {}),
        },
      },
    ],
  };
  return { resource: kept, droppedBy };
}

function checkProblem(resource: Resource): Promise<SandboxRefusal | undefined> {
  const c = resource as Condition;
  const categories = (c.category ?? []).flatMap((x) => x.coding ?? []).map((x) => x.code);
  if (!categories.includes('problem-list-item'))
    return Promise.resolve(
      unprocessable('condition.category', 'not-supported', 'Only problem list items can be created.', 'Condition.category'),
    );
  const verification = c.verificationStatus?.coding?.[0]?.code;
  if (verification !== 'provisional')
    return Promise.resolve(
      refusal(422, 'epic.condition.verification-status', 'value', "Only a verificationStatus of 'provisional' is supported.", {
        vendorCode: '59012',
        diagnostics: "Only a verificationStatus of 'provisional' is supported.",
        expression: 'verificationstatus',
      }),
    );
  if (!c.code || !(c.code.text || c.code.coding?.some((x) => x.display)))
    return Promise.resolve(
      unprocessable('condition.code', 'required', 'The problem needs a code with a display or a text.', 'Condition.code'),
    );
  if ((c.note?.length ?? 0) > 1 || (c.note?.[0]?.text?.length ?? 0) > 450)
    return Promise.resolve(unprocessable('condition.note', 'value', 'One note of at most 450 characters.', 'Condition.note'));
  return Promise.resolve(undefined);
}

function keepProblem(resource: Resource): Kept {
  const { identifier, ...rest } = resource as Condition;
  return { resource: rest, droppedBy: identifier ? ['epic.condition.identifier-dropped'] : [] };
}

const read = { interactions: ALL_READ, searchParams: 'all' } as const;

/**
 * Epic (docs/ehr-vendors.md, "epic"): notes and problems created one at a time, nothing updated,
 * patched or deleted, no Bundles, no conditional create; a note needs an encounter of its patient
 * and one text/plain attachment; problems only as provisional, into a holding tank; `identifier`
 * searches ignored; 201 with an empty body unless `Prefer: return=representation`.
 */
export const epicProfile: SandboxProfile = {
  name: 'epic',
  resources: {
    DocumentReference: {
      interactions: ['create', 'read', 'search-type'],
      searchParams: ['_id', 'patient', 'subject', 'category', 'type', 'date', 'period', 'status', 'encounter', '_count'],
      searchRefusal: requireOneOf('epic.search.patient-required', ['patient', 'subject', '_id']),
      check: checkNote,
      keep: keepNote,
    },
    Condition: {
      interactions: ['create', 'read', 'search-type'],
      searchParams: ['_id', 'patient', 'subject', 'category', 'clinical-status', 'encounter'],
      check: checkProblem,
      keep: keepProblem,
      holdingTank: true,
    },
    Encounter: read,
    Patient: read,
    Practitioner: read,
    Provenance: { interactions: ['read'], searchParams: [] },
    // Not in the spec's table: the seeded charts' medication lists and clinic, read as Epic serves them.
    Organization: read,
    MedicationRequest: read,
    Medication: read,
  },
  transaction: false,
  batch: false,
  conditionalCreate: false,
  usCoreValidation: false,
  strictHandling: false,
  answerBody: (prefer) => (prefer === 'representation' ? 'representation' : 'minimal'),
  location: 'relative',
  etag: 'none',
  updateNeedsIfMatch: false,
  forbiddenBody: 'empty',
  unprocessableBody: 'rule',
};
