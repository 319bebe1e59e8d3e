import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, test } from 'vitest';

// The layer rules in eslint.config.js, tried on real files of each layer with one import added:
// lint must refuse the forbidden ones and accept the allowed ones.
// The project's own config; only the import rule runs, and without type information, which it does not need.
const eslint = new ESLint({
  cwd: process.cwd(),
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
});

async function layerErrors(file: string, importLine: string): Promise<string[]> {
  const text = `${importLine}\n${readFileSync(file, 'utf8')}`;
  const [result] = await eslint.lintText(text, { filePath: file });
  const messages = result?.messages ?? [];
  assert.deepEqual(
    messages.filter((m) => m.fatal).map((m) => m.message),
    [],
    'the file parsed',
  );
  return messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const forbidden: [string, string][] = [
  ['main/visits/visit-service.ts', "import type { Dispatch } from '../api/dispatch.js';"],
  ['main/writeback/outbox-worker.ts', "import { createMainWindow } from '../app/main.js';"],
  ['main/notes/note-service.ts', "import { program } from '../cli/program.js';"],
  ['main/writeback/fhir/fhir-deliverer.ts', "import { startSandbox } from '../../sandbox/sandbox.js';"],
  ['main/capture/capture-service.ts', "import { openScribe } from '../compose.js';"],
  ['main/store/store.ts', "import type { AuditLog } from '../audit/audit-log.js';"],
  ['main/fhir/fhir-client.ts', "import { FhirDeliverer } from '../writeback/fhir/fhir-deliverer.js';"],
  ['main/kernel/errors.ts', "import type { Logger } from '../log/logger.js';"],
  ['main/api/web-bridge.ts', "import { createMainWindow } from '../app/main.js';"],
  ['main/sandbox/sandbox.ts', "import { createDispatcher } from '../api/dispatch.js';"],
];

const allowed: [string, string][] = [
  ['main/visits/visit-service.ts', "import type { CallContext } from '../kernel/actor.js';"],
  ['main/ehr/ehr-service.ts', "import { createFhirClient } from '../fhir/fhir-client.js';"],
  ['main/writeback/fhir/fhir-deliverer.ts', "import type { ApiError } from '../../../shared/api/errors.js';"],
  ['main/api/handlers.ts', "import type { NoteService } from '../notes/note-service.js';"],
  ['main/compose.ts', "import { demoEhrTargets } from './sandbox/demo-targets.js';"],
];

describe('the layers inside main/ are enforced by lint', () => {
  for (const [file, line] of forbidden) {
    test(`refuses in ${file}: ${line}`, async () => {
      const errors = await layerErrors(file, line);
      assert.equal(errors.length, 1, `expected one layer error, got ${JSON.stringify(errors)}`);
    });
  }
  for (const [file, line] of allowed) {
    test(`accepts in ${file}: ${line}`, async () => {
      assert.deepEqual(await layerErrors(file, line), []);
    });
  }
});
