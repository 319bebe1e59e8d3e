import type { Practitioner } from '@medplum/fhirtypes';
import { formatPractitionerName } from '../auth/practitioner-name.js';
import type { Logger } from '../log/logger.js';
import type { PractitionerLookup } from '../signing/signer-resolution.js';
import type { EhrConnection } from './ehr-connection.js';
import { EhrError } from './ehr-error.js';

/**
 * Asks the EHR whether it knows a practitioner id (GET Practitioner/{id}), with the connection the
 * schedule uses. 404 or 410 is 'not_found'; anything that stops the question being answered
 * (unreachable, not configured, not allowed to read practitioners) is 'unknown', never 'not_found'.
 */
export function createPractitionerDirectory(connection: () => Promise<EhrConnection>, logger: Logger) {
  return async (practitionerId: string): Promise<PractitionerLookup> => {
    try {
      const { reader } = await connection();
      const body = (await reader.get(`Practitioner/${encodeURIComponent(practitionerId)}`, 'practitioner lookup')) as Practitioner;
      if (body.resourceType !== 'Practitioner') return { status: 'unknown' };
      return { status: 'found', name: formatPractitionerName(body) ?? undefined };
    } catch (error) {
      if (error instanceof EhrError && (error.status === 404 || error.status === 410)) return { status: 'not_found' };
      logger.warn('signing.signer_unchecked', { problem: error instanceof EhrError ? error.problem : 'unexpected' });
      return { status: 'unknown' };
    }
  };
}
