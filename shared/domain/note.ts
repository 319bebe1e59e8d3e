import { z } from 'zod';
import { IsoDateTime, VisitId } from '../ids.js';

/**
 * The note model shared by drafting (issue: note drafting and coding), review (the renderer) and
 * write-back (FHIR DocumentReference, HL7 MDM OBX lines, file drop).
 */
export const NoteTemplateId = z.enum(['soap', 'history-physical', 'follow-up']);
export type NoteTemplateId = z.infer<typeof NoteTemplateId>;

export const SectionId = z.enum([
  'chief_complaint',
  'hpi',
  'ros',
  'medications',
  'allergies',
  'vitals',
  'exam',
  'assessment',
  'plan',
  'patient_instructions',
]);
export type SectionId = z.infer<typeof SectionId>;

/**
 * ICD-10-CM as clinicians and FHIR write it: letter, two characters, optional dot and up to four more (E11.65).
 * Letters are allowed in every position: U07.1 (COVID-19) and QA0.0101 (FY2026) are real codes. Whether
 * a code exists is for the imported code set to say (main/coding/), not for this pattern.
 */
export const IcdCode = z.string().regex(/^[A-Z][0-9A-Z]{2}(\.[0-9A-Z]{1,4})?$/, 'not an ICD-10-CM code');
export type IcdCode = z.infer<typeof IcdCode>;

/** What a fact checker looks for in a sentence and expects to find in the transcript lines it cites. */
export const FactKind = z.enum(['medication', 'dose', 'unit', 'frequency', 'route', 'number', 'laterality', 'negation']);
export type FactKind = z.infer<typeof FactKind>;

/** A fact stated in a sentence that its cited transcript lines do not state (value as written in the sentence). */
export const FactMismatch = z.object({ kind: FactKind, value: z.string() });
export type FactMismatch = z.infer<typeof FactMismatch>;

/**
 * Why a sentence is not backed by the visit, derived by the main process from the stored transcript
 * on every save and again at signing; whatever a client sends here is replaced.
 */
export const SentenceCheck = z.object({
  /** Cited segment ids the transcript does not hold. */
  missingEvidence: z.array(z.string()),
  /** Cited segments whose words changed since the note was drafted (the transcript was replaced or revised). */
  changedEvidence: z.array(z.string()),
  /** Facts in the sentence its cited lines do not state. */
  unmatched: z.array(FactMismatch),
});
export type SentenceCheck = z.infer<typeof SentenceCheck>;

export const NoteSentence = z.object({
  id: z.string().min(1).max(64),
  text: z.string(),
  /** Ids of the transcript segments this sentence came from. Empty means nothing supports it. */
  evidence: z.array(z.string()),
  /** 'unsupported': cites no segment, or one that does not exist; shown marked, never silently kept. */
  support: z.enum(['supported', 'unsupported']),
  origin: z.enum(['drafted', 'edited', 'added']),
  check: SentenceCheck.optional(),
});
export type NoteSentence = z.infer<typeof NoteSentence>;

export const NoteSection = z.object({
  id: SectionId,
  title: z.string(),
  sentences: z.array(NoteSentence),
});
export type NoteSection = z.infer<typeof NoteSection>;

export const CodeSuggestion = z.object({
  code: IcdCode,
  /** The official description from the imported code set. */
  description: z.string(),
  rank: z.number().int().positive(),
  evidence: z.array(z.string()),
  status: z.enum(['suggested', 'accepted', 'rejected']),
  /** Set when a more specific billable code exists below this one for what was said. */
  specificityHint: z.object({ message: z.string(), moreSpecific: z.array(IcdCode) }).optional(),
});
export type CodeSuggestion = z.infer<typeof CodeSuggestion>;

export const Note = z.object({
  visitId: VisitId,
  template: NoteTemplateId,
  sections: z.array(NoteSection),
  codes: z.array(CodeSuggestion),
  drafter: z.object({ engine: z.enum(['llm', 'offline']), model: z.string().optional(), promptVersion: z.string().optional() }),
  revision: z.number().int().positive(),
  updatedAt: IsoDateTime,
  updatedBy: z.string(),
});
export type Note = z.infer<typeof Note>;

/** What a clinician's signature covers: the note's exact content, by hash. */
export const Attestation = z.object({
  visitId: VisitId,
  revision: z.number().int().positive(),
  noteSha256: z.string().regex(/^[0-9a-f]{64}$/),
  signedBy: z.string(),
  signedAt: IsoDateTime,
});
export type Attestation = z.infer<typeof Attestation>;
