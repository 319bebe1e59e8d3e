/**
 * Run as a child process (node --import tsx): imports a short warm-up file into one visit, then the
 * file under test into another, through the capture service, and prints one JSON line with the
 * process's resident memory before and at its peak during the second import. The warm-up (the test
 * gives it a few seconds of audio) only runs the import's code once, with the VAD model loaded; the
 * SQLite page cache, the JS heap's growth and the write path's buffers all count in the growth
 * measured, as they would in a freshly started app. Usage: capture-import-child.ts DATA_DIR WARM_VISIT WARM_FILE VISIT FILE (passphrase in
 * SCRIBE_PASSPHRASE). Measured here, not in the test runner, so the runner's own heap is not counted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadSileroVad } from '../../main/capture/silero-vad.js';
import { findSileroModel } from '../../main/capture/vad-model-path.js';
import { createVadProvider } from '../../main/capture/vad-provider.js';
import { openScribe } from '../../main/compose.js';
import { nullLogger } from '../../main/log/logger.js';
import { createPassphraseKeyProvider } from '../../main/store/passphrase-key-provider.js';
import { VisitId } from '../../shared/ids.js';

function statusKb(field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : process.memoryUsage().rss;
}

const [dataDir, warmVisitId, warmFile, visitId, file] = process.argv.slice(2);
if (!dataDir || !warmVisitId || !warmFile || !visitId || !file)
  throw new Error('usage: capture-import-child.ts DATA_DIR WARM_VISIT WARM_FILE VISIT FILE');
const actor = { id: 'dr-import', role: 'clinician' } as const;

const vad = createVadProvider(() => loadSileroVad(findSileroModel()), nullLogger);
await vad.get();
const scribe = openScribe({ dataDir, keyProvider: createPassphraseKeyProvider(process.env['SCRIBE_PASSPHRASE'] ?? ''), vad });
const coldBaseline = statusKb('VmRSS');
await scribe.capture.importFile(VisitId.parse(warmVisitId), warmFile, actor);
const warmPeak = statusKb('VmHWM');

const baseline = statusKb('VmRSS');
const baselineJs = process.memoryUsage();
let resetPeak = false;
try {
  // Linux: resets VmHWM to the current RSS, so the peak measured is the import's own.
  writeFileSync('/proc/self/clear_refs', '5');
  resetPeak = true;
} catch {
  // Without it the sampled peak below still bounds the growth.
}
let sampledPeak = baseline;
// What the JS side held at its largest, to tell V8's heap from native memory when the growth is off.
const js = { heapTotal: 0, external: 0 };
const sampler = setInterval(() => {
  sampledPeak = Math.max(sampledPeak, statusKb('VmRSS'));
  const usage = process.memoryUsage();
  js.heapTotal = Math.max(js.heapTotal, usage.heapTotal);
  js.external = Math.max(js.external, usage.external);
}, 25);

const started = performance.now();
const summary = await scribe.capture.importFile(VisitId.parse(visitId), file, actor);
const elapsedMs = Math.round(performance.now() - started);
clearInterval(sampler);
sampledPeak = Math.max(sampledPeak, statusKb('VmRSS'));
const peak = resetPeak ? Math.max(statusKb('VmHWM'), sampledPeak) : sampledPeak;
scribe.close();
await vad.release();
process.stdout.write(
  `${JSON.stringify({
    coldBaseline,
    warmPeak,
    baseline,
    peak,
    growth: peak - baseline,
    heapTotalGrowth: js.heapTotal - baselineJs.heapTotal,
    externalGrowth: js.external - baselineJs.external,
    resetPeak,
    elapsedMs,
    summary,
  })}\n`,
);
