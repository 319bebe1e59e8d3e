/**
 * A write-back worker as its own process, so tests can SIGKILL it mid-send: it opens the store,
 * sends due jobs to the FHIR EHR described by SCRIBE_TEST_FHIR (or the HL7 v2 receiver in SCRIBE_TEST_HL7), and prints a line per
 * run. It never exits on its own.
 */
import { openScribe } from '../../main/compose.js';
import { createPassphraseKeyProvider } from '../../main/store/passphrase-key-provider.js';
import { FhirDeliverer } from '../../main/writeback/fhir/fhir-deliverer.js';
import { Hl7Deliverer } from '../../main/writeback/hl7/hl7-deliverer.js';
import type { Hl7TargetConfigInput } from '../../main/writeback/hl7/hl7-config.js';
import type { FhirTargetConfigInput } from '../../main/fhir/fhir-target-config.js';
import { FAST_SCRYPT } from './temp-store.js';

const env = process.env;
// SCRIBE_TEST_HL7 (an HL7 target config) sends over MLLP instead.
const hl7 = env['SCRIBE_TEST_HL7'] ? (JSON.parse(env['SCRIBE_TEST_HL7']) as Hl7TargetConfigInput) : undefined;
const scribe = openScribe({
  dataDir: env['SCRIBE_DATA_DIR']!,
  keyProvider: createPassphraseKeyProvider(env['SCRIBE_PASSPHRASE']!, FAST_SCRYPT),
  mode: 'open',
  writeback: {
    route: hl7 ? 'hl7v2' : 'fhir',
    deliverers: hl7
      ? { hl7v2: new Hl7Deliverer({ config: hl7 }) }
      : { fhir: new FhirDeliverer({ config: JSON.parse(env['SCRIBE_TEST_FHIR']!) as FhirTargetConfigInput }) },
    leaseMs: Number(env['SCRIBE_TEST_LEASE_MS'] ?? 4000),
    backoff: { baseMs: 100, maxMs: 1000 },
  },
});
for (;;) {
  const summary = await scribe.outboxWorker.runOnce();
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  await new Promise((resolve) => setTimeout(resolve, 100));
}
