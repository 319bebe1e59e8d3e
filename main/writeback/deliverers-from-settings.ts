import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Settings } from '../../shared/domain/policy.js';
import { ScribeError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { sandboxClientKeyPath, sandboxFhirTargetConfig } from '../sandbox/sandbox-client-key.js';
import type { Clock } from '../store/clock.js';
import { FileDropDeliverer } from './file-drop/file-drop-deliverer.js';
import { FhirDeliverer } from './fhir/fhir-deliverer.js';
import { FhirSigningAlg, PrivateJwk } from './fhir/fhir-target-config.js';
import type { FhirTargetConfigInput } from './fhir/fhir-target-config.js';
import { Hl7Deliverer } from './hl7/hl7-deliverer.js';
import { hl7TargetFromSettings } from './hl7/hl7-target-from-settings.js';
import type { Deliverers } from './router.js';

const FhirKeyFile = z.object({ alg: FhirSigningAlg, privateKey: PrivateJwk });

/** The FHIR connection the settings describe (the sandbox EHR when no base URL is set). */
export async function fhirConfig(settings: Settings, dataDir: string): Promise<FhirTargetConfigInput> {
  // Out of the box (nothing configured) the app writes to the local sandbox EHR, as a first run should.
  if (settings.fhirBaseUrl === null) return sandboxFhirTargetConfig(sandboxClientKeyPath(dataDir));
  if (settings.fhirClientId === null || settings.fhirPrivateKeyFile === null) {
    throw new ScribeError('unavailable', 'The FHIR connection needs a client id and a private key file (settings fhirClientId, fhirPrivateKeyFile).');
  }
  let text: string;
  try {
    text = await readFile(settings.fhirPrivateKeyFile, 'utf8');
  } catch {
    throw new ScribeError('unavailable', 'The FHIR private key file cannot be read.');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const key = FhirKeyFile.safeParse(json);
  if (!key.success) throw new ScribeError('unavailable', 'The FHIR private key file is not a key file this app can use ({ "alg", "privateKey" as a JWK }).');
  return {
    baseUrl: settings.fhirBaseUrl,
    clientId: settings.fhirClientId,
    privateKey: key.data.privateKey,
    signingAlg: key.data.alg,
    ...(settings.fhirTokenUrl ? { tokenUrl: settings.fhirTokenUrl } : {}),
    ...(settings.fhirScope ? { scope: settings.fhirScope } : {}),
  };
}

/**
 * The delivery targets the effective settings describe. A target that cannot be built (a missing
 * key file, say) is left out: its jobs then fail with "not configured", visible in the outbox,
 * while the other targets keep working.
 */
export async function deliverersFromSettings(settings: Settings, deps: { dataDir: string; logger: Logger; clock: Clock }): Promise<Deliverers> {
  const deliverers: { -readonly [K in keyof Deliverers]: Deliverers[K] } = {};
  const wants = (target: 'fhir' | 'hl7v2' | 'file-drop') =>
    settings.ehrRouting === target || (settings.ehrRouting === 'fhir-then-hl7v2' && (target === 'fhir' || target === 'hl7v2'));
  if (wants('fhir')) {
    try {
      deliverers.fhir = new FhirDeliverer({ config: await fhirConfig(settings, deps.dataDir), logger: deps.logger });
    } catch (error) {
      deps.logger.warn('writeback.target_unavailable', { target: 'fhir', code: error instanceof ScribeError ? error.code : 'internal' });
    }
  }
  if (wants('hl7v2')) {
    try {
      deliverers.hl7v2 = new Hl7Deliverer({ config: hl7TargetFromSettings(settings), logger: deps.logger, clock: deps.clock });
    } catch (error) {
      deps.logger.warn('writeback.target_unavailable', { target: 'hl7v2', code: error instanceof ScribeError ? error.code : 'internal' });
    }
  }
  if (wants('file-drop') && settings.fileDropFolder !== null) {
    deliverers['file-drop'] = new FileDropDeliverer({ config: { folder: settings.fileDropFolder }, logger: deps.logger, clock: deps.clock });
  }
  return deliverers;
}
