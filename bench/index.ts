import { benchIcdSearch } from './icd-search.js';
import { benchDraftingRouge } from './drafting-rouge.js';
import { benchFactCheck } from './fact-check.js';
import { benchStoreThroughput } from './store-throughput.js';
import { benchCaptureIngest } from './capture-ingest.js';
import { benchWritebackFhir } from './writeback-fhir.js';
import { benchWritebackMllp } from './writeback-mllp.js';
import { benchAsr } from './asr.js';
import { benchVisitUi } from './visit-ui.js';

/**
 * `npm run bench`: every figure beside a baseline measured in the same run, printed as one JSON
 * document. BENCH_ROWS scales the store figures (default 2000 rows per variant and round).
 */
const rows = Number.parseInt(process.env['BENCH_ROWS'] ?? '2000', 10);
/** BENCH_AUDIO_SECONDS: audio per capture-ingest variant and round (default 60). */
const audioSeconds = Number.parseInt(process.env['BENCH_AUDIO_SECONDS'] ?? '60', 10);

const report = {
  measuredAt: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  store: benchStoreThroughput(rows),
  captureIngest: await benchCaptureIngest(audioSeconds),
  icdSearch: benchIcdSearch(),
  /** Issue 16: offline drafter, transcript baseline and (when configured) the language model, scored alike. */
  drafting: await benchDraftingRouge(),
  /** Issue 13: the fact checker over the offline drafter's sentences with doses, frequencies or numbers. */
  factCheck: benchFactCheck(),
  asr: await benchAsr(),
  writeback: {
    fhirTransactions: await benchWritebackFhir(),
    mllp: await benchWritebackMllp(),
  },
  /** Issue 7: stop → draft shown for a 10-minute visit, and the renderer's frames while recording (Chromium). */
  visitUi: await benchVisitUi(),
};

process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
