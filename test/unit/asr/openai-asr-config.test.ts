import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { answersWithSegments, asrBaseUrl, asrModelName, openAiAsrConfigFromEnv } from '../../../main/asr/openai-asr-config.js';
import { transcriptionOptionsFromEnv } from '../../../main/asr/transcription-env.js';

describe('OpenAI transcription configuration from the environment', () => {
  test('OpenAI: key, default model gpt-4o-transcribe, 25 MB uploads', () => {
    const result = openAiAsrConfigFromEnv({ OPENAI_API_KEY: 'sk-1' });
    assert.ok(result.ok);
    assert.equal(result.config.kind, 'openai');
    assert.equal(result.config.model, 'gpt-4o-transcribe');
    assert.equal(result.config.maxUploadBytes, 25 * 1024 * 1024);
    assert.equal(asrBaseUrl(result.config), 'https://api.openai.com/v1');
    assert.equal(answersWithSegments(result.config.model), false);
    assert.equal(answersWithSegments('whisper-1'), true);
  });

  test('an OpenAI-compatible server needs no key', () => {
    const result = openAiAsrConfigFromEnv({ SCRIBE_ASR_BASE_URL: 'http://127.0.0.1:8000/v1', SCRIBE_ASR_MODEL: 'whisper-1' });
    assert.ok(result.ok && result.config.kind === 'openai');
    assert.equal(result.config.apiKey, 'no-key');
    assert.equal(asrModelName(result.config), 'whisper-1');
  });

  test('Azure OpenAI: a transcription deployment of its own', () => {
    const result = openAiAsrConfigFromEnv({
      AZURE_OPENAI_ENDPOINT: 'https://clinic.openai.azure.com',
      AZURE_OPENAI_API_KEY: 'k',
      AZURE_OPENAI_TRANSCRIPTION_DEPLOYMENT: 'stt',
    });
    assert.ok(result.ok && result.config.kind === 'azure');
    assert.equal(asrBaseUrl(result.config), 'https://clinic.openai.azure.com/openai');
    assert.equal(asrModelName(result.config), 'azure:stt');
    const half = openAiAsrConfigFromEnv({ AZURE_OPENAI_TRANSCRIPTION_DEPLOYMENT: 'stt' });
    assert.ok(!half.ok && /half configured/.test(half.problem));
  });

  test('bad values are named; nothing configured says what to set', () => {
    for (const [env, pattern] of [
      [{ OPENAI_API_KEY: 'k', SCRIBE_ASR_TIMEOUT_MS: 'soon' }, /SCRIBE_ASR_TIMEOUT_MS/],
      [{ OPENAI_API_KEY: 'k', SCRIBE_ASR_MAX_RETRIES: '9' }, /SCRIBE_ASR_MAX_RETRIES/],
      [{ OPENAI_API_KEY: 'k', SCRIBE_ASR_MAX_UPLOAD_BYTES: '999999999' }, /SCRIBE_ASR_MAX_UPLOAD_BYTES/],
      [{ SCRIBE_ASR_BASE_URL: 'ftp://x' }, /SCRIBE_ASR_BASE_URL/],
      [{}, /OPENAI_API_KEY.*SCRIBE_ASR_BASE_URL.*AZURE_OPENAI_TRANSCRIPTION_DEPLOYMENT/],
    ] as const) {
      const result = openAiAsrConfigFromEnv(env);
      assert.ok(!result.ok && pattern.test(result.problem), JSON.stringify(env));
    }
  });

  test('headless options: models folder, engine and live transcription', () => {
    const options = transcriptionOptionsFromEnv({ SCRIBE_MODELS_DIR: '/m', SCRIBE_ASR_ENGINE: 'openai', SCRIBE_LIVE_TRANSCRIPTION: '0' });
    assert.equal(options.modelsDir, '/m');
    assert.equal(options.defaultEngine, 'openai');
    assert.equal(options.live, false);
    assert.equal(transcriptionOptionsFromEnv({ SCRIBE_MODELS_DIR: '/m' }, '/flag').modelsDir, '/flag');
    assert.equal(transcriptionOptionsFromEnv({}).live, true);
    assert.throws(() => transcriptionOptionsFromEnv({ SCRIBE_ASR_ENGINE: 'cloud' }), { reason: 'asr.env_engine_unknown' });
  });
});
