/**
 * The redaction layer every log line passes. First line of defence: a field survives only if its
 * key is on the allow-list and its value has the shape that key promises (our UUIDs, channel
 * names, enum words, versions); any other string becomes '[redacted]'. Second line: whatever
 * survived is scanned for things that look like patient data (long digit runs such as MRNs,
 * dates, e-mail addresses, phone and social security numbers) and replaced whole if one is found.
 * Callers should never need either line; they exist for the day someone passes the wrong thing.
 */

export const REDACTED = '[redacted]';

export type LogValue = string | number | boolean | null;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WORD = /^[a-z][a-z0-9_.-]{0,63}$/;
const CONSTANT = /^[A-Z][A-Z0-9_]{1,47}$/;
const CHANNEL = /^[a-z][a-z-]{0,31}:[a-z][a-z-]{0,31}$/;
const ERROR_TYPE = /^[A-Z][A-Za-z0-9]{0,63}$|^(string|number|bigint|boolean|symbol|undefined|object|function)$/;
const FIELD_PATHS = /^[A-Za-z0-9_.()]{1,80}(,[A-Za-z0-9_.()]{1,80}){0,15}$/;
const NAME_LIST = /^[a-z][A-Za-z0-9]{0,39}(,[a-z][A-Za-z0-9]{0,39}){0,31}$/;
const SEMVER = /^\d{1,5}\.\d{1,5}\.\d{1,5}(-[0-9A-Za-z.-]{1,32})?$/;
const SHA256 = /^(?=.*[a-f])[0-9a-f]{64}$/;

type Check = (value: string) => boolean;
const matches =
  (pattern: RegExp): Check =>
  (value) =>
    pattern.test(value);
const oneOf =
  (...checks: Check[]): Check =>
  (value) =>
    checks.some((check) => check(value));

/** Keys whose string values may be logged, with the shape each value must have. */
const STRING_FIELDS: Readonly<Record<string, Check>> = {
  channel: matches(CHANNEL),
  event: matches(CHANNEL),
  transport: matches(/^(ipc|web|cli)$/),
  code: oneOf(matches(WORD), matches(CONSTANT)),
  type: matches(ERROR_TYPE),
  error: matches(ERROR_TYPE),
  fields: matches(FIELD_PATHS),
  keys: matches(NAME_LIST),
  state: matches(WORD),
  from: matches(WORD),
  to: matches(WORD),
  kind: matches(WORD),
  reason: matches(WORD),
  action: matches(WORD),
  status: matches(WORD),
  engine: matches(WORD),
  route: matches(WORD),
  target: matches(WORD),
  platform: matches(WORD),
  arch: matches(WORD),
  provider: matches(WORD),
  phase: matches(WORD),
  source: matches(WORD),
  mode: matches(WORD),
  backend: matches(WORD),
  outcome: matches(WORD),
  setting: matches(/^[a-z][A-Za-z0-9]{0,39}$/),
  method: matches(WORD),
  failure: matches(WORD),
  why: matches(WORD),
  profiles: matches(WORD),
  model: matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/),
  promptVersion: oneOf(matches(WORD), matches(SEMVER)),
  updateChannel: matches(WORD),
  version: matches(SEMVER),
  currentVersion: matches(SEMVER),
  offeredVersion: matches(SEMVER),
  pinnedVersion: matches(SEMVER),
  sha256: matches(SHA256),
  policySha256: matches(SHA256),
  signal: matches(/^SIG[A-Z0-9]{1,10}$/),
};

/** Key names that say "patient data" whatever the value looks like: dropped even as numbers. */
const PHI_KEY =
  /name|patient|encounter|mrn|dob|birth|ssn|address|phone|email|mail|text|note|transcript|summary|subject|person|reasonfor|diagnos|message|body|url|path|file|user|actor/i;

/** Numbers that measure rather than identify (`textLength`, `fileCount`) may keep such key names. */
const MEASURE_KEY = /(count|length|size|bytes|chars|ms|total)$/i;

/** Our own record ids: `visitId`, `jobId`, `segmentId`... always random UUIDs. */
const ID_KEY = /^([a-z][A-Za-z0-9]*Id|id)$/;
const KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const EVENT = /^[a-z][a-z0-9_]{0,31}(\.[a-z0-9_]{1,31}){0,4}$/;

const SUSPICIOUS: readonly RegExp[] = [
  /\d{5,}/, // MRNs, account and phone numbers, zip codes
  /\d{4}-\d{1,2}-\d{1,2}/, // ISO dates
  /\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b/, // 02/28/1931, 28.02.1931
  /\b\d{3}-\d{2}-\d{4}\b/, // SSN
  /\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b/, // phone numbers
  /[^\s@]+@[^\s@]+\.[^\s@]+/, // e-mail
];

/** Second line of defence: true when a string looks like it could carry patient data. */
export function looksSensitive(value: string): boolean {
  if (UUID.test(value)) return false;
  return SUSPICIOUS.some((pattern) => pattern.test(value));
}

export function isSafeEventName(event: string): boolean {
  return EVENT.test(event);
}

export function redactValue(key: string, value: unknown): LogValue | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (PHI_KEY.test(key) && !MEASURE_KEY.test(key)) return REDACTED;
    return Number.isFinite(value) ? value : null;
  }
  if (PHI_KEY.test(key) && !ID_KEY.test(key)) return REDACTED;
  if (typeof value !== 'string') return REDACTED;
  if (ID_KEY.test(key)) {
    // patientId, encounterId...: the EHR's identifiers are PHI even when they look like UUIDs.
    if (/patient|encounter|person|subject|mrn/i.test(key)) return REDACTED;
    return UUID.test(value) ? value : REDACTED;
  }
  const check = STRING_FIELDS[key];
  if (check === undefined || !check(value) || looksSensitive(value)) return REDACTED;
  return value;
}

/** The fields of one log line after redaction; malformed keys are dropped and counted. */
export function redactFields(fields: Readonly<Record<string, unknown>>): Record<string, LogValue> {
  const out: Record<string, LogValue> = {};
  let dropped = 0;
  for (const [key, value] of Object.entries(fields)) {
    if (!KEY.test(key) || key === 'at' || key === 'level') {
      dropped += 1;
      continue;
    }
    const safe = redactValue(key, value);
    if (safe !== undefined) out[key] = safe;
  }
  if (dropped > 0) out['droppedKeys'] = dropped;
  return out;
}

export interface LogRecord {
  readonly at: string;
  readonly level: string;
  readonly event: string;
  readonly [field: string]: LogValue;
}

const LEVEL = /^(info|warn|error)$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/**
 * Redacts a whole record, including one read back from a file (for the diagnostics bundle): lines
 * written by an older version, or edited, get the same treatment as new ones.
 */
export function redactRecord(record: Readonly<Record<string, unknown>>): LogRecord {
  const { at, level, event, ...fields } = record;
  return {
    at: typeof at === 'string' && TIMESTAMP.test(at) ? at : REDACTED,
    level: typeof level === 'string' && LEVEL.test(level) ? level : 'info',
    event: typeof event === 'string' && isSafeEventName(event) ? event : 'invalid_event',
    ...redactFields(fields),
  };
}
