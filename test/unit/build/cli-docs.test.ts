import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { describe, test } from 'vitest';
import { CLI_REFERENCE_BEGIN, CLI_REFERENCE_END, renderCliReference, withCliReference } from '../../../main/cli/cli-reference.js';
import { buildProgram } from '../../../main/cli/program.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const regenerate = 'run `npm run cli:docs` and commit docs/cli.md';
const program = () => buildProgram({ io: { out: () => {}, err: () => {} }, env: {}, untilStopped: () => Promise.resolve() });

function commandPaths(command: Command, path: string): string[] {
  return command.commands.flatMap((sub) => [`${path} ${sub.name()}`, ...commandPaths(sub, `${path} ${sub.name()}`)]);
}

describe('docs/cli.md', () => {
  const doc = readFileSync(join(repoRoot, 'docs', 'cli.md'), 'utf8');
  const reference = doc.slice(doc.indexOf(CLI_REFERENCE_BEGIN), doc.indexOf(CLI_REFERENCE_END));

  test('its command reference is what the real program generates', () => {
    assert.equal(doc, withCliReference(doc), regenerate);
  });

  test('names every command and every option of every command', () => {
    const walk = (command: Command, path: string) => {
      for (const sub of command.commands) {
        const subPath = `${path} ${sub.name()}`;
        assert.ok(reference.includes(`### ${subPath}\n`), `${subPath} is missing: ${regenerate}`);
        for (const option of sub.options) assert.ok(reference.includes(`| \`${option.flags}\` |`), `${subPath} ${option.flags}`);
        walk(sub, subPath);
      }
    };
    walk(program(), 'scribe');
    assert.ok(commandPaths(program(), 'scribe').length > 30);
  });

  test('a command added to the program appears in the reference with its options', () => {
    const changed = program();
    changed.command('example').description('an added command').argument('<thing>', 'what it takes').requiredOption('--as <id>', 'who');
    const rendered = renderCliReference(changed);
    assert.ok(rendered.includes('### scribe example\n\nan added command'));
    assert.ok(rendered.includes('scribe example <thing> [options]'));
    assert.ok(rendered.includes('| `--as <id>` | who; required |'));
    assert.notEqual(withCliReference(doc, rendered), doc);
  });

  test('withCliReference refuses a document without its markers', () => {
    assert.throws(() => withCliReference('# no markers', 'x'), /markers are missing/);
  });
});
