import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { createCaptureConsent } from '../../../main/capture/capture-consent.js';
import { createInterruptedRecordings } from '../../../main/capture/interrupted-recordings.js';
import { createSegmentFollowers } from '../../../main/capture/segment-followers.js';
import type { ActiveTrack } from '../../../main/capture/track-leases.js';
import { createTrackLeases } from '../../../main/capture/track-leases.js';
import { noVad } from '../../../main/capture/vad-provider.js';
import { createSqliteAudioRepository } from '../../../main/store/audio-repository.js';
import type { AudioRepository, TrackOwner } from '../../../main/store/audio-repository.js';
import { createSqliteConsentRepository } from '../../../main/store/consent-repository.js';
import { createSqliteVisitRepository } from '../../../main/store/visit-repository.js';
import { createVisitLifecycle } from '../../../main/visits/lifecycle.js';
import type { VisitId } from '../../../shared/ids.js';
import { energyVad, eventually, speechLike } from '../../helpers/asr-harness.js';
import type { CaptureHarness } from '../../helpers/capture-harness.js';
import { clinician, openCaptureHarness } from '../../helpers/capture-harness.js';
import { SENTINEL } from '../../helpers/temp-store.js';

// Each part of the capture service on its own, against a real store.

const otherOwner = (pid = 999_999): TrackOwner => ({ instance: `other-${pid}`, pid, host: 'elsewhere.example' });
const hasReason = (reason: string) => (e: unknown) => e instanceof Error && 'reason' in e && e.reason === reason;

let h: CaptureHarness;
let audio: AudioRepository;
beforeAll(() => {
  h = openCaptureHarness();
  audio = createSqliteAudioRepository(h.scribe.store);
});
afterAll(() => h.cleanup());

function auditActions(harness: CaptureHarness, visitId: string): string[] {
  return [...harness.scribe.audit.entries()].filter((e) => e.objectId === visitId).map((e) => e.action);
}

describe('track leases', () => {
  test('a held track has its lease renewed on the heartbeat; letting go stops the renewals', async () => {
    const owner = otherOwner(1);
    const lost: VisitId[] = [];
    const leases = createTrackLeases({
      store: h.scribe.store,
      audio,
      logger: h.logger,
      owner,
      leaseMs: 60_000,
      heartbeatMs: 20,
      onLost: (visitId) => lost.push(visitId),
    });
    try {
      const visit = await h.newVisit();
      audio.createTrack(visit.id, 'recording', owner, new Date(Date.now() + 1_000).toISOString());
      const first = audio.track(visit.id)!.leaseUntil!;
      const entry = leases.hold(visit.id);
      assert.equal(leases.held(visit.id), entry);
      await eventually(() => Date.parse(audio.track(visit.id)!.leaseUntil!) > Date.parse(first) + 30_000, 2_000, 'the lease to be renewed');

      assert.equal(leases.letGo(visit.id), entry);
      assert.equal(leases.held(visit.id), undefined);
      const last = audio.track(visit.id)!.leaseUntil;
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(audio.track(visit.id)!.leaseUntil, last, 'no renewal once let go');
      assert.deepEqual(lost, []);
    } finally {
      leases.close();
    }
  });

  test('a track another process took over is let go at the next renewal, its entry handed to onLost', async () => {
    const lost: [VisitId, ActiveTrack][] = [];
    const owner = otherOwner(2);
    const leases = createTrackLeases({
      store: h.scribe.store,
      audio,
      logger: h.logger,
      owner,
      leaseMs: 60_000,
      heartbeatMs: 60_000,
      onLost: (visitId, entry) => lost.push([visitId, entry]),
    });
    try {
      const visit = await h.newVisit();
      audio.createTrack(visit.id, 'recording', owner, new Date().toISOString());
      const entry = leases.hold(visit.id);
      assert.ok(audio.updateTrack(visit.id, { from: ['recording'] }, { owner: otherOwner(3) }));
      leases.renew();
      assert.deepEqual(lost, [[visit.id, entry]]);
      assert.equal(leases.held(visit.id), undefined);
      assert.equal(audio.track(visit.id)!.owner?.instance, otherOwner(3).instance, "the other process's lease is not touched");
      assert.match(h.logger.lines.join('\n'), /capture\.lease_lost/);
    } finally {
      leases.close();
    }
  });
});

describe('interrupted recordings', () => {
  test('a recording whose process is gone becomes interrupted with its visit; an unfinished import is removed; a live one is left alone', async () => {
    // A store of its own: the sweep looks at every track in it.
    const own = openCaptureHarness();
    try {
      const store = own.scribe.store;
      const audio = createSqliteAudioRepository(store);
      const lifecycle = createVisitLifecycle({ store });
      const self: TrackOwner = { instance: 'self', pid: process.pid, host: 'this-host' };
      const deadHere: TrackOwner = { instance: 'dead', pid: 4_000_001, host: 'this-host' };
      const sweep = createInterruptedRecordings({
        store,
        audio,
        lifecycle,
        audit: own.scribe.audit,
        logger: own.logger,
        owner: self,
        isProcessAlive: (pid) => pid !== deadHere.pid,
      });
      const farFuture = new Date(Date.now() + 3_600_000).toISOString();

      const died = await own.newVisit();
      lifecycle.transition(died.id, 'not_started', 'recording');
      audio.createTrack(died.id, 'recording', deadHere, farFuture);
      const importing = await own.newVisit();
      audio.createTrack(importing.id, 'importing', deadHere, farFuture);
      audio.appendChunk(importing.id, 0, Buffer.alloc(3_200), farFuture);
      const live = await own.newVisit();
      lifecycle.transition(live.id, 'not_started', 'recording');
      audio.createTrack(live.id, 'recording', otherOwner(4), farFuture);

      sweep.check(live.id);
      assert.equal(audio.track(live.id)!.status, 'recording');
      const result = sweep.checkAll();
      assert.deepEqual(result.interrupted, [died.id]);
      assert.deepEqual(result.discarded, [importing.id]);
      assert.equal(audio.track(died.id)!.status, 'interrupted');
      assert.equal(store.db.prepare('SELECT state FROM visits WHERE id = ?').pluck().get(died.id), 'recording_interrupted');
      assert.equal(audio.track(importing.id), undefined);
      assert.equal(audio.track(live.id)!.status, 'recording');
      assert.ok(auditActions(own, died.id).includes('capture.interrupted'));
      assert.ok(auditActions(own, importing.id).includes('audio.import_discarded'));
      assert.deepEqual(sweep.checkAll(), { interrupted: [], discarded: [] }, 'a second sweep finds nothing more');
    } finally {
      own.cleanup();
    }
  });
});

