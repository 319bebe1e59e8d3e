import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { AudioImportError } from '../../../main/capture/capture-errors.js';
import type { CaptureStatus, ImportSummary } from '../../../shared/domain/capture.js';
import type { VisitId } from '../../../shared/ids.js';
import { clinician, openCaptureHarness } from '../../helpers/capture-harness.js';
import type { CaptureHarness } from '../../helpers/capture-harness.js';
import { corruptFile, encode, ffmpegMissing, truncateFile } from '../../helpers/compressed-audio.js';
import type { MonoAudio } from '../../helpers/speech-wav.js';
import { bestAlignedCorrelation, dialogue, espeakMissing, parseWav, rmsEnvelope, writeWav16 } from '../../helpers/speech-wav.js';
import { skipWhen } from '../../helpers/skip.js';

async function readBack(h: CaptureHarness, visitId: VisitId): Promise<MonoAudio> {
  const parts: Buffer[] = [];
  for await (const part of h.scribe.capture.openAudio(visitId, clinician).stream) parts.push(part as Buffer);
  return parseWav(Buffer.concat(parts));
}

describe('importing compressed audio (FLAC, MP3, Ogg Opus/Vorbis, WebM Opus)', skipWhen(espeakMissing ?? ffmpegMissing ?? false), () => {
  let h: CaptureHarness;
  let source: MonoAudio;
  let wav: string;
  const file = (name: string) => join(h.dir, name);

  beforeAll(() => {
    h = openCaptureHarness();
    const speech = dialogue(
      [
        { speaker: 'clinician', text: 'What brings you in today?' },
        { speaker: 'patient', text: 'I have had a cough and a fever for three days.' },
        { speaker: 'clinician', text: 'Any shortness of breath or chest pain?' },
        { speaker: 'patient', text: 'A little short of breath when I climb stairs.' },
      ],
      { leadMs: 500, gapMs: 600, tailMs: 500 },
    );
    source = speech.audio;
    wav = join(h.dir, 'source.wav');
    writeWav16(wav, source);
  });
  afterAll(() => h.cleanup());

  const formats: { name: string; ext: string; options: string[]; format: string; rate: number; channels: number }[] = [
    { name: 'FLAC, 44.1 kHz stereo', ext: 'flac', options: ['-ar', '44100', '-ac', '2'], format: 'FLAC', rate: 44_100, channels: 2 },
    {
      name: 'FLAC, 48 kHz mono 24-bit',
      ext: 'flac',
      options: ['-ar', '48000', '-sample_fmt', 's32'],
      format: 'FLAC',
      rate: 48_000,
      channels: 1,
    },
    {
      name: 'MP3, 44.1 kHz stereo',
      ext: 'mp3',
      options: ['-ar', '44100', '-ac', '2', '-c:a', 'libmp3lame', '-b:a', '128k'],
      format: 'MP3',
      rate: 44_100,
      channels: 2,
    },
    {
      name: 'MP3, 22.05 kHz mono (no Xing header)',
      ext: 'mp3',
      options: ['-c:a', 'libmp3lame', '-b:a', '48k', '-write_xing', '0'],
      format: 'MP3',
      rate: 22_050,
      channels: 1,
    },
    {
      name: 'Ogg Opus, stereo',
      ext: 'opus',
      options: ['-ac', '2', '-c:a', 'libopus', '-b:a', '48k'],
      format: 'Ogg Opus',
      rate: 48_000,
      channels: 2,
    },
    {
      name: 'Ogg Vorbis, 44.1 kHz mono',
      ext: 'ogg',
      options: ['-ar', '44100', '-c:a', 'libvorbis'],
      format: 'Ogg Vorbis',
      rate: 44_100,
      channels: 1,
    },
    { name: 'WebM Opus, mono', ext: 'webm', options: ['-c:a', 'libopus', '-b:a', '32k'], format: 'WebM (Opus)', rate: 48_000, channels: 1 },
    {
      name: 'WebM Opus, stereo, written as a live stream',
      ext: 'webm',
      options: ['-ac', '2', '-c:a', 'libopus', '-live', '1', '-f', 'webm'],
      format: 'WebM (Opus)',
      rate: 48_000,
      channels: 2,
    },
    {
      name: 'Matroska audio (MKA) with Opus',
      ext: 'mka',
      options: ['-c:a', 'libopus'],
      format: 'Matroska (Opus)',
      rate: 48_000,
      channels: 1,
    },
  ];
  for (const [i, spec] of formats.entries()) {
    test(`${spec.name}: same duration (±2 %) and the same speech envelope`, async () => {
      const input = encode(wav, file(`in-${i}.${spec.ext}`), spec.options);
      const visit = await h.newVisit();
      const summary: ImportSummary = await h.scribe.capture.importFile(visit.id, input, clinician);
      assert.deepEqual([summary.sourceFormat, summary.sourceSampleRate, summary.sourceChannels], [spec.format, spec.rate, spec.channels]);
      const sourceMs = (source.samples.length / source.sampleRate) * 1000;
      assert.ok(
        Math.abs(summary.durationMs - sourceMs) <= sourceMs * 0.02,
        `${summary.durationMs} ms imported for ${sourceMs.toFixed(0)} ms of source`,
      );
      const status = await h.call<CaptureStatus>('capture:status', { visitId: visit.id });
      assert.deepEqual([status.visitState, status.capture, status.durationMs], ['transcribing', 'stopped', summary.durationMs]);
      const stored = await readBack(h, visit.id);
      assert.equal(stored.sampleRate, 16_000);
      const { correlation, lag } = bestAlignedCorrelation(rmsEnvelope(source, 50), rmsEnvelope(stored, 50), 4);
      assert.ok(correlation >= 0.9, `envelope correlation ${correlation.toFixed(3)} at lag ${lag}`);
    });
  }

  describe('damaged, cut-short and unsupported files are refused, each saying why, and the visit is left as it was', () => {
    const cases: { name: string; make: () => string; problem: string; message: RegExp }[] = [
      {
        name: 'a truncated FLAC',
        make: () => truncateFile(encode(wav, file('t.flac'), []), file('t-cut.flac')),
        problem: 'truncated',
        message:
          /^The FLAC file is truncated: its header declares \d+\.\d s of audio but the file holds \d+\.\d s\. Nothing was imported\.$/,
      },
      {
        name: 'a corrupted FLAC',
        make: () => corruptFile(encode(wav, file('c.flac'), []), file('c-bad.flac')),
        problem: 'damaged',
        message: /^The FLAC file is damaged: only \d+\.\d s of its \d+\.\d s could be decoded\. Nothing was imported\.$/,
      },
      {
        name: 'a truncated MP3',
        make: () => truncateFile(encode(wav, file('t.mp3'), ['-c:a', 'libmp3lame']), file('t-cut.mp3')),
        problem: 'truncated',
        message: /^The MP3 file is truncated: /,
      },
      {
        name: 'a corrupted MP3',
        make: () => corruptFile(encode(wav, file('c.mp3'), ['-c:a', 'libmp3lame']), file('c-bad.mp3')),
        problem: 'damaged',
        message: /^The MP3 file is damaged: its audio frames break off before the end of the file\./,
      },
      {
        name: 'a truncated Ogg Opus',
        make: () => truncateFile(encode(wav, file('t.opus'), ['-c:a', 'libopus']), file('t-cut.opus')),
        problem: 'truncated',
        message: /^The Ogg Opus file is truncated: /,
      },
      {
        name: 'a corrupted Ogg Vorbis',
        make: () => corruptFile(encode(wav, file('c.ogg'), ['-c:a', 'libvorbis']), file('c-bad.ogg')),
        problem: 'damaged',
        message: /^The Ogg Vorbis file is damaged: a page fails its checksum\./,
      },
      {
        name: 'a truncated WebM',
        make: () => truncateFile(encode(wav, file('t.webm'), ['-c:a', 'libopus']), file('t-cut.webm')),
        problem: 'truncated',
        message: /^The WebM file is truncated: /,
      },
      {
        name: 'a corrupted WebM',
        make: () => corruptFile(encode(wav, file('c.webm'), ['-c:a', 'libopus']), file('c-bad.webm')),
        problem: 'damaged',
        message: /^The WebM file is damaged: /,
      },
      {
        name: 'WebM with Vorbis instead of Opus',
        make: () => encode(wav, file('v.webm'), ['-c:a', 'libvorbis']),
        problem: 'unsupported_format',
        message:
          /^Unsupported format: WebM with Vorbis audio; convert to WAV, FLAC, MP3, Ogg \(Opus or Vorbis\) or WebM \(Opus\) and import again\.$/,
      },
      {
        name: 'Matroska with FLAC',
        make: () => encode(wav, file('f.mka'), ['-c:a', 'flac']),
        problem: 'unsupported_format',
        message: /^Unsupported format: Matroska with FLAC audio;/,
      },
      {
        name: 'M4A (AAC)',
        make: () => encode(wav, file('a.m4a'), ['-c:a', 'aac']),
        problem: 'unsupported_format',
        message: /^Unsupported format: M4A \(AAC\/ALAC in MP4\); convert to WAV, FLAC, MP3/,
      },
    ];
    for (const c of cases) {
      test(c.name, async () => {
        const input = c.make();
        const visit = await h.newVisit();
        const before = await h.call<CaptureStatus>('capture:status', { visitId: visit.id });
        const error = await h.scribe.capture.importFile(visit.id, input, clinician).then(
          () => assert.fail('the import succeeded'),
          (e: unknown) => e,
        );
        assert.ok(error instanceof AudioImportError, String(error));
        assert.equal(error.problem, c.problem);
        assert.match(error.message, c.message);
        const afterwards = await h.call<CaptureStatus>('capture:status', { visitId: visit.id });
        assert.deepEqual(afterwards, before);
        assert.deepEqual([afterwards.visitState, afterwards.capture, afterwards.chunks], ['not_started', 'idle', 0]);
        // The same visit still takes a good file afterwards.
        await h.scribe.capture.importFile(visit.id, encode(wav, file(`ok-${c.problem}.flac`), []), clinician);
      });
    }
  });
});
