#!/usr/bin/env node
// `npm run models:fetch [-- --dir DIR] [--model ID] [--manifest FILE] [--endpoint URL]`
//
// Downloads a speech model at the commit pinned in scripts/models-manifest.json and checks every
// file's size and SHA-256 before it is put in place: a file appears complete and verified, or not
// at all (written beside, hashed while it streams, then renamed). Files already present and intact
// are kept, so an interrupted fetch resumes. Needs internet access (or HF_ENDPOINT pointing at a
// mirror); on an offline workstation, copy a models folder fetched elsewhere instead.
//
// The folder: --dir, else SCRIBE_MODELS_DIR, else the per-user models folder the app searches
// (Linux ~/.config/Ambient Scribe/models, macOS ~/Library/Application Support/Ambient Scribe/models,
// Windows %APPDATA%\Ambient Scribe\models). `--dir models` before electron-builder bundles the
// model into the installer (resources/models).
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PRODUCT = 'Ambient Scribe';
const IDLE_MS = Number(process.env.SCRIBE_FETCH_IDLE_MS ?? 60_000);
const ATTEMPTS = 3;
const BACKOFF_MS = Number(process.env.SCRIBE_FETCH_BACKOFF_MS ?? 1_000);

function defaultModelsDir(env = process.env, platform = process.platform) {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT, 'models');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT, 'models');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), PRODUCT, 'models');
}

class FetchError extends Error {}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = () => {
      const v = argv[(i += 1)];
      if (v === undefined) throw new FetchError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--dir') options.dir = value();
    else if (flag === '--model') options.model = value();
    else if (flag === '--manifest') options.manifest = value();
    else if (flag === '--endpoint') options.endpoint = value();
    else if (flag === '--help' || flag === '-h') options.help = true;
    else throw new FetchError(`unknown option ${flag}`);
  }
  return options;
}

async function sha256File(file) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

async function intact(file, entry) {
  const info = await stat(file).catch(() => undefined);
  return Boolean(info?.isFile() && info.size === entry.size && (await sha256File(file)) === entry.sha256);
}

/** Why a fetch failed, in words for the person running it (never a stack trace). */
function describeNetworkError(error, host) {
  const code = error?.cause?.code ?? error?.code;
  if (
    ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNRESET', 'ETIMEDOUT'].includes(code) ||
    error?.name === 'TypeError'
  ) {
    return `Could not reach ${host} (${code ?? 'network error'}). models:fetch needs internet access (or HF_ENDPOINT set to a mirror); on an offline workstation, copy a models folder fetched elsewhere.`;
  }
  if (error?.name === 'TimeoutError' || error?.name === 'AbortError')
    return `The download from ${host} stalled for ${IDLE_MS / 1000} s; try again.`;
  return error?.message ?? String(error);
}

async function download(url, target, entry, host) {
  const partial = `${target}.${randomBytes(6).toString('hex')}.partial`;
  await mkdir(dirname(target), { recursive: true });
  const controller = new AbortController();
  let timer;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new DOMException('stalled', 'TimeoutError')), IDLE_MS);
  };
  const handle = await open(partial, 'wx', 0o644);
  try {
    arm();
    let response;
    try {
      response = await fetch(url, { signal: controller.signal, redirect: 'follow' });
    } catch (error) {
      throw new FetchError(describeNetworkError(error, host));
    }
    if (!response.ok || !response.body)
      throw new FetchError(`${host} answered HTTP ${response.status} for ${entry.path}; check the manifest's revision.`);
    const hash = createHash('sha256');
    let received = 0;
    try {
      for await (const chunk of response.body) {
        arm();
        received += chunk.length;
        if (received > entry.size) throw new FetchError(`${entry.path} is larger than the manifest says (${entry.size} bytes); refused.`);
        hash.update(chunk);
        await handle.write(chunk);
      }
    } catch (error) {
      if (error instanceof FetchError) throw error;
      throw new FetchError(describeNetworkError(error, host));
    }
    await handle.sync();
    await handle.close();
    if (received !== entry.size) throw new FetchError(`${entry.path} arrived with ${received} of ${entry.size} bytes; try again.`);
    const digest = hash.digest('hex');
    if (digest !== entry.sha256)
      throw new FetchError(`${entry.path} does not match its SHA-256 in the manifest (got ${digest}); refused, nothing was installed.`);
    await rename(partial, target);
  } finally {
    clearTimeout(timer);
    await handle.close().catch(() => undefined);
    await rm(partial, { force: true });
  }
}