describe('consent', () => {
  const consentFor = (required: () => boolean) =>
    createCaptureConsent({
      store: h.scribe.store,
      visits: createSqliteVisitRepository(h.scribe.store),
      consents: createSqliteConsentRepository(h.scribe.store),
      audit: h.scribe.audit,
      logger: h.logger,
      requireConsent: required,
    });

  test('is asked for only while policy requires it; once recorded, its summary names no one', async () => {
    let required = true;
    const consent = consentFor(() => required);
    const visit = await h.newVisit({ consent: false });
    assert.throws(() => consent.requireFor(visit.id), hasReason('capture.consent_required'));
    required = false;
    assert.equal(consent.required(), false);
    consent.requireFor(visit.id);
    required = true;

    consent.record({ visitId: visit.id, method: 'verbal', givenBy: 'guardian', representativeName: SENTINEL.name }, clinician);
    consent.requireFor(visit.id);
    const summary = consent.summary(visit.id)!;
    assert.deepEqual([summary.method, summary.givenBy, summary.confirmedBy], ['verbal', 'guardian', clinician.id]);
    assert.ok(!JSON.stringify(summary).includes(SENTINEL.name));
    assert.ok(auditActions(h, visit.id).includes('consent.recorded'));
  });

  test('refuses consent from the future, a representative without a name, and an unknown visit', async () => {
    const consent = consentFor(() => true);
    const visit = await h.newVisit({ consent: false });
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    assert.throws(
      () => consent.record({ visitId: visit.id, method: 'verbal', givenBy: 'patient', obtainedAt: inAnHour }, clinician),
      hasReason('consent.time_in_future'),
    );
    assert.throws(
      () => consent.record({ visitId: visit.id, method: 'verbal', givenBy: 'representative' }, clinician),
      hasReason('consent.representative_name_missing'),
    );
    assert.throws(
      () => consent.record({ visitId: 'no-such-visit' as VisitId, method: 'verbal', givenBy: 'patient' }, clinician),
      hasReason('visit.not_found'),
    );
    assert.equal(consent.summary(visit.id), null);
    const withinSkew = new Date(Date.now() + 60_000).toISOString();
    assert.equal(
      consent.record({ visitId: visit.id, method: 'verbal', givenBy: 'patient', obtainedAt: withinSkew }, clinician).obtainedAt,
      withinSkew,
    );
  });
});

describe('segment followers', () => {
  test('finishing a stopped recording stores its segments once, marks them final, and announces each', async () => {
    const announced: number[] = [];
    const off = h.scribe.events.on('capture:segment', ({ index }) => announced.push(index));
    const followers = createSegmentFollowers({ audio, vad: energyVad(), events: h.scribe.events, logger: h.logger, segmenter: undefined });
    try {
      const visit = await h.newVisit();
      const owner = otherOwner(5);
      audio.createTrack(visit.id, 'recording', owner, new Date().toISOString());
      const samples = Int16Array.from([...speechLike(1.5), ...new Int16Array(16_000), ...speechLike(1.5, 2), ...new Int16Array(16_000)]);
      for (let seq = 0, i = 0; i < samples.length; seq += 1, i += 16_000) {
        const part = samples.subarray(i, i + 16_000);
        audio.appendChunk(visit.id, seq, Buffer.from(part.buffer, part.byteOffset, part.byteLength), new Date().toISOString());
      }
      audio.updateTrack(visit.id, { from: ['recording'] }, { status: 'stopped', owner: null, leaseUntil: null });

      const [a, b] = [followers.finish(visit.id), followers.finish(visit.id)];
      assert.equal(a, b, 'one finishing run per visit at a time');
      await a;
      assert.equal(audio.track(visit.id)!.segmentsFinal, true);
      assert.equal(audio.segmentCount(visit.id), 2);
      assert.deepEqual(announced, [0, 1]);
    } finally {
      off();
      await followers.close();
    }
  });

  test('without a model there is no follower and segments are not marked final; once closed, none is made', async () => {
    const visit = await h.newVisit();
    audio.createTrack(visit.id, 'stopped', otherOwner(6), new Date().toISOString());
    const without = createSegmentFollowers({ audio, vad: noVad, events: h.scribe.events, logger: h.logger, segmenter: undefined });
    assert.equal(await without.follow(visit.id), undefined);
    await without.finish(visit.id);
    assert.equal(audio.track(visit.id)!.segmentsFinal, false);

    const closing = createSegmentFollowers({ audio, vad: energyVad(), events: h.scribe.events, logger: h.logger, segmenter: undefined });
    const follower = await closing.follow(visit.id);
    assert.ok(follower);
    await closing.close();
    assert.equal(await closing.follow(visit.id), undefined);
  });
});
