import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { AsrError } from '../../../main/asr/asr-error.js';
import type { TranscriptionEngine } from '../../../main/asr/engine.js';
import type { TranscriptionRunDeps } from '../../../main/asr/transcription-run.js';
import { TranscriptionRun } from '../../../main/asr/transcription-run.js';
import { createSqliteAudioRepository } from '../../../main/store/audio-repository.js';
import type { TranscriptionStatus } from '../../../shared/domain/transcription.js';
import type { VisitId } from '../../../shared/ids.js';
import type { AsrScribe } from '../../helpers/asr-harness.js';
import { energyVad, eventually, openAsrScribe, scriptedEngine, speechLike } from '../../helpers/asr-harness.js';
import { wavHeaderFor } from '../../helpers/wav-fixtures.js';

// A run on its own, against a real store and capture service: the service that registers runs is not involved.

const silence = (seconds: number) => new Int16Array(Math.round(seconds * 16_000));

function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Three turns of speech, each followed by a pause the detector closes a segment on. */
const threeTurns = () => concat(speechLike(1.5, 1), silence(0.8), speechLike(1.5, 2), silence(0.8), speechLike(1.5, 3), silence(0.8));

async function importAudio(h: AsrScribe, visitId: VisitId, samples: Int16Array): Promise<void> {
  const file = join(h.dir, `import-${visitId}.wav`);
  const header = wavHeaderFor({ sampleRate: 16_000, channels: 1, encoding: 'pcm16' }, samples.length);
  writeFileSync(file, Buffer.concat([header, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)]));
  await h.scribe.capture.importFile(visitId, file, { id: 'dr-asr', role: 'clinician' });
}

function runFor(h: AsrScribe, visitId: VisitId, engine: TranscriptionEngine, extra: Partial<TranscriptionRunDeps> = {}) {
  const progress: TranscriptionStatus[] = [];
  const deps: TranscriptionRunDeps = {
    audio: createSqliteAudioRepository(h.scribe.store),
    capture: h.scribe.capture,
    transcripts: h.scribe.transcripts,
    audit: h.scribe.audit,
    logger: h.logger,
    onProgress: (status) => progress.push(status),
    retryDelaysMs: [],
    pollMs: 60_000,
    ...extra,
  };
  const run = new TranscriptionRun(deps, {
    visitId,
    engineName: 'local',
    engine,
    prompt: undefined,
    actorId: 'dr-asr',
    stored: h.scribe.transcripts.read(visitId),
  });
  return { run, progress };
}

const auditActions = (h: AsrScribe) =>
  (h.scribe.store.db.prepare('SELECT action FROM audit_log').all() as { action: string }[]).map((a) => a.action);

