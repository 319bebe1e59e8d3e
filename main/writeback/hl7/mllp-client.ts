import { isIP, connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { Logger } from '../../log/logger.js';
import { nullLogger } from '../../log/logger.js';
import type { ParsedAck } from './ack.js';
import { parseAck } from './ack.js';
import type { MllpTlsConfig } from './hl7-config.js';
import { MllpDecoder, encodeMllpFrame } from './mllp-frame.js';

export interface MllpClientOptions {
  readonly host: string;
  readonly port: number;
  readonly tls?: MllpTlsConfig | undefined;
  readonly connectTimeoutMs: number;
  readonly ackTimeoutMs: number;
  readonly maxAckBytes: number;
  /** A connection with nothing in flight for this long is closed (receivers drop idle ones anyway). */
  readonly idleTimeoutMs?: number | undefined;
  readonly logger?: Logger | undefined;
}

/**
 * connect_*, host_unreachable, tls_error: nothing was sent. connection_lost, ack_timeout,
 * malformed_ack, ack_too_large, aborted: the message may or may not have been stored, so the same
 * message (same MSH-10) must be sent again. busy: this client already has that MSH-10 in flight.
 */
export type MllpFailure =
  | 'connect_refused'
  | 'connect_timeout'
  | 'host_unreachable'
  | 'tls_error'
  | 'connection_lost'
  | 'ack_timeout'
  | 'malformed_ack'
  | 'ack_too_large'
  | 'aborted'
  | 'busy';

/** `detail` is safe to log and show: it names our configuration at most, never message content. */
export type MllpSendResult =
  { readonly ok: true; readonly ack: ParsedAck } | { readonly ok: false; readonly failure: MllpFailure; readonly detail: string };

type Failed = Extract<MllpSendResult, { ok: false }>;

/**
 * Sends HL7 messages over one MLLP connection (opened on first use, reopened after any failure)
 * and pairs each ACK with its message by MSA-2 = MSH-10, never by arrival order: a late ACK for a
 * message that already timed out must not be taken as the answer to the next one.
 */
export class MllpClient {
  private readonly options: MllpClientOptions;
  private readonly logger: Logger;
  private connection: MllpConnection | undefined;
  private connecting: Promise<MllpConnection | Failed> | undefined;

  constructor(options: MllpClientOptions) {
    this.options = options;
    this.logger = options.logger ?? nullLogger;
  }

  private get where(): string {
    return `${this.options.host}:${this.options.port}`;
  }

  async send(message: string, controlId: string, signal?: AbortSignal): Promise<MllpSendResult> {
    const frame = encodeMllpFrame(message);
    // A reused connection may have been closed by the receiver while idle; one fresh try is safe
    // because the resend carries the same MSH-10.
    for (let attempt = 0; ; attempt += 1) {
      if (signal?.aborted) return { ok: false, failure: 'aborted', detail: 'The send was cancelled.' };
      const reused = this.connection !== undefined && !this.connection.closed;
      const conn = await this.connect();
      if (!(conn instanceof MllpConnection)) return conn;
      if (conn.has(controlId)) return { ok: false, failure: 'busy', detail: 'This message is already being sent on this connection.' };
      const result = await conn.request(controlId, frame, this.options.ackTimeoutMs, signal);
      if (!result.ok && result.failure === 'connection_lost' && reused && attempt === 0) {
        this.logger.info('hl7.mllp_reconnect', { reason: 'stale_connection' });
        continue;
      }
      return result;
    }
  }

  /** Opens a connection (TLS handshake included) and closes it again, sending nothing: for "test connection". */
  async probe(): Promise<{ readonly ok: true } | Failed> {
    const conn = await this.connect();
    if (!(conn instanceof MllpConnection)) return conn;
    this.close();
    return { ok: true };
  }

  /** Closes the connection; anything in flight ends as connection_lost. */
  close(): void {
    this.connection?.shutdown('connection_lost', 'The HL7 client was closed.');
    this.connection = undefined;
  }

  private connect(): Promise<MllpConnection | Failed> {
    if (this.connection && !this.connection.closed) return Promise.resolve(this.connection);
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private open(): Promise<MllpConnection | Failed> {
    const { host, port, tls, connectTimeoutMs } = this.options;
    return new Promise((resolve) => {
      const socket: Socket = tls
        ? tlsConnect({
            host,
            port,
            ca: tls.ca,
            cert: tls.cert,
            key: tls.key,
            // SNI must be a DNS name; an IP address is checked against the certificate's IP SANs instead.
            servername: tls.servername ?? (isIP(host) ? undefined : host),
            minVersion: 'TLSv1.2',
          })
        : netConnect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        resolve({
          ok: false,
          failure: 'connect_timeout',
          detail: `No connection to the HL7 receiver at ${this.where} within ${connectTimeoutMs} ms.`,
        });
      }, connectTimeoutMs);
      const onError = (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        socket.destroy();
        resolve(classifyConnectError(error, this.where));
      };
      socket.once('error', onError);
      socket.once(tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.removeListener('error', onError);
        socket.setNoDelay(true);
        socket.setKeepAlive(true, 30_000);
        const conn = new MllpConnection(socket, this.options, this.logger);
        this.connection = conn;
        resolve(conn);
      });
    });
  }
}

