import { ScribeError } from '../../kernel/errors.js';

/**
 * A transcript file we cannot read. The message names the line (and what was expected) but never
 * quotes the file: its text is what a patient said.
 */
export class TranscriptFormatError extends ScribeError {
  readonly line: number | undefined;
  constructor(problem: string, reason: string, line?: number) {
    super(
      'bad_request',
      line === undefined
        ? `The transcript file cannot be read: ${problem}`
        : `The transcript file cannot be read: line ${line}: ${problem}`,
      {
        reason,
        ...(line === undefined ? {} : { details: { line } }),
      },
    );
    this.line = line;
  }
}

export const notJson = (line: number | undefined) =>
  new TranscriptFormatError('it is not valid JSON.', 'transcript_file.invalid_json', line);

export const segmentsExpected = () =>
  new TranscriptFormatError('expected an array of segments, or an object with a "segments" array.', 'transcript_file.segments_expected', 1);

export const noSegments = () => new TranscriptFormatError('it holds no segments.', 'transcript_file.no_segments');

/** `fields` are the segment's field paths (startMs, speaker), never their values. */
export const segmentInvalid = (index: number, fields: string, line: number | undefined) =>
  new TranscriptFormatError(`segment ${index + 1}: check ${fields}.`, 'transcript_file.segment_invalid', line);

export const segmentEndsBeforeStart = (index: number, line: number | undefined) =>
  new TranscriptFormatError(`segment ${index + 1}: it ends before it starts.`, 'transcript_file.ends_before_start', line);

export const webVttHeaderMissing = () =>
  new TranscriptFormatError('a WebVTT file starts with the line "WEBVTT".', 'transcript_file.webvtt_header_missing', 1);

export const cueTimingExpected = (line: number) =>
  new TranscriptFormatError(
    'expected a cue timing line such as "00:00:01.000 --> 00:00:04.000".',
    'transcript_file.cue_timing_expected',
    line,
  );

export const cueTimeInvalid = (line: number) =>
  new TranscriptFormatError('a cue time is not in the form hh:mm:ss.ttt or mm:ss.ttt.', 'transcript_file.cue_time_invalid', line);

export const cueEndsBeforeStart = (line: number) =>
  new TranscriptFormatError('the cue ends before it starts.', 'transcript_file.ends_before_start', line);

export const noCues = () => new TranscriptFormatError('it holds no cues with text.', 'transcript_file.no_cues');

export const speakerTurnExpected = (line: number) =>
  new TranscriptFormatError(
    'expected a turn that starts with a speaker, like "Doctor: …", "Patient: …" or "[doctor] …".',
    'transcript_file.speaker_expected',
    line,
  );

export const noSpeakerTurns = () =>
  new TranscriptFormatError('it holds no speaker turns ("Doctor: …" or "[doctor] …").', 'transcript_file.no_turns');

export const turnsOutOfOrder = (line: number) =>
  new TranscriptFormatError('this turn starts before the turn above it.', 'transcript_file.turns_out_of_order', line);
