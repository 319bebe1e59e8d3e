import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPassphraseKeyProvider } from '../main/store/passphrase-key-provider.js';
import { openStore } from '../main/store/store.js';

const VALUE_BYTES = 4096;

export interface ThroughputFigures {
  readonly writesPerSecond: number;
  readonly readsPerSecond: number;
}

/**
 * Encrypted 4 KiB values against the same writes in clear, in one store with the app's own pragmas
 * (WAL, synchronous=FULL, secure_delete), one transaction per row as the services write.
 */
export function benchStoreThroughput(rows: number) {
  const dir = mkdtempSync(join(tmpdir(), 'scribe-bench-'));
  const store = openStore({ dataDir: dir, keyProvider: createPassphraseKeyProvider('bench passphrase'), mode: 'create' });
  try {
    const { db, cipher } = store;
    db.exec(
      'CREATE TABLE bench_plain (id TEXT PRIMARY KEY, value BLOB NOT NULL); CREATE TABLE bench_sealed (id TEXT PRIMARY KEY, value BLOB NOT NULL);',
    );
    const values = Array.from({ length: rows }, () => randomBytes(VALUE_BYTES));
    const where = (id: string) => ({ table: 'bench_sealed', rowId: id, column: 'value' });

    const run = (
      table: 'bench_plain' | 'bench_sealed',
      encode: (id: string, v: Buffer) => Buffer,
      decode: (id: string, v: Buffer) => Buffer,
      round: number,
    ) => {
      const insert = db.prepare(`INSERT INTO ${table} (id, value) VALUES (?, ?)`);
      const select = db.prepare(`SELECT value FROM ${table} WHERE id = ?`);
      const ids = values.map((_, i) => `r${round}-${i}`);
      let started = performance.now();
      values.forEach((value, i) => db.transaction(() => insert.run(ids[i], encode(ids[i]!, value)))());
      const writeMs = performance.now() - started;
      started = performance.now();
      let bytes = 0;
      for (const id of ids) bytes += decode(id, (select.get(id) as { value: Buffer }).value).length;
      const readMs = performance.now() - started;
      if (bytes !== rows * VALUE_BYTES) throw new Error('bench read back the wrong amount');
      return { writesPerSecond: (rows / writeMs) * 1000, readsPerSecond: (rows / readMs) * 1000 };
    };

    const plain: ThroughputFigures[] = [];
    const sealed: ThroughputFigures[] = [];
    // Alternate the two so disk cache warm-up and fsync noise fall on both alike.
    for (let round = 0; round < 2; round += 1) {
      plain.push(
        run(
          'bench_plain',
          (_id, v) => v,
          (_id, v) => v,
          round,
        ),
      );
      sealed.push(
        run(
          'bench_sealed',
          (id, v) => cipher.seal(v, where(id)),
          (id, v) => cipher.open(v, where(id)),
          round,
        ),
      );
    }
    const best = (list: ThroughputFigures[]): ThroughputFigures => ({
      writesPerSecond: Math.round(Math.max(...list.map((f) => f.writesPerSecond))),
      readsPerSecond: Math.round(Math.max(...list.map((f) => f.readsPerSecond))),
    });
    const encrypted = best(sealed);
    const plaintext = best(plain);
    return {
      valueBytes: VALUE_BYTES,
      rows,
      synchronous: 'FULL',
      encrypted,
      plaintext,
      encryptedToPlaintext: {
        writes: Number((encrypted.writesPerSecond / plaintext.writesPerSecond).toFixed(3)),
        reads: Number((encrypted.readsPerSecond / plaintext.readsPerSecond).toFixed(3)),
      },
    };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
