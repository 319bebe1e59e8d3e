import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, test } from 'vitest';
import { openScribe } from '../../../main/compose.js';
import { noVad } from '../../../main/capture/vad-provider.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { CaptureStatus, ImportSummary } from '../../../shared/domain/capture.js';
import { CAPTURE_PASSPHRASE, cliCtx, clinician, openCaptureHarness } from '../../helpers/capture-harness.js';
import { FAST_SCRYPT, tempDir } from '../../helpers/temp-store.js';
import { DISTINCTIVE_PERIOD, distinctivePeriod, writeDistinctiveWav } from '../../helpers/wav-fixtures.js';

const CHILD = fileURLToPath(new URL('../../helpers/capture-import-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const MB = 1024 * 1024;
const HOUR = 16_000 * 3600;

interface ChildReport {
  coldBaseline: number;
  warmPeak: number;
  baseline: number;
  peak: number;
  growth: number;
  heapTotalGrowth: number;
  externalGrowth: number;
  resetPeak: boolean;
  elapsedMs: number;
  summary: ImportSummary;
}

async function streamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

describe('importing an hour of audio', () => {
  const tmp = tempDir('scribe-hour-');
  afterAll(() => tmp.cleanup());

  test(
    'streams: the hour costs the process under 50 MB, and the store holds only ciphertext',
    { timeout: 180_000 },
    async ({ annotate }) => {
      const dataDir = join(tmp.dir, 'data');
      const setup = openScribe({
        dataDir,
        keyProvider: createPassphraseKeyProvider(CAPTURE_PASSPHRASE, FAST_SCRYPT),
        mode: 'create',
        vad: noVad,
      });
      const ids: string[] = [];
      for (let i = 0; i < 2; i += 1) {
        const created = await setup.dispatch('visit:create', { patientId: `pat-hour-${i}` }, cliCtx);
        assert.ok(created.ok);
        ids.push((created.value as { id: string }).id);
        assert.ok((await setup.dispatch('visit:recordConsent', { visitId: ids[i], method: 'verbal' }, cliCtx)).ok);
      }
      setup.close();

      // Cold start: the warm-up is 5 s, only enough to load the code paths an import runs (the first
      // call compiles them, the VAD session allocates its buffers); the SQLite page cache, V8's heap
      // sizing and the write path's buffers all have to fit inside the budget measured below.
      const warm = join(tmp.dir, 'warm-up-5s.wav');
      const hour = join(tmp.dir, 'visit-60min.wav');
      await writeDistinctiveWav(warm, 16_000 * 5);
      await writeDistinctiveWav(hour, HOUR);
      assert.equal(statSync(hour).size, 44 + HOUR * 2);

      const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, dataDir, ids[0]!, warm, ids[1]!, hour], {
        cwd: ROOT,
        env: { ...process.env, SCRIBE_PASSPHRASE: CAPTURE_PASSPHRASE },
        encoding: 'utf8',
        timeout: 170_000,
        maxBuffer: 1024 * 1024,
      });
      assert.equal(child.status, 0, child.stderr);
      const report = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as ChildReport;
      await annotate(
        `hour import: ${(report.growth / MB).toFixed(1)} MB over the warm process (JS heap +${(report.heapTotalGrowth / MB).toFixed(1)} MB, ` +
          `external +${(report.externalGrowth / MB).toFixed(1)} MB) in ${(report.elapsedMs / 1000).toFixed(1)} s; ` +
          `the 5 s warm-up took the fresh process from ${(report.coldBaseline / MB).toFixed(0)} to ${(report.warmPeak / MB).toFixed(0)} MB`,
      );
      assert.equal(report.summary.durationMs, 3_600_000);
      assert.equal(report.summary.chunks, 3600);
      assert.ok(report.resetPeak, 'the peak was measured by the kernel (VmHWM), not only sampled');
      assert.ok(report.growth < 50 * MB, `the hour grew the process by ${(report.growth / MB).toFixed(1)} MB`);

      // Runs of the source PCM, from across its period: present in the WAV (so the search works), absent from the store.
      const period = distinctivePeriod();
      const needles = Array.from({ length: 16 }, (_, i) => {
        const at = Math.floor((i * (DISTINCTIVE_PERIOD - 64)) / 16) * 2;
        return period.subarray(at, at + 64);
      });
      const source = Buffer.alloc(44 + DISTINCTIVE_PERIOD * 2);
      const fd = openSync(hour, 'r');
      readSync(fd, source, 0, source.length, 0);
      closeSync(fd);
      for (const needle of needles) assert.notEqual(source.indexOf(needle), -1);
      const files = [join(dataDir, 'scribe.db'), join(dataDir, 'scribe.db-wal')].filter((f) => existsSync(f));
      let scanned = 0;
      for (const file of files) {
        const bytes = readFileSync(file);
        scanned += bytes.length;
        for (const needle of needles) assert.equal(bytes.indexOf(needle), -1, `a run of the source PCM is readable in ${file}`);
      }
      assert.ok(scanned > HOUR * 2, 'the whole store was searched');

      const h = openCaptureHarness({ dir: dataDir });
      try {
        const status = await h.call<CaptureStatus>('capture:status', { visitId: ids[1] });
        assert.deepEqual(
          [status.visitState, status.capture, status.durationMs, status.gaps, status.segmentsComplete],
          ['transcribing', 'stopped', 3_600_000, [], true],
        );
        // The last second, read from its offset, is the source's last second.
        const tail = (await streamToBuffer(h.scribe.capture.openAudio(ids[1] as never, clinician, { fromMs: 3_599_000 }).stream)).subarray(
          44,
        );
        const expected = Buffer.concat(
          Array.from({ length: 16_000 }, (_, k) =>
            period.subarray(((HOUR - 16_000 + k) % DISTINCTIVE_PERIOD) * 2, ((HOUR - 16_000 + k) % DISTINCTIVE_PERIOD) * 2 + 2),
          ),
        );
        assert.ok(tail.equals(expected));
      } finally {
        h.cleanup();
      }
    },
  );
});
