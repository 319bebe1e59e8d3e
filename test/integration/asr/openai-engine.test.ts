import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { AsrError } from '../../../main/asr/asr-error.js';
import { createEngineFactory } from '../../../main/asr/engine-factory.js';
import type { OpenAiAsrConfig } from '../../../main/asr/openai-asr-config.js';
import { openAiAsrConfigFromEnv } from '../../../main/asr/openai-asr-config.js';
import { createOpenAiEngine } from '../../../main/asr/openai-engine.js';
import { createPolicyGate } from '../../../main/policy/policy-gate.js';
import { settingDefaults } from '../../../shared/domain/policy.js';
import type { Settings } from '../../../shared/domain/policy.js';
import { memoryLogger } from '../../helpers/capture-harness.js';
import type { OpenAiAudioLoopback } from '../../helpers/openai-audio-loopback.js';
import { startOpenAiAudioLoopback, verboseReply } from '../../helpers/openai-audio-loopback.js';
import { ScribeError } from '../../../main/kernel/errors.js';

/** A speech-like test signal: a 220 Hz tone whose loudness rises and falls four times a second. */
function speechLike(seconds: number): Int16Array {
  return Int16Array.from({ length: Math.round(seconds * 16_000) }, (_, i) =>
    Math.round(8000 * Math.sin((2 * Math.PI * 220 * i) / 16_000) * (0.55 + 0.45 * Math.sin((2 * Math.PI * 4 * i) / 16_000))),
  );
}

const allowAll = () => undefined;

