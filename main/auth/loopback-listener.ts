import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserPage } from './browser-pages.js';
import { notFoundPage, PAGE_HEADERS, problemPage } from './browser-pages.js';

/**
 * The loopback listener of RFC 8252 §7.3: on 127.0.0.1 only (never on a network interface), where
 * the system browser delivers the authorization response, or where an EHR launches the app. It
 * answers GET only, and only when the Host header names this listener, so a web page that
 * rebinds its DNS name to 127.0.0.1 cannot drive it.
 */
export type ListenerAnswer = BrowserPage | { readonly redirect: string };

export type ListenerRoute = (query: URLSearchParams) => Promise<ListenerAnswer>;

export interface LoopbackListener {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface LoopbackListenerOptions {
  /** 0: a free port chosen by the system (a redirect URI per sign-in); otherwise the registered launch port. */
  readonly port: number;
  readonly routes: Readonly<Record<string, ListenerRoute>>;
}

const HOST = '127.0.0.1';

function send(res: ServerResponse, answer: ListenerAnswer): void {
  if ('redirect' in answer) {
    res.writeHead(302, { location: answer.redirect, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    res.end();
    return;
  }
  res.writeHead(answer.status, { ...PAGE_HEADERS, 'content-length': Buffer.byteLength(answer.html) });
  res.end(answer.html);
}

export async function startLoopbackListener(options: LoopbackListenerOptions): Promise<LoopbackListener> {
  let origin = '';
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const host = req.headers.host ?? '';
    if (host !== new URL(origin).host && host !== `localhost:${new URL(origin).port}`)
      return send(res, problemPage(400, 'This address belongs to Ambient Scribe on this computer.'));
    if (req.method !== 'GET') return send(res, problemPage(405, 'Ambient Scribe only answers the browser here.'));
    const url = new URL(req.url ?? '/', origin);
    const route = Object.hasOwn(options.routes, url.pathname) ? options.routes[url.pathname] : undefined;
    send(res, route ? await route(url.searchParams) : notFoundPage());
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, problemPage(500, 'Something went wrong inside Ambient Scribe.'));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 1_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${HOST}:${port}`;
  return {
    origin,
    port,
    // Graceful: the page being sent (the end of a sign-in) still reaches the browser; stragglers are cut after a second.
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), 1_000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
