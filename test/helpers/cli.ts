import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/main/cli/index.js', import.meta.url));
export const cliBuilt = existsSync(CLI);
export const CLI_MISSING = 'dist/main/cli/index.js is missing: run `npm run build` first (npm test does).';

export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Only what a user's shell would give, plus the test's own variables. */
const cliEnv = (env: Record<string, string>) => ({ PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env });

/** Runs the built `scribe` CLI as a user would, with its own environment. */
export function scribe(args: readonly string[], env: Record<string, string>): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    env: cliEnv(env),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking this process: for commands that talk to a server this test process runs. */
export function scribeAsync(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: cliEnv(env),
      timeout: 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}
