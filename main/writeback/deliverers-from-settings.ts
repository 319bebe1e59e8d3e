import type { Settings } from '../../shared/domain/policy.js';
import { ScribeError } from '../kernel/errors.js';
import type { Logger } from '../log/logger.js';
import type { Clock } from '../store/clock.js';
import { fhirTargetFromSettings } from '../fhir/target-from-settings.js';
import type { DefaultTargets } from './default-targets.js';
import { FileDropDeliverer } from './file-drop/file-drop-deliverer.js';
import { FhirDeliverer } from './fhir/fhir-deliverer.js';
import { Hl7Deliverer } from './hl7/hl7-deliverer.js';
import { hl7TargetFromSettings } from './hl7/hl7-target-from-settings.js';
import type { Deliverers } from './router.js';

/**
 * The delivery targets the effective settings describe. A target that cannot be built (a missing
 * key file, say) is left out: its jobs then fail with "not configured", visible in the outbox,
 * while the other targets keep working.
 */
export async function deliverersFromSettings(
  settings: Settings,
  deps: { defaults: DefaultTargets; logger: Logger; clock: Clock },
): Promise<Deliverers> {
  const deliverers: { -readonly [K in keyof Deliverers]: Deliverers[K] } = {};
  const wants = (target: 'fhir' | 'hl7v2' | 'file-drop') =>
    settings.ehrRouting === target || (settings.ehrRouting === 'fhir-then-hl7v2' && (target === 'fhir' || target === 'hl7v2'));
  if (wants('fhir')) {
    try {
      deliverers.fhir = new FhirDeliverer({ config: await fhirTargetFromSettings(settings, deps.defaults.fhir), logger: deps.logger });
    } catch (error) {
      deps.logger.warn('writeback.target_unavailable', { target: 'fhir', code: error instanceof ScribeError ? error.code : 'internal' });
    }
  }
  if (wants('hl7v2')) {
    try {
      deliverers.hl7v2 = new Hl7Deliverer({
        config: hl7TargetFromSettings(settings, deps.defaults.hl7),
        logger: deps.logger,
        clock: deps.clock,
      });
    } catch (error) {
      deps.logger.warn('writeback.target_unavailable', { target: 'hl7v2', code: error instanceof ScribeError ? error.code : 'internal' });
    }
  }
  if (wants('file-drop') && settings.fileDropFolder !== null) {
    deliverers['file-drop'] = new FileDropDeliverer({
      config: { folder: settings.fileDropFolder },
      logger: deps.logger,
      clock: deps.clock,
    });
  }
  return deliverers;
}