class MllpConnection {
  closed = false;
  private readonly pending = new Map<string, (result: MllpSendResult) => void>();
  private readonly decoder: MllpDecoder;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly options: MllpClientOptions,
    private readonly logger: Logger,
  ) {
    this.decoder = new MllpDecoder({ maxFrameBytes: options.maxAckBytes });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.shutdown('connection_lost', 'The connection to the HL7 receiver failed before it acknowledged.'));
    socket.on('close', () => this.shutdown('connection_lost', 'The HL7 receiver closed the connection before it acknowledged.'));
    this.armIdle();
  }

  has(controlId: string): boolean {
    return this.pending.has(controlId);
  }

  request(controlId: string, frame: Buffer, timeoutMs: number, signal: AbortSignal | undefined): Promise<MllpSendResult> {
    if (this.closed)
      return Promise.resolve({ ok: false, failure: 'connection_lost', detail: 'The connection to the HL7 receiver was closed.' });
    clearTimeout(this.idleTimer);
    this.socket.ref();
    return new Promise((resolve) => {
      const finish = (result: MllpSendResult) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.pending.delete(controlId);
        this.armIdle();
        resolve(result);
      };
      const onAbort = () => {
        finish({ ok: false, failure: 'aborted', detail: 'The send was cancelled before the HL7 receiver acknowledged.' });
        this.shutdown('connection_lost', 'The connection was closed after a cancelled send.');
      };
      // The stream's state is unknown after a missed ACK, so the connection is not reused.
      const timer = setTimeout(() => {
        finish({ ok: false, failure: 'ack_timeout', detail: `The HL7 receiver did not acknowledge within ${timeoutMs} ms.` });
        this.shutdown('connection_lost', 'The connection was closed after another message timed out.');
      }, timeoutMs);
      this.pending.set(controlId, finish);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.socket.write(frame);
    });
  }

  shutdown(failure: MllpFailure, detail: string): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.idleTimer);
    for (const finish of [...this.pending.values()]) finish({ ok: false, failure, detail });
    clearTimeout(this.idleTimer);
    this.socket.destroy();
  }

  /** An idle connection neither keeps the process alive (a CLI run can exit) nor stays open for long. */
  private armIdle(): void {
    if (this.closed || this.pending.size > 0) return;
    this.socket.unref();
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.shutdown('connection_lost', 'Idle connection closed.'), this.options.idleTimeoutMs ?? 30_000);
    this.idleTimer.unref();
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch {
      this.shutdown('ack_too_large', `The HL7 receiver sent an acknowledgment larger than ${this.options.maxAckBytes} bytes.`);
      return;
    }
    for (const frame of frames) {
      const parsed = parseAck(frame.toString('utf8'));
      if (!parsed.ok) {
        // An unreadable frame cannot be paired with a message, and the stream can no longer be
        // trusted: everything in flight on it is resent on a new connection.
        this.logger.warn('hl7.malformed_ack', { problem: parsed.problem, bytes: frame.length });
        this.shutdown('malformed_ack', `The HL7 receiver sent an acknowledgment that could not be read (${parsed.problem}).`);
        return;
      }
      const finish = this.pending.get(parsed.ack.acknowledgedControlId);
      if (finish) finish({ ok: true, ack: parsed.ack });
      else this.logger.warn('hl7.ack_unmatched', { ackCode: parsed.ack.code });
    }
  }
}

function classifyConnectError(error: NodeJS.ErrnoException, where: string): Failed {
  const code = error.code ?? '';
  if (code === 'ECONNREFUSED')
    return { ok: false, failure: 'connect_refused', detail: `The HL7 receiver at ${where} refused the connection.` };
  if (
    /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|HOSTNAME_MISMATCH)/.test(code) ||
    /certificate|ssl|tls/i.test(error.message)
  ) {
    return {
      ok: false,
      failure: 'tls_error',
      detail: `The TLS handshake with the HL7 receiver at ${where} failed (${code || 'TLS error'}).`,
    };
  }
  return {
    ok: false,
    failure: 'host_unreachable',
    detail: `The HL7 receiver at ${where} could not be reached (${code || 'network error'}).`,
  };
}
