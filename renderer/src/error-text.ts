import { ApiCallError } from '../../shared/api/errors.js';

const FALLBACK = 'Something went wrong. Try again, and tell IT if it keeps happening.';
const ONLY_TECHNICAL = 'This did not work. Tell IT, and show them the details below.';

/**
 * What only IT can act on: environment variable names, commands, file paths, URLs, FHIR resource
 * paths and ids, HTTP statuses. A sentence holding one of these is kept out of a clinician's way.
 */
const TECHNICAL: readonly RegExp[] = [
  /\bSCRIBE_[A-Z0-9_]+\b/,
  /\bnpm (run|install|start)\b/,
  /`[^`]+`/,
  /(^|[\s(])~?\/[\w.-]+\/[\w./-]+/,
  /\b[A-Za-z]:\\/,
  /\bhttps?:\/\//,
  /\b(Bundle|OperationOutcome|CapabilityStatement)\b|\bentry\[\d+\]/,
  /\b[A-Z][A-Za-z]+\/[A-Za-z0-9-]{8,}\b/,
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i,
  /\bHTTP \d{3}\b/,
  // A setting named by its key: "(setting fhirBaseUrl)", "(settings fhirClientId, fhirPrivateKeyFile)".
  /\(settings? [a-z][A-Za-z0-9]*(, [a-z][A-Za-z0-9]*)*\)/,
  /\b(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EACCES|ENOENT)\b/,
];

export function isTechnical(text: string): boolean {
  return TECHNICAL.some((pattern) => pattern.test(text));
}

/** Sentences end at ". " (and "? ", "! "), not at the dots of a version number or a file name. */
function sentencesOf(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[A-Z“"(])/).filter((sentence) => sentence.trim() !== '');
}

/**
 * The text to show for a failed call, in plain words. API errors carry a message that is safe to
 * show; its sentences that only IT can act on are left out here and shown by errorDetail. Anything
 * else (a bug, a browser error) may hold details that are not safe, so it gets a fixed sentence.
 */
export function errorText(error: unknown): string {
  if (!(error instanceof ApiCallError)) return FALLBACK;
  return plainMessage(error.message);
}

/** A safe message's sentences without the ones only IT can act on (those belong under "Details for IT"). */
export function plainMessage(message: string): string {
  const plain = sentencesOf(message).filter((sentence) => !isTechnical(sentence));
  return plain.length > 0 ? plain.join(' ') : ONLY_TECHNICAL;
}

/** The whole message and its reason id, for a "Details for IT" disclosure; undefined when errorText already says it all. */
export function errorDetail(error: unknown): string | undefined {
  if (!(error instanceof ApiCallError)) return undefined;
  if (!isTechnical(error.message)) return undefined;
  return error.reason ? `${error.message} (${error.reason})` : error.message;
}
