import type { ConnectionCheck } from '../../../shared/domain/connection-test.js';
import { ScribeError } from '../../kernel/errors.js';
import type { Logger } from '../../log/logger.js';
import { Hl7TargetConfig } from '../hl7/hl7-config.js';
import type { Hl7IdentitySettings, Hl7ReceiverDefaults } from '../hl7/hl7-target-from-settings.js';
import { hl7TargetFromSettings } from '../hl7/hl7-target-from-settings.js';
import type { MllpFailure } from '../hl7/mllp-client.js';
import { MllpClient } from '../hl7/mllp-client.js';
import { checkResult, seconds, skipped } from './check-result.js';

const TITLE = { config: 'HL7 v2 settings', connect: 'HL7 v2 receiver' } as const;

function hintFor(failure: MllpFailure, o: { sandbox: boolean; where: string; tls: boolean; timeoutMs: number }): string {
  switch (failure) {
    case 'connect_refused':
      return o.sandbox
        ? 'Nothing listens at the sandbox EHR\'s HL7 port: start it with "scribe sandbox", or set the HL7 v2 host of your interface engine.'
        : `Nothing accepts connections at ${o.where}: check the port, and that the interface engine's MLLP listener is running.`;
    case 'connect_timeout':
      return `No answer within ${seconds(o.timeoutMs)}: check the host and port, and that a firewall lets this computer reach ${o.where}.`;
    case 'host_unreachable':
      return 'Check the host name (it must resolve on this network) and that this computer is on the network the interface engine is on (VPN?).';
    case 'tls_error':
      return o.tls
        ? "The receiver's certificate is not trusted by this computer or does not name this host, or the receiver does not speak TLS on this port. Ask IT to install the organisation's root certificate, or check the port."
        : 'The receiver refused the connection during setup: check whether it expects TLS ("Use TLS for HL7 v2").';
    case 'connection_lost':
    case 'ack_timeout':
    case 'malformed_ack':
    case 'ack_too_large':
    case 'aborted':
    case 'busy':
      return 'Check the HL7 v2 host and port and try again.';
  }
}

/** Opens the MLLP connection (and TLS handshake) the HL7 v2 route uses, then closes it: no message is sent. */
export async function checkHl7(
  settings: Hl7IdentitySettings,
  timeoutMs: number,
  logger: Logger,
  whenUnset: Hl7ReceiverDefaults | undefined,
): Promise<ConnectionCheck[]> {
  const started = performance.now();
  let config: Hl7TargetConfig;
  try {
    config = Hl7TargetConfig.parse(hl7TargetFromSettings(settings, whenUnset));
  } catch (error) {
    const message = error instanceof ScribeError ? error.message : 'The HL7 v2 settings cannot be used.';
    return [
      checkResult('hl7v2', 'hl7v2.config', TITLE.config, started, {
        status: 'failed',
        code: 'not_configured',
        message,
        hint: 'Set the receiver\'s identity under "HL7 v2 message identity" in Settings.',
      }),
      ...skipped('hl7v2', [{ step: 'hl7v2.connect', title: TITLE.connect }]),
    ];
  }
  const sandbox = settings.mllpHost === null;
  const tls = config.tls !== undefined;
  const where = `${config.host}:${config.port}`;
  const client = new MllpClient({
    host: config.host,
    port: config.port,
    tls: config.tls,
    connectTimeoutMs: timeoutMs,
    ackTimeoutMs: timeoutMs,
    maxAckBytes: config.maxAckBytes,
    logger,
  });
  const probe = await client.probe();
  client.close();
  const target = sandbox ? `the sandbox EHR's HL7 listener at ${where}` : `the HL7 v2 receiver at ${where}`;
  if (probe.ok) {
    return [
      checkResult('hl7v2', 'hl7v2.connect', TITLE.connect, started, {
        status: 'ok',
        code: 'ok',
        message: `Connected to ${target}${tls ? ' over TLS (certificate accepted)' : ' (without TLS)'}, then closed the connection. No message was sent.`,
        ...(tls || sandbox ? {} : { hint: 'The connection is not encrypted: use TLS unless this network segment is trusted.' }),
      }),
    ];
  }
  return [
    checkResult('hl7v2', 'hl7v2.connect', TITLE.connect, started, {
      status: 'failed',
      code: probe.failure,
      message: probe.detail,
      hint: hintFor(probe.failure, { sandbox, where, tls, timeoutMs }),
    }),
  ];
}
