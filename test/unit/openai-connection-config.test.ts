import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { openAiAsrConfigFromEnv } from '../../main/asr/openai-asr-config.js';
import { llmConfigFromEnv } from '../../main/drafting/llm/llm-config.js';

describe('one OpenAI connection reader for transcription and drafting', () => {
  const azureForDrafting = {
    AZURE_OPENAI_ENDPOINT: 'https://clinic.openai.azure.com',
    AZURE_OPENAI_API_KEY: 'k',
    AZURE_OPENAI_DEPLOYMENT: 'notes',
  };

  test('the shared key and Azure endpoint serve both; each engine keeps its own deployment, timeout and retries', () => {
    const env = {
      ...azureForDrafting,
      AZURE_OPENAI_TRANSCRIPTION_DEPLOYMENT: 'stt',
      SCRIBE_ASR_TIMEOUT_MS: '9000',
      SCRIBE_LLM_MAX_RETRIES: '3',
    };
    const asr = openAiAsrConfigFromEnv(env);
    const llm = llmConfigFromEnv(env);
    assert.ok(asr.ok && asr.config.kind === 'azure' && llm.ok && llm.config.kind === 'azure');
    assert.equal(asr.config.deployment, 'stt');
    assert.equal(llm.config.deployment, 'notes');
    assert.equal(asr.config.apiVersion, '2025-03-01-preview');
    assert.equal(llm.config.apiVersion, '2024-10-21');
    assert.deepEqual([asr.config.timeoutMs, asr.config.maxRetries], [9000, 2]);
    assert.deepEqual([llm.config.timeoutMs, llm.config.maxRetries], [60_000, 3]);
  });

  test('Azure for drafting does not move transcription off a plain OpenAI key', () => {
    const asr = openAiAsrConfigFromEnv({ ...azureForDrafting, OPENAI_API_KEY: 'sk-1' });
    assert.ok(asr.ok && asr.config.kind === 'openai');
    assert.equal(asr.config.apiKey, 'sk-1');
  });

  test('a half-configured Azure deployment names exactly what is missing, for either engine', () => {
    const asr = openAiAsrConfigFromEnv({ AZURE_OPENAI_TRANSCRIPTION_DEPLOYMENT: 'stt', AZURE_OPENAI_ENDPOINT: 'https://x.example' });
    assert.deepEqual(asr, { ok: false, problem: 'Azure OpenAI transcription is half configured: set AZURE_OPENAI_API_KEY.' });
    const llm = llmConfigFromEnv({ AZURE_OPENAI_ENDPOINT: 'https://x.example', AZURE_OPENAI_API_KEY: 'k' });
    assert.deepEqual(llm, { ok: false, problem: 'Azure OpenAI is half configured: set AZURE_OPENAI_DEPLOYMENT.' });
    const badEndpoint = openAiAsrConfigFromEnv({
      AZURE_OPENAI_TRANSCRIPTION_DEPLOYMENT: 'stt',
      AZURE_OPENAI_ENDPOINT: 'clinic.azure',
      AZURE_OPENAI_API_KEY: 'k',
    });
    assert.deepEqual(badEndpoint, { ok: false, problem: 'AZURE_OPENAI_ENDPOINT must be an http(s) URL.' });
  });

  test('blank values count as unset; keys never appear in a problem', () => {
    const result = llmConfigFromEnv({ OPENAI_API_KEY: '  ', SCRIBE_LLM_BASE_URL: '' });
    assert.ok(!result.ok && /No language model is configured/.test(result.problem));
    const bad = openAiAsrConfigFromEnv({ OPENAI_API_KEY: 'sk-secret-value', SCRIBE_ASR_BASE_URL: 'not a url' });
    assert.ok(!bad.ok && !bad.problem.includes('sk-secret-value'));
  });
});
