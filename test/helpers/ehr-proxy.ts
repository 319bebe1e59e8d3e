import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback proxy in front of a FHIR server that behaves like a stricter, less helpful EHR: it can
 * offer no transactions and no conditional create, ignore search parameters it does not list (and
 * If-None-Exist), and commit a create but drop the answer. What the proxy is asked to do is the
 * CapabilityStatement it shows, so a client reading it is told the truth.
 */
export interface EhrProxyOptions {
  /** The server's FHIR base, e.g. http://127.0.0.1:PORT/fhir. */
  readonly upstream: string;
  /** Search parameters the proxy drops before forwarding (the server "ignores" them) and leaves out of its CapabilityStatement. */
  readonly ignoredSearchParams?: readonly string[];
}

export interface EhrProxy {
  readonly baseUrl: string;
  /** Creates (POST) of these types are committed upstream and then answered by a dropped connection, this many times. */
  dropAfterCommit(resourceType: string, times: number): void;
  readonly creates: string[];
  close(): Promise<void>;
}

const collect = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

export async function startEhrProxy(options: EhrProxyOptions): Promise<EhrProxy> {
  const upstream = new URL(options.upstream.replace(/\/+$/, ''));
  const ignored = new Set(options.ignoredSearchParams ?? []);
  const drops = new Map<string, number>();
  const creates: string[] = [];

  const forward = (req: IncomingMessage, path: string, body: Buffer, headers: Record<string, string | string[] | undefined>) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      const out = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path, headers: { ...headers, host: upstream.host } },
        (res) => {
          collect(res).then((data) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: data }), reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const prefix = upstream.pathname;
    const rest = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
    for (const name of ignored) url.searchParams.delete(name);
    const headers = { ...req.headers };
    delete headers['if-none-exist'];
    const body = await collect(req);
    const upstreamPath = `${prefix}${rest}${url.search}`;
    const answer = await forward(req, upstreamPath, body, headers);
    const type = /^\/([A-Z][A-Za-z]+)$/.exec(rest)?.[1];
    if (req.method === 'POST' && type) {
      creates.push(type);
      const left = drops.get(type) ?? 0;
      if (left > 0 && answer.status < 300) {
        drops.set(type, left - 1);
        req.socket.destroy();
        return;
      }
    }
    let payload = answer.body;
    if (req.method === 'GET' && rest === '/metadata' && answer.status === 200) {
      const cs = JSON.parse(answer.body.toString('utf8')) as {
        rest?: { interaction?: { code: string }[]; resource?: { conditionalCreate?: boolean; searchParam?: { name: string }[] }[] }[];
      };
      for (const server of cs.rest ?? []) {
        server.interaction = (server.interaction ?? []).filter((i) => i.code !== 'transaction' && i.code !== 'batch');
        for (const resource of server.resource ?? []) {
          resource.conditionalCreate = false;
          resource.searchParam = (resource.searchParam ?? []).filter((p) => !ignored.has(p.name));
        }
      }
      payload = Buffer.from(JSON.stringify(cs), 'utf8');
    }
    const kept = Object.fromEntries(
      Object.entries(answer.headers).filter(([name]) => name !== 'content-length' && name !== 'transfer-encoding'),
    );
    res.writeHead(answer.status, { ...kept, 'content-length': payload.length });
    res.end(payload);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${upstream.pathname}`,
    dropAfterCommit: (resourceType, times) => void drops.set(resourceType, times),
    creates,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
