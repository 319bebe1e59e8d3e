import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, test } from 'vitest';
import { ApiErrorCode } from '../../../shared/api/errors.js';
import { ScribeError } from '../../../main/kernel/errors.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = join(ROOT, 'main');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const isErrorsModule = (file: string) => /^(errors|.+-errors|.+-error)\.ts$/.test(basename(file));

/** Lines of `files` that construct a ScribeError directly. */
function inlineScribeErrors(files: readonly string[]): string[] {
  return files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) => (/\bnew ScribeError\(/.test(line) ? [`${relative(ROOT, file)}:${i + 1}`] : [])),
  );
}

/**
 * Stands in for any argument a factory takes: every property and call gives it back, and it reads
 * as `text` in a string, so a factory builds its error whatever it does with its arguments.
 */
function placeholder(text: string): unknown {
  const self: unknown = new Proxy(function stand_in() {}, {
    get: (_target, key) => (key === Symbol.toPrimitive ? () => text : key === Symbol.iterator ? [][Symbol.iterator] : self),
    apply: () => self,
  });
  return self;
}

interface Raised {
  readonly factory: string;
  readonly code: string;
  readonly reason: string;
}

/** Calls every exported function of every errors module and keeps what comes back as a ScribeError. */
async function raisedByFactories(): Promise<Raised[]> {
  const raised: Raised[] = [];
  for (const file of sourceFiles(MAIN).filter(isErrorsModule)) {
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (typeof value !== 'function' || /^class\b/.test(Function.prototype.toString.call(value))) continue;
      const call = (text: string): unknown => {
        try {
          return (value as (...args: unknown[]) => unknown)(...Array.from({ length: 4 }, () => placeholder(text)));
        } catch {
          return undefined; // not a factory (a classifier or a helper that needs real input)
        }
      };
      const [x, y] = [call('x'), call('y')];
      // A reason that follows the arguments is passed on (an API error raised again), not declared here.
      if (x instanceof ScribeError && y instanceof ScribeError && x.reason === y.reason) {
        raised.push({ factory: `${relative(ROOT, file)}#${name}`, code: x.code, reason: x.reason });
      }
    }
  }
  return raised;
}

describe('errors are raised through named factories with stable reason ids', () => {
  test('no file in main/ but an errors module constructs a ScribeError', () => {
    assert.deepEqual(inlineScribeErrors(sourceFiles(MAIN).filter((file) => !isErrorsModule(file))), []);
  });

  test('the scan finds an inline error when there is one', () => {
    const errorsModules = sourceFiles(MAIN).filter(isErrorsModule);
    assert.ok(inlineScribeErrors(errorsModules).length > 20, 'the errors modules themselves construct them, and the scan sees it');
  });

  test('every factory gives a dotted lowercase reason and a known code, and one reason never has two codes', async () => {
    const raised = await raisedByFactories();
    assert.ok(raised.length > 100, `only ${raised.length} factories were found`);
    const badReasons = raised.filter((r) => !/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/.test(r.reason)).map((r) => `${r.factory}: ${r.reason}`);
    assert.deepEqual(badReasons, [], 'reason ids look like visit.illegal_transition');
    assert.deepEqual(
      raised.filter((r) => !ApiErrorCode.safeParse(r.code).success).map((r) => r.factory),
      [],
    );
    const codes = new Map<string, Set<string>>();
    for (const r of raised) codes.set(r.reason, (codes.get(r.reason) ?? new Set()).add(r.code));
    const ambiguous = [...codes].filter(([, set]) => set.size > 1).map(([reason, set]) => `${reason}: ${[...set].join(', ')}`);
    assert.deepEqual(ambiguous, [], 'a reason means one thing, so it comes with one code');
  });
});
