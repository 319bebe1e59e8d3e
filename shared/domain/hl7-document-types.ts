import { z } from 'zod';

/** A coded value (ID/IS) from a table the HL7 receiver keeps: letters, digits, `_`, `-`, `.`. */
const Hl7Code = z.string().regex(/^[A-Za-z0-9_.-]{1,20}$/, 'must be 1-20 letters, digits, _ - or .');

/**
 * TXA-2 (document type) per note template, and for addenda. Table 0270 is user-defined: HL7's
 * suggested values include PR progress note, HP history and physical examination, CN consultation
 * (PN is procedure note, not progress note); a receiver that keeps its own table gives its codes.
 * `addendum` null: an addendum carries its original note's type.
 */
export const Hl7DocumentTypes = z.strictObject({
  soap: Hl7Code,
  'history-physical': Hl7Code,
  'follow-up': Hl7Code,
  addendum: Hl7Code.nullable(),
});
export type Hl7DocumentTypes = z.infer<typeof Hl7DocumentTypes>;

export const DEFAULT_HL7_DOCUMENT_TYPES: Hl7DocumentTypes = { soap: 'PR', 'history-physical': 'HP', 'follow-up': 'PR', addendum: null };

/** XCN-13 of clinician fields (table 0203): PRN provider number, NPI, DN doctor number, EI employee number. */
export const Hl7ProviderIdType = z.enum(['PRN', 'NPI', 'DN', 'EI']);
export type Hl7ProviderIdType = z.infer<typeof Hl7ProviderIdType>;
