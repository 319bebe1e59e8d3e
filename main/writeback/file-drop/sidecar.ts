import { z } from 'zod';

export const SIDECAR_FORMAT = 'ambient-scribe.note/1';
export const ICD10CM_SYSTEM = 'http://hl7.org/fhir/sid/icd-10-cm';

const FileEntry = z.object({
  file: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
});

/**
 * The metadata file written beside each dropped note, last: its presence means the PDF and text
 * files beside it are complete. An importer reads it to file the note to the right patient and
 * visit; it holds PHI like the note itself.
 */
export const FileDropSidecar = z.object({
  format: z.literal(SIDECAR_FORMAT),
  idempotencyKey: z.string().min(1),
  visitId: z.string().min(1),
  patient: z.object({
    id: z.string().min(1),
    mrn: z.string().optional(),
    name: z.string().optional(),
    birthDate: z.string().optional(),
    sex: z.string().optional(),
  }),
  encounterId: z.string().optional(),
  practitioner: z.object({ id: z.string().min(1), name: z.string().optional() }),
  documentType: z.object({ system: z.literal('http://loinc.org'), code: z.literal('11506-3'), display: z.literal('Progress note') }),
  signedBy: z.string().min(1),
  signedAt: z.string().min(1),
  noteRevision: z.number().int().positive(),
  /** SHA-256 of the text file's bytes: the hash the clinician's signature covers. */
  noteSha256: z.string().regex(/^[0-9a-f]{64}$/),
  codes: z.array(z.object({ system: z.literal(ICD10CM_SYSTEM), code: z.string(), display: z.string() })),
  /** True for a drafted note; false for an addendum, which is the clinician's own words. */
  aiAssisted: z.boolean(),
  /** Set on an addendum: the note it adds to (that note's key and files), and which addendum this is. */
  addendumTo: z
    .object({ idempotencyKey: z.string().min(1), seq: z.number().int().positive(), files: z.array(z.string().min(1)) })
    .optional(),
  text: FileEntry.extend({ encoding: z.literal('utf-8') }),
  pdf: FileEntry.extend({
    pages: z.number().int().positive(),
    /** False when some characters had no glyph in the PDF's font: the text file is then the exact note. */
    exactText: z.boolean(),
  }),
});
export type FileDropSidecar = z.infer<typeof FileDropSidecar>;