async function fetchModel(model, root, endpoint) {
  const folder = join(root, ...model.id.split('/'));
  const host = new URL(endpoint).host;
  console.error(`Fetching ${model.id} at ${model.revision.slice(0, 12)} into ${folder}`);
  for (const entry of model.files) {
    const target = join(folder, ...entry.path.split('/'));
    if (await intact(target, entry)) {
      console.error(`  ${entry.path}: present and verified`);
      continue;
    }
    const url = `${endpoint.replace(/\/+$/, '')}/${model.id}/resolve/${model.revision}/${entry.path}`;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await download(url, target, entry, host);
        console.error(`  ${entry.path}: ${entry.size} bytes, SHA-256 verified`);
        break;
      } catch (error) {
        // A wrong hash or size will not get better by asking again.
        const permanent = /SHA-256|larger than|HTTP 4\d\d|ENOTFOUND/.test(error.message);
        if (permanent || attempt >= ATTEMPTS) throw error;
        console.error(`  ${entry.path}: ${error.message} Retrying (${attempt}/${ATTEMPTS - 1})...`);
        await new Promise((r) => setTimeout(r, BACKOFF_MS * 2 ** attempt));
      }
    }
  }
  const marker = {
    id: model.id,
    revision: model.revision,
    dtype: model.dtype,
    files: model.files.map(({ path, size, sha256 }) => ({ path, size, sha256 })),
    fetchedAt: new Date().toISOString(),
  };
  await writeFile(join(folder, 'scribe-model.json'), `${JSON.stringify(marker, null, 2)}\n`);
  return folder;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const manifestPath = resolve(options.manifest ?? join(dirname(fileURLToPath(import.meta.url)), 'models-manifest.json'));
  if (options.help) {
    console.log('usage: npm run models:fetch [-- --dir DIR] [--model ID] [--manifest FILE] [--endpoint URL]');
    return 0;
  }
  if (!existsSync(manifestPath)) throw new FetchError(`The manifest ${manifestPath} does not exist.`);
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  const model = options.model
    ? manifest.models.find((m) => m.id === options.model)
    : (manifest.models.find((m) => m.default) ?? manifest.models[0]);
  if (!model) throw new FetchError(`No model ${options.model} in the manifest; it lists ${manifest.models.map((m) => m.id).join(', ')}.`);
  const unknown = model.files.filter((f) => !/^[0-9a-f]{64}$/.test(f.sha256 ?? '') || !Number.isInteger(f.size));
  if (unknown.length > 0)
    throw new FetchError(
      `The manifest has no size or SHA-256 for ${unknown.map((f) => f.path).join(', ')}; refusing to fetch unverifiable files.`,
    );
  if (!/^[0-9a-f]{40}$/.test(model.revision))
    throw new FetchError(
      `The manifest pins ${model.id} to "${model.revision}", which is not a commit id; refusing to fetch a moving revision.`,
    );
  const root = resolve(options.dir ?? process.env.SCRIBE_MODELS_DIR ?? defaultModelsDir());
  const endpoint = options.endpoint ?? process.env.HF_ENDPOINT ?? 'https://huggingface.co';
  const folder = await fetchModel(model, root, endpoint);
  console.log(`Installed ${model.id} (${model.revision.slice(0, 12)}) in ${folder}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`models:fetch: ${error instanceof FetchError ? error.message : (error?.message ?? error)}`);
    process.exit(1);
  },
);
