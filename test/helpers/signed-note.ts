import { createHash, randomUUID } from 'node:crypto';
import { SANDBOX_PATIENTS, SANDBOX_PRACTITIONERS, sandboxEncounterId } from '../../main/sandbox/seed.js';
import type { DeliveryJob, SignedNotePayload } from '../../main/writeback/delivery.js';
import type { CodeSuggestion, Note, NoteSection } from '../../shared/domain/note.js';
import { renderSignedNoteText } from '../../shared/domain/note-text.js';
import type { VisitId } from '../../shared/ids.js';
import { SENTINEL } from './temp-store.js';

/**
 * A signed note as the outbox hands it to a delivery target. Defaults point at the sandbox EHR's
 * seeded patient 1, today's encounter 1 and practitioner 1, so a delivery to the sandbox resolves
 * every reference. The patient's name, MRN and the note text carry SENTINEL strings (tests assert
 * they never reach logs or errors) and the characters HL7 v2 must escape (| ^ ~ \ &), line breaks
 * and non-ASCII text (byte-identity after escaping).
 */
export interface SignedNoteFixtureOptions {
  readonly visitId?: string;
  readonly patientId?: string;
  /** null: a note without an encounter. */
  readonly encounterId?: string | null;
  readonly practitionerId?: string;
  readonly practitionerName?: string;
  /** Accepted codes; default E11.65 and I10 (official ICD-10-CM 2026 descriptions). */
  readonly codes?: readonly { readonly code: string; readonly description: string }[];
  /** Appended to the assessment as its own sentence. */
  readonly extraText?: string;
  readonly signedAt?: string;
}

export const FIXTURE_CODES = [
  { code: 'E11.65', description: 'Type 2 diabetes mellitus with hyperglycemia' },
  { code: 'I10', description: 'Essential (primary) hypertension' },
] as const;

/** A code the clinician rejected: it is in the note's list but must never be delivered. */
export const FIXTURE_REJECTED_CODE = { code: 'J06.9', description: 'Acute upper respiratory infection, unspecified' } as const;

/** A sentence with every HL7 v2 delimiter, an escape-looking sequence and non-ASCII text. */
export const TRICKY_SENTENCE = 'Pain 7/10 | worse at night ^ after meals ~ stairs & cold; path C:\\temp\\E\\ stays; café naïve 日本 🩺.';

const sentence = (id: string, text: string) => ({
  id,
  text,
  evidence: ['seg-1'],
  support: 'supported' as const,
  origin: 'drafted' as const,
});

export function buildSignedNotePayload(options: SignedNoteFixtureOptions = {}): SignedNotePayload {
  const visitId = (options.visitId ?? randomUUID()) as VisitId;
  const signedAt = options.signedAt ?? new Date().toISOString();
  const practitionerId = options.practitionerId ?? SANDBOX_PRACTITIONERS[0]!.id;
  const accepted = options.codes ?? FIXTURE_CODES;
  const sections: NoteSection[] = [
    { id: 'chief_complaint', title: 'Chief complaint', sentences: [sentence('s1', 'Follow-up of blood sugar and blood pressure.')] },
    {
      id: 'hpi',
      title: 'History of present illness',
      sentences: [
        sentence('s2', `${SENTINEL.name} (MRN ${SENTINEL.mrn}) reports higher fasting glucose this month.`),
        sentence('s3', TRICKY_SENTENCE),
      ],
    },
    {
      id: 'assessment',
      title: 'Assessment',
      sentences: [
        sentence('s4', 'Type 2 diabetes with hyperglycemia; essential hypertension, controlled.'),
        ...(options.extraText === undefined ? [] : [sentence('s5', options.extraText)]),
      ],
    },
    {
      id: 'plan',
      title: 'Plan',
      sentences: [sentence('s6', 'Increase metformin to 1000 mg twice daily.'), sentence('s7', 'Recheck HbA1c in 3 months.')],
    },
  ];
  const codes: CodeSuggestion[] = [
    ...accepted.map((c, i) => ({
      code: c.code,
      description: c.description,
      rank: i + 1,
      evidence: ['seg-1'],
      status: 'accepted' as const,
    })),
    { ...FIXTURE_REJECTED_CODE, rank: accepted.length + 1, evidence: [], status: 'rejected' as const },
  ];
  const note: Note = {
    visitId,
    template: 'soap',
    sections,
    codes,
    drafter: { engine: 'offline' },
    revision: 2,
    updatedAt: signedAt,
    updatedBy: practitionerId,
  };
  const noteText = renderSignedNoteText(note);
  return {
    visitId,
    patient: {
      id: options.patientId ?? SANDBOX_PATIENTS[0]!.id,
      displayName: SENTINEL.name,
      mrn: SENTINEL.mrn,
      birthDate: SENTINEL.birthDate,
      sex: 'female',
    },
    encounterId: options.encounterId === null ? undefined : (options.encounterId ?? sandboxEncounterId(0)),
    practitioner: { id: practitionerId, name: options.practitionerName ?? 'Dr. Robin Clinician-Sandbox' },
    note,
    noteText,
    attestation: {
      visitId,
      revision: note.revision,
      noteSha256: createHash('sha256').update(noteText, 'utf8').digest('hex'),
      signedBy: practitionerId,
      signedAt,
    },
    codes: codes.filter((c) => c.status === 'accepted'),
  };
}

export function buildDeliveryJob(
  payload: SignedNotePayload = buildSignedNotePayload(),
  overrides: Partial<Omit<DeliveryJob, 'payload'>> = {},
): DeliveryJob {
  return {
    jobId: overrides.jobId ?? randomUUID(),
    idempotencyKey: overrides.idempotencyKey ?? randomUUID(),
    attempt: overrides.attempt ?? 1,
    payload,
  };
}
