import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback server speaking the OpenAI audio API the transcription engine uses
 * (multipart POST …/audio/transcriptions, Azure's …/openai/deployments/D/audio/transcriptions),
 * answering from a script and recording every request with its form fields and uploaded file.
 */
export interface UploadedFile {
  readonly filename: string;
  readonly contentType: string;
  readonly data: Buffer;
}

export interface AudioRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  /** Form fields; repeated ones (timestamp_granularities[], include[]) keep every value. */
  readonly fields: Record<string, string[]>;
  readonly file: UploadedFile | undefined;
}

export interface AudioReply {
  readonly status?: number;
  /** An object is sent as JSON; a string as it is. */
  readonly body?: unknown;
  readonly delayMs?: number;
  readonly headers?: Record<string, string>;
}

export type AudioScript = (request: AudioRequest, index: number) => AudioReply;

export interface OpenAiAudioLoopback {
  readonly baseUrl: string;
  readonly origin: string;
  readonly requests: AudioRequest[];
  script: AudioScript;
  close(): Promise<void>;
}

/** Parses multipart/form-data (the SDK's uploads) into fields and the one file. */
export function parseMultipart(body: Buffer, contentType: string): { fields: Record<string, string[]>; file: UploadedFile | undefined } {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const fields: Record<string, string[]> = {};
  let file: UploadedFile | undefined;
  if (!boundary) return { fields, file };
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const part = body.subarray(start + 2, next - 2); // skip CRLF after the delimiter and before the next
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split).toString('utf8');
    const data = part.subarray(split + 4);
    const name = /name="([^"]*)"/.exec(head)?.[1] ?? '';
    const filename = /filename="([^"]*)"/.exec(head)?.[1];
    if (filename !== undefined) file = { filename, contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? '', data: Buffer.from(data) };
    else (fields[name] ??= []).push(data.toString('utf8'));
    at = next;
  }
  return { fields, file };
}

/** A Whisper-style verbose_json reply. */
export function verboseReply(segments: { start: number; end: number; text: string; avg_logprob?: number; no_speech_prob?: number }[]): Record<string, unknown> {
  return {
    task: 'transcribe',
    language: 'english',
    duration: segments.at(-1)?.end ?? 0,
    text: segments.map((s) => s.text).join(''),
    segments: segments.map((s, id) => ({ id, seek: 0, tokens: [], temperature: 0, compression_ratio: 1.2, avg_logprob: -0.2, no_speech_prob: 0.01, ...s })),
  };
}

export async function startOpenAiAudioLoopback(script: AudioScript): Promise<OpenAiAudioLoopback> {
  const requests: AudioRequest[] = [];
  const state = { script };
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { fields, file } = parseMultipart(Buffer.concat(chunks), String(req.headers['content-type'] ?? ''));
      const recorded: AudioRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, fields, file };
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
      } else send();
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
    set script(fn: AudioScript) {
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
