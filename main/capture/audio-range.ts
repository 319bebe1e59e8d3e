import { CAPTURE_SAMPLE_RATE } from '../../shared/domain/capture.js';
import type { VisitId } from '../../shared/ids.js';
import type { Actor } from '../kernel/actor.js';
import type { CaptureService } from './capture-service.js';

/** The WAV header wavStream writes before the samples (RIFF, fmt, data: 44 bytes). */
const WAV_HEADER_BYTES = 44;

export interface AudioRangeResult {
  readonly visitId: VisitId;
  readonly sampleRate: typeof CAPTURE_SAMPLE_RATE;
  /** The range actually returned: clipped to the recording's end. */
  readonly fromMs: number;
  readonly toMs: number;
  /** The whole recording's stored length, so a player knows when to stop asking. */
  readonly totalMs: number;
  /** Base64 of 16 kHz mono Int16 little-endian samples. */
  readonly pcm: string;
}

/**
 * A short stretch of a visit's audio for playback in review (the contract caps it at a minute, so
 * the answer stays small). Read through the capture service's WAV stream, which records the
 * listening in the audit log.
 */
export async function readAudioRange(
  capture: CaptureService,
  visitId: VisitId,
  fromMs: number,
  toMs: number,
  actor: Actor,
): Promise<AudioRangeResult> {
  const totalMs = capture.status(visitId).durationMs;
  const wav = capture.openAudio(visitId, actor, { fromMs, toMs });
  const parts: Buffer[] = [];
  for await (const part of wav.stream as AsyncIterable<Buffer>) parts.push(part);
  const pcm = Buffer.concat(parts).subarray(WAV_HEADER_BYTES);
  const from = Math.min(fromMs, totalMs);
  return { visitId, sampleRate: CAPTURE_SAMPLE_RATE, fromMs: from, toMs: from + wav.durationMs, totalMs, pcm: pcm.toString('base64') };
}
