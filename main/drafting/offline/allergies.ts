/**
 * Allergies as said: "I'm allergic to penicillin", "penicillin gives me hives", "no known
 * allergies", "NKDA". Returns note sentences, or nothing when the sentence is not about allergies.
 */
const NONE =
  /\b(?:no (?:known )?(?:drug |medication )?allergies|nkda|not allergic to any|no allergies|don't have any (?:known )?(?:drug |medication )?allergies|(?:am|i'm|is) not allergic to anything)\b/;
const ALLERGIC_TO =
  /\b(?:allergic to|allergy to|allergies to|allergic reaction to|reaction to)\s+([a-z][a-z -]{2,40}?)(?=$|[,.;!?]| and (?:it|i|that|she|he)\b| which\b| that\b| because\b| but\b| so\b)/;
const REACTION = /\b(hives|rash|swelling|anaphylaxis|itching|trouble breathing)\b/;

export function extractAllergy(sentence: string): string | undefined {
  if (NONE.test(sentence)) return 'No known drug allergies.';
  const m = ALLERGIC_TO.exec(sentence);
  if (!m) return undefined;
  const substance = m[1]!.replace(/^(?:the|a|an|some)\s+/, '').trim();
  if (!substance || /^(?:anything|nothing|that|it)$/.test(substance)) return undefined;
  const reaction = REACTION.exec(sentence.slice(m.index + m[0].length));
  return `Allergic to ${substance}${reaction ? ` (${reaction[1]})` : ''}.`;
}
