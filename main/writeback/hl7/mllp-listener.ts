import { randomBytes } from 'node:crypto';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Hl7Message } from '@medplum/core';
import type { Logger } from '../../log/logger.js';
import { nullLogger } from '../../log/logger.js';
import type { Clock } from '../../store/clock.js';
import { systemClock } from '../../store/clock.js';
import type { AckCode, AckError } from './ack.js';
import { buildAck } from './ack.js';
import { hl7Sub, hl7Value, parseHl7 } from './hl7-read.js';
import type { MdmDocument } from './mdm-t02-read.js';
import { readMdmT02 } from './mdm-t02-read.js';
import { MllpDecoder, encodeMllpFrame } from './mllp-frame.js';
import { mllpListenerNotLoopback } from './hl7-errors.js';

/**
 * Fault injection, each a probability per message from 0 (never, the default) to 1 (always),
 * checked in this order: dropBeforeStore, noAnswer, applicationError, reject; then the message is
 * stored; then dropAfterStore, malformedAck, and a slow ACK.
 */
export interface MllpFaults {
  /** Close the connection without storing or answering. */
  readonly dropBeforeStore?: number | undefined;
  /** Store nothing and stay silent for `noAnswerMs` (default 120 s), then close: a hung receiver. */
  readonly noAnswer?: number | undefined;
  readonly noAnswerMs?: number | undefined;
  /** Answer AE (application error): nothing stored, the sender should retry. */
  readonly applicationError?: number | undefined;
  /** Answer AR (application reject) with a reason: nothing stored, the sender should give up. */
  readonly reject?: number | undefined;
  /** Store, then close the connection without an ACK: the sender cannot know it arrived. */
  readonly dropAfterStore?: number | undefined;
  /** Store, then answer with a frame that is not a readable ACK. */
  readonly malformedAck?: number | undefined;
  /** Store, then wait this long before the ACK. */
  readonly slowAckMs?: number | undefined;
  /** Share of ACKs that are slow when slowAckMs is set (default 1). */
  readonly slowAckRate?: number | undefined;
}

