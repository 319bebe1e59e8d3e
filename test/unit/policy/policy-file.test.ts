import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { PolicyInvalidError } from '../../../main/policy/errors.js';
import { loadPolicyFile, noPolicy, ownershipProblem, validatePolicyText } from '../../../main/policy/policy-file.js';
import { tempDir } from '../../helpers/temp-store.js';

const problemsOf = (text: string) => {
  const result = validatePolicyText(text);
  assert.equal(result.ok, false, 'expected the policy to be refused');
  return result.ok ? [] : result.problems;
};

describe('validatePolicyText', () => {
  test('a valid policy gives exactly its settings (the $schema hint is not a setting)', () => {
    const result = validatePolicyText(
      JSON.stringify({
        $schema: './policy.schema.json',
        audioMayLeaveDevice: false,
        transcriptionEngines: ['local'],
        ehrRouting: 'fhir-then-hl7v2',
        fhirBaseUrl: 'https://ehr.example.org/fhir/R4',
        fileDropFolder: '\\\\emr-server\\import',
        mllpPort: 2575,
        signingRoles: ['clinician'],
        updatePinnedVersion: '1.4.2',
      }),
    );
    assert.deepEqual(result, {
      ok: true,
      values: {
        audioMayLeaveDevice: false,
        transcriptionEngines: ['local'],
        ehrRouting: 'fhir-then-hl7v2',
        fhirBaseUrl: 'https://ehr.example.org/fhir/R4',
        fileDropFolder: '\\\\emr-server\\import',
        mllpPort: 2575,
        signingRoles: ['clinician'],
        updatePinnedVersion: '1.4.2',
      },
    });
  });

  test('a misspelt setting is an error, not silently ignored (that would fail open)', () => {
    assert.deepEqual(problemsOf('{"audioMayLeaveDevic": false}'), [
      { field: 'audioMayLeaveDevic', reason: 'is not a setting Ambient Scribe knows (check the spelling)' },
    ]);
  });

  test('each invalid field is named with its reason', () => {
    const problems = problemsOf(
      JSON.stringify({
        ehrRouting: 'carrier-pigeon',
        mllpPort: 70000,
        audioMayLeaveDevice: 'no',
        fhirBaseUrl: 'http://ehr.example.org/fhir',
        transcriptionEngines: ['local', 'local'],
        fileDropFolder: 'relative/folder',
        signingRoles: [],
      }),
    );
    const fields = problems.map((p) => p.field).sort();
    assert.deepEqual(fields, [
      'audioMayLeaveDevice',
      'ehrRouting',
      'fhirBaseUrl',
      'fileDropFolder',
      'mllpPort',
      'signingRoles',
      'transcriptionEngines',
    ]);
    const reason = (field: string) => problems.find((p) => p.field === field)?.reason ?? '';
    assert.match(reason('ehrRouting'), /fhir/);
    assert.match(reason('mllpPort'), /65535/);
    assert.match(reason('audioMayLeaveDevice'), /boolean/);
    assert.match(reason('fhirBaseUrl'), /https/);
    assert.match(reason('transcriptionEngines'), /repeat/);
    assert.match(reason('fileDropFolder'), /full path/);
  });

  test('http is accepted only for this machine; credentials in a URL never', () => {
    assert.equal(validatePolicyText('{"openaiBaseUrls": ["http://127.0.0.1:8080/v1", "http://localhost:11434/v1"]}').ok, true);
    assert.deepEqual(
      problemsOf('{"updateServerUrl": "https://user:secret@updates.example.org/"}').map((p) => p.field),
      ['updateServerUrl'],
    );
    assert.deepEqual(
      problemsOf('{"openaiBaseUrls": ["http://10.0.0.5/v1"]}').map((p) => p.field),
      ['openaiBaseUrls.0'],
    );
  });

  test('broken JSON says where; a non-object says what is expected; a UTF-8 byte-order mark is fine', () => {
    assert.deepEqual(problemsOf('{\n  "consentRequired": true,\n}'), [{ field: '(file)', reason: 'is not valid JSON (line 3, column 1)' }]);
    assert.deepEqual(problemsOf('[]'), [{ field: '(file)', reason: 'must be a JSON object of settings' }]);
    assert.deepEqual(validatePolicyText('\uFEFF{"consentRequired": true}'), { ok: true, values: { consentRequired: true } });
  });
});

