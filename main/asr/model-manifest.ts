import { readFileSync } from 'node:fs';
import { z } from 'zod';
import pinned from '../../scripts/models-manifest.json' with { type: 'json' };
import { packageRoot } from '../kernel/app-identity.js';
import { manifestUnusable } from './model-install-errors.js';

/**
 * The speech model the app installs, pinned: a commit of its repository and every file's size and
 * SHA-256 (scripts/models-manifest.json, shared with `npm run models:fetch`). A file is installed
 * only when its bytes match.
 */

const PinnedFile = z.object({
  path: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/)
    .refine((p) => !p.split('/').includes('..')),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type PinnedFile = z.infer<typeof PinnedFile>;

const PinnedModel = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/),
  revision: z.string().regex(/^[0-9a-f]{40}$/),
  default: z.boolean().optional(),
  files: z.array(PinnedFile).min(1),
});
export type PinnedModel = z.infer<typeof PinnedModel>;

const Manifest = z.object({ models: z.array(PinnedModel).min(1) });

function defaultModel(manifest: unknown): PinnedModel | undefined {
  const parsed = Manifest.safeParse(manifest);
  if (!parsed.success) return undefined;
  return parsed.data.models.find((m) => m.default) ?? parsed.data.models[0];
}

/** The model the product pins. */
export function productSpeechModel(): PinnedModel {
  const model = defaultModel(pinned);
  if (!model) throw manifestUnusable();
  return model;
}

/**
 * The pinned model, or (outside installed builds) the one of the manifest SCRIBE_MODEL_MANIFEST
 * names: tests and development install a small model of their own with its own hashes.
 */
export function pinnedSpeechModel(env: NodeJS.ProcessEnv, packaged = packageRoot.includes('.asar')): PinnedModel {
  const file = env['SCRIBE_MODEL_MANIFEST']?.trim();
  if (!file || packaged) return productSpeechModel();
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw manifestUnusable();
  }
  const model = defaultModel(data);
  if (!model) throw manifestUnusable();
  return model;
}

/** The model's short name (its repository's last part, e.g. whisper-base.en). */
export const pinnedModelName = (model: PinnedModel) => model.id.split('/').pop() ?? model.id;

export const pinnedModelBytes = (model: PinnedModel) => model.files.reduce((n, f) => n + f.size, 0);
