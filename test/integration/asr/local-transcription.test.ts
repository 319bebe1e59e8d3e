import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { Transcript } from '../../../shared/domain/transcript.js';
import type { TranscriptionStatus } from '../../../shared/domain/transcription.js';
import { openScribe } from '../../../main/compose.js';
import { noVad } from '../../../main/capture/vad-provider.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { AsrScribe } from '../../helpers/asr-harness.js';
import { openAsrScribe, speechLike, whiteNoise } from '../../helpers/asr-harness.js';
import { CLI_MISSING, cliBuilt, scribe } from '../../helpers/cli.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from '../../helpers/temp-store.js';
import { makeTinyWhisper, tinyWhisperAvailable, TINY_WHISPER_MISSING } from '../../helpers/tiny-whisper.js';
import { espeak, espeakAvailable, ESPEAK_MISSING, pcm16Samples, wavHeaderFor } from '../../helpers/wav-fixtures.js';
import { skipWhen } from '../../helpers/skip.js';

function wav16k(samples: Int16Array): Buffer {
  return Buffer.concat([
    wavHeaderFor({ sampleRate: 16_000, channels: 1, encoding: 'pcm16' }, samples.length),
    Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength),
  ]);
}

const concat = (...parts: Int16Array[]) => {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

async function transcribeFile(h: AsrScribe, samples: Int16Array): Promise<{ status: TranscriptionStatus; transcript: Transcript }> {
  const visit = await h.newVisit();
  const file = join(h.dir, `${visit.id}.wav`);
  writeFileSync(file, wav16k(samples));
  await h.scribe.capture.importFile(visit.id, file, { id: 'dr-asr', role: 'clinician' });
  const status = await h.call<TranscriptionStatus>('visit:transcribe', { visitId: visit.id, engine: 'local' });
  return { status, transcript: await h.call<Transcript>('transcript:get', { visitId: visit.id }) };
}

describe(
  'local transcription end to end on the generated tiny Whisper',
  skipWhen(tinyWhisperAvailable ? false : TINY_WHISPER_MISSING),
  () => {
    const models = tempDir('scribe-asr-models-');
    beforeAll(() => {
      // Says "Why not?" then "Yes!" whatever it hears: exactly what Whisper does on silence and noise.
      makeTinyWhisper(join(models.dir, 'scripted'), 'tiny-scripted', { script: '0.00>Why not?<1.00|1.20>Yes!<2.00' });
      // A three-word line, said again for every segment: the repeated-line failure mode.
      makeTinyWhisper(join(models.dir, 'repeat'), 'tiny-repeat', { script: '0.00>Why-so_bad?<1.50' });
    });
    afterAll(() => models.cleanup());

    test('silence produces no transcript text', async () => {
      const h = openAsrScribe({ transcription: { modelsDir: join(models.dir, 'scripted') } });
      try {
        const { status, transcript } = await transcribeFile(h, new Int16Array(10 * 16_000));
        assert.equal(status.state, 'finished');
        assert.ok(status.segmentsDropped >= 2, 'the engine did produce text, and it was kept out');
        assert.equal(transcript.final, true);
        assert.deepEqual(transcript.segments, []);
      } finally {
        h.cleanup();
      }
    });

    test('noise produces no transcript text', async () => {
      const h = openAsrScribe({ transcription: { modelsDir: join(models.dir, 'scripted') } });
      try {
        const { status, transcript } = await transcribeFile(h, whiteNoise(10));
        assert.ok(status.segmentsDropped >= 2);
        assert.deepEqual(transcript.segments, []);
        assert.match(h.logger.lines.join('\n'), /"reason":"noise"/);
      } finally {
        h.cleanup();
      }
    });

    test('speech-like audio is kept (the guard is not simply dropping everything)', async () => {
      const h = openAsrScribe({ transcription: { modelsDir: join(models.dir, 'scripted') } });
      try {
        const { status, transcript } = await transcribeFile(h, concat(speechLike(3), new Int16Array(16_000)));
        assert.equal(status.segmentsDropped, 0);
        assert.deepEqual(
          transcript.segments.map((s) => [s.startMs, s.endMs, s.text]),
          [
            [0, 1_000, 'Why not?'],
            [1_200, 2_000, 'Yes!'],
          ],
        );
        assert.ok(transcript.segments.every((s) => s.speaker === 'clinician' || s.speaker === 'patient'));
      } finally {
        h.cleanup();
      }
    });

    describe('with real speech and the Silero voice-activity detector', skipWhen(espeakAvailable ? false : ESPEAK_MISSING), () => {
      const tmp = tempDir('scribe-asr-speech-');
      let speechWav = '';
      beforeAll(() => {
        const parts = ['How long has the cough been going on?', 'About two weeks, mostly at night.', 'Any fever or chills?'].map(
          (text, i) => {
            const file = join(tmp.dir, `u${i}.wav`);
            espeak(file, text);
            return pcm16Samples(readFileSync(file));
          },
        );
        // espeak-ng writes 22,050 Hz: keep that rate (the importer resamples), with pauses between turns.
        const pause = new Int16Array(22_050);
        const all = concat(pause, ...parts.flatMap((p) => [p, pause]));
        speechWav = join(tmp.dir, 'visit.wav');
        writeFileSync(
          speechWav,
          Buffer.concat([
            wavHeaderFor({ sampleRate: 22_050, channels: 1, encoding: 'pcm16' }, all.length),
            Buffer.from(all.buffer, all.byteOffset, all.byteLength),
          ]),
        );
      });
      afterAll(() => tmp.cleanup());

      test('each speech segment the detector closes is transcribed in place; a hallucinated repeated line is dropped', async () => {
        // The default voice-activity model (Silero, shipped with the app), not the tests' stand-in.
        const dir = tempDir('scribe-asr-silero-');
        const real = openScribe({
          dataDir: dir.dir,
          keyProvider: createPassphraseKeyProvider('asr test passphrase', FAST_SCRYPT),
          mode: 'create',
          transcription: { modelsDir: join(models.dir, 'repeat') },
        });
        const ctx = { transport: 'cli', actor: { id: 'dr-asr', role: 'clinician' } } as const;
        const call = async <T>(channel: string, request: unknown) => {
          const result = await real.dispatch(channel, request, ctx);
          if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
          return result.value as T;
        };
        try {
          const visit = await call<{ id: string }>('visit:create', {
            patientId: SENTINEL.patientId,
            patient: { displayName: SENTINEL.name },
          });
          await call('visit:recordConsent', { visitId: visit.id, method: 'verbal' });
          await real.capture.importFile(visit.id as never, speechWav, ctx.actor);
          const { segments: speech } = await call<{ segments: { index: number; startMs: number; endMs: number }[] }>('capture:segments', {
            visitId: visit.id,
          });
          assert.ok(speech.length >= 3, `${speech.length} speech segments`);
          const status = await call<TranscriptionStatus>('visit:transcribe', { visitId: visit.id });
          assert.equal(status.state, 'finished');
          assert.equal(status.segmentsDone, speech.length);
          const transcript = await call<Transcript>('transcript:get', { visitId: visit.id });
          assert.equal(transcript.final, true);
          // The same three-word line came back for every segment: only its first occurrence stays.
          assert.deepEqual(
            transcript.segments.map((s) => s.text),
            ['Why-so_bad?'],
          );
          assert.equal(status.segmentsDropped, speech.length - 1);
          const first = speech[0]!;
          assert.deepEqual(
            [transcript.segments[0]!.id, transcript.segments[0]!.startMs, transcript.segments[0]!.endMs],
            [`a${first.index}.0`, first.startMs, Math.min(first.endMs, first.startMs + 1_500)],
          );
        } finally {
          real.close();
          dir.cleanup();
        }
      });
    });

    describe(
      'scribe visit transcribe (the built CLI)',
      skipWhen(!cliBuilt ? CLI_MISSING : !espeakAvailable ? ESPEAK_MISSING : false),
      () => {
        const tmp = tempDir('scribe-asr-cli-');
        const env = { SCRIBE_DATA_DIR: join(tmp.dir, 'data'), SCRIBE_PASSPHRASE: 'asr cli passphrase', SCRIBE_USER: 'dr-cli' };
        let visitId = '';
        beforeAll(async () => {
          const s = openScribe({
            dataDir: env.SCRIBE_DATA_DIR,
            keyProvider: createPassphraseKeyProvider(env.SCRIBE_PASSPHRASE, FAST_SCRYPT),
            mode: 'create',
            vad: noVad,
          });
          const ctx = { transport: 'cli', actor: { id: 'dr-cli', role: 'clinician' } } as const;
          const created = await s.dispatch(
            'visit:create',
            { patientId: SENTINEL.patientId, patient: { displayName: SENTINEL.name, mrn: SENTINEL.mrn } },
            ctx,
          );
          assert.ok(created.ok);
          visitId = (created.value as { id: string }).id;
          await s.dispatch('visit:recordConsent', { visitId, method: 'verbal' }, ctx);
          // Real speech: the CLI's own voice-activity detector (Silero) finds it after the import.
          const file = join(tmp.dir, 'visit.wav');
          espeak(file, 'Good morning. What brings you in today?');
          await s.capture.importFile(visitId as never, file, ctx.actor);
          s.close();
        });
        afterAll(() => tmp.cleanup());

        test('without a model: exit 1 and a message naming the folder and `npm run models:fetch`', () => {
          const result = scribe(['--models-dir', join(tmp.dir, 'no-models'), 'visit', 'transcribe', visitId], env);
          assert.equal(result.status, 1);
          assert.match(result.stderr, /No speech recognition model is installed \(looked in .*no-models\).*npm run models:fetch/);
        });

        test('with --models-dir: the visit is transcribed, the transcript is final, nothing of the patient is printed', () => {
          const listed = scribe(['--models-dir', join(models.dir, 'scripted'), 'models', 'list', '--json'], env);
          assert.equal(listed.status, 0, listed.stderr);
          assert.equal(
            (JSON.parse(listed.stdout) as { folders: { models: { id: string }[] }[] }).folders[0]!.models[0]!.id,
            'tiny-scripted',
          );

          const result = scribe(
            ['--models-dir', join(models.dir, 'scripted'), 'visit', 'transcribe', visitId, '--engine', 'local', '--json'],
            env,
          );
          assert.equal(result.status, 0, result.stderr);
          const status = JSON.parse(result.stdout) as TranscriptionStatus;
          assert.equal(status.state, 'finished');
          assert.equal(status.model, 'tiny-scripted');
          assert.ok(status.segmentsDone >= 1 && status.transcriptSegments >= 2, JSON.stringify(status));
          const shown = scribe(['visit', 'transcript', visitId, '--json'], env);
          assert.equal((JSON.parse(shown.stdout) as Transcript).final, true);
          assert.doesNotMatch(result.stdout + result.stderr, new RegExp(`${SENTINEL.name}|${SENTINEL.mrn}`));
          const again = scribe(['--models-dir', join(models.dir, 'scripted'), 'visit', 'transcribe', visitId], env);
          assert.equal(again.status, 0);
          assert.match(again.stdout, /already final/);
        });
      },
    );
  },
);
