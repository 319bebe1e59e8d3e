import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { newPiece, RunTranscript } from '../../../main/asr/run-transcript.js';
import type { TranscriptSegment } from '../../../shared/domain/transcript.js';

const stored = (id: string, startMs: number, text: string, speaker: TranscriptSegment['speaker']): TranscriptSegment => ({
  id,
  startMs,
  endMs: startMs + 1_500,
  text,
  speaker,
});

describe("a run's transcript", () => {
  test('resumes after what is stored: speech segments done, and where the last fixed window ended', () => {
    const transcript = new RunTranscript([
      stored('a0.0', 0, 'How long has the cough been going on?', 'clinician'),
      stored('a0.1', 1_600, 'And is it worse at night?', 'clinician'),
      stored('a3.0', 9_000, 'About two weeks now.', 'patient'),
      stored('w12000-40500.0', 12_000, 'Mostly at night.', 'patient'),
      stored('w40500-70000.2', 41_000, 'Any fever?', 'clinician'),
    ]);
    assert.equal(transcript.size, 5);
    assert.deepEqual([...transcript.segmentsDone()].sort(), [0, 3]);
    assert.equal(transcript.windowsEndMs(), 70_000);
    assert.deepEqual(transcript.lastTexts(2), ['Mostly at night.', 'Any fever?']);
    assert.equal(new RunTranscript([]).windowsEndMs(), 0);
  });

  test('new pieces are stored with their speaker; earlier ones only when labelling them again changed their speaker', () => {
    const transcript = new RunTranscript([]);
    const first = transcript.add([newPiece('a0', 0, { startMs: 0, endMs: 1_500, text: 'What brings you in today?', confidence: 0.91234 })]);
    assert.deepEqual(first, [
      { id: 'a0.0', startMs: 0, endMs: 1_500, speaker: 'clinician', text: 'What brings you in today?', confidence: 0.912 },
    ]);

    const second = transcript.add([
      newPiece('a1', 0, { startMs: 2_500, endMs: 4_000, text: "I've had a sore throat since Sunday.", confidence: undefined }),
    ]);
    assert.deepEqual(
      second.map((s) => [s.id, s.speaker]),
      [['a1.0', 'patient']],
    );
    assert.equal('confidence' in second[0]!, false);
    assert.equal(transcript.size, 2);
  });

  test('pieces arriving out of order are labelled in time order', () => {
    const transcript = new RunTranscript([]);
    transcript.add([
      newPiece('a1', 0, { startMs: 2_500, endMs: 4_000, text: "I've had a sore throat since Sunday.", confidence: undefined }),
    ]);
    const changed = transcript.add([
      newPiece('a0', 0, { startMs: 0, endMs: 1_500, text: 'What brings you in today?', confidence: undefined }),
    ]);
    assert.ok(changed.some((s) => s.id === 'a0.0' && s.speaker === 'clinician'));
    assert.deepEqual(transcript.lastTexts(2), ['What brings you in today?', "I've had a sore throat since Sunday."]);
  });
});
