import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { IntegrityError } from '../../../main/store/errors.js';
import type { AppendResult, CaptureStatus, Consent } from '../../../shared/domain/capture.js';
import type { Visit } from '../../../shared/domain/visit.js';
import type { VisitId } from '../../../shared/ids.js';
import type { CaptureHarness } from '../../helpers/capture-harness.js';
import { clinician, openCaptureHarness } from '../../helpers/capture-harness.js';
import { SENTINEL } from '../../helpers/temp-store.js';
import { distinctiveFrame } from '../../helpers/wav-fixtures.js';

const frame = (visitId: VisitId, seq: number, pcm = distinctiveFrame(seq)) => ({ visitId, seq, pcm: pcm.toString('base64') });

async function streamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

function auditActions(h: CaptureHarness, visitId: string): string[] {
  return [...h.scribe.audit.entries()].filter((e) => e.objectId === visitId).map((e) => e.action);
}

describe('consent before recording', () => {
  let h: CaptureHarness;
  beforeAll(() => {
    h = openCaptureHarness();
  });
  afterAll(() => h.cleanup());

  test('recording cannot start until consent is recorded; the visit stays as it was', async () => {
    const visit = await h.newVisit({ consent: false });
    const refused = await h.fail('capture:start', { visitId: visit.id });
    assert.equal(refused.code, 'forbidden');
    assert.equal(refused.reason, 'capture.consent_required');
    const status = await h.call<CaptureStatus>('capture:status', { visitId: visit.id });
    assert.deepEqual([status.visitState, status.capture, status.consent, status.consentRequired], ['not_started', 'idle', null, true]);

    const consent = await h.call<Consent>('visit:recordConsent', { visitId: visit.id, method: 'written' });
    assert.equal(consent.confirmedBy, clinician.id);
    const started = await h.call<CaptureStatus>('capture:start', { visitId: visit.id });
    assert.deepEqual([started.visitState, started.capture, started.nextSeq], ['recording', 'recording', 0]);
    assert.equal(started.consent?.method, 'written');
    assert.deepEqual(auditActions(h, visit.id), ['visit.created', 'consent.recorded', 'capture.started']);
  });

  test("a guardian's name is stored encrypted and shown only in the consent record itself", async () => {
    const visit = await h.newVisit({ consent: false });
    const consent = await h.call<Consent>('visit:recordConsent', {
      visitId: visit.id,
      method: 'verbal',
      givenBy: 'guardian',
      representativeName: SENTINEL.name,
      obtainedAt: '2026-01-02T03:04:05.000Z',
    });
    assert.equal(consent.representativeName, SENTINEL.name);
    assert.equal(consent.obtainedAt, '2026-01-02T03:04:05.000Z');
    const status = await h.call<CaptureStatus>('capture:status', { visitId: visit.id });
    assert.ok(!JSON.stringify(status).includes(SENTINEL.name), 'status carries no names');
    for (const bytes of h.storeBytes()) {
      assert.equal(bytes.indexOf(Buffer.from(SENTINEL.name)), -1, 'the name is only ciphertext on disk');
      assert.equal(bytes.indexOf(Buffer.from('2026-01-02T03:04:05')), -1, 'so is the time consent was given');
    }
    assert.ok(!h.logger.lines.join('\n').includes(SENTINEL.name));
    assert.ok(![...h.scribe.audit.entries()].some((e) => JSON.stringify(e).includes(SENTINEL.name)));
  });

  test('consent must say who gave it and cannot come from the future', async () => {
    const visit = await h.newVisit({ consent: false });
    const unnamed = await h.fail('visit:recordConsent', { visitId: visit.id, method: 'verbal', givenBy: 'guardian' });
    assert.deepEqual([unnamed.reason, unnamed.details], ['consent.representative_name_missing', { givenBy: 'guardian' }]);
    assert.match(unnamed.message, /Name the guardian/);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    assert.equal(
      (await h.fail('visit:recordConsent', { visitId: visit.id, method: 'verbal', obtainedAt: future })).reason,
      'consent.time_in_future',
    );
    assert.equal((await h.fail('visit:recordConsent', { visitId: visit.id, method: 'nodded' })).code, 'bad_request');
  });

  test('when policy does not require consent, recording starts without it; the policy is asked at each start', async () => {
    let required = true;
    const service = h.otherService({ requireConsent: () => required });
    const visit = await h.newVisit({ consent: false });
    await assert.rejects(service.start(visit.id, clinician), { reason: 'capture.consent_required' });
    required = false;
    const status = await service.start(visit.id, clinician);
    assert.deepEqual([status.capture, status.consentRequired], ['recording', false]);
    await service.close();
  });
});

