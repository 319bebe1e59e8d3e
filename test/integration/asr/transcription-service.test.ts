import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { AsrError } from '../../../main/asr/asr-error.js';
import { createSqliteAudioRepository } from '../../../main/store/audio-repository.js';
import { openAiAsrConfigFromEnv } from '../../../main/asr/openai-asr-config.js';
import type { AppendResult, CaptureStatus } from '../../../shared/domain/capture.js';
import type { Transcript } from '../../../shared/domain/transcript.js';
import type { TranscriptionStatus } from '../../../shared/domain/transcription.js';
import type { AsrScribe } from '../../helpers/asr-harness.js';
import { energyVad, eventually, openAsrScribe, scriptedEngine, speechLike } from '../../helpers/asr-harness.js';
import { SENTINEL } from '../../helpers/temp-store.js';
import { wavHeaderFor } from '../../helpers/wav-fixtures.js';

const FRAME_SAMPLES = 1_600; // 100 ms, as the renderer sends them

function frames(samples: Int16Array): string[] {
  const out: string[] = [];
  for (let i = 0; i < samples.length; i += FRAME_SAMPLES) {
    const part = samples.subarray(i, i + FRAME_SAMPLES);
    out.push(Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString('base64'));
  }
  return out;
}

function writeWav(file: string, samples: Int16Array): void {
  writeFileSync(
    file,
    Buffer.concat([
      wavHeaderFor({ sampleRate: 16_000, channels: 1, encoding: 'pcm16' }, samples.length),
      Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength),
    ]),
  );
}

function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const silence = (seconds: number) => new Int16Array(Math.round(seconds * 16_000));

async function importAudio(h: AsrScribe, visitId: string, samples: Int16Array): Promise<void> {
  const file = join(h.dir, `import-${visitId}.wav`);
  writeWav(file, samples);
  await h.scribe.capture.importFile(visitId as never, file, { id: 'dr-asr', role: 'clinician' });
}

const LINES = [
  'How long has the cough been going on?',
  'About two weeks now, mostly at night.',
  'Any fever or chills with it?',
  'No fever, but I feel tired all the time.',
  "Let's listen to your lungs and get a chest x-ray.",
  'Okay, that sounds good.',
];

