import { benchStoreThroughput } from './store-throughput.js';

/**
 * `npm run bench`: every figure beside a baseline measured in the same run, printed as one JSON
 * document. BENCH_ROWS scales the store figures (default 2000 rows per variant and round).
 */
const rows = Number.parseInt(process.env['BENCH_ROWS'] ?? '2000', 10);

const report = {
  measuredAt: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  store: benchStoreThroughput(rows),
};

process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
