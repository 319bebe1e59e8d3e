import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'vitest';
import type { Scribe } from '../../../main/compose.js';
import { openScribe } from '../../../main/compose.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { Transcript } from '../../../shared/domain/transcript.js';
import type { Visit } from '../../../shared/domain/visit.js';
import type { VisitId } from '../../../shared/ids.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from '../../helpers/temp-store.js';
import { ApiCallError } from '../../../shared/api/errors.js';

const clinician = { transport: 'cli', actor: { id: 'dr-t', role: 'clinician' } } as const;
const admin = { transport: 'cli', actor: { id: 'it-1', role: 'admin' } } as const;
const SPOKEN = `${SENTINEL.name} says the cough started on Tuesday`;

describe('transcript storage', () => {
  let tmp: ReturnType<typeof tempDir>;
  let scribe: Scribe;
  let visitId: VisitId;
  const events: { visitId: string; segments: number; final: boolean }[] = [];

  async function call<T>(channel: string, request: unknown, ctx: typeof clinician | typeof admin = clinician): Promise<T> {
    const result = await scribe.dispatch(channel, request, ctx);
    if (!result.ok) throw new ApiCallError(result.error);
    return result.value as T;
  }
  const actions = () => [...scribe.audit.entries()].map((e) => e.action);
  /** Every byte the store wrote, for "the text is not in there in the clear". */
  const rawStore = () =>
    Buffer.concat(
      readdirSync(tmp.dir)
        .filter((f) => f.startsWith('scribe.db'))
        .map((f) => readFileSync(join(tmp.dir, f))),
    );

  beforeEach(async () => {
    tmp = tempDir('scribe-transcripts-');
    scribe = openScribe({
      dataDir: tmp.dir,
      keyProvider: createPassphraseKeyProvider('transcript test passphrase', FAST_SCRYPT),
      mode: 'open-or-create',
    });
    events.length = 0;
    scribe.events.subscribeAll((name, payload) => {
      if (name === 'transcript:changed') events.push(payload as (typeof events)[number]);
    });
    visitId = (await call<Visit>('visit:create', { patientId: SENTINEL.patientId, patient: { displayName: SENTINEL.name } })).id;
  });
  afterEach(() => {
    scribe.close();
    tmp.cleanup();
  });

  test('an imported transcript is stored final, read back in order, and its text only as ciphertext', async () => {
    const result = await call<{ segments: number; format: string; replaced: boolean }>('transcript:import', {
      visitId,
      content: `Doctor: What brings you in?\nPatient: ${SPOKEN}.\nDoctor: Any fever?\nPatient: No.`,
    });
    assert.deepEqual(result, { visitId, format: 'text', segments: 4, replaced: false });
    const t = await call<Transcript>('transcript:get', { visitId });
    assert.equal(t.final, true);
    assert.equal(t.source, 'import');
    assert.deepEqual(
      t.segments.map((s) => s.id),
      ['seg-1', 'seg-2', 'seg-3', 'seg-4'],
    );
    assert.equal(t.segments[1]!.text, `${SPOKEN}.`);
    scribe.store.db.pragma('wal_checkpoint(TRUNCATE)');
    const raw = rawStore();
    assert.ok(raw.includes(Buffer.from('seg-4')), 'the scan sees plain columns');
    assert.ok(!raw.includes(Buffer.from('cough started on Tuesday')), 'segment text is encrypted at rest');
    assert.deepEqual(actions().slice(-2), ['transcript.imported', 'transcript.viewed']);
    assert.deepEqual(events.at(-1), { visitId, segments: 4, final: true });
  });

  test('a malformed file stores nothing and audits nothing; the error names the line but not the text', async () => {
    const before = actions().length;
    await assert.rejects(call('transcript:import', { visitId, content: `Doctor: Hello.\nPatient: fine\n`, format: 'vtt' }), {
      code: 'bad_request',
      reason: 'transcript_file.webvtt_header_missing',
      details: { line: 1 },
    });
    await assert.rejects(
      call('transcript:import', {
        visitId,
        content: `WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nok\n\nbad --> 00:00:03.000\n${SENTINEL.name}`,
      }),
      (e: ApiCallError) => {
        assert.equal(e.reason, 'transcript_file.cue_time_invalid');
        assert.deepEqual(e.details, { line: 6 });
        assert.ok(!e.message.includes(SENTINEL.name));
        return true;
      },
    );
    await assert.rejects(call('transcript:get', { visitId }), { code: 'not_found', reason: 'transcript.not_found' });
    assert.equal(actions().length, before);
    assert.equal(events.length, 0);
  });

  test('a second import is refused unless asked to replace; replacing swaps every segment', async () => {
    await call('transcript:import', { visitId, content: 'Doctor: One.\nPatient: Two.\nDoctor: Three.' });
    await assert.rejects(call('transcript:import', { visitId, content: 'Doctor: Other.' }), {
      code: 'conflict',
      reason: 'transcript.already_exists',
    });
    const replaced = await call<{ replaced: boolean; segments: number }>('transcript:import', {
      visitId,
      content: '[doctor] only one',
      replace: true,
    });
    assert.deepEqual([replaced.replaced, replaced.segments], [true, 1]);
    const t = await call<Transcript>('transcript:get', { visitId });
    assert.deepEqual(
      t.segments.map((s) => [s.id, s.text]),
      [['seg-1', 'only one']],
    );
    assert.ok(actions().includes('transcript.replaced'));
  });

  test('an admin cannot import, and an unknown visit is not found', async () => {
    await assert.rejects(call('transcript:import', { visitId, content: 'Doctor: Hi.' }, admin), {
      code: 'forbidden',
      reason: 'transcript.import_forbidden',
    });
    await assert.rejects(call('transcript:import', { visitId: '00000000-0000-4000-8000-000000000000', content: 'Doctor: Hi.' }), {
      code: 'not_found',
      reason: 'visit.not_found',
    });
  });

  test('engines append live: a resent segment replaces itself (no duplicates), finalize locks, order is by time', async () => {
    const seg = (id: string, startMs: number, text: string) => ({ id, startMs, endMs: startMs + 900, speaker: 'patient' as const, text });
    assert.deepEqual(scribe.transcripts.appendSegments(visitId, [seg('a1', 2000, 'second'), seg('a0', 0, 'first, draft')]), {
      added: 2,
      revised: 0,
    });
    assert.deepEqual(scribe.transcripts.appendSegments(visitId, [seg('a0', 0, 'first, revised'), seg('a2', 4000, 'third')]), {
      added: 1,
      revised: 1,
    });
    let t = await call<Transcript>('transcript:get', { visitId });
    assert.equal(t.final, false);
    assert.equal(t.source, 'asr');
    assert.deepEqual(
      t.segments.map((s) => s.text),
      ['first, revised', 'second', 'third'],
    );
    assert.deepEqual(events.at(-1), { visitId, segments: 3, final: false });
    assert.throws(() => scribe.transcripts.appendSegments(visitId, [seg('bad id!', 0, 'x')]), { code: 'bad_request' });
    assert.throws(() => scribe.transcripts.appendSegments(visitId, [{ ...seg('a9', 5000, 'x'), endMs: 10 }]), { code: 'bad_request' });

    scribe.transcripts.finalize(visitId, 'asr-engine');
    scribe.transcripts.finalize(visitId, 'asr-engine');
    assert.equal(actions().filter((a) => a === 'transcript.finalized').length, 1, 'finalising twice records once');
    assert.throws(() => scribe.transcripts.appendSegments(visitId, [seg('a3', 6000, 'late')]), {
      code: 'conflict',
      reason: 'transcript.final',
    });
    t = await call<Transcript>('transcript:get', { visitId });
    assert.equal(t.final, true);
    assert.equal(t.segments.length, 3);
  });
});
