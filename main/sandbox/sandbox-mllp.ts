import type { FaultSettings } from './faults.js';
import type { SandboxListener, SandboxListenerFactory } from './sandbox.js';
import { SANDBOX_DEFAULTS } from './sandbox-defaults.js';
import { SANDBOX_MRN_SYSTEM } from './seed.js';
import { SANDBOX_HL7_APPLICATION, athenaMdmCheck, sandboxMdmCheck } from './sandbox-mllp-check.js';
import { sandboxPortInUse } from './sandbox-errors.js';
import type { Hl7TargetConfigInput } from '../writeback/hl7/hl7-config.js';
import type { MllpFaults, MllpListener } from '../writeback/hl7/mllp-listener.js';
import { startMllpListener } from '../writeback/hl7/mllp-listener.js';

/**
 * The HL7 v2 target that reaches a sandbox started with its defaults: what a first run uses. PID-3
 * carries the MRN first, then the sandbox's own patient id (its FHIR logical id) typed PI.
 */
export const SANDBOX_HL7_TARGET = {
  host: SANDBOX_DEFAULTS.host,
  port: SANDBOX_DEFAULTS.mllpPort,
  receivingApplication: SANDBOX_HL7_APPLICATION,
  receivingFacility: 'SANDBOX',
  patientIdAuthority: SANDBOX_MRN_SYSTEM,
  patientIdType: 'PI',
} as const satisfies Hl7TargetConfigInput;

export interface SandboxMllpListener extends SandboxListener {
  readonly mllp: MllpListener;
}

/**
 * The sandbox's HL7 v2 receiver as one of its extra listeners, driven by the sandbox's own fault
 * settings: errors become AE answers, timeouts a silent receiver, drops-after-commit a connection
 * closed after storing, and the request delay a slow ACK. A document for a patient, provider or
 * document type the sandbox does not hold is refused with AR (see sandboxMdmCheck; under the athena
 * profile also a TXA-12 over 30 characters). A busy port is
 * sandbox.port_in_use naming it.
 *   startSandbox({ extraListeners: [sandboxMllpListener({ port: 0 })] })
 */
export function sandboxMllpListener(
  options: { readonly port?: number; readonly onStart?: (listener: MllpListener) => void } = {},
): SandboxListenerFactory {
  return async (context) => {
    const port = options.port ?? SANDBOX_DEFAULTS.mllpPort;
    const mllp = await startMllpListener({
      host: context.host,
      port,
      application: SANDBOX_HL7_APPLICATION,
      faults: () => mllpFaultsFrom(context.faults.settings()),
      roll: (rate) => context.faults.roll(rate),
      logger: context.logger,
      check: context.profile === 'athena' ? athenaMdmCheck : sandboxMdmCheck,
    }).catch((error: unknown) => {
      throw (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? sandboxPortInUse(port, 'MLLP') : error;
    });
    options.onStart?.(mllp);
    const host = mllp.host.includes(':') ? `[${mllp.host}]` : mllp.host;
    const listener: SandboxMllpListener = { name: 'HL7 v2 MLLP', address: `mllp://${host}:${mllp.port}`, close: () => mllp.close(), mllp };
    return listener;
  };
}

export function mllpFaultsFrom(settings: FaultSettings): MllpFaults {
  return {
    applicationError: settings.errorRate,
    noAnswer: settings.timeoutRate,
    noAnswerMs: settings.hangMs,
    dropAfterStore: settings.dropAfterCommitRate,
    slowAckMs: settings.delayMs > 0 ? settings.delayMs : undefined,
  };
}

/** The MLLP listener among a sandbox's listeners, if it runs one. */
export function findMllpListener(listeners: readonly SandboxListener[]): MllpListener | undefined {
  return listeners.find((l): l is SandboxMllpListener => 'mllp' in l)?.mllp;
}
