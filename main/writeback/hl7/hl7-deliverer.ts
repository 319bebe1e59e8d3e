import { ScribeError } from '../../kernel/errors.js';
import type { Logger } from '../../log/logger.js';
import { nullLogger } from '../../log/logger.js';
import type { Clock } from '../../store/clock.js';
import { systemClock } from '../../store/clock.js';
import type { Deliverer, DeliveryJob, DeliveryOutcome } from '../delivery.js';
import { signedTextMismatch } from '../note-integrity.js';
import type { Hl7TargetConfigInput } from './hl7-config.js';
import { Hl7TargetConfig } from './hl7-config.js';
import { buildMdmT02 } from './mdm-t02.js';
import type { MllpSendResult } from './mllp-client.js';
import { MllpClient } from './mllp-client.js';
import { localOffsetMinutes } from './timestamp.js';

export interface Hl7DelivererDeps {
  readonly config: Hl7TargetConfigInput;
  readonly clock?: Clock | undefined;
  readonly logger?: Logger | undefined;
  /** Offset used in HL7 timestamps; the machine's local offset unless the site sets one. */
  readonly offsetMinutes?: ((at: Date) => number) | undefined;
}

/** Writes a signed note as an HL7 v2.5.1 MDM^T02 over MLLP and maps the ACK to an outbox outcome. */
export class Hl7Deliverer implements Deliverer {
  readonly target = 'hl7v2' as const;
  private readonly config: Hl7TargetConfig;
  private readonly client: MllpClient;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly offsetMinutes: (at: Date) => number;

  constructor(deps: Hl7DelivererDeps) {
    this.config = Hl7TargetConfig.parse(deps.config);
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? nullLogger;
    this.offsetMinutes = deps.offsetMinutes ?? localOffsetMinutes;
    this.client = new MllpClient({
      host: this.config.host,
      port: this.config.port,
      tls: this.config.tls,
      connectTimeoutMs: this.config.connectTimeoutMs,
      ackTimeoutMs: this.config.ackTimeoutMs,
      maxAckBytes: this.config.maxAckBytes,
      logger: this.logger,
    });
  }

  async deliver(job: DeliveryJob, signal: AbortSignal): Promise<DeliveryOutcome> {
    const started = performance.now();
    const outcome = await this.attempt(job, signal);
    this.logger.info('hl7.delivery', {
      jobId: job.jobId,
      attempt: job.attempt,
      outcome: outcome.kind,
      code: outcome.kind === 'delivered' ? outcome.receipt.target : outcome.code,
      ms: Math.round(performance.now() - started),
    });
    return outcome;
  }

  close(): void {
    this.client.close();
  }

  private async attempt(job: DeliveryJob, signal: AbortSignal): Promise<DeliveryOutcome> {
    const mismatch = signedTextMismatch(job.payload);
    if (mismatch) return mismatch;
    let built;
    try {
      built = buildMdmT02(job, this.config, this.clock.now(), this.offsetMinutes);
    } catch (error) {
      if (error instanceof ScribeError) return { kind: 'failed', code: 'invalid_note', reason: error.message };
      throw error;
    }
    return toOutcome(await this.client.send(built.text, built.controlId, signal), built.controlId);
  }
}

/**
 * Errors (table 0357) in the message itself: sent again unchanged it fails the same way. 100-103
 * segment, field, data type and table value; 200-205 unsupported message, event, processing id,
 * version, unknown or duplicate key. 206 (record locked) and 207 (internal error) may pass later.
 */
const PERMANENT_HL7_ERRORS = new Set(['100', '101', '102', '103', '200', '201', '202', '203', '204', '205']);

/**
 * AA/CA delivered; AE/CE and anything that may have reached the receiver retried with the same
 * MSH-10, except an AE/CE whose ERR names an error in the message itself (then failed, as is
 * AR/CR); nothing sent → unreachable.
 */
export function toOutcome(result: MllpSendResult, controlId: string): DeliveryOutcome {
  if (!result.ok) {
    switch (result.failure) {
      case 'connect_refused':
      case 'connect_timeout':
      case 'host_unreachable':
      case 'tls_error':
        return { kind: 'unreachable', code: result.failure, reason: result.detail };
      case 'connection_lost':
      case 'ack_timeout':
      case 'malformed_ack':
      case 'ack_too_large':
      case 'aborted':
      case 'busy':
        return {
          kind: 'retry',
          code: result.failure,
          reason: `${result.detail} The note will be sent again with the same message id, which the receiver deduplicates.`,
        };
    }
  }
  const { ack } = result;
  const said = ack.text ? `: ${ack.text}` : '.';
  switch (ack.code) {
    case 'AA':
    case 'CA':
      return {
        kind: 'delivered',
        receipt: { target: 'hl7v2', ackCode: ack.code, messageControlId: controlId, ackControlId: ack.ackControlId || undefined },
      };
    case 'AE':
    case 'CE':
      if (ack.errorCodes.some((code) => PERMANENT_HL7_ERRORS.has(code))) {
        return {
          kind: 'failed',
          code: `hl7_${ack.code.toLowerCase()}`,
          reason: `The HL7 receiver refused the note (${ack.code})${said}`,
        };
      }
      return { kind: 'retry', code: `hl7_${ack.code.toLowerCase()}`, reason: `The HL7 receiver reported an error (${ack.code})${said}` };
    case 'AR':
    case 'CR':
      return { kind: 'failed', code: `hl7_${ack.code.toLowerCase()}`, reason: `The HL7 receiver rejected the note (${ack.code})${said}` };
  }
}