describe('live transcription while recording', () => {
  test('a slow engine never holds up capture: every frame is stored, the transcript grows during the visit, and is final after stop', async () => {
    // 400 ms per speech segment, five times slower than the audio arrives below.
    const engine = scriptedEngine(
      (input) => [
        {
          startMs: input.startMs,
          endMs: input.startMs + Math.round((input.pcm.length / 16_000) * 1000),
          text: LINES[Number(input.id.slice(1)) % LINES.length]!,
          confidence: 0.9,
        },
      ],
      400,
    );
    const h = openAsrScribe({ vad: energyVad(), transcription: { live: true, engines: () => engine } });
    try {
      const visit = await h.newVisit();
      const changes: { segments: number; final: boolean; at: number }[] = [];
      const progress: TranscriptionStatus[] = [];
      h.scribe.events.subscribeAll((event, payload) => {
        if (event === 'transcript:changed') changes.push({ ...(payload as { segments: number; final: boolean }), at: Date.now() });
        if (event === 'transcription:progress') progress.push(payload as TranscriptionStatus);
      });
      await h.call('capture:start', { visitId: visit.id });
      // Six turns of 1.5 s speech and 0.8 s pause, sent as 100 ms frames every 20 ms.
      const audio = concat(...LINES.flatMap((_, i) => [speechLike(1.5, i + 1), silence(0.8)]));
      const sent = frames(audio);
      let slowest = 0;
      for (const [seq, pcm] of sent.entries()) {
        const started = performance.now();
        const result = await h.call<AppendResult>('capture:append', { visitId: visit.id, seq, pcm });
        slowest = Math.max(slowest, performance.now() - started);
        assert.equal(result.stored, true);
        assert.equal(result.gap, undefined);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const duringRecording = changes.length;
      const beforeStop = await h.call<TranscriptionStatus>('transcription:status', { visitId: visit.id });
      const stopped = await h.call<CaptureStatus>('capture:stop', { visitId: visit.id });

      // Capture lost nothing while the engine lagged behind.
      assert.equal(stopped.nextSeq, sent.length);
      assert.equal(stopped.durationMs, Math.floor(audio.length / 16));
      assert.deepEqual(stopped.gaps, []);
      assert.ok(slowest < 250, `slowest append ${slowest.toFixed(0)} ms`);
      assert.ok(duringRecording > 0, 'the transcript grew while the visit was recorded');
      assert.ok(
        beforeStop.segmentsPending > 0 || beforeStop.segmentsDone < LINES.length,
        'the engine was still behind when recording stopped',
      );

      await eventually(
        async () => (await h.call<TranscriptionStatus>('transcription:status', { visitId: visit.id })).state === 'finished',
        15_000,
        'transcription to finish',
      );
      const transcript = await h.call<Transcript>('transcript:get', { visitId: visit.id });
      assert.equal(transcript.final, true);
      assert.equal(transcript.source, 'asr');
      assert.deepEqual(
        transcript.segments.map((s) => s.text),
        LINES,
      );
      assert.deepEqual(
        transcript.segments.map((s) => s.speaker),
        ['clinician', 'patient', 'clinician', 'patient', 'clinician', 'patient'],
      );
      assert.ok(transcript.segments.every((s, i) => i === 0 || s.startMs >= transcript.segments[i - 1]!.endMs));
      assert.equal(engine.calls.length, LINES.length, 'each speech segment went to the engine once');
      assert.equal(changes.at(-1)!.final, true);
      // Progress for the renderer: states and counts only, never text.
      const states = progress.map((p) => p.state);
      assert.ok(states.includes('following') && states.includes('running'), states.join(','));
      assert.equal(states.at(-1), 'finished');
      assert.ok(
        progress.some((p) => p.segmentsDone > 0 && p.segmentsDone < LINES.length),
        'progress while the engine works',
      );
      assert.ok(!JSON.stringify(progress).includes('cough'));
    } finally {
      h.cleanup();
    }
  });
});

describe('transcribing a recorded visit', () => {
  test('without a voice-activity model the audio is read in windows; silence, repeated lines and subtitle phrases are kept out', async () => {
    const engine = scriptedEngine((input) => [
      {
        startMs: input.startMs,
        endMs: input.startMs + 2_500,
        text: ' I have had this cough since last Tuesday.',
        confidence: 0.8,
        avgLogprob: -0.2,
        noSpeechProb: 0.05,
      },
      {
        startMs: input.startMs + 2_500,
        endMs: input.startMs + 5_000,
        text: ' I have had this cough since last Tuesday.',
        confidence: 0.8,
        avgLogprob: -0.2,
        noSpeechProb: 0.05,
      },
      {
        startMs: input.startMs + 5_000,
        endMs: input.startMs + 10_000,
        text: ' Thank you.',
        confidence: 0.9,
        avgLogprob: -0.1,
        noSpeechProb: 0.1,
      },
      { startMs: input.startMs + 10_000, endMs: input.startMs + 12_000, text: ' [BLANK_AUDIO]' },
    ]);
    const h = openAsrScribe({ transcription: { engines: () => engine } });
    try {
      const visit = await h.newVisit();
      await importAudio(h, visit.id, concat(speechLike(5), silence(7)));
      const status = await h.call<TranscriptionStatus>('visit:transcribe', { visitId: visit.id });
      assert.equal(status.state, 'finished');
      assert.equal(status.final, true);
      assert.equal(status.segmentsDropped, 3);
      const transcript = await h.call<Transcript>('transcript:get', { visitId: visit.id });
      assert.deepEqual(
        transcript.segments.map((s) => [s.id, s.startMs, s.endMs, s.text]),
        [['w0-12000.0', 0, 2_500, 'I have had this cough since last Tuesday.']],
      );
      assert.equal(transcript.segments[0]!.confidence, 0.8);
      // Why pieces were dropped is logged as reasons and counts, never as text.
      const logged = h.logger.lines.join('\n');
      assert.match(logged, /asr\.guard_dropped.*"reason":"repeated_line"/);
      assert.match(logged, /asr\.guard_dropped.*"reason":"silence"/);
      assert.doesNotMatch(logged, /cough|Tuesday|Thank you/);
    } finally {
      h.cleanup();
    }
  });

  test('speech segments found before the detector stopped are used; only the audio after them is read in windows', async () => {
    const engine = scriptedEngine((input) => [{ startMs: input.startMs, endMs: input.startMs + 1_000, text: `Heard ${input.id}.` }]);
    const h = openAsrScribe({ transcription: { engines: () => engine } });
    try {
      const visit = await h.newVisit();
      await importAudio(h, visit.id, speechLike(12));
      // The detector found one segment, then its model failed: the track's segments are not final.
      createSqliteAudioRepository(h.scribe.store).insertSegment(visit.id, { index: 0, startMs: 500, endMs: 4_000 });
      const status = await h.call<TranscriptionStatus>('visit:transcribe', { visitId: visit.id });
      assert.equal(status.state, 'finished');
      assert.deepEqual(
        engine.calls.map((c) => [c.inputs[0]!.id, c.inputs[0]!.startMs, Math.round(c.inputs[0]!.pcm.length / 16)]),
        [
          ['a0', 500, 3_500],
          ['w4000-12000', 4_000, 8_000],
        ],
      );
    } finally {
      h.cleanup();
    }
  });

  test('a failure stops the run with a clear error; the next run carries on without duplicating anything', async () => {
    let broken = true;
    const engine = scriptedEngine((input) => {
      if (broken && input.startMs >= 50_000)
        return new AsrError('rejected', 'The transcription service rejected the request (HTTP 400).', { status: 400 });
      return [{ startMs: input.startMs, endMs: input.startMs + 1_000, text: `Line at ${input.startMs} ms.` }];
    });
    const h = openAsrScribe({ transcription: { engines: () => engine } });
    try {
      const visit = await h.newVisit();
      // Four windows, each cut at a quiet moment in its last 5 s: about 0, 26, 52 and 78 s.
      await importAudio(h, visit.id, speechLike(100));
      const failed = await h.fail('visit:transcribe', { visitId: visit.id });
      assert.equal(failed.code, 'unavailable');
      assert.match(failed.message, /HTTP 400/);
      const status = await h.call<TranscriptionStatus>('transcription:status', { visitId: visit.id });
      assert.equal(status.state, 'failed');
      assert.equal(status.error?.code, 'rejected');
      const partial = await h.call<Transcript>('transcript:get', { visitId: visit.id });
      assert.equal(partial.final, false);
      assert.equal(partial.segments.length, 2);

      broken = false;
      const callsBefore = engine.calls.length;
      const done = await h.call<TranscriptionStatus>('visit:transcribe', { visitId: visit.id });
      assert.equal(done.state, 'finished');
      const transcript = await h.call<Transcript>('transcript:get', { visitId: visit.id });
      assert.equal(transcript.final, true);
      const ids = transcript.segments.map((s) => s.id);
      assert.equal(new Set(ids).size, ids.length);
      assert.equal(transcript.segments.length, 4);
      assert.equal(engine.calls.length - callsBefore, 2, 'only the windows not yet transcribed went to the engine again');
      // Finished means finished: asking again changes nothing.
      const again = await h.call<TranscriptionStatus>('visit:transcribe', { visitId: visit.id });
      assert.equal(again.state, 'finished');
      assert.equal(engine.calls.length - callsBefore, 2);
    } finally {
      h.cleanup();
    }
  });

  test('a failure that may pass (a crashed worker, a 503) is retried before the run gives up', async () => {
    let failures = 0;
    const engine = scriptedEngine((input) => {
      if (failures < 2) {
        failures += 1;
        return new AsrError('server_error', 'The transcription service failed (HTTP 503); try again later.', { status: 503 });
      }
      return [{ startMs: input.startMs, endMs: input.startMs + 1_000, text: 'Recovered after retries.' }];
    });
    const h = openAsrScribe({ transcription: { engines: () => engine, retryDelaysMs: [10, 10] } });
    try {
      const visit = await h.newVisit();
      await importAudio(h, visit.id, speechLike(3));
      const status = await h.call<TranscriptionStatus>('visit:transcribe', { visitId: visit.id });
      assert.equal(status.state, 'finished');
      assert.equal(engine.calls.length, 3);
      assert.match(h.logger.lines.join('\n'), /asr\.retry/);
    } finally {
      h.cleanup();
    }
  });

  test('cancelling stops the run; it is audited; a later run finishes the job', async () => {
    const engine = scriptedEngine(
      (input) => [{ startMs: input.startMs, endMs: input.startMs + 1_000, text: `Window ${input.startMs}.` }],
      600,
    );
    const h = openAsrScribe({ transcription: { engines: () => engine } });
    try {
      const visit = await h.newVisit();
      await importAudio(h, visit.id, speechLike(70));
      const running = h.scribe.dispatch(
        'visit:transcribe',
        { visitId: visit.id },
        { transport: 'cli', actor: { id: 'dr-asr', role: 'clinician' } },
      );
      await new Promise((resolve) => setTimeout(resolve, 150));
      const cancelled = await h.call<TranscriptionStatus>('transcription:cancel', { visitId: visit.id });
      assert.equal(cancelled.state, 'cancelled');
      const result = await running;
      assert.equal(result.ok, true);
      assert.equal((result as { value: TranscriptionStatus }).value.state, 'cancelled');
      const actions = h.scribe.store.db.prepare('SELECT action FROM audit_log ORDER BY seq').all() as { action: string }[];
      assert.ok(actions.some((a) => a.action === 'transcription.cancelled'));
      const finished = await h.call<TranscriptionStatus>('visit:transcribe', { visitId: visit.id });
      assert.equal(finished.state, 'finished');
      const transcript = await h.call<Transcript>('transcript:get', { visitId: visit.id });
      assert.equal(transcript.segments.length, 3);
    } finally {
      h.cleanup();
    }
  });

  test("the visit's vocabulary reaches the engine as a prompt; the patient's name, record number and birth date never do", async () => {
    const engine = scriptedEngine((input) => [
      { startMs: input.startMs, endMs: input.startMs + 1_000, text: 'Take the metformin with food.' },
    ]);
    const h = openAsrScribe({
      transcription: {
        engines: () => engine,
        vocabulary: () => ({
          medications: ['metformin 500 mg twice daily', `${SENTINEL.name.split(' ')[0]} compounded cream`, 'lisinopril 10 mg'],
          problems: ['type 2 diabetes mellitus', `follow-up per MRN ${SENTINEL.mrn}`, 'essential hypertension'],
        }),
      },
    });
    try {
      const visit = await h.newVisit({ reasonForVisit: 'diabetes follow-up' });
      await importAudio(h, visit.id, speechLike(3));
      await h.call('visit:transcribe', { visitId: visit.id });
      const prompt = engine.calls[0]!.prompt ?? '';
      assert.match(prompt, /metformin 500 mg twice daily/);
      assert.match(prompt, /lisinopril/);
      assert.match(prompt, /type 2 diabetes mellitus/);
      assert.match(prompt, /Reason for visit: diabetes follow-up/);
      for (const secret of [SENTINEL.name, ...SENTINEL.name.split(/[\s-]/), SENTINEL.mrn, SENTINEL.birthDate, SENTINEL.patientId]) {
        assert.ok(!prompt.includes(secret), `prompt holds ${secret}`);
      }
      const audit = JSON.stringify(h.scribe.store.db.prepare('SELECT * FROM audit_log').all());
      const logs = h.logger.lines.join('\n');
      for (const secret of [SENTINEL.name, SENTINEL.mrn, 'metformin']) {
        assert.ok(!audit.includes(secret) && !logs.includes(secret), `${secret} leaked`);
      }
    } finally {
      h.cleanup();
    }
  });

  test('policy keeps audio on the machine: the cloud engine refuses, says why, and sends nothing', async () => {
    const h = openAsrScribe({ transcription: { openaiConfig: () => openAiAsrConfigFromEnv({ OPENAI_API_KEY: 'sk-test' }) } });
    try {
      const visit = await h.newVisit();
      await importAudio(h, visit.id, speechLike(3));
      const refused = await h.fail('visit:transcribe', { visitId: visit.id, engine: 'openai' });
      assert.equal(refused.code, 'forbidden');
      assert.equal(refused.reason, 'settings.refused');
      assert.deepEqual(refused.details, { setting: 'audioMayLeaveDevice' });
      assert.match(refused.message, /Audio may not leave this machine/);
      const actions = (h.scribe.store.db.prepare('SELECT action FROM audit_log').all() as { action: string }[]).map((a) => a.action);
      assert.ok(!actions.includes('transcription.audio_sent'));
    } finally {
      h.cleanup();
    }
  });

  test('no model installed: the local engine says where it looked and how to fix it', async () => {
    const h = openAsrScribe({ transcription: { modelsDir: '/nonexistent/scribe-models' } });
    try {
      const visit = await h.newVisit();
      await importAudio(h, visit.id, speechLike(2));
      const refused = await h.fail('visit:transcribe', { visitId: visit.id, engine: 'local' });
      assert.equal(refused.code, 'unavailable');
      assert.match(
        refused.message,
        /No speech recognition model is installed \(looked in \/nonexistent\/scribe-models\).*npm run models:fetch/,
      );
    } finally {
      h.cleanup();
    }
  });

  test('an imported transcript is not transcribed over; a visit without audio has nothing to transcribe', async () => {
    const engine = scriptedEngine(() => []);
    const h = openAsrScribe({ transcription: { engines: () => engine } });
    try {
      const visit = await h.newVisit();
      assert.equal((await h.fail('visit:transcribe', { visitId: visit.id })).reason, 'asr.no_audio');
      await h.call('transcript:import', { visitId: visit.id, content: 'Doctor: How are you?\nPatient: Fine.' });
      await importAudio(h, visit.id, speechLike(2));
      assert.equal((await h.fail('visit:transcribe', { visitId: visit.id })).reason, 'asr.imported_transcript');
      assert.equal(engine.calls.length, 0);
    } finally {
      h.cleanup();
    }
  });
});