describe('a transcription run', () => {
  test('transcribes each speech segment of a stopped recording once, reports its progress, and finalises the transcript', async () => {
    const engine = scriptedEngine((input) => [{ startMs: input.startMs, endMs: input.startMs + 1_000, text: `Said in ${input.id}.` }]);
    const h = openAsrScribe({ vad: energyVad() });
    try {
      const visit = await h.newVisit();
      await importAudio(h, visit.id, threeTurns());
      const { run, progress } = runFor(h, visit.id, engine);
      assert.equal(run.state, 'running');
      run.start();
      const status = await run.caughtUp();
      assert.equal(status.state, 'finished');
      assert.equal(status.final, true);
      assert.equal(status.segmentsDone, 3);
      assert.equal(status.transcriptSegments, 3);
      assert.deepEqual(
        engine.calls.map((c) => c.inputs[0]!.id),
        ['a0', 'a1', 'a2'],
      );
      const stored = h.scribe.transcripts.read(visit.id)!;
      assert.equal(stored.final, true);
      assert.deepEqual(
        stored.segments.map((s) => s.text),
        ['Said in a0.', 'Said in a1.', 'Said in a2.'],
      );
      assert.deepEqual(
        progress.map((p) => p.segmentsDone),
        [1, 2, 3, 3],
      );
      assert.equal(progress.at(-1)!.state, 'finished');
      assert.ok(auditActions(h).includes('transcription.started'));
    } finally {
      h.cleanup();
    }
  });

  test('cancelled mid-way, it keeps what it heard; a new run over the same transcript asks the engine only for the rest', async () => {
    const engine = scriptedEngine((input) => [{ startMs: input.startMs, endMs: input.startMs + 1_000, text: `Said in ${input.id}.` }], 300);
    const h = openAsrScribe({ vad: energyVad() });
    try {
      const visit = await h.newVisit();
      await importAudio(h, visit.id, threeTurns());
      const first = runFor(h, visit.id, engine);
      first.run.start();
      await eventually(() => first.run.status().segmentsDone === 1, 10_000, 'the first segment');
      await first.run.cancel();
      assert.equal(first.run.state, 'cancelled');
      assert.equal(first.run.active, false);
      assert.equal((await first.run.caughtUp()).state, 'cancelled');
      const kept = h.scribe.transcripts.read(visit.id)!;
      assert.equal(kept.final, false);
      assert.deepEqual(
        kept.segments.map((s) => s.id),
        ['a0.0'],
      );

      const calls = engine.calls.length;
      const second = runFor(h, visit.id, engine);
      second.run.start();
      assert.equal((await second.run.caughtUp()).state, 'finished');
      assert.deepEqual(
        engine.calls.slice(calls).map((c) => c.inputs[0]!.id),
        ['a1', 'a2'],
      );
      assert.deepEqual(
        h.scribe.transcripts.read(visit.id)!.segments.map((s) => s.id),
        ['a0.0', 'a1.0', 'a2.0'],
      );
    } finally {
      h.cleanup();
    }
  });

  test('a failure that may pass is retried; one that will not stops the run with its reason, recorded in the audit log', async () => {
    let failures = 0;
    const flaky = scriptedEngine((input) => {
      if (input.id === 'a1' && failures++ === 0)
        return new AsrError('server_error', 'The transcription service failed (HTTP 503); try again later.', { status: 503 });
      return [{ startMs: input.startMs, endMs: input.startMs + 1_000, text: `Said in ${input.id}.` }];
    });
    const h = openAsrScribe({ vad: energyVad() });
    try {
      const visit = await h.newVisit();
      await importAudio(h, visit.id, threeTurns());
      const retried = runFor(h, visit.id, flaky, { retryDelaysMs: [10] });
      retried.run.start();
      assert.equal((await retried.run.caughtUp()).state, 'finished');
      assert.deepEqual(
        flaky.calls.map((c) => c.inputs[0]!.id),
        ['a0', 'a1', 'a1', 'a2'],
      );

      const other = await h.newVisit();
      await importAudio(h, other.id, threeTurns());
      const rejecting = scriptedEngine(
        () => new AsrError('rejected', 'The transcription service rejected the request (HTTP 400).', { status: 400 }),
      );
      const failed = runFor(h, other.id, rejecting, { retryDelaysMs: [10, 10] });
      failed.run.start();
      await assert.rejects(failed.run.caughtUp(), (e: unknown) => e instanceof AsrError && e.reason === 'asr.rejected');
      assert.equal(rejecting.calls.length, 1, 'a rejected request is not sent again');
      assert.equal(failed.run.state, 'failed');
      assert.equal(failed.run.status().error?.code, 'rejected');
      assert.ok(auditActions(h).includes('transcription.failed'));

      const crashing = scriptedEngine(() => new TypeError('engine bug'));
      const third = await h.newVisit();
      await importAudio(h, third.id, threeTurns());
      const crashed = runFor(h, third.id, crashing);
      crashed.run.start();
      await assert.rejects(crashed.run.caughtUp(), (e: unknown) => e instanceof Error && 'reason' in e && e.reason === 'asr.unexpected');
      assert.doesNotMatch(crashed.run.status().error!.message, /engine bug/);
    } finally {
      h.cleanup();
    }
  });

  test('following a recording, it waits until woken, then transcribes the new segment without waiting for its poll', async () => {
    const engine = scriptedEngine((input) => [{ startMs: input.startMs, endMs: input.startMs + 1_000, text: `Said in ${input.id}.` }]);
    const h = openAsrScribe({ vad: energyVad() });
    try {
      const visit = await h.newVisit();
      await h.call('capture:start', { visitId: visit.id });
      const { run } = runFor(h, visit.id, engine, { pollMs: 600_000 });
      run.start();
      assert.equal((await run.caughtUp()).state, 'following');
      assert.equal(engine.calls.length, 0);

      const segment = new Promise<void>((resolve) => h.scribe.events.on('capture:segment', () => resolve()));
      const turn = concat(speechLike(1.5), silence(0.8));
      for (let seq = 0, i = 0; i < turn.length; seq += 1, i += 1_600) {
        const part = turn.subarray(i, i + 1_600);
        await h.call('capture:append', {
          visitId: visit.id,
          seq,
          pcm: Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString('base64'),
        });
      }
      await segment;
      run.wake();
      await eventually(() => run.status().transcriptSegments === 1, 5_000, 'the woken run to transcribe the segment');
      assert.equal(run.state, 'following');

      await h.call('capture:stop', { visitId: visit.id });
      run.wake();
      await eventually(() => run.state === 'finished', 5_000, 'the run to finish once the recording stopped');
      assert.equal(h.scribe.transcripts.read(visit.id)!.final, true);
    } finally {
      h.cleanup();
    }
  });
});
