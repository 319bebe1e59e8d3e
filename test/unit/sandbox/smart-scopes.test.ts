import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { allResourceScopes, scopeAllows } from '../../../main/sandbox/smart-scopes.js';

describe('SMART scopes, coarsely', () => {
  test('v1 read and write, by type or wildcard', () => {
    assert.ok(scopeAllows(['system/*.write'], 'DocumentReference', 'write'));
    assert.ok(!scopeAllows(['system/*.write'], 'DocumentReference', 'read'));
    assert.ok(scopeAllows(['system/DocumentReference.write'], 'DocumentReference', 'write'));
    assert.ok(!scopeAllows(['system/DocumentReference.write'], 'Condition', 'write'));
    assert.ok(scopeAllows(['user/*.*'], 'Patient', 'read'));
  });

  test('v2 permissions: c, u, d write; r, s read', () => {
    assert.ok(scopeAllows(['system/*.cud'], 'Condition', 'write'));
    assert.ok(!scopeAllows(['system/*.cud'], 'Condition', 'read'));
    assert.ok(scopeAllows(['patient/Observation.rs'], 'Observation', 'read'));
    assert.ok(!scopeAllows(['patient/Observation.rs'], 'Observation', 'write'));
  });

  test('v2 letters grant only their action; v1 write grants create, update and delete', () => {
    assert.ok(scopeAllows(['system/DocumentReference.c'], 'DocumentReference', 'create'));
    assert.ok(!scopeAllows(['system/DocumentReference.c'], 'DocumentReference', 'update'));
    assert.ok(!scopeAllows(['system/DocumentReference.cu'], 'DocumentReference', 'delete'));
    assert.ok(scopeAllows(['system/*.cud'], 'Condition', 'delete'));
    for (const action of ['create', 'update', 'delete'] as const) assert.ok(scopeAllows(['system/*.write'], 'Condition', action), action);
    assert.ok(!scopeAllows(['system/*.read'], 'Condition', 'create'));
  });

  test('anything else grants nothing', () => {
    for (const s of ['openid', 'fhirUser', 'launch/patient', 'system/*', 'system/doc.write', 'admin/*.write'])
      assert.ok(!scopeAllows([s], 'DocumentReference', 'write'), s);
  });

  test('the authorization server knows every scope string it may grant', () => {
    const all = new Set(allResourceScopes());
    for (const s of ['system/*.write', 'system/DocumentReference.write', 'user/*.read', 'system/*.cruds', 'patient/*.rs'])
      assert.ok(all.has(s), s);
  });
});
