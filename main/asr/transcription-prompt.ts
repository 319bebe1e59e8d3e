import type { PatientIdentifiers } from '../drafting/llm/prompt-input.js';
import { createRedactor } from '../drafting/llm/prompt-input.js';

/**
 * What the visit is likely to be about, as a Whisper prompt: the patient's medications and problem
 * list when known, and the reason for the visit. Whisper spells what it has seen in its prompt, so
 * "metoprolol" and "HFrEF" come out right instead of "met a pro lol". The prompt never names the
 * patient: any item that holds the name, record numbers or birth date is left out whole, and long
 * digit runs (phone numbers, ids) are removed.
 */
export interface VisitVocabulary {
  readonly medications?: readonly string[];
  readonly problems?: readonly string[];
  readonly reasonForVisit?: string | undefined;
}

/** Whisper reads at most 223 prompt tokens; English runs about four characters a token. */
const MAX_PROMPT_CHARS = 800;
const MAX_ITEM_CHARS = 80;
const MAX_ITEMS = 25;
const PLACEHOLDER = /\[(?:id|patient|birth date)\]/;

export function transcriptionPrompt(vocabulary: VisitVocabulary, identifiers: PatientIdentifiers): string | undefined {
  const redact = createRedactor(identifiers);
  const clean = (items: readonly string[] | undefined) =>
    (items ?? [])
      .map((item) => item.replace(/\s+/g, ' ').trim().slice(0, MAX_ITEM_CHARS))
      .filter((item) => item !== '' && !PLACEHOLDER.test(redact(item)))
      .map((item) => item.replace(/\d{5,}/g, '').trim())
      .filter((item) => item !== '')
      .slice(0, MAX_ITEMS);
  const medications = clean(vocabulary.medications);
  const problems = clean(vocabulary.problems);
  const reason = clean(vocabulary.reasonForVisit ? [vocabulary.reasonForVisit] : [])[0];
  const parts = [
    reason ? `Reason for visit: ${reason}.` : '',
    problems.length > 0 ? `Problems: ${problems.join(', ')}.` : '',
    medications.length > 0 ? `Medications: ${medications.join(', ')}.` : '',
  ].filter((p) => p !== '');
  if (parts.length === 0) return undefined;
  const prompt = `A clinic visit between a clinician and a patient. ${parts.join(' ')}`;
  // Cut at a comma or full stop so no word is halved.
  if (prompt.length <= MAX_PROMPT_CHARS) return prompt;
  const cut = prompt.slice(0, MAX_PROMPT_CHARS);
  return cut.slice(0, Math.max(cut.lastIndexOf(','), cut.lastIndexOf('.'))).trim();
}
