import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The tiny random-weight Whisper the tests make for themselves (./tiny-whisper.py), in the layout
 * transformers.js loads from a models folder. Needs Debian's python3-onnx and python3-numpy.
 */
export const PYTHON = '/usr/bin/python3';
export const GENERATOR = fileURLToPath(new URL('./tiny-whisper.py', import.meta.url));

export const tinyWhisperAvailable = spawnSync(PYTHON, ['-c', 'import onnx, numpy'], { encoding: 'utf8' }).status === 0;
export const TINY_WHISPER_MISSING =
  'python3-onnx and python3-numpy are not installed (apt-get install -y python3-onnx python3-numpy): the tiny Whisper model cannot be generated, so the local engine is not exercised.';

export interface TinyWhisperOptions {
  /** A fixed line the decoder says whatever it hears: "0.00>Why not?<1.00|1.20>Yes!<2.00". */
  readonly script?: string;
  /** Repeat the script's first line until the token limit (a hallucination loop). */
  readonly loop?: boolean;
  /** A high no-speech probability at the first step. */
  readonly noSpeech?: boolean;
  readonly seed?: number;
}

/** Writes the model to `root/name` and returns its folder. */
export function makeTinyWhisper(root: string, name: string, options: TinyWhisperOptions = {}): string {
  const dir = join(root, name);
  const args = [GENERATOR, dir];
  if (options.script) args.push('--script', options.script);
  if (options.loop) args.push('--loop');
  if (options.noSpeech) args.push('--no-speech');
  if (options.seed !== undefined) args.push('--seed', String(options.seed));
  const result = spawnSync(PYTHON, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tiny-whisper.py failed: ${result.stderr}`);
  return dir;
}
