import type { ImportSummary } from '../../shared/domain/capture.js';
import { CAPTURE_SAMPLE_RATE } from '../../shared/domain/capture.js';
import type { Visit } from '../../shared/domain/visit.js';
import type { VisitId } from '../../shared/ids.js';
import type { Actor } from '../kernel/actor.js';
import { ScribeError } from '../kernel/errors.js';
import type { CaptureContext } from './capture-context.js';
import {
  AudioImportError,
  importFailed,
  importNeedsNewVisit,
  importTakenOver,
  visitChangedDuringImport,
  visitChangedMeanwhile,
} from './capture-errors.js';
import { samplesToMs } from './pcm.js';
import type { SegmentFollower } from './segment-follower.js';
import { openAudioSource } from './wav-file-source.js';

/** Imported audio is stored in 1 s chunks, several per transaction: few fsyncs, little memory. */
const CHUNK_SAMPLES = CAPTURE_SAMPLE_RATE;
const CHUNKS_PER_TRANSACTION = 8;

export interface ImportHooks {
  requireVisit(visitId: VisitId): Visit;
  sweepOne(visitId: VisitId): void;
}

/**
 * Imports an audio file into a visit that has no audio yet, streaming: the file is checked before
 * anything is stored, then decoded, resampled and stored a second at a time while the voice-activity
 * detector follows. The visit gains the audio only if the whole file went in: on any failure the
 * chunks already written are removed, and a process that dies mid-import leaves a track marked
 * 'importing' that the next start-up removes.
 */
export async function importAudioFile(
  ctx: CaptureContext,
  visitId: VisitId,
  file: string,
  actor: Actor,
  hooks: ImportHooks,
): Promise<ImportSummary> {
  const { store, audio, lifecycle, audit, logger, leases, followers } = ctx;
  const owner = leases.owner;
  const source = await openAudioSource(file);
  try {
    hooks.requireVisit(visitId);
    hooks.sweepOne(visitId);
    const state = hooks.requireVisit(visitId).state;
    if (state !== 'not_started' || audio.track(visitId)) {
      throw importNeedsNewVisit();
    }
    ctx.consent.requireFor(visitId);
    store.transaction(() => {
      if (audio.track(visitId)) throw visitChangedMeanwhile();
      audio.createTrack(visitId, 'importing', owner, leases.leaseUntil());
    });
    leases.hold(visitId);
    let follower: SegmentFollower | undefined;
    try {
      follower = await followers.follow(visitId);
      let seq = 0;
      let total = 0;
      // The same few chunk buffers for the whole file: each batch is sealed and written before they
      // are filled again, so garbage (and the process's memory) stays flat however long the file.
      const slots = Array.from({ length: CHUNKS_PER_TRANSACTION }, () => new Int16Array(CHUNK_SAMPLES));
      const lengths: number[] = [];
      let filled = 0;

      /**
       * Stores the full slots, then hands them to the detector, which runs in step with the import:
       * segments appear as it goes, and the audio is not read back and decrypted a second time.
       */
      const writeBatch = async () => {
        if (lengths.length === 0) return;
        const firstSample = total - lengths.reduce((sum, n) => sum + n, 0);
        store.transaction(() => {
          const track = audio.track(visitId);
          if (track?.status !== 'importing' || track.owner?.instance !== owner.instance) {
            throw importTakenOver();
          }
          lengths.forEach((length, slot) =>
            audio.appendChunk(visitId, seq++, Buffer.from(slots[slot]!.buffer, 0, length * 2), leases.leaseUntil()),
          );
        });
        let at = firstSample;
        for (const [slot, length] of lengths.entries()) {
          await follower?.consume(at, slots[slot]!.subarray(0, length));
          at += length;
        }
        lengths.length = 0;
      };

      for await (const block of source.blocks()) {
        for (let i = 0; i < block.length;) {
          const take = Math.min(CHUNK_SAMPLES - filled, block.length - i);
          slots[lengths.length]!.set(block.subarray(i, i + take), filled);
          filled += take;
          i += take;
          if (filled === CHUNK_SAMPLES) {
            lengths.push(filled);
            total += filled;
            filled = 0;
            if (lengths.length === CHUNKS_PER_TRANSACTION) await writeBatch();
          }
        }
      }
      if (filled > 0) {
        lengths.push(filled);
        total += filled;
      }
      await writeBatch();
      if (total === 0) throw new AudioImportError('no_audio', 'The file holds no audio. Nothing was imported.');

      if (follower) await follower.finish(total);
      const segmentsFinal = follower?.healthy ?? false;
      store.transaction(() => {
        const done =
          audio.updateTrack(
            visitId,
            { from: ['importing'], ownedBy: owner.instance },
            { status: 'stopped', owner: null, leaseUntil: null, segmentsFinal },
          ) && lifecycle.transition(visitId, 'not_started', 'transcribing');
        if (!done) throw visitChangedDuringImport();
        audit.append({ actor: actor.id, action: 'audio.imported', objectType: 'visit', objectId: visitId });
      });
      const summary: ImportSummary = {
        visitId,
        sourceFormat: source.formatName,
        sourceSampleRate: source.info.sampleRate,
        sourceChannels: source.info.channels,
        durationMs: samplesToMs(total),
        chunks: seq,
        segments: audio.segmentCount(visitId),
      };
      logger.info('capture.imported', {
        visitId,
        durationMs: summary.durationMs,
        chunks: summary.chunks,
        sampleRate: summary.sourceSampleRate,
      });
      return summary;
    } catch (error) {
      await followers.release(follower);
      follower = undefined;
      store.transaction(() => {
        const track = audio.track(visitId);
        if (track?.status === 'importing' && track.owner?.instance === owner.instance) {
          audio.deleteAudio(visitId);
          audio.deleteTrack(visitId);
        }
      });
      logger.warn('capture.import_failed', { visitId, error: error instanceof Error ? error.name : typeof error });
      if (error instanceof ScribeError) throw error;
      throw importFailed(error);
    } finally {
      await followers.release(follower);
      leases.letGo(visitId);
    }
  } finally {
    await source.close();
  }
}
