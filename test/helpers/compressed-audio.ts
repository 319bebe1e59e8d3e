/**
 * Compressed test audio, made at test time from an espeak-ng WAV with ffmpeg (Debian's `ffmpeg`
 * package): the real encoders (libFLAC, LAME, libopus, libvorbis) and muxers users' files come from.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

export const ffmpegMissing: string | undefined =
  spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0 ? undefined : 'ffmpeg is not installed (apt-get install ffmpeg)';

/** Encodes `wav` into `out` with the given ffmpeg output options (codec, rate, channels). */
export function encode(wav: string, out: string, options: readonly string[]): string {
  const result = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', wav, ...options, out], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ffmpeg failed: ${result.stderr}`);
  return out;
}

/** The file cut just past its middle: what a copy interrupted half-way leaves. */
export function truncateFile(file: string, out: string): string {
  const bytes = readFileSync(file);
  writeFileSync(out, bytes.subarray(0, Math.floor(bytes.length / 2) + 7));
  return out;
}

/** 3000 bytes in the middle overwritten with noise: a bad sector, a broken download. */
export function corruptFile(file: string, out: string): string {
  const bytes = Buffer.from(readFileSync(file));
  const at = Math.floor(bytes.length / 2);
  for (let i = at; i < Math.min(bytes.length, at + 3000); i += 1) bytes[i] = (i * 7919 + 13) & 0xff;
  writeFileSync(out, bytes);
  return out;
}
