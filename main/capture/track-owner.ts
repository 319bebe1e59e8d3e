import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { isProcessAlive } from '../kernel/process-alive.js';
import type { AudioTrack, TrackOwner } from '../store/audio-repository.js';

/**
 * Which process is recording a visit. A store may be opened by several processes at once (the app
 * and a `scribe` command), so "the app started and found a visit in 'recording'" does not mean the
 * recording died: it did when its owner's lease ran out, or, on this host, when its process is gone.
 */
export function thisProcessOwner(): TrackOwner {
  return { instance: randomUUID(), pid: process.pid, host: hostname() };
}

export function ownerIsGone(
  track: AudioTrack,
  self: TrackOwner,
  now: Date,
  processAlive: (pid: number) => boolean = isProcessAlive,
): boolean {
  const owner = track.owner;
  if (!owner) return true;
  if (owner.instance === self.instance) return false;
  if (!track.leaseUntil || Date.parse(track.leaseUntil) < now.getTime()) return true;
  // Same pid but another instance: a closed service in this process, or a recycled pid; the lease decides.
  return owner.host === self.host && owner.pid !== self.pid && !processAlive(owner.pid);
}
