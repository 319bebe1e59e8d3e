import type { TranscriptSegment } from '../../../shared/domain/transcript.js';

/** What identifies the patient: removed from everything sent to a model. */
export interface PatientIdentifiers {
  readonly displayName?: string | undefined;
  readonly mrn?: string | undefined;
  readonly birthDate?: string | undefined;
  readonly patientId?: string | undefined;
  readonly encounterId?: string | undefined;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** 1931-02-28 as people write and say it: 02/28/1931, 2/28/1931, 28/02/1931, February 28, 1931, 28 February 1931, Feb 28 1931. */
function birthDatePatterns(iso: string): RegExp[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return [];
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  const month = Number(mo);
  const day = Number(d);
  const name = MONTHS[month - 1]!;
  const monthName = `(?:${name}|${name.slice(0, 3)}\\.?)`;
  const dayWord = `0?${day}(?:st|nd|rd|th)?`;
  return [
    new RegExp(`\\b${y}-${mo}-${d}\\b`, 'gi'),
    new RegExp(`\\b0?${month}[/.-]0?${day}[/.-](?:${y}|${y.slice(2)})\\b`, 'gi'),
    new RegExp(`\\b0?${day}[/.-]0?${month}[/.-](?:${y}|${y.slice(2)})\\b`, 'gi'),
    new RegExp(`\\b${monthName}\\s+${dayWord},?\\s+${y}\\b`, 'gi'),
    new RegExp(`\\b${dayWord}\\s+(?:of\\s+)?${monthName},?\\s+${y}\\b`, 'gi'),
  ];
}

/**
 * Replaces the patient's name (each part, and the whole), record numbers and birth date with
 * placeholders. The clinician may say them during the visit; the model does not need them.
 */
export function createRedactor(ids: PatientIdentifiers): (text: string) => string {
  const rules: [RegExp, string][] = [];
  for (const value of [ids.mrn, ids.patientId, ids.encounterId]) {
    if (value && value.trim().length >= 3) rules.push([new RegExp(escape(value.trim()), 'gi'), '[id]']);
  }
  if (ids.birthDate) for (const pattern of birthDatePatterns(ids.birthDate)) rules.push([pattern, '[birth date]']);
  const name = ids.displayName?.trim();
  if (name) {
    const parts = new Set(
      [name, ...name.split(/[\s,]+/), ...name.split(/[\s,-]+/)]
        .map((p) => p.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, ''))
        .filter((p) => p.length >= 2),
    );
    // Longest first, so "Quillfeather-Sentinel" goes before "Quillfeather".
    for (const part of [...parts].sort((a, b) => b.length - a.length)) {
      rules.push([new RegExp(`(?<![\\p{L}\\p{N}])${escape(part)}(?![\\p{L}\\p{N}])`, 'giu'), '[patient]']);
    }
  }
  return (text) => rules.reduce((acc, [pattern, replacement]) => acc.replace(pattern, replacement), text);
}

/** One line per segment: "[seg-3] patient: I have had a cough for three days." */
export function transcriptForPrompt(segments: readonly TranscriptSegment[], redact: (text: string) => string): string {
  return segments.map((s) => `[${s.id}] ${s.speaker}: ${redact(s.text.replace(/\s+/g, ' ').trim())}`).join('\n');
}