describe('frames', () => {
  let h: CaptureHarness;
  let visit: Visit;
  beforeAll(async () => {
    h = openCaptureHarness();
    visit = await h.newVisit();
    await h.call('capture:start', { visitId: visit.id });
  });
  afterAll(() => h.cleanup());

  test('are stored in order and each is durable when the call returns', async () => {
    for (let seq = 0; seq < 5; seq += 1) {
      const result = await h.call<AppendResult>('capture:append', frame(visit.id, seq));
      assert.deepEqual(result, { seq, stored: true, nextSeq: seq + 1, durationMs: (seq + 1) * 100 });
    }
    const raw = new BetterSqlite3(`${h.dir}/scribe.db`, { readonly: true });
    try {
      assert.equal((raw.prepare('SELECT COUNT(*) AS n FROM audio_chunks WHERE visit_id = ?').get(visit.id) as { n: number }).n, 5);
    } finally {
      raw.close();
    }
  });

  test('a retried frame is accepted once and changes nothing', async () => {
    const again = await h.call<AppendResult>('capture:append', frame(visit.id, 3));
    assert.deepEqual(again, { seq: 3, stored: false, nextSeq: 5, durationMs: 500 });
    const status = await h.call<CaptureStatus>('capture:status', { visitId: visit.id });
    assert.deepEqual([status.chunks, status.durationMs, status.nextSeq], [5, 500, 5]);
  });

  test('a frame reusing a number with other audio is refused, and the stored one kept', async () => {
    const refused = await h.fail('capture:append', frame(visit.id, 2, distinctiveFrame(40)));
    assert.equal(refused.code, 'conflict');
    assert.deepEqual([refused.reason, refused.details], ['capture.frame_conflict', { seq: 2 }]);
    const wav = await streamToBuffer(h.scribe.capture.openAudio(visit.id, clinician, { fromMs: 200, toMs: 300 }).stream);
    assert.ok(wav.subarray(44).equals(distinctiveFrame(2)));
  });

  test('a gap is reported when it happens and in the status, and the audio after it is kept', async () => {
    const result = await h.call<AppendResult>('capture:append', frame(visit.id, 8));
    assert.deepEqual(result.gap, { afterSeq: 4, missing: 3 });
    assert.equal(result.stored, true);
    const status = await h.call<CaptureStatus>('capture:status', { visitId: visit.id });
    assert.deepEqual(status.gaps, [{ afterSeq: 4, missing: 3 }]);
    assert.equal(status.nextSeq, 9);
    assert.ok(h.logger.lines.some((l) => l.includes('"capture.gap"')));
    const late = await h.fail('capture:append', frame(visit.id, 6));
    assert.deepEqual([late.reason, late.details], ['capture.frame_late', { seq: 6 }]);
  });

  test('malformed frames are refused before anything is stored', async () => {
    const odd = await h.fail('capture:append', { visitId: visit.id, seq: 9, pcm: Buffer.alloc(3).toString('base64') });
    assert.equal(odd.code, 'bad_request');
    const notBase64 = await h.fail('capture:append', { visitId: visit.id, seq: 9, pcm: '%%%%' });
    assert.deepEqual(notBase64.fields, ['pcm']);
    const tooLong = await h.fail('capture:append', { visitId: visit.id, seq: 9, pcm: Buffer.alloc(64_002).toString('base64') });
    assert.equal(tooLong.code, 'bad_request');
    assert.equal((await h.call<CaptureStatus>('capture:status', { visitId: visit.id })).nextSeq, 9);
  });

  test('pause refuses frames; resume continues the numbering; stop hands the visit on', async () => {
    const paused = await h.call<CaptureStatus>('capture:pause', { visitId: visit.id });
    assert.deepEqual([paused.capture, paused.visitState], ['paused', 'recording']);
    assert.equal((await h.fail('capture:append', frame(visit.id, 9))).reason, 'capture.paused');
    const resumed = await h.call<CaptureStatus>('capture:resume', { visitId: visit.id });
    assert.deepEqual([resumed.capture, resumed.nextSeq], ['recording', 9]);
    await h.call('capture:append', frame(visit.id, 9));
    const stopped = await h.call<CaptureStatus>('capture:stop', { visitId: visit.id });
    assert.deepEqual([stopped.capture, stopped.visitState, stopped.chunks, stopped.durationMs], ['stopped', 'transcribing', 7, 700]);
    assert.equal((await h.call<CaptureStatus>('capture:stop', { visitId: visit.id })).capture, 'stopped', 'stopping twice is harmless');
    assert.equal((await h.fail('capture:append', frame(visit.id, 10))).reason, 'capture.already_stopped');
    const restart = await h.fail('capture:start', { visitId: visit.id });
    assert.deepEqual([restart.reason, restart.details], ['capture.not_startable', { state: 'transcribing' }]);
    assert.match(restart.message, /recorded already/);
    assert.deepEqual(auditActions(h, visit.id), [
      'visit.created',
      'consent.recorded',
      'capture.started',
      'audio.played',
      'capture.paused',
      'capture.resumed',
      'capture.stopped',
    ]);
  });

  test('no audio or patient data reaches the logs', () => {
    const text = h.logger.lines.join('\n');
    for (const marker of [SENTINEL.name, SENTINEL.mrn, SENTINEL.patientId, distinctiveFrame(1).toString('base64').slice(0, 40)])
      assert.ok(!text.includes(marker));
  });
});

