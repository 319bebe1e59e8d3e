import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'vitest';

// The docs stay true to the tree: docs/architecture.md's folder map names every folder of the
// repository and of main/ and nothing that is gone; README.md stays one or two screens; no prose
// line runs on (code blocks and tables may be wide).

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

const README_MAX_LINES = 120;
const PROSE_MAX_CHARS = 200;

/** The paths the "## Folder map" section's code block names: the first word of each line (an indented line continues the one above). */
function folderMapPaths(markdown: string): string[] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith('Folder map\n'));
  if (!section) throw new Error('docs/architecture.md has no "## Folder map" section');
  const block = /^```\w*\n([\s\S]*?)^```/m.exec(section);
  if (!block) throw new Error('the folder map has no code block');
  return block[1]!
    .split('\n')
    .filter((line) => /^\S/.test(line))
    .map((line) => line.split(/\s+/)[0]!);
}

/** Folders that are made (build output, dependencies, test artefacts), not kept: .gitignore's, and electron-builder's output. */
function madeFolders(): Set<string> {
  const ignored = read('.gitignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^[\w.-]+\/$/.test(line));
  return new Set([...ignored.map((line) => line.slice(0, -1)), 'release', '.git']);
}

function foldersIn(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
}

/** What the map should name and does not, and what it names that does not exist. */
function mapProblems(paths: readonly string[], folders: readonly string[], exists: (path: string) => 'dir' | 'file' | 'none') {
  const named = new Set(paths);
  const missing = folders.filter((folder) => !named.has(folder));
  const gone = paths.filter((path) => exists(path.replace(/\/$/, '')) !== (path.endsWith('/') ? 'dir' : 'file'));
  return { missing, gone };
}

const onDisk = (path: string): 'dir' | 'file' | 'none' => {
  const full = join(repoRoot, path);
  if (!existsSync(full)) return 'none';
  return statSync(full).isDirectory() ? 'dir' : 'file';
};

/** Lines outside fenced code blocks and tables. */
function proseLines(markdown: string): { line: number; text: string }[] {
  let fenced = false;
  return markdown.split('\n').flatMap((text, i) => {
    if (/^\s*```/.test(text)) {
      fenced = !fenced;
      return [];
    }
    return fenced || /^\s*\|/.test(text) ? [] : [{ line: i + 1, text }];
  });
}

describe("docs/architecture.md's folder map", () => {
  const paths = folderMapPaths(read('docs/architecture.md'));

  test('names every folder of the repository and of main/, and nothing that does not exist', () => {
    const made = madeFolders();
    const folders = [
      ...foldersIn('.')
        .filter((name) => !made.has(name))
        .map((name) => `${name}/`),
      ...foldersIn('main').map((name) => `main/${name}/`),
    ];
    assert.ok(folders.includes('main/kernel/') && folders.includes('test/'), 'the folder listing works');
    const { missing, gone } = mapProblems(paths, folders, onDisk);
    assert.deepEqual(missing, [], 'add these folders to the folder map in docs/architecture.md');
    assert.deepEqual(gone, [], 'the folder map names these, which do not exist (folders end with /)');
  });

  test('a folder added or removed shows up as a problem', () => {
    const exists = (path: string) => (path === 'main/old' ? 'none' : path.includes('.') ? 'file' : 'dir');
    const problems = mapProblems(['main/kernel/', 'main/old/', 'main/compose.ts'], ['main/kernel/', 'main/new/'], exists);
    assert.deepEqual(problems, { missing: ['main/new/'], gone: ['main/old/'] });
    const map = '## Folder map\n\n```\nmain/         the main process\n              and every service\nmain/kernel/  base\n```\n';
    assert.deepEqual(folderMapPaths(map), ['main/', 'main/kernel/']);
  });
});

describe('README.md and docs/ stay short', () => {
  const documents = [
    'README.md',
    ...readdirSync(join(repoRoot, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];

  test(`README.md is at most ${README_MAX_LINES} lines`, () => {
    const lines = read('README.md').trimEnd().split('\n').length;
    assert.ok(lines <= README_MAX_LINES, `README.md has ${lines} lines; move detail into docs/`);
  });

  test(`no prose line of README.md or docs/*.md is over ${PROSE_MAX_CHARS} characters`, () => {
    assert.ok(documents.includes('docs/architecture.md'));
    const long = documents.flatMap((path) =>
      proseLines(read(path))
        .filter(({ text }) => [...text].length > PROSE_MAX_CHARS)
        .map(({ line, text }) => `${path}:${line} (${[...text].length} characters)`),
    );
    assert.deepEqual(long, []);
  });

  test('code blocks and tables may be wide; prose may not', () => {
    const wide = 'x'.repeat(PROSE_MAX_CHARS + 1);
    assert.deepEqual(
      proseLines(`a\n\`\`\`sh\n${wide}\n\`\`\`\n| ${wide} |\n${wide}`).map((l) => l.line),
      [1, 6],
    );
  });

  test("README.md's test command is npm test", () => {
    assert.match(read('README.md'), /^npm test\b/m);
  });
});
