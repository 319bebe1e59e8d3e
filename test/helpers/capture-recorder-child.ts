/**
 * Run as a child process (node --import tsx): records into a visit the way the app does, one
 * ~100 ms frame at a time at real-time pace through the API, until it is killed. Prints
 * `started EPOCH_MS` once the recording is running, then `ack SEQ` after each frame is stored.
 * Usage: capture-recorder-child.ts DATA_DIR VISIT_ID (passphrase in SCRIBE_PASSPHRASE).
 */
import { openScribe } from '../../main/compose.js';
import { createPassphraseKeyProvider } from '../../main/store/passphrase-key-provider.js';
import { distinctiveFrame } from './wav-fixtures.js';

const [dataDir, visitId] = process.argv.slice(2);
if (!dataDir || !visitId) throw new Error('usage: capture-recorder-child.ts DATA_DIR VISIT_ID');

const scribe = openScribe({ dataDir, keyProvider: createPassphraseKeyProvider(process.env['SCRIBE_PASSPHRASE'] ?? '') });
const ctx = { transport: 'ipc', actor: { id: 'dr-recorder', role: 'clinician' } } as const;

const started = await scribe.dispatch('capture:start', { visitId }, ctx);
if (!started.ok) throw new Error(`capture:start failed: ${started.error.message}`);
const t0 = Date.now();
process.stdout.write(`started ${t0}\n`);

const FRAME_MS = 100;
for (let seq = 0; seq < 36_000; seq += 1) {
  // Frame `seq` exists once its 100 ms have been captured, as from a microphone.
  const due = t0 + (seq + 1) * FRAME_MS;
  const wait = due - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const result = await scribe.dispatch('capture:append', { visitId, seq, pcm: distinctiveFrame(seq).toString('base64') }, ctx);
  if (!result.ok) throw new Error(`capture:append failed: ${result.error.message}`);
  process.stdout.write(`ack ${seq}\n`);
}