export interface MllpListenerOptions {
  /** Loopback only: what the sandbox stores is patient data, even when synthetic. */
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Fixed faults, or a function read per message (the sandbox's live fault settings). */
  readonly faults?: MllpFaults | (() => MllpFaults) | undefined;
  readonly tls?:
    | { readonly key: string; readonly cert: string; readonly ca?: string | undefined; readonly requestCert?: boolean | undefined }
    | undefined;
  readonly application?: string | undefined;
  readonly facility?: string | undefined;
  readonly maxFrameBytes?: number | undefined;
  readonly random?: (() => number) | undefined;
  /** Decides a fault of probability `rate` (the sandbox's shared fault switchboard); overrides `random`. */
  readonly roll?: ((rate: number) => boolean) | undefined;
  readonly clock?: Clock | undefined;
  readonly logger?: Logger | undefined;
  /**
   * What the receiving EHR knows: an error refuses a well-formed document with AR (unknown patient,
   * provider or document type), as an interface engine does before filing it. Default: all accepted.
   */
  readonly check?: ((document: MdmDocument) => AckError | undefined) | undefined;
}

export interface ReceivedMessage {
  readonly controlId: string;
  readonly receivedAt: string;
  /** The message as it arrived (segments CR-separated). */
  readonly raw: string;
  readonly document: MdmDocument;
}

export interface MllpListenerStats {
  readonly frames: number;
  readonly stored: number;
  readonly duplicates: number;
  readonly acks: Readonly<Record<AckCode, number>>;
  readonly droppedBeforeStore: number;
  readonly droppedAfterStore: number;
  readonly malformedAcks: number;
}

export interface MllpListener {
  readonly host: string;
  readonly port: number;
  /** Documents stored, in arrival order, each once however often it was sent. */
  received(): readonly ReceivedMessage[];
  setFaults(faults: MllpFaults | (() => MllpFaults)): void;
  stats(): MllpListenerStats;
  close(): Promise<void>;
}

/**
 * The sandbox EHR's HL7 v2 receiver: accepts MDM^T02 over MLLP (optionally TLS), stores each
 * document once per sending application and MSH-10 (a resend gets the same AA and stores nothing),
 * and answers original-mode ACKs with MSA-2 = MSH-10.
 */
export async function startMllpListener(options: MllpListenerOptions): Promise<MllpListener> {
  if (!isLoopback(options.host)) throw mllpListenerNotLoopback();
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? nullLogger;
  const random = options.random ?? Math.random;
  const application = options.application ?? 'SANDBOX_EHR';
  const facility = options.facility ?? 'SANDBOX';
  const maxFrameBytes = options.maxFrameBytes ?? 16 * 1024 * 1024;
  let faultSource: MllpFaults | (() => MllpFaults) = options.faults ?? {};

  const documents: ReceivedMessage[] = [];
  const seen = new Set<string>();
  const counts = { frames: 0, duplicates: 0, droppedBeforeStore: 0, droppedAfterStore: 0, malformedAcks: 0 };
  const acks: Record<AckCode, number> = { AA: 0, AE: 0, AR: 0, CA: 0, CE: 0, CR: 0 };
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const roll = (p: number | undefined) => (p ?? 0) > 0 && (options.roll ? options.roll(p ?? 0) : random() < (p ?? 0));
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const ack = (socket: Socket, to: Hl7Message | { controlId: string }, code: AckCode, error?: AckError) => {
    if (socket.destroyed) return;
    acks[code] += 1;
    const ackControlId = randomBytes(8).toString('hex').toUpperCase();
    socket.write(encodeMllpFrame(buildAck({ to, code, application, facility, ackControlId, now: clock.now(), error })));
  };

  /** One message: faults, validation, dedup, storage, answer. */
  const handle = async (socket: Socket, raw: string): Promise<void> => {
    counts.frames += 1;
    const faults = typeof faultSource === 'function' ? faultSource() : faultSource;
    let message: Hl7Message;
    try {
      message = parseHl7(raw);
    } catch {
      ack(socket, { controlId: '' }, 'AR', { hl7ErrorCode: '100', text: 'The frame is not an HL7 v2 message.' });
      return;
    }
    if (roll(faults.dropBeforeStore)) {
      counts.droppedBeforeStore += 1;
      socket.destroy();
      return;
    }
    if (roll(faults.noAnswer)) {
      await wait(faults.noAnswerMs ?? 120_000);
      socket.destroy();
      return;
    }
    if (roll(faults.applicationError)) {
      ack(socket, message, 'AE', { hl7ErrorCode: '207', text: 'Sandbox fault injection: temporary application error.' });
      return;
    }
    if (roll(faults.reject)) {
      ack(socket, message, 'AR', { hl7ErrorCode: '207', text: 'Sandbox fault injection: message rejected.' });
      return;
    }
    const read = readMdmT02(message);
    if (!read.ok) {
      ack(socket, message, 'AR', read.problem);
      return;
    }
    const refused = options.check?.(read.document);
    if (refused) {
      ack(socket, message, 'AR', refused);
      return;
    }
    const key = `${hl7Sub(message.header, 3, 1)}\u0000${hl7Value(message.header, 10)}`;
    if (seen.has(key)) {
      counts.duplicates += 1;
    } else {
      seen.add(key);
      documents.push({ controlId: read.document.controlId, receivedAt: clock.now().toISOString(), raw, document: read.document });
    }
    if (roll(faults.dropAfterStore)) {
      counts.droppedAfterStore += 1;
      socket.destroy();
      return;
    }
    if (roll(faults.malformedAck)) {
      counts.malformedAcks += 1;
      if (!socket.destroyed) socket.write(encodeMllpFrame('MSH|^~\\&|SANDBOX\rTHIS IS NOT AN ACK\r'));
      return;
    }
    if (faults.slowAckMs && roll(faults.slowAckRate ?? 1)) await wait(faults.slowAckMs);
    ack(socket, message, 'AA');
  };

  const onConnection = (socket: Socket) => {
    sockets.add(socket);
    const decoder = new MllpDecoder({ maxFrameBytes });
    // Messages on one connection are handled in order, as a real interface engine does.
    let queue = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = decoder.push(chunk);
      } catch {
        logger.warn('sandbox.mllp_frame_too_large', { maxFrameBytes });
        socket.destroy();
        return;
      }
      for (const frame of frames) {
        queue = queue
          .then(() => handle(socket, frame.toString('utf8')))
          .catch(() => {
            socket.destroy();
          });
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  };

  const server: Server = options.tls
    ? createTlsServer(
        {
          key: options.tls.key,
          cert: options.tls.cert,
          ca: options.tls.ca,
          requestCert: options.tls.requestCert ?? false,
          rejectUnauthorized: options.tls.requestCert ?? false,
        },
        onConnection,
      )
    : createNetServer(onConnection);
  server.on('tlsClientError', () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  logger.info('sandbox.mllp_listening', { port: address.port, tls: Boolean(options.tls) });

  return {
    host: address.address,
    port: address.port,
    received: () => [...documents],
    setFaults: (next) => {
      faultSource = next;
    },
    stats: () => ({ ...counts, stored: documents.length, acks: { ...acks } }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
