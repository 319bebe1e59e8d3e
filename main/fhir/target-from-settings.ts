import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Settings } from '../../shared/domain/policy.js';
import { FhirSigningAlg, PrivateJwk } from './fhir-target-config.js';
import type { FhirTargetConfigInput } from './fhir-target-config.js';
import { fhirClientIncomplete, fhirKeyFileUnreadable, noFhirServer, notAFhirKeyFile } from './fhir-errors.js';

const FhirKeyFile = z.object({ alg: FhirSigningAlg, privateKey: PrivateJwk });

/** The FHIR connection to use when the settings name no EHR (the composition root supplies the demo EHR). */
export type DefaultFhirTarget = () => Promise<FhirTargetConfigInput>;

/** The FHIR connection the settings describe, or the default one when no base URL is set. */
export async function fhirTargetFromSettings(settings: Settings, whenUnset: DefaultFhirTarget | undefined): Promise<FhirTargetConfigInput> {
  if (settings.fhirBaseUrl === null) {
    if (whenUnset) return whenUnset();
    throw noFhirServer();
  }
  if (settings.fhirClientId === null || settings.fhirPrivateKeyFile === null) {
    throw fhirClientIncomplete();
  }
  let text: string;
  try {
    text = await readFile(settings.fhirPrivateKeyFile, 'utf8');
  } catch {
    throw fhirKeyFileUnreadable();
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const key = FhirKeyFile.safeParse(json);
  if (!key.success) throw notAFhirKeyFile();
  return {
    baseUrl: settings.fhirBaseUrl,
    clientId: settings.fhirClientId,
    privateKey: key.data.privateKey,
    signingAlg: key.data.alg,
    ...(settings.fhirTokenUrl ? { tokenUrl: settings.fhirTokenUrl } : {}),
    ...(settings.fhirScope ? { scope: settings.fhirScope } : {}),
    vendor: settings.ehrVendor,
  };
}
