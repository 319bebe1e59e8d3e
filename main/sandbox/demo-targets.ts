import type { DefaultTargets } from '../writeback/default-targets.js';
import { sandboxClientKeyPath, sandboxFhirTargetConfig } from './sandbox-client-key.js';
import { SANDBOX_HL7_TARGET } from './sandbox-mllp.js';
import { SANDBOX_PRACTITIONERS } from './seed.js';

/** The demo EHR (the sandbox on this computer) as the targets of a first run with nothing configured. */
export function demoEhrTargets(dataDir: string): DefaultTargets {
  return {
    fhir: () => sandboxFhirTargetConfig(sandboxClientKeyPath(dataDir)),
    hl7: SANDBOX_HL7_TARGET,
    demoSigner: SANDBOX_PRACTITIONERS[0]?.id,
  };
}
