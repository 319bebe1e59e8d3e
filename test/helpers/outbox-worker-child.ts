/**
 * A write-back worker as its own process, so tests can SIGKILL it mid-send: it opens the store,
 * sends due jobs to the FHIR EHR described by SCRIBE_TEST_FHIR (JSON config), and prints a line per
 * run. It never exits on its own.
 */
import { openScribe } from '../../main/compose.js';
import { createPassphraseKeyProvider } from '../../main/store/passphrase-key-provider.js';
import { FhirDeliverer } from '../../main/writeback/fhir/fhir-deliverer.js';
import type { FhirTargetConfigInput } from '../../main/fhir/fhir-target-config.js';
import { FAST_SCRYPT } from './temp-store.js';

const env = process.env;
const config = JSON.parse(env['SCRIBE_TEST_FHIR']!) as FhirTargetConfigInput;
const scribe = openScribe({
  dataDir: env['SCRIBE_DATA_DIR']!,
  keyProvider: createPassphraseKeyProvider(env['SCRIBE_PASSPHRASE']!, FAST_SCRYPT),
  mode: 'open',
  writeback: {
    route: 'fhir',
    deliverers: { fhir: new FhirDeliverer({ config }) },
    leaseMs: Number(env['SCRIBE_TEST_LEASE_MS'] ?? 4000),
    backoff: { baseMs: 100, maxMs: 1000 },
  },
});
for (;;) {
  const summary = await scribe.outboxWorker.runOnce();
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  await new Promise((resolve) => setTimeout(resolve, 100));
}
