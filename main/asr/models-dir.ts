import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { AsrError } from './asr-error.js';
import type { WhisperDtype } from './whisper-protocol.js';

/**
 * Where speech models live. Nothing is ever downloaded at run time: a model is a folder in the
 * transformers.js layout (config.json, generation_config.json, preprocessor_config.json,
 * tokenizer.json, tokenizer_config.json, onnx/encoder_model*.onnx, onnx/decoder_model_merged*.onnx)
 * placed by `npm run models:fetch`, by IT, or shipped inside the installer (resources/models).
 */

const PRODUCT = 'Ambient Scribe';

/** The per-user models folder, beside the data folder's default (`…/Ambient Scribe/models`). */
export function defaultModelsDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT, 'models');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT, 'models');
  return join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), PRODUCT, 'models');
}

export interface ModelsSearch {
  /** `--models-dir`; when given (or SCRIBE_MODELS_DIR is), only that folder is used. */
  readonly modelsDir?: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
  /** A packaged app's resources folder (Electron's process.resourcesPath), holding bundled models. */
  readonly resourcesPath?: string | undefined;
}

/** The folders searched, in order. */
export function modelsSearchPath(search: ModelsSearch = {}): string[] {
  const env = search.env ?? process.env;
  const explicit = search.modelsDir ?? (env['SCRIBE_MODELS_DIR']?.trim() || undefined);
  if (explicit) return [explicit];
  const resourcesPath = search.resourcesPath ?? (process as { resourcesPath?: string }).resourcesPath;
  return [defaultModelsDir(env), ...(resourcesPath ? [join(resourcesPath, 'models')] : [])];
}

export interface InstalledModel {
  /** The folder under the models root, `/`-separated (what transformers.js is given). */
  readonly id: string;
  readonly root: string;
  readonly path: string;
  readonly dtype: WhisperDtype;
  readonly bytes: number;
  readonly multilingual: boolean;
}

const REQUIRED = ['config.json', 'generation_config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json'];
/** transformers.js file suffixes per dtype, in the order we prefer them for each part on a CPU. */
const ENCODER_CHOICES: readonly [WhisperDtype['encoder_model'], string][] = [
  ['fp32', ''],
  ['q8', '_quantized'],
  ['fp16', '_fp16'],
  ['int8', '_int8'],
  ['q4', '_q4'],
];
const DECODER_CHOICES: readonly [WhisperDtype['decoder_model_merged'], string][] = [
  ['q8', '_quantized'],
  ['fp32', ''],
  ['fp16', '_fp16'],
  ['int8', '_int8'],
  ['q4', '_q4'],
];
/** Better models first when several are installed and none is named. */
const PREFERENCE = ['whisper-base.en', 'whisper-small.en', 'whisper-base', 'whisper-small', 'whisper-tiny.en', 'whisper-tiny'];

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The model in `path`, or why it is not a usable Whisper model. */
export function inspectModel(root: string, path: string): InstalledModel | { problem: string } {
  const missing = REQUIRED.filter((file) => !existsSync(join(path, file)));
  if (missing.length > 0) return { problem: `missing ${missing.join(', ')}` };
  const config = readJson(join(path, 'config.json')) as { model_type?: unknown } | undefined;
  if (config?.model_type !== 'whisper') return { problem: 'config.json is not a Whisper model' };
  const file = (name: string) => join(path, 'onnx', name);
  const encoder = ENCODER_CHOICES.find(([, suffix]) => existsSync(file(`encoder_model${suffix}.onnx`)));
  const decoder = DECODER_CHOICES.find(([, suffix]) => existsSync(file(`decoder_model_merged${suffix}.onnx`)));
  if (!encoder || !decoder) return { problem: 'onnx/encoder_model*.onnx or onnx/decoder_model_merged*.onnx is missing' };
  const generation = readJson(join(path, 'generation_config.json')) as { is_multilingual?: unknown } | undefined;
  const bytes = statSync(file(`encoder_model${encoder[1]}.onnx`)).size + statSync(file(`decoder_model_merged${decoder[1]}.onnx`)).size;
  return {
    id: relative(root, path).split(sep).join('/'),
    root,
    path,
    dtype: { encoder_model: encoder[0], decoder_model_merged: decoder[0] },
    bytes,
    multilingual: generation?.is_multilingual === true,
  };
}

const isModel = (value: InstalledModel | { problem: string }): value is InstalledModel => !('problem' in value);

/** Whisper models in a models folder: `root/name/` or `root/owner/name/` (the Hub's layout). */
export function findWhisperModels(root: string): InstalledModel[] {
  if (!existsSync(root)) return [];
  const found: InstalledModel[] = [];
  const folders = (dir: string) => {
    try {
      return readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
        .map((e) => join(dir, e.name));
    } catch {
      return [];
    }
  };
  for (const first of folders(root)) {
    if (existsSync(join(first, 'config.json'))) {
      const model = inspectModel(root, first);
      if (isModel(model)) found.push(model);
      continue;
    }
    for (const second of folders(first)) {
      const model = inspectModel(root, second);
      if (isModel(model)) found.push(model);
    }
  }
  const rank = (m: InstalledModel) => {
    const name = m.id.split('/').pop() ?? m.id;
    const at = PREFERENCE.indexOf(name);
    return at < 0 ? PREFERENCE.length : at;
  };
  return found.sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id));
}

export const MODELS_FETCH_HINT =
  'run `npm run models:fetch` on a machine with internet access (it downloads a pinned Whisper model and checks its SHA-256) and copy the folder here, or point SCRIBE_MODELS_DIR / --models-dir at a folder holding a Whisper ONNX model';

/** The model to use: the one named (a folder id), else the preferred installed one; a clear error otherwise. */
export function resolveWhisperModel(dirs: readonly string[], preferred?: string): InstalledModel {
  for (const root of dirs) {
    if (preferred) {
      const named = inspectModel(root, join(root, ...preferred.split('/')));
      if (isModel(named)) return named;
      continue;
    }
    const first = findWhisperModels(root)[0];
    if (first) return first;
  }
  const where = dirs.join(', ');
  const what = preferred ? `The speech model "${preferred}" is not installed` : 'No speech recognition model is installed';
  throw new AsrError('model_not_installed', `${what} (looked in ${where}): ${MODELS_FETCH_HINT}.`);
}

/** A short name for status and the record: the folder's last part (e.g. whisper-base.en). */
export const modelDisplayName = (model: InstalledModel) => model.id.split('/').pop() ?? model.id;
