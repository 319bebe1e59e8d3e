import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { packageRoot } from '../kernel/app-identity.js';
import { vadModelMissing } from './capture-errors.js';

export const SILERO_MODEL_FILE = 'silero_vad_v5.onnx';
const PACKAGE = '@ricky0123/vad-web';

export interface ModelSearch {
  /** An explicit file (machine policy or a test); when given, only it is tried. */
  readonly override?: string | undefined;
  /** A packaged app's resources folder; defaults to Electron's `process.resourcesPath` when there is one. */
  readonly resourcesPath?: string | undefined;
}

/** Where the model may be, in order: installed package, this checkout, a packaged app's resources. */
export function sileroModelCandidates(search: ModelSearch = {}): string[] {
  if (search.override) return [search.override];
  // Electron sets process.resourcesPath; plain Node (CLI, tests) has none.
  const resourcesPath = search.resourcesPath ?? (process as { resourcesPath?: string }).resourcesPath;
  const candidates: string[] = [];
  try {
    const manifest = createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`);
    candidates.push(join(dirname(manifest), 'dist', SILERO_MODEL_FILE));
  } catch {
    // Not resolvable (a bundled build): the fixed places below still apply.
  }
  candidates.push(join(packageRoot, 'node_modules', ...PACKAGE.split('/'), 'dist', SILERO_MODEL_FILE));
  if (resourcesPath) {
    // Inside app.asar Electron's fs reads the file; the unpacked copy and extraResources also work.
    for (const archive of ['app.asar', 'app.asar.unpacked', 'app']) {
      candidates.push(join(resourcesPath, archive, 'node_modules', ...PACKAGE.split('/'), 'dist', SILERO_MODEL_FILE));
    }
    candidates.push(join(resourcesPath, 'models', SILERO_MODEL_FILE));
  }
  return [...new Set(candidates)];
}

/** The Silero VAD v5 model that ships with the app; never downloaded. */
export function findSileroModel(search: ModelSearch = {}): string {
  const found = sileroModelCandidates(search).find((path) => existsSync(path));
  if (!found) throw vadModelMissing(SILERO_MODEL_FILE);
  return found;
}
