import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { generateClientKeyPair, publicJwksOf } from '../fhir/client-key.js';
import type { ClientKeyPair } from '../fhir/client-key.js';
import { FhirSigningAlg, PrivateJwk, SCOPE_WITH_MEDICATIONS } from '../fhir/fhir-target-config.js';
import type { FhirTargetConfigInput } from '../fhir/fhir-target-config.js';
import { SANDBOX_DEFAULTS } from './sandbox-defaults.js';
import { notASandboxClientKey, sandboxClientKeyUnreadable } from './sandbox-errors.js';

/**
 * The demo backend client's key pair, so a first run needs no configuration: `scribe sandbox`
 * creates it in the data folder (owner-only) and registers its public half; the app's default FHIR
 * connection signs with its private half. It only ever unlocks the sandbox.
 */
export const SANDBOX_CLIENT_KEY_FILE = 'sandbox-client-key.json';

const KeyFile = z.object({ alg: FhirSigningAlg, privateKey: PrivateJwk });

export const sandboxClientKeyPath = (dataDir: string) => join(dataDir, SANDBOX_CLIENT_KEY_FILE);

export async function loadOrCreateSandboxClientKey(file: string): Promise<{ key: ClientKeyPair; created: boolean }> {
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw sandboxClientKeyUnreadable(code ?? 'error');
  }
  if (text !== undefined) {
    const parsed = KeyFile.safeParse(JSON.parse(text));
    if (!parsed.success) throw notASandboxClientKey();
    return {
      key: { alg: parsed.data.alg, privateKey: parsed.data.privateKey, publicJwks: publicJwksOf(parsed.data.privateKey) },
      created: false,
    };
  }
  const key = await generateClientKeyPair('ES384');
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify({ alg: key.alg, privateKey: key.privateKey })}\n`, { flag: 'wx', mode: 0o600 });
  return { key, created: true };
}

/** The app's default FHIR connection: the sandbox at its default port, signing with the demo key. */
export async function sandboxFhirTargetConfig(keyFile: string): Promise<FhirTargetConfigInput> {
  const { key } = await loadOrCreateSandboxClientKey(keyFile);
  return {
    baseUrl: `http://${SANDBOX_DEFAULTS.host}:${SANDBOX_DEFAULTS.port}${SANDBOX_DEFAULTS.fhirPath}`,
    clientId: SANDBOX_DEFAULTS.backendClientId,
    privateKey: key.privateKey,
    signingAlg: key.alg,
    organizationId: SANDBOX_DEFAULTS.organizationId,
    scope: SCOPE_WITH_MEDICATIONS,
  };
}
