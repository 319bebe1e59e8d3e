import type { Writable } from 'node:stream';

/**
 * Structured logs carry an event name and scalar fields chosen by the caller: ids, codes, counts,
 * durations. Never pass request bodies, error messages from outside, URLs or anything a patient
 * said. (The redaction layer and rotation arrive with the deployment issue.)
 */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export const nullLogger: Logger = { info() {}, warn() {}, error() {} };

export function createJsonLineLogger(out: Writable, now: () => Date = () => new Date()): Logger {
  const write = (level: string) => (event: string, fields: LogFields = {}) => {
    out.write(`${JSON.stringify({ at: now().toISOString(), level, event, ...fields })}\n`);
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
