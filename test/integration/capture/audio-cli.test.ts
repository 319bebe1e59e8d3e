import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { openScribe } from '../../../main/compose.js';
import { noVad } from '../../../main/capture/vad-provider.js';
import { createPassphraseKeyProvider } from '../../../main/store/passphrase-key-provider.js';
import { CLI_MISSING, cliBuilt, scribe } from '../../helpers/cli.js';
import { corruptFile, encode, ffmpegMissing } from '../../helpers/compressed-audio.js';
import { FAST_SCRYPT, SENTINEL, tempDir } from '../../helpers/temp-store.js';
import { pcm16Samples, wavHeaderFor, writeDistinctiveWav, writeWav } from '../../helpers/wav-fixtures.js';
import { skipWhen } from '../../helpers/skip.js';

const PASSPHRASE = 'audio cli passphrase';

/** Everything about a visit that an import could change, read straight from the database. */
function visitFootprint(dir: string, visitId: string) {
  const db = new BetterSqlite3(join(dir, 'scribe.db'), { readonly: true });
  try {
    const count = (sql: string) => (db.prepare(sql).get(visitId) as { n: number }).n;
    return {
      state: db.prepare('SELECT state, updated_at FROM visits WHERE id = ?').get(visitId) as { state: string; updated_at: string },
      tracks: count('SELECT COUNT(*) AS n FROM audio_tracks WHERE visit_id = ?'),
      chunks: count('SELECT COUNT(*) AS n FROM audio_chunks WHERE visit_id = ?'),
      segments: count('SELECT COUNT(*) AS n FROM speech_segments WHERE visit_id = ?'),
      audit: (db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

describe('scribe visit import-audio / export-audio', skipWhen(cliBuilt ? false : CLI_MISSING), () => {
  const tmp = tempDir('scribe-audio-cli-');
  const env = { SCRIBE_DATA_DIR: join(tmp.dir, 'data'), SCRIBE_PASSPHRASE: PASSPHRASE, SCRIBE_USER: 'dr-cli' };
  const file = (name: string) => join(tmp.dir, name);
  const visits: string[] = [];

  beforeAll(async () => {
    // A store made with cheap scrypt: every CLI command below unlocks it quickly.
    const s = openScribe({
      dataDir: env.SCRIBE_DATA_DIR,
      keyProvider: createPassphraseKeyProvider(PASSPHRASE, FAST_SCRYPT),
      mode: 'create',
      vad: noVad,
    });
    const ctx = { transport: 'cli', actor: { id: 'dr-cli', role: 'clinician' } } as const;
    for (let i = 0; i < 7; i += 1) {
      const created = await s.dispatch('visit:create', { patientId: SENTINEL.patientId, patient: { displayName: SENTINEL.name } }, ctx);
      assert.ok(created.ok);
      visits.push((created.value as { id: string }).id);
    }
    s.close();
  });
  afterAll(() => tmp.cleanup());

  test('import needs recorded consent; `scribe visit consent` records it', () => {
    const wav = file('consent.wav');
    writeFileSync(wav, Buffer.concat([wavHeaderFor({ sampleRate: 16_000, channels: 1, encoding: 'pcm16' }, 1600), Buffer.alloc(3200, 7)]));
    const refused = scribe(['visit', 'import-audio', visits[0]!, wav], env);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /Record the patient's consent/);
    const consent = scribe(['visit', 'consent', visits[0]!, '--method', 'verbal', '--json'], env);
    assert.equal(consent.status, 0, consent.stderr);
    assert.equal((JSON.parse(consent.stdout) as { method: string; confirmedBy: string }).confirmedBy, 'dr-cli');
    assert.equal(scribe(['visit', 'consent', visits[0]!, '--method', 'telepathic'], env).status, 2);
    for (const id of visits.slice(1)) assert.equal(scribe(['visit', 'consent', id, '--method', 'written'], env).status, 0);
  });

  describe('files that cannot be imported each say why, and leave the visit as it was', () => {
    const name = (ext: string) => file(`${SENTINEL.name} ${ext}`);
    const header = (frames: number) => wavHeaderFor({ sampleRate: 16_000, channels: 1, encoding: 'pcm16' }, frames);
    const badFmt = () => {
      const h = header(1000);
      h.writeUInt16LE(0, 22); // zero channels
      return Buffer.concat([h, Buffer.alloc(2000)]);
    };
    const cases: { name: string; bytes: () => Buffer; expect: RegExp }[] = [
      { name: 'a zero-length file', bytes: () => Buffer.alloc(0), expect: /The file is empty \(0 bytes\)\. Nothing was imported\./ },
      {
        name: 'a truncated WAV',
        bytes: () => Buffer.concat([header(160_000), Buffer.alloc(64_000, 3)]),
        expect: /The WAV file is truncated: its header declares 10\.0 s of audio but the file holds 2\.0 s\. Nothing was imported\./,
      },
      { name: 'a WAV cut inside its header', bytes: () => header(1000).subarray(0, 30), expect: /truncated: it ends inside its header/ },
      {
        name: 'a WAV with a wrong header',
        bytes: badFmt,
        expect: /The WAV header is invalid: it declares 0 channels\. Nothing was imported\./,
      },
      {
        name: 'a PDF',
        bytes: () => Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n'),
        expect: /This file is not audio \(it looks like PDF document\)/,
      },
      {
        name: 'a text file',
        bytes: () => Buffer.from(`Note for ${SENTINEL.name}: follow up in two weeks.\n`),
        expect: /This file is not audio \(it looks like text\)/,
      },
      {
        name: 'FLAC',
        bytes: () => Buffer.concat([Buffer.from('fLaC'), Buffer.alloc(60)]),
        expect: /The FLAC file is damaged: its STREAMINFO block is invalid\. Nothing was imported\./,
      },
      {
        name: 'MP3',
        bytes: () => Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0, 0]), Buffer.alloc(60)]),
        expect: /The MP3 file is damaged: no audio frames were found in it\. Nothing was imported\./,
      },
      {
        name: 'M4A',
        bytes: () => Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypM4A '), Buffer.alloc(60)]),
        expect: /Unsupported format: M4A/,
      },
      {
        name: 'WebM',
        bytes: () => Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84]), Buffer.from('webm'), Buffer.alloc(60)]),
        expect: /The WebM file is damaged: its structure is invalid\./,
      },
      {
        name: 'Ogg Opus',
        bytes: () => Buffer.concat([Buffer.from('OggS'), Buffer.alloc(24), Buffer.from('OpusHead'), Buffer.alloc(40)]),
        expect: /The Ogg file is damaged: a page fails its checksum\./,
      },
    ];
    for (const c of cases) {
      test(c.name, () => {
        const visit = visits[1]!;
        const path = name(`${c.name}.wav`);
        writeFileSync(path, c.bytes());
        const before = visitFootprint(env.SCRIBE_DATA_DIR, visit);
        const result = scribe(['visit', 'import-audio', visit, path], env);
        assert.equal(result.status, 1, result.stdout);
        assert.match(result.stderr, c.expect);
        assert.ok(!result.stderr.includes(SENTINEL.name), 'the file name (which may name a patient) is not echoed');
        assert.ok(!/at .*\.js:\d+/.test(result.stderr), 'no stack trace');
        assert.deepEqual(visitFootprint(env.SCRIBE_DATA_DIR, visit), before);
      });
    }
    test('a file that does not exist', () => {
      const result = scribe(['visit', 'import-audio', visits[1]!, name('missing.wav')], env);
      assert.equal(result.status, 1);
      assert.match(result.stderr, /cannot be read: it does not exist/);
    });
  });

  test('16 kHz mono 16-bit audio round-trips bit for bit', async () => {
    const wav = file('mono16k.wav');
    await writeDistinctiveWav(wav, 16_000 * 7 + 123);
    const imported = scribe(['visit', 'import-audio', visits[2]!, wav, '--json'], env);
    assert.equal(imported.status, 0, imported.stderr);
    const summary = JSON.parse(imported.stdout) as { durationMs: number; chunks: number; sourceFormat: string };
    assert.deepEqual([summary.durationMs, summary.chunks, summary.sourceFormat], [7007, 8, 'WAV 16-bit PCM']);
    const out = file('mono16k-out.wav');
    const exported = scribe(['visit', 'export-audio', visits[2]!, out], env);
    assert.equal(exported.status, 0, exported.stderr);
    assert.match(exported.stdout, /Wrote 7\.0 s of audio/);
    assert.ok(readFileSync(out).equals(readFileSync(wav)), 'the exported file is the imported one');
    const again = scribe(['visit', 'export-audio', visits[2]!, out], env);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already exists/);
    const twice = scribe(['visit', 'import-audio', visits[2]!, wav], env);
    assert.match(twice.stderr, /only into a visit that has not been recorded yet/);
    const state = visitFootprint(env.SCRIBE_DATA_DIR, visits[2]!);
    assert.deepEqual([state.state.state, state.chunks, state.tracks], ['transcribing', 8, 1]);
  });

  for (const spec of [
    { sampleRate: 44_100, channels: 2, encoding: 'float32' as const },
    { sampleRate: 48_000, channels: 2, encoding: 'pcm24' as const },
    { sampleRate: 8_000, channels: 1, encoding: 'pcm16' as const },
  ]) {
    test(`${spec.sampleRate} Hz ${spec.channels === 2 ? 'stereo' : 'mono'} ${spec.encoding} is converted to 16 kHz mono and exports with the same duration`, async () => {
      const visit = spec.sampleRate === 44_100 ? visits[3]! : spec.sampleRate === 48_000 ? visits[4]! : visits[5]!;
      const seconds = 12.5;
      const wav = file(`in-${spec.sampleRate}.wav`);
      // A 440 Hz tone on the left, 660 Hz on the right (or both in mono).
      await writeWav(
        wav,
        spec,
        Math.round(spec.sampleRate * seconds),
        (i, channel) => 0.4 * Math.sin((2 * Math.PI * (channel ? 660 : 440) * i) / spec.sampleRate),
      );
      const imported = scribe(['visit', 'import-audio', visit, wav], env);
      assert.equal(imported.status, 0, imported.stderr);
      const out = file(`out-${spec.sampleRate}.wav`);
      assert.equal(scribe(['visit', 'export-audio', visit, out], env).status, 0);
      const bytes = readFileSync(out);
      assert.deepEqual([bytes.readUInt16LE(22), bytes.readUInt32LE(24), bytes.readUInt16LE(34)], [1, 16_000, 16]);
      const samples = pcm16Samples(bytes);
      assert.ok(Math.abs(samples.length / 16_000 - seconds) / seconds < 0.02, `exported ${samples.length / 16_000} s of ${seconds} s`);
      // The mono mix of the two tones, sample for sample (away from the edges).
      let err = 0;
      for (let i = 1000; i < samples.length - 1000; i += 7) {
        const t = i / 16_000;
        const expected =
          spec.channels === 2
            ? 0.2 * Math.sin(2 * Math.PI * 440 * t) + 0.2 * Math.sin(2 * Math.PI * 660 * t)
            : 0.4 * Math.sin(2 * Math.PI * 440 * t);
        err = Math.max(err, Math.abs(samples[i]! / 32768 - expected));
      }
      assert.ok(err < 0.01, `largest difference from the expected signal: ${err}`);
    });
  }

  test(
    'an Ogg Opus file imports; the same file damaged is refused first and leaves the visit as it was',
    skipWhen(ffmpegMissing ?? false),
    async () => {
      const visit = visits[6]!;
      const wav = file('opus-source.wav');
      await writeWav(
        wav,
        { sampleRate: 48_000, channels: 2, encoding: 'pcm16' },
        48_000 * 9,
        (i, channel) => 0.3 * Math.sin((2 * Math.PI * (channel ? 330 : 220) * i) / 48_000),
      );
      const opus = encode(wav, file('visit.opus'), ['-c:a', 'libopus', '-b:a', '64k']);
      const before = visitFootprint(env.SCRIBE_DATA_DIR, visit);
      const refused = scribe(['visit', 'import-audio', visit, corruptFile(opus, file('visit-damaged.opus'))], env);
      assert.equal(refused.status, 1, refused.stdout);
      assert.match(refused.stderr, /The Ogg Opus file is damaged: a page fails its checksum\. Nothing was imported\./);
      assert.deepEqual(visitFootprint(env.SCRIBE_DATA_DIR, visit), before);
      const imported = scribe(['visit', 'import-audio', visit, opus, '--json'], env);
      assert.equal(imported.status, 0, imported.stderr);
      const summary = JSON.parse(imported.stdout) as {
        durationMs: number;
        sourceFormat: string;
        sourceSampleRate: number;
        sourceChannels: number;
      };
      assert.deepEqual([summary.sourceFormat, summary.sourceSampleRate, summary.sourceChannels], ['Ogg Opus', 48_000, 2]);
      assert.ok(Math.abs(summary.durationMs - 9000) <= 180, `${summary.durationMs} ms`);
      const after = visitFootprint(env.SCRIBE_DATA_DIR, visit);
      assert.deepEqual([after.state.state, after.chunks], ['transcribing', Math.ceil(summary.durationMs / 1000)]);
    },
  );

  test('export of a visit without audio, and of an unknown visit, are clear errors; nothing is written', () => {
    const s = scribe(['visit', 'export-audio', visits[1]!, file('none.wav')], env);
    assert.equal(s.status, 1);
    assert.match(s.stderr, /The visit's audio was not found/);
    assert.ok(!existsSync(file('none.wav')));
    const unknown = scribe(['visit', 'export-audio', '00000000-0000-4000-8000-000000000000', file('none.wav')], env);
    assert.match(unknown.stderr, /The visit was not found/);
    assert.match(scribe(['visit', 'export-audio', 'not-a-visit', file('none.wav')], env).stderr, /check the visit id/);
  });
});