describe('reading audio back', () => {
  let h: CaptureHarness;
  let visit: Visit;
  const frames = 40;
  beforeAll(async () => {
    h = openCaptureHarness();
    visit = await h.newVisit();
    await h.call('capture:start', { visitId: visit.id });
    for (let seq = 0; seq < frames; seq += 1) await h.call('capture:append', frame(visit.id, seq));
    await h.call('capture:stop', { visitId: visit.id });
  });
  afterAll(() => h.cleanup());

  const source = () => Buffer.concat(Array.from({ length: frames }, (_, seq) => distinctiveFrame(seq)));

  test('the whole recording as a WAV stream, exactly as recorded', async () => {
    const wav = h.scribe.capture.openAudio(visit.id, clinician);
    assert.equal(wav.durationMs, 4000);
    const bytes = await streamToBuffer(wav.stream);
    assert.equal(bytes.readUInt32LE(40), frames * 3200);
    assert.equal(bytes.readUInt32LE(24), 16_000);
    assert.ok(bytes.subarray(44).equals(source()));
  });

  test('from any offset in milliseconds, starting mid-chunk, up to an end', async () => {
    const bytes = await streamToBuffer(h.scribe.capture.openAudio(visit.id, clinician, { fromMs: 1234, toMs: 2999 }).stream);
    assert.equal(bytes.readUInt32LE(40), (2999 - 1234) * 32);
    assert.ok(bytes.subarray(44).equals(source().subarray(1234 * 32, 2999 * 32)));
    const tail = await streamToBuffer(h.scribe.capture.openAudio(visit.id, clinician, { fromMs: 3950 }).stream);
    assert.ok(tail.subarray(44).equals(source().subarray(3950 * 32)));
    const beyond = await streamToBuffer(h.scribe.capture.openAudio(visit.id, clinician, { fromMs: 10_000 }).stream);
    assert.equal(beyond.length, 44);
  });

  test('other services read the samples from an offset without it counting as a playback', () => {
    const before = auditActions(h, visit.id).length;
    const pages = [...h.scribe.capture.pcm(visit.id, { fromMs: 2500, toMs: 3100 })];
    assert.ok(Buffer.concat(pages).equals(source().subarray(2500 * 32, 3100 * 32)));
    assert.equal(auditActions(h, visit.id).length, before);
  });

  test('each playback is audited', () => {
    assert.ok(auditActions(h, visit.id).filter((a) => a === 'audio.played').length >= 3);
  });

  test('audio is ciphertext on disk, and a chunk moved to another place fails its integrity check', async () => {
    for (const bytes of h.storeBytes()) assert.equal(bytes.indexOf(distinctiveFrame(7).subarray(100, 164)), -1);
    const raw = new BetterSqlite3(`${h.dir}/scribe.db`);
    const one = raw.prepare('SELECT pcm FROM audio_chunks WHERE visit_id = ? AND seq = 1').get(visit.id) as { pcm: Buffer };
    const two = raw.prepare('SELECT pcm FROM audio_chunks WHERE visit_id = ? AND seq = 2').get(visit.id) as { pcm: Buffer };
    raw.prepare('UPDATE audio_chunks SET pcm = ? WHERE visit_id = ? AND seq = 1').run(two.pcm, visit.id);
    raw.prepare('UPDATE audio_chunks SET pcm = ? WHERE visit_id = ? AND seq = 2').run(one.pcm, visit.id);
    raw.close();
    await assert.rejects(
      streamToBuffer(h.scribe.capture.openAudio(visit.id, clinician).stream),
      (error: unknown) => error instanceof IntegrityError && error.rowId === `${visit.id}/1`,
    );
  });
});