describe('loadPolicyFile', () => {
  test('a missing file is no policy', () => {
    const tmp = tempDir();
    try {
      assert.deepEqual(loadPolicyFile(join(tmp.dir, 'absent', 'policy.json'), { requireAdminOwned: false }), noPolicy);
    } finally {
      tmp.cleanup();
    }
  });

  test('an invalid file throws with the file, each field and reason in the message', () => {
    const tmp = tempDir();
    try {
      const file = join(tmp.dir, 'policy.json');
      writeFileSync(file, '{"audioMayLeaveDevice": "sometimes", "colour": "blue"}');
      assert.throws(
        () => loadPolicyFile(file, { requireAdminOwned: false }),
        (error: unknown) => {
          assert.ok(error instanceof PolicyInvalidError);
          assert.deepEqual(error.problems.map((p) => p.field).sort(), ['audioMayLeaveDevice', 'colour']);
          assert.ok(error.message.includes(file));
          assert.match(error.message, /audioMayLeaveDevice: .*boolean/);
          assert.match(error.message, /colour: is not a setting/);
          return true;
        },
      );
    } finally {
      tmp.cleanup();
    }
  });

  test('a path that exists but cannot be read as a file is refused, not treated as absent', () => {
    const tmp = tempDir();
    try {
      const folder = join(tmp.dir, 'policy.json');
      mkdirSync(folder);
      assert.throws(
        () => loadPolicyFile(folder, { requireAdminOwned: false }),
        /policy\.json cannot be used.*\(file\): is not a regular file/,
      );
    } finally {
      tmp.cleanup();
    }
  });

  test('a valid file is loaded with a digest of its bytes', () => {
    const tmp = tempDir();
    try {
      const file = join(tmp.dir, 'policy.json');
      writeFileSync(file, '{"consentRequired": true}');
      const loaded = loadPolicyFile(file, { requireAdminOwned: false });
      assert.equal(loaded.file, file);
      assert.deepEqual(loaded.values, { consentRequired: true });
      assert.match(loaded.sha256 ?? '', /^[0-9a-f]{64}$/);
    } finally {
      tmp.cleanup();
    }
  });

  test('at the machine location a policy others can write is refused', () => {
    const tmp = tempDir();
    try {
      const folder = join(tmp.dir, 'etc-ambient-scribe');
      mkdirSync(folder, { mode: 0o755 });
      chmodSync(folder, 0o755);
      const file = join(folder, 'policy.json');
      writeFileSync(file, '{"consentRequired": true}', { mode: 0o666 });
      chmodSync(file, 0o666);
      const expected = process.getuid?.() === 0 ? /must not be writable by group or others/ : /must be owned by root/;
      assert.throws(() => loadPolicyFile(file, { requireAdminOwned: true }), expected);
      if (process.getuid?.() === 0) {
        chmodSync(file, 0o644);
        assert.deepEqual(loadPolicyFile(file, { requireAdminOwned: true }).values, { consentRequired: true });
        chmodSync(folder, 0o777);
        assert.throws(() => loadPolicyFile(file, { requireAdminOwned: true }), /its folder must not be writable/);
      }
    } finally {
      tmp.cleanup();
    }
  });

  test('ownershipProblem: root-owned and not group/other-writable only', () => {
    assert.equal(ownershipProblem({ uid: 0, mode: 0o100644 }, 'file'), undefined);
    assert.match(ownershipProblem({ uid: 1000, mode: 0o100644 }, 'file')?.reason ?? '', /owned by root/);
    assert.match(ownershipProblem({ uid: 0, mode: 0o100664 }, 'file')?.reason ?? '', /writable/);
    assert.match(ownershipProblem({ uid: 0, mode: 0o040777 }, 'folder')?.reason ?? '', /folder must not be writable/);
  });
});
