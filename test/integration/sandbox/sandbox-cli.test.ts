import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { sandboxFhirTargetConfig } from '../../../main/sandbox/sandbox-client-key.js';
import { SANDBOX_DEFAULTS } from '../../../main/sandbox/sandbox-defaults.js';
import { SANDBOX_HL7_TARGET } from '../../../main/sandbox/sandbox-mllp.js';
import { FhirDeliverer } from '../../../main/writeback/fhir/fhir-deliverer.js';
import { Hl7Deliverer } from '../../../main/writeback/hl7/hl7-deliverer.js';
import { CLI, CLI_MISSING, cliBuilt, scribe } from '../../helpers/cli.js';
import { buildDeliveryJob } from '../../helpers/signed-note.js';
import { tempDir } from '../../helpers/temp-store.js';
import { skipWhen } from '../../helpers/skip.js';

interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  readonly firstOutput: string;
  stderr(): string;
  stop(): Promise<number | null>;
}

/** Both listeners on free ports: the default ones may be held by another sandbox on this machine. */
const ANY_PORTS = ['--port', '0', '--mllp-port', '0'];

/** Starts `scribe sandbox ARGS` and waits for its first stdout output (the addresses). */
async function startCli(args: string[], dataDir: string): Promise<Running> {
  const child = spawn(process.execPath, [CLI, 'sandbox', ...args], {
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
    running = await startCli([...ANY_PORTS, '--json'], tmp.dir);
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
    assert.match(String(printed['mllpAddress']), /^mllp:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(printed['profile'], 'permissive');
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
    const again = await startCli(ANY_PORTS, tmp.dir);
    try {
      assert.match(again.firstOutput, /FHIR R4 base +http:\/\/127\.0\.0\.1:\d+\/fhir/);
      assert.match(again.firstOutput, /Token +http:\/\/127\.0\.0\.1:\d+\/auth\/token/);
      assert.match(again.firstOutput, /key read/);
    } finally {
      assert.equal(await again.stop(), 0);
    }
  });
});

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function portFree(port: number): Promise<boolean> {
  const server = createServer();
  try {
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    return true;
  } catch {
    return false;
  } finally {
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const portOf = (url: string) => Number(new URL(url.replace(/^mllp:/, 'http:')).port);

describe('scribe sandbox ports', skipWhen(cliBuilt ? false : CLI_MISSING), () => {
  const tmp = tempDir('scribe-sandbox-ports-');
  afterAll(() => tmp.cleanup());

  test('--port 0 --mllp-port 0 --json runs next to a sandbox holding the default ports, and takes notes on its own', async () => {
    // The first sandbox holds the default ports when they are free here; where another tester on this machine
    // holds them, two free ports stand in, so this test never takes or frees anyone else's port.
    const defaults = (await portFree(SANDBOX_DEFAULTS.port)) && (await portFree(SANDBOX_DEFAULTS.mllpPort));
    const [http, mllp] = defaults ? [SANDBOX_DEFAULTS.port, SANDBOX_DEFAULTS.mllpPort] : [await freePort(), await freePort()];
    const first = await startCli(['--port', String(http), '--mllp-port', String(mllp), '--json'], join(tmp.dir, 'first'));
    try {
      const one = JSON.parse(first.firstOutput.split('\n')[0]!) as Record<string, string>;
      assert.equal(portOf(one['fhirBaseUrl']!), http);
      assert.equal(one['mllpAddress'], `mllp://127.0.0.1:${mllp}`);

      const second = await startCli([...ANY_PORTS, '--json'], join(tmp.dir, 'second'));
      try {
        assert.equal(second.firstOutput.trim().split('\n').length, 1, 'one JSON line');
        const two = JSON.parse(second.firstOutput) as Record<string, string>;
        assert.equal(two['profile'], 'permissive');
        assert.match(two['mllpAddress']!, /^mllp:\/\/127\.0\.0\.1:\d+$/);
        const ports = [portOf(two['fhirBaseUrl']!), portOf(two['mllpAddress']!)];
        assert.ok(!ports.includes(http) && !ports.includes(mllp), `the second sandbox took its own ports (${ports.join(', ')})`);

        for (const info of [one, two]) {
          assert.equal((await fetch(`${info['fhirBaseUrl']}/metadata`)).status, 200);
          const hl7 = new Hl7Deliverer({ config: { ...SANDBOX_HL7_TARGET, port: portOf(info['mllpAddress']!), ackTimeoutMs: 5_000 } });
          try {
            const outcome = await hl7.deliver(buildDeliveryJob(), AbortSignal.timeout(10_000));
            assert.equal(outcome.kind, 'delivered', JSON.stringify(outcome));
          } finally {
            hl7.close();
          }
        }
      } finally {
        assert.equal(await second.stop(), 0);
      }
    } finally {
      assert.equal(await first.stop(), 0);
    }
  });

  test('--profile epic behaves as Epic: the JSON line names it and its CapabilityStatement has no Bundles or conditional create', async () => {
    const epic = await startCli([...ANY_PORTS, '--profile', 'epic', '--json'], join(tmp.dir, 'epic'));
    try {
      const info = JSON.parse(epic.firstOutput.split('\n')[0]!) as Record<string, string>;
      assert.equal(info['profile'], 'epic');
      const cs = (await (await fetch(`${info['fhirBaseUrl']}/metadata`)).json()) as {
        rest: { interaction?: unknown[]; resource: { type: string; conditionalCreate?: boolean; interaction: { code: string }[] }[] }[];
      };
      assert.equal(cs.rest[0]!.interaction, undefined);
      const docs = cs.rest[0]!.resource.find((r) => r.type === 'DocumentReference')!;
      assert.deepEqual(docs.interaction.map((i) => i.code).sort(), ['create', 'read', 'search-type']);
      assert.equal(docs.conditionalCreate, false);
    } finally {
      assert.equal(await epic.stop(), 0);
    }
    const unknown = scribe(['sandbox', ...ANY_PORTS, '--profile', 'cerner-classic'], { SCRIBE_DATA_DIR: join(tmp.dir, 'unknown') });
    assert.notEqual(unknown.status, 0);
    assert.match(unknown.stderr, /permissive, epic, oracle, athena/);
  });

  test('a busy MLLP port is a clear error naming that port, not an unexpected one', async () => {
    const holder = createServer().listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const busy = (holder.address() as AddressInfo).port;
    try {
      const result = scribe(['sandbox', '--port', '0', '--mllp-port', String(busy)], { SCRIBE_DATA_DIR: join(tmp.dir, 'busy') });
      assert.notEqual(result.status, 0);
      assert.match(result.stderr, new RegExp(`MLLP port ${busy} is in use`));
      assert.doesNotMatch(result.stderr, /unexpected/);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });

  test('a port that is not a number from 0 to 65535 is refused before anything starts', () => {
    const result = scribe(['sandbox', '--port', '0', '--mllp-port', '70000'], { SCRIBE_DATA_DIR: join(tmp.dir, 'bad') });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /Ports are whole numbers from 0 to 65535/);
  });
});
