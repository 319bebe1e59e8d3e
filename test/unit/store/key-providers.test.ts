import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { test } from 'vitest';
import { KeyUnavailableError, WrongKeyError } from '../../../main/store/errors.js';
import { createKeyFile, createKeyFileKeyProvider } from '../../../main/store/key-file-key-provider.js';
import { createPassphraseKeyProvider, DEFAULT_SCRYPT } from '../../../main/store/passphrase-key-provider.js';
import { tempDir } from '../../helpers/temp-store.js';

test('a passphrase wraps with the default scrypt cost and only the same passphrase unwraps', () => {
  const dataKey = randomBytes(32);
  const wrapped = createPassphraseKeyProvider('a long passphrase').wrap(dataKey);
  assert.equal(wrapped.params['N'], DEFAULT_SCRYPT.N);
  assert.ok(!wrapped.blob.includes(dataKey), 'the data key is not stored in clear');
  assert.deepEqual(createPassphraseKeyProvider('a long passphrase').unwrap(wrapped), dataKey);
  assert.throws(() => createPassphraseKeyProvider('a long passphrasE').unwrap(wrapped), WrongKeyError);
});

test('a too-short passphrase is refused', () => {
  assert.throws(() => createPassphraseKeyProvider('short'), KeyUnavailableError);
});

test('a key file is created private, round-trips, and another key file is refused', () => {
  const tmp = tempDir();
  try {
    const path = `${tmp.dir}/a.key`;
    createKeyFile(path);
    assert.equal(statSync(path).mode & 0o077, 0, 'only the owner can read the key file');
    assert.throws(() => createKeyFile(path), KeyUnavailableError, 'never overwrites a key file');
    const dataKey = randomBytes(32);
    const wrapped = createKeyFileKeyProvider(path).wrap(dataKey);
    assert.deepEqual(createKeyFileKeyProvider(path).unwrap(wrapped), dataKey);
    createKeyFile(`${tmp.dir}/b.key`);
    assert.throws(() => createKeyFileKeyProvider(`${tmp.dir}/b.key`).unwrap(wrapped), WrongKeyError);
    writeFileSync(`${tmp.dir}/c.key`, 'not a key');
    assert.throws(() => createKeyFileKeyProvider(`${tmp.dir}/c.key`), { reason: 'store.key_file_invalid' });
    assert.throws(() => createKeyFileKeyProvider(`${tmp.dir}/missing.key`), {
      reason: 'store.key_file_unreadable',
      details: { errno: 'ENOENT' },
    });
    assert.ok(readFileSync(path, 'utf8').trim().length >= 43);
  } finally {
    tmp.cleanup();
  }
});

test('edited key parameters in the store are refused as damaged at once, never hang the unlock or crash it', () => {
  const fast = { N: 2 ** 10, r: 8, p: 1 };
  const provider = createPassphraseKeyProvider('a long passphrase', fast);
  const wrapped = provider.wrap(randomBytes(32));
  const edits: Record<string, string | number>[] = [
    { p: 100_000 },
    { N: 2 ** 30 },
    { N: 1000 },
    { r: 0 },
    { r: 1.5 },
    { N: 'big' },
    { salt: '' },
    { salt: 'AA==' },
  ];
  for (const edit of edits) {
    const started = performance.now();
    assert.throws(
      () => provider.unwrap({ ...wrapped, params: { ...wrapped.params, ...edit } }),
      { reason: 'store.key_params_damaged' },
      JSON.stringify(edit),
    );
    assert.ok(performance.now() - started < 1000, `refused at once: ${JSON.stringify(edit)}`);
  }
  assert.equal(provider.unwrap(wrapped).length, 32, 'the untouched parameters still unlock');
});
