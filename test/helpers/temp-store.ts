import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScryptCost } from '../../main/store/passphrase-key-provider.js';

/** A fresh folder per test, removed afterwards. */
export function tempDir(prefix = 'scribe-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Cheaper scrypt for tests that open stores many times; the key-provider tests use the real default. */
export const FAST_SCRYPT: ScryptCost = { N: 2 ** 12, r: 8, p: 1 };

/** Distinctive fake patient data: tests assert these strings never appear where PHI must not be. */
export const SENTINEL = {
  name: 'Zzyzx Quillfeather-Sentinel',
  mrn: 'MRN-SENTINEL-77341',
  birthDate: '1931-02-28',
  patientId: 'pat-sentinel-90210',
} as const;
