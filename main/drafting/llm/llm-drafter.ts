import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { createOpenAiClient } from '../../openai/openai-connection-config.js';
import type { TranscriptSegment } from '../../../shared/domain/transcript.js';
import type { Logger } from '../../log/logger.js';
import type { CodeValidator } from '../../coding/code-validator.js';
import type { DraftedNote, DraftedSections, ProposedCode } from '../drafted-content.js';
import type { NoteTemplate } from '../templates.js';
import type { LlmConfig } from './llm-config.js';
import { modelName } from './llm-config.js';
import { LlmError } from './llm-error.js';
import type { NoteOutput } from './note-output-schema.js';
import { noteOutputJsonSchema, noteOutputSchema } from './note-output-schema.js';
import type { PatientIdentifiers } from './prompt-input.js';
import { createRedactor, transcriptForPrompt } from './prompt-input.js';
import { NOTE_PROMPT_V1 } from './prompts/note-v1.js';

export interface LlmDraftInput {
  readonly segments: readonly TranscriptSegment[];
  readonly template: NoteTemplate;
  /** Removed from the prompt; never sent. */
  readonly identifiers: PatientIdentifiers;
}

export interface LlmDrafter {
  draft(input: LlmDraftInput): Promise<DraftedNote>;
}

export interface LlmDrafterDeps {
  readonly validateCode: CodeValidator;
  readonly logger: Logger;
}

const PROMPT = NOTE_PROMPT_V1;

/** Maps whatever the SDK threw to a typed error with our own wording. */
export function toLlmError(error: unknown): LlmError {
  if (error instanceof LlmError) return error;
  if (error instanceof OpenAI.APIConnectionTimeoutError) return new LlmError('timeout', 'The language model did not answer in time.');
  if (error instanceof OpenAI.APIConnectionError) return new LlmError('unreachable', 'The language model service could not be reached.');
  if (error instanceof OpenAI.APIError) {
    const status: number | undefined = typeof error.status === 'number' ? error.status : undefined;
    if (status === 401 || status === 403)
      return new LlmError(
        'unauthorized',
        `The language model service refused the credentials (HTTP ${status}); check the API key.`,
        status,
      );
    if (status === 429)
      return new LlmError('rate_limited', 'The language model service is rate-limiting requests (HTTP 429); try again shortly.', status);
    if (status !== undefined && status >= 500)
      return new LlmError('server_error', `The language model service failed (HTTP ${status}); try again later.`, status);
    if (status === 404)
      return new LlmError('rejected', 'The language model service does not know the configured model or deployment (HTTP 404).', status);
    return new LlmError('rejected', `The language model service rejected the request (HTTP ${status ?? 'error'}).`, status);
  }
  return new LlmError('unreachable', 'The language model call failed before an answer arrived.');
}

type Attempt = { ok: true; output: NoteOutput } | { ok: false; why: 'json' | 'schema' | 'truncated' | 'empty' };

/**
 * Drafts through the OpenAI chat-completions API with structured outputs. The reply is parsed and
 * checked against the same zod schema the JSON Schema came from; a reply that fails is asked for
 * once more, then reported. Codes go through the code-set validator and only real billable codes
 * come back, with the code set's description.
 */
export function createLlmDrafter(config: LlmConfig, deps: LlmDrafterDeps): LlmDrafter {
  const client = createOpenAiClient(config);
  const model = config.kind === 'azure' ? config.deployment : config.model;

  async function attempt(request: ChatCompletionCreateParamsNonStreaming, schema: ReturnType<typeof noteOutputSchema>): Promise<Attempt> {
    const completion = await client.chat.completions.create(request).catch((error: unknown) => {
      throw toLlmError(error);
    });
    const choice = completion.choices[0];
    if (choice?.message.refusal) throw new LlmError('refused', 'The language model declined to draft this note.');
    if (choice?.finish_reason === 'length') return { ok: false, why: 'truncated' };
    const content = choice?.message.content;
    if (!content) return { ok: false, why: 'empty' };
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch {
      return { ok: false, why: 'json' };
    }
    const parsed = schema.safeParse(json);
    return parsed.success ? { ok: true, output: parsed.data } : { ok: false, why: 'schema' };
  }

  return {
    async draft({ segments, template, identifiers }) {
      const schema = noteOutputSchema(template);
      const redact = createRedactor(identifiers);
      const messages: ChatCompletionCreateParamsNonStreaming['messages'] = [
        { role: 'system', content: PROMPT.system },
        { role: 'user', content: PROMPT.user(template, transcriptForPrompt(segments, redact)) },
      ];
      const request = (extra: boolean): ChatCompletionCreateParamsNonStreaming => ({
        model,
        temperature: 0,
        messages: extra ? [...messages, { role: 'user', content: PROMPT.retry }] : messages,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'clinical_note', strict: true, schema: noteOutputJsonSchema(template) },
        },
      });

      const started = performance.now();
      let result = await attempt(request(false), schema);
      if (!result.ok) {
        deps.logger.warn('drafting.llm_invalid_reply', { model: modelName(config), why: result.why, attempt: 1 });
        result = await attempt(request(true), schema);
      }
      if (!result.ok) {
        deps.logger.warn('drafting.llm_invalid_reply', { model: modelName(config), why: result.why, attempt: 2 });
        throw new LlmError('invalid_response', 'The language model twice returned a reply that is not a valid note; nothing was saved.');
      }
      deps.logger.info('drafting.llm_reply', {
        model: modelName(config),
        promptVersion: PROMPT.version,
        ms: Math.round(performance.now() - started),
      });

      const sections: DraftedSections = {};
      for (const section of result.output.sections) {
        const list = (sections[section.id] ??= []);
        for (const s of section.sentences) list.push({ text: s.text, evidence: s.segmentIds });
      }
      const codes: ProposedCode[] = [];
      let dropped = 0;
      for (const proposed of result.output.codes) {
        const checked = deps.validateCode(proposed.code.trim());
        if (checked.ok) codes.push({ code: checked.code, description: checked.description, evidence: proposed.segmentIds });
        else dropped += 1;
      }
      if (dropped > 0) deps.logger.info('drafting.llm_codes_dropped', { count: dropped });
      return {
        sections,
        codes,
        drafter: { engine: 'llm', model: modelName(config), promptVersion: PROMPT.version },
        droppedCodes: dropped,
      };
    },
  };
}
