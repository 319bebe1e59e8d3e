import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { sandboxFhirTargetConfig } from '../../../main/sandbox/sandbox-client-key.js';
import { FhirDeliverer } from '../../../main/writeback/fhir/fhir-deliverer.js';
import { CLI, CLI_MISSING, cliBuilt } from '../../helpers/cli.js';
import { buildDeliveryJob } from '../../helpers/signed-note.js';
import { tempDir } from '../../helpers/temp-store.js';
import { skipWhen } from '../../helpers/skip.js';

interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  readonly firstOutput: string;
  stderr(): string;
  stop(): Promise<number | null>;
}

/** Starts `scribe sandbox ARGS` and waits for its first stdout output (the addresses). */
async function startCli(args: string[], dataDir: string): Promise<Running> {
  const child = spawn(process.execPath, [CLI, 'sandbox', '--port', '0', ...args], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', SCRIBE_DATA_DIR: dataDir },
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const firstOutput = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`sandbox did not start: ${stderr}`)), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) {
        clearTimeout(timer);
        // Give a multi-line text banner a moment to arrive whole.
        setTimeout(() => resolve(out), 100);
      }
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}: ${stderr}`)));
  });
  return {
    child,
    firstOutput,
    stderr: () => stderr,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

describe('scribe sandbox', skipWhen(cliBuilt ? false : CLI_MISSING), () => {
  const tmp = tempDir('scribe-sandbox-cli-');
  let running: Running;
  let printed: Record<string, unknown>;
  beforeAll(async () => {
    running = await startCli(['--json'], tmp.dir);
    printed = JSON.parse(running.firstOutput.split('\n')[0]!) as Record<string, unknown>;
  });
  afterAll(async () => {
    if (running.child.exitCode === null) await running.stop();
    tmp.cleanup();
  });

  test('--json prints one line with the FHIR base URL and the authorization URLs, on 127.0.0.1', () => {
    assert.equal(running.firstOutput.trim().split('\n').length, 1);
    assert.match(String(printed['fhirBaseUrl']), /^http:\/\/127\.0\.0\.1:\d+\/fhir$/);
    assert.match(String(printed['tokenUrl']), /^http:\/\/127\.0\.0\.1:\d+\/auth\/token$/);
    assert.match(String(printed['authorizeUrl']), /\/auth\/auth$/);
    assert.match(String(printed['smartConfigurationUrl']), /\/fhir\/\.well-known\/smart-configuration$/);
    assert.equal(printed['profiles'], 'us-core-8.0.0');
    assert.deepEqual(printed['backendClientIds'], ['ambient-scribe-backend']);
  });

  test('creates the demo client key in the data folder, readable by its owner only', () => {
    assert.equal(printed['clientKeyFile'], join(tmp.dir, 'sandbox-client-key.json'));
    assert.equal(printed['clientKeyCreated'], true);
    assert.equal(statSync(String(printed['clientKeyFile'])).mode & 0o777, 0o600);
  });

  test('the default FHIR configuration (demo key, sandbox organization) delivers a note to it', async () => {
    const config = await sandboxFhirTargetConfig(String(printed['clientKeyFile']));
    const deliverer = new FhirDeliverer({ config: { ...config, baseUrl: String(printed['fhirBaseUrl']) } });
    const outcome = await deliverer.deliver(buildDeliveryJob(), AbortSignal.timeout(20_000));
    assert.equal(outcome.kind, 'delivered', JSON.stringify(outcome));
  });

  test('prints no runtime warnings and no stack traces', () => {
    assert.doesNotMatch(running.stderr(), /WARNING|NOTICE|at .*\.js:\d+/);
  });

  test('stops cleanly on SIGTERM', async () => {
    assert.equal(await running.stop(), 0);
  });

  test('a second start reuses the key and prints the addresses as text', async () => {
    const again = await startCli([], tmp.dir);
    try {
      assert.match(again.firstOutput, /FHIR R4 base +http:\/\/127\.0\.0\.1:\d+\/fhir/);
      assert.match(again.firstOutput, /Token +http:\/\/127\.0\.0\.1:\d+\/auth\/token/);
      assert.match(again.firstOutput, /key read/);
    } finally {
      assert.equal(await again.stop(), 0);
    }
  });
});
