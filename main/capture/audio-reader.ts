import { Readable } from 'node:stream';
import { CAPTURE_SAMPLE_RATE } from '../../shared/domain/capture.js';
import type { VisitId } from '../../shared/ids.js';
import type { AudioRepository } from '../store/audio-repository.js';
import { msToSamples } from './pcm.js';
import { wavHeader } from './wav-header.js';

export interface SampleRange {
  readonly fromSample: number;
  /** Exclusive; beyond the end of the recording means up to its end. */
  readonly toSample: number;
}

/**
 * A visit's stored audio as 16 kHz mono Int16 LE bytes, from any sample on, a page of chunks at a
 * time. No query stays open between pages (better-sqlite3 would block the connection), and only one
 * page is in memory, whatever the length of the recording.
 */
export function* pcmPages(audio: AudioRepository, visitId: VisitId, range: SampleRange, pageChunks = 32): Generator<Buffer> {
  let position = Math.max(0, range.fromSample);
  while (position < range.toSample) {
    const chunks = audio.chunksFrom(visitId, position, pageChunks);
    const parts: Buffer[] = [];
    for (const chunk of chunks) {
      const chunkEnd = chunk.startSample + chunk.sampleCount;
      if (chunkEnd <= position) continue;
      const from = Math.max(0, position - chunk.startSample);
      const to = Math.min(chunk.sampleCount, range.toSample - chunk.startSample);
      if (to <= from) break;
      parts.push(chunk.pcm.subarray(from * 2, to * 2));
      position = chunk.startSample + to;
      if (position >= range.toSample) break;
    }
    if (parts.length === 0) return;
    yield Buffer.concat(parts);
  }
}

export interface WavStream {
  readonly stream: Readable;
  readonly sampleCount: number;
  readonly durationMs: number;
}

/**
 * The recording (or the part from `fromMs`) as a WAV file stream, sized from the recording as it is
 * now: audio appended while it is read is not included, so the header never lies.
 */
export function wavStream(audio: AudioRepository, visitId: VisitId, totalSamples: number, fromMs = 0, toMs?: number): WavStream {
  const fromSample = Math.min(totalSamples, msToSamples(fromMs));
  const toSample = toMs === undefined ? totalSamples : Math.min(totalSamples, Math.max(fromSample, msToSamples(toMs)));
  const sampleCount = toSample - fromSample;
  function* bytes(): Generator<Buffer> {
    yield wavHeader(CAPTURE_SAMPLE_RATE, 1, sampleCount * 2);
    let written = 0;
    for (const page of pcmPages(audio, visitId, { fromSample, toSample })) {
      written += page.length / 2;
      yield page;
    }
    // Chunks are gap-free by construction; a shortfall means the store changed underneath us.
    if (written !== sampleCount) throw new Error('stored audio ended before the length its track records');
  }
  return {
    stream: Readable.from(bytes(), { objectMode: false }),
    sampleCount,
    durationMs: Math.round(sampleCount / (CAPTURE_SAMPLE_RATE / 1000)),
  };
}
