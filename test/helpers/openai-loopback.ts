import { startScriptedServer } from './scripted-http-server.js';
import type { ScriptedReply, ScriptedServer } from './scripted-http-server.js';

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

export type LoopbackReply = ScriptedReply;
export type Script = (request: RecordedRequest, index: number) => LoopbackReply;
export type OpenAiLoopback = ScriptedServer<RecordedRequest>;

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

export function startOpenAiLoopback(script: Script): Promise<OpenAiLoopback> {
  return startScriptedServer((body, req): RecordedRequest => {
    const rawBody = body.toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody);
    } catch {
      parsed = undefined;
    }
    return { method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawBody, body: parsed };
  }, script);
}
