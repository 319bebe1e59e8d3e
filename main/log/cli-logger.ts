import type { Writable } from 'node:stream';
import type { Logger } from './logger.js';
import { createJsonLineLogger, nullLogger, teeLogger } from './logger.js';
import { CLI_LOG_FILE } from './log-location.js';
import { createRotatingFileLogger } from './rotating-file.js';

/**
 * The CLI's logger: `SCRIBE_LOG=json` writes redacted JSON lines to stderr, `SCRIBE_LOG_DIR=DIR`
 * to rotating files in DIR (scribe-cli.log); both may be set; neither means no logs.
 */
export function createCliLogger(env: NodeJS.ProcessEnv, stderr: Writable): Logger {
  const loggers: Logger[] = [];
  if (env['SCRIBE_LOG'] === 'json') loggers.push(createJsonLineLogger(stderr));
  const dir = env['SCRIBE_LOG_DIR'];
  if (dir) loggers.push(createRotatingFileLogger({ dir, fileName: CLI_LOG_FILE }));
  if (loggers.length === 0) return nullLogger;
  return loggers.length === 1 ? (loggers[0] ?? nullLogger) : teeLogger(...loggers);
}
