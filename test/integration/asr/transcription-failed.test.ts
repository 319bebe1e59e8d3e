/**
 * Issue 15, item 1: a recorded visit whose transcription fails for good is not left "Transcribing"
 * forever. It waits in transcription_failed with the reason in plain words (and the technical
 * detail for IT), across restarts; importing a transcript, writing the note by hand or trying again
 * once a speech model is there moves it on; its audio is never deleted.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { Scribe } from '../../../main/compose.js';
import { openScribe } from '../../../main/compose.js';
import { noVad } from '../../../main/capture/vad-provider.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { TranscriptionOptions } from '../../../main/asr/transcription-setup.js';
import type { CaptureStatus } from '../../../shared/domain/capture.js';
import type { Note } from '../../../shared/domain/note.js';
import type { Transcript } from '../../../shared/domain/transcript.js';
import type { TranscriptionStatus } from '../../../shared/domain/transcription.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { clinicianCtx, eventually, speechLike } from '../../helpers/asr-harness.js';
import { skipWhen } from '../../helpers/skip.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from '../../helpers/temp-store.js';
import { makeTinyWhisper, tinyWhisperAvailable, TINY_WHISPER_MISSING } from '../../helpers/tiny-whisper.js';
import { wavHeaderFor } from '../../helpers/wav-fixtures.js';

const PASSPHRASE = 'transcription failed test passphrase';

/** What a clinician must never be shown as the reason: commands, settings names, paths. */
const IT_WORDS = /npm|SCRIBE_|models-dir|\/|\\|\.json/;

interface Opened {
  readonly scribe: Scribe;
  call<T = unknown>(channel: string, request: unknown): Promise<T>;
  fail(channel: string, request: unknown): Promise<{ code: string; reason?: string; message: string }>;
}

function open(dataDir: string, transcription: TranscriptionOptions, mode: 'create' | 'open'): Opened {
  const scribe = openScribe({
    dataDir,
    keyProvider: createPassphraseKeyProvider(PASSPHRASE, FAST_SCRYPT),
    mode,
    vad: noVad,
    transcription,
  });
  return {
    scribe,
    async call<T>(channel: string, request: unknown): Promise<T> {
      const result = await scribe.dispatch(channel, request, clinicianCtx);
      if (!result.ok) throw new Error(`${channel} failed: ${result.error.reason ?? result.error.code} ${result.error.message}`);
      return result.value as T;
    },
    async fail(channel, request) {
      const result = await scribe.dispatch(channel, request, clinicianCtx);
      if (result.ok) throw new Error(`${channel} succeeded but should have failed`);
      return result.error;
    },
  };
}

/** A visit with three seconds of recorded audio, stopped: in transcribing, nothing transcribing it. */
async function recordedVisit(o: Opened, dir: string): Promise<Visit> {
  const visit = await o.call<Visit>('visit:create', { patientId: SENTINEL.patientId, patient: { displayName: SENTINEL.name } });
  await o.call('visit:recordConsent', { visitId: visit.id, method: 'verbal' });
  const samples = speechLike(3);
  const file = join(dir, `${visit.id}.wav`);
  writeFileSync(
    file,
    Buffer.concat([
      wavHeaderFor({ sampleRate: 16_000, channels: 1, encoding: 'pcm16' }, samples.length),
      Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength),
    ]),
  );
  await o.scribe.capture.importFile(visit.id, file, clinicianCtx.actor);
  assert.equal((await o.call<Visit>('visit:get', { id: visit.id })).state, 'transcribing');
  return visit;
}

const stateOf = async (o: Opened, id: string) => (await o.call<Visit>('visit:get', { id })).state;
const audioMs = async (o: Opened, visitId: string) => (await o.call<CaptureStatus>('capture:status', { visitId })).durationMs;

