import { startScriptedServer } from './scripted-http-server.js';
import type { ScriptedReply, ScriptedServer } from './scripted-http-server.js';

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

export type AudioReply = ScriptedReply;
export type AudioScript = (request: AudioRequest, index: number) => AudioReply;
export type OpenAiAudioLoopback = ScriptedServer<AudioRequest>;

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
    if (filename !== undefined)
      file = { filename, contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? '', data: Buffer.from(data) };
    else (fields[name] ??= []).push(data.toString('utf8'));
    at = next;
  }
  return { fields, file };
}

/** A Whisper-style verbose_json reply. */
export function verboseReply(
  segments: { start: number; end: number; text: string; avg_logprob?: number; no_speech_prob?: number }[],
): Record<string, unknown> {
  return {
    task: 'transcribe',
    language: 'english',
    duration: segments.at(-1)?.end ?? 0,
    text: segments.map((s) => s.text).join(''),
    segments: segments.map((s, id) => ({
      id,
      seek: 0,
      tokens: [],
      temperature: 0,
      compression_ratio: 1.2,
      avg_logprob: -0.2,
      no_speech_prob: 0.01,
      ...s,
    })),
  };
}

export function startOpenAiAudioLoopback(script: AudioScript): Promise<OpenAiAudioLoopback> {
  return startScriptedServer((body, req): AudioRequest => {
    const { fields, file } = parseMultipart(body, String(req.headers['content-type'] ?? ''));
    return { method: req.method ?? '', url: req.url ?? '', headers: req.headers, fields, file };
  }, script);
}