describe('OpenAI transcription engine against a loopback OpenAI audio API', () => {
  let server: OpenAiAudioLoopback;
  const logger = memoryLogger();
  const config = (over: Partial<Extract<OpenAiAsrConfig, { kind: 'openai' }>> = {}): OpenAiAsrConfig => ({
    kind: 'openai',
    apiKey: 'sk-test-key',
    baseURL: server.baseUrl,
    model: 'whisper-1',
    timeoutMs: 5_000,
    maxRetries: 0,
    maxUploadBytes: 25 * 1024 * 1024,
    ...over,
  });

  beforeAll(async () => {
    server = await startOpenAiAudioLoopback(() => ({ body: verboseReply([]) }));
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  test('whisper-1: one multipart upload per speech segment, verbose_json segments placed in the visit', async () => {
    server.script = () => ({
      body: verboseReply([
        { start: 0, end: 1.5, text: ' How long has the cough been going on?', avg_logprob: -0.1, no_speech_prob: 0.02 },
        { start: 1.8, end: 2.9, text: ' About a week.', avg_logprob: -0.3, no_speech_prob: 0.01 },
      ]),
    });
    const engine = createOpenAiEngine(config(), { logger, assertAllowed: allowAll });
    const out = await engine.transcribe([{ id: 'a4', startMs: 12_000, pcm: speechLike(3) }], { prompt: 'Medications: metformin.' });
    assert.equal(server.requests.length, 1);
    const request = server.requests[0]!;
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/v1/audio/transcriptions');
    assert.equal(request.headers['authorization'], 'Bearer sk-test-key');
    assert.deepEqual(request.fields['model'], ['whisper-1']);
    assert.deepEqual(request.fields['response_format'], ['verbose_json']);
    assert.deepEqual(request.fields['timestamp_granularities[]'], ['segment']);
    assert.deepEqual(request.fields['prompt'], ['Medications: metformin.']);
    assert.deepEqual(request.fields['language'], ['en']);
    // The upload is a 16 kHz mono 16-bit WAV holding exactly the segment's samples.
    const wav = request.file!.data;
    assert.equal(request.file!.filename, 'a4.wav');
    assert.equal(wav.toString('latin1', 0, 4), 'RIFF');
    assert.equal(wav.readUInt32LE(24), 16_000);
    assert.equal(wav.readUInt32LE(40), 3 * 16_000 * 2);
    assert.deepEqual(
      out.map((s) => [s.inputId, s.startMs, s.endMs, s.text]),
      [
        ['a4', 12_000, 13_500, 'How long has the cough been going on?'],
        ['a4', 13_800, 14_900, 'About a week.'],
      ],
    );
    assert.equal(out[0]!.noSpeechProb, 0.02);
    assert.ok(Math.abs(out[0]!.confidence! - Math.exp(-0.1)) < 1e-9);
  });

  test('gpt-4o-transcribe: json with token log-probabilities; the text spans the segment', async () => {
    server.script = () => ({
      body: {
        text: 'My knee hurts when I climb stairs.',
        logprobs: [
          { token: 'My', logprob: -0.05, bytes: [] },
          { token: ' knee', logprob: -0.15, bytes: [] },
        ],
      },
    });
    const engine = createOpenAiEngine(config({ model: 'gpt-4o-transcribe' }), { logger, assertAllowed: allowAll });
    const out = await engine.transcribe([{ id: 'a0', startMs: 500, pcm: speechLike(2) }]);
    const fields = server.requests[0]!.fields;
    assert.deepEqual(fields['response_format'], ['json']);
    assert.deepEqual(fields['include[]'], ['logprobs']);
    assert.equal(fields['timestamp_granularities[]'], undefined);
    assert.deepEqual(
      out.map((s) => [s.startMs, s.endMs, s.text]),
      [[500, 2500, 'My knee hurts when I climb stairs.']],
    );
    assert.ok(Math.abs(out[0]!.avgLogprob! + 0.1) < 1e-9);
  });

  test('a segment larger than the upload limit is cut at its pauses into uploads under the limit', async () => {
    const limit = 100 * 1024;
    // 8 s of speech-like signal with 0.5 s pauses every 2 s: at 32 kB/s no upload may exceed ~2.6 s.
    const pcm = speechLike(8);
    for (const pause of [2, 4, 6]) pcm.fill(0, pause * 16_000 - 4_000, pause * 16_000 + 4_000);
    server.script = () => ({ body: verboseReply([{ start: 0, end: 1, text: ' Part.' }]) });
    const engine = createOpenAiEngine(config({ maxUploadBytes: limit }), { logger, assertAllowed: allowAll });
    const out = await engine.transcribe([{ id: 'a9', startMs: 60_000, pcm }]);
    assert.ok(server.requests.length >= 4, `${server.requests.length} uploads`);
    let samples = 0;
    for (const request of server.requests) {
      assert.ok(request.file!.data.length <= limit, `upload of ${request.file!.data.length} bytes`);
      samples += request.file!.data.readUInt32LE(40) / 2;
    }
    assert.equal(samples, pcm.length, 'every sample is sent exactly once');
    // Each part's text is placed where the part starts, all within the segment and in order.
    assert.ok(out.every((s) => s.inputId === 'a9' && s.startMs >= 60_000 && s.endMs <= 68_000));
    assert.deepEqual(
      [...out].sort((a, b) => a.startMs - b.startMs),
      out,
    );
  });

  test('HTTP 401 is a clear "check the API key" error and is not retried', async () => {
    server.script = () => ({
      status: 401,
      body: { error: { message: 'Incorrect API key provided: sk-test-key. SECRET-ECHO', type: 'invalid_request_error' } },
    });
    const engine = createOpenAiEngine(config({ maxRetries: 2 }), { logger, assertAllowed: allowAll });
    await assert.rejects(engine.transcribe([{ id: 'a0', startMs: 0, pcm: speechLike(1) }]), (error: unknown) => {
      assert.ok(error instanceof AsrError);
      assert.equal(error.failure, 'unauthorized');
      assert.match(error.message, /refused the credentials \(HTTP 401\); check the API key/);
      assert.doesNotMatch(error.message, /SECRET-ECHO|sk-test/);
      return true;
    });
    assert.equal(server.requests.length, 1);
  });

  test('HTTP 429 and 5xx are retried with backoff; what still fails is rate_limited / server_error', async () => {
    server.script = () => ({ status: 429, body: { error: { message: 'slow down' } }, headers: { 'retry-after-ms': '10' } });
    const engine = createOpenAiEngine(config({ maxRetries: 2 }), { logger, assertAllowed: allowAll });
    await assert.rejects(
      engine.transcribe([{ id: 'a0', startMs: 0, pcm: speechLike(1) }]),
      (e: unknown) => e instanceof AsrError && e.failure === 'rate_limited' && e.retryable,
    );
    assert.equal(server.requests.length, 3);

    server.requests.length = 0;
    server.script = () => ({ status: 503, body: { error: { message: 'overloaded' } }, headers: { 'retry-after-ms': '10' } });
    await assert.rejects(
      engine.transcribe([{ id: 'a0', startMs: 0, pcm: speechLike(1) }]),
      (e: unknown) => e instanceof AsrError && e.failure === 'server_error' && /HTTP 503/.test(e.message),
    );
    assert.equal(server.requests.length, 3);

    server.requests.length = 0;
    server.script = (_r, i) =>
      i === 0
        ? { status: 500, body: {}, headers: { 'retry-after-ms': '10' } }
        : { body: verboseReply([{ start: 0, end: 1, text: ' Better now.' }]) };
    const out = await engine.transcribe([{ id: 'a0', startMs: 0, pcm: speechLike(1) }]);
    assert.equal(out[0]!.text, 'Better now.');
    assert.equal(server.requests.length, 2);
  });

  test('a slow answer times out with a clear error', async () => {
    server.script = () => ({ delayMs: 1_500, body: verboseReply([{ start: 0, end: 1, text: ' Late.' }]) });
    const engine = createOpenAiEngine(config({ timeoutMs: 200 }), { logger, assertAllowed: allowAll });
    const started = performance.now();
    await assert.rejects(
      engine.transcribe([{ id: 'a0', startMs: 0, pcm: speechLike(1) }]),
      (e: unknown) => e instanceof AsrError && e.failure === 'timeout' && /did not answer in time/.test(e.message),
    );
    assert.ok(performance.now() - started < 1_400);
  });

  test('malformed bodies are invalid_response: not JSON, and JSON of the wrong shape', async () => {
    const engine = createOpenAiEngine(config(), { logger, assertAllowed: allowAll });
    server.script = () => ({ body: '{"text": "unterminated' });
    await assert.rejects(
      engine.transcribe([{ id: 'a0', startMs: 0, pcm: speechLike(1) }]),
      (e: unknown) => e instanceof AsrError && e.failure === 'invalid_response',
    );
    server.script = () => ({ body: { segments: 'not a list' } });
    await assert.rejects(
      engine.transcribe([{ id: 'a0', startMs: 0, pcm: speechLike(1) }]),
      (e: unknown) => e instanceof AsrError && e.failure === 'invalid_response',
    );
    server.script = () => ({ body: verboseReply([{ start: -4, end: 1, text: ' Negative time.' }]) });
    await assert.rejects(
      engine.transcribe([{ id: 'a0', startMs: 0, pcm: speechLike(1) }]),
      (e: unknown) => e instanceof AsrError && e.failure === 'invalid_response',
    );
  });

  test('cancelling aborts the upload in flight', async () => {
    server.script = () => ({ delayMs: 2_000, body: verboseReply([]) });
    const engine = createOpenAiEngine(config(), { logger, assertAllowed: allowAll });
    const controller = new AbortController();
    const pending = engine.transcribe([{ id: 'a0', startMs: 0, pcm: speechLike(1) }], { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(pending, (e: unknown) => e instanceof AsrError && e.failure === 'cancelled');
  });

  test('Azure OpenAI: the deployment path, api-version and api-key header', async () => {
    server.script = () => ({ body: { text: 'Hello from Azure.' } });
    const engine = createOpenAiEngine(
      {
        kind: 'azure',
        endpoint: server.origin,
        apiKey: 'azure-key',
        deployment: 'transcribe-dep',
        apiVersion: '2025-03-01-preview',
        model: 'gpt-4o-transcribe',
        timeoutMs: 5_000,
        maxRetries: 0,
        maxUploadBytes: 25 * 1024 * 1024,
      },
      { logger, assertAllowed: allowAll },
    );
    assert.equal(engine.model, 'azure:transcribe-dep');
    const out = await engine.transcribe([{ id: 'a0', startMs: 0, pcm: speechLike(1) }]);
    assert.equal(out[0]!.text, 'Hello from Azure.');
    const request = server.requests[0]!;
    assert.equal(request.url, '/openai/deployments/transcribe-dep/audio/transcriptions?api-version=2025-03-01-preview');
    assert.equal(request.headers['api-key'], 'azure-key');
    assert.equal(request.fields['include[]'], undefined, 'Azure gets no OpenAI-only parameters');
  });

  test('nothing the service said, and no key, reaches the logs', () => {
    const lines = logger.lines.join('\n');
    assert.doesNotMatch(lines, /SECRET-ECHO|sk-test-key|azure-key|cough|knee|Azure\./);
    assert.match(lines, /asr\.openai_failed/);
  });
});

describe('policy decides whether audio may leave the machine', () => {
  let server: OpenAiAudioLoopback;
  beforeAll(async () => {
    server = await startOpenAiAudioLoopback(() => ({ body: { text: 'Fine.' } }));
  });
  afterAll(() => server.close());

  const gate = (values: Partial<Settings>, locked: readonly string[] = []) =>
    createPolicyGate({ values: () => ({ ...settingDefaults, ...values }), isLocked: (key) => locked.includes(key) });

  test('audio may not leave the device: a cloud service is refused before any audio is read, and says why', () => {
    const policy = gate({ audioMayLeaveDevice: false, openaiBaseUrls: ['https://api.openai.com/v1'] }, ['audioMayLeaveDevice']);
    const factory = createEngineFactory({
      policy,
      logger: memoryLogger(),
      openaiConfig: () => openAiAsrConfigFromEnv({ OPENAI_API_KEY: 'k' }),
    });
    assert.throws(
      () => factory('openai'),
      (e: unknown) =>
        e instanceof ScribeError &&
        e.code === 'locked_by_policy' &&
        e.reason === 'policy.refused' &&
        /Audio may not leave this machine/.test(e.message),
    );
  });

  test('an on-premises server on this machine may take audio when it is on the allowed list', async () => {
    const policy = gate({ audioMayLeaveDevice: false, openaiBaseUrls: [server.baseUrl] });
    const factory = createEngineFactory({
      policy,
      logger: memoryLogger(),
      openaiConfig: () => openAiAsrConfigFromEnv({ SCRIBE_ASR_BASE_URL: server.baseUrl, SCRIBE_ASR_MAX_RETRIES: '0' }),
    });
    const engine = factory('openai');
    const out = await engine.transcribe([{ id: 'a0', startMs: 0, pcm: speechLike(1) }]);
    assert.equal(out[0]!.text, 'Fine.');
  });

  test('a policy change during the visit stops the next upload', async () => {
    let mayLeave = true;
    const policy = createPolicyGate({
      values: () => ({ ...settingDefaults, audioMayLeaveDevice: mayLeave, openaiBaseUrls: ['https://transcribe.example.org/v1'] }),
      isLocked: () => true,
    });
    const engine = createOpenAiEngine(
      {
        kind: 'openai',
        apiKey: 'k',
        baseURL: 'https://transcribe.example.org/v1',
        model: 'whisper-1',
        timeoutMs: 1000,
        maxRetries: 0,
        maxUploadBytes: 25 * 1024 * 1024,
      },
      { logger: memoryLogger(), assertAllowed: (baseUrl) => policy.assertEngineAllowed('transcription', 'openai', { baseUrl }) },
    );
    mayLeave = false;
    await assert.rejects(engine.transcribe([{ id: 'a0', startMs: 0, pcm: speechLike(1) }]), {
      reason: 'policy.refused',
      details: { setting: 'audioMayLeaveDevice' },
    });
  });

  test('not configured: a clear message naming what to set', () => {
    const factory = createEngineFactory({
      policy: gate({ audioMayLeaveDevice: true }),
      logger: memoryLogger(),
      openaiConfig: () => openAiAsrConfigFromEnv({}),
    });
    assert.throws(
      () => factory('openai'),
      (e: unknown) => e instanceof AsrError && e.failure === 'not_configured' && /OPENAI_API_KEY/.test(e.message),
    );
  });
});