describe('a recorded visit whose transcription fails', () => {
  const tmp = tempDir('scribe-asr-failed-');
  const models = join(tmp.dir, 'models');
  const data = join(tmp.dir, 'data');
  beforeAll(() => mkdirSync(models, { recursive: true }));
  afterAll(() => tmp.cleanup());

  test('no speech model: the visit is transcription_failed with the reason in plain words, also after a restart; import and a note by hand move it on; the audio stays', async () => {
    let o = open(data, { modelsDir: models }, 'create');
    const failed = await recordedVisit(o, tmp.dir);
    const byHand = await recordedVisit(o, tmp.dir);
    const recordedMs = await audioMs(o, failed.id);
    assert.ok(recordedMs >= 2_900, `audio stored (${recordedMs} ms)`);

    const refused = await o.fail('visit:transcribe', { visitId: failed.id, engine: 'local' });
    assert.equal(refused.reason, 'asr.model_not_installed');
    assert.equal(await stateOf(o, failed.id), 'transcription_failed');
    let status = await o.call<TranscriptionStatus>('transcription:status', { visitId: failed.id });
    assert.equal(status.state, 'failed');
    assert.equal(status.failure?.reason, 'asr.model_not_installed');
    assert.equal(status.failure?.engine, 'local');
    assert.match(status.failure?.message ?? '', /No speech model is installed on this computer/);
    assert.doesNotMatch(status.failure?.message ?? '', IT_WORDS);
    assert.equal(status.error?.message, status.failure?.message);
    assert.ok(status.failure?.detail.includes(models), 'the detail for IT says where it looked');
    await o.fail('visit:transcribe', { visitId: byHand.id, engine: 'local' });
    o.scribe.close();

    // A restart: still failed, still saying why; the pipeline does not pick it up again.
    o = open(data, { modelsDir: models, live: true }, 'open');
    o.scribe.pipeline.start();
    await o.scribe.pipeline.idle();
    assert.equal(await stateOf(o, failed.id), 'transcription_failed');
    status = await o.call<TranscriptionStatus>('transcription:status', { visitId: failed.id });
    assert.equal(status.failure?.reason, 'asr.model_not_installed');
    assert.equal(await audioMs(o, failed.id), recordedMs);

    // Import a transcript: the visit waits for its note again, and the note is drafted from it.
    const imported = await o.call<{ segments: number }>('transcript:import', {
      visitId: failed.id,
      content: 'Doctor: What brings you in today?\nPatient: A sore throat for three days.',
    });
    assert.equal(imported.segments, 2);
    assert.equal(await stateOf(o, failed.id), 'transcribing');
    await o.call('visit:draft', { visitId: failed.id, engine: 'offline', template: 'soap' });
    assert.equal(await stateOf(o, failed.id), 'draft_ready');
    assert.equal(await audioMs(o, failed.id), recordedMs, 'the audio is kept');

    // Write the note by hand: a first save by a person puts the visit in review.
    const note = await o.call<Note>('note:save', {
      visitId: byHand.id,
      note: {
        visitId: byHand.id,
        template: 'soap',
        sections: [{ id: 'hpi', title: 'History of present illness', sentences: [] }],
        codes: [],
        drafter: { engine: 'offline' },
      },
    });
    assert.equal(note.revision, 1);
    assert.equal(await stateOf(o, byHand.id), 'in_review');
    o.scribe.close();
  });

  test('a visit left transcribing by an earlier process is not waited on forever: after a restart it is transcription_failed with why', async () => {
    const dir = join(tmp.dir, 'stuck');
    let o = open(dir, { modelsDir: models }, 'create');
    const stuck = await recordedVisit(o, tmp.dir);
    o.scribe.close();

    o = open(dir, { modelsDir: models, live: true }, 'open');
    o.scribe.pipeline.start();
    await eventually(async () => (await stateOf(o, stuck.id)) === 'transcription_failed', 10_000, 'the stuck visit to be failed');
    const status = await o.call<TranscriptionStatus>('transcription:status', { visitId: stuck.id });
    assert.equal(status.failure?.reason, 'asr.model_not_installed');
    await o.scribe.pipeline.stop();
    o.scribe.close();
  });

  test('a visit still transcribing takes an imported transcript, which then stands: it is not transcribed over, and the visit is not held as failed', async () => {
    const dir = join(tmp.dir, 'import');
    const o = open(dir, { modelsDir: models }, 'create');
    const transcribing = await recordedVisit(o, tmp.dir);
    await o.call('transcript:import', { visitId: transcribing.id, content: 'Doctor: Hello.\nPatient: Hi.' });
    assert.equal(await stateOf(o, transcribing.id), 'transcribing');
    const transcript = await o.call<Transcript>('transcript:get', { visitId: transcribing.id });
    assert.equal(transcript.source, 'import');
    assert.equal(transcript.final, true);
    assert.equal((await o.fail('visit:transcribe', { visitId: transcribing.id })).reason, 'asr.imported_transcript');
    assert.equal(await stateOf(o, transcribing.id), 'transcribing', 'not held as failed: the transcript is there');
    o.scribe.close();
  });

  describe('once a speech model is installed', skipWhen(tinyWhisperAvailable ? false : TINY_WHISPER_MISSING), () => {
    test('trying again transcribes the kept audio and the visit moves on', async () => {
      const dir = join(tmp.dir, 'retry');
      const retryModels = join(tmp.dir, 'retry-models');
      mkdirSync(retryModels, { recursive: true });
      const o = open(dir, { modelsDir: retryModels }, 'create');
      try {
        const visit = await recordedVisit(o, tmp.dir);
        const recordedMs = await audioMs(o, visit.id);
        await o.fail('visit:transcribe', { visitId: visit.id, engine: 'local' });
        assert.equal(await stateOf(o, visit.id), 'transcription_failed');

        makeTinyWhisper(retryModels, 'tiny-retry', { script: '0.00>Why not?<1.00|1.20>Yes!<2.00' });
        const status = await o.call<TranscriptionStatus>('visit:transcribe', { visitId: visit.id, engine: 'local' });
        assert.equal(status.state, 'finished');
        assert.equal(status.failure, undefined);
        assert.equal(await stateOf(o, visit.id), 'transcribing');
        const transcript = await o.call<Transcript>('transcript:get', { visitId: visit.id });
        assert.equal(transcript.final, true);
        assert.ok(
          transcript.segments.some((s) => s.text.includes('Yes!')),
          'what the model heard is in the transcript',
        );
        assert.equal(await audioMs(o, visit.id), recordedMs);
        await o.call('visit:draft', { visitId: visit.id, engine: 'offline', template: 'soap' });
        assert.equal(await stateOf(o, visit.id), 'draft_ready');
      } finally {
        await o.scribe.transcription.close();
        o.scribe.close();
      }
    }, 120_000);
  });
});
