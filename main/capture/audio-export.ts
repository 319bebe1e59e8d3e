import { randomBytes } from 'node:crypto';
import { constants, createWriteStream, existsSync } from 'node:fs';
import { copyFile, link, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { VisitId } from '../../shared/ids.js';
import type { Actor } from '../kernel/actor.js';
import { ScribeError } from '../kernel/errors.js';
import type { AudioTrack } from '../store/audio-repository.js';
import type { WavStream } from './audio-reader.js';
import { wavStream } from './audio-reader.js';
import type { CaptureContext } from './capture-context.js';
import { audioNotFound, exportFileExists, exportNotWritten, exportWhileImporting } from './capture-errors.js';
import { visitNotFound } from '../store/errors.js';

export interface AudioRange {
  readonly fromMs?: number;
  readonly toMs?: number;
}

function readableTrack(ctx: CaptureContext, visitId: VisitId): AudioTrack {
  if (!ctx.visits.get(visitId)) throw visitNotFound();
  const track = ctx.audio.track(visitId);
  if (!track || track.sampleCount === 0) throw audioNotFound();
  if (track.status === 'importing') throw exportWhileImporting();
  return track;
}

/** The audio as a WAV stream from an offset (for playback in review), recorded in the audit log. */
export function openWavStream(ctx: CaptureContext, visitId: VisitId, actor: Actor, range: AudioRange = {}): WavStream {
  const track = readableTrack(ctx, visitId);
  ctx.audit.append({ actor: actor.id, action: 'audio.played', objectType: 'visit', objectId: visitId });
  return wavStream(ctx.audio, visitId, track.sampleCount, range.fromMs, range.toMs);
}

/**
 * Writes the audio to a new WAV file. The file appears complete or not at all (written beside it,
 * then hard-linked into place, which also refuses to replace an existing file), and only then is the
 * export recorded in the audit log.
 */
export async function exportWavFile(
  ctx: CaptureContext,
  visitId: VisitId,
  file: string,
  actor: Actor,
  range: AudioRange = {},
): Promise<{ durationMs: number }> {
  const track = readableTrack(ctx, visitId);
  if (existsSync(file)) throw exportFileExists();
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.partial`);
  const wav = wavStream(ctx.audio, visitId, track.sampleCount, range.fromMs, range.toMs);
  try {
    await pipeline(wav.stream, createWriteStream(temp, { flags: 'wx', mode: 0o600 }));
    await link(temp, file).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') throw error;
      // No hard links here (FAT/exFAT drives, some network shares): an exclusive copy still never overwrites.
      await copyFile(temp, file, constants.COPYFILE_EXCL);
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw exportFileExists();
    if (error instanceof ScribeError) throw error;
    throw exportNotWritten(error);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  ctx.audit.append({ actor: actor.id, action: 'audio.exported', objectType: 'visit', objectId: visitId });
  ctx.logger.info('capture.exported', { visitId, durationMs: wav.durationMs });
  return { durationMs: wav.durationMs };
}
