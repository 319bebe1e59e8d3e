import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogRecord } from '../log/redact.js';
import { redactRecord } from '../log/redact.js';

const LOG_FILE = /^([A-Za-z0-9_-]+\.log)(?:\.(\d{1,3}))?$/;

export interface LogTail {
  readonly records: readonly LogRecord[];
  /** Lines that were not JSON records (torn by a crash, or not ours): left out. */
  readonly unreadable: number;
}

function readLines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
  } catch {
    return [];
  }
}

/**
 * The last `limit` log records across the rotated files in `dir`, oldest first, each passed
 * through the redaction layer again (lines from older versions, or edited files, included).
 */
export function readLogTail(dir: string, limit: number): LogTail {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { records: [], unreadable: 0 };
  }
  const byBase = new Map<string, { name: string; index: number }[]>();
  for (const name of names) {
    const match = LOG_FILE.exec(name);
    if (!match?.[1]) continue;
    const group = byBase.get(match[1]) ?? [];
    group.push({ name, index: match[2] === undefined ? 0 : Number(match[2]) });
    byBase.set(match[1], group);
  }
  const collected: { at: string; line: string }[] = [];
  for (const files of byBase.values()) {
    // Newest file first; stop once this log has given enough lines.
    let lines: string[] = [];
    for (const file of files.sort((a, b) => a.index - b.index)) {
      lines = [...readLines(join(dir, file.name)), ...lines];
      if (lines.length >= limit) break;
    }
    for (const line of lines.slice(-limit)) collected.push({ at: /"at":"([^"]{1,40})"/.exec(line)?.[1] ?? '', line });
  }
  collected.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  let unreadable = 0;
  const records: LogRecord[] = [];
  for (const { line } of collected.slice(-limit)) {
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('not a record');
      records.push(redactRecord(parsed as Record<string, unknown>));
    } catch {
      unreadable += 1;
    }
  }
  return { records, unreadable };
}
