import assert from 'node:assert/strict';
import { test } from 'vitest';
import { llmConfigFromEnv, llmBaseUrl } from '../../../../main/drafting/llm/llm-config.js';
import { noteOutputJsonSchema } from '../../../../main/drafting/llm/note-output-schema.js';
import { TEMPLATES } from '../../../../main/drafting/templates.js';

test('nothing set: not configured, with the names of what to set', () => {
  const result = llmConfigFromEnv({});
  assert.equal(result.ok, false);
  if (!result.ok)
    for (const name of ['OPENAI_API_KEY', 'SCRIBE_LLM_BASE_URL', 'SCRIBE_LLM_MODEL', 'AZURE_OPENAI_ENDPOINT'])
      assert.match(result.problem, new RegExp(name));
});

test('OpenAI, an OpenAI-compatible server, and Azure OpenAI are read from the environment', () => {
  assert.deepEqual(llmConfigFromEnv({ OPENAI_API_KEY: 'sk-1' }), {
    ok: true,
    config: { kind: 'openai', apiKey: 'sk-1', baseURL: undefined, model: 'gpt-4o', timeoutMs: 60_000, maxRetries: 1 },
  });
  const local = llmConfigFromEnv({
    SCRIBE_LLM_BASE_URL: 'http://127.0.0.1:8000/v1',
    SCRIBE_LLM_MODEL: 'llama',
    SCRIBE_LLM_TIMEOUT_MS: '5000',
    SCRIBE_LLM_MAX_RETRIES: '0',
  });
  assert.ok(local.ok);
  assert.deepEqual(local.config, {
    kind: 'openai',
    apiKey: 'no-key',
    baseURL: 'http://127.0.0.1:8000/v1',
    model: 'llama',
    timeoutMs: 5000,
    maxRetries: 0,
  });
  assert.equal(llmBaseUrl(local.config), 'http://127.0.0.1:8000/v1');
  const azure = llmConfigFromEnv({
    AZURE_OPENAI_ENDPOINT: 'https://clinic.openai.azure.com/',
    AZURE_OPENAI_API_KEY: 'k',
    AZURE_OPENAI_DEPLOYMENT: 'notes',
  });
  assert.ok(azure.ok);
  assert.equal(azure.config.kind, 'azure');
  assert.equal(llmBaseUrl(azure.config), 'https://clinic.openai.azure.com/openai');
});

test('half or wrongly set configuration says exactly what is wrong', () => {
  assert.deepEqual(llmConfigFromEnv({ AZURE_OPENAI_ENDPOINT: 'https://x.example' }), {
    ok: false,
    problem: 'Azure OpenAI is half configured: set AZURE_OPENAI_API_KEY and AZURE_OPENAI_DEPLOYMENT.',
  });
  assert.deepEqual(llmConfigFromEnv({ SCRIBE_LLM_BASE_URL: 'ftp://x' }), {
    ok: false,
    problem: 'SCRIBE_LLM_BASE_URL must be an http(s) URL.',
  });
  const timeout = llmConfigFromEnv({ OPENAI_API_KEY: 'k', SCRIBE_LLM_TIMEOUT_MS: 'soon' });
  assert.deepEqual(timeout, { ok: false, problem: 'SCRIBE_LLM_TIMEOUT_MS must be a whole number of milliseconds.' });
});

test('the structured-output schema is strict-mode shaped: every property required, no extras, template sections only', () => {
  const schema = noteOutputJsonSchema(TEMPLATES['follow-up']) as {
    $schema?: string;
    additionalProperties: boolean;
    required: string[];
    properties: { sections: { items: { properties: { id: { enum: string[] } }; additionalProperties: boolean } } };
  };
  assert.equal(schema.$schema, undefined);
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(schema.required, ['sections', 'codes']);
  assert.equal(schema.properties.sections.items.additionalProperties, false);
  assert.deepEqual(
    schema.properties.sections.items.properties.id.enum,
    TEMPLATES['follow-up'].sections.map((s) => s.id),
  );
});
