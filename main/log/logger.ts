import type { Writable } from 'node:stream';
import { redactFields, isSafeEventName } from './redact.js';

/**
 * Structured logs carry an event name and scalar fields chosen by the caller: ids, codes, counts,
 * durations. Never pass request bodies, error messages from outside, URLs or anything a patient
 * said. Every line still passes the redaction layer (./redact.ts) before it is written, so a
 * mistake costs a '[redacted]' in the log, not a patient's data in a support ticket.
 */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export const nullLogger: Logger = { info() {}, warn() {}, error() {} };

export type LogLevel = 'info' | 'warn' | 'error';

/** Formats one redacted JSON line (with its newline). */
export function formatLogLine(level: LogLevel, event: string, fields: LogFields, now: Date): string {
  const safeEvent = isSafeEventName(event) ? event : 'invalid_event';
  return `${JSON.stringify({ at: now.toISOString(), level, event: safeEvent, ...redactFields(fields) })}\n`;
}

/** A logger writing redacted JSON lines to `write`; a failing sink loses the line, never the caller's work. */
export function createLogger(write: (line: string) => void, now: () => Date = () => new Date()): Logger {
  const log =
    (level: LogLevel) =>
    (event: string, fields: LogFields = {}) => {
      try {
        write(formatLogLine(level, event, fields, now()));
      } catch {
        // Logging must not take the app down (full disk, closed stream).
      }
    };
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

export function createJsonLineLogger(out: Writable, now: () => Date = () => new Date()): Logger {
  return createLogger((line) => out.write(line), now);
}

/** Sends every line to each logger (e.g. a file and stderr). */
export function teeLogger(...loggers: readonly Logger[]): Logger {
  return {
    info: (event, fields) => loggers.forEach((l) => l.info(event, fields)),
    warn: (event, fields) => loggers.forEach((l) => l.warn(event, fields)),
    error: (event, fields) => loggers.forEach((l) => l.error(event, fields)),
  };
}
