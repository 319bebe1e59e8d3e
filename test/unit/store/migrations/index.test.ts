import assert from 'node:assert/strict';
import { test } from 'vitest';
import { LATEST_SCHEMA_VERSION, migrations } from '../../../../main/store/migrations/index.js';

test('migrations are numbered 1..n without gaps, each with a name', () => {
  assert.deepEqual(
    migrations.map((m) => m.version),
    migrations.map((_, i) => i + 1),
  );
  assert.equal(LATEST_SCHEMA_VERSION, migrations.length);
  for (const m of migrations) assert.match(m.name, /^[a-z0-9-]+$/);
});
