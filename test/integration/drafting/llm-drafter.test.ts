import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import type { Scribe } from '../../../main/compose.js';
import { openScribe } from '../../../main/compose.js';
import type { CodeValidator } from '../../../main/coding/code-validator.js';
import type { LlmConfig, LlmConfigResult } from '../../../main/drafting/llm/llm-config.js';
import { llmConfigFromEnv } from '../../../main/drafting/llm/llm-config.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { DraftResult } from '../../../shared/domain/drafting.js';
import type { Visit } from '../../../shared/domain/visit.js';
import type { OpenAiLoopback, RecordedRequest } from '../../helpers/openai-loopback.js';
import { chatCompletion, startOpenAiLoopback } from '../../helpers/openai-loopback.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from '../../helpers/temp-store.js';
import { ApiCallError } from '../../../shared/api/errors.js';

/** A small, real validator: three billable codes with their official FY2026 titles, one header. */
const KNOWN: Record<string, { billable: boolean; title: string }> = {
  I10: { billable: true, title: 'Essential (primary) hypertension' },
  'E11.65': { billable: true, title: 'Type 2 diabetes mellitus with hyperglycemia' },
  'R05.9': { billable: true, title: 'Cough, unspecified' },
  E11: { billable: false, title: 'Type 2 diabetes mellitus' },
};
const validateCode: CodeValidator = (code) => {
  const entry = KNOWN[code.toUpperCase()];
  return entry?.billable ? { ok: true, code: code.toUpperCase(), description: entry.title } : { ok: false };
};

const scribeUser = { transport: 'cli', actor: { id: 'scribe-7', role: 'scribe' } } as const;

/** The visit's transcript: the clinician says the patient's name, MRN and birth date aloud. */
const TRANSCRIPT = [
  `Doctor: Good morning ${SENTINEL.name}. Can you confirm your record number ${SENTINEL.mrn} and date of birth, February 28, 1931?`,
  'Patient: Yes. I have had a cough for three days.',
  'Doctor: Any fever?',
  'Patient: No.',
  'Doctor: Your blood pressure is 150 over 95. I think you have hypertension. We will start lisinopril 10 mg daily.',
].join('\n');

/** What a well-behaved model returns for TRANSCRIPT (segments seg-1 … seg-5). */
function modelNote(
  overrides: { sentences?: { id: string; text: string; segmentIds: string[] }[]; codes?: { code: string; segmentIds: string[] }[] } = {},
): string {
  const sentences = overrides.sentences ?? [
    { id: 'chief_complaint', text: 'Cough.', segmentIds: ['seg-2'] },
    { id: 'hpi', text: 'Reports cough for 3 days.', segmentIds: ['seg-2'] },
    { id: 'ros', text: 'Denies fever.', segmentIds: ['seg-3', 'seg-4'] },
    { id: 'vitals', text: 'BP 150/95 mmHg.', segmentIds: ['seg-5'] },
    { id: 'assessment', text: 'Hypertension.', segmentIds: ['seg-5'] },
    { id: 'plan', text: 'Start lisinopril 10 mg daily.', segmentIds: ['seg-5'] },
  ];
  const sections = new Map<string, { text: string; segmentIds: string[] }[]>();
  for (const s of sentences) sections.set(s.id, [...(sections.get(s.id) ?? []), { text: s.text, segmentIds: s.segmentIds }]);
  return JSON.stringify({
    sections: [...sections].map(([id, list]) => ({ id, sentences: list })),
    codes: overrides.codes ?? [{ code: 'I10', segmentIds: ['seg-5'] }],
  });
}

