import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback server speaking the part of the OpenAI HTTP API the drafter uses
 * (POST …/chat/completions), answering from a script and recording every request.
 */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly rawBody: string;
  readonly body: unknown;
}

export interface LoopbackReply {
  readonly status?: number;
  /** An object is sent as JSON; a string as it is. */
  readonly body?: unknown;
  readonly delayMs?: number;
  readonly headers?: Record<string, string>;
}

export type Script = (request: RecordedRequest, index: number) => LoopbackReply;

export interface OpenAiLoopback {
  readonly baseUrl: string;
  readonly origin: string;
  readonly requests: RecordedRequest[];
  script: Script;
  close(): Promise<void>;
}

/** A chat completion whose message content is `content` (a string the model "wrote"). */
export function chatCompletion(content: string, finishReason = 'stop'): Record<string, unknown> {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-test',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: finishReason, logprobs: null }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
}

export async function startOpenAiLoopback(script: Script): Promise<OpenAiLoopback> {
  const requests: RecordedRequest[] = [];
  const state = { script };
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      const recorded: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawBody, body };
      requests.push(recorded);
      const reply = state.script(recorded, requests.length - 1);
      const send = () => {
        if (res.destroyed) return;
        const payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
        res.end(payload);
      };
      if (reply.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send();
        }, reply.delayMs);
        timers.add(timer);
      } else {
        send();
      }
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
    set script(fn: Script) {
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
