import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { detectFormat, parseTranscript } from '../../../main/transcripts/import/parse-transcript.js';
import { speakerFromLabel } from '../../../main/transcripts/import/speaker-label.js';
import { TranscriptFormatError } from '../../../main/transcripts/import/transcript-format-error.js';
import type { TranscriptFormat } from '../../../shared/domain/transcript.js';
import { SENTINEL } from '../../helpers/temp-store.js';

/** Asserts a TranscriptFormatError for `reason` at `line` whose message never quotes the file. */
function rejectsAt(content: string, line: number | undefined, reason: string, format: TranscriptFormat = 'auto'): void {
  const secret = SENTINEL.name;
  assert.throws(
    () => parseTranscript(content, format),
    (error: unknown) => {
      assert.ok(error instanceof TranscriptFormatError, `expected TranscriptFormatError, got ${String(error)}`);
      assert.equal(error.reason, reason);
      assert.equal(error.line, line);
      assert.equal(error.code, 'bad_request');
      if (line !== undefined) assert.match(error.message, new RegExp(`line ${line}:`));
      assert.ok(!error.message.includes(secret), 'the message must not quote the file');
      return true;
    },
  );
}

describe('speaker labels', () => {
  test('map clinician and patient names from other tools to roles, and everyone else to other', () => {
    for (const label of ['Doctor', 'Dr', 'Dr.', 'Dr. Okafor', 'DOCTOR', 'Clinician', 'Provider', 'physician'])
      assert.equal(speakerFromLabel(label), 'clinician', label);
    for (const label of ['Patient', 'Pt', 'pt.', 'PATIENT']) assert.equal(speakerFromLabel(label), 'patient', label);
    for (const label of ['Nurse', 'Daughter', 'Speaker 1', SENTINEL.name]) assert.equal(speakerFromLabel(label), 'other', label);
  });
});

describe('plain "Speaker: text" transcripts', () => {
  test('read turns, continuation lines and blank lines, with roles and rising estimated times', () => {
    const { format, turns } = parseTranscript(
      [
        'Doctor: Good morning. What brings you in?',
        '',
        'Patient: I have had a cough',
        'for three days.',
        'Dr. Okafor: Any fever?',
        'Pt: No.',
        `${SENTINEL.name}: She has been tired.`,
      ].join('\n'),
      'auto',
    );
    assert.equal(format, 'text');
    assert.deepEqual(
      turns.map((t) => [t.speaker, t.text]),
      [
        ['clinician', 'Good morning. What brings you in?'],
        ['patient', 'I have had a cough for three days.'],
        ['clinician', 'Any fever?'],
        ['patient', 'No.'],
        ['other', 'She has been tired.'],
      ],
    );
    for (let i = 1; i < turns.length; i += 1) assert.ok(turns[i]!.startMs >= turns[i - 1]!.endMs, 'turns follow each other in time');
    assert.ok(turns.every((t) => t.endMs > t.startMs));
  });

  test('read ACI-Bench style [doctor] / [patient] turns, including an untagged line continuing a turn', () => {
    const { format, turns } = parseTranscript(
      '[doctor] hi , how are you ?\n[patient] my knee hurts .\n[doctor] okay .\nlet us take a look .',
      'auto',
    );
    assert.equal(format, 'text');
    assert.deepEqual(
      turns.map((t) => t.speaker),
      ['clinician', 'patient', 'clinician'],
    );
    assert.equal(turns[2]!.text, 'okay . let us take a look .');
  });

  test('use leading timestamps as segment times when every turn has one', () => {
    const { turns } = parseTranscript('[00:00:01] Doctor: Hello.\n[00:00:04.5] Patient: Hi there.\n00:01:10 Doctor: Bye.', 'text');
    assert.deepEqual(
      turns.map((t) => [t.startMs, t.endMs]),
      [
        [1000, 4500],
        [4500, 70_000],
        [70_000, 71_000],
      ],
    );
  });

  test('refuse text before the first speaker, and a file with no turns, naming the line', () => {
    rejectsAt(`Visit with ${SENTINEL.name}\nDoctor: Hello.`, 1, 'transcript_file.speaker_expected');
    rejectsAt('\n\n   \n', undefined, 'transcript_file.no_turns');
    rejectsAt('[00:00:05] Doctor: Hello.\n[00:00:02] Patient: Earlier?', 2, 'transcript_file.turns_out_of_order');
  });
});

