import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, test } from 'vitest';
import { openScribe } from '../../../main/compose.js';
import { noVad } from '../../../main/capture/vad-provider.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import type { CaptureStatus } from '../../../shared/domain/capture.js';
import type { Visit } from '../../../shared/domain/visit.js';
import { CAPTURE_PASSPHRASE, cliCtx, clinician, openCaptureHarness } from '../../helpers/capture-harness.js';
import { FAST_SCRYPT, tempDir } from '../../helpers/temp-store.js';
import { distinctiveFrame } from '../../helpers/wav-fixtures.js';

const CHILD = fileURLToPath(new URL('../../helpers/capture-recorder-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const FRAME_MS = 100;

async function streamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

describe('a recording process killed mid-visit', () => {
  const tmp = tempDir('scribe-crash-');
  afterAll(() => tmp.cleanup());

  test('loses at most the last second, leaves no gap, and the visit can be resumed', async () => {
    const setup = openScribe({
      dataDir: tmp.dir,
      keyProvider: createPassphraseKeyProvider(CAPTURE_PASSPHRASE, FAST_SCRYPT),
      mode: 'create',
      vad: noVad,
    });
    const created = await setup.dispatch('visit:create', { patientId: 'pat-crash' }, cliCtx);
    assert.ok(created.ok);
    const visit = created.value as Visit;
    assert.ok((await setup.dispatch('visit:recordConsent', { visitId: visit.id, method: 'verbal' }, cliCtx)).ok);
    setup.close();

    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, tmp.dir, visit.id], {
      cwd: ROOT,
      env: { ...process.env, SCRIBE_PASSPHRASE: CAPTURE_PASSPHRASE },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = once(child, 'exit');

    // Kill it 6 s (plus a random part of a frame) into the recording, without warning.
    const killAfterMs = 6000 + Math.floor(Math.random() * FRAME_MS);
    let t0 = 0;
    let lastAck = -1;
    let killedAt = 0;
    for await (const line of createInterface({ input: child.stdout })) {
      const [word, value] = line.split(' ');
      if (word === 'started') {
        t0 = Number(value);
        setTimeout(
          () => {
            killedAt = Date.now();
            child.kill('SIGKILL');
          },
          Math.max(0, t0 + killAfterMs - Date.now()),
        );
      } else if (word === 'ack' && !killedAt) {
        lastAck = Number(value);
      }
    }
    const [code, signal] = (await exited) as [number | null, string | null];
    assert.equal(signal, 'SIGKILL', `the recorder ended on its own (code ${code}): ${stderr}`);
    assert.ok(lastAck >= 40, `the recorder was recording (last stored frame ${lastAck})`);

    // On disk, before anyone reopens the store: the WAL holds the newest audio, as ciphertext only.
    const files = [`${tmp.dir}/scribe.db`, `${tmp.dir}/scribe.db-wal`].filter((f) => existsSync(f));
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const seq of [0, Math.floor(lastAck / 2), lastAck])
        assert.equal(bytes.indexOf(distinctiveFrame(seq).subarray(640, 704)), -1, `frame ${seq} in clear in ${file}`);
    }

    const h = openCaptureHarness({ dir: tmp.dir });
    try {
      const status = await h.call<CaptureStatus>('capture:status', { visitId: visit.id });
      assert.deepEqual([status.visitState, status.capture], ['recording_interrupted', 'interrupted']);
      assert.deepEqual(status.gaps, [], 'no frame missing inside what was kept');
      assert.equal(status.chunks, status.nextSeq, 'frames 0..n-1, each once');
      assert.ok(status.nextSeq >= lastAck + 1, `every acknowledged frame is kept (kept ${status.nextSeq}, acknowledged ${lastAck + 1})`);
      const capturedAtKill = Math.floor((killedAt - t0) / FRAME_MS);
      assert.ok(
        status.durationMs >= (capturedAtKill - 10) * FRAME_MS,
        `kept ${status.durationMs} ms of the ${capturedAtKill * FRAME_MS} ms captured before the kill`,
      );

      // The audio kept is exactly what was sent.
      const pcm = (await streamToBuffer(h.scribe.capture.openAudio(visit.id, clinician).stream)).subarray(44);
      assert.ok(pcm.equals(Buffer.concat(Array.from({ length: status.nextSeq }, (_, seq) => distinctiveFrame(seq)))));

      const resumed = await h.call<CaptureStatus>('capture:recover', { visitId: visit.id, action: 'resume' });
      assert.deepEqual([resumed.visitState, resumed.nextSeq], ['recording', status.nextSeq]);
      await h.call('capture:append', {
        visitId: visit.id,
        seq: resumed.nextSeq,
        pcm: distinctiveFrame(resumed.nextSeq).toString('base64'),
      });
      const stopped = await h.call<CaptureStatus>('capture:stop', { visitId: visit.id });
      assert.deepEqual([stopped.visitState, stopped.chunks, stopped.gaps], ['transcribing', status.nextSeq + 1, []]);
      assert.deepEqual(
        [...h.scribe.audit.entries()].filter((e) => e.objectId === visit.id).map((e) => e.action),
        [
          'visit.created',
          'consent.recorded',
          'capture.started',
          'capture.interrupted',
          'audio.played',
          'capture.recovered',
          'capture.stopped',
        ],
      );
    } finally {
      h.cleanup();
    }
  });
});
