import { SANDBOX_ORGANIZATION_ID } from './seed.js';

/** Where the sandbox listens by default: the app's default configuration points here. */
export const SANDBOX_DEFAULTS = {
  host: '127.0.0.1',
  /** FHIR at /fhir, SMART auth at /auth, admin at /admin: one HTTP port. */
  port: 8910,
  /** The HL7 v2 MLLP listener's default port (its own listener, see `extraListeners`). */
  mllpPort: 2575,
  fhirPath: '/fhir',
  authPath: '/auth',
  backendClientId: 'ambient-scribe-backend',
  clinicianClientId: 'ambient-scribe-desktop',
  clinicianRedirectUris: ['http://127.0.0.1/callback', 'http://127.0.0.1/smart/callback'],
  organizationId: SANDBOX_ORGANIZATION_ID,
  accessTokenTtlSeconds: 300,
} as const;
