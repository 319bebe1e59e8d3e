import type { CaptureGap, SpeechSegment } from '../../shared/domain/capture.js';
import type { VisitId } from '../../shared/ids.js';
import { randomBytes } from 'node:crypto';
import { open, seal } from './envelope.js';
import { IntegrityError } from './errors.js';
import type { Store } from './store.js';

export type TrackStatus = 'recording' | 'paused' | 'interrupted' | 'importing' | 'stopped';

/** The process that writes a track: liveness is judged by its lease, and on this host by its pid. */
export interface TrackOwner {
  readonly instance: string;
  readonly pid: number;
  readonly host: string;
}

/** One visit's recording: its state, counters and owner. Holds no PHI. */
export interface AudioTrack {
  readonly visitId: VisitId;
  readonly status: TrackStatus;
  readonly nextSeq: number;
  readonly sampleCount: number;
  readonly chunkCount: number;
  readonly segmentsFinal: boolean;
  readonly owner: TrackOwner | undefined;
  readonly leaseUntil: string | undefined;
  readonly startedAt: string;
  readonly updatedAt: string;
}

/** A chunk as read back: decrypted 16 kHz mono Int16 LE samples and their place in the recording. */
export interface AudioChunk {
  readonly seq: number;
  readonly startSample: number;
  readonly sampleCount: number;
  readonly pcm: Buffer;
}

export interface TrackCondition {
  readonly from: readonly TrackStatus[];
  /** An owner's instance id: a process never changes a track another process has taken over. */
  readonly ownedBy?: string;
}

export interface TrackChange {
  readonly status?: TrackStatus;
  /** null clears the owner (a stopped or interrupted track belongs to nobody). */
  readonly owner?: TrackOwner | null;
  readonly leaseUntil?: string | null;
  readonly segmentsFinal?: boolean;
}

/**
 * Storage of visit audio: encrypted chunks (each bound by its AAD to its visit and sequence number),
 * the track row that counts them, and the speech segments found in them. Services use this
 * interface, never SQL; callers wrap writes that belong together in `store.transaction`.
 */
export interface AudioRepository {
  track(visitId: VisitId): AudioTrack | undefined;
  tracksWithStatus(statuses: readonly TrackStatus[]): AudioTrack[];
  createTrack(visitId: VisitId, status: TrackStatus, owner: TrackOwner, leaseUntil: string): void;
  /** Changes the track only while it is in one of `where.from` (and owned by `where.ownedBy`); returns whether it did. */
  updateTrack(visitId: VisitId, where: TrackCondition, change: TrackChange): boolean;
  deleteTrack(visitId: VisitId): void;
  /** Stores one chunk at the end of the recording and advances the track's counters. */
  appendChunk(visitId: VisitId, seq: number, pcm: Buffer, leaseUntil: string): { readonly startSample: number };
  chunk(visitId: VisitId, seq: number): AudioChunk | undefined;
  /** Up to `limit` chunks in order, the first being the one that holds `fromSample`. */
  chunksFrom(visitId: VisitId, fromSample: number, limit: number): AudioChunk[];
  gaps(visitId: VisitId): CaptureGap[];
  /** Removes all audio, segments and the audio key of a visit (an import that did not complete). */
  deleteAudio(visitId: VisitId): void;
  /**
   * Crypto-erasure of a visit's audio: its key first, then its chunks, segments and track. Returns the
   * number of chunks deleted. Freed pages are zeroed by `secure_delete` (main/store/store.ts); the
   * caller checkpoints the WAL afterwards (main/store/wal-scrub.ts).
   */
  destroyAudio(visitId: VisitId): { readonly chunks: number };
  segments(visitId: VisitId, afterIndex?: number): SpeechSegment[];
  segmentCount(visitId: VisitId): number;
  lastSegment(visitId: VisitId): SpeechSegment | undefined;
  insertSegment(visitId: VisitId, segment: SpeechSegment): void;
}

interface TrackRow {
  visit_id: string;
  status: TrackStatus;
  next_seq: number;
  sample_count: number;
  chunk_count: number;
  segments_final: number;
  owner_instance: string | null;
  owner_pid: number | null;
  owner_host: string | null;
  lease_until: string | null;
  started_at: string;
  updated_at: string;
}

interface ChunkRow {
  seq: number;
  start_sample: number;
  sample_count: number;
  pcm: Buffer;
  sealed_by: 'data-key' | 'visit-key';
}

const toTrack = (row: TrackRow): AudioTrack => ({
  visitId: row.visit_id as VisitId,
  status: row.status,
  nextSeq: row.next_seq,
  sampleCount: row.sample_count,
  chunkCount: row.chunk_count,
  segmentsFinal: row.segments_final === 1,
  owner:
    row.owner_instance !== null && row.owner_pid !== null && row.owner_host !== null
      ? { instance: row.owner_instance, pid: row.owner_pid, host: row.owner_host }
      : undefined,
  leaseUntil: row.lease_until ?? undefined,
  startedAt: row.started_at,
  updatedAt: row.updated_at,
});

