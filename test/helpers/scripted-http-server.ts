import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP server that records every request (parsed by the caller's `parse`) and answers
 * from a script the test can swap: the one engine behind the OpenAI chat and audio stand-ins.
 */
export interface ScriptedReply {
  readonly status?: number;
  /** An object is sent as JSON; a string as it is. */
  readonly body?: unknown;
  readonly delayMs?: number;
  readonly headers?: Record<string, string>;
}

export interface ScriptedServer<R> {
  readonly baseUrl: string;
  readonly origin: string;
  readonly requests: R[];
  script: (request: R, index: number) => ScriptedReply;
  close(): Promise<void>;
}

export async function startScriptedServer<R>(
  parse: (body: Buffer, req: IncomingMessage) => R,
  script: (request: R, index: number) => ScriptedReply,
): Promise<ScriptedServer<R>> {
  const requests: R[] = [];
  const state = { script };
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = parse(Buffer.concat(chunks), req);
      requests.push(recorded);
      const reply = state.script(recorded, requests.length - 1);
      const send = () => {
        if (res.destroyed) return;
        const payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
        res.end(payload);
      };
      if (!reply.delayMs) return send();
      const timer = setTimeout(() => {
        timers.delete(timer);
        send();
      }, reply.delayMs);
      timers.add(timer);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    baseUrl: `${origin}/v1`,
    requests,
    get script() {
      return state.script;
    },
    set script(fn) {
      state.script = fn;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