describe('LLM drafter against a loopback OpenAI-compatible server', () => {
  let server: OpenAiLoopback;
  let tmp: ReturnType<typeof tempDir>;
  let scribe: Scribe;
  let config: LlmConfigResult;
  let visit: Visit;

  const openai = (over: Partial<Extract<LlmConfig, { kind: 'openai' }>> = {}): LlmConfigResult => ({
    ok: true,
    config: { kind: 'openai', apiKey: 'sk-test-key', baseURL: server.baseUrl, model: 'gpt-test', timeoutMs: 3000, maxRetries: 0, ...over },
  });

  async function call<T>(channel: string, request: unknown): Promise<T> {
    const result = await scribe.dispatch(channel, request, scribeUser);
    if (!result.ok) throw new ApiCallError(result.error);
    return result.value as T;
  }
  const draft = (engine: 'llm' | 'auto' | 'offline', extra: Record<string, unknown> = {}) =>
    call<DraftResult>('visit:draft', { visitId: visit.id, engine, replaceEdits: true, ...extra });
  const actions = () => [...scribe.audit.entries()].map((e) => e.action);
  /** Nothing identifying reached the server, whatever it was asked. */
  function assertNoIdentifiers(requests: readonly RecordedRequest[]): void {
    assert.ok(requests.length > 0);
    for (const r of requests) {
      const sent = `${r.url}\n${JSON.stringify(r.headers)}\n${r.rawBody}`;
      for (const secret of [
        SENTINEL.name,
        ...SENTINEL.name.split(/[\s-]/),
        SENTINEL.mrn,
        SENTINEL.birthDate,
        SENTINEL.patientId,
        'February 28, 1931',
      ]) {
        assert.ok(!sent.includes(secret), `the request carried "${secret}"`);
      }
    }
  }

  beforeAll(async () => {
    server = await startOpenAiLoopback(() => ({ body: chatCompletion(modelNote()) }));
    tmp = tempDir('scribe-llm-');
    config = openai();
    scribe = openScribe({
      dataDir: tmp.dir,
      keyProvider: createPassphraseKeyProvider('llm drafter test passphrase', FAST_SCRYPT),
      mode: 'open-or-create',
      drafting: { llmConfig: () => config, validateCode },
    });
    // The policy lets the drafter call only listed service addresses: list the loopback server.
    await scribe.dispatch(
      'settings:update',
      { openaiBaseUrls: [server.baseUrl, `${server.origin}/openai`] },
      { transport: 'cli', actor: { id: 'dr-admin', role: 'clinician' } },
    );
    visit = await call<Visit>('visit:create', {
      patientId: SENTINEL.patientId,
      patient: { displayName: SENTINEL.name, mrn: SENTINEL.mrn, birthDate: SENTINEL.birthDate, sex: 'female' },
    });
    await call('transcript:import', { visitId: visit.id, content: TRANSCRIPT });
  });
  afterAll(async () => {
    scribe.close();
    tmp.cleanup();
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
    config = openai();
    server.script = () => ({ body: chatCompletion(modelNote()) });
  });

  test('a valid reply becomes a draft revision: sections, evidence, checked codes, and a structured-output request', async () => {
    const before = actions().length;
    const result = await draft('llm');
    const { note } = result;
    assert.deepEqual(note.drafter, { engine: 'llm', model: 'gpt-test', promptVersion: 'note-v1' });
    assert.equal(result.fallback, undefined);
    assert.equal(result.unsupportedSentences, 0);
    const hpi = note.sections.find((s) => s.id === 'hpi')!;
    assert.deepEqual(
      hpi.sentences.map((s) => [s.text, s.evidence, s.support]),
      [['Reports cough for 3 days.', ['seg-2'], 'supported']],
    );
    assert.deepEqual(
      note.codes.map((c) => [c.code, c.description, c.status]),
      [['I10', 'Essential (primary) hypertension', 'suggested']],
    );
    const assessmentId = note.sections.find((s) => s.id === 'assessment')!.sentences[0]!.id;
    assert.deepEqual(note.codes[0]!.evidence, [assessmentId]);
    assert.deepEqual(actions().slice(before), ['drafting.llm_requested', 'note.drafted']);

    assert.equal(server.requests.length, 1);
    const request = server.requests[0]!;
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/v1/chat/completions');
    assert.equal(request.headers['authorization'], 'Bearer sk-test-key');
    const body = request.body as {
      model: string;
      response_format: { type: string; json_schema: { strict: boolean; schema: { properties: Record<string, unknown> } } };
      messages: { content: string }[];
    };
    assert.equal(body.model, 'gpt-test');
    assert.equal(body.response_format.type, 'json_schema');
    assert.equal(body.response_format.json_schema.strict, true);
    assert.deepEqual(Object.keys(body.response_format.json_schema.schema.properties), ['sections', 'codes']);
    assert.match(body.messages[1]!.content, /\[seg-2\] patient: Yes\. I have had a cough for three days\./);
    assertNoIdentifiers(server.requests);
  });

  test('sentences citing unknown or no segments are kept but flagged unsupported', async () => {
    server.script = () => ({
      body: chatCompletion(
        modelNote({
          sentences: [
            { id: 'hpi', text: 'Reports cough for 3 days.', segmentIds: ['seg-2'] },
            { id: 'hpi', text: 'Smokes one pack a day.', segmentIds: ['seg-42'] },
            { id: 'plan', text: 'Chest X-ray ordered.', segmentIds: [] },
            { id: 'assessment', text: 'Hypertension.', segmentIds: ['seg-5', 'seg-77'] },
          ],
        }),
      ),
    });
    const result = await draft('llm');
    const all = result.note.sections.flatMap((s) => s.sentences);
    assert.deepEqual(
      all.map((s) => [s.text, s.support, s.evidence]),
      [
        ['Reports cough for 3 days.', 'supported', ['seg-2']],
        // An id the transcript does not hold stays cited, so the reviewer sees the drafter invented it.
        ['Smokes one pack a day.', 'unsupported', ['seg-42']],
        ['Hypertension.', 'unsupported', ['seg-5', 'seg-77']],
        ['Chest X-ray ordered.', 'unsupported', []],
      ],
    );
    assert.equal(result.unsupportedSentences, 3);
  });

  test('an invalid reply is asked for once more; a second invalid reply is a typed error and saves nothing', async () => {
    const revisionBefore = (await call<{ note: { revision: number } }>('note:get', { visitId: visit.id })).note.revision;
    server.script = () => ({ body: chatCompletion(`{"sections": [ ${SENTINEL.name}`) });
    await assert.rejects(draft('llm'), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'unavailable');
      assert.match(e.message, /twice returned a reply that is not a valid note/);
      assert.ok(!e.message.includes(SENTINEL.name));
      return true;
    });
    assert.equal(server.requests.length, 2, 'exactly one retry');
    const retry = server.requests[1]!.body as { messages: { role: string; content: string }[] };
    assert.match(retry.messages.at(-1)!.content, /not valid JSON for the required schema/);
    assert.ok(!JSON.stringify(retry.messages).includes('"sections": ['), 'the bad reply is not echoed back');
    assert.equal((await call<{ note: { revision: number } }>('note:get', { visitId: visit.id })).note.revision, revisionBefore);
  });

  test('a reply that does not match the schema, then a good one, drafts on the retry', async () => {
    server.script = (_r, i) => ({
      body: chatCompletion(i === 0 ? JSON.stringify({ sections: [{ id: 'not-a-section', sentences: [] }], codes: [] }) : modelNote()),
    });
    const result = await draft('llm');
    assert.equal(server.requests.length, 2);
    assert.equal(result.note.drafter.engine, 'llm');
  });

  test('invented and non-billable codes are dropped, never presented; real ones carry the code set description', async () => {
    server.script = () => ({
      body: chatCompletion(
        modelNote({
          codes: [
            { code: 'Z99.999', segmentIds: ['seg-5'] },
            { code: 'E11', segmentIds: ['seg-5'] },
            { code: 'I10', segmentIds: ['seg-5'] },
            { code: 'R05.9', segmentIds: ['seg-2'] },
          ],
        }),
      ),
    });
    const result = await draft('llm');
    assert.deepEqual(
      result.note.codes.map((c) => [c.code, c.description, c.rank]),
      [
        ['I10', 'Essential (primary) hypertension', 1],
        ['R05.9', 'Cough, unspecified', 2],
      ],
    );
    assert.equal(result.droppedCodes, 2);
  });

  for (const [status, pattern] of [
    [429, /rate-limiting requests \(HTTP 429\)/],
    [500, /failed \(HTTP 500\)/],
    [503, /failed \(HTTP 503\)/],
    [401, /refused the credentials \(HTTP 401\); check the API key/],
  ] as const) {
    test(`HTTP ${status} is a clear typed error that echoes nothing from the server`, async () => {
      server.script = () => ({ status, body: { error: { message: `upstream trouble for ${SENTINEL.name}`, type: 'x' } } });
      await assert.rejects(draft('llm'), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'unavailable');
        assert.match(e.message, pattern);
        assert.ok(!e.message.includes(SENTINEL.name) && !e.message.includes('upstream') && !e.message.includes('127.0.0.1'));
        return true;
      });
    });
  }

  test('a server slower than the timeout is a timeout error, reported promptly', async () => {
    config = openai({ timeoutMs: 300 });
    server.script = () => ({ delayMs: 5000, body: chatCompletion(modelNote()) });
    const started = Date.now();
    await assert.rejects(draft('llm'), { code: 'unavailable', reason: 'llm.timeout' });
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  });

  test("'auto' falls back to the offline drafter when the model fails, and says why; 'llm' does not", async () => {
    server.script = () => ({ status: 500, body: {} });
    const result = await draft('auto');
    assert.equal(result.note.drafter.engine, 'offline');
    assert.match(result.fallback?.reason ?? '', /HTTP 500/);
    assert.ok(result.note.sections.some((s) => s.sentences.length > 0));
  });

  test('with no model configured, llm names what to set and auto drafts offline', async () => {
    config = llmConfigFromEnv({});
    await assert.rejects(draft('llm'), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'unavailable');
      assert.match(e.message, /OPENAI_API_KEY/);
      assert.match(e.message, /SCRIBE_LLM_BASE_URL/);
      assert.match(e.message, /SCRIBE_LLM_MODEL/);
      return true;
    });
    const result = await draft('auto');
    assert.equal(result.note.drafter.engine, 'offline');
    assert.match(result.fallback?.reason ?? '', /No language model is configured/);
    assert.equal(server.requests.length, 0);
  });

  test('a service address the policy does not list is refused before anything is sent', async () => {
    config = openai({ baseURL: 'http://127.0.0.1:9/v1' });
    await assert.rejects(draft('llm'), { code: 'forbidden', reason: 'settings.refused', details: { setting: 'openaiBaseUrls' } });
    assert.equal((await draft('auto')).note.drafter.engine, 'offline');
    assert.equal(server.requests.length, 0);
  });

  test('Azure OpenAI: the deployment URL, api-version and api-key header', async () => {
    config = {
      ok: true,
      config: {
        kind: 'azure',
        endpoint: server.origin,
        apiKey: 'azure-key',
        deployment: 'notes-gpt',
        apiVersion: '2024-10-21',
        timeoutMs: 3000,
        maxRetries: 0,
      },
    };
    const result = await draft('llm');
    assert.equal(result.note.drafter.model, 'azure:notes-gpt');
    const request = server.requests[0]!;
    assert.equal(request.url, '/openai/deployments/notes-gpt/chat/completions?api-version=2024-10-21');
    assert.equal(request.headers['api-key'], 'azure-key');
    assertNoIdentifiers(server.requests);
  });
});
