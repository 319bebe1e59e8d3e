import { ScribeError } from '../../kernel/errors.js';

/**
 * A transcript file we cannot read. The message names the line (and what was expected) but never
 * quotes the file: its text is what a patient said.
 */
export class TranscriptFormatError extends ScribeError {
  readonly line: number | undefined;
  constructor(problem: string, line?: number) {
    super('bad_request', line === undefined ? `The transcript file cannot be read: ${problem}` : `The transcript file cannot be read: line ${line}: ${problem}`);
    this.line = line;
  }
}