const toSegment = (row: { idx: number; start_ms: number; end_ms: number }): SpeechSegment => ({
  index: row.idx,
  startMs: row.start_ms,
  endMs: row.end_ms,
});

const inList = (values: readonly unknown[]) => values.map(() => '?').join(', ');

export function createSqliteAudioRepository(store: Store): AudioRepository {
  const { db, cipher, clock } = store;
  const now = () => clock.now().toISOString();
  // The AAD names visit and sequence number: a chunk copied to another visit or place fails to open.
  const at = (visitId: string, seq: number) => ({ table: 'audio_chunks', rowId: `${visitId}/${seq}`, column: 'pcm' });
  // Each visit's chunks are sealed with its own random key, itself sealed under the data key: destroying
  // that one row makes the visit's audio unreadable wherever its chunks' bytes may still lie.
  const keyAt = (visitId: string) => ({ table: 'audio_keys', rowId: visitId, column: 'wrapped' });
  const selectKey = db.prepare('SELECT wrapped FROM audio_keys WHERE visit_id = ?');
  const insertKey = db.prepare('INSERT INTO audio_keys (visit_id, wrapped, created_at) VALUES (?, ?, ?)');
  const deleteKey = db.prepare('DELETE FROM audio_keys WHERE visit_id = ?');
  const visitKey = (visitId: string): Buffer | undefined => {
    const row = selectKey.get(visitId) as { wrapped: Buffer } | undefined;
    return row ? cipher.open(row.wrapped, keyAt(visitId)) : undefined;
  };
  const visitKeyForWriting = (visitId: string): Buffer => {
    const existing = visitKey(visitId);
    if (existing) return existing;
    const key = randomBytes(32);
    insertKey.run(visitId, cipher.seal(key, keyAt(visitId)), now());
    return key;
  };

  const selectTrack = db.prepare('SELECT * FROM audio_tracks WHERE visit_id = ?');
  const insertTrack = db.prepare(
    `INSERT INTO audio_tracks (visit_id, status, next_seq, sample_count, chunk_count, segments_final, owner_instance, owner_pid, owner_host, lease_until, started_at, updated_at)
     VALUES (?, ?, 0, 0, 0, 0, ?, ?, ?, ?, ?, ?)`,
  );
  const insertChunk = db.prepare(
    "INSERT INTO audio_chunks (visit_id, seq, start_sample, sample_count, pcm, sealed_by) VALUES (?, ?, ?, ?, ?, 'visit-key')",
  );
  const advanceTrack = db.prepare(
    `UPDATE audio_tracks SET next_seq = ?, sample_count = sample_count + ?, chunk_count = chunk_count + 1, lease_until = ?, updated_at = ?
     WHERE visit_id = ?`,
  );
  const selectChunk = db.prepare('SELECT seq, start_sample, sample_count, pcm, sealed_by FROM audio_chunks WHERE visit_id = ? AND seq = ?');
  // Two index range scans on (visit_id, start_sample): the chunk holding the sample, then those after it.
  const selectChunksFrom = db.prepare(
    `SELECT seq, start_sample, sample_count, pcm, sealed_by FROM audio_chunks
     WHERE visit_id = ? AND start_sample >= (
       SELECT COALESCE(MAX(start_sample), 0) FROM audio_chunks WHERE visit_id = ? AND start_sample <= ?
     )
     ORDER BY start_sample LIMIT ?`,
  );
  const selectGaps = db.prepare(
    `SELECT prev_seq, seq FROM (
       SELECT seq, LAG(seq, 1, -1) OVER (ORDER BY seq) AS prev_seq FROM audio_chunks WHERE visit_id = ?
     ) AS ordered WHERE seq - prev_seq > 1 ORDER BY seq`,
  );
  const selectSegments = db.prepare('SELECT idx, start_ms, end_ms FROM speech_segments WHERE visit_id = ? AND idx > ? ORDER BY idx');
  const countSegments = db.prepare('SELECT COUNT(*) AS n FROM speech_segments WHERE visit_id = ?');
  const selectLastSegment = db.prepare('SELECT idx, start_ms, end_ms FROM speech_segments WHERE visit_id = ? ORDER BY idx DESC LIMIT 1');
  const insertSegmentRow = db.prepare('INSERT INTO speech_segments (visit_id, idx, start_ms, end_ms) VALUES (?, ?, ?, ?)');

  // Chunks stored before per-visit keys (migration 010) are sealed with the data key and read as before.
  const decodeChunk = (visitId: string, row: ChunkRow, key: () => Buffer | undefined): AudioChunk => {
    const where = at(visitId, row.seq);
    let pcm: Buffer;
    if (row.sealed_by === 'data-key') pcm = cipher.open(row.pcm, where);
    else {
      const visitKeyBytes = key();
      if (!visitKeyBytes) throw new IntegrityError(keyAt(visitId));
      pcm = open(visitKeyBytes, row.pcm, where);
    }
    return { seq: row.seq, startSample: row.start_sample, sampleCount: row.sample_count, pcm };
  };
  // One unwrap per read, however many chunks it returns.
  const keyOnce = (visitId: string) => {
    let key: Buffer | undefined | null = null;
    return () => (key === null ? (key = visitKey(visitId)) : key);
  };

  return {
    track(visitId) {
      const row = selectTrack.get(visitId) as TrackRow | undefined;
      return row ? toTrack(row) : undefined;
    },
    tracksWithStatus(statuses) {
      if (statuses.length === 0) return [];
      const rows = db
        .prepare(`SELECT * FROM audio_tracks WHERE status IN (${inList(statuses)}) ORDER BY visit_id`)
        .all(...statuses) as TrackRow[];
      return rows.map(toTrack);
    },
    createTrack(visitId, status, owner, leaseUntil) {
      const time = now();
      insertTrack.run(visitId, status, owner.instance, owner.pid, owner.host, leaseUntil, time, time);
    },
    updateTrack(visitId, { from, ownedBy }, change) {
      const sets = ['updated_at = ?'];
      const params: unknown[] = [now()];
      if (change.status !== undefined) {
        sets.push('status = ?');
        params.push(change.status);
      }
      if (change.owner !== undefined) {
        sets.push('owner_instance = ?', 'owner_pid = ?', 'owner_host = ?');
        params.push(change.owner?.instance ?? null, change.owner?.pid ?? null, change.owner?.host ?? null);
      }
      if (change.leaseUntil !== undefined) {
        sets.push('lease_until = ?');
        params.push(change.leaseUntil);
      }
      if (change.segmentsFinal !== undefined) {
        sets.push('segments_final = ?');
        params.push(change.segmentsFinal ? 1 : 0);
      }
      const owned = ownedBy === undefined ? '' : ' AND owner_instance = ?';
      const sql = `UPDATE audio_tracks SET ${sets.join(', ')} WHERE visit_id = ? AND status IN (${inList(from)})${owned}`;
      const condition = ownedBy === undefined ? [visitId, ...from] : [visitId, ...from, ownedBy];
      return from.length > 0 && db.prepare(sql).run(...params, ...condition).changes === 1;
    },
    deleteTrack(visitId) {
      db.prepare('DELETE FROM audio_tracks WHERE visit_id = ?').run(visitId);
    },
    appendChunk(visitId, seq, pcm, leaseUntil) {
      const row = selectTrack.get(visitId) as TrackRow | undefined;
      if (!row) throw new Error('appendChunk without a track');
      const startSample = row.sample_count;
      insertChunk.run(visitId, seq, startSample, pcm.length / 2, seal(visitKeyForWriting(visitId), pcm, at(visitId, seq)));
      advanceTrack.run(seq + 1, pcm.length / 2, leaseUntil, now(), visitId);
      return { startSample };
    },
    chunk(visitId, seq) {
      const row = selectChunk.get(visitId, seq) as ChunkRow | undefined;
      return row ? decodeChunk(visitId, row, keyOnce(visitId)) : undefined;
    },
    chunksFrom(visitId, fromSample, limit) {
      const key = keyOnce(visitId);
      return (selectChunksFrom.all(visitId, visitId, fromSample, limit) as ChunkRow[]).map((row) => decodeChunk(visitId, row, key));
    },
    gaps(visitId) {
      return (selectGaps.all(visitId) as { prev_seq: number; seq: number }[]).map((g) => ({
        afterSeq: g.prev_seq,
        missing: g.seq - g.prev_seq - 1,
      }));
    },
    deleteAudio(visitId) {
      deleteKey.run(visitId);
      db.prepare('DELETE FROM speech_segments WHERE visit_id = ?').run(visitId);
      db.prepare('DELETE FROM audio_chunks WHERE visit_id = ?').run(visitId);
    },
    destroyAudio(visitId) {
      return store.transaction(() => {
        deleteKey.run(visitId);
        const { changes } = db.prepare('DELETE FROM audio_chunks WHERE visit_id = ?').run(visitId);
        db.prepare('DELETE FROM speech_segments WHERE visit_id = ?').run(visitId);
        db.prepare('DELETE FROM audio_tracks WHERE visit_id = ?').run(visitId);
        return { chunks: changes };
      });
    },
    segments(visitId, afterIndex = -1) {
      return (selectSegments.all(visitId, afterIndex) as { idx: number; start_ms: number; end_ms: number }[]).map(toSegment);
    },
    segmentCount(visitId) {
      return (countSegments.get(visitId) as { n: number }).n;
    },
    lastSegment(visitId) {
      const row = selectLastSegment.get(visitId) as { idx: number; start_ms: number; end_ms: number } | undefined;
      return row ? toSegment(row) : undefined;
    },
    insertSegment(visitId, segment) {
      insertSegmentRow.run(visitId, segment.index, segment.startMs, segment.endMs);
    },
  };
}
