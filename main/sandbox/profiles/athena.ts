import type { SandboxProfile } from './profile.js';
import { ALL_READ } from './profile.js';
import { SANDBOX_RESOURCE_TYPES } from './permissive.js';
import { requireOneOf } from './search-rules.js';

const read = { interactions: ALL_READ, searchParams: 'all' } as const;

/**
 * athenahealth (docs/ehr-vendors.md, "athena"): FHIR is read and search only, every write a 405;
 * notes go over HL7 v2 to the sandbox's MLLP listener.
 */
export const athenaProfile: SandboxProfile = {
  name: 'athena',
  resources: {
    ...Object.fromEntries(SANDBOX_RESOURCE_TYPES.map((type) => [type, read])),
    DocumentReference: {
      interactions: ALL_READ,
      searchParams: ['_id', 'patient', 'category', 'type', 'date', 'encounter', 'author', '_lastUpdated', '_count'],
      searchRefusal: requireOneOf('athena.search.patient-required', ['patient', '_id']),
    },
  },
  transaction: false,
  batch: false,
  conditionalCreate: false,
  usCoreValidation: false,
  strictHandling: false,
  answerBody: () => 'minimal',
  location: 'absolute',
  etag: 'resource',
  updateNeedsIfMatch: false,
  forbiddenBody: 'outcome',
  unprocessableBody: 'rule',
};