describe('WebVTT transcripts', () => {
  const vtt = [
    'WEBVTT - exported',
    '',
    'NOTE made by another tool',
    '',
    '1',
    '00:00:01.000 --> 00:00:04.000',
    '<v Dr. Okafor>What brings you in today?</v>',
    '',
    '00:04.000 --> 00:00:09.500 align:start',
    '<v.loud Patient>I have had <i>a cough</i> &amp; a fever',
    'for three days.',
    '',
    '00:00:10.000 --> 00:00:14.000',
    '<v Doctor>Any chest pain?</v> <v Patient>No.</v>',
    '',
    '00:00:15.000 --> 00:00:16.000',
    'Doctor: Okay.',
  ].join('\n');

  test('read cues with voice tags, times, entities, markup and multi-voice cues', () => {
    const { format, turns } = parseTranscript(vtt, 'auto');
    assert.equal(format, 'vtt');
    assert.deepEqual(
      turns.map((t) => [t.startMs, t.endMs, t.speaker, t.text]),
      [
        [1000, 4000, 'clinician', 'What brings you in today?'],
        [4000, 9500, 'patient', 'I have had a cough & a fever for three days.'],
        [10_000, 13_000, 'clinician', 'Any chest pain?'],
        [13_000, 14_000, 'patient', 'No.'],
        [15_000, 16_000, 'clinician', 'Okay.'],
      ],
    );
  });

  test('refuse a missing header, a bad timing line and a cue that ends before it starts, by line', () => {
    rejectsAt(`Doctor: hello\n\n00:00:01.000 --> 00:00:02.000\n${SENTINEL.name}`, 1, 'transcript_file.webvtt_header_missing', 'vtt');
    rejectsAt(
      `WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nfine\n\n00:00:0x.000 --> 00:00:03.000\n${SENTINEL.name}`,
      6,
      'transcript_file.cue_time_invalid',
    );
    rejectsAt(`WEBVTT\n\ncue-7\n${SENTINEL.name} said this\nand more`, 4, 'transcript_file.cue_timing_expected');
    rejectsAt(`WEBVTT\n\n00:00:05.000 --> 00:00:03.000\n<v Patient>${SENTINEL.name}`, 3, 'transcript_file.ends_before_start');
  });
});

describe('JSON segment transcripts', () => {
  test('read our own segments (ids renumbered later) and Whisper-style seconds', () => {
    const ours = parseTranscript(
      JSON.stringify([{ id: 'x', startMs: 0, endMs: 1500, speaker: 'clinician', text: ' Hello. ', confidence: 0.9 }]),
      'auto',
    );
    assert.equal(ours.format, 'json');
    assert.deepEqual(ours.turns, [{ startMs: 0, endMs: 1500, speaker: 'clinician', text: 'Hello.', confidence: 0.9 }]);
    const whisper = parseTranscript(
      JSON.stringify({
        segments: [
          { start: 1.25, end: 2.5, text: 'Hi', speaker: 'Dr. Who' },
          { start: 2.5, end: 3, text: 'Hey' },
        ],
      }),
      'auto',
    );
    assert.deepEqual(
      whisper.turns.map((t) => [t.startMs, t.endMs, t.speaker]),
      [
        [1250, 2500, 'clinician'],
        [2500, 3000, 'unknown'],
      ],
    );
  });

  test('name the segment and its line when one is malformed, without quoting it', () => {
    const content = `{\n  "segments": [\n    { "startMs": 0, "endMs": 10, "text": "ok" },\n    { "startMs": 5, "text": "${SENTINEL.name}" }\n  ]\n}`;
    rejectsAt(content, 4, 'transcript_file.segment_invalid');
    assert.throws(() => parseTranscript(content, 'json'), /segment 2: check startMs/);
    rejectsAt(`[\n{"startMs": 9, "endMs": 2, "text": "${SENTINEL.name}"}\n]`, 2, 'transcript_file.ends_before_start');
    assert.throws(
      () => parseTranscript('{"transcript": []}', 'json'),
      (error: unknown) => error instanceof TranscriptFormatError && error.reason === 'transcript_file.segments_expected',
    );
  });

  test('report invalid JSON by line, never with the parser message that quotes the file', () => {
    assert.throws(
      () => parseTranscript(`[\n  {"startMs": 0, "endMs": 1, "text": "${SENTINEL.name}"},\n  {"startMs": 1 "endMs": 2}\n]`, 'json'),
      (error: unknown) =>
        error instanceof TranscriptFormatError && error.reason === 'transcript_file.invalid_json' && !error.message.includes(SENTINEL.name),
    );
  });
});

test('format detection looks at the content: "[doctor]" is text, "[{" is JSON', () => {
  assert.equal(detectFormat('\uFEFFWEBVTT\n'), 'vtt');
  assert.equal(detectFormat('  [ {"a":1} ]'), 'json');
  assert.equal(detectFormat('[]'), 'json');
  assert.equal(detectFormat('{"segments":[]}'), 'json');
  assert.equal(detectFormat('[doctor] hi'), 'text');
  assert.equal(detectFormat('Doctor: hi'), 'text');
});
