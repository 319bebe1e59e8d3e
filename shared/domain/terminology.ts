import { z } from 'zod';
import { IsoDateTime } from '../ids.js';
import { IcdCode } from './note.js';

/**
 * The ICD-10-CM code set the app codes against. Terminology is public reference data, not PHI:
 * it is stored in plain tables and may appear in logs and messages.
 */
export const TerminologyInfo = z.object({
  system: z.literal('ICD-10-CM'),
  /** 'FY2026' for the official release (built in or imported), 'starter-fy2026' for the development fallback. */
  version: z.string(),
  fiscalYear: z.number().int(),
  /**
   * 'built-in': the official release shipped in the app; 'release': one IT imported (a newer year or
   * the April update); 'starter': a small development fallback, only in a build made without the release.
   */
  source: z.enum(['built-in', 'release', 'starter']),
  /** Said to the user when the code set in use is not the whole official one (plain words, no paths). */
  notice: z.string().optional(),
  files: z.array(z.string()),
  counts: z.object({
    total: z.number().int().nonnegative(),
    billable: z.number().int().nonnegative(),
    headers: z.number().int().nonnegative(),
  }),
  importedAt: IsoDateTime.optional(),
  importedBy: z.string().optional(),
});
export type TerminologyInfo = z.infer<typeof TerminologyInfo>;

export const IcdMatch = z.enum(['code', 'words', 'abbreviation']);
export type IcdMatch = z.infer<typeof IcdMatch>;

export const IcdSearchHit = z.object({
  code: IcdCode,
  description: z.string(),
  billable: z.boolean(),
  /** How the hit was found: by its code, by the words of its description, or through an abbreviation. */
  matchedBy: IcdMatch,
});
export type IcdSearchHit = z.infer<typeof IcdSearchHit>;

export const IcdSearchRequest = z.object({
  query: z.string().trim().min(1).max(200),
  limit: z.number().int().min(1).max(200).default(20),
  billableOnly: z.boolean().default(false),
});

export const IcdSearchResult = z.object({
  version: z.string(),
  /** How many codes matched in all, of which `hits` are the best `limit`. */
  total: z.number().int().nonnegative(),
  hits: z.array(IcdSearchHit),
});
export type IcdSearchResult = z.infer<typeof IcdSearchResult>;

export const IcdValidation = z.object({
  /** The code as entered, when it has the shape of a code; omitted otherwise. */
  input: z.string().optional(),
  /** The code with its dot, when the input had the shape of a code. */
  code: IcdCode.optional(),
  status: z.enum(['billable', 'header', 'unknown', 'malformed']),
  billable: z.boolean(),
  description: z.string().optional(),
  /** Billable codes to choose from instead: below a header, or near an unknown code. */
  alternatives: z.array(z.object({ code: IcdCode, description: z.string() })),
  version: z.string(),
  message: z.string(),
});
export type IcdValidation = z.infer<typeof IcdValidation>;
