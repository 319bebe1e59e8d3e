import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { ApiError } from '../../shared/api/errors.js';
import { securityHeaders } from './csp.js';
import type { Logger } from '../log/logger.js';
import type { Actor } from '../kernel/actor.js';
import type { Dispatch } from './dispatch.js';
import type { EventBus } from '../kernel/event-bus.js';

/**
 * The loopback web bridge: the renderer in a plain browser (development, end-to-end tests, machines
 * without the Electron runtime) reaches the same handler table as over IPC. It listens on
 * 127.0.0.1 only, requires a random per-start token on every API request, refuses foreign Host and
 * Origin headers (DNS rebinding, other sites), and is refused in packaged builds.
 */
export interface WebBridgeOptions {
  readonly dispatch: Dispatch;
  readonly events: EventBus;
  /** Who is acting, asked at each call: the signed-in clinician when there is one (main/auth). */
  readonly actor: Actor | (() => Actor);
  /** The built renderer (dist/renderer). */
  readonly staticDir: string;
  readonly port?: number;
  readonly token?: string;
  /** True when running from a packaged (installed) build: the bridge then refuses to start. */
  readonly packaged: boolean;
  readonly logger: Logger;
}

export interface WebBridge {
  readonly origin: string;
  readonly url: string;
  readonly token: string;
  close(): Promise<void>;
}

export class WebBridgeRefusedError extends Error {
  constructor() {
    super('The web bridge is for development and tests; it is disabled in installed builds.');
    this.name = 'WebBridgeRefusedError';
  }
}

const HOST = '127.0.0.1';
/**
 * The largest request the contract allows must fit: a transcript of 10,000,000 characters
 * (shared/domain/transcript.ts), up to 3 bytes each in UTF-8, with room for the JSON around it.
 */
const MAX_BODY_BYTES = 32 * 1024 * 1024;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...securityHeaders(), 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

function refuse(res: ServerResponse, status: number, code: ApiError['code'], message: string): void {
  sendJson(res, status, { ok: false, error: { code, message } });
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWebBridge(options: WebBridgeOptions): Promise<WebBridge> {
  if (options.packaged) throw new WebBridgeRefusedError();
  const token = options.token ?? randomBytes(32).toString('base64url');
  const expected = Buffer.from(`Bearer ${token}`);
  let origin = '';
  const allowedHosts = new Set<string>();
  const allowedOrigins = new Set<string>();

  const hasToken = (req: IncomingMessage) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    const root = normalize(options.staticDir + sep);
    const decoded = decodeURIComponent(pathname);
    let file = normalize(join(root, decoded));
    if (!file.startsWith(root)) return refuse(res, 404, 'not_found', 'Not found.');
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      // Client-side routes fall back to the app; missing assets stay 404.
      if (extname(decoded)) return refuse(res, 404, 'not_found', 'Not found.');
      file = join(root, 'index.html');
    }
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { ...securityHeaders(), 'Content-Type': type, 'Cache-Control': 'no-store' });
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  async function handleCall(channel: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return refuse(res, 405, 'bad_request', 'API calls use POST.');
    const body = await readBody(req);
    if (body === undefined) {
      // The rest of the body is never read: the connection cannot carry another request.
      res.setHeader('Connection', 'close');
      return refuse(res, 413, 'bad_request', 'The request is too large.');
    }
    let request: unknown;
    try {
      request = body.length ? JSON.parse(body) : {};
    } catch {
      return refuse(res, 400, 'bad_request', 'The request body is not valid JSON.');
    }
    sendJson(
      res,
      200,
      await options.dispatch(channel, request, {
        transport: 'web',
        actor: typeof options.actor === 'function' ? options.actor() : options.actor,
      }),
    );
  }

  function handleEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      ...securityHeaders(),
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const unsubscribe = options.events.subscribeAll((event, payload) => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts.has(req.headers.host ?? '')) return refuse(res, 403, 'forbidden', 'Unexpected Host header.');
    if (req.headers.origin !== undefined && !allowedOrigins.has(req.headers.origin))
      return refuse(res, 403, 'forbidden', 'Requests from other origins are refused.');
    const { pathname } = new URL(req.url ?? '/', origin);
    if (!pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'bad_request', 'Method not allowed.');
      return serveStatic(pathname, res);
    }
    if (!hasToken(req)) return refuse(res, 401, 'forbidden', 'A valid access token is required.');
    if (pathname === '/api/events' && req.method === 'GET') return handleEvents(req, res);
    const match = /^\/api\/call\/([a-z]+:[A-Za-z]+)$/.exec(pathname);
    if (!match?.[1]) return refuse(res, 404, 'unknown_channel', 'Unknown API call.');
    return handleCall(match[1], req, res);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      options.logger.error('web_bridge.request_failed');
      if (!res.headersSent) refuse(res, 500, 'internal', 'The request failed.');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${HOST}:${port}`;
  for (const host of [`${HOST}:${port}`, `localhost:${port}`]) {
    allowedHosts.add(host);
    allowedOrigins.add(`http://${host}`);
  }
  options.logger.info('web_bridge.started', { port });

  return {
    origin,
    token,
    url: `${origin}/#token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