describe('two processes, one store', () => {
  let h: CaptureHarness;
  beforeAll(() => {
    h = openCaptureHarness();
  });
  afterAll(() => h.cleanup());

  test('a live recording of another process is neither written to nor taken over', async () => {
    const visit = await h.newVisit();
    await h.call('capture:start', { visitId: visit.id });
    await h.call('capture:append', frame(visit.id, 0));
    const other = h.otherService({ owner: { instance: 'other-window', pid: process.pid, host: 'elsewhere' } });
    assert.throws(() => other.append(frame(visit.id, 1)), { reason: 'capture.recorded_elsewhere' });
    await assert.rejects(other.start(visit.id, clinician), { reason: 'capture.recorded_elsewhere' });
    assert.deepEqual(other.recoverInterrupted(), { interrupted: [], discarded: [] });
    assert.equal((await h.call<CaptureStatus>('capture:status', { visitId: visit.id })).capture, 'recording');
    await h.call('capture:stop', { visitId: visit.id });
    await other.close();
  });

  test('a recording whose process died is marked interrupted, and can be resumed into the same visit', async () => {
    const visit = await h.newVisit();
    const dead = h.otherService({ owner: { instance: 'crashed', pid: 2 ** 22 + 17, host: 'this-host' } });
    await dead.start(visit.id, clinician);
    for (let seq = 0; seq < 3; seq += 1) dead.append(frame(visit.id, seq));
    await dead.close(); // the process is gone; its lease would still run for seconds
    const survivor = h.otherService({ owner: { instance: 'restarted', pid: process.pid, host: 'this-host' }, isProcessAlive: () => false });
    assert.deepEqual(survivor.recoverInterrupted(), { interrupted: [visit.id], discarded: [] });
    const status = survivor.status(visit.id);
    assert.deepEqual(
      [status.visitState, status.capture, status.nextSeq, status.durationMs],
      ['recording_interrupted', 'interrupted', 3, 300],
    );
    assert.throws(() => survivor.append(frame(visit.id, 3)), { reason: 'capture.interrupted' });
    const resumed = await survivor.recover(visit.id, 'resume', clinician);
    assert.deepEqual([resumed.visitState, resumed.capture, resumed.nextSeq], ['recording', 'recording', 3]);
    assert.equal(survivor.append(frame(visit.id, 3)).durationMs, 400);
    await survivor.stop(visit.id, clinician);
    assert.deepEqual(auditActions(h, visit.id).slice(-4), [
      'capture.started',
      'capture.interrupted',
      'capture.recovered',
      'capture.stopped',
    ]);
    assert.equal([...h.scribe.audit.entries()].find((e) => e.action === 'capture.interrupted')?.actor, 'system');
    await survivor.close();
  });

  test('an interrupted recording can be finished as it is', async () => {
    const visit = await h.newVisit();
    const leaseMs = 50;
    const crashed = h.otherService({ owner: { instance: 'hung', pid: process.pid, host: 'other-host' }, leaseMs });
    await crashed.start(visit.id, clinician);
    crashed.append(frame(visit.id, 0));
    await crashed.close();
    const other = h.otherService({ owner: { instance: 'next', pid: process.pid, host: 'this-host' } });
    assert.equal(other.status(visit.id).capture, 'recording', 'the lease still runs');
    await new Promise((resolve) => setTimeout(resolve, leaseMs * 3));
    const finished = await other.recover(visit.id, 'finish', clinician);
    assert.deepEqual([finished.visitState, finished.capture, finished.durationMs], ['transcribing', 'stopped', 100]);
    await assert.rejects(other.recover(visit.id, 'resume', clinician), {
      reason: 'capture.not_recoverable',
      details: { state: 'transcribing' },
    });
    await other.close();
  });

  test('an import cut off by a crash is removed at the next start, leaving the visit as it was', async () => {
    const visit = await h.newVisit();
    const { createSqliteAudioRepository } = await import('../../../main/store/audio-repository.js');
    const audio = createSqliteAudioRepository(h.scribe.store);
    h.scribe.store.transaction(() => {
      audio.createTrack(
        visit.id,
        'importing',
        { instance: 'import-crashed', pid: 2 ** 22 + 19, host: 'gone' },
        new Date(Date.now() - 1000).toISOString(),
      );
      audio.appendChunk(visit.id, 0, distinctiveFrame(0), new Date(Date.now() - 1000).toISOString());
    });
    const reopened = h.reopen();
    try {
      const status = await reopened.call<CaptureStatus>('capture:status', { visitId: visit.id });
      assert.deepEqual([status.visitState, status.capture, status.chunks], ['not_started', 'idle', 0]);
      assert.ok([...reopened.scribe.audit.entries()].some((e) => e.action === 'audio.import_discarded' && e.objectId === visit.id));
    } finally {
      h = reopened;
    }
  });
});
