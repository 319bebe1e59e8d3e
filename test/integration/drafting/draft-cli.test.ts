import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { CLI, CLI_MISSING, cliBuilt } from '../../helpers/cli.js';
import type { OpenAiLoopback } from '../../helpers/openai-loopback.js';
import { chatCompletion, startOpenAiLoopback } from '../../helpers/openai-loopback.js';
import { SENTINEL, tempDir } from '../../helpers/temp-store.js';
import { skipWhen } from '../../helpers/skip.js';

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI without blocking this process, so the loopback model server can answer it. */
function run(args: readonly string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env }, encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

const DIALOGUE = [
  '[doctor] hi , how are you doing today ?',
  `[patient] hi . i'm ${SENTINEL.name} , and i have had a sore throat for three days .`,
  '[doctor] any fever ?',
  '[patient] no .',
  '[doctor] are you taking any medicines ?',
  '[patient] just ibuprofen 400 mg twice a day .',
  "[doctor] let's take a look . your throat is red with no exudate . your temperature is ninety nine point one .",
  '[doctor] i think this is a viral pharyngitis . i want you to drink plenty of fluids . we will follow up in one week if it is not better .',
].join('\n');

describe('scribe visit import-transcript and visit draft', skipWhen(cliBuilt ? false : CLI_MISSING), () => {
  const tmp = tempDir('scribe-draft-cli-');
  const env = {
    SCRIBE_DATA_DIR: join(tmp.dir, 'data'),
    SCRIBE_PASSPHRASE: 'draft cli passphrase',
    SCRIBE_USER: 'dr-cli',
    SCRIBE_POLICY_FILE: join(tmp.dir, 'none.json'),
  };
  let visitId: string;
  let server: OpenAiLoopback;

  const file = (name: string, content: string) => {
    const path = join(tmp.dir, name);
    writeFileSync(path, content);
    return path;
  };

  beforeAll(async () => {
    server = await startOpenAiLoopback(() => ({ body: chatCompletion('{}') }));
    assert.equal((await run(['init'], env)).status, 0);
    const created = await run(['visit', 'create', '--patient', SENTINEL.patientId, '--name', SENTINEL.name, '--json'], env);
    assert.equal(created.status, 0, created.stderr);
    visitId = (JSON.parse(created.stdout) as { id: string }).id;
  });
  afterAll(async () => {
    await server.close();
    tmp.cleanup();
  });

  test('a malformed file is refused with its line number, stores nothing and shows no PHI', async () => {
    const bad = file(
      'bad.vtt',
      `WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Doctor>Hello.\n\n00:00:03.000 --> 00:00:0\n<v Patient>${SENTINEL.name}`,
    );
    const result = await run(['visit', 'import-transcript', visitId, bad], env);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /line 6: a cue time is not in the form/);
    assert.ok(!result.stderr.includes(SENTINEL.name));
    const shown = await run(['visit', 'transcript', visitId], env);
    assert.equal(shown.status, 1);
    assert.match(shown.stderr, /A transcript for this visit was not found/);
    const missing = await run(['visit', 'import-transcript', visitId, join(tmp.dir, `${SENTINEL.name}.txt`)], env);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /does not exist/);
    assert.ok(!missing.stderr.includes(SENTINEL.name), 'the file name is not echoed');
  });

  test('imports an ACI-Bench style dialogue and shows it back', async () => {
    const result = await run(['visit', 'import-transcript', visitId, file('visit.txt', DIALOGUE)], env);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Imported 8 segments \(text\)/);
    const shown = await run(['visit', 'transcript', visitId], env);
    assert.match(shown.stdout, /final, 8 segments/);
    assert.match(shown.stdout, /seg-4 {2}patient: no \./);
  });

  test('drafts offline and prints the note as plain text under section headings', async () => {
    const result = await run(['visit', 'draft', visitId, '--engine', 'offline'], env);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /Draft saved as revision 1 of visit .* \(offline drafter, template soap\)/);
    const text = result.stdout;
    for (const heading of [
      'CHIEF COMPLAINT',
      'HISTORY OF PRESENT ILLNESS',
      'REVIEW OF SYSTEMS',
      'MEDICATIONS',
      'VITAL SIGNS',
      'PHYSICAL EXAM',
      'ASSESSMENT',
      'PLAN',
      'PATIENT INSTRUCTIONS',
    ]) {
      assert.match(text, new RegExp(`^${heading}$`, 'm'), `missing ${heading}`);
    }
    assert.match(text, /^Sore throat\.$/m);
    assert.match(text, /^Ibuprofen 400 mg twice daily\.$/m);
    assert.match(text, /^Temperature 99\.1 °F\.$/m);
    assert.match(text, /Denies fever\./);
    assert.match(text, /^Follow up in 1 week if it is not better\.$/m);
    assert.doesNotMatch(text, /\[unsupported\]/);
  });

  test('the follow-up template uses its own headings; --json returns the saved note', async () => {
    const result = await run(['visit', 'draft', visitId, '--engine', 'offline', '--template', 'follow-up', '--json'], env);
    assert.equal(result.status, 0, result.stderr);
    const parsed = JSON.parse(result.stdout) as { note: { revision: number; template: string; sections: { title: string }[] } };
    assert.equal(parsed.note.revision, 2);
    assert.equal(parsed.note.template, 'follow-up');
    assert.deepEqual(parsed.note.sections.map((s) => s.title).slice(0, 2), ['Reason for follow-up', 'Interval history']);
  });

  test('llm without configuration names what to set; auto falls back to offline and says so', async () => {
    const llm = await run(['visit', 'draft', visitId, '--engine', 'llm'], env);
    assert.equal(llm.status, 1);
    assert.match(llm.stderr, /No language model is configured: set OPENAI_API_KEY/);
    assert.match(llm.stderr, /SCRIBE_LLM_BASE_URL/);
    const auto = await run(['visit', 'draft', visitId], env);
    assert.equal(auto.status, 0, auto.stderr);
    assert.match(auto.stderr, /Drafted offline because the language model was not used: No language model is configured/);
    assert.match(auto.stdout, /^CHIEF COMPLAINT$/m);
  });

  test('an LLM draft through SCRIBE_LLM_BASE_URL: unsupported sentences are marked, invented codes not shown', async () => {
    server.script = () => ({
      body: chatCompletion(
        JSON.stringify({
          sections: [
            {
              id: 'hpi',
              sentences: [
                { text: 'Reports sore throat for 3 days.', segmentIds: ['seg-2'] },
                { text: 'Travelled abroad last week.', segmentIds: ['seg-99'] },
              ],
            },
            { id: 'assessment', sentences: [{ text: 'Viral pharyngitis.', segmentIds: ['seg-8'] }] },
          ],
          codes: [
            { code: 'J02.9', segmentIds: ['seg-8'] },
            { code: 'J02.99', segmentIds: ['seg-8'] },
          ],
        }),
      ),
    });
    const policy = file('policy.json', JSON.stringify({ openaiBaseUrls: [server.baseUrl] }));
    const llmEnv = {
      ...env,
      SCRIBE_POLICY_FILE: policy,
      SCRIBE_LLM_BASE_URL: server.baseUrl,
      SCRIBE_LLM_MODEL: 'local-model',
      SCRIBE_LLM_MAX_RETRIES: '0',
    };
    const result = await run(['visit', 'draft', visitId, '--engine', 'llm'], llmEnv);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /language model local-model/);
    assert.match(result.stderr, /1 sentence\(s\) cite nothing in the transcript/);
    assert.match(result.stderr, /1 proposed code\(s\) were not billable ICD-10-CM codes and were dropped/);
    assert.match(result.stdout, /^Reports sore throat for 3 days\.$/m);
    assert.match(result.stdout, /^\[unsupported\] Travelled abroad last week\.$/m);
    assert.match(result.stdout, /^J02\.9 {2}Acute pharyngitis, unspecified$/m);
    assert.doesNotMatch(result.stdout, /J02\.99/);
    assert.equal(server.requests.length, 1);
    assert.ok(!server.requests[0]!.rawBody.includes(SENTINEL.name), 'the name said in the visit was not sent');
  });
});
