import type { ResourceBehaviour, ResourceInteraction, SandboxProfile } from './profile.js';

/** Every resource type the sandbox serves; all profiles draw their lists from it. */
export const SANDBOX_RESOURCE_TYPES = [
  'Patient',
  'Practitioner',
  'Organization',
  'Encounter',
  'DocumentReference',
  'Condition',
  'MedicationRequest',
  'Medication',
  'Provenance',
] as const;

const EVERYTHING: readonly ResourceInteraction[] = [
  'read',
  'vread',
  'search-type',
  'create',
  'update',
  'patch',
  'delete',
  'history-instance',
];
const open: ResourceBehaviour = { interactions: EVERYTHING, searchParams: 'all' };

/**
 * Today's sandbox with the fidelity fixes: transactions and batches, conditional create, every R4
 * search parameter (identifier and _tag included), any attachment type, every interaction the
 * token's scopes allow, US Core 8.0.0 validation, `Prefer` honoured (representation by default).
 */
export const permissiveProfile: SandboxProfile = {
  name: 'permissive',
  resources: Object.fromEntries(SANDBOX_RESOURCE_TYPES.map((type) => [type, open])),
  otherTypes: open,
  transaction: true,
  batch: true,
  conditionalCreate: true,
  usCoreValidation: true,
  strictHandling: true,
  answerBody: (prefer) => prefer ?? 'representation',
  location: 'absolute-history',
  etag: 'resource',
  updateNeedsIfMatch: false,
  forbiddenBody: 'outcome',
  unprocessableBody: 'rule',
};
